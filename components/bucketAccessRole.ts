/**
 * The resource account's (blue) half: the bucket, the access policy and the role the identity
 * account assumes. Usable alone in a stack that holds only the resource account's credentials.
 */
import * as pulumi from "@pulumi/pulumi";
import * as iam from "@pulumi/aws/iam";
import * as s3 from "@pulumi/aws/s3";
import { BlueImportIds, blueImportIds, checkAdoptExisting, requireAccountForAdoption } from "./adoption";
import { bucketArn, Partition } from "./arns";
import { DEFAULT_IAM_PATH, DEFAULT_MAX_SESSION_DURATION_SECONDS, DEFAULT_POLICY_NAME, DEFAULT_ROLE_NAME } from "./defaults";
import { bucketAccessPolicy, denyInsecureTransportPolicy, roleTrustPolicy } from "./policies";
import { serializePolicy } from "./policyDocument";
import { TYPE_TOKENS } from "./typeTokens";
import { checkVersioningSetting, VersioningSetting, versioningStatus } from "./versioning";
import {
    checkAccountId,
    checkBucketName,
    checkDistinctAccounts,
    checkExternalId,
    checkIamName,
    checkIamPath,
    checkKmsKeyArn,
    checkManagedPolicyArn,
    checkMaxSessionDuration,
    checkObjectKeyPrefix,
    checkOrganizationId,
    checkPartition,
    checkPolicySize,
    checkTrustedPrincipalArn,
    argumentNamer,
    FieldNamer,
    InvalidInputError,
} from "./validation";

/**
 * The bucket's security settings. Each is on unless set to `false`, and turning one off changes the
 * bucket in place: the public access block, ownership controls and versioning are always managed
 * (written to their "off" state), so that they can be kept with a retained bucket. Versioning is the
 * exception S3 imposes: `false` leaves a new bucket unversioned, and once it has been on it can only be
 * turned off as `"suspended"`.
 */
export interface BucketSecurityArgs {
    /** Block all public access: all four flags of the public access block `true` (`false`: all four `false`). Default `true`. */
    readonly blockPublicAccess?: boolean;
    /**
     * Object ownership `BucketOwnerEnforced`: ACLs off, objects the other account writes belong to the
     * bucket owner (`false`: `BucketOwnerPreferred`, ACLs on). Default `true`.
     */
    readonly enforceBucketOwner?: boolean;
    /**
     * Manage default encryption: SSE-S3, or SSE-KMS with the bucket key when `kmsKeyArn` is given
     * (`false`: not managed; S3 still encrypts new objects with SSE-S3). Default `true`.
     */
    readonly encryption?: boolean;
    /** A bucket policy that denies every request not sent over TLS (`false`: no bucket policy). Default `true`. */
    readonly denyInsecureTransport?: boolean;
    /**
     * Object versioning: `true` `Enabled`, so an overwrite or delete can be undone; `false` a new bucket
     * stays unversioned (no versioning call); `"suspended"` turns versioning off on a bucket that has had
     * it on (S3 can only suspend it). See {@link VersioningSetting}. Default `true`.
     */
    readonly versioning?: VersioningSetting;
}

