/**
 * The bounded backoff that waits out IAM's eventual consistency, on a fake clock (no real
 * waiting), which errors it treats as "refused, maybe not yet propagated" or "access key not known
 * yet", and the checks waiting for a brand-new access key on a fake STS that answers as AWS does.
 */
import assert from "node:assert/strict";
import { hermeticAwsEnv, runVerifyProcess, VerifyProcessResult } from "../scripts/emulator/verifyProcess";
import { describeAwsError, isAccessDenied, isUnknownAccessKey, maskAccessKeyIds } from "../scripts/verify/awsErrors";
import { runChecks } from "../scripts/verify/checks";
import type { WaitNotice } from "../scripts/verify/checkTypes";
import { roleCredentialProvider } from "../scripts/verify/credentials";
import { EXIT_COULD_NOT_RUN, EXIT_OK } from "../scripts/verify/exitCodes";
import { formatWaitNotice, redactValues } from "../scripts/verify/report";
import { backoffDelayMs, retryWithBackoff, RetryNotice } from "../scripts/verify/retry";
import { parseVerifyArgs } from "../scripts/verify/args";
import { resolveTarget } from "../scripts/verify/target";
import { FakeAwsOptions, startFakeAws } from "./fixtures/verify/fakeAws";
import { BLUE_ACCOUNT, BUCKET, GREEN_ACCOUNT, REGION } from "../harness/stackConfigs";

/** A clock that only moves when the code under test sleeps. */
function fakeClock(start = 1_000_000) {
    let now = start;
    const sleeps: number[] = [];
    return {
        now: () => now,
        sleep: async (ms: number) => {
            sleeps.push(ms);
            now += ms;
        },
        advance: (ms: number) => {
            now += ms;
        },
        sleeps,
    };
}

/** An error shaped like the SDK's: a name, and the HTTP status in $metadata. */
function awsError(name: string, httpStatusCode?: number, message = `${name} message`): Error {
    const error = new Error(message);
    error.name = name;
    Object.assign(error, { $metadata: { httpStatusCode }, $fault: "client" });
    return error;
}

