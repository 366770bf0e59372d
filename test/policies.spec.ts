/**
 * The pure policy builders' options, and the canonical serialisation.
 */
import { strict as assert } from "assert";
// From the modules themselves, not the package entry: this pure suite need not load the Pulumi SDK.
import { assumeRolePolicy, bucketAccessPolicy, roleTrustPolicy } from "../components/policies";
import { serializePolicy } from "../components/policyDocument";
import { resolveBucketAccessRoleArgs } from "../components/bucketAccessRole";
import { InvalidArgumentsError } from "../components/invalidArgumentsError";

/** An IAM Identity Center role pattern of 87 characters, number `i`. */
const ssoPattern = (i: number) => `arn:aws:iam::222222222222:role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_Team${String(i).padStart(2, "0")}_*`;

describe("policies: builders and serialisation", () => {
    it("scopes objects and listing to a key prefix", () => {
        assert.deepEqual(bucketAccessPolicy({ bucketName: "b", objectKeyPrefix: "uploads/" }).Statement, [
            { Sid: "PutGetObjects", Effect: "Allow", Action: ["s3:PutObject", "s3:GetObject"], Resource: ["arn:aws:s3:::b/uploads/*"] },
            { Sid: "ListBucket", Effect: "Allow", Action: ["s3:ListBucket"], Resource: ["arn:aws:s3:::b"], Condition: { StringLike: { "s3:prefix": ["uploads/*"] } } },
        ]);
    });

    it("grants no write in read-only mode, not even on the KMS key", () => {
        const statements = bucketAccessPolicy({ bucketName: "b", readOnly: true, kmsKeyArn: "arn:aws:kms:eu-west-1:111111111111:key/k" }).Statement;
        assert.deepEqual(
            statements.map((s) => s.Action),
            [["s3:GetObject"], ["s3:ListBucket"], ["kms:Decrypt"]],
        );
    });

    it("writes ARNs in the given partition", () => {
        const statements = bucketAccessPolicy({ bucketName: "b", partition: "aws-cn" }).Statement;
        assert.deepEqual(
            statements.map((s) => s.Resource),
            [["arn:aws-cn:s3:::b/*"], ["arn:aws-cn:s3:::b"]],
        );
        assert.deepEqual(roleTrustPolicy({ greenAccountId: "222222222222", partition: "aws-us-gov" }).Statement[0].Principal, { AWS: "arn:aws-us-gov:iam::222222222222:root" });
    });

    it("combines ExternalId, organization and MFA conditions in the trust policy", () => {
        const trust = roleTrustPolicy({ greenAccountId: "222222222222", externalId: "abc123", principalOrgId: "o-abcdefghij", requireMfa: true });
        assert.deepEqual(trust.Statement[0].Condition, {
            StringEquals: { "sts:ExternalId": "abc123", "aws:PrincipalOrgID": "o-abcdefghij" },
            Bool: { "aws:MultiFactorAuthPresent": "true" },
        });
    });

    it("trusts listed principals instead of the account root", () => {
        const arns = ["arn:aws:iam::222222222222:user/a", "arn:aws:iam::222222222222:role/b"];
        assert.deepEqual(roleTrustPolicy({ greenAccountId: "222222222222", trustedPrincipalArns: arns }).Statement[0].Principal, { AWS: arns });
    });

    it("serialises with sorted keys, no white space and no undefined fields", () => {
        const text = serializePolicy(assumeRolePolicy("arn:aws:iam::111111111111:role/r"));
        assert.equal(
            text,
            '{"Statement":[{"Action":["sts:AssumeRole"],"Effect":"Allow","Resource":["arn:aws:iam::111111111111:role/r"],"Sid":"AssumeCrossAccountBucketRole"}],"Version":"2012-10-17"}',
        );
        assert.ok(!serializePolicy(bucketAccessPolicy({ bucketName: "b" })).includes("Condition"));
    });

    it("checks the 2,048-character trust policy limit with ARN patterns: 20 patterns of 87 characters fit (2,026), 21 do not (2,116)", () => {
        const patterns = (n: number) => Array.from({ length: n }, (_, i) => ssoPattern(i));
        assert.equal(ssoPattern(0).length, 87);
        const size = (n: number, extra: object = {}) =>
            serializePolicy(roleTrustPolicy({ greenAccountId: "222222222222", trustedPrincipalArnPatterns: patterns(n), ...extra })).length;
        assert.deepEqual([size(1), size(20), size(21)], [314, 2026, 2116], "each further pattern adds its 87 characters, two quotes and a comma");
        const args = (n: number, extra: object = {}) => ({ greenAccountId: "222222222222", bucketName: "my-bucket-blue", trustedPrincipalArnPatterns: patterns(n), ...extra });
        assert.equal(resolveBucketAccessRoleArgs(args(20)).trustPolicy?.length, 2026);
        assert.throws(
            () => resolveBucketAccessRoleArgs(args(21)),
            (error: Error) =>
                error instanceof InvalidArgumentsError &&
                /^BucketAccessRoleArgs\.trustedPrincipalArnPatterns: the trustPolicy would be 2116 characters, over IAM's limit of 2048/.test(error.message),
        );
        // The conditions go into the pattern statement too: an ExternalId of 32 characters and MFA tip 20 patterns over.
        const conditions = { externalId: "x".repeat(32), requireMfa: true };
        assert.equal(size(20, conditions), 2140);
        assert.throws(() => resolveBucketAccessRoleArgs(args(20, conditions)), /trustedPrincipalArnPatterns: the trustPolicy would be 2140 characters/);
    });

    it("trusts ARN patterns through the green root narrowed by ArnLike on aws:PrincipalArn, next to principals by ARN", () => {
        const both = roleTrustPolicy({
            greenAccountId: "222222222222",
            trustedPrincipalArns: ["arn:aws:iam::222222222222:role/ci-deployer"],
            trustedPrincipalArnPatterns: [ssoPattern(0), ssoPattern(1)],
        });
        assert.deepEqual(both.Statement, [
            { Sid: "TrustIdentityAccount", Effect: "Allow", Principal: { AWS: "arn:aws:iam::222222222222:role/ci-deployer" }, Action: ["sts:AssumeRole"], Condition: undefined },
            {
                Sid: "TrustGreenPrincipalsByArnPattern",
                Effect: "Allow",
                Principal: { AWS: "arn:aws:iam::222222222222:root" },
                Action: ["sts:AssumeRole"],
                Condition: { ArnLike: { "aws:PrincipalArn": [ssoPattern(0), ssoPattern(1)] } },
            },
        ]);
        const alone = roleTrustPolicy({ greenAccountId: "222222222222", trustedPrincipalArnPatterns: [ssoPattern(0)] });
        assert.deepEqual(
            alone.Statement.map((s) => s.Sid),
            ["TrustGreenPrincipalsByArnPattern"],
            "patterns alone: not the whole account",
        );
    });
});
