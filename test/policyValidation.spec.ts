/**
 * Every policy document the program registers passes the evaluator's validation: the grammar of its
 * kind (identity, trust, resource policy), existing actions, resources of the right type for them,
 * and condition keys that exist, apply to the actions and suit their operators. The validator is
 * shown able to fail on each kind of mistake, starting with a typo such as `s3:PutObjekt`.
 */
import * as assert from "node:assert/strict";
import { allPolicies, type JsonStatement, type NamedPolicy } from "../accessproof/collectPolicies";
import type { Draft } from "./support/mutations";
import { validatePolicy } from "../accessproof/validate";
import { type AccessConfiguration, BUCKET, evaluateConfiguration, type EvaluatedConfiguration, KMS_KEY_ARN } from "./support/accessModel";

const CONFIGURATIONS: readonly AccessConfiguration[] = [
    { name: "default stacks (blue + green)", mode: "split", options: {} },
    { name: "one stack (both)", mode: "both", options: {} },
    {
        name: "prefix, KMS, trusted user, ExternalId, MFA, organization (blue + green)",
        mode: "split",
        options: {
            objectKeyPrefix: "uploads/",
            kmsKeyArn: KMS_KEY_ARN,
            trustedPrincipalArns: JSON.stringify(["arn:aws:iam::222222222222:user/s3-prod-user"]),
            externalId: "ext-4711-team-blue",
            requireMfa: "true",
            principalOrgId: "o-abcdefghij",
        },
    },
    { name: "read-only with KMS (both)", mode: "both", options: { readOnly: "true", kmsKeyArn: KMS_KEY_ARN } },
];

/** The documents validated for a configuration, as `kind | name | source`: the same four in every mode, registered under other names by a `both` stack. */
function expectedDocuments(mode: AccessConfiguration["mode"]): string[] {
    const [blue, green] = mode === "split" ? ["blue", "green"] : ["both", "both"];
    const at = (side: string, resource: string) => (mode === "split" ? resource : resource.replace(/^cross-account-/, `cross-account-${side}-`));
    return [
        `trust | CrossAccountS3Access-Role trust policy | ${blue}: aws:iam/role:Role ${at("blue", "cross-account-role")} (assumeRolePolicy)`,
        `identity | CrossAccountS3Access | ${blue}: aws:iam/policy:Policy ${at("blue", "cross-account-access-policy")} (policy)`,
        `identity | AssumeCrossAccountS3AccessRole | ${green}: aws:iam/groupPolicy:GroupPolicy ${at("green", "cross-account-assume-role-policy")} (policy)`,
        `resource | ${BUCKET} bucket policy | ${blue}: aws:s3/bucketPolicy:BucketPolicy ${at("blue", "cross-account-tls-only-policy")} (policy)`,
    ];
}

describe("policy validation: every deployed document is valid IAM", function () {
    this.timeout(60_000);
    const evaluated: EvaluatedConfiguration[] = [];

    before(async function () {
        for (const configuration of CONFIGURATIONS) {
            evaluated.push(await evaluateConfiguration(configuration));
        }
    });

    CONFIGURATIONS.forEach((configuration, index) => {
        it(`${configuration.name}: the trust, role, group and bucket policies all pass`, async function () {
            const policies = allPolicies(evaluated[index].model);
            assert.deepEqual(
                policies.map((p) => `${p.kind} | ${p.name} | ${p.source}`),
                expectedDocuments(configuration.mode),
            );
            for (const policy of policies) {
                assert.deepEqual(await validatePolicy(policy), [], `${policy.name} (${policy.source})`);
            }
        });
    });

    describe("the validator fails on each kind of mistake", function () {
        /** A copy of one of the default documents, changed by `change`. */
        const mutated = (kind: NamedPolicy["kind"], change: (statements: Array<Draft<JsonStatement>>) => void): NamedPolicy => {
            const policy: Draft<NamedPolicy> = structuredClone(
                allPolicies(evaluated[0].model).find((p) => p.kind === kind && (kind !== "identity" || p.name === "CrossAccountS3Access"))!,
            );
            change(policy.document.Statement);
            return policy;
        };
        const messages = async (policy: NamedPolicy) => (await validatePolicy(policy)).map((f) => `${f.path}: ${f.message}`);

        it("a typo in an action: s3:PutObjekt", async function () {
            const policy = mutated("identity", (s) => {
                s[0].Action = ["s3:PutObjekt", "s3:GetObject"];
            });
            assert.deepEqual(await messages(policy), ["Statement[0].Action[0]: s3:PutObjekt is not an action of s3"]);
        });

        it("an unknown service, and a pattern that matches no action", async function () {
            const policy = mutated("identity", (s) => {
                s[0].Action = ["s4:GetObject", "s3:Frobnicate*"];
            });
            assert.deepEqual(await messages(policy), ["Statement[0].Action[0]: s4:GetObject: there is no service s4", "Statement[0].Action[1]: s3:Frobnicate* matches no action"]);
        });

        it("a resource of the wrong type: ListBucket on the objects", async function () {
            const policy = mutated("identity", (s) => {
                s[1].Resource = ["arn:aws:s3:::my-bucket-blue/*"];
            });
            assert.deepEqual(await messages(policy), [
                "Statement[1].Action: s3:ListBucket acts on none of arn:aws:s3:::my-bucket-blue/*",
                "Statement[1].Resource[0]: arn:aws:s3:::my-bucket-blue/* is a resource of none of the statement's actions",
            ]);
        });

        it("condition keys that do not exist, are never sent with the action, or do not suit the operator", async function () {
            const policy = mutated("identity", (s) => {
                s[0].Condition = {
                    StringEquals: { "s3:nope": "x", "aws:MultiFactorAuthPresent": "true" },
                    StringLike: { "s3:prefix": "uploads/*" },
                    Bool: { "aws:SecureTransport": "yes" },
                };
            });
            assert.deepEqual(await messages(policy), [
                "Statement[0].Condition.StringEquals.s3:nope: s3:nope is not a condition key",
                "Statement[0].Condition.StringEquals.aws:MultiFactorAuthPresent: StringEquals does not compare Bool values (aws:MultiFactorAuthPresent)",
                "Statement[0].Condition.StringLike.s3:prefix: AWS never sends s3:prefix with s3:PutObject",
                "Statement[0].Condition.StringLike.s3:prefix: AWS never sends s3:prefix with s3:GetObject",
                "Statement[0].Condition.Bool.aws:SecureTransport: aws:SecureTransport takes true or false",
            ]);
        });

        it("a trust policy with a Resource, or an action that does not act on roles", async function () {
            const withResource = mutated("trust", (s) => {
                s[0].Resource = ["*"];
            });
            assert.deepEqual(await messages(withResource), ["Statement[0].#Resource: Resource is not allowed in a trust policy"]);
            const wrongAction = mutated("trust", (s) => {
                s[0].Action = ["sts:AssumeRole", "s3:GetObject"];
            });
            assert.deepEqual(await messages(wrongAction), ["Statement[0].Action: s3:GetObject acts on none of arn:aws:iam::111111111111:role/CrossAccountS3Access-Role"]);
        });

        it("a bucket policy statement without a Principal", async function () {
            const policy = mutated("resource", (s) => {
                delete s[0].Principal;
            });
            assert.deepEqual(await messages(policy), ["Statement[0]: One of Principal or NotPrincipal is required in a resource policy"]);
        });
    });
});
