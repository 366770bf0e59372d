/**
 * The verify script against endpoints that misbehave, run as a user runs it (a child process), each
 * ending in exit 2 with a message naming the endpoint and what to check:
 *
 * - three that never answer (test/fixtures/verify/silentEndpoints.ts): one that accepts and is
 *   silent, one that sends the headers and stalls, one that never accepts. Small timeouts are
 *   passed by flags (`--call-timeout 1`); the only bound on time is the child's kill timer (45 s),
 *   generous next to what the flags allow (about 3 attempts of 1 s each, plus start-up): a hang
 *   is killed there and has no exit code;
 * - the run's deadline (`--timeout`): an AssumeRole that is never answered while `--call-timeout`
 *   would allow 20 s per attempt, so only the deadline can end it;
 * - a 200 answer that is not STS's (a proxy's HTML login page) to GetCallerIdentity;
 * - throttling on STS and S3 that outlasts the SDK's bounded retries.
 *
 * The fake AWS (test/fixtures/verify/fakeAws.ts) records every request, so the tests also show
 * how many attempts each call got.
 */
import assert from "node:assert/strict";
import { hermeticAwsEnv, runVerifyProcess, VerifyProcessResult } from "../scripts/emulator/verifyProcess";
import { SDK_MAX_ATTEMPTS } from "../scripts/verify/clientTimeouts";
import { FakeAwsOptions, startFakeAws } from "./fixtures/verify/fakeAws";
import { reportOf } from "./fixtures/verify/reportJson";
import { SilentEndpoint, startNeverAcceptingListener, startSilentListener, startStallingServer } from "./fixtures/verify/silentEndpoints";
import { BLUE_ACCOUNT, BUCKET, GREEN_ACCOUNT, REGION } from "../harness/stackConfigs";

/** Long-term keys for the fakes (they accept any): the default chain reads them from the environment. */
const GREEN_KEYS = { AWS_ACCESS_KEY_ID: "AKIAFAKEGREENUSER001", AWS_SECRET_ACCESS_KEY: "fake-green-secret-not-real" };
const TARGET = ["--role-arn", `arn:aws:iam::${BLUE_ACCOUNT}:role/CrossAccountS3Access-Role`, "--bucket", BUCKET, "--region", REGION];
/** The child is killed after this long: far more than any run these flags allow, so only a hang reaches it. */
const KILL_AFTER_MS = 45_000;

async function verify(endpoint: string, extra: string[]): Promise<VerifyProcessResult> {
    return runVerifyProcess([...TARGET, "--endpoint", endpoint, "--json", ...extra], { env: hermeticAwsEnv(GREEN_KEYS), timeoutMs: KILL_AFTER_MS });
}

