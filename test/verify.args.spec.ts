import assert from "node:assert/strict";
import { DEFAULT_CALL_TIMEOUT_SECONDS, DEFAULT_WAIT_SECONDS, parseVerifyArgs, secretFlagValues, USAGE } from "../scripts/verify/args";
import { main } from "../scripts/verify/cli";
import { EXIT_COULD_NOT_RUN, EXIT_OK, UsageError } from "../scripts/verify/exitCodes";
import { REFUSED_ACTION_PROBES } from "../scripts/verify/refusedActionProbes";

/** The UsageError's message for these arguments (fails the test when they parse). */
function usageError(argv: string[], env: NodeJS.ProcessEnv = {}): string {
    try {
        parseVerifyArgs(argv, env);
    } catch (error) {
        assert.ok(error instanceof UsageError, `expected a UsageError, got ${String(error)}`);
        return error.message;
    }
    assert.fail(`expected ${JSON.stringify(argv)} to be refused`);
}

describe("verify script: command line", () => {
    it("defaults: AssumeRole from the default chain, role profile blue, 60 s wait, table output", () => {
        const args = parseVerifyArgs(["--stack", "blue"], {});
        assert.equal(args.stack, "blue");
        assert.equal(args.via, "assume");
        assert.equal(args.roleProfile, "blue");
        assert.equal(args.sourceProfile, undefined);
        assert.equal(args.waitSeconds, DEFAULT_WAIT_SECONDS);
        assert.equal(args.waitSeconds, 60);
        assert.equal(args.json, false);
        assert.equal(args.endpoint, undefined);
        assert.equal(args.readOnly, undefined, "read-only or not: the readOnly output decides");
        assert.equal(args.externalId, undefined);
        assert.equal(args.tokenCode, undefined);
        assert.equal(args.callTimeoutSeconds, DEFAULT_CALL_TIMEOUT_SECONDS);
        assert.equal(args.timeoutSeconds, 180, "the default deadline is --wait + 120 s");
        assert.equal(parseVerifyArgs(["--wait", "10"], {}).timeoutSeconds, 130, "the default deadline follows --wait");
    });

    it("reads every flag", () => {
        const args = parseVerifyArgs(
            [
                "--outputs",
                "out.json",
                "--role-arn",
                "arn:aws:iam::111111111111:role/R",
                "--bucket",
                "b-1",
                "--region",
                "eu-west-1",
                "--key-prefix",
                "uploads/",
                "--source-profile",
                "green",
                "--via",
                "profile",
                "--role-profile",
                "blue-admin",
                "--endpoint",
                "http://127.0.0.1:5000/",
                "--wait",
                "2.5",
                "--json",
                "--read-only",
                "--token-code",
                "123456",
                "--call-timeout",
                "0.5",
                "--timeout",
                "20",
            ],
            {},
        );
        assert.deepEqual(
            { ...args },
            {
                stack: undefined,
                outputsFile: "out.json",
                roleArn: "arn:aws:iam::111111111111:role/R",
                bucket: "b-1",
                region: "eu-west-1",
                keyPrefix: "uploads/",
                readOnly: true,
                sourceProfile: "green",
                via: "profile",
                roleProfile: "blue-admin",
                externalId: undefined,
                mfaSerial: undefined,
                tokenCode: "123456",
                endpoint: "http://127.0.0.1:5000",
                waitSeconds: 2.5,
                callTimeoutSeconds: 0.5,
                timeoutSeconds: 20,
                json: true,
                help: false,
            },
        );
        const assume = parseVerifyArgs(
            ["--external-id", "Ext-1=a,b.c@d:e/f_g-h", "--mfa-serial", "arn:aws:iam::222222222222:mfa/s3-prod-user", "--token-code", "012345", "--no-read-only"],
            {},
        );
        assert.equal(assume.via, "assume");
        assert.equal(assume.externalId, "Ext-1=a,b.c@d:e/f_g-h");
        assert.equal(assume.mfaSerial, "arn:aws:iam::222222222222:mfa/s3-prod-user");
        assert.equal(assume.tokenCode, "012345");
        assert.equal(assume.readOnly, false);
    });

    it("takes the endpoint from AWS_ENDPOINT_URL when --endpoint is absent, and the flag wins over it", () => {
        assert.equal(parseVerifyArgs([], { AWS_ENDPOINT_URL: "http://localhost:4566" }).endpoint, "http://localhost:4566");
        assert.equal(parseVerifyArgs(["--endpoint", "http://127.0.0.1:1"], { AWS_ENDPOINT_URL: "http://localhost:4566" }).endpoint, "http://127.0.0.1:1");
        assert.match(usageError([], { AWS_ENDPOINT_URL: "localhost:4566" }), /^AWS_ENDPOINT_URL must be an http\(s\) URL/);
    });

    it("refuses --stack with --outputs", () => {
        assert.match(usageError(["--stack", "blue", "--outputs", "f.json"]), /--stack and --outputs .* pass one of them/);
    });

    it("names the flag in every error", () => {
        assert.equal(usageError(["--bukcet", "b"]), "unknown flag --bukcet");
        assert.equal(usageError(["--stack"]), "--stack needs a value");
        assert.equal(usageError(["--stack", "--json"]), "--stack needs a value");
        assert.equal(usageError(["--stack="]), "--stack needs a value, got an empty string");
        assert.equal(usageError(["--json=yes"]), "--json takes no value");
        assert.match(usageError(["blue"]), /^unexpected argument 'blue'.*--stack blue/);
        assert.equal(usageError(["--via", "sts"]), "--via must be one of assume, profile, got 'sts'");
        assert.match(usageError(["--wait", "soon"]), /^--wait must be a number of seconds from 0 to 900, got 'soon'/);
        assert.equal(usageError(["--wait", "-1"]), "--wait must be a number of seconds from 0 to 900, got -1: the value is negative");
        assert.equal(usageError(["--wait=-0.5"]), "--wait must be a number of seconds from 0 to 900, got -0.5: the value is negative");
        assert.equal(usageError(["--wait", "901"]), "--wait must be a number of seconds from 0 to 900, got 901: more than the largest accepted, 900");
        assert.equal(usageError(["--call-timeout", "0"]), "--call-timeout must be a number of seconds more than 0 to 300, got 0: it must be more than 0");
        assert.equal(usageError(["--call-timeout", "-3"]), "--call-timeout must be a number of seconds more than 0 to 300, got -3: the value is negative");
        assert.equal(usageError(["--timeout", "1h"]), "--timeout must be a number of seconds more than 0 to 3600, got '1h'");
        assert.equal(usageError(["--timeout", "3601"]), "--timeout must be a number of seconds more than 0 to 3600, got 3601: more than the largest accepted, 3600");
        assert.match(usageError(["--timeout", "30", "--wait", "60"]), /^--timeout 30 is shorter than --wait 60: the run would stop before it had waited that long$/);
        assert.match(usageError(["--endpoint", "ftp://127.0.0.1"]), /^--endpoint must be an http\(s\) URL/);
        assert.match(usageError(["--via", "profile", "--external-id", "ext-1"]), /^--external-id applies to --via assume/);
        // The component's own objectKeyPrefix rule: ends with "/", does not start with one.
        assert.match(usageError(["--key-prefix", "uploads"]), /^--key-prefix: "uploads" is not a usable key prefix\. Give a prefix that ends with "\/"/);
        assert.match(usageError(["--key-prefix", "/uploads/"]), /^--key-prefix: "\/uploads\/" is not a usable key prefix/);
        assert.equal(usageError(["--read-only", "--no-read-only"]), "--read-only and --no-read-only contradict each other: pass one of them");
        assert.equal(usageError(["--read-only=yes"]), "--read-only takes no value");
    });

    it("refuses a repeated flag, naming it and its values (never a secret flag's), rather than taking the last", () => {
        assert.equal(usageError(["--outputs", "A", "--outputs", "B"]), "--outputs was given 2 times: 'A', 'B'");
        assert.equal(usageError(["--stack=blue", "--json", "--stack", "blue"]), "--stack was given 2 times: 'blue', 'blue'");
        assert.equal(usageError(["--json", "--json"]), "--json was given 2 times");
        const secret = usageError(["--external-id", "Q@x1", "--external-id", "Zq9z"]);
        assert.equal(secret, "--external-id was given 2 times (values not shown)");
        let hint: string | undefined;
        try {
            parseVerifyArgs(["--wait", "1", "--wait", "2"], {});
        } catch (error) {
            hint = (error as UsageError).hint;
        }
        assert.equal(hint, "pass --wait once: a repeated flag is refused rather than one of its values picked");
    });

    it("MFA and ExternalId flags: checked with the component's rules, each error names the flag and the fix, no value echoed", () => {
        const serial = "arn:aws:iam::222222222222:mfa/s3-prod-user";
        // The component's checkExternalId: 2 to 1224 characters of a restricted set; the value is not shown.
        const badId = "spaces are not allowed";
        const idError = usageError(["--external-id", badId]);
        assert.match(idError, /^--external-id: the value is not a valid ExternalId \(not shown\)\. Use 2 to 1224 characters/);
        assert.ok(!idError.includes(badId));
        assert.match(usageError(["--mfa-serial", "GAHT12345678", "--token-code", "123456"]), /^--mfa-serial: "GAHT12345678" is not an MFA device ARN\. Give the device's ARN/);
        for (const code of ["12345", "1234567", "12a456", " "]) {
            const message = usageError(["--mfa-serial", serial, "--token-code", code]);
            assert.match(message, /^--token-code must be the 6-digit code the MFA device shows now, got \d+ characters? \(not shown\)$/, code);
            assert.ok(code === " " || !message.includes(code), `echoed ${code}`);
        }
        assert.equal(usageError(["--mfa-serial", serial, "--token-code", "--json"]), "--token-code needs a value");
        assert.match(usageError(["--token-code", "123456"]), /^--token-code needs --mfa-serial ARN with --via assume/);
        assert.equal(usageError(["--mfa-serial", serial]), "--mfa-serial needs --token-code CODE: the 6-digit code the device shows now");
        assert.match(
            usageError(["--via", "profile", "--mfa-serial", serial, "--token-code", "123456"]),
            /^--mfa-serial applies to --via assume; with --via profile, the role profile's mfa_serial names the device/,
        );
    });

    it("never echoes a value of --external-id or --token-code, or a stray word that may be part of one", () => {
        const dashed = usageError(["--external-id=--x7"]);
        assert.equal(dashed, "--external-id needs a value, got one that starts with '--' (not shown)");
        assert.equal(usageError(["--external-id="]), "--external-id needs a value, got an empty string");
        assert.equal(usageError(["--external-id", "--json"]), "--external-id needs a value");
        // A value with a space and no quotes: the second word lands as a positional argument.
        const split = usageError(["--external-id", "ab", "Zq9"]);
        assert.match(split, /^unexpected argument \(not shown: it may be part of the --external-id or --token-code value\)/);
        assert.ok(!split.includes("Zq9") && !split.includes("ab"), split);
        assert.ok(!usageError(["--mfa-serial", "arn:aws:iam::222222222222:mfa/u", "--token-code", "123", "456"]).includes("456"));
        // Without a secret flag, a stray word is named, with the fix.
        assert.match(usageError(["blue"]), /^unexpected argument 'blue'/);
        // A non-secret flag's bad value is still shown.
        assert.equal(usageError(["--stack=--x7"]), "--stack needs a value, got '--x7'");
    });

    it("secretFlagValues reads the secret flags' values from the raw command line, for the masking backstop", () => {
        assert.deepEqual(secretFlagValues(["--stack", "blue", "--external-id", "Q@", "--token-code=123456", "--external-id"]), ["Q@", "123456"]);
    });

    it("main: a refused secret flag value is not printed, even 2 characters long (too short for the masking backstop)", async () => {
        for (const argv of [
            ["--external-id=--Q@", "--json"],
            ["--external-id", "Q@", "Zq"],
            ["--token-code", "Zq"],
        ]) {
            let out = "";
            const code = await main(argv, { env: {}, stdout: (text) => (out += text), stderr: (text) => (out += text) });
            assert.equal(code, EXIT_COULD_NOT_RUN, out);
            assert.ok(!out.includes("Q@") && !out.includes("Zq"), out);
        }
    });

    it("accepts --wait 0 (a single attempt)", () => {
        assert.equal(parseVerifyArgs(["--wait", "0"], {}).waitSeconds, 0);
    });

    it("main: --help prints the usage and exits 0 without touching AWS", async () => {
        let out = "";
        const code = await main(["--help"], { env: {}, stdout: (text) => (out += text), stderr: () => undefined });
        assert.equal(code, EXIT_OK);
        assert.equal(out, USAGE);
        for (const flag of [
            "--stack",
            "--outputs",
            "--role-arn",
            "--bucket",
            "--region",
            "--key-prefix",
            "--read-only",
            "--no-read-only",
            "--source-profile",
            "--via",
            "--role-profile",
            "--external-id",
            "--mfa-serial",
            "--token-code",
            "--endpoint",
            "--wait",
            "--call-timeout",
            "--timeout",
            "--json",
        ]) {
            assert.ok(USAGE.includes(flag), `usage lacks ${flag}`);
        }
        for (const probe of REFUSED_ACTION_PROBES) {
            assert.ok(USAGE.includes(probe.action), `usage lacks the probed action ${probe.action}`);
        }
        assert.match(USAGE, /"refused: N probed actions"/);
    });

    it("main: --outputs given twice exits 2 before reading either file", async () => {
        let out = "";
        const code = await main(["--outputs", "/nonexistent/A.json", "--outputs", "/nonexistent/B.json"], {
            env: {},
            stdout: (text) => (out += text),
            stderr: (text) => (out += text),
        });
        assert.equal(code, EXIT_COULD_NOT_RUN);
        assert.match(out, /^error: --outputs was given 2 times: '\/nonexistent\/A\.json', '\/nonexistent\/B\.json'\nhint: pass --outputs once/);
    });

    it("main: a bad flag exits 2 with the error and the fix, as text or as JSON", async () => {
        let out = "";
        const code = await main(["--bukcet", "b"], { env: {}, stdout: (text) => (out += text), stderr: () => undefined });
        assert.equal(code, EXIT_COULD_NOT_RUN);
        assert.match(out, /^error: unknown flag --bukcet\nhint: run with --help/);

        let json = "";
        const jsonCode = await main(["--json", "--via", "sts"], { env: {}, stdout: (text) => (json += text), stderr: () => undefined });
        assert.equal(jsonCode, EXIT_COULD_NOT_RUN);
        const parsed = JSON.parse(json) as { ok: boolean; exitCode: number; error: { message: string } };
        assert.equal(parsed.ok, false);
        assert.equal(parsed.exitCode, 2);
        assert.match(parsed.error.message, /--via must be one of/);
    });

    it("main: without a role ARN, bucket or region it says which flag to pass", async () => {
        const run = async (argv: string[], env: NodeJS.ProcessEnv = {}): Promise<string> => {
            let out = "";
            assert.equal(await main(argv, { env, stdout: (text) => (out += text), stderr: () => undefined }), EXIT_COULD_NOT_RUN);
            return out;
        };
        assert.match(await run(["--bucket", "b-1", "--region", "us-east-1"]), /no role ARN: pass --role-arn/);
        assert.match(await run(["--role-arn", "arn:aws:iam::111111111111:role/R", "--region", "us-east-1"]), /no bucket: pass --bucket/);
        assert.match(await run(["--role-arn", "arn:aws:iam::111111111111:role/R", "--bucket", "b-1"]), /no region: pass --region/);
        assert.match(
            await run(["--role-arn", "arn:aws:iam::111111111111:user/R", "--bucket", "b-1", "--region", "us-east-1"]),
            /--role-arn is not an IAM role ARN: 'arn:aws:iam::111111111111:user\/R'/,
        );
    });
});
