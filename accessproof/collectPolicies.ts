/**
 * Collects the IAM world the program creates from runs of the real program under Pulumi mocks:
 * roles with their trust and attached policies, groups with their inline policies, users and
 * their memberships, buckets with their bucket policy and public access block.
 *
 * Every document is taken from the inputs the program registered (what `pulumi up` would send to
 * AWS), never rebuilt from the policy builders, so the proof covers the wiring too.
 *
 * Dev and test use only: nothing here is shipped.
 */
import { parseRoleArn } from "../components/arns";
import type { PolicyDocument, PolicyStatement } from "../components/policyDocument";
// Layering: the collector reads runs of the mocks harness in test/ (the single source of truth for
// running the program offline), so this dev tool depends on test code. Nothing here is shipped.
import type { ProgramRun, RecordedResource } from "../harness/pulumiMocks";
import { accountIdOfArn } from "./arns";

/**
 * One statement as the evaluator reads it: the components' {@link PolicyStatement}, widened to the
 * IAM grammar. The documents are parsed back from the registered JSON and the evaluator is also fed
 * documents the components never write (stand-in administrators and the default KMS key policy with
 * `Action: "*"` as a string; mutations and validation with `NotAction`/`NotResource`), so `Sid` is
 * optional and the action and resource elements take a string or a list. A components' statement is
 * one of these.
 */
export interface JsonStatement extends Omit<PolicyStatement, "Sid" | "Action" | "Resource"> {
    /** Statement id; optional in IAM (the validator and the report fall back to its index). */
    readonly Sid?: string;
    /** The actions it applies to: an exact name, a pattern such as `s3:*`, or a list of them. Absent with `NotAction`. */
    readonly Action?: string | string[];
    /** The actions it does not apply to (instead of `Action`). */
    readonly NotAction?: string | string[];
    /** The resources it applies to; absent in a trust policy (the role it guards) and with `NotResource`. */
    readonly Resource?: string | string[];
    /** The resources it does not apply to (instead of `Resource`). */
    readonly NotResource?: string | string[];
}

/**
 * A policy document as the evaluator reads it: the components' {@link PolicyDocument} (always
 * version `2012-10-17`) with {@link JsonStatement}s. A components' document is one of these.
 */
export interface JsonPolicy extends Omit<PolicyDocument, "Statement"> {
    /** The statements, in document order. */
    readonly Statement: JsonStatement[];
}

/** Which kind of IAM document a policy is: decides how it is validated and evaluated. */
export type PolicyKind = "identity" | "trust" | "resource";

/** A policy document and where it came from. */
export interface NamedPolicy {
    /** The policy's name as AWS shows it (managed or inline policy name; the role or bucket for resource policies). */
    readonly name: string;
    /** Identity policy, role trust policy or resource (bucket) policy. */
    readonly kind: PolicyKind;
    /** The registered resource it was read from, e.g. `blue: aws:iam/role:Role cross-account-role (assumeRolePolicy)`. */
    readonly source: string;
    /** The document, parsed. */
    readonly document: JsonPolicy;
    /** For a trust policy: the role it guards (the resource its statements apply to). */
    readonly guards?: string;
}

/** An IAM role and what it may do. */
export interface RoleModel {
    /** The role's name, without its path, e.g. `CrossAccountS3Access-Role`. */
    readonly name: string;
    /** The role's ARN, as the run's resource state gives it. */
    readonly arn: string;
    /** The account that owns the role (from its ARN). */
    readonly accountId: string;
    /** The trust policy: who may assume the role. */
    readonly trustPolicy: NamedPolicy;
    /** The managed policies attached to it, resolved to their documents. */
    readonly attachedPolicies: NamedPolicy[];
    /** Attached policy ARNs whose document the program does not create (e.g. AWS-managed): not evaluated. */
    readonly unresolvedPolicyArns: string[];
    /** The permissions boundary's ARN, when set: its document is not created here, so it is not evaluated. */
    readonly permissionsBoundaryArn?: string;
}

/** An IAM group and its inline policies. */
export interface GroupModel {
    /** The group's name, e.g. `prod-s3-users`. */
    readonly name: string;
    /** The group's ARN, as the run's resource state gives it. */
    readonly arn: string;
    /** The account that owns the group (from its ARN). */
    readonly accountId: string;
    /** Its inline policies (`aws.iam.GroupPolicy`), in registration order; none when the program sets none. */
    readonly inlinePolicies: NamedPolicy[];
}