describe("verify script: endpoints that never answer end in exit 2, naming the endpoint and what to check", function () {
    this.timeout(60_000);
    const measured: string[] = [];
    after(() => {
        if (measured.length > 0) {
            console.log(`    exit times (child process, start-up included): ${measured.join(", ")}`);
        }
    });

    const variants: { name: string; start: () => Promise<SilentEndpoint>; detail: RegExp; hint: (endpoint: string) => RegExp }[] = [
        {
            name: "accepts the connection and never sends a byte",
            start: startSilentListener,
            detail: /^TimeoutError: .*exceeded the configured 1000 ms requestTimeout\. \(the SDK tried 3 times\)$/,
            hint: (endpoint) =>
                new RegExp(`^${endpoint} accepted the connection but did not answer within 1 s \\(--call-timeout\\).*check --endpoint / AWS_ENDPOINT_URL.*--call-timeout SECONDS$`),
        },
        {
            name: "sends the headers and a few bytes, then stalls",
            start: startStallingServer,
            detail: /^TimeoutError: .*the request socket timed out after 1000 ms of inactivity .*\(the SDK tried 3 times\)$/,
            hint: (endpoint) => new RegExp(`^${endpoint} accepted the connection but did not answer within 1 s \\(--call-timeout\\)`),
        },
        {
            name: "never accepts the connection (a full listen backlog)",
            start: startNeverAcceptingListener,
            detail: /^TimeoutError: .*did not establish a connection with the server within the configured timeout of 1000 ms\. \(the SDK tried 3 times\)$/,
            hint: (endpoint) => new RegExp(`^could not connect to ${endpoint}: the connection was not accepted in time.*check --endpoint / AWS_ENDPOINT_URL`),
        },
    ];
    for (const variant of variants) {
        it(`an endpoint that ${variant.name}`, async () => {
            const silent = await variant.start();
            try {
                // --wait 900 and the default --timeout (1020 s): neither ends this run; the per-call timeouts do.
                const result = await verify(silent.endpoint, ["--call-timeout", "1", "--wait", "900"]);
                measured.push(`${variant.name.split(" ").slice(0, 2).join(" ")}: ${result.durationMs} ms`);
                assert.equal(result.exitCode, 2, `killed or wrong exit:\n${result.stdout}\n${result.stderr}`);
                const report = reportOf(result);
                assert.equal(report.checks[0].status, "error");
                assert.equal(report.checks[0].errorCode, "TimeoutError");
                assert.match(report.checks[0].detail, variant.detail);
                assert.match(report.checks[0].hint ?? "", variant.hint(silent.endpoint));
                assert.deepEqual(
                    report.checks.slice(1).map((check) => check.status),
                    ["skipped", "skipped", "skipped", "skipped", "skipped"],
                );
                if (variant.start !== startNeverAcceptingListener) {
                    assert.equal(silent.connections(), SDK_MAX_ATTEMPTS, "one connection per SDK attempt");
                }
            } finally {
                await silent.stop();
            }
        });
    }

    it("the run's deadline aborts a call that --call-timeout would let run: --timeout 2 against a silent endpoint", async () => {
        const silent = await startSilentListener();
        try {
            const result = await verify(silent.endpoint, ["--call-timeout", "20", "--timeout", "2", "--wait", "0"]);
            measured.push(`deadline (abort): ${result.durationMs} ms`);
            assert.equal(result.exitCode, 2, result.stdout);
            const report = reportOf(result);
            assert.equal(report.checks[0].status, "error");
            assert.equal(report.checks[0].errorCode, "AbortError");
            assert.match(
                report.checks[0].hint ?? "",
                new RegExp(`^the run's deadline of 2 s \\(--timeout\\) passed while this call waited on ${silent.endpoint}; .*--timeout SECONDS$`),
            );
        } finally {
            await silent.stop();
        }
    });

    it("the deadline also ends a call that takes no abort signal (the credential provider's AssumeRole), naming the check and the endpoint", async () => {
        const fake = await startFakeAws({ bucket: BUCKET, blueAccountId: BLUE_ACCOUNT, greenAccountId: GREEN_ACCOUNT, allow: new Set(), silentOn: new Set(["AssumeRole"]) });
        try {
            const result = await verify(fake.endpoint, ["--call-timeout", "20", "--timeout", "2", "--wait", "0"]);
            measured.push(`deadline (backstop): ${result.durationMs} ms`);
            assert.equal(result.exitCode, 2, result.stdout);
            const parsed = JSON.parse(result.stdout) as { error: { message: string; hint: string } };
            assert.equal(parsed.error.message, `the run did not end within --timeout 2 s: check 2 (assume role) was still waiting on ${fake.endpoint}`);
            assert.match(parsed.error.hint, /--endpoint \/ AWS_ENDPOINT_URL\), or allow longer with --timeout SECONDS$/);
            assert.deepEqual(
                fake.requests.map((request) => request.action),
                ["GetCallerIdentity", "AssumeRole"],
            );
        } finally {
            await fake.stop();
        }
    });
});

