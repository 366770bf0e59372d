/**
 * The bounded backoff that waits out IAM's eventual consistency, on a fake clock (no real
 * waiting), and which errors it treats as "refused, maybe not yet propagated".
 */
import assert from "node:assert/strict";
import { describeAwsError, isAccessDenied, maskAccessKeyIds } from "../scripts/verify/awsErrors";
import { redactValues } from "../scripts/verify/report";
import { backoffDelayMs, retryWithBackoff, RetryNotice } from "../scripts/verify/retry";

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

describe("verify script: retry on AccessDenied", () => {
    it("backs off 1, 2, 4, 8, 8 s", () => {
        assert.deepEqual([1, 2, 3, 4, 5].map((attempt) => backoffDelayMs(attempt)), [1000, 2000, 4000, 8000, 8000]);
    });

    it("retries a refusal until it is allowed, telling each wait", async () => {
        const clock = fakeClock();
        const notices: RetryNotice[] = [];
        let calls = 0;
        const outcome = await retryWithBackoff(async (attempt) => {
            calls++;
            clock.advance(100); // each call takes 100 ms
            if (attempt < 3) {
                throw awsError("AccessDenied", 403);
            }
            return "credentials";
        }, { maxWaitMs: 60_000, isRetryable: isAccessDenied, now: clock.now, sleep: clock.sleep, onRetry: (notice) => notices.push(notice) });

        assert.deepEqual(outcome, { ok: true, value: "credentials", attempts: 3, elapsedMs: 3300 });
        assert.equal(calls, 3);
        assert.deepEqual(clock.sleeps, [1000, 2000]);
        assert.deepEqual(notices.map((notice) => [notice.attempt, notice.delayMs, notice.elapsedMs, notice.maxWaitMs]), [[1, 1000, 100, 60_000], [2, 2000, 1200, 60_000]]);
    });

    it("gives up at the budget, shortening the last wait so it never runs past it", async () => {
        const clock = fakeClock();
        let calls = 0;
        const outcome = await retryWithBackoff(async () => {
            calls++;
            throw awsError("AccessDenied", 403);
        }, { maxWaitMs: 10_000, isRetryable: isAccessDenied, now: clock.now, sleep: clock.sleep });

        assert.equal(outcome.ok, false);
        assert.ok(!outcome.ok && outcome.exhausted);
        // 1 + 2 + 4 = 7 s, then only 3 s are left of the 10 s budget.
        assert.deepEqual(clock.sleeps, [1000, 2000, 4000, 3000]);
        assert.equal(calls, 5);
        assert.equal(outcome.attempts, 5);
        assert.equal(outcome.elapsedMs, 10_000);
        assert.equal(clock.sleeps.reduce((a, b) => a + b, 0), 10_000);
    });

    it("with a zero budget (--wait 0) makes exactly one attempt", async () => {
        const clock = fakeClock();
        const outcome = await retryWithBackoff(async () => {
            throw awsError("AccessDenied", 403);
        }, { maxWaitMs: 0, isRetryable: isAccessDenied, now: clock.now, sleep: clock.sleep });
        assert.equal(outcome.attempts, 1);
        assert.deepEqual(clock.sleeps, []);
    });

    it("fails at once on an error that is not a refusal", async () => {
        const clock = fakeClock();
        const outcome = await retryWithBackoff(async () => {
            throw awsError("NoSuchBucket", 404);
        }, { maxWaitMs: 60_000, isRetryable: isAccessDenied, now: clock.now, sleep: clock.sleep });
        assert.equal(outcome.ok, false);
        assert.ok(!outcome.ok && !outcome.exhausted);
        assert.equal(outcome.attempts, 1);
        assert.deepEqual(clock.sleeps, []);
    });

    it("stops at the attempt cap even if the budget is not spent", async () => {
        const clock = fakeClock();
        const outcome = await retryWithBackoff(async () => {
            throw awsError("AccessDenied", 403);
        }, { maxWaitMs: 900_000, maxAttempts: 4, isRetryable: isAccessDenied, now: clock.now, sleep: clock.sleep });
        assert.equal(outcome.attempts, 4);
        assert.deepEqual(clock.sleeps, [1000, 2000, 4000]);
    });

    it("waits on the real timer when no sleep is injected, staying inside the budget", async () => {
        const started = Date.now();
        const outcome = await retryWithBackoff(async () => {
            throw awsError("AccessDenied", 403);
        }, { maxWaitMs: 120, initialDelayMs: 50, isRetryable: isAccessDenied });
        const elapsed = Date.now() - started;
        assert.ok(outcome.attempts >= 2, `attempts ${outcome.attempts}`);
        assert.ok(elapsed >= 100 && elapsed < 1000, `elapsed ${elapsed} ms`);
    });

    describe("what counts as refused", () => {
        it("AccessDenied, AccessDeniedException and a bare 403 are refusals", () => {
            assert.equal(isAccessDenied(awsError("AccessDenied", 403)), true);
            assert.equal(isAccessDenied(awsError("AccessDeniedException", 400)), true);
            // S3 (and moto, for a bucket-policy Deny) can answer a bare 403 the SDK names "Unknown".
            assert.equal(isAccessDenied(awsError("Unknown", 403, "UnknownError")), true);
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
            const noCredentials = describeAwsError(awsError("CredentialsProviderError", undefined, "Could not load credentials from any providers"), { ...context, step: "source" });
            assert.match(noCredentials.hint, /--source-profile/);
            const badKey = describeAwsError(awsError("InvalidClientTokenId", 403), { ...context, step: "source", sourceProfile: "green" });
            assert.match(badKey.hint, /wrong profile \(--source-profile\)/);
        });

        it("masks access key ids in anything it prints", () => {
            const described = describeAwsError(awsError("InvalidAccessKeyId", 403, "The AWS Access Key Id AKIAABCDEFGHIJKLMNOP does not exist"), { step: "s3", bucket: "b", region: "us-east-1" });
            assert.equal(described.message, "The AWS Access Key Id AKIA************ does not exist");
            assert.equal(maskAccessKeyIds("ASIA1234567890ABCDEF and arn:aws:iam::111111111111:role/R"), "ASIA************ and arn:aws:iam::111111111111:role/R");
        });

        it("redacts a given ExternalId and MFA code (a whole 6-digit number only), as a last guard on all output", () => {
            const text = "id ext-9a.b+c in account 111111111111 after 1234567 ms, code 111111; again ext-9a.b+c";
            assert.equal(redactValues(text, ["ext-9a.b+c", "111111", undefined]), "id **** in account 111111111111 after 1234567 ms, code ****; again ****");
            assert.equal(redactValues("a table of ab values", ["ab"]), "a table of ab values", "a value this short would mangle every word");
        });

        it("names MFA, the ExternalId and the --token-code flag in the hints when the outputs say the role requires them", () => {
            const context = { step: "assume" as const, bucket: "b", region: "us-east-1", conditions: { externalIdRequired: true, mfaRequired: true } };
            const assume = describeAwsError(awsError("AccessDenied", 403), { ...context, assumeWith: { externalIdFrom: "stack blue (output externalId)", mfaCode: true } }).hint;
            assert.match(assume, /^the role requires MFA \(output mfaRequired\): check that --mfa-serial .*; the role requires an ExternalId \(output externalIdRequired\): check that stack blue \(output externalId\) matches/);
            const profile = describeAwsError(awsError("AccessDenied", 403), { ...context, roleProfile: "blue" }).hint;
            assert.match(profile, /check mfa_serial in profile blue .*check external_id in profile blue/);
            assert.doesNotMatch(describeAwsError(awsError("AccessDenied", 403), { ...context, conditions: { externalIdRequired: false, mfaRequired: false } }).hint, /MFA|ExternalId/);
            const noCode = describeAwsError(awsError("CredentialsProviderError", undefined, "Profile blue requires multi-factor authentication, but no MFA code callback was provided."), { ...context, roleProfile: "blue" });
            assert.equal(noCode.hint, "the role profile 'blue' names an mfa_serial: pass --token-code CODE (the 6-digit code the device shows now)");
        });
    });
});
