/**
 * A role whose trust policy requires an ExternalId and MFA: what AssumeRole carries, through
 * `--via assume` (fromTemporaryCredentials) and `--via profile` (fromIni and the profile the green
 * stack renders), and that neither the ExternalId nor the MFA code is ever printed.
 *
 * moto ignores a trust policy's conditions (it does not even evaluate the trust policy on a
 * cross-account AssumeRole), so it cannot show any of this. These tests run against a fake STS and
 * S3 on a loopback port (test/fixtures/verify/fakeAws.ts) that records every request and, like
 * AWS, refuses AssumeRole unless the ExternalId, MFA device and code match. The stack outputs are
 * the real program's, recorded under mocks; the CLI runs as a child process, as a user runs it.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hermeticAwsEnv, runVerifyProcess, VerifyProcessResult } from "../scripts/emulator/verifyProcess";
import { roleCredentialProvider } from "../scripts/verify/credentials";
import { FakeAws, FakeAwsOptions, startFakeAws } from "./fixtures/verify/fakeAws";
import { recordBlueStack, recordGreenStack, RecordedStack } from "./fixtures/verify/programOutputs";
import { reportOf } from "./fixtures/verify/reportJson";
import { installStandInPulumi, StandInPulumi } from "./fixtures/verify/standInPulumi";
import { BLUE_ACCOUNT, BUCKET, GREEN_ACCOUNT, REGION } from "../harness/stackConfigs";

const EXTERNAL_ID = "ext-id-from-config-51c0";
const MFA_SERIAL = `arn:aws:iam::${GREEN_ACCOUNT}:mfa/s3-prod-user`;
const TOKEN_CODE = "492817";
/** Long-term keys for the fake (it accepts any): the default chain reads them from the environment. */
const GREEN_KEYS = { AWS_ACCESS_KEY_ID: "AKIAFAKEGREENUSER001", AWS_SECRET_ACCESS_KEY: "fake-green-secret-not-real" };