/** An IAM user and the groups it belongs to. */
export interface UserModel {
    /** The user's name, e.g. `s3-prod-user`. */
    readonly name: string;
    /** The user's ARN, as the run's resource state gives it. */
    readonly arn: string;
    /** The account that owns the user (from its ARN). */
    readonly accountId: string;
    /** Names of its groups (in its own account). */
    readonly groups: string[];
}

/** An S3 bucket, its policy and the settings that change how requests to it are evaluated. */
export interface BucketModel {
    /** The bucket's name (the `bucket` input). */
    readonly name: string;
    /** `arn:PARTITION:s3:::NAME` (an S3 bucket ARN names no account). */
    readonly arn: string;
    /** The account of the provider the bucket was registered with. */
    readonly accountId: string;
    /** The region of that provider. */
    readonly region: string;
    /** The bucket policy, when the program sets one. */
    readonly policy?: NamedPolicy;
    /**
     * The public access block's `restrictPublicBuckets` (`false` without a block): a public bucket policy
     * then grants nothing to other accounts or anonymous callers.
     */
    readonly restrictPublicBuckets: boolean;
    /** The SSE-KMS key of its default encryption, when there is one. */
    readonly kmsKeyArn?: string;
}

/**
 * An existing green role or group the program does not create but grants (keyless, config
 * `greenRoleNames` / `greenGroupNames`): the managed policies it attaches to it.
 */
export interface GrantModel {
    /**
     * `role` or `group`; `permissionSet`: a managed policy attached to nothing the run registers, created
     * for IAM Identity Center permission sets to reference (config `permissionSetNames`); `name` is then the policy's.
     */
    readonly kind: "role" | "group" | "permissionSet";
    /** Its name, as given (the program manages neither the principal nor its path; the path is taken to be `/`). */
    readonly name: string;
    /** The account of the provider the attachment was registered with. */
    readonly accountId: string;
    /** The managed policies the program attaches to it, resolved to their documents. */
    readonly policies: NamedPolicy[];
}

/** Everything the evaluated stacks create that takes part in an access decision. */
export interface AccessModel {
    /** The stacks the model was collected from, e.g. `["blue", "green"]`. */
    readonly stacks: string[];
    /** Every IAM role of the runs, in registration order. */
    readonly roles: RoleModel[];
    /** Every IAM group of the runs, in registration order. */
    readonly groups: GroupModel[];
    /** Every IAM user of the runs, in registration order. */
    readonly users: UserModel[];
    /** Every S3 bucket of the runs, in registration order. */
    readonly buckets: BucketModel[];
    /** Existing roles and groups the runs grant through policy attachments (keyless), in registration order. */
    readonly grants: GrantModel[];
    /**
     * Registered IAM or S3 resource types the collector does not understand. Anything listed here could
     * change an access decision without the proof seeing it; the suite requires this list to be empty.
     */
    readonly unmodelled: string[];
}

/** One run of the program to collect from, and the name of its stack. */
export interface StackRun {
    /** The stack's name, e.g. `blue`. */
    readonly stack: string;
    /** The run of the program for that stack. */
    readonly run: ProgramRun;
}

/** Resource types that take part in no access decision, or whose effect the model already covers. */
const NEUTRAL_TYPES = new Set(["aws:iam/accessKey:AccessKey", "aws:s3/bucketOwnershipControls:BucketOwnershipControls", "aws:s3/bucketVersioning:BucketVersioning"]);

/** Resource types the collector reads. */
const MODELLED_TYPES = new Set([
    "aws:iam/role:Role",
    "aws:iam/policy:Policy",
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    "aws:iam/group:Group",
    "aws:iam/groupPolicy:GroupPolicy",
    "aws:iam/groupPolicyAttachment:GroupPolicyAttachment",
    "aws:iam/user:User",
    "aws:iam/userGroupMembership:UserGroupMembership",
    "aws:s3/bucket:Bucket",
    "aws:s3/bucketPolicy:BucketPolicy",
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
]);