/** Arguments of {@link BucketAccessRole}. Plain values, so that they are checked at preview. */
export interface BucketAccessRoleArgs {
    /** The identity (green) account whose principals may assume the role: 12 digits. Required. */
    readonly trustedAccountId: string;
    /** The resource (blue) account, when known: checked to differ from `trustedAccountId`. Default: not checked. */
    readonly resourceAccountId?: string;
    /** The bucket's name (S3 naming rules). Required. */
    readonly bucketName: string;
    /** Create the bucket (`true`), or grant access to an existing bucket of that name (`false`). Default `true`. */
    readonly createBucket?: boolean;
    /** The bucket's security settings; only for a bucket this component creates. Default: all on. */
    readonly bucketSecurity?: BucketSecurityArgs;
    /**
     * Keep the bucket, with its public access block, ownership controls and versioning, in AWS when the
     * component is deleted (`pulumi destroy`, or removal from the program); they are only dropped from
     * the stack. Default `true`: nothing is lost. The encryption setting and the TLS-only bucket policy
     * are removed (S3's default SSE-S3 still applies). The bucket is never force-destroyed: with
     * `false`, deleting a bucket that holds objects (or object versions) still fails.
     */
    readonly retainBucketOnDelete?: boolean;
    /** The role's name. Default `CrossAccountS3Access-Role`. */
    readonly roleName?: string;
    /** The managed policy's name. Default `CrossAccountS3Access`. */
    readonly policyName?: string;
    /** IAM path of the role and the policy. Default `/`. */
    readonly iamPath?: string;
    /**
     * Principals of the identity account to trust instead of the whole account (user or role ARNs).
     * Stricter, but they must exist before the role is created. Default: `arn:aws:iam::TRUSTED:root`,
     * which leaves the choice of who may assume to the identity account's IAM policies.
     */
    readonly trustedPrincipalArns?: readonly string[];
    /**
     * The resources behind `trustedPrincipalArns` when the same program creates them (users or roles):
     * the role waits for them, because IAM refuses a trust policy that names a principal that does not
     * exist yet (`MalformedPolicyDocument: Invalid principal`). Only the role waits; a promise is
     * accepted. {@link CrossAccountBucketAccess} sets it to the green users it creates that are named
     * there. Default: none.
     */
    readonly trustedPrincipalResources?: readonly pulumi.Resource[] | Promise<readonly pulumi.Resource[]>;
    /**
     * Require this ExternalId on AssumeRole (guards against a confused deputy). The role's trust policy
     * is then stored as a Pulumi secret. Default: not required.
     */
    readonly externalId?: string;
    /** Require MFA on AssumeRole. Default `false`. */
    readonly requireMfa?: boolean;
    /** Require the caller to belong to this AWS Organization (`o-...`). Default: not required. */
    readonly principalOrgId?: string;
    /** Limit object access to keys under this prefix (ending in `/`), and listing to it. Default: the whole bucket. */
    readonly objectKeyPrefix?: string;
    /** Grant `s3:GetObject` and `s3:ListBucket` only. Default `false` (also `s3:PutObject`). */
    readonly readOnly?: boolean;
    /** A KMS key ARN: encrypt with SSE-KMS and grant the role `kms:Decrypt` (+ `kms:GenerateDataKey`) on it. Default: SSE-S3. */
    readonly kmsKeyArn?: string;
    /** The role's maximum session, 3600 to 43200 seconds. Default `3600`. */
    readonly maxSessionDurationSeconds?: number;
    /** ARN of a managed policy to set as the role's permissions boundary. Default: none. */
    readonly permissionsBoundaryArn?: string;
    /** The AWS partition the ARNs are written in. Default `aws`. */
    readonly partition?: Partition;
    /** Tags for the bucket, the policy and the role. Default: none (the provider's default tags still apply). */
    readonly tags?: Record<string, string>;
    /**
     * Adopt a setup made by hand: import the bucket, its public access block, ownership controls,
     * encryption and versioning, the policy, the role and the attachment (Pulumi's `import` resource
     * option, ids from {@link blueImportIds}) instead of creating them. The TLS-only bucket policy is
     * created. Needs `resourceAccountId` (the policy's ARN). After the first successful `pulumi up`,
     * turn it off again. Default `false`.
     */
    readonly adoptExisting?: boolean;
}

