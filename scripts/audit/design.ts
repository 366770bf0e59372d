/**
 * What the live setup must be: built from the audit's settings by the components' own pure
 * builders (components/policies.ts, arns.ts, defaults.ts), the same functions the components
 * apply, so the audit compares AWS with exactly what `pulumi up` writes for those settings.
 *
 * test/audit.design.spec.ts holds these documents against the ones the components build
 * (`buildBucketAccessDocuments`, `buildGroupPolicy`) for the same settings. This file does not
 * import the components themselves: they load the Pulumi SDK, which the audit does not need.
 */
import { Partition, roleArn } from "../../components/arns";
import { assumeRolePolicy, bucketAccessPolicy, denyInsecureTransportPolicy, roleTrustPolicy } from "../../components/policies";
import { PolicyDocument } from "../../components/policyDocument";

/** The bucket settings the design manages; each as the component's `bucketSecurity` argument. */
export interface BucketSecuritySettings {
    /** All four public access block flags on (`false`: all off). */
    readonly blockPublicAccess: boolean;
    /** Object ownership `BucketOwnerEnforced` (`false`: `BucketOwnerPreferred`). */
    readonly enforceBucketOwner: boolean;
    /** Default encryption managed: SSE-S3, or SSE-KMS with `kmsKeyArn` (`false`: not managed, not audited). */
    readonly encryption: boolean;
    /** The TLS-only bucket policy (`false`: no bucket policy). */
    readonly denyInsecureTransport: boolean;
    /** Versioning `Enabled` (`false`: `Suspended`, or never enabled). */
    readonly versioning: boolean;
}

/** Everything the design depends on, checked and with defaults filled in (see settings.ts). */
export interface AuditSettings {
    /** The resource account: bucket, role, managed policy. */
    readonly blueAccountId: string;
    /** The identity account: group and users. */
    readonly greenAccountId: string;
    /** The region of the bucket and of every client. */
    readonly region: string;
    /** The partition of every ARN. */
    readonly partition: Partition;
    /** The bucket's name. */
    readonly bucketName: string;
    /** Whether the stack created the bucket (then its settings are part of the design). */
    readonly createBucket: boolean;
    /** The bucket settings, when the stack created the bucket. */
    readonly bucketSecurity: BucketSecuritySettings;
    /** The role's name. */
    readonly roleName: string;
    /** The managed policy's ARN: the `policyArn` output, or built from its name and path. */
    readonly policyArn: string;
    /** The IAM path of the role, policy, group and users. */
    readonly iamPath: string;
    /** The principals the role trusts instead of the green account, if any. */
    readonly trustedPrincipalArns?: readonly string[];
    /** Role or user ARN patterns of the green account the role trusts (`ArnLike` on `aws:PrincipalArn`), if any. */
    readonly trustedPrincipalArnPatterns?: readonly string[];
    /** The ExternalId the trust policy requires, if any. A secret: never printed. */
    readonly externalId?: string;
    /** Whether the trust policy requires MFA. */
    readonly requireMfa: boolean;
    /** The organization the trust policy requires, if any. */
    readonly principalOrgId?: string;
    /** The key prefix the role is limited to, if any. */
    readonly objectKeyPrefix?: string;
    /** Whether the role may only read. */
    readonly readOnly: boolean;
    /** The bucket's SSE-KMS key, if any. */
    readonly kmsKeyArn?: string;
    /** The role's maximum session, in seconds. */
    readonly maxSessionDurationSeconds: number;
    /** The role's permissions boundary, if any. */
    readonly permissionsBoundaryArn?: string;
    /** The green group's name. */
    readonly groupName: string;
    /** The name of the group's inline policy. */
    readonly groupPolicyName: string;
    /** The users the group must hold, exactly. */
    readonly userNames: readonly string[];
}

/** A managed policy of the design, by ARN. */
export interface DesignManagedPolicy {
    /** The policy's ARN. */
    readonly arn: string;
    /** Its default version's document. */
    readonly document: PolicyDocument;
}

/** The design of the blue role. */
export interface RoleDesign {
    /** The role's name. */
    readonly name: string;
    /** The role's ARN (what the group policy names). */
    readonly arn: string;
    /** The trust policy. */
    readonly trustPolicy: PolicyDocument;
    /** The managed policies attached to it, exactly: the access policy. */
    readonly attachedPolicies: readonly DesignManagedPolicy[];
    /** Its inline policies, by name, exactly: none. */
    readonly inlinePolicies: Readonly<Record<string, PolicyDocument>>;
    /** Its permissions boundary, or `undefined` for none. */
    readonly permissionsBoundaryArn?: string;
    /** Its maximum session, in seconds. */
    readonly maxSessionDurationSeconds: number;
}

