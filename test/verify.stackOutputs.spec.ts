/**
 * Where the verify script finds the role ARN, bucket and region. The `--stack` path runs a
 * stand-in `pulumi` executable (test/fixtures/verify/pulumi-stand-in.sh) put first on PATH,
 * because the real CLI cannot be installed here; it prints recorded outputs and fails like the
 * real CLI for an unknown stack.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseVerifyArgs } from "../scripts/verify/args";
import { main } from "../scripts/verify/cli";
import { CouldNotRunError, EXIT_COULD_NOT_RUN } from "../scripts/verify/exitCodes";
import { readStackOutputs, readStackOutputsFromFile, readStackOutputsFromPulumi, resolveTarget } from "../scripts/verify/stackOutputs";
import { FIXTURES_DIR, installStandInPulumi, StandInPulumi } from "./fixtures/verify/standInPulumi";

const FIXTURE_SECRET = "fixture-secret-DO-NOT-PRINT-2f9c";
const FIXTURE_KEY_ID = "AKIAFIXTUREGREEN0001";

async function rejection(promise: Promise<unknown>): Promise<CouldNotRunError> {
    try {
        await promise;
    } catch (error) {
        assert.ok(error instanceof CouldNotRunError, `expected a CouldNotRunError, got ${String(error)}`);
        return error;
    }
    assert.fail("expected a rejection");
}

function thrown(fn: () => unknown): CouldNotRunError {
    try {
        fn();
    } catch (error) {
        assert.ok(error instanceof CouldNotRunError, `expected a CouldNotRunError, got ${String(error)}`);
        return error;
    }
    assert.fail("expected an error");
}

function assertNoSecret(text: string): void {
    assert.ok(!text.includes(FIXTURE_SECRET), `printed the secret key: ${text}`);
    assert.ok(!text.includes(FIXTURE_KEY_ID), `printed the access key id: ${text}`);
}

describe("verify script: stack outputs", () => {
    describe("--stack, through a stand-in pulumi on PATH", () => {
        let pulumi: StandInPulumi;

        before(async () => {
            pulumi = await installStandInPulumi({
                blue: { fixture: "blue.json" },
                green: { fixture: "green.json" },
                "no-role": { fixture: "no-role-arn.json" },
                broken: `{"roleArn": "arn:aws:iam::111111111111:role/R", "secret": "${FIXTURE_SECRET}"`,
                list: "[1, 2]",
            });
        });
        after(async () => {
            await pulumi?.cleanup();
        });

        it("runs `pulumi stack output --json --show-secrets --stack NAME` and parses the JSON", async () => {
            const outputs = await readStackOutputsFromPulumi("blue", { env: pulumi.env() });
            assert.equal(outputs.roleArn, "arn:aws:iam::111111111111:role/CrossAccountS3Access-Role");
            assert.equal(outputs.bucketName, "cross-account-s3-access-blue-4f3a2c1");
            const calls = await pulumi.calls();
            assert.equal(calls.at(-1), "stack output --json --show-secrets --stack blue");
        });

        it("resolves role, bucket and region from the blue stack's outputs", async () => {
            const args = parseVerifyArgs(["--stack", "blue"], {});
            const target = resolveTarget(args, await readStackOutputs(args, { env: pulumi.env() }), {});
            assert.equal(target.roleArn, "arn:aws:iam::111111111111:role/CrossAccountS3Access-Role");
            assert.equal(target.role?.roleName, "CrossAccountS3Access-Role");
            assert.equal(target.roleAccountId, "111111111111");
            assert.equal(target.bucket, "cross-account-s3-access-blue-4f3a2c1");
            assert.equal(target.region, "eu-west-1");
            assert.equal(target.sources.roleArn, "stack blue (output roleArn)");
        });

        it("resolves from the green stack too, whose outputs hold secrets it never needs", async () => {
            const args = parseVerifyArgs(["--stack", "green"], {});
            const target = resolveTarget(args, await readStackOutputs(args, { env: pulumi.env() }), {});
            assert.equal(target.roleArn, "arn:aws:iam::111111111111:role/CrossAccountS3Access-Role");
            assert.equal(target.region, "eu-west-1");
            assertNoSecret(JSON.stringify(target));
        });

        it("lets --role-arn, --bucket and --region override the outputs", async () => {
            const args = parseVerifyArgs(["--stack", "blue", "--bucket", "other-bucket", "--region", "us-west-2",
                "--role-arn", "arn:aws:iam::333333333333:role/path/Other"], {});
            const target = resolveTarget(args, await readStackOutputs(args, { env: pulumi.env() }), { AWS_REGION: "ap-south-1" });
            assert.equal(target.bucket, "other-bucket");
            assert.equal(target.region, "us-west-2");
            assert.equal(target.role?.roleName, "Other");
            assert.equal(target.role?.path, "/path/");
            assert.equal(target.roleAccountId, "333333333333");
            assert.deepEqual(target.sources, { roleArn: "--role-arn", bucket: "--bucket", region: "--region" });
        });

        it("fails like the CLI for a stack that does not exist, with its message and the fix", async () => {
            const error = await rejection(readStackOutputsFromPulumi("prod", { env: pulumi.env() }));
            assert.match(error.message, /^--stack prod: `pulumi stack output` failed \(exit 255\): error: no stack named 'prod' found$/);
            assert.match(error.hint ?? "", /pulumi stack ls/);
        });

        it("names the missing roleArn output and the outputs there are, never their values", async () => {
            const args = parseVerifyArgs(["--stack", "no-role"], {});
            const outputs = await readStackOutputs(args, { env: pulumi.env() });
            const error = thrown(() => resolveTarget(args, outputs, {}));
            assert.equal(error.message, "stack no-role has no output roleArn (it has: bucketName, region, secretAccessKeys)");
            assert.match(error.hint ?? "", /pass --role-arn/);
            assertNoSecret(error.message + (error.hint ?? ""));
        });

        it("does not need roleArn with --via profile (the role profile names the role)", async () => {
            const args = parseVerifyArgs(["--stack", "no-role", "--via", "profile"], {});
            const target = resolveTarget(args, await readStackOutputs(args, { env: pulumi.env() }), {});
            assert.equal(target.roleArn, undefined);
            assert.equal(target.bucket, "cross-account-s3-access-blue-4f3a2c1");
        });

        it("refuses output that is not JSON without echoing it (it may hold secrets)", async () => {
            const error = await rejection(readStackOutputsFromPulumi("broken", { env: pulumi.env() }));
            assert.match(error.message, /^the outputs of stack broken is not JSON \(\d+ characters\)$/);
            assertNoSecret(error.message + (error.hint ?? ""));
            const list = await rejection(readStackOutputsFromPulumi("list", { env: pulumi.env() }));
            assert.match(list.message, /is not a JSON object of outputs/);
        });

        it("says clearly when the pulumi CLI is not on PATH", async () => {
            const emptyDir = await mkdtemp(join(tmpdir(), "no-pulumi-"));
            try {
                const error = await rejection(readStackOutputsFromPulumi("blue", { env: { PATH: emptyDir } }));
                assert.equal(error.message, "--stack needs the pulumi CLI, and `pulumi` was not found on PATH");
                assert.match(error.hint ?? "", /--outputs FILE/);
            } finally {
                await rm(emptyDir, { recursive: true, force: true });
            }
        });

        it("main: --stack with no roleArn output exits 2 before any AWS call, and prints no secret", async () => {
            let out = "";
            let err = "";
            const code = await main(["--stack", "no-role", "--source-profile", "green"], {
                env: pulumi.env({ PATH: process.env.PATH, AWS_EC2_METADATA_DISABLED: "true" }),
                stdout: (text) => (out += text),
                stderr: (text) => (err += text),
            });
            assert.equal(code, EXIT_COULD_NOT_RUN);
            assert.match(out, /^error: stack no-role has no output roleArn/);
            assert.match(out, /COULD NOT RUN \(exit 2\)/);
            assertNoSecret(out + err);
        });

        it("main: an unknown stack exits 2 with pulumi's own message (JSON mode too)", async () => {
            let out = "";
            const code = await main(["--stack", "staging", "--json"], { env: pulumi.env({ PATH: process.env.PATH }), stdout: (text) => (out += text), stderr: () => undefined });
            assert.equal(code, EXIT_COULD_NOT_RUN);
            const report = JSON.parse(out) as { exitCode: number; error: { message: string } };
            assert.equal(report.exitCode, 2);
            assert.match(report.error.message, /no stack named 'staging' found/);
        });
    });

    describe("--outputs FILE", () => {
        it("reads the same JSON from a file", async () => {
            const outputs = await readStackOutputsFromFile(join(FIXTURES_DIR, "blue.json"));
            assert.equal(outputs.region, "eu-west-1");
        });

        it("names the file when it cannot be read or parsed", async () => {
            const missing = await rejection(readStackOutputsFromFile("/nonexistent/outputs.json"));
            assert.equal(missing.message, "--outputs /nonexistent/outputs.json: cannot read the file (ENOENT)");
            const dir = await mkdtemp(join(tmpdir(), "outputs-"));
            try {
                const file = join(dir, "bad.json");
                await writeFile(file, `roleArn = ${FIXTURE_SECRET}`);
                const bad = await rejection(readStackOutputsFromFile(file));
                assert.match(bad.message, /^--outputs .*bad\.json is not JSON/);
                assertNoSecret(bad.message);
            } finally {
                await rm(dir, { recursive: true, force: true });
            }
        });
    });

    describe("resolveTarget checks", () => {
        const outputs = { roleArn: "arn:aws:iam::111111111111:role/R", bucketName: "b-1", region: "us-east-1" };
        const args = (extra: string[] = []) => parseVerifyArgs(["--outputs", "o.json", ...extra], {});

        it("validates the role ARN with parseRoleArn, naming where it came from", () => {
            const error = thrown(() => resolveTarget(args(), { ...outputs, roleArn: "arn:aws:iam::111111111111:user/R" }, {}));
            assert.equal(error.message, "--outputs o.json (output roleArn) is not an IAM role ARN: 'arn:aws:iam::111111111111:user/R'");
        });

        it("refuses an output of the wrong type without echoing it", () => {
            const error = thrown(() => resolveTarget(args(), { ...outputs, roleArn: [FIXTURE_SECRET] }, {}));
            assert.equal(error.message, "--outputs o.json: output roleArn is not a non-empty string (it is an array)");
        });

        it("validates bucket and region", () => {
            assert.match(thrown(() => resolveTarget(args(["--bucket", "Bad_Bucket"]), outputs, {})).message, /^--bucket is not a valid S3 bucket name/);
            assert.match(thrown(() => resolveTarget(args(["--region", "eu-west"]), outputs, {})).message, /^--region is not an AWS region/);
        });

        it("takes the region from AWS_REGION, then AWS_DEFAULT_REGION, when neither flag nor output has it", () => {
            const { region: _omit, ...noRegion } = outputs;
            void _omit;
            assert.equal(resolveTarget(args(), noRegion, { AWS_REGION: "eu-central-1", AWS_DEFAULT_REGION: "us-west-1" }).region, "eu-central-1");
            const target = resolveTarget(args(), noRegion, { AWS_DEFAULT_REGION: "us-west-1" });
            assert.equal(target.region, "us-west-1");
            assert.equal(target.sources.region, "AWS_DEFAULT_REGION");
            assert.match(thrown(() => resolveTarget(args(), noRegion, {})).message, /has no output region/);
        });

        it("takes the key prefix from --key-prefix, else the objectKeyPrefix output, else none", () => {
            assert.equal(resolveTarget(args(), outputs, {}).keyPrefix, "");
            assert.equal(resolveTarget(args(), { ...outputs, objectKeyPrefix: "uploads/" }, {}).keyPrefix, "uploads/");
            assert.equal(resolveTarget(args(["--key-prefix", "in/"]), { ...outputs, objectKeyPrefix: "uploads/" }, {}).keyPrefix, "in/");
            assert.match(thrown(() => resolveTarget(args(), { ...outputs, objectKeyPrefix: "uploads" }, {})).message,
                /^--outputs o\.json \(output objectKeyPrefix\): "uploads" is not a usable key prefix/);
        });

        it("with --via profile and no ARN, takes the role's account from blueAccountId", () => {
            const target = resolveTarget(args(["--via", "profile"]), { bucketName: "b-1", region: "us-east-1", blueAccountId: "111111111111" }, {});
            assert.equal(target.roleArn, undefined);
            assert.equal(target.roleAccountId, "111111111111");
        });
    });
});