/** {@link BucketAccessRoleArgs} checked, with their defaults filled in. */
export interface ResolvedBucketAccessRoleArgs extends Required<Omit<BucketAccessRoleArgs,
    "resourceAccountId" | "trustedPrincipalArns" | "trustedPrincipalResources" | "adoptExisting" | "externalId" | "principalOrgId" | "objectKeyPrefix" | "kmsKeyArn" | "permissionsBoundaryArn" | "tags">> {
    /** As {@link BucketAccessRoleArgs.trustedPrincipalArns}, checked. */
    readonly trustedPrincipalArns?: readonly string[];
    /** As {@link BucketAccessRoleArgs.externalId}, checked. */
    readonly externalId?: string;
    /** As {@link BucketAccessRoleArgs.principalOrgId}, checked. */
    readonly principalOrgId?: string;
    /** As {@link BucketAccessRoleArgs.objectKeyPrefix}, checked. */
    readonly objectKeyPrefix?: string;
    /** As {@link BucketAccessRoleArgs.kmsKeyArn}, checked. */
    readonly kmsKeyArn?: string;
    /** As {@link BucketAccessRoleArgs.permissionsBoundaryArn}, checked. */
    readonly permissionsBoundaryArn?: string;
    /** As {@link BucketAccessRoleArgs.tags}. */
    readonly tags?: Record<string, string>;
    /** Every bucket setting, each defaulted to `true`. */
    readonly bucketSecurity: Required<BucketSecurityArgs>;
}

/**
 * Checks the arguments and fills in the defaults; throws {@link InvalidInputError} naming the argument.
 * @param args The component's arguments.
 * @param name How each argument is named in errors; default `BucketAccessRoleArgs.FIELD`.
 */
export function resolveBucketAccessRoleArgs(args: BucketAccessRoleArgs, name: FieldNamer = argumentNamer("BucketAccessRoleArgs")): ResolvedBucketAccessRoleArgs {
    if (!args) {
        throw new InvalidInputError("BucketAccessRoleArgs", "no arguments were given", "Pass at least trustedAccountId and bucketName");
    }
    const trustedAccountId = checkAccountId(args.trustedAccountId, name("trustedAccountId"));
    if (args.resourceAccountId !== undefined) {
        checkDistinctAccounts(checkAccountId(args.resourceAccountId, name("resourceAccountId")), trustedAccountId, name("trustedAccountId"));
    }
    const createBucket = args.createBucket ?? true;
    if (!createBucket && args.bucketSecurity !== undefined) {
        throw new InvalidInputError(name("bucketSecurity"), "it was given for an existing bucket (createBucket is false)", "Remove bucketSecurity, or let the component create the bucket; an existing bucket's settings stay with whoever manages it");
    }
    const security = args.bucketSecurity ?? {};
    if (args.kmsKeyArn !== undefined && createBucket && security.encryption === false) {
        throw new InvalidInputError(name("kmsKeyArn"), "it was given while encryption is off, so the bucket would not use the key",
            "Remove kmsKeyArn, or leave encryption on so the bucket encrypts with that key");
    }
    const partition = checkPartition(args.partition ?? "aws", name("partition"));
    return {
        trustedAccountId,
        bucketName: checkBucketName(args.bucketName, name("bucketName")),
        createBucket,
        bucketSecurity: {
            blockPublicAccess: security.blockPublicAccess ?? true,
            enforceBucketOwner: security.enforceBucketOwner ?? true,
            encryption: security.encryption ?? true,
            denyInsecureTransport: security.denyInsecureTransport ?? true,
            versioning: checkVersioningSetting(security.versioning ?? true, name("bucketSecurity.versioning")),
        },
        retainBucketOnDelete: args.retainBucketOnDelete ?? true,
        roleName: checkIamName(args.roleName ?? DEFAULT_ROLE_NAME, "role", name("roleName")),
        policyName: checkIamName(args.policyName ?? DEFAULT_POLICY_NAME, "policy", name("policyName")),
        iamPath: checkIamPath(args.iamPath ?? DEFAULT_IAM_PATH, name("iamPath")),
        trustedPrincipalArns: args.trustedPrincipalArns?.map((arn, i) => checkTrustedPrincipalArn(arn, trustedAccountId, name(`trustedPrincipalArns[${i}]`))),
        externalId: args.externalId === undefined ? undefined : checkExternalId(args.externalId, name("externalId")),
        requireMfa: args.requireMfa ?? false,
        principalOrgId: args.principalOrgId === undefined ? undefined : checkOrganizationId(args.principalOrgId, name("principalOrgId")),
        objectKeyPrefix: args.objectKeyPrefix === undefined ? undefined : checkObjectKeyPrefix(args.objectKeyPrefix, name("objectKeyPrefix")),
        readOnly: args.readOnly ?? false,
        kmsKeyArn: args.kmsKeyArn === undefined ? undefined : checkKmsKeyArn(args.kmsKeyArn, name("kmsKeyArn"), args.resourceAccountId),
        maxSessionDurationSeconds: checkMaxSessionDuration(args.maxSessionDurationSeconds ?? DEFAULT_MAX_SESSION_DURATION_SECONDS, name("maxSessionDurationSeconds")),
        permissionsBoundaryArn: args.permissionsBoundaryArn === undefined ? undefined : checkManagedPolicyArn(args.permissionsBoundaryArn, name("permissionsBoundaryArn")),
        partition,
        tags: args.tags,
    };
}

