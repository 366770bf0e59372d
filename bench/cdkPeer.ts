/**
 * The AWS CDK peer, side by side with this project: the same setup (bench/cdk/app.js: per setup a
 * blue stack with the bucket and its settings, the managed policy and the role trusting green; a
 * green stack with the group and its policy, the user and the key), `app.synth()` for 1, 10 and 100
 * setups, with the CDK's defaults and with its template validation off (`CDK_VALIDATION=false`),
 * against this project's evaluation of the same number of setups (bench/peerSetups.ts) started as
 * the language host starts a program (Pulumi.yaml's runtime options, mock engine). Both sides are
 * timed as whole processes, interleaved, median of the runs.
 *
 * Also: the actions the CDK's grantRead, grantPut and grantReadWrite emit (read from its template),
 * against the actions of this project's policy (read from what the program registers).
 *
 * The CDK is not a dependency of the project: bench/cdk has its own package.json and lock file,
 * installed here on first use (`npm ci` in bench/cdk).
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { projectRuntime, stackConfig, startProgramOrFail } from "./engine/languageHost";
import { median } from "./stats";

const CDK_DIR = path.join(__dirname, "cdk");

/** One row of the comparison. */
export interface PeerRow {
    /** Setups evaluated (each a blue and a green stack). */
    readonly setups: number;
    /** Median whole-process wall time, ms: the CDK with its defaults (template validation on). */
    readonly cdkDefaultMs: number;
    /** The same with `CDK_VALIDATION=false`. */
    readonly cdkNoValidationMs: number;
    /** This project's evaluation of the same setups under the mock engine. */
    readonly oursMs: number;
    /** Resources in the CDK's templates, and AWS resources this project registers. */
    readonly cdkResources: number;
    readonly ourResources: number;
}

/** The actions of one policy, and each statement's actions and resources. */
export interface GrantActions {
    readonly actions: string[];
    readonly statements: { actions: string[]; resources: string[] }[];
}

/** The CDK's version, from its installed package.json. */
export function cdkVersion(): string {
    return JSON.parse(readFileSync(path.join(CDK_DIR, "node_modules/aws-cdk-lib/package.json"), "utf8")).version;
}

