/**
 * The policy pack in policy/: each rule on the resources the real program registers under
 * mocks (passing), on those resources changed to break the rule or on configs that drop the
 * protection (failing), and the pack booted the way the Pulumi CLI boots it, over gRPC.
 */
import * as assert from "assert";
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as readline from "readline";
import * as grpc from "@grpc/grpc-js";
import { PolicyResource, ResourceValidationArgs, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import {
    AnalyzeDiagnostic,
    AnalyzeRequest,
    AnalyzerInfo,
    AnalyzerPropertyDependencies,
    AnalyzerResource,
    AnalyzerResourceOptions,
    AnalyzeResponse,
    AnalyzeStackRequest,
    ConfigureAnalyzerRequest,
    EnforcementLevel,
    PolicyConfig,
} from "@pulumi/pulumi/proto/analyzer_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { denyInsecureTransportPolicy, roleTrustPolicy } from "../components/policies";
import { serializePolicy } from "../components/policyDocument";
import {
    iamRoleTrustGreenAccountOnly,
    iamRoleTrustNoWildcardPrincipal,
    POLICY_PACK_NAME,
    policyPackArgs,
    s3BucketPublicAccessBlocked,
    s3BucketTlsOnlyPolicy,
} from "../policy/pack";
import { isPublicAllow, NON_PUBLIC_CONDITION_KEYS } from "../policy/policyDocuments";
import { BLUE_ACCOUNT, BLUE_STACK, blueConfig, bothConfig, BUCKET, GREEN_ACCOUNT, greenConfig, REGION } from "../harness/stackConfigs";
import { PROJECT, RecordedResource, runProgram } from "../harness/pulumiMocks";

const BUCKET_TYPE = "aws:s3/bucket:Bucket";
const PAB_TYPE = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock";
const BUCKET_POLICY_TYPE = "aws:s3/bucketPolicy:BucketPolicy";
const ROLE_TYPE = "aws:iam/role:Role";

/** A resource as a stack policy sees it. `links` are engine-recorded property dependencies. */
function policyResource(type: string, name: string, props: Record<string, unknown>, links: Record<string, PolicyResource[]> = {}): PolicyResource {
    return {
        type,
        name,
        props,
        urn: `urn:pulumi:test::${PROJECT}::${type}::${name}`,
        opts: { protect: false, ignoreChanges: [], aliases: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 }, additionalSecretOutputs: [] },
        dependencies: Object.values(links).flat(),
        propertyDependencies: links,
        isType: () => false,
        asType: () => undefined,
    };
}

/**
 * The custom resources of a mocks run as policies see them: the state the mock returned (the
 * inputs plus computed fields such as `arn`) and the id. Mocks record no property
 * dependencies, so the rules link resources to buckets by value here.
 */
function fromMocks(resources: readonly RecordedResource[]): PolicyResource[] {
    return resources
        .filter((resource) => resource.custom && !resource.type.startsWith("pulumi:"))
        .map((resource) => policyResource(resource.type, resource.name, { ...resource.state, id: resource.id }));
}

/** Runs a stack rule; returns the violations as `message @ resource name`. */
async function violationsOfStack(rule: StackValidationPolicy, resources: readonly PolicyResource[]): Promise<string[]> {
    const found: string[] = [];
    const args: StackValidationArgs = {
        resources: [...resources],
        stackTags: new Map(),
        getConfig: <T extends object>() => ({}) as T,
        notApplicable: (reason?: string) => {
            throw new Error(`unexpected notApplicable: ${reason}`);
        },
    };
    await rule.validateStack(args, (message, urn) => found.push(`${message} @ ${urn?.split("::").pop() ?? "stack"}`));
    return found;
}

/** Runs the role rule on every resource; returns the violations. */
async function violationsOfResources(resources: readonly PolicyResource[]): Promise<string[]> {
    const found: string[] = [];
    for (const resource of resources) {
        const args: ResourceValidationArgs = {
            type: resource.type,
            props: resource.props,
            urn: resource.urn,
            name: resource.name,
            opts: resource.opts,
            stackTags: new Map(),
            isType: () => false,
            asType: () => undefined,
            getConfig: <T extends object>() => ({}) as T,
            notApplicable: (reason?: string) => {
                throw new Error(`unexpected notApplicable: ${reason}`);
            },
        };
        await iamRoleTrustNoWildcardPrincipal.validateResource(args, (message) => found.push(`${message} @ ${resource.name}`));
    }
    return found;
}

/** Runs the green-account rule on every resource, with `config` as the pack's config for it; returns the violations. */
async function greenAccountViolations(resources: readonly PolicyResource[], config: Record<string, unknown> = { greenAccountId: GREEN_ACCOUNT }): Promise<string[]> {
    const found: string[] = [];
    for (const resource of resources) {
        await iamRoleTrustGreenAccountOnly.validateResource(
            {
                type: resource.type,
                props: resource.props,
                urn: resource.urn,
                name: resource.name,
                opts: resource.opts,
                stackTags: new Map(),
                isType: () => false,
                asType: () => undefined,
                getConfig: <T extends object>() => config as T,
                notApplicable: (reason?: string) => {
                    throw new Error(`unexpected notApplicable: ${reason}`);
                },
            },
            (message) => found.push(`${message} @ ${resource.name}`),
        );
    }
    return found;
}

/** Every violation of every rule of the pack (the green-account rule configured with the test's green account). */
async function allViolations(resources: readonly PolicyResource[]): Promise<string[]> {
    return [
        ...(await violationsOfStack(s3BucketPublicAccessBlocked, resources)),
        ...(await violationsOfResources(resources)),
        ...(await greenAccountViolations(resources)),
        ...(await violationsOfStack(s3BucketTlsOnlyPolicy, resources)),
    ];
}

/** The resources with the one of `type` replaced by a copy whose props are changed by `change`. */
function changed(resources: readonly PolicyResource[], type: string, change: (props: Record<string, unknown>) => Record<string, unknown>): PolicyResource[] {
    const matching = resources.filter((resource) => resource.type === type);
    assert.strictEqual(matching.length, 1, `expected one ${type} among ${resources.map((r) => r.type).join(", ")}`);
    return resources.map((resource) => (resource === matching[0] ? policyResource(resource.type, resource.name, change({ ...resource.props })) : resource));
}