/** The two documents of the blue side, serialised; pure, so they can be checked before anything is created. */
export interface BucketAccessDocuments {
    /** The role's trust policy. */
    readonly trustPolicy: string;
    /** The managed policy granting the bucket access. */
    readonly accessPolicy: string;
    /** The bucket policy, when the component creates the bucket with `denyInsecureTransport`. */
    readonly bucketPolicy?: string;
}

/** Builds and size-checks the blue side's documents from checked arguments. */
export function buildBucketAccessDocuments(args: ResolvedBucketAccessRoleArgs, name: FieldNamer = argumentNamer("BucketAccessRoleArgs")): BucketAccessDocuments {
    const trustPolicy = checkPolicySize(serializePolicy(roleTrustPolicy(args)), "trustPolicy", name("trustedPrincipalArns"));
    const accessPolicy = checkPolicySize(serializePolicy(bucketAccessPolicy(args)), "managedPolicy", name("objectKeyPrefix"));
    const bucketPolicy = args.createBucket && args.bucketSecurity.denyInsecureTransport
        ? serializePolicy(denyInsecureTransportPolicy(args.bucketName, args.partition))
        : undefined;
    return { trustPolicy, accessPolicy, bucketPolicy };
}

/**
 * The resource (blue) account's side of S3 cross-account access: an S3 bucket with secure defaults,
 * a managed policy allowing exactly `s3:PutObject` and `s3:GetObject` on its objects and
 * `s3:ListBucket` on it, and a role the identity account may assume, with that policy attached.
 *
 * Its children use the `aws` provider of this component's `provider`/`providers` options (or the
 * parent's), passed explicitly to each of them.
 */
export class BucketAccessRole extends pulumi.ComponentResource {
    /** The bucket's name. */
    public readonly bucketName: pulumi.Output<string>;
    /** The bucket's ARN. */
    public readonly bucketArn: pulumi.Output<string>;
    /** The role's ARN: what the identity account assumes, and the `role_arn` of the CLI profile. */
    public readonly roleArn: pulumi.Output<string>;
    /** The role's name. */
    public readonly roleName: pulumi.Output<string>;
    /** The managed policy's ARN. */
    public readonly policyArn: pulumi.Output<string>;
    /** The role's trust policy as applied (JSON). */
    public readonly trustPolicy: string;
    /** The managed policy's document as applied (JSON). */
    public readonly accessPolicy: string;
    /** The bucket policy as applied (JSON), when there is one. */
    public readonly bucketPolicy?: string;

