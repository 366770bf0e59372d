/**
 * The verify script end to end on moto: real HTTP, real SigV4, the two accounts kept apart,
 * IAM enforced. One `moto_server` per suite, wiped between cases (`/moto-api/reset`).
 *
 * Every resource is created from the documents and names the components apply (their own
 * resolveBucketAccessRoleArgs and resolveAssumeRoleUsersArgs/
 * buildGroupPolicy, via scripts/emulator/emulatedAccounts.ts), the
 * `green`/`blue` profiles are the ones components/cliProfiles.ts renders, and the script runs as
 * a child process with only those files as its AWS configuration.
 *
 * What moto does NOT check, so what these tests do not prove (the IAM simulator suite does):
 * - the role's trust policy on a cross-account AssumeRole: moto looks the role up in the
 *   caller's account, does not find it, and skips the trust check (shown by a case below);
 * - a bucket policy's Allow: moto only honours a bucket-policy Deny on object calls (a bare 403),
 *   and it evaluates no `Bool` condition, so the TLS-only Deny denies everything (shown below);
 * - IAM's eventual consistency: moto is consistent at once (the retry is shown by adding the user
 *   to the group, with an admin's key and IAM still enforced, while the script waits);
 * - a listing whose prefix holds '/' (a role limited to objectKeyPrefix): moto 5.2.1 miscomputes
 *   the SigV4 signature of such a query and answers SignatureDoesNotMatch (shown below);
 * - the trust policy's ExternalId and MFA conditions: moto accepts AssumeRole with or without them
 *   (shown below; test/verify.roleConditions.spec.ts proves what is sent, on a fake STS that checks them);
 * - that S3 answers 403, not 404, for a missing key to a caller without s3:ListBucket: moto answers
 *   404 whenever GetObject is allowed (the read-only check 5 relies on the 404 only after check 4
 *   proved ListBucket, so this does not weaken it).
 * What they do prove: the SDK calls and their signatures, that the green key lives in green and
 * the role's session in blue, and the identity-policy allow/deny of the group and the role.
 */
import assert from "node:assert/strict";
import { AddUserToGroupCommand, IAMClient, ListUsersCommand, RemoveUserFromGroupCommand } from "@aws-sdk/client-iam";
import { GetBucketPolicyCommand, ListObjectsV2Command, ListObjectVersionsCommand, S3Client } from "@aws-sdk/client-s3";
import { fromTemporaryCredentials } from "@aws-sdk/credential-providers";
import { resolveBucketAccessRoleArgs } from "../components/bucketAccessRole";
import { DEFAULT_GROUP_NAME } from "../components/defaults";
import { PolicyDocument } from "../components/policyDocument";
import {
    blueStackOutputs,
    bootstrapS3Client,
    EMULATED_BLUE_ACCOUNT_ID,
    EMULATED_BUCKET_NAME,
    EMULATED_GREEN_ACCOUNT_ID,
    greenAdminIamClient,
} from "../scripts/emulator/emulatedAccounts";
import { runDemo } from "../scripts/demo";
import { findFreePort, MOTO_INSTALL_HINT, MotoNotInstalledError, MotoServer, startMotoServer } from "../scripts/emulator/motoServer";
import { startMotoForSuite } from "./support/motoForSuite";
import { createGreenRoleChain, GREEN_ROLE_CHAIN_PROFILES, GreenRoleChain } from "../scripts/emulator/greenRoleChain";
import { prepareScenario, Scenario } from "../scripts/emulator/scenario";
import { runVerifyProcess, VerifyProcessResult } from "../scripts/emulator/verifyProcess";
import { PROBE_KEY } from "../scripts/verify/probe";
import { NOT_A_POLICY } from "../scripts/verify/refusedActionProbes";
import { reportOf } from "./fixtures/verify/reportJson";
import { installStandInPulumi } from "./fixtures/verify/standInPulumi";

/** The component's managed policy for these arguments (on the emulated bucket and accounts). */
function componentPolicy(args: { readOnly?: boolean } = {}): PolicyDocument {
    return JSON.parse(resolveBucketAccessRoleArgs({ greenAccountId: EMULATED_GREEN_ACCOUNT_ID, bucketName: EMULATED_BUCKET_NAME, ...args }).accessPolicy) as PolicyDocument;
}