function withoutType(resources: readonly PolicyResource[], type: string): PolicyResource[] {
    const kept = resources.filter((resource) => resource.type !== type);
    assert.notStrictEqual(kept.length, resources.length, `no ${type} to remove`);
    return kept;
}

function assertOneViolationMatching(violations: readonly string[], pattern: RegExp): void {
    assert.strictEqual(violations.length, 1, `expected one violation, got: ${JSON.stringify(violations, null, 2)}`);
    assert.match(violations[0], pattern);
}

const BLUE_OUTPUTS = { roleArn: "arn:aws:iam::111111111111:role/CrossAccountS3Access-Role", bucketName: BUCKET, region: REGION };

describe("policy pack", function () {
    let blue: PolicyResource[];

    before(async function () {
        blue = fromMocks((await runProgram(blueConfig(), { stack: "blue" })).mocks.resources);
    });

    describe("the pack", () => {
        it("has the four rules, all mandatory through the pack's enforcement level", () => {
            assert.strictEqual(POLICY_PACK_NAME, "s3-cross-account-access");
            assert.strictEqual(policyPackArgs.enforcementLevel, "mandatory");
            assert.deepStrictEqual(
                policyPackArgs.policies.map((policy) => [policy.name, policy.enforcementLevel]),
                [
                    ["s3-bucket-public-access-blocked", undefined],
                    ["iam-role-trust-no-wildcard-principal", undefined],
                    ["iam-role-trust-green-account-only", undefined],
                    ["s3-bucket-tls-only-policy", undefined],
                ],
            );
        });

        it("ships an example config whose key is the green-account rule and whose value fits the rule's schema", () => {
            const example = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "policy", "config.example.json"), "utf8")) as Record<string, Record<string, unknown>>;
            assert.deepStrictEqual(Object.keys(example), [iamRoleTrustGreenAccountOnly.name]);
            const schema = iamRoleTrustGreenAccountOnly.configSchema!;
            assert.deepStrictEqual(Object.keys(example[iamRoleTrustGreenAccountOnly.name]), schema.required);
            assert.match(String(example[iamRoleTrustGreenAccountOnly.name].greenAccountId), new RegExp(String(schema.properties.greenAccountId.pattern)));
        });

        it("pins the same SDK versions as the project, whose node_modules it runs from", () => {
            const readJson = (file: string) => JSON.parse(fs.readFileSync(path.join(__dirname, "..", file), "utf8"));
            const pack = readJson("policy/package.json") as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
            const root = readJson("package.json") as { devDependencies: Record<string, string> };
            for (const [name, version] of Object.entries({ ...pack.dependencies, ...pack.devDependencies })) {
                assert.strictEqual(version, root.devDependencies[name], `${name} in policy/package.json`);
            }
        });
    });

    describe("passing: the stacks the program deploys", () => {
        it("blue: no violation", async () => {
            assert.ok(blue.some((r) => r.type === BUCKET_TYPE) && blue.some((r) => r.type === ROLE_TYPE), "the blue run has a bucket and a role");
            assert.deepStrictEqual(await allViolations(blue), []);
        });

        it("green: no violation (no bucket, no role)", async () => {
            const run = await runProgram(greenConfig(), { stack: "green", stackOutputs: { [BLUE_STACK]: BLUE_OUTPUTS } });
            assert.deepStrictEqual(await allViolations(fromMocks(run.mocks.resources)), []);
        });

        it("both: no violation", async () => {
            const run = await runProgram(bothConfig(), { stack: "both" });
            assert.deepStrictEqual(await allViolations(fromMocks(run.mocks.resources)), []);
        });

        it("policies given as objects instead of JSON strings pass too", async () => {
            let resources = changed(blue, BUCKET_POLICY_TYPE, (props) => ({ ...props, policy: denyInsecureTransportPolicy(BUCKET) }));
            resources = changed(resources, ROLE_TYPE, (props) => ({ ...props, assumeRolePolicy: roleTrustPolicy({ greenAccountId: GREEN_ACCOUNT }) }));
            assert.deepStrictEqual(await allViolations(resources), []);
        });
    });

    describe("s3-bucket-public-access-blocked", () => {
        it("fails when the program is told not to block public access (all four flags false)", async () => {
            const run = await runProgram(blueConfig({ blockPublicAccess: "false" }), { stack: "blue" });
            const violations = await violationsOfStack(s3BucketPublicAccessBlocked, fromMocks(run.mocks.resources));
            assertOneViolationMatching(
                violations,
                /does not set blockPublicAcls, blockPublicPolicy, ignorePublicAcls, restrictPublicBuckets to true\. @ cross-account-public-access-block$/,
            );
        });

        it("fails when a bucket has no public access block at all", async () => {
            const resources = blue.filter((r) => r.type !== PAB_TYPE);
            const violations = await violationsOfStack(s3BucketPublicAccessBlocked, resources);
            assertOneViolationMatching(violations, /no aws\.s3\.BucketPublicAccessBlock.*@ cross-account-bucket$/);
        });

        for (const flag of ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"]) {
            it(`fails when ${flag} is false`, async () => {
                const resources = changed(blue, PAB_TYPE, (props) => ({ ...props, [flag]: false }));
                const violations = await violationsOfStack(s3BucketPublicAccessBlocked, resources);
                assertOneViolationMatching(violations, new RegExp(`does not set ${flag} to true.*@ cross-account-public-access-block$`));
            });
        }

        it("fails when a flag is missing", async () => {
            const resources = changed(blue, PAB_TYPE, (props) => ({ ...props, restrictPublicBuckets: undefined }));
            assertOneViolationMatching(await violationsOfStack(s3BucketPublicAccessBlocked, resources), /restrictPublicBuckets/);
        });

        it("fails when the bucket policy allows everyone", async () => {
            const publicRead = {
                Version: "2012-10-17",
                Statement: [
                    ...denyInsecureTransportPolicy(BUCKET).Statement,
                    { Sid: "PublicRead", Effect: "Allow", Principal: { AWS: "*" }, Action: ["s3:GetObject"], Resource: [`arn:aws:s3:::${BUCKET}/*`] },
                ],
            };
            const resources = changed(blue, BUCKET_POLICY_TYPE, (props) => ({ ...props, policy: JSON.stringify(publicRead) }));
            assertOneViolationMatching(await violationsOfStack(s3BucketPublicAccessBlocked, resources), /makes the bucket public: statement "PublicRead"/);
        });

        it("passes an Allow to everyone that a fixed aws:SourceVpce limits, fails one limited by a negated condition", async () => {
            const statement = (condition: Record<string, Record<string, string>>) => ({
                Version: "2012-10-17",
                Statement: [{ Sid: "FromVpce", Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: `arn:aws:s3:::${BUCKET}/*`, Condition: condition }],
            });
            const limited = changed(blue, BUCKET_POLICY_TYPE, (props) => ({ ...props, policy: statement({ StringEquals: { "aws:SourceVpce": "vpce-1a2b3c4d" } }) }));
            assert.deepStrictEqual(await violationsOfStack(s3BucketPublicAccessBlocked, limited), []);
            const negated = changed(blue, BUCKET_POLICY_TYPE, (props) => ({ ...props, policy: statement({ StringNotEquals: { "aws:SourceVpce": "vpce-1a2b3c4d" } }) }));
            assertOneViolationMatching(await violationsOfStack(s3BucketPublicAccessBlocked, negated), /statement "FromVpce"/);
        });

        it("treats as non-public exactly the condition keys of S3's \"The meaning of 'public'\"", () => {
            assert.deepStrictEqual([...NON_PUBLIC_CONDITION_KEYS].sort(), [
                "aws:principalaccount",
                "aws:principalarn",
                "aws:principalorgid",
                "aws:sourceaccount",
                "aws:sourcearn",
                "aws:sourceip",
                "aws:sourceowner",
                "aws:sourcevpc",
                "aws:sourcevpce",
                "aws:userid",
                "s3:dataaccesspointaccount",
                "s3:dataaccesspointarn",
                "s3:x-amz-server-side-encryption-aws-kms-key-id",
            ]);
        });

        describe("an Allow to everyone under one condition", () => {
            const allowEveryone = (condition: Record<string, Record<string, unknown>>) => ({
                Sid: "Limited",
                Effect: "Allow",
                Principal: { AWS: "*" },
                Action: ["s3:GetObject", "s3:PutObject"],
                Resource: `arn:aws:s3:::${BUCKET}/*`,
                Condition: condition,
            });

            for (const [label, condition] of [
                ["a fixed aws:PrincipalOrgID (an organisation-scoped policy)", { StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } }],
                ["fixed aws:PrincipalAccount values", { StringEquals: { "aws:PrincipalAccount": [GREEN_ACCOUNT, "333333333333"] } }],
                ["a fixed aws:PrincipalArn", { ArnEquals: { "aws:PrincipalArn": `arn:aws:iam::${GREEN_ACCOUNT}:role/reader` } }],
                [
                    "an s3:DataAccessPointArn with a wildcard access point name in a fixed account",
                    { ArnLike: { "s3:DataAccessPointArn": "arn:aws:s3:eu-west-1:111111111111:accesspoint/*" } },
                ],
                ["a fixed s3:DataAccessPointAccount", { StringEquals: { "s3:DataAccessPointAccount": "111111111111" } }],
                ["a fixed aws:userid", { StringEquals: { "aws:userid": "AIDAEXAMPLEUSERID" } }],
                [
                    "a fixed KMS key id",
                    { StringEquals: { "s3:x-amz-server-side-encryption-aws-kms-key-id": "arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab" } },
                ],
                ["an IPv4 /8 and an IPv6 /32 (the broadest ranges S3 does not call public)", { IpAddress: { "aws:SourceIp": ["10.0.0.0/8", "2001:db8::/32"] } }],
                ["a lower-case key under ForAnyValue:", { "ForAnyValue:StringEquals": { "aws:principalorgid": ["o-a1b2c3d4e5"] } }],
            ] as const) {
                it(`passes ${label}`, () => {
                    assert.strictEqual(isPublicAllow(allowEveryone(condition)), false);
                });
            }

            for (const [label, condition] of [
                ["a wildcard aws:PrincipalOrgID", { StringLike: { "aws:PrincipalOrgID": "o-*" } }],
                ["a policy variable as the account", { StringEquals: { "aws:PrincipalAccount": "${aws:PrincipalAccount}" } }],
                ["a negated aws:PrincipalOrgID", { StringNotEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } }],
                ["an ...IfExists operator (true when the key is missing)", { StringEqualsIfExists: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } }],
                ["ForAllValues: (true when the key is missing)", { "ForAllValues:StringEquals": { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } }],
                ["aws:userid in the pattern AROLEID:*", { StringLike: { "aws:userid": "AROAEXAMPLEROLEID:*" } }],
                ["an s3:DataAccessPointArn with a wildcard account", { ArnLike: { "s3:DataAccessPointArn": "arn:aws:s3:eu-west-1:*:accesspoint/*" } }],
                ["an IPv4 range broader than /8", { IpAddress: { "aws:SourceIp": "10.0.0.0/7" } }],
                ["0.0.0.0/1 next to a narrow range", { IpAddress: { "aws:SourceIp": ["203.0.113.0/24", "0.0.0.0/1"] } }],
                ["an IPv6 range broader than /32", { IpAddress: { "aws:SourceIp": "2001:db8::/31" } }],
                ["aws:SourceOrgID (not in S3's list)", { StringEquals: { "aws:SourceOrgID": "o-a1b2c3d4e5" } }],
                ["aws:PrincipalOrgPaths (not in S3's list)", { "ForAnyValue:StringEquals": { "aws:PrincipalOrgPaths": "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/" } }],
            ] as const) {
                it(`fails ${label}`, () => {
                    assert.strictEqual(isPublicAllow(allowEveryone(condition)), true);
                });
            }

            it("passes the program's stack with an organisation-scoped statement added to its bucket policy", async () => {
                const document = {
                    Version: "2012-10-17",
                    Statement: [...denyInsecureTransportPolicy(BUCKET).Statement, allowEveryone({ StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } })],
                };
                const resources = changed(blue, BUCKET_POLICY_TYPE, (props) => ({ ...props, policy: JSON.stringify(document) }));
                assert.deepStrictEqual(await allViolations(resources), []);
            });

            it("fails the stack when the organisation condition is a wildcard", async () => {
                const document = {
                    Version: "2012-10-17",
                    Statement: [...denyInsecureTransportPolicy(BUCKET).Statement, allowEveryone({ StringLike: { "aws:PrincipalOrgID": "o-*" } })],
                };
                const resources = changed(blue, BUCKET_POLICY_TYPE, (props) => ({ ...props, policy: JSON.stringify(document) }));
                assertOneViolationMatching(await violationsOfStack(s3BucketPublicAccessBlocked, resources), /makes the bucket public: statement "Limited"/);
            });
        });

        it("fails on a public canned ACL and on a grant to AllUsers", async () => {
            const bucket = blue.find((r) => r.type === BUCKET_TYPE)!;
            const acl = policyResource("aws:s3/bucketAcl:BucketAcl", "public-acl", { bucket: BUCKET, acl: "public-read" }, { bucket: [bucket] });
            const grant = policyResource("aws:s3/bucketAcl:BucketAcl", "public-grant", {
                bucket: BUCKET,
                accessControlPolicy: {
                    owner: { id: "owner" },
                    grants: [{ permission: "READ", grantee: { type: "Group", uri: "http://acs.amazonaws.com/groups/global/AllUsers" } }],
                },
            });
            const violations = await violationsOfStack(s3BucketPublicAccessBlocked, [...blue, acl, grant]);
            assert.strictEqual(violations.length, 2, JSON.stringify(violations));
            assert.match(violations[0], /public canned ACL "public-read"\. @ public-acl$/);
            assert.match(violations[1], /grants READ to http:\/\/acs\.amazonaws\.com\/groups\/global\/AllUsers\. @ public-grant$/);
        });

        it("links a block to its bucket through the engine's property dependencies before names", async () => {
            const [first, second] = [policyResource(BUCKET_TYPE, "first", { bucket: "first" }), policyResource(BUCKET_TYPE, "second", { bucket: "second" })];
            // The block's value names `second`, but the engine says it was computed from `first`.
            const block = policyResource(
                PAB_TYPE,
                "block",
                { bucket: "second", blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
                { bucket: [first] },
            );
            const violations = await violationsOfStack(s3BucketPublicAccessBlocked, [first, second, block]);
            assertOneViolationMatching(violations, /Bucket "second" has no aws\.s3\.BucketPublicAccessBlock/);
        });
    });

    describe("iam-role-trust-no-wildcard-principal", () => {
        const trust = (principal: unknown) =>
            JSON.stringify({ Version: "2012-10-17", Statement: [{ Sid: "Anyone", Effect: "Allow", Principal: principal, Action: "sts:AssumeRole" }] });

        for (const [label, principal] of [
            ['"*"', "*"],
            ['{"AWS": "*"}', { AWS: "*" }],
            ['"*" in a list of AWS principals', { AWS: [`arn:aws:iam::${GREEN_ACCOUNT}:root`, "*"] }],
        ] as const) {
            it(`fails on a trust policy with Principal ${label}`, async () => {
                const resources = changed(blue, ROLE_TYPE, (props) => ({ ...props, assumeRolePolicy: trust(principal) }));
                assertOneViolationMatching(await violationsOfResources(resources), /wildcard principal in statement "Anyone"\. @ cross-account-role$/);
            });
        }

        it("fails on a wildcard in an object-form trust policy, even with a condition", async () => {
            const document = roleTrustPolicy({ greenAccountId: GREEN_ACCOUNT, externalId: "x" });
            const wildcard = { ...document, Statement: document.Statement.map((statement) => ({ ...statement, Principal: { AWS: "*" } })) };
            const resources = changed(blue, ROLE_TYPE, (props) => ({ ...props, assumeRolePolicy: wildcard }));
            assertOneViolationMatching(await violationsOfResources(resources), /wildcard principal in statement "TrustIdentityAccount"/);
        });

        it("fails on an Allow with NotPrincipal, passes a Deny with a wildcard", async () => {
            const document = {
                Version: "2012-10-17",
                Statement: [
                    { Sid: "AllButOne", Effect: "Allow", NotPrincipal: { AWS: "arn:aws:iam::333333333333:root" }, Action: "sts:AssumeRole" },
                    { Sid: "DenyOutsideOrg", Effect: "Deny", Principal: "*", Action: "sts:AssumeRole", Condition: { StringNotEquals: { "aws:PrincipalOrgID": "o-abc" } } },
                ],
            };
            const resources = changed(blue, ROLE_TYPE, (props) => ({ ...props, assumeRolePolicy: JSON.stringify(document) }));
            assertOneViolationMatching(await violationsOfResources(resources), /NotPrincipal in an Allow \(statement "AllButOne"\)/);
        });

        it("fails on a trust policy that is not JSON", async () => {
            const resources = changed(blue, ROLE_TYPE, (props) => ({ ...props, assumeRolePolicy: "{not json" }));
            assertOneViolationMatching(await violationsOfResources(resources), /cannot be read: not valid JSON/);
        });
    });

    describe("iam-role-trust-green-account-only", () => {
        const trust = (...statements: Record<string, unknown>[]) =>
            JSON.stringify({ Version: "2012-10-17", Statement: statements.map((statement) => ({ Effect: "Allow", Action: "sts:AssumeRole", ...statement })) });
        const withTrust = (document: string) => changed(blue, ROLE_TYPE, (props) => ({ ...props, assumeRolePolicy: document }));
        const THIRD = "999999999999";

        it("passes the program's trusts: the green root, green users by ARN, and a both stack", async () => {
            assert.deepStrictEqual(await greenAccountViolations(blue), []);
            const users = await runProgram(
                blueConfig({ trustedPrincipalArns: JSON.stringify([`arn:aws:iam::${GREEN_ACCOUNT}:user/s3-prod-user`, `arn:aws:iam::${GREEN_ACCOUNT}:role/ci`]) }),
                { stack: "blue" },
            );
            assert.deepStrictEqual(await greenAccountViolations(fromMocks(users.mocks.resources)), []);
            const both = await runProgram(bothConfig(), { stack: "both" });
            assert.deepStrictEqual(await greenAccountViolations(fromMocks(both.mocks.resources)), []);
        });

        it("passes the green root narrowed by ArnLike aws:PrincipalArn (IAM Identity Center roles), the bare account id, and a Deny of another account", async () => {
            const sso = trust(
                {
                    Sid: "TrustGreenSso",
                    Principal: { AWS: `arn:aws:iam::${GREEN_ACCOUNT}:root` },
                    Condition: { ArnLike: { "aws:PrincipalArn": `arn:aws:iam::${GREEN_ACCOUNT}:role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_S3Access_*` } },
                },
                { Sid: "BareId", Principal: { AWS: GREEN_ACCOUNT } },
                { Sid: "NotThem", Effect: "Deny", Principal: { AWS: `arn:aws:iam::${THIRD}:root` } },
            );
            assert.deepStrictEqual(await greenAccountViolations(withTrust(sso)), []);
        });

        it('passes the program\'s own ARN-pattern trust (keyless, issue 10) under both trust rules, and fails it once its root Principal becomes "*"', async () => {
            const pattern = `arn:aws:iam::${GREEN_ACCOUNT}:role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_DataAnalyst_*`;
            const run = await runProgram(
                blueConfig({ trustedPrincipalArnPatterns: JSON.stringify([pattern]), trustedPrincipalArns: JSON.stringify([`arn:aws:iam::${GREEN_ACCOUNT}:role/ci-deployer`]) }),
                { stack: "blue" },
            );
            const resources = fromMocks(run.mocks.resources);
            const statements = JSON.parse(resources.find((r) => r.type === ROLE_TYPE)!.props.assumeRolePolicy as string).Statement;
            assert.deepStrictEqual(
                statements.map((st: { Sid: string }) => st.Sid),
                ["TrustIdentityAccount", "TrustGreenPrincipalsByArnPattern"],
                "both statements are in the trust checked",
            );
            assert.deepStrictEqual(await greenAccountViolations(resources), []);
            assert.deepStrictEqual(await violationsOfResources(resources), []);
            // The ArnLike condition does not excuse a wildcard principal.
            const widened = changed(resources, ROLE_TYPE, (props) => {
                const document = JSON.parse(props.assumeRolePolicy as string);
                document.Statement[1].Principal = "*";
                return { ...props, assumeRolePolicy: JSON.stringify(document) };
            });
            assertOneViolationMatching(await violationsOfResources(widened), /wildcard principal in statement "TrustGreenPrincipalsByArnPattern"\. @ cross-account-role$/);
            // Nor does it make a third account's root acceptable.
            const third = changed(resources, ROLE_TYPE, (props) => ({
                ...props,
                assumeRolePolicy: (props.assumeRolePolicy as string).split(`arn:aws:iam::${GREEN_ACCOUNT}:root`).join(`arn:aws:iam::${THIRD}:root`),
            }));
            assertOneViolationMatching(
                await greenAccountViolations(third),
                /trusts arn:aws:iam::999999999999:root \(account 999999999999\) in statement "TrustGreenPrincipalsByArnPattern"/,
            );
        });

        it(`fails on a trust of a third account's root (arn:aws:iam::${THIRD}:root)`, async () => {
            const violations = await greenAccountViolations(withTrust(trust({ Sid: "Third", Principal: { AWS: `arn:aws:iam::${THIRD}:root` } })));
            assertOneViolationMatching(
                violations,
                new RegExp(
                    `^The trust policy of role "cross-account-role" trusts arn:aws:iam::${THIRD}:root \\(account ${THIRD}\\) in statement "Third"; only principals of the green account ${GREEN_ACCOUNT} may be trusted\\. @ cross-account-role$`,
                ),
            );
        });

        it("fails on a third account's user next to the green root, on the blue account itself, and on a bare third account id", async () => {
            const mixed = trust({ Sid: "Mixed", Principal: { AWS: [`arn:aws:iam::${GREEN_ACCOUNT}:root`, `arn:aws:iam::${THIRD}:user/eve`] } });
            assertOneViolationMatching(await greenAccountViolations(withTrust(mixed)), /trusts arn:aws:iam::999999999999:user\/eve \(account 999999999999\) in statement "Mixed"/);
            assertOneViolationMatching(
                await greenAccountViolations(withTrust(trust({ Principal: { AWS: `arn:aws:iam::${BLUE_ACCOUNT}:root` } }))),
                /\(account 111111111111\) in statement #1/,
            );
            assertOneViolationMatching(await greenAccountViolations(withTrust(trust({ Principal: { AWS: THIRD } }))), /trusts 999999999999 \(account 999999999999\)/);
        });

        it("fails on a service, a federated or a canonical-user principal", async () => {
            for (const [kind, value] of [
                ["Service", "ec2.amazonaws.com"],
                ["Federated", "cognito-identity.amazonaws.com"],
                ["CanonicalUser", "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"],
            ]) {
                assertOneViolationMatching(
                    await greenAccountViolations(withTrust(trust({ Principal: { [kind]: value } }))),
                    new RegExp(`trusts ${kind} principal ${value.replace(/\./g, "\\.")} in statement #1`),
                );
            }
        });

        it("fails when no green account is configured, saying how to configure it", async () => {
            assertOneViolationMatching(
                await greenAccountViolations(blue, {}),
                /^No green account is configured, so the trust of role "cross-account-role" cannot be checked: give the pack's config \{"iam-role-trust-green-account-only": \{"greenAccountId": "GREEN"\}\} with --policy-pack-config\./,
            );
        });

        it("leaves wildcards to the wildcard rule (one violation per cause)", async () => {
            assert.deepStrictEqual(await greenAccountViolations(withTrust(trust({ Principal: { AWS: "*" } }))), []);
        });
    });

    describe("s3-bucket-tls-only-policy", () => {
        const tlsDeny = (overrides: Record<string, unknown>) =>
            JSON.stringify({ Version: "2012-10-17", Statement: [{ ...denyInsecureTransportPolicy(BUCKET).Statement[0], ...overrides }] });

        it("fails when the program is told not to deny insecure transport (no bucket policy)", async () => {
            const run = await runProgram(blueConfig({ denyInsecureTransport: "false" }), { stack: "blue" });
            const violations = await violationsOfStack(s3BucketTlsOnlyPolicy, fromMocks(run.mocks.resources));
            assertOneViolationMatching(violations, /has no bucket policy.*@ cross-account-bucket$/);
        });

        it("fails when the bucket policy is removed", async () => {
            assertOneViolationMatching(await violationsOfStack(s3BucketTlsOnlyPolicy, withoutType(blue, BUCKET_POLICY_TYPE)), /has no bucket policy/);
        });

        for (const [label, overrides] of [
            ["has no Deny (an Allow instead)", { Effect: "Allow" }],
            ["denies only over TLS (aws:SecureTransport true)", { Condition: { Bool: { "aws:SecureTransport": "true" } } }],
            ["has no condition", { Condition: undefined }],
            ["covers the objects only", { Resource: [`arn:aws:s3:::${BUCKET}/*`] }],
            ["covers the bucket only", { Resource: [`arn:aws:s3:::${BUCKET}`] }],
            ["covers another bucket", { Resource: ["arn:aws:s3:::other-bucket", "arn:aws:s3:::other-bucket/*"] }],
            ["denies s3:GetObject only", { Action: ["s3:GetObject"] }],
            ["denies one account only", { Principal: { AWS: `arn:aws:iam::${GREEN_ACCOUNT}:root` } }],
            [
                "also requires a VPC endpoint (another operator, AND-ed)",
                { Condition: { Bool: { "aws:SecureTransport": "false" }, StringEquals: { "aws:SourceVpce": "vpce-1a2b3c4d" } } },
            ],
            ["also requires MFA (another key of the same operator, AND-ed)", { Condition: { Bool: { "aws:SecureTransport": "false", "aws:MultiFactorAuthPresent": "true" } } }],
            ["compares aws:SecureTransport with another operator", { Condition: { StringEquals: { "aws:SecureTransport": "false" } } }],
            ["lists true next to false", { Condition: { Bool: { "aws:SecureTransport": ["false", "true"] } } }],
        ] as const) {
            it(`fails when the Deny ${label}`, async () => {
                const resources = changed(blue, BUCKET_POLICY_TYPE, (props) => ({ ...props, policy: tlsDeny(overrides) }));
                assertOneViolationMatching(await violationsOfStack(s3BucketTlsOnlyPolicy, resources), /No policy of bucket "cross-account-bucket" denies s3:\*/);
            });
        }

        it('passes equivalent spellings: {"AWS": "*"}, Action "*", a boolean false, one wildcard resource', async () => {
            const overrides = { Principal: { AWS: "*" }, Action: "*", Condition: { Bool: { "aws:SecureTransport": false } }, Resource: "arn:aws:s3:::example-cross-account-s3-*" };
            const resources = changed(blue, BUCKET_POLICY_TYPE, (props) => ({ ...props, policy: tlsDeny(overrides) }));
            assert.deepStrictEqual(await violationsOfStack(s3BucketTlsOnlyPolicy, resources), []);
        });

        it("passes BoolIfExists, which denies whenever Bool does (and when the key is missing)", async () => {
            const resources = changed(blue, BUCKET_POLICY_TYPE, (props) => ({ ...props, policy: tlsDeny({ Condition: { BoolIfExists: { "aws:SecureTransport": "false" } } }) }));
            assert.deepStrictEqual(await violationsOfStack(s3BucketTlsOnlyPolicy, resources), []);
        });

        it("passes a narrowed Deny when another statement denies plain HTTP everywhere", async () => {
            const base = denyInsecureTransportPolicy(BUCKET).Statement[0];
            const document = {
                Version: "2012-10-17",
                Statement: [{ ...base, Sid: "FromVpce", Condition: { Bool: { "aws:SecureTransport": "false" }, StringEquals: { "aws:SourceVpce": "vpce-1a2b3c4d" } } }, base],
            };
            const resources = changed(blue, BUCKET_POLICY_TYPE, (props) => ({ ...props, policy: JSON.stringify(document) }));
            assert.deepStrictEqual(await violationsOfStack(s3BucketTlsOnlyPolicy, resources), []);
        });

        it("fails on a bucket policy that is not JSON, naming the policy", async () => {
            const resources = changed(blue, BUCKET_POLICY_TYPE, (props) => ({ ...props, policy: "[]" }));
            const violations = await violationsOfStack(s3BucketTlsOnlyPolicy, resources);
            assert.strictEqual(violations.length, 2, JSON.stringify(violations));
            assert.match(violations[0], /cannot be read: not a JSON object\. @ cross-account-tls-only-policy$/);
        });
    });
});