    /**
     * Checks the arguments (throwing {@link InvalidInputError} before any child is registered), then
     * creates the bucket and its settings, the policy, the role and the attachment.
     * @param name The component's name; children are named after it.
     * @param args What to create; see {@link BucketAccessRoleArgs}.
     * @param opts Resource options; `provider`/`providers` choose the resource account's credentials.
     */
    constructor(name: string, args: BucketAccessRoleArgs, opts?: pulumi.ComponentResourceOptions) {
        // Checked before the component itself is registered: bad input leaves nothing behind.
        const resolved = resolveBucketAccessRoleArgs(args);
        const documents = buildBucketAccessDocuments(resolved);
        const importIds = blueAdoption(args, resolved);
        super(TYPE_TOKENS.BucketAccessRole, name, {}, opts);
        const provider = this.getProvider("aws::");
        const childOpts: pulumi.CustomResourceOptions = { parent: this, provider };

        this.trustPolicy = documents.trustPolicy;
        this.accessPolicy = documents.accessPolicy;
        this.bucketPolicy = documents.bucketPolicy;

        if (resolved.createBucket) {
            const bucket = createSecureBucket(name, resolved, documents.bucketPolicy, childOpts, importIds);
            this.bucketName = bucket.bucket;
            this.bucketArn = bucket.arn;
        } else {
            this.bucketName = pulumi.output(resolved.bucketName);
            this.bucketArn = pulumi.output(bucketArn(resolved.bucketName, resolved.partition));
        }

        const policy = new iam.Policy(`${name}-access-policy`, {
            name: resolved.policyName,
            path: resolved.iamPath,
            // Constant: IAM replaces a managed policy whose description changes.
            description: "Exact S3 access for the cross-account role (managed by Pulumi)",
            policy: documents.accessPolicy,
            tags: resolved.tags,
        }, {
            ...childOpts,
            import: importIds?.policy,
            // IAM can only replace a policy to change its description, which would fail for an adopted policy
            // (its versions and name are taken): the description is written on create and then left alone.
            ignoreChanges: ["description"],
        });

        const role = new iam.Role(`${name}-role`, {
            name: resolved.roleName,
            path: resolved.iamPath,
            description: `Assumed from account ${resolved.trustedAccountId} for access to S3 bucket ${resolved.bucketName}`,
            // An ExternalId is kept out of plain-text state and diffs, like every other secret here.
            assumeRolePolicy: resolved.externalId === undefined ? documents.trustPolicy : pulumi.secret(documents.trustPolicy),
            maxSessionDuration: resolved.maxSessionDurationSeconds,
            permissionsBoundary: resolved.permissionsBoundaryArn,
            tags: resolved.tags,
        }, {
            ...childOpts,
            import: importIds?.role,
            // IAM refuses a trust policy naming a principal that does not exist yet.
            dependsOn: principalResources(args.trustedPrincipalResources),
        });

        new iam.RolePolicyAttachment(`${name}-role-access-policy`, {
            role: role.name,
            policyArn: policy.arn,
        }, { ...childOpts, import: importIds?.rolePolicyAttachment });

        this.roleArn = role.arn;
        this.roleName = role.name;
        this.policyArn = policy.arn;

        this.registerOutputs({
            bucketName: this.bucketName,
            bucketArn: this.bucketArn,
            roleArn: this.roleArn,
            roleName: this.roleName,
            policyArn: this.policyArn,
        });
    }
}

/** With `adoptExisting`: the import id of each resource, checked before anything is registered. */
function blueAdoption(args: BucketAccessRoleArgs, resolved: ResolvedBucketAccessRoleArgs, name: FieldNamer = argumentNamer("BucketAccessRoleArgs")): BlueImportIds | undefined {
    if (!checkAdoptExisting(args.adoptExisting, name("adoptExisting"))) {
        return undefined;
    }
    return blueImportIds({ ...resolved, blueAccountId: requireAccountForAdoption(args.resourceAccountId, name("resourceAccountId")) });
}

