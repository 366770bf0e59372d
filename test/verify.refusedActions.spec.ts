/**
 * Check 6 (refusedActionsCheck.ts, refusedActionProbes.ts) against a fake AWS that records every
 * request and answers each probe as AWS does: AccessDenied when refused, and when allowed the error
 * of the impossible request (NoSuchKey, MalformedPolicy, NoSuchEntity, MalformedPolicyDocumentException).
 * Shown here: the report says exactly what was probed, any one allowed probe fails the check, and
 * each probe asks for something that cannot happen. moto's answers are in verify.moto.e2e.spec.ts.
 */
import assert from "node:assert/strict";
import { parseVerifyArgs } from "../scripts/verify/args";
import { runChecks } from "../scripts/verify/checks";
import type { VerifyReport } from "../scripts/verify/checkTypes";
import { roleCredentialProvider } from "../scripts/verify/credentials";
import { NEGATIVE_KEY_PREFIX } from "../scripts/verify/probe";
import { NEVER_EXISTING_IAM_NAME_PREFIX, NOT_A_POLICY, REFUSED_ACTION_PROBES } from "../scripts/verify/refusedActionProbes";
import { resolveTarget } from "../scripts/verify/target";
import { FakeAwsOptions, FakeS3Action, RecordedAwsRequest, startFakeAws } from "./fixtures/verify/fakeAws";
import { BLUE_ACCOUNT, BUCKET, GREEN_ACCOUNT, REGION } from "../harness/stackConfigs";

const INTENDED: FakeS3Action[] = ["s3:PutObject", "s3:GetObject", "s3:ListBucket"];

async function checks(allow: FakeS3Action[], more: Partial<FakeAwsOptions> = {}): Promise<{ report: VerifyReport; requests: RecordedAwsRequest[]; objects: string[] }> {
    const fake = await startFakeAws({ bucket: BUCKET, blueAccountId: BLUE_ACCOUNT, greenAccountId: GREEN_ACCOUNT, allow: new Set(allow), ...more });
    try {
        const args = parseVerifyArgs(["--role-arn", `arn:aws:iam::${BLUE_ACCOUNT}:role/CrossAccountS3Access-Role`, "--bucket", BUCKET, "--region", REGION], {});
        const target = resolveTarget(args, undefined, {});
        const clientTarget = { region: target.region, endpoint: fake.endpoint };
        const report = await runChecks({
            target,
            endpoint: fake.endpoint,
            via: "assume",
            waitSeconds: 0,
            sourceCredentials: async () => ({ accessKeyId: "AKIAFAKEGREENUSER001", secretAccessKey: "fake-green-secret" }),
            roleCredentials: (source) => roleCredentialProvider({ via: "assume", roleArn: target.roleArn, roleProfile: "blue" }, source, clientTarget),
        });
        return { report, requests: [...fake.requests], objects: [...fake.objects.keys()] };
    } finally {
        await fake.stop();
    }
}

