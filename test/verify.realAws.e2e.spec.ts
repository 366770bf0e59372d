/**
 * The verify script against real AWS, after a real `pulumi up`. Skipped (with the reason printed)
 * unless it is told which deployment to check and the source credentials resolve:
 *
 *   CROSS_ACCOUNT_E2E_STACK=blue            the stack whose outputs name role, bucket and region
 *                                           (read with the pulumi CLI, run from the project folder)
 *   CROSS_ACCOUNT_E2E_OUTPUTS=FILE          or those outputs saved with `pulumi stack output --json`
 *   CROSS_ACCOUNT_E2E_SOURCE_PROFILE=green  the profile with the green user's keys (default: green)
 *   CROSS_ACCOUNT_E2E_ROLE_PROFILE=blue     also check through this role profile (--via profile)
 *   CROSS_ACCOUNT_E2E_WAIT=60               --wait, in seconds (default 60)
 *
 *   CROSS_ACCOUNT_E2E_STACK=blue npx mocha test/verify.realAws.e2e.spec.ts
 *
 * It writes and overwrites one object, `cross-account-verify/probe.txt`, in the bucket.
 */
import assert from "node:assert/strict";
import { fromIni } from "@aws-sdk/credential-providers";
import { parseRoleArn } from "../components/arns";
import { runVerifyProcess, VerifyProcessResult } from "../scripts/emulator/verifyProcess";
import type { VerifyReport } from "../scripts/verify/checkTypes";
import { reportOf } from "./fixtures/verify/reportJson";

const stack = process.env.CROSS_ACCOUNT_E2E_STACK?.trim() || undefined;
const outputsFile = process.env.CROSS_ACCOUNT_E2E_OUTPUTS?.trim() || undefined;
const sourceProfile = process.env.CROSS_ACCOUNT_E2E_SOURCE_PROFILE?.trim() || "green";
const roleProfile = process.env.CROSS_ACCOUNT_E2E_ROLE_PROFILE?.trim() || undefined;
const waitSeconds = process.env.CROSS_ACCOUNT_E2E_WAIT?.trim() || "60";

/** The user's environment, minus anything that would send the calls to an emulator. */
function realAwsEnv(): NodeJS.ProcessEnv {
    const env = { ...process.env };
    for (const name of Object.keys(env)) {
        if (name.startsWith("AWS_ENDPOINT_URL")) {
            delete env[name];
        }
    }
    return env;
}

function assertAllPassed(result: VerifyProcessResult): VerifyReport {
    const report = reportOf(result);
    const failures = report.checks.filter((check) => check.status !== "pass").map((check) => `${check.id} ${check.name}: ${check.status} ${check.detail} (${check.hint ?? ""})`);
    assert.deepEqual(failures, [], `exit ${result.exitCode}`);
    assert.equal(result.exitCode, 0);
    assert.equal(report.checks.length, 6);
    const source = report.identities.source;
    const role = report.identities.role;
    assert.ok(source && role, "the report names both identities");
    assert.notEqual(role.account, source.account, "the role must be in another account than the green user");
    if (report.target.roleArn) {
        assert.equal(role.account, parseRoleArn(report.target.roleArn)?.accountId, "assumed a role in the blue account");
        assert.match(role.arn, new RegExp(`:assumed-role/${parseRoleArn(report.target.roleArn)?.roleName}/`));
    }
    return report;
}

describe("verify script against real AWS (CROSS_ACCOUNT_E2E_STACK / CROSS_ACCOUNT_E2E_OUTPUTS)", function () {
    this.timeout((Number(waitSeconds) + 120) * 1000);
    const targetArgs = stack ? ["--stack", stack] : outputsFile ? ["--outputs", outputsFile] : [];

    before(async function () {
        if (targetArgs.length === 0) {
            console.warn("\n  SKIPPED the real-AWS suite: set CROSS_ACCOUNT_E2E_STACK (a deployed blue stack) or CROSS_ACCOUNT_E2E_OUTPUTS (its saved outputs) to run it\n");
            this.skip();
        }
        try {
            const credentials = await fromIni({ profile: sourceProfile })();
            assert.ok(credentials.accessKeyId);
        } catch (error) {
            console.warn(
                `\n  SKIPPED the real-AWS suite: the source profile '${sourceProfile}' has no usable credentials ` +
                    `(${error instanceof Error ? error.message : String(error)}); set CROSS_ACCOUNT_E2E_SOURCE_PROFILE\n`,
            );
            this.skip();
        }
    });

    it("passes every check through AssumeRole from the green profile", async () => {
        const result = await runVerifyProcess([...targetArgs, "--source-profile", sourceProfile, "--wait", waitSeconds, "--json"], {
            env: realAwsEnv(),
            timeoutMs: (Number(waitSeconds) + 90) * 1000,
        });
        const report = assertAllPassed(result);
        console.log(`    real AWS: ${report.awsCalls} calls, checks ${report.durationMs} ms, process ${result.durationMs} ms`);
    });

    it("passes every check through the role profile (role_arn + source_profile), when CROSS_ACCOUNT_E2E_ROLE_PROFILE is set", async function () {
        if (!roleProfile) {
            console.warn("    SKIPPED: set CROSS_ACCOUNT_E2E_ROLE_PROFILE (e.g. blue) to check the role profile too");
            this.skip();
        }
        const result = await runVerifyProcess(
            [...targetArgs, "--via", "profile", "--role-profile", roleProfile as string, "--source-profile", sourceProfile, "--wait", waitSeconds, "--json"],
            { env: realAwsEnv(), timeoutMs: (Number(waitSeconds) + 90) * 1000 },
        );
        assertAllPassed(result);
    });
});