/** The resources a role waits for, as a `dependsOn` value. */
function principalResources(resources: BucketAccessRoleArgs["trustedPrincipalResources"]): Promise<pulumi.Resource[]> | undefined {
    return resources === undefined ? undefined : Promise.resolve(resources).then((list) => [...list]);
}

/**
 * Creates the bucket and its security settings. The bucket and the settings that are always managed
 * (public access block, ownership controls, versioning) are retained with it when asked; the optional
 * ones (encryption, bucket policy) are never retained, so turning them off really removes them.
 *
 * S3 answers a configuration call on a bucket while another one is in progress on the same bucket
 * with `OperationAborted` ("A conflicting conditional operation is currently in progress"), so the
 * settings are applied one at a time: public access block, ownership controls, encryption, versioning,
 * bucket policy. Each waits for the one before it (an absent optional one is skipped), and only
 * those wait: the IAM policy and role do not depend on the bucket.
 */
function createSecureBucket(
    name: string,
    args: ResolvedBucketAccessRoleArgs,
    bucketPolicy: string | undefined,
    opts: pulumi.CustomResourceOptions,
    importIds: BlueImportIds | undefined,
): s3.Bucket {
    const security = args.bucketSecurity;
    const retained = { ...opts, retainOnDelete: args.retainBucketOnDelete };
    const bucket = new s3.Bucket(`${name}-bucket`, {
        bucket: args.bucketName,
        forceDestroy: false,
        tags: args.tags,
    }, { ...retained, import: importIds?.bucket });

    // First: it needs only the bucket (through bucket.id), and it is the setting that keeps the bucket private.
    const publicAccessBlock = new s3.BucketPublicAccessBlock(`${name}-public-access-block`, {
        bucket: bucket.id,
        blockPublicAcls: security.blockPublicAccess,
        blockPublicPolicy: security.blockPublicAccess,
        ignorePublicAcls: security.blockPublicAccess,
        restrictPublicBuckets: security.blockPublicAccess,
    }, { ...retained, import: importIds?.publicAccessBlock });

    // After the public access block: a second configuration call at the same time would be aborted.
    let previous: pulumi.Resource = new s3.BucketOwnershipControls(`${name}-ownership-controls`, {
        bucket: bucket.id,
        rule: { objectOwnership: security.enforceBucketOwner ? "BucketOwnerEnforced" : "BucketOwnerPreferred" },
    }, { ...retained, dependsOn: [publicAccessBlock], import: importIds?.ownershipControls });

    if (security.encryption) {
        // After the ownership controls, for the same reason.
        previous = new s3.BucketServerSideEncryptionConfiguration(`${name}-encryption`, {
            bucket: bucket.id,
            rules: [args.kmsKeyArn
                ? { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: args.kmsKeyArn }, bucketKeyEnabled: true }
                : { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
        }, { ...opts, dependsOn: [previous], import: importIds?.encryption });
    }

    // After the encryption (or the ownership controls), for the same reason. `Disabled` (a new bucket
    // left unversioned) makes no call on create, but a later change to `Enabled` does, so it keeps its place.
    previous = new s3.BucketVersioning(`${name}-versioning`, {
        bucket: bucket.id,
        versioningConfiguration: { status: versioningStatus(security.versioning) },
    }, { ...retained, dependsOn: [previous], import: importIds?.versioning });

    if (bucketPolicy !== undefined) {
        // Last, after every other call; this puts it after the public access block too, which decides
        // whether S3 accepts a bucket policy at all (BlockPublicPolicy). Never imported: the walkthrough
        // makes no bucket policy, so an adopted bucket gets this one created.
        new s3.BucketPolicy(`${name}-tls-only-policy`, {
            bucket: bucket.id,
            policy: bucketPolicy,
        }, { ...opts, dependsOn: [previous] });
    }
    return bucket;
}
