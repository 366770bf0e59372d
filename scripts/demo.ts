/**
 * `npm run demo`: the whole cross-account flow in one command, on a machine with no AWS account.
 *
 * It starts moto (a local AWS emulator) on a free loopback port, creates both emulated accounts
 * from the program's own policy documents and default names, prints the AWS CLI profiles the
 * component renders (secret masked), runs the verify script exactly as a user runs it after
 * `pulumi up`, and stops moto. It does not run the Pulumi engine and touches no real AWS.
 * It says what the run proved only when the verify script exited 0; otherwise it says plainly that
 * the demo failed. Exit code: the verify script's (0 when every check passed, 1 access wrong, 2 could
 * not run), or 2 if the demo itself could not run or the script was killed.
 */
import { PolicyDocument } from "../components/policyDocument";
import type { EmulatedAccountsOptions } from "./emulator/emulatedAccounts";
import { maskSecrets } from "./emulator/awsConfigFiles";
import { MotoNotInstalledError, MotoServer, startMotoServer } from "./emulator/motoServer";
import { prepareScenario, Scenario } from "./emulator/scenario";
import { runVerifyProcess } from "./emulator/verifyProcess";
import { formatDuration } from "./verify/report";

const INTRO = `S3 cross-account access: local demo
===================================
This demo runs on moto, a local AWS emulator on 127.0.0.1. It needs no AWS account, touches no
real AWS resource, and does NOT go through the Pulumi engine: it creates the emulated resources
directly from the same policy documents and names the components use, then runs the same verify
script you run after \`pulumi up\`.
`;

const PROVES = `What this proved (moto enforces these with real HTTP and SigV4):
  - the green user's key works only for what green's group allows: sts:AssumeRole on the one role;
  - the role session lives in the blue account and can PutObject, ListObjectsV2 and GetObject
    on the bucket, and is refused the 7 probed actions of check 6 (S3 delete and bucket policy,
    listing buckets, IAM, KMS): what was probed, not a proof that nothing else is allowed;
  - the rendered 'green'/'blue' CLI profiles and the verify script work as a user runs them.
What it did not prove (moto does not check these; the IAM simulator tests and a real deploy do):
  - the role's trust policy (moto skips it on a cross-account AssumeRole);
  - bucket policies (moto ignores their Allows and evaluates no aws:SecureTransport condition, so
    the component's TLS-only bucket policy is left out here);
  - the Pulumi program itself (providers, StackReference, secrets) and IAM's propagation delay.
After a real \`pulumi up\`, run:  npm run verify -- --stack blue --source-profile green
`;

/** Options of {@link runDemo}; the defaults are the demo as `npm run demo` runs it. */
export interface DemoOptions {
    /** Where the demo's own lines go. Default: stdout. */
    readonly log?: (text: string) => void;
    /** Copy the verify script's output to ours as it comes. Default `true`. */
    readonly echo?: boolean;
    /** Changes to the emulated setup (tests use it to make the demo fail). Default: none, the components' own setup. */
    readonly scenario?: Omit<EmulatedAccountsOptions, "endpoint">;
    /** Flags added to the verify command line, e.g. `--wait 0`. Default: none. */
    readonly extraVerifyArgs?: readonly string[];
}

