/**
 * Reads what is live in each account: the blue role (trust policy, attached managed policies with
 * their default version's document, inline policies, permissions boundary, maximum session) and
 * bucket (policy, public access block, ownership, encryption, versioning), and the green group
 * (members, inline and attached policies). Only reads; every call is one of the table's
 * (awsCalls.ts), made through the {@link AuditCaller} under the audit's deadline.
 */
import {
    GetGroupCommand,
    GetGroupPolicyCommand,
    GetPolicyCommand,
    GetPolicyVersionCommand,
    GetRoleCommand,
    GetRolePolicyCommand,
    ListAttachedGroupPoliciesCommand,
    ListAttachedRolePoliciesCommand,
    ListGroupPoliciesCommand,
    ListRolePoliciesCommand,
} from "@aws-sdk/client-iam";
import { GetBucketEncryptionCommand, GetBucketOwnershipControlsCommand, GetBucketPolicyCommand, GetBucketVersioningCommand, GetPublicAccessBlockCommand } from "@aws-sdk/client-s3";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { CouldNotRunError } from "../verify/exitCodes";
import { AuditCaller } from "./auditCaller";
import type { AuditAccount } from "./awsCalls";
import type { AccountClients } from "./clients";
import { LivePolicyDocument, parsePolicyText } from "./policyComparison";

/** A live policy: its name (and ARN for a managed one) and its document. */
export interface LivePolicy {
    /** The inline policy's name, or the managed policy's name. */
    readonly name: string;
    /** The managed policy's ARN; absent for an inline policy. */
    readonly arn?: string;
    /** The document (a managed policy's default version), or `undefined` when AWS returned no JSON. */
    readonly document?: LivePolicyDocument;
}

/** The live role. */
export interface LiveRole {
    /** Its name. */
    readonly name: string;
    /** Its ARN. */
    readonly arn: string;
    /** Its trust policy, or `undefined` when AWS returned no JSON. */
    readonly trustPolicy?: LivePolicyDocument;
    /** Its permissions boundary's ARN, if any. */
    readonly permissionsBoundaryArn?: string;
    /** Its maximum session, in seconds. */
    readonly maxSessionDurationSeconds?: number;
    /** The managed policies attached to it. */
    readonly attachedPolicies: readonly LivePolicy[];
    /** Its inline policies. */
    readonly inlinePolicies: readonly LivePolicy[];
}

/** The live bucket settings; `undefined` fields mean S3 holds none. */
export interface LiveBucket {
    /** The bucket's name. */
    readonly name: string;
    /** The bucket policy; `null` when S3 returned text that is not JSON. */
    readonly policy?: LivePolicyDocument | null;
    /** The public access block's flags. */
    readonly publicAccessBlock?: Readonly<Record<"BlockPublicAcls" | "IgnorePublicAcls" | "BlockPublicPolicy" | "RestrictPublicBuckets", boolean | undefined>>;
    /** The object ownership rules (one, normally). */
    readonly objectOwnership?: readonly string[];
    /** The default encryption rules. */
    readonly encryption?: readonly { readonly algorithm?: string; readonly kmsKeyArn?: string; readonly bucketKeyEnabled?: boolean }[];
    /** The versioning status (`Enabled`, `Suspended`), or `undefined` when it was never enabled. */
    readonly versioningStatus?: string;
}

/** The live green group. */
export interface LiveGroup {
    /** Its name. */
    readonly name: string;
    /** Its ARN. */
    readonly arn: string;
    /** Its members. */
    readonly members: readonly { readonly name: string; readonly arn: string }[];
    /** Its inline policies. */
    readonly inlinePolicies: readonly LivePolicy[];
    /** The managed policies attached to it. */
    readonly attachedPolicies: readonly LivePolicy[];
}

/** What was read in the blue account. */
export interface LiveBlue {
    /** The account the credentials belong to (checked to be the blue account). */
    readonly accountId: string;
    /** The role. */
    readonly role: LiveRole;
    /** The bucket. */
    readonly bucket: LiveBucket;
}

/** What was read in the green account. */
export interface LiveGreen {
    /** The account the credentials belong to (checked to be the green account). */
    readonly accountId: string;
    /** The group. */
    readonly group: LiveGroup;
}

/** Most pages read from one list call: a bound, not a limit any real role or group reaches. */
const MAX_PAGES = 50;

/**
 * Checks that the credentials belong to the expected account: auditing the wrong account would
 * report its contents as drift, or worse, as clean.
 */
export async function checkAccount(caller: AuditCaller, clients: AccountClients, expectedAccountId: string, credentialsLabel: string): Promise<string> {
    const identity = await caller.call(clients.account, "GetCallerIdentity", "the credentials' identity", (abortSignal) =>
        clients.sts.send(new GetCallerIdentityCommand({}), { abortSignal }),
    );
    const account = identity?.Account;
    if (account !== expectedAccountId) {
        throw new CouldNotRunError(
            `${clients.account} account: the credentials of ${credentialsLabel} belong to account ${account ?? "(none)"}, not the ${clients.account} account ${expectedAccountId}`,
            `pass --${clients.account}-profile with a profile of account ${expectedAccountId}`,
        );
    }
    return account;
}

