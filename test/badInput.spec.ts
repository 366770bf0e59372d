/**
 * Bad input is refused while the program is evaluated, before any AWS resource is registered, with
 * an error that names the config key (or component argument), the value and the fix.
 */
import { strict as assert } from "assert";
import { BLUE_ACCOUNT, BLUE_STACK, BUCKET, blueConfig, bothConfig, GREEN_ACCOUNT, greenConfig } from "../harness/stackConfigs";
import { runProgramExpectingError } from "../harness/pulumiMocks";

interface BadInputRow {
    /** What is wrong. */
    readonly case: string;
    /** The full config of the run. */
    readonly config: Record<string, string>;
    /** Outputs of the blue stack, for green runs. */
    readonly blueOutputs?: Record<string, unknown>;
    /** The message must match this; with several mistakes, each of these (one line each). */
    readonly message: RegExp | readonly RegExp[];
}

const ROLE_ARN = `arn:aws:iam::${BLUE_ACCOUNT}:role/CrossAccountS3Access-Role`;
/** 21 patterns of 87 characters: a trust policy of 2,116 characters (20 fit, at 2,026; see test/policies.spec.ts). */
const longPatterns = JSON.stringify(
    Array.from({ length: 21 }, (_, i) => `arn:aws:iam::${GREEN_ACCOUNT}:role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_Team${String(i).padStart(2, "0")}_*`),
);
const longArns = JSON.stringify(Array.from({ length: 40 }, (_, i) => `arn:aws:iam::${GREEN_ACCOUNT}:user/a-rather-long-user-name-number-${i}`));

