/**
 * The pure policy builders' options, and the canonical serialisation.
 */
import { strict as assert } from "assert";
// From the modules themselves, not the package entry: this pure suite need not load the Pulumi SDK.
import { assumeRolePolicy, bucketAccessPolicy, roleTrustPolicy } from "../components/policies";
import { serializePolicy } from "../components/policyDocument";

describe("policies: builders and serialisation", () => {
    it("scopes objects and listing to a key prefix", () => {
        assert.deepEqual(bucketAccessPolicy({ bucketName: "b", objectKeyPrefix: "uploads/" }).Statement, [
            { Sid: "PutGetObjects", Effect: "Allow", Action: ["s3:PutObject", "s3:GetObject"], Resource: ["arn:aws:s3:::b/uploads/*"] },
            { Sid: "ListBucket", Effect: "Allow", Action: ["s3:ListBucket"], Resource: ["arn:aws:s3:::b"], Condition: { StringLike: { "s3:prefix": ["uploads/*"] } } },
        ]);
    });

    it("grants no write in read-only mode, not even on the KMS key", () => {
        const statements = bucketAccessPolicy({ bucketName: "b", readOnly: true, kmsKeyArn: "arn:aws:kms:eu-west-1:111111111111:key/k" }).Statement;
        assert.deepEqual(statements.map((s) => s.Action), [["s3:GetObject"], ["s3:ListBucket"], ["kms:Decrypt"]]);
    });

    it("writes ARNs in the given partition", () => {
        const statements = bucketAccessPolicy({ bucketName: "b", partition: "aws-cn" }).Statement;
        assert.deepEqual(statements.map((s) => s.Resource), [["arn:aws-cn:s3:::b/*"], ["arn:aws-cn:s3:::b"]]);
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
        assert.equal(text, '{"Statement":[{"Action":["sts:AssumeRole"],"Effect":"Allow","Resource":["arn:aws:iam::111111111111:role/r"],"Sid":"AssumeCrossAccountBucketRole"}],"Version":"2012-10-17"}');
        assert.ok(!serializePolicy(bucketAccessPolicy({ bucketName: "b" })).includes("Condition"));
    });
});