/** Starts the give-up timer of {@link readPort}; returns what cancels it. Tests pass one they fire themselves. */
type GiveUpTimer = (giveUp: () => void, ms: number) => () => void;

/** The real timer. */
const realTimer: GiveUpTimer = (giveUp, ms) => {
    const timer = setTimeout(giveUp, ms);
    return () => clearTimeout(timer);
};

/**
 * Waits for a child process to print its port: reads stdout line by line (whatever the chunks)
 * until a line holds only digits, and gives up after `timeoutMs` (on `startTimer`'s timer) or when
 * the child exits, with what it printed so far.
 */
function readPort(child: ChildProcess, timeoutMs: number, startTimer: GiveUpTimer = realTimer): Promise<string> {
    return new Promise((resolve, reject) => {
        const seen: string[] = [];
        let stderr = "";
        const lines = readline.createInterface({ input: child.stdout! });
        const onStderr = (chunk: Buffer) => (stderr += String(chunk));
        const finish = (error: Error | undefined, port?: string) => {
            cancelTimer();
            lines.off("line", onLine);
            lines.close();
            child.stderr?.off("data", onStderr);
            child.off("close", onExit);
            if (error) {
                reject(error);
            } else {
                resolve(port!);
            }
        };
        const context = () => `stdout: ${JSON.stringify(seen)}; stderr: ${stderr}`;
        const onLine = (line: string) => {
            if (/^\d+$/.test(line.trim())) {
                finish(undefined, line.trim());
            } else {
                seen.push(line);
            }
        };
        const onExit = (code: number | null) => finish(new Error(`exited with ${code} before printing a port; ${context()}`));
        const cancelTimer = startTimer(() => finish(new Error(`no port printed within ${timeoutMs} ms; ${context()}`)), timeoutMs);
        lines.on("line", onLine);
        child.stderr?.on("data", onStderr);
        // "close" comes after the child's output is drained, unlike "exit".
        child.once("close", onExit);
    });
}