const ROWS: BadInputRow[] = [
    {
        case: "side missing",
        config: blueConfig({ side: "" }),
        message: /^cross-account-s3:side: it is not set\. Set blue \(resource account\), green \(identity account\) or both/,
    },
    { case: "side misspelt", config: blueConfig({ side: "bleu" }), message: /^cross-account-s3:side: "bleu" is not a side\./ },
    {
        case: "blue account id too short",
        config: blueConfig({ blueAccountId: "11111111111" }),
        message: /^cross-account-s3:blueAccountId: "11111111111" is not an AWS account id\. Give the 12 digits/,
    },
    {
        case: "green account id with letters",
        config: blueConfig({ greenAccountId: "22222222222x" }),
        message: /^cross-account-s3:greenAccountId: "22222222222x" is not an AWS account id/,
    },
    {
        case: "same account on both sides",
        config: blueConfig({ greenAccountId: BLUE_ACCOUNT }),
        message: /^cross-account-s3:greenAccountId: the resource \(blue\) and identity \(green\) accounts are both 111111111111/,
    },
    { case: "region missing", config: blueConfig({ "aws:region": "" }), message: /^aws:region: it is not set\. Set the region/ },
    { case: "region malformed", config: blueConfig({ "aws:region": "Europe" }), message: /^aws:region: "Europe" is not an AWS region/ },
    { case: "bucket name missing on blue", config: blueConfig({ bucketName: "" }), message: /^cross-account-s3:bucketName: it is not set\. Name the S3 bucket/ },
    {
        case: "bucket name with capitals",
        config: blueConfig({ bucketName: "My_Bucket" }),
        message: /^cross-account-s3:bucketName: "My_Bucket" is not a valid S3 bucket name\. Use 3 to 63 lowercase/,
    },
    { case: "bucket name too short", config: blueConfig({ bucketName: "ab" }), message: /^cross-account-s3:bucketName: "ab" is not a valid S3 bucket name/ },
    { case: "bucket name like an IP address", config: blueConfig({ bucketName: "192.168.5.4" }), message: /formatted as an IP address/ },
    { case: "bucket name with adjacent dots", config: blueConfig({ bucketName: "my..bucket" }), message: /^cross-account-s3:bucketName: "my..bucket" has adjacent dots/ },
    { case: "bucket name with reserved prefix", config: blueConfig({ bucketName: "xn--bucket" }), message: /uses the reserved prefix "xn--"/ },
    {
        case: "role name too long",
        config: blueConfig({ roleName: "r".repeat(65) }),
        message: /^cross-account-s3:roleName: "r{65}" is not a valid IAM role name\. Use 1 to 64 characters/,
    },
    {
        case: "policy name with a space",
        config: blueConfig({ policyName: "Cross Account" }),
        message: /^cross-account-s3:policyName: "Cross Account" is not a valid IAM policy name/,
    },
    { case: "IAM path without trailing slash", config: blueConfig({ iamPath: "/team" }), message: /^cross-account-s3:iamPath: "\/team" is not a valid IAM path/ },
    { case: "group name with a slash", config: greenConfig({ groupName: "prod/s3" }), message: /^cross-account-s3:groupName: "prod\/s3" is not a valid IAM group name/ },
    { case: "no users", config: greenConfig({ userNames: "[]" }), message: /^cross-account-s3:userNames: \[\] names no user/ },
    {
        case: "duplicate users ignoring case",
        config: greenConfig({ userNames: JSON.stringify(["alice", "Alice"]) }),
        message: /^cross-account-s3:userNames: user "Alice" appears twice \(IAM user names ignore case\)/,
    },
    {
        case: "user name invalid",
        config: greenConfig({ userNames: JSON.stringify(["ok", "not ok"]) }),
        message: /^cross-account-s3:userNames\[1\]: "not ok" is not a valid IAM user name/,
    },
    { case: "userNames not a list", config: greenConfig({ userNames: "alice" }), message: /^cross-account-s3:userNames: it is not a list of strings/ },
    { case: "blueStack missing on green", config: greenConfig({ blueStack: "" }), message: /^cross-account-s3:blueStack: it is not set\. Name the blue stack/ },
    {
        case: "blue stack without roleArn",
        config: greenConfig(),
        blueOutputs: { bucketName: BUCKET },
        message: /^cross-account-s3:blueStack: stack "organization\/cross-account-s3\/blue" has no roleArn output/,
    },
    {
        case: "roleArn output not a role ARN",
        config: greenConfig(),
        blueOutputs: { roleArn: "arn:aws:s3:::bucket" },
        message: /is not an IAM role ARN\. Give an ARN of the form arn:aws:iam::123456789012:role\/NAME/,
    },
    {
        case: "trusted principal in a third account",
        config: blueConfig({ trustedPrincipalArns: JSON.stringify(["arn:aws:iam::333333333333:user/eve"]) }),
        message: /^cross-account-s3:trustedPrincipalArns\[0\]: "arn:aws:iam::333333333333:user\/eve" is in account 333333333333, not the green account 222222222222/,
    },
    {
        case: "trusted principal with a space in its name",
        config: blueConfig({ trustedPrincipalArns: JSON.stringify(["arn:aws:iam::222222222222:user/bad name"]) }),
        message: /^cross-account-s3:trustedPrincipalArns\[0\]: "arn:aws:iam::222222222222:user\/bad name" is not an IAM principal ARN/,
    },
    {
        case: "trusted principal not an ARN",
        config: blueConfig({ trustedPrincipalArns: JSON.stringify(["*"]) }),
        message: /^cross-account-s3:trustedPrincipalArns\[0\]: "\*" is not an IAM principal ARN/,
    },
    {
        case: "trust policy over 2,048 characters",
        config: blueConfig({ trustedPrincipalArns: longArns }),
        message: /^cross-account-s3:trustedPrincipalArns: the trustPolicy would be \d+ characters, over IAM's limit of 2048/,
    },
    {
        case: "object key prefix without trailing slash",
        config: blueConfig({ objectKeyPrefix: "uploads" }),
        message: /^cross-account-s3:objectKeyPrefix: "uploads" is not a usable key prefix/,
    },
    { case: "KMS alias instead of key ARN", config: blueConfig({ kmsKeyArn: "alias/my-key" }), message: /^cross-account-s3:kmsKeyArn: "alias\/my-key" is not a KMS key ARN/ },
    {
        case: "session duration out of range",
        config: blueConfig({ maxSessionDurationSeconds: "60" }),
        message: /^cross-account-s3:maxSessionDurationSeconds: 60 is not a session duration IAM accepts/,
    },
    { case: "boolean that is not", config: blueConfig({ readOnly: "yes" }), message: /^cross-account-s3:readOnly: "yes" is not a boolean/ },
    { case: "organization id malformed", config: blueConfig({ principalOrgId: "org-1" }), message: /^cross-account-s3:principalOrgId: "org-1" is not an AWS Organizations id/ },
    {
        case: "ExternalId too short, value not shown",
        config: blueConfig({ externalId: "x" }),
        message: /^cross-account-s3:externalId: the value is not a valid ExternalId \(not shown\)/,
    },
    {
        case: "key of another side set",
        config: blueConfig({ blueStack: BLUE_STACK }),
        message: /^cross-account-s3:blueStack: it is set, but a stack with side=blue does not use it/,
    },
    {
        case: "both without green credentials",
        config: bothConfig({ greenProfile: "" }),
        message: /^cross-account-s3:greenProfile: a stack with side=both needs credentials for the identity account/,
    },
    {
        case: "green assume-role ARN malformed",
        config: bothConfig({ greenAssumeRoleArn: "deployer" }),
        message: /^cross-account-s3:greenAssumeRoleArn: "deployer" is not an IAM role ARN/,
    },
    {
        case: "KMS key of another account",
        config: blueConfig({ kmsKeyArn: "arn:aws:kms:eu-west-1:333333333333:key/1234abcd-12ab-34cd-56ef-1234567890ab" }),
        message: /^cross-account-s3:kmsKeyArn: the key is in account 333333333333, not the bucket's account 111111111111/,
    },
    { case: "MFA device not an ARN", config: greenConfig({ mfaSerial: "my-phone" }), message: /^cross-account-s3:mfaSerial: "my-phone" is not an MFA device ARN/ },
    {
        case: "blue requires MFA, green names no device",
        config: greenConfig(),
        blueOutputs: { roleArn: ROLE_ARN, mfaRequired: true },
        message: /^cross-account-s3:mfaSerial: the role of stack "organization\/cross-account-s3\/blue" requires MFA/,
    },
    {
        case: "both with MFA required and no MFA device",
        config: bothConfig({ requireMfa: "true" }),
        message: /^cross-account-s3:mfaSerial: the role requires MFA, and the users' CLI profile names no MFA device\. Give the first user's MFA device ARN/,
    },
    {
        case: "KMS key while encryption is off",
        config: blueConfig({ encryption: "false", kmsKeyArn: `arn:aws:kms:eu-west-1:${BLUE_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab` }),
        message: /^cross-account-s3:kmsKeyArn: it was given while encryption is off/,
    },
    {
        case: "permissions boundary not a policy ARN",
        config: blueConfig({ permissionsBoundaryArn: "arn:aws:iam::111111111111:role/x" }),
        message: /^cross-account-s3:permissionsBoundaryArn: .* is not a managed policy ARN/,
    },
    // Partitions: every ARN argument must be in the role's partition (aws here), refused naming both.
    {
        case: "trusted principal in another partition",
        config: blueConfig({ trustedPrincipalArns: JSON.stringify([`arn:aws-cn:iam::${GREEN_ACCOUNT}:user/alice`]) }),
        message:
            /^cross-account-s3:trustedPrincipalArns\[0\]: "arn:aws-cn:iam::222222222222:user\/alice" is in partition aws-cn, not the role's partition aws\. Give an ARN in partition aws \(arn:aws:\.\.\.\): IAM does not match/,
    },
    {
        case: "KMS key in another partition",
        config: blueConfig({ kmsKeyArn: `arn:aws-us-gov:kms:us-gov-west-1:${BLUE_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab` }),
        message: /^cross-account-s3:kmsKeyArn: "arn:aws-us-gov:kms:.* is in partition aws-us-gov, not the role's partition aws/,
    },
    {
        case: "permissions boundary in another partition",
        config: blueConfig({ permissionsBoundaryArn: `arn:aws-cn:iam::${BLUE_ACCOUNT}:policy/boundary` }),
        message: /^cross-account-s3:permissionsBoundaryArn: "arn:aws-cn:iam::111111111111:policy\/boundary" is in partition aws-cn, not the role's partition aws/,
    },
    {
        case: "blue stack's role in another partition",
        config: greenConfig(),
        blueOutputs: { roleArn: `arn:aws-cn:iam::${BLUE_ACCOUNT}:role/CrossAccountS3Access-Role` },
        message:
            /^cross-account-s3:blueStack \(output roleArn of organization\/cross-account-s3\/blue\): "arn:aws-cn:iam::111111111111:role\/CrossAccountS3Access-Role" is in partition aws-cn, not the role's partition aws/,
    },
    {
        case: "MFA device in another partition",
        config: greenConfig({ mfaSerial: `arn:aws-cn:iam::${GREEN_ACCOUNT}:mfa/s3-prod-user` }),
        message: /^cross-account-s3:mfaSerial: "arn:aws-cn:iam::222222222222:mfa\/s3-prod-user" is in partition aws-cn/,
    },
    // Several mistakes at once: one error lists them all, each with its key, value and fix.
    {
        case: "three mistakes in a blue stack",
        config: blueConfig({ bucketName: "My_Bucket", readOnly: "yes", trustedPrincipalArns: JSON.stringify([`arn:aws-cn:iam::${GREEN_ACCOUNT}:root`]) }),
        message: [
            /^3 problems in the stack's config \(fix them all, then run again\):$/m,
            /^ {2}- cross-account-s3:readOnly: "yes" is not a boolean\. Set it to true or false/m,
            /^ {2}- cross-account-s3:bucketName: "My_Bucket" is not a valid S3 bucket name\. Use 3 to 63/m,
            /^ {2}- cross-account-s3:trustedPrincipalArns\[0\]: "arn:aws-cn:iam::222222222222:root" is in partition aws-cn, not the role's partition aws\. Give/m,
        ],
    },
    {
        case: "three mistakes in a both stack: partition, string boolean, ExternalId (value not shown)",
        config: bothConfig({ kmsKeyArn: `arn:aws-cn:kms:cn-north-1:${BLUE_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`, requireMfa: "maybe", externalId: "x" }),
        message: [
            /^3 problems in the stack's config/m,
            /^ {2}- cross-account-s3:requireMfa: "maybe" is not a boolean/m,
            /^ {2}- cross-account-s3:kmsKeyArn: "arn:aws-cn:kms:cn-north-1:111111111111:key\/.* is in partition aws-cn, not the role's partition aws/m,
            /^ {2}- cross-account-s3:externalId: the value is not a valid ExternalId \(not shown\)\. Use 2 to 1224 characters/m,
        ],
    },
    {
        case: "config of the wrong side and a bad region and account, all at once",
        config: greenConfig({ bucketName: BUCKET, "aws:region": "Europe", greenAccountId: "2222" }),
        message: [
            /^3 problems in the stack's config/m,
            /^ {2}- aws:region: "Europe" is not an AWS region/m,
            /^ {2}- cross-account-s3:bucketName: it is set, but a stack with side=green does not use it/m,
            /^ {2}- cross-account-s3:greenAccountId: "2222" is not an AWS account id/m,
        ],
    },
    {
        case: "versioning neither true, false nor suspended",
        config: blueConfig({ versioning: "off" }),
        message: /^cross-account-s3:versioning: "off" is not a versioning setting\. Set true \(versioning on\), false \(a new bucket stays unversioned\) or suspended/,
    },
    { case: "adoptExisting not a boolean", config: greenConfig({ adoptExisting: "yes" }), message: /^cross-account-s3:adoptExisting: "yes" is not a boolean/ },
    // Keyless (issue 10): existing roles and groups, ARN patterns, the user's own source profile.
    {
        case: "no principal at all: userNames empty and nothing granted",
        config: greenConfig({ userNames: "[]" }),
        message:
            /^cross-account-s3:userNames: \[\] names no user, and no existing role or group is granted instead\. Give at least one user name, .* or grant existing principals with greenRoleNames, greenGroupNames or permissionSetNames \(keyless\)/,
    },
    {
        case: "green role name with a space",
        config: greenConfig({ userNames: "[]", greenRoleNames: JSON.stringify(["ci deployer"]) }),
        message: /^cross-account-s3:greenRoleNames\[0\]: "ci deployer" is not a valid IAM role name\. Use 1 to 64 characters/,
    },
    {
        case: "green role listed twice, ignoring case",
        config: greenConfig({ userNames: "[]", greenRoleNames: JSON.stringify(["ci-deployer", "CI-Deployer"]) }),
        message: /^cross-account-s3:greenRoleNames: role "CI-Deployer" appears twice \(IAM role names ignore case\)\. List each role once/,
    },
    {
        case: "IAM Identity Center role in greenRoleNames",
        config: greenConfig({ userNames: "[]", greenRoleNames: JSON.stringify(["AWSReservedSSO_DataAnalyst_0123456789abcdef"]) }),
        message:
            /^cross-account-s3:greenRoleNames\[0\]: "AWSReservedSSO_DataAnalyst_0123456789abcdef" is an IAM Identity Center role, which IAM lets no one but Identity Center change\. Remove it; name its permission set in permissionSetNames \(the managed policy grantPolicyName is then created\), add that policy to the permission set's customer managed policies in Identity Center, and trust its roles on the blue side with trustedPrincipalArnPatterns/,
    },
    {
        case: "permission set name too long",
        config: greenConfig({ userNames: "[]", permissionSetNames: JSON.stringify(["p".repeat(33)]) }),
        message: /^cross-account-s3:permissionSetNames\[0\]: "p{33}" is not an IAM Identity Center permission set name\. Use 1 to 32 characters/,
    },
    {
        case: "permission set listed twice",
        config: greenConfig({ userNames: "[]", permissionSetNames: JSON.stringify(["DataAnalyst", "DataAnalyst"]) }),
        message: /^cross-account-s3:permissionSetNames: permission set "DataAnalyst" appears twice/,
    },
    { case: "green roles not a list", config: greenConfig({ greenRoleNames: "ci-deployer" }), message: /^cross-account-s3:greenRoleNames: it is not a list of strings/ },
    {
        case: "green group name too long",
        config: greenConfig({ userNames: "[]", greenGroupNames: JSON.stringify(["g".repeat(129)]) }),
        message: /^cross-account-s3:greenGroupNames\[0\]: "g{76}\.\.\. is not a valid IAM group name\. Use 1 to 128 characters/,
    },
    {
        case: "green group listed twice",
        config: greenConfig({ userNames: "[]", greenGroupNames: JSON.stringify(["analysts", "Analysts"]) }),
        message: /^cross-account-s3:greenGroupNames: group "Analysts" appears twice/,
    },
    {
        case: "granted group is the group made for the users",
        config: greenConfig({ greenGroupNames: JSON.stringify(["prod-s3-users"]) }),
        message: /^cross-account-s3:greenGroupNames: "prod-s3-users" is also the group this component creates for userNames\. Grant another existing group, or set groupName/,
    },
    {
        case: "grant policy name with a slash",
        config: greenConfig({ userNames: "[]", greenRoleNames: JSON.stringify(["ci-deployer"]), grantPolicyName: "team/assume" }),
        message: /^cross-account-s3:grantPolicyName: "team\/assume" is not a valid IAM policy name/,
    },
    {
        case: "source profile name with a space",
        config: greenConfig({ userNames: "[]", greenRoleNames: JSON.stringify(["ci-deployer"]), sourceProfileName: "my sso" }),
        message: /^cross-account-s3:sourceProfileName: "my sso" is not a usable AWS CLI profile name/,
    },
    {
        case: "source profile named like the role profile",
        config: greenConfig({ sourceProfileName: "blue" }),
        message: /^cross-account-s3:sourceProfileName: both profiles are named "blue"\. Give the two profiles different names/,
    },
    {
        case: "ARN pattern with a wildcard account",
        config: blueConfig({ trustedPrincipalArnPatterns: JSON.stringify(["arn:aws:iam::*:role/ci-*"]) }),
        message:
            /^cross-account-s3:trustedPrincipalArnPatterns\[0\]: "arn:aws:iam::\*:role\/ci-\*" has a wildcard in its account field\. Write out arn:aws:iam::222222222222: and use \* or \? only in the role or user path and name/,
    },
    {
        case: "ARN pattern with a wildcard service",
        config: blueConfig({ trustedPrincipalArnPatterns: JSON.stringify([`arn:aws:*::${GREEN_ACCOUNT}:role/ci-*`]) }),
        message: /^cross-account-s3:trustedPrincipalArnPatterns\[0\]: .* has a wildcard in its service field/,
    },
    {
        case: "ARN pattern with a wildcard partition",
        config: blueConfig({ trustedPrincipalArnPatterns: JSON.stringify([`arn:*:iam::${GREEN_ACCOUNT}:role/ci-*`]) }),
        message: /^cross-account-s3:trustedPrincipalArnPatterns\[0\]: .* has a wildcard in its partition field/,
    },
    {
        case: "ARN pattern in a third account",
        config: blueConfig({ trustedPrincipalArnPatterns: JSON.stringify(["arn:aws:iam::333333333333:role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_DataAnalyst_*"]) }),
        message:
            /^cross-account-s3:trustedPrincipalArnPatterns\[0\]: .* is in account 333333333333, not the green account 222222222222\. Trust principals of the identity \(green\) account only/,
    },
    {
        case: "ARN pattern for a group, not a role or user",
        config: blueConfig({ trustedPrincipalArnPatterns: JSON.stringify([`arn:aws:iam::${GREEN_ACCOUNT}:group/analysts*`]) }),
        message: /^cross-account-s3:trustedPrincipalArnPatterns\[0\]: .* names no role or user/,
    },
    {
        case: "ARN pattern with a wildcard in the resource type",
        config: blueConfig({ trustedPrincipalArnPatterns: JSON.stringify([`arn:aws:iam::${GREEN_ACCOUNT}:*/ci-deployer`]) }),
        message: /^cross-account-s3:trustedPrincipalArnPatterns\[0\]: .* names no role or user/,
    },
    {
        case: "ARN pattern of another service",
        config: blueConfig({ trustedPrincipalArnPatterns: JSON.stringify([`arn:aws:s3:::${BUCKET}*`]) }),
        message: /^cross-account-s3:trustedPrincipalArnPatterns\[0\]: .* is not an IAM principal ARN pattern/,
    },
    {
        case: "ARN pattern not an ARN",
        config: blueConfig({ trustedPrincipalArnPatterns: JSON.stringify(["*"]) }),
        message: /^cross-account-s3:trustedPrincipalArnPatterns\[0\]: "\*" is not an ARN pattern/,
    },
    {
        case: "ARN pattern in another partition",
        config: blueConfig({ trustedPrincipalArnPatterns: JSON.stringify([`arn:aws-cn:iam::${GREEN_ACCOUNT}:role/ci-*`]) }),
        message: /^cross-account-s3:trustedPrincipalArnPatterns\[0\]: .* is in partition aws-cn, not the role's partition aws/,
    },
    {
        case: "ARN pattern listed twice",
        config: blueConfig({ trustedPrincipalArnPatterns: JSON.stringify([`arn:aws:iam::${GREEN_ACCOUNT}:role/ci-*`, `arn:aws:iam::${GREEN_ACCOUNT}:role/ci-*`]) }),
        message: /^cross-account-s3:trustedPrincipalArnPatterns: a pattern appears twice/,
    },
    {
        case: "trust policy with patterns over 2,048 characters",
        config: blueConfig({ trustedPrincipalArnPatterns: longPatterns }),
        message: /^cross-account-s3:trustedPrincipalArnPatterns: the trustPolicy would be 2116 characters, over IAM's limit of 2048/,
    },
];

describe("bad input: refused at preview, naming the config key and the fix", () => {
    it("has at least 20 cases", () => {
        assert.ok(ROWS.length >= 20, `${ROWS.length} rows`);
    });

    for (const row of ROWS) {
        it(`refuses: ${row.case}`, async () => {
            const stackOutputs = { [BLUE_STACK]: row.blueOutputs ?? { roleArn: ROLE_ARN, bucketName: BUCKET, region: "eu-west-1" } };
            const { error, mocks } = await runProgramExpectingError(row.config, { stackOutputs });
            const expected = Array.isArray(row.message) ? row.message : [row.message as RegExp];
            for (const pattern of expected) {
                assert.match(error.message, pattern);
            }
            assert.equal(error.message.split("\n").length, expected.length === 1 ? 1 : expected.length, "one line per problem, and nothing else");
            assert.ok(!/deploy-4|secret-external/.test(error.message), "no ExternalId in the message");
            const registered = mocks.resources.filter((r) => r.type.startsWith("aws:")).map((r) => r.name);
            assert.deepEqual(registered, [], "no AWS resource may be registered before the error");
        });
    }
});