/** Reads the blue role and bucket. */
export async function readBlue(caller: AuditCaller, clients: AccountClients, names: { roleName: string; bucketName: string }, accountId: string): Promise<LiveBlue> {
    const role = await readRole(caller, clients, names.roleName);
    const bucket = await readBucket(caller, clients, names.bucketName);
    return { accountId, role, bucket };
}

async function readRole(caller: AuditCaller, clients: AccountClients, roleName: string): Promise<LiveRole> {
    const what = `role ${roleName}`;
    const got = await caller.call("blue", "GetRole", what, (abortSignal) => clients.iam.send(new GetRoleCommand({ RoleName: roleName }), { abortSignal }));
    const role = got?.Role;
    if (!role?.Arn) {
        throw new CouldNotRunError(`blue account: GetRole returned no role for ${roleName}`);
    }
    const attached = await pages("blue", caller, what, "ListAttachedRolePolicies", async (marker, abortSignal) => {
        const page = await clients.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName, Marker: marker }), { abortSignal });
        return { items: (page.AttachedPolicies ?? []).map((p) => ({ name: p.PolicyName ?? "", arn: p.PolicyArn ?? "" })), next: page.IsTruncated ? page.Marker : undefined };
    });
    const inlineNames = await pages("blue", caller, what, "ListRolePolicies", async (marker, abortSignal) => {
        const page = await clients.iam.send(new ListRolePoliciesCommand({ RoleName: roleName, Marker: marker }), { abortSignal });
        return { items: page.PolicyNames ?? [], next: page.IsTruncated ? page.Marker : undefined };
    });
    const inlinePolicies: LivePolicy[] = [];
    for (const name of inlineNames) {
        const policy = await caller.call("blue", "GetRolePolicy", `inline policy ${name} of ${what}`, (abortSignal) =>
            clients.iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: name }), { abortSignal }),
        );
        inlinePolicies.push({ name, document: parsePolicyText(policy?.PolicyDocument ?? "") });
    }
    const attachedPolicies: LivePolicy[] = [];
    for (const policy of attached) {
        attachedPolicies.push(await readManagedPolicy(caller, clients, policy.name, policy.arn));
    }
    return {
        name: role.RoleName ?? roleName,
        arn: role.Arn,
        trustPolicy: parsePolicyText(role.AssumeRolePolicyDocument ?? ""),
        permissionsBoundaryArn: role.PermissionsBoundary?.PermissionsBoundaryArn,
        maxSessionDurationSeconds: role.MaxSessionDuration,
        attachedPolicies,
        inlinePolicies,
    };
}

/** A managed policy's default version: GetPolicy names it, GetPolicyVersion returns its document. */
async function readManagedPolicy(caller: AuditCaller, clients: AccountClients, name: string, arn: string): Promise<LivePolicy> {
    const what = `managed policy ${arn}`;
    const policy = await caller.call(clients.account, "GetPolicy", what, (abortSignal) => clients.iam.send(new GetPolicyCommand({ PolicyArn: arn }), { abortSignal }));
    const versionId = policy?.Policy?.DefaultVersionId;
    if (!versionId) {
        throw new CouldNotRunError(`${clients.account} account: GetPolicy named no default version for ${arn}`);
    }
    const version = await caller.call(clients.account, "GetPolicyVersion", `${what} version ${versionId}`, (abortSignal) =>
        clients.iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: versionId }), { abortSignal }),
    );
    return { name, arn, document: parsePolicyText(version?.PolicyVersion?.Document ?? "") };
}