/** The public access block's four flags, as S3 names them. */
export interface PublicAccessBlockFlags {
    /** Rejects requests that set public ACLs. */
    readonly BlockPublicAcls: boolean;
    /** Ignores public ACLs. */
    readonly IgnorePublicAcls: boolean;
    /** Rejects a public bucket policy. */
    readonly BlockPublicPolicy: boolean;
    /** Limits a public bucket policy to AWS services and the bucket's own account. */
    readonly RestrictPublicBuckets: boolean;
}

/** The design of the bucket's settings (only when the stack created the bucket). */
export interface BucketDesign {
    /** The bucket's name. */
    readonly name: string;
    /** The bucket policy, or `undefined` for none. */
    readonly policy?: PolicyDocument;
    /** The public access block. */
    readonly publicAccessBlock: PublicAccessBlockFlags;
    /** The object ownership rule. */
    readonly objectOwnership: "BucketOwnerEnforced" | "BucketOwnerPreferred";
    /** The default encryption, or `undefined` when the design does not manage it. */
    readonly encryption?: { readonly algorithm: "AES256" | "aws:kms"; readonly kmsKeyArn?: string; readonly bucketKeyEnabled?: boolean };
    /** Versioning on (`Enabled`) or off (`Suspended`, or never enabled). */
    readonly versioningEnabled: boolean;
}

/** The design of the green group. */
export interface GroupDesign {
    /** The group's name. */
    readonly name: string;
    /** Its inline policies, by name, exactly: the AssumeRole policy. */
    readonly inlinePolicies: Readonly<Record<string, PolicyDocument>>;
    /** The managed policies attached to it, exactly: none. */
    readonly attachedPolicyArns: readonly string[];
    /** Its members, exactly. */
    readonly members: readonly string[];
}

/** The whole design the live setup is compared with. */
export interface AuditDesign {
    /** The blue role. */
    readonly role: RoleDesign;
    /** The bucket, or `undefined` when the stack did not create it (its settings belong to someone else). */
    readonly bucket?: BucketDesign;
    /** The green group. */
    readonly group: GroupDesign;
}

/** Builds the design from checked settings. Pure. */
export function buildDesign(settings: AuditSettings): AuditDesign {
    const partition = settings.partition;
    const arn = roleArn(settings.blueAccountId, settings.roleName, settings.iamPath, partition);
    const role: RoleDesign = {
        name: settings.roleName,
        arn,
        trustPolicy: roleTrustPolicy({
            greenAccountId: settings.greenAccountId,
            trustedPrincipalArns: settings.trustedPrincipalArns,
            trustedPrincipalArnPatterns: settings.trustedPrincipalArnPatterns,
            externalId: settings.externalId,
            requireMfa: settings.requireMfa,
            principalOrgId: settings.principalOrgId,
            partition,
        }),
        attachedPolicies: [
            {
                arn: settings.policyArn,
                document: bucketAccessPolicy({
                    bucketName: settings.bucketName,
                    objectKeyPrefix: settings.objectKeyPrefix,
                    readOnly: settings.readOnly,
                    kmsKeyArn: settings.kmsKeyArn,
                    partition,
                }),
            },
        ],
        inlinePolicies: {},
        permissionsBoundaryArn: settings.permissionsBoundaryArn,
        maxSessionDurationSeconds: settings.maxSessionDurationSeconds,
    };
    const security = settings.bucketSecurity;
    const bucket: BucketDesign | undefined = settings.createBucket
        ? {
              name: settings.bucketName,
              policy: security.denyInsecureTransport ? denyInsecureTransportPolicy(settings.bucketName, partition) : undefined,
              publicAccessBlock: {
                  BlockPublicAcls: security.blockPublicAccess,
                  IgnorePublicAcls: security.blockPublicAccess,
                  BlockPublicPolicy: security.blockPublicAccess,
                  RestrictPublicBuckets: security.blockPublicAccess,
              },
              objectOwnership: security.enforceBucketOwner ? "BucketOwnerEnforced" : "BucketOwnerPreferred",
              encryption: !security.encryption
                  ? undefined
                  : settings.kmsKeyArn
                    ? { algorithm: "aws:kms", kmsKeyArn: settings.kmsKeyArn, bucketKeyEnabled: true }
                    : { algorithm: "AES256" },
              versioningEnabled: security.versioning,
          }
        : undefined;
    const group: GroupDesign = {
        name: settings.groupName,
        inlinePolicies: { [settings.groupPolicyName]: assumeRolePolicy(arn) },
        attachedPolicyArns: [],
        members: [...settings.userNames],
    };
    return { role, bucket, group };
}