/** Lists the bucket as the role, from the test itself (not through the script). */
async function listAsRole(scenario: Scenario, endpoint: string): Promise<string[]> {
    const { accounts } = scenario;
    const roleCredentials = fromTemporaryCredentials({
        params: { RoleArn: accounts.blue.roleArn },
        masterCredentials: { accessKeyId: accounts.green.accessKeyId, secretAccessKey: accounts.green.secretAccessKey },
        clientConfig: { region: accounts.region, endpoint },
    });
    const s3 = new S3Client({ region: accounts.region, endpoint, forcePathStyle: true, credentials: roleCredentials });
    try {
        const listed = await s3.send(new ListObjectsV2Command({ Bucket: accounts.blue.bucketName }));
        return (listed.Contents ?? []).map((object) => object.Key ?? "?");
    } finally {
        s3.destroy();
    }
}

/** The object versions and delete markers in the emulated bucket, read as blue's bootstrap identity (enforcement off meanwhile). */
async function objectVersionsInBlue(moto: MotoServer, scenario: Scenario): Promise<{ versions: string[]; deleteMarkers: string[] }> {
    return asBlueBootstrap(moto, scenario, async (s3) => {
        const listed = await s3.send(new ListObjectVersionsCommand({ Bucket: scenario.accounts.blue.bucketName }));
        return {
            versions: [...new Set((listed.Versions ?? []).map((version) => version.Key ?? "?"))],
            deleteMarkers: (listed.DeleteMarkers ?? []).map((marker) => marker.Key ?? "?"),
        };
    });
}

/** The bucket's policy as moto stores it, read as blue's bootstrap identity. */
async function bucketPolicyInBlue(moto: MotoServer, scenario: Scenario): Promise<string | undefined> {
    return asBlueBootstrap(moto, scenario, async (s3) => (await s3.send(new GetBucketPolicyCommand({ Bucket: scenario.accounts.blue.bucketName }))).Policy);
}

/** Runs `read` with an S3 client in the blue account, with IAM enforcement off for its duration. */
async function asBlueBootstrap<T>(moto: MotoServer, scenario: Scenario, read: (s3: S3Client) => Promise<T>): Promise<T> {
    await moto.disableIamEnforcement();
    const s3 = bootstrapS3Client(scenario.accounts.endpoint, scenario.accounts.region, scenario.accounts.blue.accountId);
    try {
        return await read(s3);
    } finally {
        s3.destroy();
        await moto.enableIamEnforcement();
    }
}

/** The role policy the component attaches, plus extra object actions: a role broader than intended. */
function withExtraObjectActions(document: PolicyDocument, actions: string[]): PolicyDocument {
    return {
        ...document,
        Statement: document.Statement.map((statement) =>
            statement.Resource?.some((resource) => resource.endsWith("/*")) ? { ...statement, Action: [...statement.Action, ...actions] } : statement,
        ),
    };
}

describe("moto_server helper", () => {
    it("says how to install moto when moto_server is not on PATH", async () => {
        await assert.rejects(startMotoServer({ command: "moto_server_not_installed_here" }), (error: unknown) => {
            assert.ok(error instanceof MotoNotInstalledError);
            assert.equal(error.message, "moto_server_not_installed_here was not found on PATH: install with pip install 'moto[server]==5.2.1'");
            return true;
        });
    });
});

describe("npm run demo (scripts/demo.ts) on moto", function () {
    this.timeout(60_000);

    it("when the verify script fails, says plainly that the demo failed, exits non-zero, and claims nothing proved", async function () {
        const lines: string[] = [];
        // The user left out of the group: AssumeRole is refused (exit 1); --wait 0 keeps it short.
        const code = await runDemo({ log: (text) => lines.push(text), echo: false, scenario: { addUserToGroup: false }, extraVerifyArgs: ["--wait", "0"] });
        const text = lines.join("\n");
        if (code === 2 && text.includes(MOTO_INSTALL_HINT) && process.env.CI !== "true") {
            this.skip();
        }
        assert.equal(code, 1, text);
        assert.match(text, /^ {6}\$ npm run verify -- .* --wait 0$/m);
        assert.match(text, /^THE DEMO FAILED: the verify script exited 1, so this run proved nothing\. Its report above says which check did not pass and why\.$/m);
        assert.doesNotMatch(text, /What this proved/);
        assert.match(lines.at(-1) ?? "", /^moto stopped; temporary files removed\.$/);
    });
});