describe("verify script: roles that require an ExternalId and MFA (fake STS; moto ignores these conditions)", function () {
    this.timeout(60_000);
    let blue: RecordedStack;
    let green: RecordedStack;
    let pulumi: StandInPulumi;
    let fake: FakeAws;
    let dir: string;

    const fakeOptions: FakeAwsOptions = {
        bucket: BUCKET,
        blueAccountId: BLUE_ACCOUNT,
        greenAccountId: GREEN_ACCOUNT,
        allow: new Set(["s3:PutObject", "s3:GetObject", "s3:ListBucket"]),
        requireExternalId: EXTERNAL_ID,
        requireMfa: { serialNumber: MFA_SERIAL, tokenCode: TOKEN_CODE },
    };

    before(async () => {
        blue = await recordBlueStack({ externalId: EXTERNAL_ID, requireMfa: "true" });
        green = await recordGreenStack(blue, { mfaSerial: MFA_SERIAL });
        pulumi = await installStandInPulumi({ blue: blue.shown, green: green.shown });
        dir = await mkdtemp(join(tmpdir(), "verify-conditions-"));
    });
    beforeEach(async () => {
        fake = await startFakeAws(fakeOptions);
    });
    afterEach(async () => {
        await fake?.stop();
    });
    after(async () => {
        await pulumi?.cleanup();
        await rm(dir, { recursive: true, force: true });
    });

    const assumeRoleCalls = () => fake.requests.filter((request) => request.action === "AssumeRole");

    /** Runs the CLI as a child process against the fake; fails the test if it printed a secret. */
    async function verify(args: string[], extraEnv: Record<string, string> = GREEN_KEYS): Promise<VerifyProcessResult> {
        const result = await runVerifyProcess([...args, "--endpoint", fake.endpoint], { env: pulumi.env(hermeticAwsEnv(extraEnv)), timeoutMs: 45_000 });
        const printed = result.stdout + result.stderr;
        for (const secret of [EXTERNAL_ID, TOKEN_CODE, ...blue.secrets, ...green.secrets]) {
            assert.ok(!printed.includes(secret), `printed a secret (${secret.slice(0, 3)}…):\n${printed}`);
        }
        return result;
    }

    it("roleCredentialProvider (--via assume) sends the ExternalId, the MFA device and the code with AssumeRole", async () => {
        const provider = roleCredentialProvider(
            { via: "assume", roleArn: blue.shown.roleArn as string, roleProfile: "blue", externalId: EXTERNAL_ID, mfa: { serialNumber: MFA_SERIAL, tokenCode: TOKEN_CODE } },
            { accessKeyId: GREEN_KEYS.AWS_ACCESS_KEY_ID, secretAccessKey: GREEN_KEYS.AWS_SECRET_ACCESS_KEY },
            { region: REGION, endpoint: fake.endpoint },
        );
        const credentials = await provider();
        assert.match(credentials.accessKeyId, /^ASIAFAKE/);
        const [call] = assumeRoleCalls();
        assert.equal(call.status, 200);
        assert.equal(call.params.RoleArn, blue.shown.roleArn);
        assert.equal(call.params.ExternalId, EXTERNAL_ID);
        assert.equal(call.params.SerialNumber, MFA_SERIAL);
        assert.equal(call.params.TokenCode, TOKEN_CODE);
        assert.match(call.params.RoleSessionName, /^cross-account-verify-\d+$/);
    });

    it("--stack blue --mfa-serial --token-code: the ExternalId comes from the blue stack's secret output; every check passes", async () => {
        const result = await verify(["--stack", "blue", "--mfa-serial", MFA_SERIAL, "--token-code", TOKEN_CODE, "--json"]);
        const parsed = reportOf(result);
        assert.equal(result.exitCode, 0, result.stdout);
        assert.deepEqual(
            assumeRoleCalls().map((call) => [call.params.ExternalId, call.params.SerialNumber, call.params.TokenCode]),
            [[EXTERNAL_ID, MFA_SERIAL, TOKEN_CODE]],
        );
        assert.equal(parsed.target.externalIdFrom, "stack blue (output externalId)");
        assert.equal(parsed.target.mfaSerial, MFA_SERIAL);
        assert.equal(parsed.target.mfaCode, true);
    });

    it("--via profile --token-code: the green stack's rendered profile carries external_id and mfa_serial; the code comes from the flag", async () => {
        const configFile = join(dir, "config");
        await writeFile(configFile, green.shown.cliConfig as string, { mode: 0o600 });
        await writeFile(join(dir, "credentials"), "", { mode: 0o600 });
        const result = await verify(["--stack", "blue", "--via", "profile", "--source-profile", "green", "--token-code", TOKEN_CODE], {
            AWS_CONFIG_FILE: configFile,
            AWS_SHARED_CREDENTIALS_FILE: join(dir, "credentials"),
        });
        assert.equal(result.exitCode, 0, result.stdout);
        assert.deepEqual(
            assumeRoleCalls().map((call) => [call.params.ExternalId, call.params.SerialNumber, call.params.TokenCode]),
            [[EXTERNAL_ID, MFA_SERIAL, TOKEN_CODE]],
        );
        assert.match(result.stdout, /^ {2}sends {5}MFA code \(values not shown\)$/m);
        assert.match(result.stdout, /^PASS: all 6 checks passed/m);
    });

    it("a wrong MFA code: AssumeRole is tried once (no --wait spent on a code that cannot improve), exit 1, the hint names MFA", async () => {
        // --wait 900: had it retried, the child would be killed at 45 s (no exit code): exit 1 proves it did not.
        const result = await verify(["--stack", "blue", "--mfa-serial", MFA_SERIAL, "--token-code", "000000", "--wait", "900", "--json"]);
        const parsed = reportOf(result);
        assert.equal(result.exitCode, 1, result.stdout);
        assert.equal(assumeRoleCalls().length, 1);
        assert.equal(parsed.checks[1].status, "fail");
        assert.match(
            parsed.checks[1].hint ?? "",
            /^the role requires MFA \(output mfaRequired\): check that --mfa-serial is the green user's own device and --token-code the code it shows now/,
        );
        assert.match(parsed.checks[1].hint ?? "", /with an MFA code AssumeRole is tried once: run again with a fresh code/);
        assert.equal(parsed.checks[1].awsCalls, 1);
        assert.doesNotMatch(result.stderr, /Retry \d+ in/);
    });

    it("a wrong --external-id: AssumeRole refused, exit 1, the hint names the ExternalId and where it came from", async () => {
        const wrong = "wrong-external-id-9f2a";
        const result = await verify(["--stack", "blue", "--external-id", wrong, "--mfa-serial", MFA_SERIAL, "--token-code", TOKEN_CODE, "--json"]);
        const parsed = reportOf(result);
        assert.equal(result.exitCode, 1, result.stdout);
        assert.equal(assumeRoleCalls()[0].params.ExternalId, wrong);
        assert.match(
            parsed.checks[1].hint ?? "",
            /the role requires an ExternalId \(output externalIdRequired\): check that --external-id matches the blue stack's config externalId/,
        );
        assert.ok(!(result.stdout + result.stderr).includes(wrong), "printed the ExternalId given on the command line");
    });

    it("a wrong 2-character ExternalId (valid, and too short for the masking backstop) is sent, refused, and never printed", async () => {
        const short = "Q@";
        const result = await verify(["--stack", "blue", "--external-id", short, "--mfa-serial", MFA_SERIAL, "--token-code", TOKEN_CODE, "--json"]);
        assert.equal(result.exitCode, 1, result.stdout);
        assert.equal(assumeRoleCalls()[0].params.ExternalId, short);
        assert.ok(!(result.stdout + result.stderr).includes(short), `printed the ExternalId:\n${result.stdout}${result.stderr}`);
    });
});
