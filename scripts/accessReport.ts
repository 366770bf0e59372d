/**
 * `npm run access-report`: who can do what with the policies the stacks deploy, evaluated offline by
 * an independent IAM evaluator. Runs the real program under Pulumi mocks for each stack config file
 * (no credentials, no Pulumi CLI), chains the blue stack's outputs into the green stack, and prints a
 * Markdown report (tables and a Mermaid diagram of the trust chain) or JSON.
 *
 *   npm run access-report                     all stacks (Pulumi.*.yaml), Markdown on stdout
 *   npm run access-report -- --json           JSON for tools
 *   npm run access-report -- --stack blue,green --out access-report.md
 *   npm run access-report -- --check         exit 1 when a verdict differs from the design
 *   npm run access-report -- --live --stack blue --blue-profile audit-blue --green-profile audit-green
 *                                             the same matrix on what is live, read by the audit
 *
 * Dev script: it uses the AGPL-licensed evaluator (devDependencies) and runs the program through the
 * mocks harness the tests use too (harness/pulumiMocks.ts, via accessproof/stacks.ts); it is not part of the package.
 */
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { buildLiveReport } from "../accessproof/liveReport";
import { buildReport, renderJson, renderMarkdown, type AccessReport } from "../accessproof/report";
import { readProject, runStacks } from "../accessproof/stacks";
import { CouldNotRunError } from "./verify/exitCodes";

const USAGE = `Usage: npm run access-report -- [--json] [--stack NAME[,NAME...]] [--out FILE] [--check]
       npm run access-report -- --live [--json] [--out FILE] [--check] AUDIT FLAGS...

  --json         print JSON instead of Markdown
  --stack LIST   the stacks to evaluate (default: every Pulumi.NAME.yaml); a green stack needs its blue stack
  --out FILE     write the report to FILE instead of stdout
  --check        exit 1 when a verdict differs from the design or a document is invalid
  --live         evaluate what is live instead: runs the audit (npm run audit) with the AUDIT FLAGS
                 (--stack/--outputs of the blue stack, --blue-profile, --green-profile, --endpoint...;
                 see npm run audit -- --help) and the same matrix on the documents it read; the
                 expected verdicts are the design's. Exit 2 when the audit could not run.
  --help         this text
`;

/** The report's own flags in --live mode; every other argument is the audit's. */
interface LiveOptions {
    readonly live: true;
    readonly json: boolean;
    readonly out?: string;
    readonly check: boolean;
    readonly auditArgs: string[];
}

function parseLiveArgs(argv: readonly string[]): LiveOptions {
    let json = false;
    let check = false;
    let out: string | undefined;
    const auditArgs: string[] = [];
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        if (arg === "--live") {
            continue;
        } else if (arg === "--json") {
            json = true;
        } else if (arg === "--check") {
            check = true;
        } else if (arg === "--out") {
            out = argv[++i];
            if (out === undefined || out.startsWith("--")) {
                throw new Error("--out needs a value");
            }
        } else if (arg.startsWith("--out=")) {
            out = arg.slice("--out=".length);
        } else {
            auditArgs.push(arg);
        }
    }
    return { live: true, json, out, check, auditArgs };
}

interface Options {
    readonly json: boolean;
    readonly stacks: string[];
    readonly out?: string;
    readonly check: boolean;
}

function parseArgs(argv: readonly string[]): Options | "help" {
    let json = false;
    let check = false;
    let out: string | undefined;
    const stacks: string[] = [];
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        const value = () => {
            const next = argv[++i];
            if (next === undefined || next.startsWith("--")) {
                throw new Error(`${arg} needs a value`);
            }
            return next;
        };
        if (arg === "--json") {
            json = true;
        } else if (arg === "--check") {
            check = true;
        } else if (arg === "--out") {
            out = value();
        } else if (arg.startsWith("--out=")) {
            out = arg.slice("--out=".length);
        } else if (arg === "--stack" || arg === "--stacks") {
            stacks.push(...value().split(",").filter(Boolean));
        } else if (arg.startsWith("--stack=")) {
            stacks.push(...arg.slice("--stack=".length).split(",").filter(Boolean));
        } else if (arg === "--help" || arg === "-h") {
            return "help";
        } else {
            throw new Error(`unknown argument ${arg}`);
        }
    }
    return { json, stacks, out, check };
}

async function main(): Promise<number> {
    let options: Options | LiveOptions | "help";
    try {
        const argv = process.argv.slice(2);
        options = argv.includes("--live") && !argv.includes("--help") ? parseLiveArgs(argv) : parseArgs(argv);
    } catch (error) {
        process.stderr.write(`access-report: ${(error as Error).message}\n\n${USAGE}`);
        return 2;
    }
    if (options === "help") {
        process.stdout.write(USAGE);
        return 0;
    }
    const dir = resolve(__dirname, "..");
    const { project } = readProject(dir);
    let report: AccessReport;
    if ("live" in options) {
        try {
            report = (await buildLiveReport(project, options.auditArgs)).report;
        } catch (error) {
            if (error instanceof CouldNotRunError) {
                process.stderr.write(`access-report --live: the audit could not run: ${error.message}\n${error.hint ? `hint: ${error.hint}\n` : ""}`);
                return 2;
            }
            throw error;
        }
    } else {
        report = await buildReport(project, await runStacks(dir, options.stacks));
    }
    const text = options.json ? renderJson(report) : renderMarkdown(report);
    if (options.out) {
        writeFileSync(options.out, text);
        process.stderr.write(`access-report: wrote ${options.out}${report.ok ? "" : " (some verdicts differ from the design)"}\n`);
    } else {
        process.stdout.write(text);
    }
    return options.check && !report.ok ? 1 : 0;
}

main().then(
    (code) => {
        process.exitCode = code;
    },
    (error: unknown) => {
        process.stderr.write(`access-report: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exitCode = 1;
    },
);