describe("verify script: check 6 probes a documented set of refused actions", function () {
    this.timeout(30_000);

    it("the set spans S3 objects, bucket configuration, account-level S3, IAM and KMS, each with why it changes nothing", () => {
        assert.deepEqual(
            REFUSED_ACTION_PROBES.map((probe) => probe.action),
            ["s3:DeleteObject", "s3:PutBucketPolicy", "s3:GetBucketPolicy", "s3:ListAllMyBuckets", "iam:CreateAccessKey", "iam:AttachRolePolicy", "kms:CreateKey"],
        );
        assert.deepEqual([...new Set(REFUSED_ACTION_PROBES.map((probe) => probe.area))], ["S3 object", "S3 bucket configuration", "account-level S3", "IAM", "KMS"]);
        for (const probe of REFUSED_ACTION_PROBES) {
            assert.ok(probe.sideEffectFree.length > 0 && probe.request.length > 0, probe.action);
        }
    });

    it("all refused: passes, saying exactly 'refused: 7 probed actions' and naming them; each request asks for something that cannot happen", async () => {
        const { report, requests, objects } = await checks(INTENDED);
        assert.equal(report.exitCode, 0, JSON.stringify(report.checks, null, 2));
        const check6 = report.checks[5];
        assert.equal(check6.name, "refused actions");
        assert.equal(
            check6.detail,
            "refused: 7 probed actions (s3:DeleteObject, s3:PutBucketPolicy, s3:GetBucketPolicy, s3:ListAllMyBuckets, " +
                "iam:CreateAccessKey, iam:AttachRolePolicy, kms:CreateKey; AccessDenied, AccessDeniedException)",
        );
        assert.doesNotMatch(check6.detail, /nothing more/);
        assert.equal(check6.awsCalls, 7);
        assert.equal(report.awsCalls, 13);

        const probes = requests.slice(requests.findIndex((request) => request.action === "DeleteObject"));
        assert.deepEqual(
            probes.map((request) => [request.service, request.action, request.status]),
            [
                ["s3", "DeleteObject", 403],
                ["s3", "PutBucketPolicy", 403],
                ["s3", "GetBucketPolicy", 403],
                ["s3", "ListBuckets", 403],
                ["iam", "CreateAccessKey", 403],
                ["iam", "AttachRolePolicy", 403],
                ["kms", "CreateKey", 400],
            ],
        );
        const [deleteObject, , , , createAccessKey, attachRolePolicy, createKey] = probes;
        assert.ok(deleteObject.key?.startsWith(NEGATIVE_KEY_PREFIX), deleteObject.key);
        assert.equal(deleteObject.params["if-match"], "*", "the delete is conditional: it can only apply to an existing object");
        assert.ok(createAccessKey.params.UserName.startsWith(NEVER_EXISTING_IAM_NAME_PREFIX));
        assert.ok(attachRolePolicy.params.RoleName.startsWith(NEVER_EXISTING_IAM_NAME_PREFIX));
        assert.equal(attachRolePolicy.params.PolicyArn, "arn:aws:iam::aws:policy/AdministratorAccess");
        assert.equal(createKey.params.Policy, NOT_A_POLICY);
        assert.throws(() => JSON.parse(NOT_A_POLICY) as unknown, "the policies sent are not JSON");
        assert.deepEqual(objects, ["cross-account-verify/probe.txt"], "nothing but the probe object");
    });

    const extras: { allow: FakeS3Action; allowed: RegExp }[] = [
        { allow: "s3:DeleteObject", allowed: /s3:DeleteObject \(answered NoSuchKey: authorized, then not carried out\)/ },
        { allow: "s3:PutBucketPolicy", allowed: /s3:PutBucketPolicy \(answered MalformedPolicy: authorized, then not carried out\)/ },
        { allow: "s3:GetBucketPolicy", allowed: /s3:GetBucketPolicy \(answered NoSuchBucketPolicy/ },
        { allow: "s3:ListAllMyBuckets", allowed: /s3:ListAllMyBuckets \(ListBuckets: it succeeded\)/ },
        { allow: "iam:CreateAccessKey", allowed: /iam:CreateAccessKey \(answered NoSuchEntity: authorized, then not carried out\)/ },
        { allow: "iam:AttachRolePolicy", allowed: /iam:AttachRolePolicy \(answered NoSuchEntity/ },
        { allow: "kms:CreateKey", allowed: /kms:CreateKey \(answered MalformedPolicyDocumentException: authorized, then not carried out\)/ },
    ];
    for (const { allow, allowed } of extras) {
        it(`a role that may also ${allow}: check 6 fails (exit 1), names it, and counts the 6 others as refused`, async () => {
            const { report, objects } = await checks([...INTENDED, allow]);
            assert.equal(report.exitCode, 1);
            const check6 = report.checks[5];
            assert.equal(check6.status, "fail");
            assert.match(check6.detail, /^the role is broader than intended: 1 of 7 probed actions allowed: /);
            assert.match(check6.detail, allowed);
            assert.match(check6.detail, /; refused: 6 probed actions \(/);
            assert.match(check6.hint ?? "", /look for extra actions or wildcards \(s3:\*, iam:\*, kms:\*, \*\)/);
            assert.deepEqual(objects, ["cross-account-verify/probe.txt"], "an allowed probe changed nothing");
        });
    }

    it("an answer that is neither a refusal nor the probe's 'allowed' error leaves check 6 undecided (exit 0, said), naming it", async () => {
        const { report } = await checks(INTENDED, { kmsAnswer: { status: 400, type: "UnsupportedOperationException" } });
        assert.equal(report.exitCode, 0);
        assert.equal(report.checks[5].status, "inconclusive");
        assert.match(
            report.checks[5].detail,
            /^refused: 6 probed actions \(s3:DeleteObject, .*iam:AttachRolePolicy; AccessDenied\); could not decide kms:CreateKey \(answered UnsupportedOperationException, HTTP 400\)$/,
        );
    });

    it("a 5xx from a probe means check 6 could not run (exit 2), not that the action is refused", async () => {
        const { report } = await checks(INTENDED, { kmsAnswer: { status: 503, type: "KMSInternalException" } });
        assert.equal(report.exitCode, 2);
        assert.equal(report.checks[5].status, "error");
        assert.equal(report.checks[5].errorCode, "KMSInternalException");
    });
});