/** Runs the demo and resolves with its exit code: 0 only when the verify script passed. */
export async function runDemo(options: DemoOptions = {}): Promise<number> {
    const log = options.log ?? ((text: string) => void process.stdout.write(text + "\n"));
    log(INTRO);
    let moto: MotoServer | undefined;
    let scenario: Scenario | undefined;
    const stopAll = async (): Promise<void> => {
        await scenario?.cleanup();
        scenario = undefined;
        await moto?.stop();
        moto = undefined;
    };
    const onSignal = (): void => {
        void stopAll().then(() => process.exit(130));
    };
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
    try {
        const started = Date.now();
        log("[1/5] Starting moto_server on a free loopback port ...");
        try {
            moto = await startMotoServer();
        } catch (error) {
            if (error instanceof MotoNotInstalledError) {
                log(`      ${error.message}`);
                return 2;
            }
            throw error;
        }
        log(`      ${moto.endpoint} (pid ${moto.pid}), up in ${formatDuration(Date.now() - started)}\n`);

        log("[2/5] Creating both emulated accounts from the components' own documents and defaults (components/bucketAccessRole.ts, assumeRoleUsers.ts)");
        scenario = await prepareScenario(moto, options.scenario);
        const { accounts } = scenario;
        const { blue, green } = accounts;
        log(`      blue  ${blue.accountId}  bucket ${blue.bucketName} (${accounts.region}): ${blue.bucketSettings.join(", ")}`);
        log(`                          managed policy ${blue.policyArn}, attached to the role:`);
        logStatements(log, JSON.parse(blue.documents.accessPolicy) as PolicyDocument);
        log(`                          role ${blue.roleName}, trust policy:`);
        logStatements(log, JSON.parse(blue.documents.trustPolicy) as PolicyDocument);
        log(`                          (the component's TLS-only bucket policy is left out: moto would deny every object call with it)`);
        log(`      green ${green.accountId}  group ${green.groupName}, inline policy:`);
        logStatements(log, JSON.parse(green.groupPolicy) as PolicyDocument);
        log(`                          user ${green.userName}, in the group, with an access key\n`);

        log("[3/5] IAM enforcement is on: moto now checks every request's signature and identity policies\n");

        log(`[4/5] The AWS CLI profiles the component renders (components/cliProfiles.ts), secret masked,`);
        log(`      written with mode 0600 to a temporary AWS_CONFIG_FILE (${scenario.files.configFile}):\n`);
        log(indent(maskSecrets(scenario.files.configText).trimEnd(), "      "));
        log("");

        const args = ["--outputs", scenario.outputsFile, "--source-profile", "green", "--endpoint", moto.endpoint, ...(options.extraVerifyArgs ?? [])];
        log("[5/5] Running the verify script as a user does after `pulumi up` (here with the emulated stack outputs):");
        log(`      $ npm run verify -- ${args.join(" ")}\n`);
        const result = await runVerifyProcess(args, { env: scenario.env, echo: options.echo ?? true, timeoutMs: 120_000 });
        log(`      (the verify script's wall time: ${formatDuration(result.durationMs)}, exit code ${result.exitCode ?? "none: killed after 120 s"})\n`);
        if (result.exitCode === 0) {
            log(PROVES);
            return 0;
        }
        log(
            `THE DEMO FAILED: the verify script ${result.exitCode === null ? "was killed after 120 s" : `exited ${result.exitCode}`}, so this run proved nothing. ` +
                "Its report above says which check did not pass and why.",
        );
        return result.exitCode || 2;
    } catch (error) {
        log(`The demo could not run: ${error instanceof Error ? error.message : String(error)}`);
        if (moto) {
            log(`moto's last output:\n${indent(moto.recentOutput(), "  ")}`);
        }
        return 2;
    } finally {
        await stopAll();
        process.removeListener("SIGINT", onSignal);
        process.removeListener("SIGTERM", onSignal);
        log("moto stopped; temporary files removed.");
    }
}

function logStatements(log: (text: string) => void, document: PolicyDocument): void {
    for (const statement of document.Statement) {
        const principal = statement.Principal === undefined ? "" : ` for ${JSON.stringify(statement.Principal)}`;
        const on = statement.Resource ? ` on ${statement.Resource.join(", ")}` : "";
        log(`                            ${statement.Effect} ${statement.Action.join(", ")}${on}${principal}`);
    }
}

function indent(text: string, prefix: string): string {
    return text
        .split("\n")
        .map((line) => prefix + line)
        .join("\n");
}

if (require.main === module) {
    void runDemo().then((code) => {
        process.exitCode = code;
    });
}
