/**
 * Builds and parses the ARNs the policies refer to. Pure functions, no Pulumi.
 */

/** An AWS partition: `aws` (default), `aws-cn` or `aws-us-gov`. */
export type Partition = "aws" | "aws-cn" | "aws-us-gov";

/** The AWS partitions this library accepts. */
export const PARTITIONS: readonly Partition[] = ["aws", "aws-cn", "aws-us-gov"];

/** `arn:PARTITION:s3:::BUCKET`: what `s3:ListBucket` applies to. */
export function bucketArn(bucketName: string, partition: Partition = "aws"): string {
    return `arn:${partition}:s3:::${bucketName}`;
}

/**
 * `arn:PARTITION:s3:::BUCKET/*`, or `arn:PARTITION:s3:::BUCKET/PREFIX*` with a key prefix:
 * what the object actions apply to.
 */
export function objectsArn(bucketName: string, objectKeyPrefix?: string, partition: Partition = "aws"): string {
    return `${bucketArn(bucketName, partition)}/${objectKeyPrefix ?? ""}*`;
}

/** `arn:PARTITION:iam::ACCOUNT:root`: the whole account as a principal. */
export function accountRootArn(accountId: string, partition: Partition = "aws"): string {
    return `arn:${partition}:iam::${accountId}:root`;
}

/** `arn:PARTITION:iam::ACCOUNT:role/PATH/NAME`: the ARN a role of that name and path will have. */
export function roleArn(accountId: string, roleName: string, path = "/", partition: Partition = "aws"): string {
    return `arn:${partition}:iam::${accountId}:role${path}${roleName}`;
}

/** `arn:PARTITION:iam::ACCOUNT:user/PATH/NAME`: the ARN a user of that name and path will have. */
export function userArn(accountId: string, userName: string, path = "/", partition: Partition = "aws"): string {
    return `arn:${partition}:iam::${accountId}:user${path}${userName}`;
}

/** `arn:PARTITION:iam::ACCOUNT:group/PATH/NAME`: the ARN a group of that name and path will have. */
export function groupArn(accountId: string, groupName: string, path = "/", partition: Partition = "aws"): string {
    return `arn:${partition}:iam::${accountId}:group${path}${groupName}`;
}

/** `arn:PARTITION:iam::ACCOUNT:policy/PATH/NAME`: the ARN a customer managed policy of that name and path will have. */
export function managedPolicyArn(accountId: string, policyName: string, path = "/", partition: Partition = "aws"): string {
    return `arn:${partition}:iam::${accountId}:policy${path}${policyName}`;
}

/** The parts of an IAM role ARN. */
export interface RoleArnParts {
    /** The partition, e.g. `aws`. */
    readonly partition: string;
    /** The 12-digit account that owns the role. */
    readonly accountId: string;
    /** The role's path, `/` when none. */
    readonly path: string;
    /** The role's name, without its path. */
    readonly roleName: string;
}

const ROLE_ARN = /^arn:(aws|aws-cn|aws-us-gov):iam::(\d{12}):role(\/(?:[\x21-\x7E]+\/)?)?([\w+=,.@-]{1,64})$/;

/** Splits an IAM role ARN into its parts, or returns `undefined` when it is not one. */
export function parseRoleArn(arn: string): RoleArnParts | undefined {
    const match = ROLE_ARN.exec(arn);
    if (!match) {
        return undefined;
    }
    return { partition: match[1], accountId: match[2], path: match[3] ?? "/", roleName: match[4] };
}