/** Installs bench/cdk from its lock file unless aws-cdk-lib is already there. */
export function ensureCdkInstalled(log: (line: string) => void = () => {}): void {
    if (existsSync(path.join(CDK_DIR, "node_modules/aws-cdk-lib/package.json"))) {
        return;
    }
    log("installing the CDK peer (npm ci in bench/cdk)");
    const result = spawnSync("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: CDK_DIR, stdio: "inherit" });
    if (result.status !== 0) {
        throw new Error(`npm ci in bench/cdk exited ${result.status ?? result.error?.message}`);
    }
}

/** Runs a node script to its end; fails with its output unless it exits 0. */
function runNode(args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<{ wallMs: number; stdout: string }> {
    return new Promise((resolve, reject) => {
        const started = performance.now();
        const child = spawn(process.execPath, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
        let out = "";
        let err = "";
        child.stdout.on("data", (chunk) => (out += chunk));
        child.stderr.on("data", (chunk) => (err += chunk));
        child.on("error", reject);
        child.on("close", (code) => {
            const wallMs = performance.now() - started;
            if (code !== 0) {
                reject(new Error(`node ${args.join(" ")} exited ${code}:\n${(out + err).slice(-2000)}`));
            } else {
                resolve({ wallMs, stdout: out });
            }
        });
    });
}

/** One CDK synth of `setups` setups as a whole process. */
async function runCdk(setups: number, validation: boolean): Promise<{ wallMs: number; resources: number }> {
    const outdir = mkdtempSync(path.join(os.tmpdir(), "cdk-out-"));
    try {
        const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, TMPDIR: os.tmpdir() };
        if (!validation) {
            env.CDK_VALIDATION = "false";
        }
        const { wallMs, stdout } = await runNode(["app.js", String(setups), outdir], env, CDK_DIR);
        const report = JSON.parse(stdout.trim().split("\n").pop()!) as { resources: number; stacks: number };
        if (report.stacks !== 2 * setups) {
            throw new Error(`the CDK app made ${report.stacks} stacks for ${setups} setups`);
        }
        return { wallMs, resources: report.resources };
    } finally {
        rmSync(outdir, { recursive: true, force: true });
    }
}

/** This project's evaluation of `setups` setups, started as the language host starts a program. */
async function runOurs(setups: number): Promise<{ wallMs: number; resources: number }> {
    const run = await startProgramOrFail({
        stack: "peer",
        config: { "aws:region": "eu-west-1" },
        main: path.relative(path.resolve(__dirname, ".."), path.join(__dirname, "peerSetups.ts")),
        runtime: projectRuntime(),
        env: { SETUPS: String(setups) },
    });
    return { wallMs: run.wallMs, resources: run.registrations.filter((r) => r.custom && r.type.startsWith("aws:")).length };
}

/** The comparison for each setup count, `runs` interleaved rounds each. */
export async function measurePeer(setupCounts: number[], runs: number, log: (line: string) => void = () => {}): Promise<PeerRow[]> {
    ensureCdkInstalled(log);
    const rows: PeerRow[] = [];
    for (const setups of setupCounts) {
        const samples = { cdkDefault: [] as number[], cdkNoValidation: [] as number[], ours: [] as number[] };
        let cdkResources = 0;
        let ourResources = 0;
        for (let round = 1; round <= runs; round++) {
            const withValidation = await runCdk(setups, true);
            const withoutValidation = await runCdk(setups, false);
            const ours = await runOurs(setups);
            samples.cdkDefault.push(withValidation.wallMs);
            samples.cdkNoValidation.push(withoutValidation.wallMs);
            samples.ours.push(ours.wallMs);
            cdkResources = withValidation.resources;
            ourResources = ours.resources;
            log(`CDK peer: ${setups} setups, round ${round}/${runs} done`);
        }
        rows.push({
            setups,
            cdkDefaultMs: median(samples.cdkDefault),
            cdkNoValidationMs: median(samples.cdkNoValidation),
            oursMs: median(samples.ours),
            cdkResources,
            ourResources,
        });
    }
    return rows;
}

/** What the CDK's grantRead, grantPut and grantReadWrite emit, from its synthesized template. */
export async function cdkGrants(): Promise<Record<"grantRead" | "grantPut" | "grantReadWrite", GrantActions>> {
    ensureCdkInstalled();
    const outdir = mkdtempSync(path.join(os.tmpdir(), "cdk-grants-"));
    try {
        const { stdout } = await runNode(["grants.js", outdir], { PATH: process.env.PATH, HOME: process.env.HOME }, CDK_DIR);
        return JSON.parse(stdout.trim().split("\n").pop()!);
    } finally {
        rmSync(outdir, { recursive: true, force: true });
    }
}

/** The actions of the managed policy this project's blue stack registers (read-write, and with readOnly). */
export async function ourGrants(): Promise<Record<"readWrite" | "readOnly", GrantActions>> {
    const policyOf = async (overrides: Record<string, unknown>): Promise<GrantActions> => {
        const config = stackConfig("blue", overrides);
        const run = await startProgramOrFail({ stack: "blue", config, main: "index.ts", runtime: projectRuntime() });
        const bucket = config[Object.keys(config).find((key) => key.endsWith(":bucketName"))!];
        const policies = run.registrations.filter((r) => r.type === "aws:iam/policy:Policy");
        if (policies.length !== 1) {
            throw new Error(`expected one managed policy, the blue stack registered ${policies.length}`);
        }
        const document = JSON.parse(String(policies[0].inputs.policy)) as { Statement: { Action: string | string[]; Resource: string | string[] }[] };
        const list = (value: string | string[]) => (Array.isArray(value) ? value : [value]);
        const statements = document.Statement.map((s) => ({
            actions: list(s.Action).sort(),
            resources: list(s.Resource).map((r) => r.replace(`arn:aws:s3:::${bucket}`, "BUCKET")),
        }));
        return { actions: [...new Set(statements.flatMap((s) => s.actions))].sort(), statements };
    };
    return { readWrite: await policyOf({}), readOnly: await policyOf({ readOnly: true }) };
}
