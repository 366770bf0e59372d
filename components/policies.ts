/**
 * Pure builders of every policy document the components apply. No Pulumi resources here:
 * the same documents are unit-tested, evaluated by an IAM simulator and applied to an AWS
 * emulator without going through the Pulumi engine.
 */
import { accountRootArn, bucketArn, objectsArn, Partition } from "./arns";
import { ALL_S3_ACTIONS, ASSUME_ROLE_ACTIONS, BUCKET_LIST_ACTIONS, KMS_READ_ACTIONS, KMS_WRITE_ACTIONS, OBJECT_READ_ACTIONS, OBJECT_WRITE_ACTIONS } from "./permissions";
import { PolicyCondition, PolicyDocument, PolicyStatement } from "./policyDocument";

/** What the role may do in the bucket. */
export interface BucketAccessPolicyOptions {
    /** The bucket's name. */
    readonly bucketName: string;
    /** Limit object actions to keys under this prefix (ending in `/`) and listing to it. Default: the whole bucket. */
    readonly objectKeyPrefix?: string;
    /** Grant `s3:GetObject` and `s3:ListBucket` only, no `s3:PutObject`. Default `false`. */
    readonly readOnly?: boolean;
    /** The KMS key ARN of the bucket's SSE-KMS encryption; adds the KMS actions on that key. Default: none (SSE-S3). */
    readonly kmsKeyArn?: string;
    /** The AWS partition. Default `aws`. */
    readonly partition?: Partition;
}

/**
 * The role's permissions: `s3:PutObject` and `s3:GetObject` on the objects, `s3:ListBucket` on
 * the bucket, nothing else (plus the KMS actions on the bucket's key when it uses SSE-KMS).
 */
export function bucketAccessPolicy(options: BucketAccessPolicyOptions): PolicyDocument {
    const { bucketName, objectKeyPrefix, readOnly = false, kmsKeyArn, partition = "aws" } = options;
    const objectActions = readOnly ? [...OBJECT_READ_ACTIONS] : [...OBJECT_WRITE_ACTIONS, ...OBJECT_READ_ACTIONS];
    const statements: PolicyStatement[] = [
        {
            Sid: readOnly ? "GetObjects" : "PutGetObjects",
            Effect: "Allow",
            Action: objectActions,
            Resource: [objectsArn(bucketName, objectKeyPrefix, partition)],
        },
        {
            Sid: "ListBucket",
            Effect: "Allow",
            Action: [...BUCKET_LIST_ACTIONS],
            Resource: [bucketArn(bucketName, partition)],
            // Listing is scoped with s3:prefix; the object ARN alone does not limit ListBucket.
            Condition: objectKeyPrefix ? { StringLike: { "s3:prefix": [`${objectKeyPrefix}*`] } } : undefined,
        },
    ];
    if (kmsKeyArn) {
        statements.push({
            Sid: "UseBucketKmsKey",
            Effect: "Allow",
            Action: readOnly ? [...KMS_READ_ACTIONS] : [...KMS_READ_ACTIONS, ...KMS_WRITE_ACTIONS],
            Resource: [kmsKeyArn],
        });
    }
    return { Version: "2012-10-17", Statement: statements };
}

/** Who may assume the role, and under which conditions. */
export interface RoleTrustPolicyOptions {
    /** The identity (green) account, 12 digits. */
    readonly greenAccountId: string;
    /**
     * Principals to trust instead of the whole account, all in `greenAccountId`. Default:
     * `arn:aws:iam::GREEN:root`, which leaves the choice of who may assume to that account's IAM policies.
     */
    readonly trustedPrincipalArns?: readonly string[];
    /**
     * Role or user ARN patterns of the green account (`*` and `?` in the path and name only), e.g. IAM
     * Identity Center roles `arn:aws:iam::GREEN:role/aws-reserved/sso.amazonaws.com/*\/AWSReservedSSO_DataAnalyst_*`.
     * Trusted through a statement of their own: the green account root as Principal, narrowed by `ArnLike` on
     * `aws:PrincipalArn` (a Principal cannot hold a wildcard, and an SSO role's suffix changes when its
     * permission set is re-provisioned). With `trustedPrincipalArns` too, either statement admits. Default: none.
     */
    readonly trustedPrincipalArnPatterns?: readonly string[];
    /** Require this `sts:ExternalId` on AssumeRole. Default: not required. */
    readonly externalId?: string;
    /** Require MFA (`aws:MultiFactorAuthPresent`) on AssumeRole. Default `false`. */
    readonly requireMfa?: boolean;
    /** Require the caller to belong to this AWS Organization (`aws:PrincipalOrgID`). Default: not required. */
    readonly principalOrgId?: string;
    /** The AWS partition. Default `aws`. */
    readonly partition?: Partition;
}