/** Resolves once the child's stdout holds `text` (listeners added after readPort's see each chunk after it). */
function printed(child: ChildProcess, text: string): Promise<void> {
    return new Promise((resolve) => {
        let out = "";
        const onData = (chunk: Buffer) => {
            out += String(chunk);
            if (out.includes(text)) {
                child.stdout!.off("data", onData);
                resolve();
            }
        };
        child.stdout!.on("data", onData);
    });
}

/**
 * No wall-clock bound here: the give-up timer is fired by the test once the child has printed, and
 * the real bounds are generous (a node child can take seconds to start on a busy machine).
 */
describe("readPort", () => {
    const node = (script: string) => spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "pipe"] });
    /** A timer the test fires; records whether readPort cancelled it. */
    const manualTimer = () => {
        const timer = { fire: undefined as (() => void) | undefined, ms: 0, cancelled: false };
        const start: GiveUpTimer = (giveUp, ms) => {
            timer.fire = giveUp;
            timer.ms = ms;
            return () => (timer.cancelled = true);
        };
        return { timer, start };
    };

    it("reads the port after other lines, even when it arrives in pieces, and stops its timer", async () => {
        const child = node(
            "process.stdout.write('warning: something\\n'); process.stdout.write('12'); setTimeout(() => process.stdout.write('345\\n'), 50); setTimeout(() => {}, 60000);",
        );
        const { timer, start } = manualTimer();
        try {
            assert.strictEqual(await readPort(child, 60_000, start), "12345");
            assert.strictEqual(timer.ms, 60_000);
            assert.ok(timer.cancelled, "the give-up timer is still running");
        } finally {
            child.kill();
        }
    });

    it("gives up when its timer fires, with what the child printed", async () => {
        const child = node("console.log('starting'); setTimeout(() => {}, 60000);");
        const { timer, start } = manualTimer();
        try {
            const port = readPort(child, 300, start);
            // The timer fires only once the child has printed its line, however slow the machine is.
            await printed(child, "starting\n");
            timer.fire!();
            await assert.rejects(port, /no port printed within 300 ms; stdout: \["starting"\]/);
        } finally {
            child.kill();
        }
    });

    it("fails at once when the child exits first", async () => {
        const child = node("console.error('boom'); process.exit(3);");
        const { timer, start } = manualTimer();
        await assert.rejects(readPort(child, 60_000, start), /exited with 3 before printing a port; stdout: \[\]; stderr: boom/);
        assert.ok(timer.cancelled, "the give-up timer is still running");
    });

    it("gives up on the real timer too", async () => {
        const child = node("setTimeout(() => {}, 60000);");
        try {
            // The child prints nothing, so the outcome does not depend on how fast it starts.
            await assert.rejects(readPort(child, 50), /no port printed within 50 ms; stdout: \[\]; stderr: /);
        } finally {
            child.kill();
        }
    });
});

