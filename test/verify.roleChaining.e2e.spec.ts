/**
 * The green identity is itself a role session (role chaining), on a fake STS that records every
 * request: a CI job's OIDC role (a web identity profile) as `--source-profile`, reached through
 * `--endpoint` like every other STS call (fromIni does not hand its `clientConfig` to the web
 * identity call; credentials.ts builds that call's role assumer), and the one-hour cap AWS puts on a
 * chained session, which the script names with the profile's `duration_seconds`. moto cannot show
 * either: it answers an unsigned AssumeRoleWithWebIdentity with a 500 once IAM is enforced. The moto
 * suite shows the chain from a green role profile with IAM enforced.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hermeticAwsEnv, runVerifyProcess } from "../scripts/emulator/verifyProcess";
import { FakeAws, startFakeAws } from "./fixtures/verify/fakeAws";
import { reportOf } from "./fixtures/verify/reportJson";
import { BLUE_ACCOUNT, BUCKET, GREEN_ACCOUNT, REGION } from "../harness/stackConfigs";

const BLUE_ROLE = `arn:aws:iam::${BLUE_ACCOUNT}:role/CrossAccountS3Access-Role`;
const GREEN_CI_ROLE = `arn:aws:iam::${GREEN_ACCOUNT}:role/ci-deployer`;

describe("verify script: the source profile is itself a role (role chaining), on a fake STS", function () {
    this.timeout(60_000);
    let fake: FakeAws;
    let dir: string;

    beforeEach(async () => {
        fake = await startFakeAws({
            bucket: BUCKET,
            blueAccountId: BLUE_ACCOUNT,
            greenAccountId: GREEN_ACCOUNT,
            allow: new Set(["s3:PutObject", "s3:GetObject", "s3:ListBucket"]),
        });
        dir = await mkdtemp(join(tmpdir(), "verify-chain-"));
        await writeFile(join(dir, "token"), "eyJhbGciOiJub25lIn0.eyJzdWIiOiJyZXBvOmV4YW1wbGUvYXBwIn0.", { mode: 0o600 });
        await writeFile(
            join(dir, "config"),
            [
                "[profile green-ci]",
                `role_arn = ${GREEN_CI_ROLE}`,
                `web_identity_token_file = ${join(dir, "token")}`,
                "role_session_name = ci-job",
                `region = ${REGION}`,
                "",
                "[profile blue]",
                `role_arn = ${BLUE_ROLE}`,
                "source_profile = green-ci",
                `region = ${REGION}`,
                "",
                "[profile blue-long]",
                `role_arn = ${BLUE_ROLE}`,
                "source_profile = green-ci",
                "duration_seconds = 7200",
                `region = ${REGION}`,
                "",
            ].join("\n"),
            { mode: 0o600 },
        );
    });
    afterEach(async () => {
        await fake?.stop();
        await rm(dir, { recursive: true, force: true });
    });

    const run = (args: string[]) =>
        runVerifyProcess(["--role-arn", BLUE_ROLE, "--bucket", BUCKET, "--region", REGION, "--endpoint", fake.endpoint, "--wait", "0", "--json", ...args], {
            env: hermeticAwsEnv({ AWS_CONFIG_FILE: join(dir, "config"), AWS_SHARED_CREDENTIALS_FILE: join(dir, "none") }),
            timeoutMs: 45_000,
        });

    it("a web identity (OIDC) role profile as --source-profile: its AssumeRoleWithWebIdentity goes to --endpoint, and every check passes through both --via", async () => {
        for (const via of [
            ["--via", "assume"],
            ["--via", "profile", "--role-profile", "blue"],
        ]) {
            const result = await run(["--source-profile", "green-ci", ...via]);
            const report = reportOf(result);
            assert.equal(result.exitCode, 0, result.stdout);
            assert.match(report.identities.source?.arn ?? "", new RegExp(`^arn:aws:sts::${GREEN_ACCOUNT}:assumed-role/ci-deployer/ci-job$`));
            assert.match(report.identities.role?.arn ?? "", new RegExp(`^arn:aws:sts::${BLUE_ACCOUNT}:assumed-role/CrossAccountS3Access-Role/`));
        }
        const webIdentity = fake.requests.filter((request) => request.action === "AssumeRoleWithWebIdentity");
        assert.ok(webIdentity.length >= 2, "the web identity call reached the fake, not AWS");
        assert.ok(webIdentity.every((request) => request.params.RoleArn === GREEN_CI_ROLE));
        // The chained AssumeRole asks for STS's default hour at most (no DurationSeconds, or the profile's 3600).
        for (const request of fake.requests.filter((r) => r.action === "AssumeRole")) {
            assert.ok(Number(request.params.DurationSeconds ?? "3600") <= 3600, JSON.stringify(request.params));
        }
    });

    it("a chained role profile asking for more than an hour (duration_seconds 7200): exit 2, naming duration_seconds in that profile", async () => {
        const result = await run(["--source-profile", "green-ci", "--via", "profile", "--role-profile", "blue-long"]);
        const report = reportOf(result);
        assert.equal(result.exitCode, 2, result.stdout);
        assert.deepEqual(
            report.checks.map((check) => check.status),
            ["pass", "error", "skipped", "skipped", "skipped", "skipped"],
        );
        assert.equal(report.checks[1].errorCode, "ValidationError");
        assert.match(
            report.checks[1].hint ?? "",
            /^the source identity is itself a role session \(role chaining\), and AWS caps .* at 1 hour: set duration_seconds in profile blue-long to 3600 or less/,
        );
        const assumeRole = fake.requests.filter((request) => request.action === "AssumeRole");
        assert.deepEqual(
            assumeRole.map((request) => request.params.DurationSeconds),
            ["7200"],
            "asked once: a validation error is not retried",
        );
    });
});