/**
 * The role's trust policy: `sts:AssumeRole` from the identity account, with the chosen conditions. One
 * statement for the principals by ARN (or the green account root), one for the ARN patterns; the
 * conditions (ExternalId, MFA, organization) are in each.
 */
export function roleTrustPolicy(options: RoleTrustPolicyOptions): PolicyDocument {
    const { greenAccountId, trustedPrincipalArns, trustedPrincipalArnPatterns, externalId, requireMfa = false, principalOrgId, partition = "aws" } = options;
    const patterns = trustedPrincipalArnPatterns && trustedPrincipalArnPatterns.length > 0 ? [...trustedPrincipalArnPatterns] : undefined;
    const byArn = trustedPrincipalArns && trustedPrincipalArns.length > 0 ? [...trustedPrincipalArns] : undefined;
    const root = accountRootArn(greenAccountId, partition);
    const stringEquals: Record<string, string> = {};
    if (externalId !== undefined) {
        stringEquals["sts:ExternalId"] = externalId;
    }
    if (principalOrgId !== undefined) {
        stringEquals["aws:PrincipalOrgID"] = principalOrgId;
    }
    const condition: PolicyCondition = {};
    if (Object.keys(stringEquals).length > 0) {
        condition.StringEquals = stringEquals;
    }
    if (requireMfa) {
        condition.Bool = { "aws:MultiFactorAuthPresent": "true" };
    }
    const statements: PolicyStatement[] = [];
    // Patterns alone: only they are trusted, not the whole account (the root statement is left out).
    if (byArn || !patterns) {
        const principals = byArn ?? [root];
        statements.push({
            Sid: "TrustIdentityAccount",
            Effect: "Allow",
            Principal: { AWS: principals.length === 1 ? principals[0] : principals },
            Action: [...ASSUME_ROLE_ACTIONS],
            Condition: Object.keys(condition).length > 0 ? condition : undefined,
        });
    }
    if (patterns) {
        statements.push({
            Sid: "TrustGreenPrincipalsByArnPattern",
            Effect: "Allow",
            // The account root, narrowed to the matching principals of that account by aws:PrincipalArn.
            Principal: { AWS: root },
            Action: [...ASSUME_ROLE_ACTIONS],
            Condition: { ...condition, ArnLike: { "aws:PrincipalArn": patterns.length === 1 ? patterns[0] : patterns } },
        });
    }
    return { Version: "2012-10-17", Statement: statements };
}

/** The identity account group's inline policy: `sts:AssumeRole` on exactly the given role. */
export function assumeRolePolicy(roleArn: string): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "AssumeCrossAccountBucketRole",
                Effect: "Allow",
                Action: [...ASSUME_ROLE_ACTIONS],
                Resource: [roleArn],
            },
        ],
    };
}

/** The bucket policy: an explicit Deny of every request not sent over TLS. */
export function denyInsecureTransportPolicy(bucketName: string, partition: Partition = "aws"): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "DenyInsecureTransport",
                Effect: "Deny",
                Principal: "*",
                Action: [...ALL_S3_ACTIONS],
                Resource: [bucketArn(bucketName, partition), objectsArn(bucketName, undefined, partition)],
                Condition: { Bool: { "aws:SecureTransport": "false" } },
            },
        ],
    };
}
