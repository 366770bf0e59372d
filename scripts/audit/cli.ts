/**
 * The audit's {@link main}: is what is live still exactly what was designed? The command itself is
 * bin.ts (the package's `cross-account-s3-audit`, and `npm run audit`):
 *
 *     npm run audit -- --stack blue --blue-profile audit-blue --green-profile audit-green
 *     cross-account-s3-audit --outputs blue-outputs.json --blue-config blue-config.json --json
 *
 * {@link runAudit} is the audit without printing, for other tools (the access report's `--live`).
 * See args.ts for the flags and exit codes, docs/audit.md for the whole story.
 */
import { exitCouldNotRun } from "../verify/couldNotRunExit";
import { EXIT_OK, ExitCode } from "../verify/exitCodes";
import { redactValues } from "../verify/report";
import { outputsLabel, readStackOutputs } from "../verify/stackOutputs";
import { AuditFlags, parseAuditArgs, USAGE } from "./args";
import { AuditCaller, Deadline } from "./auditCaller";
import type { AuditAccount } from "./awsCalls";
import { AccountClients, createAccountClients, SentCall } from "./clients";
import { AuditCheck, compareBlue, compareGreen } from "./compare";
import { AuditDesign, AuditSettings, buildDesign } from "./design";
import { checkAccount, LiveBlue, LiveGreen, readBlue, readGreen } from "./liveState";
import { auditReadPolicy } from "./readOnlyPolicy";
import { AuditReport, buildReport, renderCouldNotRun, renderJson, renderTable } from "./report";
import { resolveSettings } from "./settings";
import { readStackConfigFile } from "./stackConfigFile";

/** Where the audit reads its environment and writes its output; injectable for tests. */
export interface AuditIo {
    /** The environment (PATH for `pulumi`, AWS_CONFIG_FILE, AWS_REGION, AWS_ENDPOINT_URL...). Default `process.env`. */
    readonly env?: NodeJS.ProcessEnv;
    /** The folder `pulumi` runs in. Default `process.cwd()`. */
    readonly cwd?: string;
    /** Writes the report. Default `process.stdout`. */
    readonly stdout?: (text: string) => void;
}

/** Everything one audit found: the settings and design, what was read, the report and the calls made. */
export interface AuditRun {
    /** The settings the design was built from. ExternalId included: never print it. */
    readonly settings: AuditSettings;
    /** The design. */
    readonly design: AuditDesign;
    /** What was read, per audited account. */
    readonly live: { readonly blue?: LiveBlue; readonly green?: LiveGreen };
    /** The comparison. */
    readonly report: AuditReport;
    /** Every AWS call made, in order. */
    readonly sent: readonly SentCall[];
}

/** Reads the settings as the audit would (no AWS call) and renders that account's read-only policy as JSON. */
export async function renderReadOnlyPolicy(flags: AuditFlags, account: AuditAccount, io: Pick<AuditIo, "env" | "cwd"> = {}): Promise<string> {
    const { settings } = await readSettings(flags, io);
    const policy = auditReadPolicy(
        account,
        account === "blue"
            ? { accountId: settings.blueAccountId, partition: settings.partition, iamPath: settings.iamPath, roleName: settings.roleName, bucketName: settings.bucketName }
            : { accountId: settings.greenAccountId, partition: settings.partition, iamPath: settings.iamPath, groupName: settings.groupName },
    );
    return JSON.stringify(policy, null, 2) + "\n";
}

/** The settings from the flags, the outputs and the config files. */
async function readSettings(flags: AuditFlags, io: Pick<AuditIo, "env" | "cwd">): Promise<ReturnType<typeof resolveSettings>> {
    const env = io.env ?? process.env;
    const outputs = await readStackOutputs(flags, { env, cwd: io.cwd });
    const blueConfig = flags.blueConfigFile === undefined ? undefined : await readStackConfigFile(flags.blueConfigFile, "--blue-config");
    const greenConfig = flags.greenConfigFile === undefined ? undefined : await readStackConfigFile(flags.greenConfigFile, "--green-config");
    return resolveSettings({
        flags,
        outputs: outputs ? { values: outputs, label: outputsLabel(flags) ?? "the outputs" } : undefined,
        blueConfig,
        greenConfig,
        env,
    });
}