/**
 * The pack as the Pulumi CLI runs it: `@pulumi/pulumi/cmd/run-policy-pack` resolved from policy/
 * (so from this project's node_modules), started in that folder, compiling index.ts with
 * ts-node, printing its gRPC port. The engine's calls are then made over gRPC.
 */
describe("policy pack served over gRPC", function () {
    this.timeout(120_000);
    const packDir = path.join(__dirname, "..", "policy");
    let child: ChildProcess | undefined;
    let client: AnalyzerClient;

    before(async function () {
        const runner = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [packDir] });
        child = spawn(process.execPath, [runner, "127.0.0.1:1", "."], { cwd: packDir, stdio: ["ignore", "pipe", "pipe"] });
        // ts-node compiles the pack first: seconds on a busy machine, well under this bound.
        const port = await readPort(child, 90_000);
        client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
        // What the CLI sends from --policy-pack-config: the green account, at the pack's level.
        const configure = new ConfigureAnalyzerRequest();
        const greenRule = new PolicyConfig();
        greenRule.setEnforcementlevel(EnforcementLevel.MANDATORY);
        greenRule.setProperties(Struct.fromJavaScript({ greenAccountId: GREEN_ACCOUNT }));
        configure.getPolicyconfigMap().set("iam-role-trust-green-account-only", greenRule);
        await call<ConfigureAnalyzerRequest, Empty>(client.configure, configure);
    });

    after(() => {
        client?.close();
        child?.kill();
    });

    function call<Req, Res>(method: (request: Req, callback: (error: grpc.ServiceError | null, response: Res) => void) => unknown, request: Req): Promise<Res> {
        return new Promise((resolve, reject) => method.call(client, request, (error, response) => (error ? reject(error) : resolve(response))));
    }

    const diagnostics = (response: AnalyzeResponse) =>
        response.getDiagnosticsList().map((d: AnalyzeDiagnostic) => ({ policy: d.getPolicyname(), mandatory: d.getEnforcementlevel() === 1, urn: d.getUrn() }));

    const withMessages = (response: AnalyzeResponse) =>
        response.getDiagnosticsList().map((d: AnalyzeDiagnostic) => ({ policy: d.getPolicyname(), mandatory: d.getEnforcementlevel() === 1, message: d.getMessage() }));

    function stackResource(type: string, name: string, properties: Record<string, unknown>, bucketUrn?: string): AnalyzerResource {
        const resource = new AnalyzerResource();
        resource.setType(type);
        resource.setName(name);
        resource.setUrn(`urn:pulumi:blue::${PROJECT}::${type}::${name}`);
        resource.setProperties(Struct.fromJavaScript(properties as Record<string, never>));
        resource.setOptions(new AnalyzerResourceOptions());
        if (bucketUrn) {
            const dependencies = new AnalyzerPropertyDependencies();
            dependencies.setUrnsList([bucketUrn]);
            resource.getPropertydependenciesMap().set("bucket", dependencies);
            resource.setDependenciesList([bucketUrn]);
        }
        return resource;
    }

    it("describes the four rules as mandatory, the green-account rule with its required config", async () => {
        const info = await call<Empty, AnalyzerInfo>(client.getAnalyzerInfo, new Empty());
        assert.strictEqual(info.getName(), POLICY_PACK_NAME);
        assert.deepStrictEqual(
            info.getPoliciesList().map((policy) => [policy.getName(), policy.getEnforcementlevel()]),
            [
                ["s3-bucket-public-access-blocked", 1],
                ["iam-role-trust-no-wildcard-principal", 1],
                ["iam-role-trust-green-account-only", 1],
                ["s3-bucket-tls-only-policy", 1],
            ],
        );
        const schema = info.getPoliciesList()[2].getConfigschema();
        assert.deepStrictEqual(schema?.getRequiredList(), ["greenAccountId"]);
    });

    it("rejects a role trusting a third account's root, and passes one trusting the configured green root", async () => {
        const analyzeTrust = async (principal: string) => {
            const request = new AnalyzeRequest();
            request.setType(ROLE_TYPE);
            request.setName("role");
            request.setUrn(`urn:pulumi:blue::${PROJECT}::${ROLE_TYPE}::role`);
            request.setProperties(
                Struct.fromJavaScript({
                    assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: principal }, Action: "sts:AssumeRole" }] }),
                }),
            );
            request.setOptions(new AnalyzerResourceOptions());
            return diagnostics(await call<AnalyzeRequest, AnalyzeResponse>(client.analyze, request));
        };
        assert.deepStrictEqual(await analyzeTrust("arn:aws:iam::999999999999:root"), [{ policy: "iam-role-trust-green-account-only", mandatory: true, urn: "" }]);
        assert.deepStrictEqual(await analyzeTrust(`arn:aws:iam::${GREEN_ACCOUNT}:root`), []);
    });

    it('rejects a role trusting {"AWS": "*"}', async () => {
        const request = new AnalyzeRequest();
        request.setType(ROLE_TYPE);
        request.setName("role");
        request.setUrn(`urn:pulumi:blue::${PROJECT}::${ROLE_TYPE}::role`);
        request.setProperties(
            Struct.fromJavaScript({
                assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" }] }),
            }),
        );
        request.setOptions(new AnalyzerResourceOptions());
        const response = await call<AnalyzeRequest, AnalyzeResponse>(client.analyze, request);
        assert.deepStrictEqual(diagnostics(response), [{ policy: "iam-role-trust-no-wildcard-principal", mandatory: true, urn: "" }]);
    });

    it("links resources to the bucket by the engine's property dependencies: passes the full stack, fails without the block", async () => {
        const bucket = stackResource(BUCKET_TYPE, "bucket", { bucket: BUCKET });
        const flags = { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true };
        // The bucket property holds a value unrelated to the name: only the dependency links them.
        const block = stackResource(PAB_TYPE, "block", { bucket: "bucket-id", ...flags }, bucket.getUrn());
        const policy = stackResource(BUCKET_POLICY_TYPE, "tls", { bucket: "bucket-id", policy: serializePolicy(denyInsecureTransportPolicy(BUCKET)) }, bucket.getUrn());

        const full = new AnalyzeStackRequest();
        full.setResourcesList([bucket, block, policy]);
        assert.deepStrictEqual(diagnostics(await call<AnalyzeStackRequest, AnalyzeResponse>(client.analyzeStack, full)), []);

        const withoutBlock = new AnalyzeStackRequest();
        withoutBlock.setResourcesList([bucket, policy]);
        assert.deepStrictEqual(diagnostics(await call<AnalyzeStackRequest, AnalyzeResponse>(client.analyzeStack, withoutBlock)), [
            { policy: "s3-bucket-public-access-blocked", mandatory: true, urn: bucket.getUrn() },
        ]);
    });

    /**
     * A first preview as the engine sends it: values not known yet hold the engine's unknown
     * sentinel. Here the bucket's id and its provider-computed `acl`, `grants` and `policy` are
     * unknown; its name (set by the program) and the block's flags and the bucket policy (written
     * from config) are known, and the engine links both to the bucket.
     */
    describe("in a first preview, with values not known yet", () => {
        const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
        const analyzeStack = (resources: AnalyzerResource[]) => {
            const request = new AnalyzeStackRequest();
            request.setResourcesList(resources);
            return call<AnalyzeStackRequest, AnalyzeResponse>(client.analyzeStack, request).then(withMessages);
        };
        const bucket = stackResource(BUCKET_TYPE, "bucket", { bucket: BUCKET, id: UNKNOWN, acl: UNKNOWN, grants: UNKNOWN, policy: UNKNOWN });
        const block = (value: boolean) =>
            stackResource(
                PAB_TYPE,
                "block",
                { bucket: UNKNOWN, blockPublicAcls: value, blockPublicPolicy: value, ignorePublicAcls: value, restrictPublicBuckets: value },
                bucket.getUrn(),
            );
        const policy = (document: string) => stackResource(BUCKET_POLICY_TYPE, "tls", { bucket: UNKNOWN, policy: document }, bucket.getUrn());
        const tlsOnly = serializePolicy(denyInsecureTransportPolicy(BUCKET));

        it("runs the TLS rule in full and the public-access rule up to the bucket's own ACL, which it reports as advisory", async () => {
            const found = await analyzeStack([bucket, block(true), policy(tlsOnly)]);
            assert.deepStrictEqual(
                found.map(({ policy: name, mandatory }) => ({ name, mandatory })),
                [{ name: "s3-bucket-public-access-blocked", mandatory: false }],
            );
            assert.match(
                found[0].message,
                /^can't run policy 's3-bucket-public-access-blocked' from policy pack '[^']+' during preview: string value at \.acl can't be known during preview$/,
            );
        });

        it("still fails the preview on a public access block turned off, and on a bucket policy without the TLS Deny", async () => {
            const found = await analyzeStack([bucket, block(false), policy(JSON.stringify({ Version: "2012-10-17", Statement: [] }))]);
            assert.deepStrictEqual(
                found.map(({ policy: name, mandatory }) => ({ name, mandatory })),
                [
                    { name: "s3-bucket-public-access-blocked", mandatory: true },
                    { name: "s3-bucket-public-access-blocked", mandatory: false },
                    { name: "s3-bucket-tls-only-policy", mandatory: false },
                ],
            );
            assert.match(found[0].message, /does not set blockPublicAcls, blockPublicPolicy, ignorePublicAcls, restrictPublicBuckets to true/);
            // No qualifying BucketPolicy: the rule must read the bucket's inline policy, unknown here.
            assert.match(found[2].message, /string value at \.policy can't be known during preview/);
        });

        it("cannot run either bucket rule when the bucket policy is built from an unknown value (the bucket's ARN)", async () => {
            const found = await analyzeStack([bucket, block(true), policy(UNKNOWN)]);
            assert.deepStrictEqual(
                found.map(({ policy: name, mandatory, message }) => ({ name, mandatory, unknown: /value at \.policy can't be known/.test(message) })),
                [
                    { name: "s3-bucket-public-access-blocked", mandatory: false, unknown: true },
                    { name: "s3-bucket-tls-only-policy", mandatory: false, unknown: true },
                ],
            );
        });
    });
});
