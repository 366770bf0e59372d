/**
 * Every AWS call the audit makes, and the IAM action each needs: one table that the readers
 * (liveState.ts) go through to send a call, the read-only policy (readOnlyPolicy.ts) is rendered
 * from, and the tests hold against what was really sent. A call missing here cannot be made.
 */

/** The account a call is made in. */
export type AuditAccount = "blue" | "green";

/** What a call's IAM action applies to, so the read-only policy can name the resource. */
export type CallResource = "role" | "policy" | "bucket" | "group" | "none";

/** One AWS call of the audit. */
export interface AuditCall {
    /** The API operation, as the SDK command is named without `Command` (e.g. `GetRole`). */
    readonly operation: string;
    /** The service the call goes to. */
    readonly service: "iam" | "s3" | "sts";
    /** The IAM action AWS authorizes the call as; `undefined` when AWS authorizes no action (GetCallerIdentity). */
    readonly iamAction?: string;
    /** The accounts the audit makes it in. */
    readonly accounts: readonly AuditAccount[];
    /** What the action applies to. */
    readonly resource: CallResource;
    /** What the audit reads with it. */
    readonly reads: string;
}

/**
 * The calls, by operation. S3's action names differ from its operations for three reads
 * (GetPublicAccessBlock is `s3:GetBucketPublicAccessBlock`, GetBucketEncryption is
 * `s3:GetEncryptionConfiguration`), as the Service Authorization Reference lists them.
 */
export const AUDIT_CALLS = {
    GetCallerIdentity: {
        operation: "GetCallerIdentity",
        service: "sts",
        accounts: ["blue", "green"],
        resource: "none",
        reads: "which account the credentials belong to (no IAM permission needed)",
    },
    GetRole: {
        operation: "GetRole",
        service: "iam",
        iamAction: "iam:GetRole",
        accounts: ["blue"],
        resource: "role",
        reads: "the role's trust policy, permissions boundary and maximum session",
    },
    ListAttachedRolePolicies: {
        operation: "ListAttachedRolePolicies",
        service: "iam",
        iamAction: "iam:ListAttachedRolePolicies",
        accounts: ["blue"],
        resource: "role",
        reads: "the managed policies attached to the role",
    },
    ListRolePolicies: {
        operation: "ListRolePolicies",
        service: "iam",
        iamAction: "iam:ListRolePolicies",
        accounts: ["blue"],
        resource: "role",
        reads: "the names of the role's inline policies",
    },
    GetRolePolicy: { operation: "GetRolePolicy", service: "iam", iamAction: "iam:GetRolePolicy", accounts: ["blue"], resource: "role", reads: "each inline policy of the role" },
    GetPolicy: {
        operation: "GetPolicy",
        service: "iam",
        iamAction: "iam:GetPolicy",
        accounts: ["blue", "green"],
        resource: "policy",
        reads: "the default version of each attached managed policy",
    },
    GetPolicyVersion: {
        operation: "GetPolicyVersion",
        service: "iam",
        iamAction: "iam:GetPolicyVersion",
        accounts: ["blue", "green"],
        resource: "policy",
        reads: "the document of that default version",
    },
    GetBucketPolicy: { operation: "GetBucketPolicy", service: "s3", iamAction: "s3:GetBucketPolicy", accounts: ["blue"], resource: "bucket", reads: "the bucket policy" },
    GetPublicAccessBlock: {
        operation: "GetPublicAccessBlock",
        service: "s3",
        iamAction: "s3:GetBucketPublicAccessBlock",
        accounts: ["blue"],
        resource: "bucket",
        reads: "the bucket's public access block",
    },
    GetBucketOwnershipControls: {
        operation: "GetBucketOwnershipControls",
        service: "s3",
        iamAction: "s3:GetBucketOwnershipControls",
        accounts: ["blue"],
        resource: "bucket",
        reads: "the bucket's object ownership",
    },
    GetBucketEncryption: {
        operation: "GetBucketEncryption",
        service: "s3",
        iamAction: "s3:GetEncryptionConfiguration",
        accounts: ["blue"],
        resource: "bucket",
        reads: "the bucket's default encryption",
    },
    GetBucketVersioning: {
        operation: "GetBucketVersioning",
        service: "s3",
        iamAction: "s3:GetBucketVersioning",
        accounts: ["blue"],
        resource: "bucket",
        reads: "the bucket's versioning",
    },
    GetGroup: { operation: "GetGroup", service: "iam", iamAction: "iam:GetGroup", accounts: ["green"], resource: "group", reads: "the group's members" },
    ListGroupPolicies: {
        operation: "ListGroupPolicies",
        service: "iam",
        iamAction: "iam:ListGroupPolicies",
        accounts: ["green"],
        resource: "group",
        reads: "the names of the group's inline policies",
    },
    GetGroupPolicy: {
        operation: "GetGroupPolicy",
        service: "iam",
        iamAction: "iam:GetGroupPolicy",
        accounts: ["green"],
        resource: "group",
        reads: "each inline policy of the group",
    },
    ListAttachedGroupPolicies: {
        operation: "ListAttachedGroupPolicies",
        service: "iam",
        iamAction: "iam:ListAttachedGroupPolicies",
        accounts: ["green"],
        resource: "group",
        reads: "the managed policies attached to the group",
    },
} as const satisfies Record<string, AuditCall>;

/** The name of one of the audit's calls. */
export type AuditOperation = keyof typeof AUDIT_CALLS;

/** The IAM actions the audit needs in an account, sorted, each once. */
export function iamActionsFor(account: AuditAccount): string[] {
    const calls: readonly AuditCall[] = Object.values(AUDIT_CALLS);
    return [...new Set(calls.filter((call) => call.accounts.includes(account) && call.iamAction !== undefined).map((call) => call.iamAction as string))].sort();
}