describe("verify script: answers that are not what AWS answers", function () {
    this.timeout(60_000);
    const fakeBase: FakeAwsOptions = {
        bucket: BUCKET,
        blueAccountId: BLUE_ACCOUNT,
        greenAccountId: GREEN_ACCOUNT,
        allow: new Set(["s3:PutObject", "s3:GetObject", "s3:ListBucket"]),
    };

    const pages = [
        {
            what: "an HTML page the XML parser refuses",
            page: "<!DOCTYPE html>\n<html><head><title>Corporate proxy: sign in</title></head><body><form action=/login>Password</body></html>",
            said:
                'with a body beginning "<!DOCTYPE html> <html><head><title>Corporate proxy: sign in</title></head><body><form action=/login>Password</body></html>", ' +
                "which could not be read as STS's XML",
        },
        {
            what: "an HTML page that parses as XML",
            page: "<html><body><p>Welcome to the guest network</p></body></html>",
            said: 'with a body beginning "<html><body><p>Welcome to the guest network</p></body></html>", without an Arn or Account',
        },
    ];
    for (const { what, page, said } of pages) {
        it(`check 1 fails with exit 2 on a 200 without Arn and Account (${what}), saying what came back`, async () => {
            const fake = await startFakeAws({ ...fakeBase, callerIdentityBody: page });
            try {
                const result = await verify(fake.endpoint, ["--wait", "0"]);
                assert.equal(result.exitCode, 2, result.stdout);
                const report = reportOf(result);
                assert.equal(report.checks[0].status, "error");
                assert.equal(report.checks[0].errorCode, "NotAnStsAnswer");
                assert.equal(report.checks[0].detail, `GetCallerIdentity answered HTTP 200 (text/html; charset=utf-8) ${said}: not an answer of AWS STS`);
                assert.match(report.checks[0].hint ?? "", new RegExp(`^something other than STS answers at ${fake.endpoint} .*check --endpoint / AWS_ENDPOINT_URL$`));
                assert.equal(report.identities.source, undefined, "no identity recorded from garbage");
                assert.deepEqual(
                    fake.requests.map((request) => request.action),
                    ["GetCallerIdentity"],
                    "no AssumeRole after garbage",
                );
            } finally {
                await fake.stop();
            }
        });
    }

    it("throttling on STS: the SDK's retries are bounded, then exit 2 saying it was throttled and what to do", async () => {
        const fake = await startFakeAws({ ...fakeBase, throttle: new Set(["GetCallerIdentity"]) });
        try {
            // --wait 900: the script's own IAM wait does not retry throttling; only the SDK's bounded attempts do.
            const result = await verify(fake.endpoint, ["--wait", "900"]);
            assert.equal(result.exitCode, 2, result.stdout);
            const report = reportOf(result);
            assert.equal(report.checks[0].errorCode, "Throttling");
            assert.equal(report.checks[0].detail, `Throttling: Rate exceeded (the SDK tried ${SDK_MAX_ATTEMPTS} times)`);
            assert.match(
                report.checks[0].hint ?? "",
                new RegExp(`^${fake.endpoint} throttled the call \\(Throttling, HTTP 400\\) on each of the SDK's 3 attempts: .*wait a minute and run again`),
            );
            assert.equal(fake.requests.filter((request) => request.action === "GetCallerIdentity").length, SDK_MAX_ATTEMPTS);
        } finally {
            await fake.stop();
        }
    });

    it("throttling on S3 (SlowDown, 503) at PutObject: bounded the same way, exit 2", async () => {
        const fake = await startFakeAws({ ...fakeBase, throttle: new Set(["PutObject"]) });
        try {
            const result = await verify(fake.endpoint, ["--wait", "900"]);
            assert.equal(result.exitCode, 2, result.stdout);
            const report = reportOf(result);
            assert.deepEqual(
                report.checks.map((check) => check.status),
                ["pass", "pass", "error", "skipped", "skipped", "skipped"],
            );
            assert.equal(report.checks[2].errorCode, "SlowDown");
            assert.match(report.checks[2].hint ?? "", /throttled the call \(SlowDown, HTTP 503\) on each of the SDK's 3 attempts/);
            assert.equal(fake.requests.filter((request) => request.action === "PutObject").length, SDK_MAX_ATTEMPTS);
        } finally {
            await fake.stop();
        }
    });
});