describe("verify script end to end on moto (IAM enforced)", function () {
    this.timeout(60_000);
    let moto: MotoServer | undefined;
    let scenario: Scenario | undefined;
    const timings: string[] = [];

    before(async function () {
        moto = await startMotoForSuite(this, "the moto end-to-end suite");
    });

    afterEach(async () => {
        await scenario?.cleanup();
        scenario = undefined;
    });

    after(async () => {
        await moto?.stop();
        if (timings.length > 0) {
            console.log(`    verify wall times: ${timings.join(", ")}`);
        }
    });

    /** Runs the verify script against the current scenario and checks it never prints a secret. */
    async function verify(args: string[], options: { onStderr?: (chunk: string) => void; env?: NodeJS.ProcessEnv } = {}): Promise<VerifyProcessResult> {
        const current = scenario as Scenario;
        const result = await runVerifyProcess(args, { env: options.env ?? current.env, timeoutMs: 45_000, onStderr: options.onStderr });
        timings.push(`${result.durationMs} ms`);
        const printed = result.stdout + result.stderr;
        assert.ok(!printed.includes(current.accounts.green.secretAccessKey), "printed the green secret key");
        assert.ok(!printed.includes(current.accounts.green.accessKeyId), "printed the green access key id unmasked");
        assert.doesNotMatch(printed, /\bASIA[A-Z0-9]{16}\b/, "printed a session's access key id");
        assert.doesNotMatch(printed, /FQoGZXIvYXdz/, "printed a session token");
        return result;
    }

    const endpointArgs = (): string[] => ["--endpoint", (moto as MotoServer).endpoint];
    /** The command line after a deploy, pointed at the emulator: the scenario's outputs, the green profile. */
    const baseArgs = (): string[] => ["--outputs", (scenario as Scenario).outputsFile, "--source-profile", "green", ...endpointArgs()];

    it("passes every check through AssumeRole from the green profile, and names the blue account", async () => {
        scenario = await prepareScenario(moto as MotoServer);
        const result = await verify([...baseArgs(), "--json"]);
        const parsed = reportOf(result);
        assert.equal(result.exitCode, 0, result.stdout);
        assert.equal(parsed.ok, true);
        assert.deepEqual(
            parsed.checks.map((check) => [check.id, check.status]),
            [
                [1, "pass"],
                [2, "pass"],
                [3, "pass"],
                [4, "pass"],
                [5, "pass"],
                [6, "pass"],
            ],
        );
        assert.equal(parsed.identities.source?.arn, `arn:aws:iam::${EMULATED_GREEN_ACCOUNT_ID}:user/s3-prod-user`);
        assert.equal(parsed.identities.role?.account, EMULATED_BLUE_ACCOUNT_ID);
        assert.match(parsed.identities.role?.arn ?? "", new RegExp(`^arn:aws:sts::${EMULATED_BLUE_ACCOUNT_ID}:assumed-role/CrossAccountS3Access-Role/cross-account-verify-\\d+$`));
        assert.equal(parsed.awsCalls, 13);
    });

    it("leaves one probe object however often it runs (the key is overwritten)", async () => {
        scenario = await prepareScenario(moto as MotoServer);
        for (let run = 0; run < 2; run++) {
            const result = await verify(baseArgs());
            assert.equal(result.exitCode, 0, result.stdout);
        }
        assert.deepEqual(await listAsRole(scenario, (moto as MotoServer).endpoint), [PROBE_KEY]);
    });

    it("passes through the blue CLI profile (role_arn + source_profile) found via --stack, with the table a user sees", async () => {
        scenario = await prepareScenario(moto as MotoServer);
        const pulumi = await installStandInPulumi({ blue: blueStackOutputs(scenario.accounts) });
        try {
            const result = await verify(["--stack", "blue", "--via", "profile", "--source-profile", "green", ...endpointArgs()], { env: pulumi.env(scenario.env) });
            assert.equal(result.exitCode, 0, result.stdout);
            const rows = result.stdout.split("\n").filter((line) => /^ {2}\d {2}/.test(line));
            assert.equal(rows.length, 6, result.stdout);
            for (const row of rows) {
                assert.match(row, / PASS {4}/, row);
            }
            assert.match(result.stdout, /via {7}role profile blue \(role_arn \+ source_profile\)/);
            assert.match(result.stdout, new RegExp(`assumed-role/CrossAccountS3Access-Role/.* \\(blue account ${EMULATED_BLUE_ACCOUNT_ID}\\)`));
            assert.match(result.stdout, /^PASS: all 6 checks passed/m);
            assert.deepEqual(await pulumi.calls(), ["stack output --json --show-secrets --stack blue"]);
        } finally {
            await pulumi.cleanup();
        }
    });

    it("fails with exit 1 at AssumeRole when the user is not in the group, after waiting and telling so", async () => {
        scenario = await prepareScenario(moto as MotoServer, { addUserToGroup: false });
        const result = await verify([...baseArgs(), "--wait", "1.5", "--json"]);
        const parsed = reportOf(result);
        assert.equal(result.exitCode, 1, result.stdout);
        assert.equal(parsed.checks[0].status, "pass");
        assert.equal(parsed.checks[1].status, "fail");
        assert.equal(parsed.checks[1].errorCode, "AccessDenied");
        // The structure, not the timing (a slow runner makes fewer attempts): it retried, spent the whole
        // --wait (the budget ends only once 1.5 s have passed), told each wait, and counted each attempt.
        const waited = /still refused after (\d+) attempts over (\d+\.\d) s\)$/.exec(parsed.checks[1].detail);
        assert.ok(waited, parsed.checks[1].detail);
        const [attempts, seconds] = [Number(waited[1]), Number(waited[2])];
        assert.ok(attempts >= 2, `${attempts} attempts`);
        assert.ok(seconds >= 1.5, `gave up after ${seconds} s, before --wait 1.5 was spent`);
        assert.equal(parsed.checks[1].awsCalls, attempts, "one AssumeRole call per attempt");
        const notices = result.stderr.match(/check 2: AssumeRole refused \(AccessDenied\); IAM may still be propagating\. Retry \d+ in /g) ?? [];
        assert.equal(notices.length, attempts - 1, result.stderr);
        assert.match(parsed.checks[1].hint ?? "", /in the group whose inline policy allows sts:AssumeRole/);
        assert.deepEqual(
            parsed.checks.slice(2).map((check) => check.status),
            ["skipped", "skipped", "skipped", "skipped"],
        );
    });

    it("waits out a refusal that clears while it waits (as IAM propagation does), then passes, with IAM enforced throughout", async () => {
        // A green admin that may change the group's membership: the fix is made with its own key, as a
        // request moto authorizes, so enforcement is never switched off while the script runs.
        scenario = await prepareScenario(moto as MotoServer, { addUserToGroup: false, greenAdmin: true });
        const { accounts } = scenario;
        const events: string[] = [];
        let fixed: Promise<void> | undefined;
        let fixFailed: unknown;
        const result = await verify([...baseArgs(), "--wait", "30", "--json"], {
            onStderr: (chunk) => {
                if (!fixed && chunk.includes("IAM may still be propagating")) {
                    events.push("refused");
                    // The refusal is real; now make the membership appear, as IAM would after propagating.
                    fixed = (async () => {
                        const admin = greenAdminIamClient(accounts);
                        try {
                            await admin.send(new AddUserToGroupCommand({ GroupName: DEFAULT_GROUP_NAME, UserName: accounts.green.userName }));
                            events.push("user added to the group");
                        } finally {
                            admin.destroy();
                        }
                    })().catch((error: unknown) => {
                        fixFailed = error;
                    });
                }
            },
        });
        await fixed;
        if (fixFailed) {
            throw fixFailed;
        }
        const parsed = reportOf(result);
        assert.deepEqual(events, ["refused", "user added to the group"], "the script never said it was waiting");
        assert.equal(result.exitCode, 0, result.stdout);
        // Check 2: every AssumeRole attempt was told as a wait but the last, which passed, then GetCallerIdentity.
        const waits = result.stderr.match(/check 2: AssumeRole refused \(AccessDenied\)/g) ?? [];
        assert.ok(waits.length >= 1, result.stderr);
        assert.equal(
            parsed.checks[1].awsCalls,
            waits.length + 2,
            `check 2 made ${parsed.checks[1].awsCalls} calls: expected ${waits.length} refused AssumeRole, a successful one and GetCallerIdentity`,
        );
        // Enforcement was on all along, and still is: the admin may not do more than change membership,
        // and the green user may not change the group (so the pass came from the membership, not from moto letting everything through).
        const admin = greenAdminIamClient(accounts);
        try {
            await assert.rejects(admin.send(new ListUsersCommand({})), (error: Error) => error.name === "AccessDenied");
        } finally {
            admin.destroy();
        }
        const user = new IAMClient({
            endpoint: accounts.endpoint,
            region: accounts.region,
            credentials: { accessKeyId: accounts.green.accessKeyId, secretAccessKey: accounts.green.secretAccessKey },
        });
        try {
            await assert.rejects(
                user.send(new RemoveUserFromGroupCommand({ GroupName: DEFAULT_GROUP_NAME, UserName: accounts.green.userName })),
                (error: Error) => error.name === "AccessDenied",
            );
        } finally {
            user.destroy();
        }
    });

    it("fails with exit 1 at PutObject when the role policy lacks s3:PutObject (the outputs say read-write)", async () => {
        // The component's own read-only policy on a role whose outputs say readOnly false.
        scenario = await prepareScenario(moto as MotoServer, { accessPolicyOverride: componentPolicy({ readOnly: true }) });
        const result = await verify([...baseArgs(), "--wait", "0", "--json"]);
        const parsed = reportOf(result);
        assert.equal(result.exitCode, 1, result.stdout);
        assert.deepEqual(
            parsed.checks.map((check) => check.status),
            ["pass", "pass", "fail", "skipped", "skipped", "skipped"],
        );
        assert.equal(parsed.checks[2].errorCode, "AccessDenied");
        assert.match(parsed.checks[2].hint ?? "", /may not call s3:PutObject on arn:aws:s3:::cross-account-s3-demo-bucket\/cross-account-verify\/probe\.txt/);
        assert.match(parsed.checks[2].hint ?? "", /if the role is meant to be read-only, pass --read-only/);
    });

    it("a read-only role (readOnly in the outputs): PutObject refused, listing allowed, NoSuchKey for a missing key; exit 0, nothing written", async () => {
        scenario = await prepareScenario(moto as MotoServer, { blueArgs: { readOnly: true } });
        const result = await verify([...baseArgs(), "--wait", "0", "--json"]);
        const parsed = reportOf(result);
        assert.equal(result.exitCode, 0, result.stdout);
        assert.equal(parsed.target.readOnly, true);
        assert.deepEqual(
            parsed.checks.map((check) => [check.name, check.status]),
            [
                ["green identity", "pass"],
                ["assume role", "pass"],
                ["refused: put (read-only)", "pass"],
                ["list allowed", "pass"],
                ["get allowed (NoSuchKey)", "pass"],
                ["refused actions", "pass"],
            ],
        );
        assert.equal(parsed.checks[2].detail, `PutObject on s3://${EMULATED_BUCKET_NAME}/${PROBE_KEY} refused (AccessDenied), as a read-only role must be`);
        assert.match(parsed.checks[4].detail, /answered NoSuchKey \(404\): reads are allowed$/);
        assert.equal(parsed.awsCalls, 13);
        assert.deepEqual(await listAsRole(scenario, (moto as MotoServer).endpoint), []);
    });

    it("--read-only on a role that may write: exit 1, PutObject was allowed (broader than intended)", async () => {
        scenario = await prepareScenario(moto as MotoServer);
        const result = await verify([...baseArgs(), "--read-only", "--json"]);
        const parsed = reportOf(result);
        assert.equal(result.exitCode, 1, result.stdout);
        assert.deepEqual(
            parsed.checks.map((check) => check.status),
            ["pass", "pass", "fail", "skipped", "skipped", "skipped"],
        );
        assert.match(parsed.checks[2].detail, /^the role is broader than intended: s3:PutObject was allowed on a read-only role/);
    });

    it("a read-only role that may list but not read: exit 1 at check 5 (GetObject of a missing key answers 403)", async () => {
        scenario = await prepareScenario(moto as MotoServer, {
            blueArgs: { readOnly: true },
            accessPolicyOverride: {
                ...componentPolicy({ readOnly: true }),
                Statement: componentPolicy({ readOnly: true }).Statement.filter((statement) => statement.Action.includes("s3:ListBucket")),
            },
        });
        const result = await verify([...baseArgs(), "--wait", "0", "--json"]);
        const parsed = reportOf(result);
        assert.equal(result.exitCode, 1, result.stdout);
        assert.deepEqual(
            parsed.checks.map((check) => check.status),
            ["pass", "pass", "pass", "pass", "fail", "skipped"],
        );
        assert.equal(parsed.checks[4].errorCode, "AccessDenied");
    });

    it("check 6 names every refused probe: 'refused: 7 probed actions', never 'nothing more'", async () => {
        scenario = await prepareScenario(moto as MotoServer);
        const parsed = reportOf(await verify([...baseArgs(), "--json"]));
        assert.equal(parsed.checks[5].status, "pass");
        assert.match(
            parsed.checks[5].detail,
            /^refused: 7 probed actions \(s3:DeleteObject, s3:PutBucketPolicy, s3:GetBucketPolicy, s3:ListAllMyBuckets, iam:CreateAccessKey, iam:AttachRolePolicy, kms:CreateKey; /,
        );
    });

    it("fails with exit 1 at check 6 when the role may also s3:DeleteObject; moto honours If-Match, so nothing is deleted (no delete marker)", async () => {
        scenario = await prepareScenario(moto as MotoServer, { accessPolicyOverride: withExtraObjectActions(componentPolicy(), ["s3:DeleteObject"]) });
        const result = await verify([...baseArgs(), "--json"]);
        const parsed = reportOf(result);
        assert.equal(result.exitCode, 1, result.stdout);
        assert.deepEqual(
            parsed.checks.map((check) => check.status),
            ["pass", "pass", "pass", "pass", "pass", "fail"],
        );
        assert.match(
            parsed.checks[5].detail,
            /^the role is broader than intended: 1 of 7 probed actions allowed: s3:DeleteObject \(answered NoSuchKey: authorized, then not carried out\); refused: 6 probed actions/,
        );
        assert.deepEqual(await objectVersionsInBlue(moto as MotoServer, scenario), { versions: [PROBE_KEY], deleteMarkers: [] });
    });

    it("a role with iam:* on *, s3:PutBucketPolicy and object access to every bucket fails check 6 (exit 1); moto, unlike AWS, stores the non-JSON policy", async () => {
        const broad = componentPolicy();
        scenario = await prepareScenario(moto as MotoServer, {
            accessPolicyOverride: {
                ...broad,
                Statement: [
                    ...broad.Statement,
                    { Sid: "EveryIam", Effect: "Allow", Action: ["iam:*"], Resource: ["*"] },
                    { Sid: "BucketPolicy", Effect: "Allow", Action: ["s3:PutBucketPolicy"], Resource: [`arn:aws:s3:::${EMULATED_BUCKET_NAME}`] },
                    { Sid: "EveryObject", Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], Resource: ["arn:aws:s3:::*/*"] },
                ],
            },
        });
        const result = await verify([...baseArgs(), "--json"]);
        const parsed = reportOf(result);
        assert.equal(result.exitCode, 1, result.stdout);
        assert.deepEqual(
            parsed.checks.map((check) => check.status),
            ["pass", "pass", "pass", "pass", "pass", "fail"],
        );
        const detail = parsed.checks[5].detail;
        assert.match(detail, /^the role is broader than intended: 4 of 7 probed actions allowed: /);
        for (const action of ["s3:DeleteObject", "s3:PutBucketPolicy", "iam:CreateAccessKey", "iam:AttachRolePolicy"]) {
            assert.ok(detail.includes(`${action} (`), `${action} not reported allowed: ${detail}`);
        }
        assert.match(detail, /; refused: 3 probed actions \(s3:GetBucketPolicy, s3:ListAllMyBuckets, kms:CreateKey; /);
        // What moto did with the allowed probes: IAM answered NoSuchEntity (nothing made), but moto does not
        // validate a bucket policy and stored the non-JSON body, which AWS refuses with MalformedPolicy.
        assert.match(detail, /iam:CreateAccessKey \(answered NoSuchEntity/);
        assert.match(detail, /s3:PutBucketPolicy \(PutBucketPolicy with a body that is not JSON: it succeeded\)/);
        assert.equal(await bucketPolicyInBlue(moto as MotoServer, scenario), NOT_A_POLICY);
    });

    it("a role that may kms:CreateKey fails check 6; moto, unlike AWS, accepts the non-JSON key policy", async () => {
        const policy = componentPolicy();
        scenario = await prepareScenario(moto as MotoServer, {
            accessPolicyOverride: { ...policy, Statement: [...policy.Statement, { Sid: "Kms", Effect: "Allow", Action: ["kms:CreateKey"], Resource: ["*"] }] },
        });
        const parsed = reportOf(await verify([...baseArgs(), "--json"]));
        assert.equal(parsed.exitCode, 1);
        assert.match(
            parsed.checks[5].detail,
            /^the role is broader than intended: 1 of 7 probed actions allowed: kms:CreateKey \(CreateKey with a key policy that is not JSON: it succeeded\)/,
        );
    });

    it("fails with exit 1 and names --bucket when the bucket name is wrong (moto refuses: the role has no right on it)", async () => {
        scenario = await prepareScenario(moto as MotoServer);
        const result = await verify([...baseArgs(), "--bucket", "no-such-bucket-here", "--wait", "0"]);
        assert.equal(result.exitCode, 1, result.stdout);
        assert.match(result.stdout, /3 {2}put probe object +FAIL .*AccessDenied/);
        assert.match(result.stdout, /hint: the role may not call s3:PutObject on arn:aws:s3:::no-such-bucket-here\/cross-account-verify\/probe\.txt: check --bucket/);
        assert.match(result.stdout, /^ACCESS WRONG \(exit 1\): check 3 \(put probe object\) failed/m);
    });

    it("exits 2 (could not run) when the emulator is down, saying which endpoint did not answer", async () => {
        scenario = await prepareScenario(moto as MotoServer);
        const deadEndpoint = `http://127.0.0.1:${await findFreePort()}`;
        // --wait 900: had it waited, the child would be killed at 45 s (no exit code): exit 2 proves it did not.
        const result = await verify(["--outputs", scenario.outputsFile, "--source-profile", "green", "--endpoint", deadEndpoint, "--wait", "900", "--json"]);
        const parsed = reportOf(result);
        assert.equal(result.exitCode, 2, result.stdout);
        assert.equal(parsed.checks[0].status, "error");
        assert.equal(parsed.checks[0].errorCode, "ECONNREFUSED");
        assert.equal(parsed.checks[0].hint, `the endpoint ${deadEndpoint} did not answer: is the emulator running? check --endpoint / AWS_ENDPOINT_URL`);
        assert.equal(parsed.checks[0].awsCalls, 1, "a network error is not retried");
        assert.doesNotMatch(result.stderr, /Retry \d+ in/);
    });

    it("exits 2 when the role profile does not exist (--via profile --role-profile)", async () => {
        scenario = await prepareScenario(moto as MotoServer);
        const result = await verify([...baseArgs(), "--via", "profile", "--role-profile", "blue-typo", "--json"]);
        const parsed = reportOf(result);
        assert.equal(result.exitCode, 2, result.stdout);
        assert.equal(parsed.checks[1].status, "error");
        assert.match(parsed.checks[1].hint ?? "", /role profile 'blue-typo'/);
    });

    describe("through a green ROLE (role chaining): the source profile is itself a role profile", () => {
        /** The scenario without the green user in the group, plus the green role chain; IAM enforced again after. */
        async function chainScenario(grant: boolean): Promise<GreenRoleChain> {
            scenario = await prepareScenario(moto as MotoServer, { addUserToGroup: false });
            await (moto as MotoServer).disableIamEnforcement();
            try {
                return await createGreenRoleChain(scenario.accounts, { grant, dir: scenario.files.dir });
            } finally {
                await (moto as MotoServer).enableIamEnforcement();
            }
        }
        const { greenRole, blueRole } = GREEN_ROLE_CHAIN_PROFILES;

        it("a green role allowed sts:AssumeRole on the blue role passes every check, through --via profile (a chained profile) and --via assume", async () => {
            const chain = await chainScenario(true);
            const env = { ...(scenario as Scenario).env, AWS_CONFIG_FILE: chain.configFile };
            for (const via of [
                ["--via", "profile", "--role-profile", blueRole],
                ["--via", "assume"],
            ]) {
                const result = await verify(["--outputs", (scenario as Scenario).outputsFile, "--source-profile", greenRole, ...via, ...endpointArgs(), "--wait", "0", "--json"], {
                    env,
                });
                assert.ok(!(result.stdout + result.stderr).includes(chain.baseSecretAccessKey), "printed the base user's secret key");
                const parsed = reportOf(result);
                assert.equal(result.exitCode, 0, result.stdout);
                assert.deepEqual(
                    parsed.checks.map((check) => check.status),
                    ["pass", "pass", "pass", "pass", "pass", "pass"],
                    via.join(" "),
                );
                // The source identity is the green role's session: no user is the source.
                assert.match(parsed.identities.source?.arn ?? "", new RegExp(`^arn:aws:sts::${EMULATED_GREEN_ACCOUNT_ID}:assumed-role/ci-deployer/`));
                assert.match(parsed.identities.role?.arn ?? "", new RegExp(`^arn:aws:sts::${EMULATED_BLUE_ACCOUNT_ID}:assumed-role/CrossAccountS3Access-Role/`));
            }
        });

        it("a green role without the grant is refused at check 2 (exit 1), through both --via", async () => {
            const chain = await chainScenario(false);
            const env = { ...(scenario as Scenario).env, AWS_CONFIG_FILE: chain.configFile };
            for (const via of [
                ["--via", "profile", "--role-profile", blueRole],
                ["--via", "assume"],
            ]) {
                const result = await verify(["--outputs", (scenario as Scenario).outputsFile, "--source-profile", greenRole, ...via, ...endpointArgs(), "--wait", "0", "--json"], {
                    env,
                });
                const parsed = reportOf(result);
                assert.equal(result.exitCode, 1, result.stdout);
                assert.equal(parsed.checks[0].status, "pass");
                assert.match(parsed.identities.source?.arn ?? "", /:assumed-role\/ci-deployer\//);
                assert.equal(parsed.checks[1].status, "fail", via.join(" "));
                assert.equal(parsed.checks[1].errorCode, "AccessDenied");
            }
        });
    });

    describe("what moto does not check (documented by tests that fail if moto starts checking it)", () => {
        it("moto skips the trust policy on a cross-account AssumeRole: a role that trusts another account still passes here", async () => {
            scenario = await prepareScenario(moto as MotoServer, { blueArgs: { greenAccountId: "333333333333" } });
            const result = await verify([...baseArgs(), "--wait", "0", "--json"]);
            // Real AWS would refuse AssumeRole (exit 1). If this starts failing, moto checks trust: add a negative case.
            assert.equal(result.exitCode, 0, result.stdout);
        });

        it("a role limited to objectKeyPrefix: refused outside it; inside it moto fails the listing's signature (a '/' in the prefix)", async () => {
            scenario = await prepareScenario(moto as MotoServer, { blueArgs: { objectKeyPrefix: "uploads/" } });
            // Without the outputs (which name the prefix), the probe goes to the bucket's root: refused.
            const { accounts } = scenario;
            const outside = reportOf(
                await verify([
                    "--role-arn",
                    accounts.blue.roleArn,
                    "--bucket",
                    accounts.blue.bucketName,
                    "--region",
                    accounts.region,
                    "--source-profile",
                    "green",
                    ...endpointArgs(),
                    "--wait",
                    "0",
                    "--json",
                ]),
            );
            assert.equal(outside.exitCode, 1);
            assert.equal(outside.checks[2].status, "fail");
            assert.match(outside.checks[2].hint ?? "", /--key-prefix if the role is limited to an objectKeyPrefix/);

            // With the outputs, the objectKeyPrefix output puts the probe under uploads/.
            const inside = reportOf(await verify([...baseArgs(), "--wait", "0", "--json"]));
            assert.equal(inside.target.probeKey, "uploads/cross-account-verify/probe.txt");
            assert.deepEqual(
                inside.checks.slice(0, 3).map((check) => check.status),
                ["pass", "pass", "pass"],
            );
            // Real S3 lists prefix=uploads/cross-account-verify; moto 5.2.1 answers SignatureDoesNotMatch
            // to any query value holding '/'. If this starts passing, turn it into a positive case.
            assert.equal(inside.checks[3].errorCode, "SignatureDoesNotMatch");
        });

        it("moto ignores the trust policy's ExternalId and MFA: the role passes with them, and the script still stops without an MFA code", async () => {
            const externalId = "emulated-external-id-3e8b";
            scenario = await prepareScenario(moto as MotoServer, { blueArgs: { externalId, requireMfa: true } });
            const mfaSerial = scenario.accounts.green.mfaSerial as string;
            const secrets = (result: VerifyProcessResult): void => {
                assert.ok(!(result.stdout + result.stderr).includes(externalId), "printed the ExternalId");
                assert.ok(!(result.stdout + result.stderr).includes("482910"), "printed the MFA code");
            };

            // --wait 900: had it waited, the child would be killed at 45 s (no exit code): exit 2 proves it did not.
            const noCode = await verify([...baseArgs(), "--wait", "900", "--json"]);
            secrets(noCode);
            assert.equal(noCode.exitCode, 2, noCode.stdout);
            const stopped = JSON.parse(noCode.stdout) as { checks: unknown[]; error: { message: string; hint: string } };
            assert.deepEqual(stopped.checks, [], "no check ran: no AWS call");
            assert.match(stopped.error.message, /says the role requires MFA \(output mfaRequired\), and no --token-code was given/);
            assert.match(stopped.error.hint, /--mfa-serial ARN .* --token-code CODE/);

            // Real AWS would check the code against the device; moto accepts any code, so this proves only that the calls go through.
            const viaAssume = await verify([...baseArgs(), "--mfa-serial", mfaSerial, "--token-code", "482910", "--json"]);
            secrets(viaAssume);
            assert.equal(viaAssume.exitCode, 0, viaAssume.stdout);
            assert.equal(reportOf(viaAssume).target.externalIdFrom, `--outputs ${scenario.outputsFile} (output externalId)`);
            const viaProfile = await verify([...baseArgs(), "--via", "profile", "--token-code", "482910"]);
            secrets(viaProfile);
            assert.equal(viaProfile.exitCode, 0, viaProfile.stdout);
        });

        it("moto ignores the Bool condition: the TLS-only bucket policy denies every object call (a bare 403)", async () => {
            scenario = await prepareScenario(moto as MotoServer, { applyBucketPolicy: true });
            const result = await verify([...baseArgs(), "--wait", "0", "--json"]);
            const parsed = reportOf(result);
            assert.equal(result.exitCode, 1, result.stdout);
            assert.equal(parsed.checks[2].errorCode, "AccessDenied (bare 403)");
        });
    });
});