describe("verify script: waiting for IAM (AccessDenied, an access key not known yet)", () => {
    it("backs off 1, 2, 4, 8, 8 s", () => {
        assert.deepEqual(
            [1, 2, 3, 4, 5].map((attempt) => backoffDelayMs(attempt)),
            [1000, 2000, 4000, 8000, 8000],
        );
    });

    it("retries a refusal until it is allowed, telling each wait", async () => {
        const clock = fakeClock();
        const notices: RetryNotice[] = [];
        let calls = 0;
        const outcome = await retryWithBackoff(
            async (attempt) => {
                calls++;
                clock.advance(100); // each call takes 100 ms
                if (attempt < 3) {
                    throw awsError("AccessDenied", 403);
                }
                return "credentials";
            },
            { maxWaitMs: 60_000, isRetryable: isAccessDenied, now: clock.now, sleep: clock.sleep, onRetry: (notice) => notices.push(notice) },
        );

        assert.deepEqual(outcome, { ok: true, value: "credentials", attempts: 3, elapsedMs: 3300 });
        assert.equal(calls, 3);
        assert.deepEqual(clock.sleeps, [1000, 2000]);
        assert.deepEqual(
            notices.map((notice) => [notice.attempt, notice.delayMs, notice.elapsedMs, notice.maxWaitMs]),
            [
                [1, 1000, 100, 60_000],
                [2, 2000, 1200, 60_000],
            ],
        );
    });

    it("gives up at the budget, shortening the last wait so it never runs past it", async () => {
        const clock = fakeClock();
        let calls = 0;
        const outcome = await retryWithBackoff(
            async () => {
                calls++;
                throw awsError("AccessDenied", 403);
            },
            { maxWaitMs: 10_000, isRetryable: isAccessDenied, now: clock.now, sleep: clock.sleep },
        );

        assert.equal(outcome.ok, false);
        assert.ok(!outcome.ok && outcome.exhausted);
        // 1 + 2 + 4 = 7 s, then only 3 s are left of the 10 s budget.
        assert.deepEqual(clock.sleeps, [1000, 2000, 4000, 3000]);
        assert.equal(calls, 5);
        assert.equal(outcome.attempts, 5);
        assert.equal(outcome.elapsedMs, 10_000);
        assert.equal(
            clock.sleeps.reduce((a, b) => a + b, 0),
            10_000,
        );
    });

    it("with a zero budget (--wait 0) makes exactly one attempt", async () => {
        const clock = fakeClock();
        const outcome = await retryWithBackoff(
            async () => {
                throw awsError("AccessDenied", 403);
            },
            { maxWaitMs: 0, isRetryable: isAccessDenied, now: clock.now, sleep: clock.sleep },
        );
        assert.equal(outcome.attempts, 1);
        assert.deepEqual(clock.sleeps, []);
    });

    it("fails at once on an error that is not a refusal", async () => {
        const clock = fakeClock();
        const outcome = await retryWithBackoff(
            async () => {
                throw awsError("NoSuchBucket", 404);
            },
            { maxWaitMs: 60_000, isRetryable: isAccessDenied, now: clock.now, sleep: clock.sleep },
        );
        assert.equal(outcome.ok, false);
        assert.ok(!outcome.ok && !outcome.exhausted);
        assert.equal(outcome.attempts, 1);
        assert.deepEqual(clock.sleeps, []);
    });

    it("stops at the attempt cap even if the budget is not spent", async () => {
        const clock = fakeClock();
        const outcome = await retryWithBackoff(
            async () => {
                throw awsError("AccessDenied", 403);
            },
            { maxWaitMs: 900_000, maxAttempts: 4, isRetryable: isAccessDenied, now: clock.now, sleep: clock.sleep },
        );
        assert.equal(outcome.attempts, 4);
        assert.deepEqual(clock.sleeps, [1000, 2000, 4000]);
    });

    it("waits on the real timer when no sleep is injected, never planning a wait past the budget", async () => {
        const notices: RetryNotice[] = [];
        const started = Date.now();
        const outcome = await retryWithBackoff(
            async () => {
                throw awsError("AccessDenied", 403);
            },
            { maxWaitMs: 120, initialDelayMs: 50, isRetryable: isAccessDenied, onRetry: (notice) => notices.push(notice) },
        );
        const elapsed = Date.now() - started;
        assert.ok(!outcome.ok && outcome.exhausted);
        assert.equal(notices.length, outcome.attempts - 1);
        assert.ok(outcome.attempts >= 2, `attempts ${outcome.attempts}`);
        // The structure, not the runner's speed: each wait is planned to end by the budget...
        for (const notice of notices) {
            assert.ok(notice.elapsedMs + notice.delayMs <= 120, `a wait of ${notice.delayMs} ms planned at ${notice.elapsedMs} ms`);
        }
        // ...it gave up only once the budget was spent, and the timer really slept (1 ms of slack for timer rounding).
        assert.ok(outcome.elapsedMs >= 120, `gave up after ${outcome.elapsedMs} ms`);
        const slept = notices.reduce((sum, notice) => sum + notice.delayMs, 0);
        assert.ok(elapsed >= slept - notices.length, `slept ${slept} ms in ${elapsed} ms`);
    });

    describe("what counts as refused", () => {
        it("AccessDenied, AccessDeniedException and a bare 403 are refusals", () => {
            assert.equal(isAccessDenied(awsError("AccessDenied", 403)), true);
            assert.equal(isAccessDenied(awsError("AccessDeniedException", 400)), true);
            // S3 (and moto, for a bucket-policy Deny) can answer a bare 403 the SDK names "Unknown".
            assert.equal(isAccessDenied(awsError("Unknown", 403, "UnknownError")), true);
        });

        it("an access key AWS does not know (yet) is told apart: InvalidClientTokenId (STS), InvalidAccessKeyId (S3)", () => {
            assert.equal(isUnknownAccessKey(awsError("InvalidClientTokenId", 403, "The security token included in the request is invalid.")), true);
            assert.equal(isUnknownAccessKey(awsError("InvalidAccessKeyId", 403, "The AWS Access Key Id you provided does not exist in our records.")), true);
            assert.equal(isUnknownAccessKey(awsError("AccessDenied", 403)), false);
            assert.equal(isUnknownAccessKey(awsError("SignatureDoesNotMatch", 403)), false);
            assert.equal(isUnknownAccessKey(awsError("ExpiredToken", 403)), false);
        });

        it("bad keys, bad signatures, missing buckets and the network are not", () => {
            assert.equal(isAccessDenied(awsError("InvalidClientTokenId", 403)), false);
            assert.equal(isAccessDenied(awsError("SignatureDoesNotMatch", 403)), false);
            assert.equal(isAccessDenied(awsError("NoSuchBucket", 404)), false);
            assert.equal(isAccessDenied(awsError("Unknown", 500)), false);
            assert.equal(isAccessDenied(Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" })), false);
        });

        it("explains each with a hint naming the flag to check", () => {
            const context = { step: "s3" as const, bucket: "b-1", region: "eu-west-1", action: "s3:PutObject on arn:aws:s3:::b-1/k" };
            const refused = describeAwsError(awsError("AccessDenied", 403), context);
            assert.equal(refused.kind, "refused");
            assert.match(refused.hint, /s3:PutObject on arn:aws:s3:::b-1\/k.*--bucket/);
            const missing = describeAwsError(awsError("NoSuchBucket", 404), context);
            assert.equal(missing.kind, "could-not-run");
            assert.match(missing.hint, /bucket b-1 does not exist.*--bucket/);
            const redirect = describeAwsError(awsError("PermanentRedirect", 301), context);
            assert.match(redirect.hint, /--region/);
            const down = describeAwsError(Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" }), { ...context, endpoint: "http://127.0.0.1:1" });
            assert.equal(down.code, "ECONNREFUSED");
            assert.match(down.hint, /http:\/\/127\.0\.0\.1:1 did not answer.*--endpoint/);
            const noCredentials = describeAwsError(awsError("CredentialsProviderError", undefined, "Could not load credentials from any providers"), {
                ...context,
                step: "source",
            });
            assert.match(noCredentials.hint, /--source-profile/);
            const badKey = describeAwsError(awsError("InvalidClientTokenId", 403), { ...context, step: "source", sourceProfile: "green" });
            assert.equal(badKey.kind, "could-not-run");
            assert.match(badKey.hint, /wrong profile \(--source-profile\)/);
            assert.match(badKey.hint, /a key created seconds ago is unknown for a few seconds: --wait SECONDS waits longer$/);
        });

        it("masks access key ids in anything it prints", () => {
            const described = describeAwsError(awsError("InvalidAccessKeyId", 403, "The AWS Access Key Id AKIAABCDEFGHIJKLMNOP does not exist"), {
                step: "s3",
                bucket: "b",
                region: "us-east-1",
            });
            assert.equal(described.message, "The AWS Access Key Id AKIA************ does not exist");
            assert.equal(maskAccessKeyIds("ASIA1234567890ABCDEF and arn:aws:iam::111111111111:role/R"), "ASIA************ and arn:aws:iam::111111111111:role/R");
        });

        it("redacts a given ExternalId and MFA code (a whole 6-digit number only), as a last guard on all output", () => {
            const text = "id ext-9a.b+c in account 111111111111 after 1234567 ms, code 111111; again ext-9a.b+c";
            assert.equal(redactValues(text, ["ext-9a.b+c", "111111", undefined]), "id **** in account 111111111111 after 1234567 ms, code ****; again ****");
            // A value under 4 characters (a 2-character ExternalId is valid) only where it stands quoted, as an echoed value does:
            // anywhere else it would mangle every word that holds it. The script never prints one (args.ts), this is only a backstop.
            assert.equal(redactValues("a table of ab values, got 'ab' and \"ab\"", ["ab"]), "a table of ab values, got '****' and \"****\"");
        });

        it("hides an ExternalId or MFA code that AWS echoes in a validation error", () => {
            const described = describeAwsError(
                awsError(
                    "ValidationError",
                    400,
                    "1 validation error detected: Value 'Q@ x' at 'externalId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@:\\/-]*",
                ),
                { step: "assume", bucket: "b", region: "us-east-1" },
            );
            assert.equal(
                described.message,
                "1 validation error detected: Value (not shown) at 'externalId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@:\\/-]*",
            );
        });

        it("names MFA, the ExternalId and the --token-code flag in the hints when the outputs say the role requires them", () => {
            const context = { step: "assume" as const, bucket: "b", region: "us-east-1", conditions: { externalIdRequired: true, mfaRequired: true } };
            const assume = describeAwsError(awsError("AccessDenied", 403), { ...context, assumeWith: { externalIdFrom: "stack blue (output externalId)", mfaCode: true } }).hint;
            assert.match(
                assume,
                /^the role requires MFA \(output mfaRequired\): check that --mfa-serial .*; the role requires an ExternalId \(output externalIdRequired\): check that stack blue \(output externalId\) matches/,
            );
            const profile = describeAwsError(awsError("AccessDenied", 403), { ...context, roleProfile: "blue" }).hint;
            assert.match(profile, /check mfa_serial in profile blue .*check external_id in profile blue/);
            assert.doesNotMatch(
                describeAwsError(awsError("AccessDenied", 403), { ...context, conditions: { externalIdRequired: false, mfaRequired: false } }).hint,
                /MFA|ExternalId/,
            );
            const noCode = describeAwsError(
                awsError("CredentialsProviderError", undefined, "Profile blue requires multi-factor authentication, but no MFA code callback was provided."),
                { ...context, roleProfile: "blue" },
            );
            assert.equal(noCode.hint, "the role profile 'blue' names an mfa_serial: pass --token-code CODE (the 6-digit code the device shows now)");
        });
    });

    describe("a brand-new access key (InvalidClientTokenId for a few seconds), on a fake STS that answers so", () => {
        const GREEN_KEY = { accessKeyId: "AKIAFAKEGREENUSER001", secretAccessKey: "fake-green-secret-not-real" };
        const MFA = { serialNumber: `arn:aws:iam::${GREEN_ACCOUNT}:mfa/s3-prod-user`, tokenCode: "492817" };

        /** Runs the six checks in-process against a fake AWS, on a fake clock: no real waiting. */
        async function checksWithNewKey(fakeOptions: Partial<FakeAwsOptions>, waitSeconds: number, mfa?: typeof MFA) {
            const fake = await startFakeAws({
                bucket: BUCKET,
                blueAccountId: BLUE_ACCOUNT,
                greenAccountId: GREEN_ACCOUNT,
                allow: new Set(["s3:PutObject", "s3:GetObject", "s3:ListBucket"]),
                ...fakeOptions,
            });
            const clock = fakeClock();
            const notices: WaitNotice[] = [];
            try {
                const target = resolveTarget(
                    parseVerifyArgs(["--role-arn", `arn:aws:iam::${BLUE_ACCOUNT}:role/CrossAccountS3Access-Role`, "--bucket", BUCKET, "--region", REGION], {}),
                    undefined,
                    {},
                );
                const clientTarget = { region: REGION, endpoint: fake.endpoint };
                const report = await runChecks({
                    target,
                    endpoint: fake.endpoint,
                    via: "assume",
                    waitSeconds,
                    assumeWith: { mfaSerial: mfa?.serialNumber, mfaCode: mfa !== undefined },
                    sourceCredentials: async () => GREEN_KEY,
                    roleCredentials: (source) => roleCredentialProvider({ via: "assume", roleArn: target.roleArn, roleProfile: "blue", mfa }, source, clientTarget),
                    onWait: (notice) => notices.push(notice),
                    now: clock.now,
                    sleep: clock.sleep,
                });
                const sts = fake.requests.filter((request) => request.service === "sts").map((request) => [request.action, request.status]);
                return { report, notices, sleeps: clock.sleeps, sts };
            } finally {
                await fake.stop();
            }
        }

        it("waits for GetCallerIdentity and AssumeRole to know the key, telling why, then passes", async () => {
            const { report, notices, sleeps, sts } = await checksWithNewKey({ unknownKeyCalls: { GetCallerIdentity: 2, AssumeRole: 1 } }, 60);
            assert.equal(report.exitCode, EXIT_OK, JSON.stringify(report.checks, null, 2));
            assert.deepEqual(sts, [
                ["GetCallerIdentity", 403],
                ["GetCallerIdentity", 403],
                ["GetCallerIdentity", 200],
                ["AssumeRole", 403],
                ["AssumeRole", 200],
                ["GetCallerIdentity", 200],
            ]);
            assert.deepEqual(
                report.checks.slice(0, 2).map((check) => check.awsCalls),
                [3, 3],
            );
            assert.deepEqual(
                notices.map((notice) => [notice.checkId, notice.call, notice.code, notice.reason]),
                [
                    [1, "GetCallerIdentity", "InvalidClientTokenId", "unknown-key"],
                    [1, "GetCallerIdentity", "InvalidClientTokenId", "unknown-key"],
                    [2, "AssumeRole", "InvalidClientTokenId", "unknown-key"],
                ],
            );
            assert.deepEqual(sleeps, [1000, 2000, 1000]);
            assert.equal(
                formatWaitNotice(notices[0]),
                "  … check 1: GetCallerIdentity: the access key is not known yet (InvalidClientTokenId); a key created seconds ago takes a few seconds to reach AWS. " +
                    "Retry 2 in 1.0 s (waited 0 ms of 60.0 s, --wait)",
            );
        });

        it("gives up at --wait with exit 2, saying how long it waited and naming --wait", async () => {
            const { report, sleeps } = await checksWithNewKey({ unknownKeyCalls: { GetCallerIdentity: 1000 } }, 10);
            assert.equal(report.exitCode, EXIT_COULD_NOT_RUN);
            assert.equal(report.checks[0].status, "error");
            assert.equal(report.checks[0].errorCode, "InvalidClientTokenId");
            assert.equal(
                report.checks[0].detail,
                "InvalidClientTokenId: The security token included in the request is invalid. (still InvalidClientTokenId after 5 attempts over 10.0 s)",
            );
            assert.match(report.checks[0].hint ?? "", /a key created seconds ago is unknown for a few seconds: --wait SECONDS waits longer/);
            assert.deepEqual(sleeps, [1000, 2000, 4000, 3000]);
            assert.deepEqual(
                report.checks.slice(1).map((check) => check.status),
                ["skipped", "skipped", "skipped", "skipped", "skipped"],
            );
        });

        it("with --wait 0 asks once", async () => {
            const { report, sts } = await checksWithNewKey({ unknownKeyCalls: { GetCallerIdentity: 1 } }, 0);
            assert.equal(report.exitCode, EXIT_COULD_NOT_RUN);
            assert.deepEqual(sts, [["GetCallerIdentity", 403]]);
        });

        it("with an MFA code, still waits for the key (STS refuses the signature before it judges the code), but a refusal is final", async () => {
            const mfaOptions = { requireMfa: MFA, unknownKeyCalls: { AssumeRole: 1 } };
            const newKey = await checksWithNewKey(mfaOptions, 60, MFA);
            assert.equal(newKey.report.exitCode, EXIT_OK, JSON.stringify(newKey.report.checks, null, 2));
            assert.deepEqual(
                newKey.sts.filter(([action]) => action === "AssumeRole"),
                [
                    ["AssumeRole", 403],
                    ["AssumeRole", 200],
                ],
            );

            const wrongCode = await checksWithNewKey(mfaOptions, 60, { ...MFA, tokenCode: "000000" });
            assert.equal(wrongCode.report.exitCode, 1);
            assert.deepEqual(
                wrongCode.sts.filter(([action]) => action === "AssumeRole"),
                [
                    ["AssumeRole", 403],
                    ["AssumeRole", 403],
                ],
                "one wait for the key, then one refusal",
            );
            assert.equal(wrongCode.report.checks[1].errorCode, "AccessDenied");
        });

        it("the CLI, run as a user runs it, says on stderr that it waits for the key, and passes (one real wait of about 1 s)", async function () {
            this.timeout(60_000);
            const fake = await startFakeAws({
                bucket: BUCKET,
                blueAccountId: BLUE_ACCOUNT,
                greenAccountId: GREEN_ACCOUNT,
                allow: new Set(["s3:PutObject", "s3:GetObject", "s3:ListBucket"]),
                unknownKeyCalls: { GetCallerIdentity: 1 },
            });
            let result: VerifyProcessResult;
            try {
                result = await runVerifyProcess(
                    [
                        "--role-arn",
                        `arn:aws:iam::${BLUE_ACCOUNT}:role/CrossAccountS3Access-Role`,
                        "--bucket",
                        BUCKET,
                        "--region",
                        REGION,
                        "--endpoint",
                        fake.endpoint,
                        "--wait",
                        "30",
                    ],
                    {
                        env: hermeticAwsEnv({ AWS_ACCESS_KEY_ID: GREEN_KEY.accessKeyId, AWS_SECRET_ACCESS_KEY: GREEN_KEY.secretAccessKey }),
                        timeoutMs: 45_000,
                    },
                );
            } finally {
                await fake.stop();
            }
            assert.equal(result.exitCode, EXIT_OK, result.stdout + result.stderr);
            assert.match(
                result.stderr,
                /^ {2}… check 1: GetCallerIdentity: the access key is not known yet \(InvalidClientTokenId\); .* Retry 2 in \S+ s \(waited \d+ ms of 30\.0 s, --wait\)$/m,
            );
            assert.match(result.stdout, /^ {2}1 {2}green identity +PASS /m);
            assert.match(result.stdout, /^PASS: all 6 checks passed/m);
            assert.ok(!(result.stdout + result.stderr).includes(GREEN_KEY.secretAccessKey), "printed the secret key");
        });
    });
});