function parsePolicy(json: unknown, where: string): JsonPolicy {
    if (typeof json !== "string") {
        throw new Error(`accessproof: ${where} is not a JSON string (${typeof json})`);
    }
    const document = JSON.parse(json) as JsonPolicy;
    if (!document || !Array.isArray(document.Statement)) {
        throw new Error(`accessproof: ${where} has no Statement list`);
    }
    if (document.Version !== "2012-10-17") {
        throw new Error(`accessproof: ${where} has Version ${JSON.stringify(document.Version)}, not 2012-10-17`);
    }
    return document;
}

function describe(stack: string, resource: RecordedResource, field: string): string {
    return `${stack}: ${resource.type} ${resource.name} (${field})`;
}

/**
 * Builds the access model from one or more program runs: the blue and green stacks of a split
 * deployment together, or the one run of a `both` stack.
 */
export function collectAccessModel(runs: readonly StackRun[]): AccessModel {
    const roles: RoleModel[] = [];
    const groups: GroupModel[] = [];
    const users: UserModel[] = [];
    const buckets: BucketModel[] = [];
    const grants: GrantModel[] = [];
    const unmodelled = new Set<string>();

    for (const { stack, run } of runs) {
        const resources = run.mocks.resources.filter((r) => r.custom);
        const ofType = (type: string) => resources.filter((r) => r.type === type);
        for (const r of resources) {
            if ((r.type.startsWith("aws:iam/") || r.type.startsWith("aws:s3/") || r.type.startsWith("aws:kms/")) && !MODELLED_TYPES.has(r.type) && !NEUTRAL_TYPES.has(r.type)) {
                unmodelled.add(`${stack}: ${r.type} ${r.name}`);
            }
        }

        const managedPolicies = new Map<string, NamedPolicy>();
        for (const r of ofType("aws:iam/policy:Policy")) {
            managedPolicies.set(r.state.arn, {
                name: r.inputs.name,
                kind: "identity",
                source: describe(stack, r, "policy"),
                document: parsePolicy(r.inputs.policy, describe(stack, r, "policy")),
            });
        }

        const attachments = ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment");
        for (const r of ofType("aws:iam/role:Role")) {
            const arn: string = r.state.arn;
            const parts = parseRoleArn(arn);
            if (!parts) {
                throw new Error(`accessproof: ${describe(stack, r, "arn")} is not a role ARN: ${arn}`);
            }
            const attachedArns = attachments.filter((a) => a.inputs.role === r.inputs.name).map((a) => a.inputs.policyArn as string);
            roles.push({
                name: r.inputs.name,
                arn,
                accountId: parts.accountId,
                trustPolicy: {
                    name: `${r.inputs.name} trust policy`,
                    kind: "trust",
                    source: describe(stack, r, "assumeRolePolicy"),
                    document: parsePolicy(r.inputs.assumeRolePolicy, describe(stack, r, "assumeRolePolicy")),
                    guards: arn,
                },
                attachedPolicies: attachedArns.filter((a) => managedPolicies.has(a)).map((a) => managedPolicies.get(a)!),
                unresolvedPolicyArns: attachedArns.filter((a) => !managedPolicies.has(a)),
                permissionsBoundaryArn: r.inputs.permissionsBoundary || undefined,
            });
        }

        // Attachments to roles and groups this run does not create: existing principals it grants.
        const createdRoles = new Set(ofType("aws:iam/role:Role").map((r) => r.inputs.name as string));
        const createdGroups = new Set(ofType("aws:iam/group:Group").map((r) => r.inputs.name as string));
        const grantOf = (kind: "role" | "group", r: RecordedResource) => {
            const name = r.inputs[kind] as string;
            const policyArn = r.inputs.policyArn as string;
            const policy = managedPolicies.get(policyArn);
            if (!policy) {
                throw new Error(`accessproof: ${describe(stack, r, "policyArn")} attaches ${policyArn}, which the run does not create`);
            }
            const accountId = run.mocks.providerOf(r.provider).account;
            const known = grants.find((g) => g.kind === kind && g.name === name && g.accountId === accountId);
            if (known) {
                known.policies.push(policy);
            } else {
                grants.push({ kind, name, accountId, policies: [policy] });
            }
        };
        attachments.filter((a) => !createdRoles.has(a.inputs.role)).forEach((a) => grantOf("role", a));
        const groupAttachments = ofType("aws:iam/groupPolicyAttachment:GroupPolicyAttachment");
        groupAttachments.forEach((a) => {
            if (createdGroups.has(a.inputs.group)) {
                throw new Error(`accessproof: ${describe(stack, a, "group")} attaches a managed policy to a group the run creates, which the model does not read`);
            }
            grantOf("group", a);
        });
        // A policy attached to nothing: what the program creates for permission sets to reference.
        const attachedArns = new Set([...attachments, ...groupAttachments].map((a) => a.inputs.policyArn as string));
        for (const r of ofType("aws:iam/policy:Policy").filter((policy) => !attachedArns.has(policy.state.arn))) {
            grants.push({ kind: "permissionSet", name: r.inputs.name, accountId: run.mocks.providerOf(r.provider).account, policies: [managedPolicies.get(r.state.arn)!] });
        }

        const groupPolicies = ofType("aws:iam/groupPolicy:GroupPolicy");
        for (const r of ofType("aws:iam/group:Group")) {
            const arn: string = r.state.arn;
            groups.push({
                name: r.inputs.name,
                arn,
                accountId: accountIdOfArn(arn),
                inlinePolicies: groupPolicies
                    .filter((p) => p.inputs.group === r.inputs.name)
                    .map((p) => ({
                        name: p.inputs.name,
                        kind: "identity" as const,
                        source: describe(stack, p, "policy"),
                        document: parsePolicy(p.inputs.policy, describe(stack, p, "policy")),
                    })),
            });
        }

        const memberships = ofType("aws:iam/userGroupMembership:UserGroupMembership");
        for (const r of ofType("aws:iam/user:User")) {
            const arn: string = r.state.arn;
            users.push({
                name: r.inputs.name,
                arn,
                accountId: accountIdOfArn(arn),
                groups: memberships.filter((m) => m.inputs.user === r.inputs.name).flatMap((m) => m.inputs.groups as string[]),
            });
        }

        const bucketPolicies = ofType("aws:s3/bucketPolicy:BucketPolicy");
        const accessBlocks = ofType("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock");
        const encryption = ofType("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration");
        for (const r of ofType("aws:s3/bucket:Bucket")) {
            const name: string = r.inputs.bucket;
            const policies = bucketPolicies.filter((p) => p.inputs.bucket === name);
            if (policies.length > 1) {
                throw new Error(`accessproof: ${stack}: bucket ${name} has ${policies.length} bucket policies; AWS keeps one`);
            }
            const policy = policies[0];
            const { account, region } = run.mocks.providerOf(r.provider);
            const rules = encryption.find((e) => e.inputs.bucket === name)?.inputs.rules as Array<Record<string, any>> | undefined;
            const kmsKeyArn = rules?.map((rule) => rule.applyServerSideEncryptionByDefault?.kmsMasterKeyId).find((k) => k);
            buckets.push({
                name,
                arn: r.state.arn,
                accountId: account,
                region,
                policy: policy && {
                    name: `${name} bucket policy`,
                    kind: "resource",
                    source: describe(stack, policy, "policy"),
                    document: parsePolicy(policy.inputs.policy, describe(stack, policy, "policy")),
                },
                restrictPublicBuckets: accessBlocks.some((b) => b.inputs.bucket === name && b.inputs.restrictPublicBuckets === true),
                kmsKeyArn,
            });
        }
    }

    return { stacks: runs.map((r) => r.stack), roles, groups, users, buckets, grants, unmodelled: [...unmodelled] };
}

/** Every policy document of the model, each once, in a stable order. */
export function allPolicies(model: AccessModel): NamedPolicy[] {
    const seen = new Set<NamedPolicy>();
    const add = (p: NamedPolicy | undefined) => p && seen.add(p);
    model.roles.forEach((r) => {
        add(r.trustPolicy);
        r.attachedPolicies.forEach(add);
    });
    model.groups.forEach((g) => g.inlinePolicies.forEach(add));
    model.grants.forEach((g) => g.policies.forEach(add));
    model.buckets.forEach((b) => add(b.policy));
    return [...seen];
}

/** The identity policies of a user: the inline policies of its groups (users get no policy of their own here). */
export function userIdentityPolicies(model: AccessModel, user: UserModel): NamedPolicy[] {
    return model.groups.filter((g) => g.accountId === user.accountId && user.groups.includes(g.name)).flatMap((g) => g.inlinePolicies);
}
