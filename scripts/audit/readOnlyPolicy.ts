/**
 * The least the audit's credentials need in each account: the IAM actions of its calls
 * ({@link AUDIT_CALLS}), each on the resource it reads. Rendered in docs/audit.md; attach it to the
 * user or role whose credentials the audit runs with (`--blue-profile`, `--green-profile`).
 */
import { bucketArn, Partition } from "../../components/arns";
import { PolicyDocument, PolicyStatement } from "../../components/policyDocument";
import { AUDIT_CALLS, AuditAccount, AuditCall, CallResource } from "./awsCalls";

/** What the policy is scoped to: the names of the audited resources. */
export interface AuditPolicyScope {
    /** The account the policy is for. */
    readonly accountId: string;
    /** The partition. Default `aws`. */
    readonly partition?: Partition;
    /** The IAM path of the role (blue) or group (green). Default `/`. */
    readonly iamPath?: string;
    /** The role's name (blue). */
    readonly roleName?: string;
    /** The bucket's name (blue). */
    readonly bucketName?: string;
    /** The group's name (green). */
    readonly groupName?: string;
}

/** The statement id of each resource's statement, in the order they are written. */
const STATEMENT_IDS: Record<Exclude<CallResource, "none">, string> = {
    role: "AuditReadRole",
    policy: "AuditReadManagedPolicies",
    bucket: "AuditReadBucketSettings",
    group: "AuditReadGroup",
};

/**
 * The audit's read-only policy for one account. Managed policies are read wherever they come from
 * (any policy of the account, or an AWS managed one): an attached policy the design does not know
 * is exactly what the audit must be able to read.
 */
export function auditReadPolicy(account: AuditAccount, scope: AuditPolicyScope): PolicyDocument {
    const partition = scope.partition ?? "aws";
    const path = scope.iamPath ?? "/";
    const iam = (resource: string): string => `arn:${partition}:iam::${resource}`;
    const resources: Record<Exclude<CallResource, "none">, () => string[]> = {
        role: () => [iam(`${scope.accountId}:role${path}${required(scope.roleName, "roleName")}`)],
        policy: () => [iam(`${scope.accountId}:policy/*`), iam("aws:policy/*")],
        bucket: () => [bucketArn(required(scope.bucketName, "bucketName"), partition)],
        group: () => [iam(`${scope.accountId}:group${path}${required(scope.groupName, "groupName")}`)],
    };
    const calls: readonly AuditCall[] = Object.values(AUDIT_CALLS);
    const statements: PolicyStatement[] = [];
    for (const resource of Object.keys(STATEMENT_IDS) as (keyof typeof STATEMENT_IDS)[]) {
        const actions = [
            ...new Set(
                calls.filter((call) => call.resource === resource && call.accounts.includes(account) && call.iamAction !== undefined).map((call) => call.iamAction as string),
            ),
        ].sort();
        if (actions.length > 0) {
            statements.push({ Sid: STATEMENT_IDS[resource], Effect: "Allow", Action: actions, Resource: resources[resource]() });
        }
    }
    return { Version: "2012-10-17", Statement: statements };
}

function required(value: string | undefined, name: string): string {
    if (value === undefined) {
        throw new Error(`auditReadPolicy: ${name} is needed for this account's policy`);
    }
    return value;
}
