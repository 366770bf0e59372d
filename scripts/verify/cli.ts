/**
 * The verify script's {@link main}: run right after `pulumi up` to prove the cross-account access.
 * The command itself is bin.ts (the package's `cross-account-s3-verify`, and `npm run verify`):
 *
 *     npm run verify -- --stack blue --source-profile green
 *     node dist/scripts/verify/bin.js --outputs blue-outputs.json --source-profile green --json
 *
 * See `args.ts` for the flags, `checks.ts` for the checks and `exitCodes.ts` for the exit codes.
 * The report goes to stdout; the "waiting for IAM" notices go to stderr, so `--json` output
 * stays one JSON document.
 */
import { parseVerifyArgs, secretFlagValues, USAGE } from "./args";
import { CheckRunner } from "./checkRunner";
import { runChecks, type RunChecksOptions } from "./checks";
import type { WaitNotice } from "./checkTypes";
import { roleCredentialProvider, sourceCredentialProvider } from "./credentials";
import { exitCouldNotRun } from "./couldNotRunExit";
import { CouldNotRunError, EXIT_OK, ExitCode } from "./exitCodes";
import { formatWaitNotice, redactValues, renderCouldNotRun, renderJson, renderTable } from "./report";
import { RunDeadline } from "./runDeadline";
import { readStackOutputs } from "./stackOutputs";
import { resolveRoleAccess, resolveTarget } from "./target";

/** Where the script reads its environment and writes its output; injectable for tests. */
export interface CliIo {
    /** The environment (PATH for `pulumi`, AWS_REGION, AWS_ENDPOINT_URL...). Default `process.env`. */
    readonly env?: NodeJS.ProcessEnv;
    /** The folder `pulumi` runs in. Default `process.cwd()`. */
    readonly cwd?: string;
    /** Writes the report. Default `process.stdout`. */
    readonly stdout?: (text: string) => void;
    /** Writes notices and progress. Default `process.stderr`. */
    readonly stderr?: (text: string) => void;
}

/**
 * Runs the script with the given arguments (without `node` and the script path) and resolves
 * with its exit code: 0 every check passed, 1 access wrong, 2 could not run.
 */
export async function main(argv: readonly string[], io: CliIo = {}): Promise<ExitCode> {
    const env = io.env ?? process.env;
    // Nothing is built with a secret; as a backstop, whatever is printed passes through redactValues with
    // the secrets known so far: the secret flags' values from the raw command line (before parsing can
    // fail), then the ExternalId from the outputs.
    const secrets: (string | undefined)[] = secretFlagValues(argv);
    const write = io.stdout ?? ((text: string) => void process.stdout.write(text));
    const writeErr = io.stderr ?? ((text: string) => void process.stderr.write(text));
    const out = (text: string): void => write(redactValues(text, secrets));
    const err = (text: string): void => writeErr(redactValues(text, secrets));
    const json = argv.includes("--json");
    try {
        const args = parseVerifyArgs(argv, env);
        secrets.push(args.externalId, args.tokenCode); // trimmed
        if (args.help) {
            out(USAGE);
            return EXIT_OK;
        }
        // The whole run, outputs included, ends by --timeout: the calls in flight are aborted at the
        // deadline, and should one not end (the credential providers' calls take no signal), the run stops anyway.
        const deadline = new RunDeadline(args.timeoutSeconds);
        let runner: CheckRunner | undefined;
        let where = args.endpoint ?? "AWS";
        const run = async (): Promise<ExitCode> => {
            const outputs = await readStackOutputs(args, { env, cwd: io.cwd });
            const target = resolveTarget(args, outputs, env);
            where = args.endpoint ?? `AWS (${target.region})`;
            // Before any AWS call: stops at once when the role needs an MFA code or ExternalId that is missing.
            const access = resolveRoleAccess(args, outputs, target);
            secrets.push(access.externalId);
            const clientTarget = { region: target.region, endpoint: args.endpoint, callTimeoutSeconds: args.callTimeoutSeconds };
            const onWait = (notice: WaitNotice): void => err(formatWaitNotice(notice) + "\n");
            runner = new CheckRunner({ waitSeconds: args.waitSeconds, onWait, deadline });
            const options: RunChecksOptions = {
                target,
                endpoint: args.endpoint,
                via: args.via,
                sourceProfile: args.sourceProfile,
                roleProfile: args.roleProfile,
                waitSeconds: args.waitSeconds,
                callTimeoutSeconds: args.callTimeoutSeconds,
                deadline,
                runner,
                assumeWith: { externalIdFrom: access.externalIdSource, mfaSerial: access.mfa?.serialNumber, mfaCode: access.mfa !== undefined },
                sourceCredentials: sourceCredentialProvider(args.sourceProfile, clientTarget),
                roleCredentials: (source) =>
                    roleCredentialProvider(
                        { via: args.via, roleArn: target.roleArn, roleProfile: args.roleProfile, externalId: access.externalId, mfa: access.mfa },
                        source,
                        clientTarget,
                    ),
                onWait,
            };
            const report = await runChecks(options);
            out(args.json ? renderJson(report) : renderTable(report));
            return report.exitCode;
        };
        try {
            const ended = await Promise.race([run(), deadline.expired.then(() => undefined)]);
            if (ended === undefined) {
                const current = runner?.current;
                if (!current && !runner) {
                    throw new CouldNotRunError(
                        `the run did not end within --timeout ${args.timeoutSeconds} s: reading the stack outputs (pulumi stack output) had not finished`,
                        "check that `pulumi stack output --stack NAME` answers in this folder (login, backend), or pass --outputs FILE; --timeout SECONDS allows longer",
                    );
                }
                throw new CouldNotRunError(
                    `the run did not end within --timeout ${args.timeoutSeconds} s: ${current ? `check ${current.id} (${current.name}) was still waiting on ${where}` : `it was still waiting on ${where}`}`,
                    `check that ${where} answers (${args.endpoint ? "--endpoint / AWS_ENDPOINT_URL" : "network, proxy settings, --region"}), or allow longer with --timeout SECONDS`,
                );
            }
            return ended;
        } finally {
            deadline.cancel();
        }
    } catch (error) {
        return exitCouldNotRun(error, (reason) => out(renderCouldNotRun(reason, json)));
    }
}