async function readBucket(caller: AuditCaller, clients: AccountClients, bucketName: string): Promise<LiveBucket> {
    const what = `bucket ${bucketName}`;
    const policy = await caller.call("blue", "GetBucketPolicy", what, (abortSignal) => clients.s3.send(new GetBucketPolicyCommand({ Bucket: bucketName }), { abortSignal }), [
        "NoSuchBucketPolicy",
    ]);
    const block = await caller.call(
        "blue",
        "GetPublicAccessBlock",
        what,
        (abortSignal) => clients.s3.send(new GetPublicAccessBlockCommand({ Bucket: bucketName }), { abortSignal }),
        ["NoSuchPublicAccessBlockConfiguration"],
    );
    const ownership = await caller.call(
        "blue",
        "GetBucketOwnershipControls",
        what,
        (abortSignal) => clients.s3.send(new GetBucketOwnershipControlsCommand({ Bucket: bucketName }), { abortSignal }),
        ["OwnershipControlsNotFoundError"],
    );
    const encryption = await caller.call(
        "blue",
        "GetBucketEncryption",
        what,
        (abortSignal) => clients.s3.send(new GetBucketEncryptionCommand({ Bucket: bucketName }), { abortSignal }),
        ["ServerSideEncryptionConfigurationNotFoundError"],
    );
    const versioning = await caller.call("blue", "GetBucketVersioning", what, (abortSignal) =>
        clients.s3.send(new GetBucketVersioningCommand({ Bucket: bucketName }), { abortSignal }),
    );
    const flags = block?.PublicAccessBlockConfiguration;
    return {
        name: bucketName,
        policy: policy?.Policy === undefined ? undefined : (parsePolicyText(policy.Policy) ?? null),
        publicAccessBlock: flags && {
            BlockPublicAcls: flags.BlockPublicAcls,
            IgnorePublicAcls: flags.IgnorePublicAcls,
            BlockPublicPolicy: flags.BlockPublicPolicy,
            RestrictPublicBuckets: flags.RestrictPublicBuckets,
        },
        objectOwnership: ownership?.OwnershipControls?.Rules?.map((rule) => rule.ObjectOwnership ?? ""),
        encryption: encryption?.ServerSideEncryptionConfiguration?.Rules?.map((rule) => ({
            algorithm: rule.ApplyServerSideEncryptionByDefault?.SSEAlgorithm,
            kmsKeyArn: rule.ApplyServerSideEncryptionByDefault?.KMSMasterKeyID,
            bucketKeyEnabled: rule.BucketKeyEnabled,
        })),
        versioningStatus: versioning?.Status,
    };
}

/** Reads the green group. */
export async function readGreen(caller: AuditCaller, clients: AccountClients, groupName: string, accountId: string): Promise<LiveGreen> {
    const what = `group ${groupName}`;
    let arn = "";
    const members = await pages("green", caller, what, "GetGroup", async (marker, abortSignal) => {
        const page = await clients.iam.send(new GetGroupCommand({ GroupName: groupName, Marker: marker }), { abortSignal });
        arn = page.Group?.Arn ?? arn;
        return { items: (page.Users ?? []).map((u) => ({ name: u.UserName ?? "", arn: u.Arn ?? "" })), next: page.IsTruncated ? page.Marker : undefined };
    });
    const inlineNames = await pages("green", caller, what, "ListGroupPolicies", async (marker, abortSignal) => {
        const page = await clients.iam.send(new ListGroupPoliciesCommand({ GroupName: groupName, Marker: marker }), { abortSignal });
        return { items: page.PolicyNames ?? [], next: page.IsTruncated ? page.Marker : undefined };
    });
    const inlinePolicies: LivePolicy[] = [];
    for (const name of inlineNames) {
        const policy = await caller.call("green", "GetGroupPolicy", `inline policy ${name} of ${what}`, (abortSignal) =>
            clients.iam.send(new GetGroupPolicyCommand({ GroupName: groupName, PolicyName: name }), { abortSignal }),
        );
        inlinePolicies.push({ name, document: parsePolicyText(policy?.PolicyDocument ?? "") });
    }
    const attached = await pages("green", caller, what, "ListAttachedGroupPolicies", async (marker, abortSignal) => {
        const page = await clients.iam.send(new ListAttachedGroupPoliciesCommand({ GroupName: groupName, Marker: marker }), { abortSignal });
        return { items: (page.AttachedPolicies ?? []).map((p) => ({ name: p.PolicyName ?? "", arn: p.PolicyArn ?? "" })), next: page.IsTruncated ? page.Marker : undefined };
    });
    const attachedPolicies: LivePolicy[] = [];
    for (const policy of attached) {
        attachedPolicies.push(await readManagedPolicy(caller, clients, policy.name, policy.arn));
    }
    return { accountId, group: { name: groupName, arn, members, inlinePolicies, attachedPolicies } };
}

/** Reads every page of a list call (IAM's `Marker`/`IsTruncated`), at most {@link MAX_PAGES}. */
async function pages<T>(
    account: AuditAccount,
    caller: AuditCaller,
    what: string,
    operation: "ListAttachedRolePolicies" | "ListRolePolicies" | "GetGroup" | "ListGroupPolicies" | "ListAttachedGroupPolicies",
    read: (marker: string | undefined, abortSignal: AbortSignal) => Promise<{ items: T[]; next?: string }>,
): Promise<T[]> {
    const items: T[] = [];
    let marker: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
        const result = await caller.call(account, operation, what, (abortSignal) => read(marker, abortSignal));
        items.push(...(result?.items ?? []));
        marker = result?.next;
        if (marker === undefined) {
            return items;
        }
    }
    throw new CouldNotRunError(
        `${account} account: ${operation} on ${what} returned more than ${MAX_PAGES} pages`,
        "report it: no role or group of this setup holds that many entries",
    );
}