/** Runs the audit (reads, compares) without printing; throws a {@link CouldNotRunError} when it cannot. */
export async function runAudit(flags: AuditFlags, io: Pick<AuditIo, "env" | "cwd"> = {}): Promise<AuditRun> {
    const env = io.env ?? process.env;
    const { settings } = await readSettings(flags, io);
    const design = buildDesign(settings);

    const sides: AuditAccount[] = flags.side === "both" ? ["blue", "green"] : [flags.side];
    const credentials: Record<AuditAccount, string> = {
        blue: flags.blueProfile !== undefined ? `--blue-profile ${flags.blueProfile}` : "the default credential chain",
        green: flags.greenProfile !== undefined ? `--green-profile ${flags.greenProfile}` : "the default credential chain",
    };
    const deadline = new Deadline(flags.timeoutSeconds * 1000);
    const caller = new AuditCaller({ endpoint: flags.endpoint, region: settings.region, credentials, timeoutSeconds: flags.timeoutSeconds }, deadline);
    const sent: SentCall[] = [];
    const clients: Partial<Record<AuditAccount, AccountClients>> = {};
    for (const side of sides) {
        clients[side] = createAccountClients({
            account: side,
            region: settings.region,
            endpoint: flags.endpoint,
            profile: side === "blue" ? flags.blueProfile : flags.greenProfile,
            env,
            sent,
        });
    }
    try {
        const [blue, green] = await Promise.all([
            clients.blue &&
                (async () => {
                    const accountId = await checkAccount(caller, clients.blue!, settings.blueAccountId, credentials.blue);
                    return readBlue(caller, clients.blue!, { roleName: settings.roleName, bucketName: settings.bucketName }, accountId);
                })(),
            clients.green &&
                (async () => {
                    const accountId = await checkAccount(caller, clients.green!, settings.greenAccountId, credentials.green);
                    return readGreen(caller, clients.green!, settings.groupName, accountId);
                })(),
        ]);
        const checks: AuditCheck[] = [...(blue ? compareBlue(design, blue) : []), ...(green ? compareGreen(design, green) : [])];
        const accounts = Object.fromEntries(sides.map((side) => [side, side === "blue" ? settings.blueAccountId : settings.greenAccountId]));
        return { settings, design, live: { blue, green }, report: buildReport(checks, accounts, settings.region), sent };
    } finally {
        deadline.clear();
        Object.values(clients).forEach((c) => c?.destroy());
    }
}

/**
 * Runs the audit with the given arguments (without `node` and the script path) and resolves with
 * its exit code: 0 clean, 1 drift, 2 could not run.
 */
export async function main(argv: readonly string[], io: AuditIo = {}): Promise<ExitCode> {
    const write = io.stdout ?? ((text: string) => void process.stdout.write(text));
    // Nothing is built with the ExternalId (statements show it as ****); as a backstop, it is masked in whatever is printed.
    const secrets: (string | undefined)[] = [];
    const out = (text: string): void => write(redactValues(text, secrets));
    const json = argv.includes("--json");
    try {
        const flags = parseAuditArgs(argv, io.env ?? process.env);
        if (flags.help) {
            out(USAGE);
            return EXIT_OK;
        }
        if (flags.printPolicy !== undefined) {
            out(await renderReadOnlyPolicy(flags, flags.printPolicy, io));
            return EXIT_OK;
        }
        const run = await runAudit(flags, io);
        secrets.push(run.settings.externalId);
        out(flags.json ? renderJson(run.report) : renderTable(run.report));
        return run.report.exitCode;
    } catch (error) {
        return exitCouldNotRun(error, (reason) => out(renderCouldNotRun(reason, json)));
    }
}
