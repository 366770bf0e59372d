/**
 * The resource account's (blue) half: the bucket, the access policy and the role the identity
 * account assumes. Usable alone in a stack that holds only the resource account's credentials.
 */
import * as pulumi from "@pulumi/pulumi";
import * as iam from "@pulumi/aws/iam";
import * as s3 from "@pulumi/aws/s3";
import { BlueImportIds, blueImportIds } from "./adoption";
import { bucketArn, Partition } from "./arns";
import { ArgumentCheck, checkedValue, isDeferred, isResolved, LaterCheckResult, RESOLVED, Resolved } from "./argumentCheck";
import { DEFAULT_IAM_PATH, DEFAULT_MAX_SESSION_DURATION_SECONDS, DEFAULT_POLICY_NAME, DEFAULT_ROLE_NAME } from "./defaults";
import { InvalidArgumentsError } from "./invalidArgumentsError";
import { bucketAccessPolicy, denyInsecureTransportPolicy, roleTrustPolicy } from "./policies";
import { serializePolicy } from "./policyDocument";
import { TYPE_TOKENS } from "./typeTokens";
import { checkVersioningSetting, VersioningSetting, versioningStatus } from "./versioning";
import {
    checkAccountId,
    checkBoolean,
    checkBucketName,
    checkDistinctAccounts,
    checkExternalId,
    checkIamName,
    checkIamPath,
    checkKmsKeyArn,
    checkList,
    checkManagedPolicyArn,
    checkMaxSessionDuration,
    checkObjectKeyPrefix,
    checkOrganizationId,
    checkPartition,
    checkPolicySize,
    checkSettingsObject,
    checkTags,
    checkTrustedPrincipalArn,
    checkTrustedPrincipalArnPattern,
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

/** The settings of {@link BucketSecurityArgs}, in a fixed order. */
// The on/off settings; `versioning` has a third value and is checked on its own.
const BUCKET_SECURITY_SETTINGS = ["blockPublicAccess", "enforceBucketOwner", "encryption", "denyInsecureTransport"] as const;

/**
 * Arguments of {@link BucketAccessRole}. Plain values (except the ExternalId), so that they are
 * checked at preview; each is also checked for its type at run time, for JavaScript and YAML callers.
 */
export interface BucketAccessRoleArgs {
    /** The identity (green) account whose principals may assume the role: 12 digits. Required. */
    readonly greenAccountId: string;
    /** The resource (blue) account, when known: checked to differ from `greenAccountId`, and to own `kmsKeyArn`. Default: not checked. */
    readonly blueAccountId?: string;
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
     * Principals of the green account to trust instead of the whole account (user or role ARNs, in
     * `partition`). Stricter, but they must exist before the role is created. Default:
     * `arn:aws:iam::GREEN:root`, which leaves the choice of who may assume to the green account's IAM policies.
     */
    readonly trustedPrincipalArns?: readonly string[];
    /**
     * Role or user ARN patterns of the green account to trust, with `*` or `?` in the path and name only
     * (not in the partition, service, account or `role`/`user` fields), e.g. IAM Identity Center roles
     * `arn:aws:iam::GREEN:role/aws-reserved/sso.amazonaws.com/*\/AWSReservedSSO_DataAnalyst_*`, whose
     * suffix changes when the permission set is re-provisioned. Trusted by a statement of their own: the
     * green account root as Principal with `ArnLike` on `aws:PrincipalArn`; the ExternalId, MFA and
     * organization conditions apply to it too. Given alone, only the patterns are trusted (not the whole
     * account); with `trustedPrincipalArns`, either admits. The principals need not exist yet. Default: none.
     */
    readonly trustedPrincipalArnPatterns?: readonly string[];
    /**
     * The resources behind `trustedPrincipalArns` when the same program creates them (users or roles):
     * the role waits for them, because IAM refuses a trust policy that names a principal that does not
     * exist yet (`MalformedPolicyDocument: Invalid principal`). Only the role waits; a promise is
     * accepted. {@link CrossAccountBucketAccess} sets it to the green users it creates that are named
     * there. Default: none.
     */
    readonly trustedPrincipalResources?: readonly pulumi.Resource[] | Promise<readonly pulumi.Resource[]>;
    /**
     * Require this ExternalId on AssumeRole (guards against a confused deputy): a string, or a secret
     * output such as `config.requireSecret("externalId")`. A string is checked at once, an output when
     * it resolves. The role's trust policy, and {@link BucketAccessRole.trustPolicy}, are then Pulumi
     * secrets. Default: not required.
     */
    readonly externalId?: pulumi.Input<string>;
    /** Require MFA on AssumeRole. Default `false`. */
    readonly requireMfa?: boolean;
    /** Require the caller to belong to this AWS Organization (`o-...`). Default: not required. */
    readonly principalOrgId?: string;
    /** Limit object access to keys under this prefix (ending in `/`), and listing to it. Default: the whole bucket. */
    readonly objectKeyPrefix?: string;
    /** Grant `s3:GetObject` and `s3:ListBucket` only. Default `false` (also `s3:PutObject`). */
    readonly readOnly?: boolean;
    /** A KMS key ARN (in `partition`): encrypt with SSE-KMS and grant the role `kms:Decrypt` (+ `kms:GenerateDataKey`) on it. Default: SSE-S3. */
    readonly kmsKeyArn?: string;
    /** The role's maximum session, 3600 to 43200 seconds. Default `3600`. */
    readonly maxSessionDurationSeconds?: number;
    /** ARN of a managed policy (in `partition`) to set as the role's permissions boundary. Default: none. */
    readonly permissionsBoundaryArn?: string;
    /** The AWS partition of the role; every ARN argument must be in it. Default `aws`. */
    readonly partition?: Partition;
    /** Tags for the bucket, the policy and the role. Default: none (the provider's default tags still apply). */
    readonly tags?: Record<string, string>;
    /**
     * Adopt a setup made by hand: import the bucket, its public access block, ownership controls,
     * encryption and versioning, the policy, the role and the attachment (Pulumi's `import` resource
     * option, with the ids listed in the README's adoption section) instead of creating them. The TLS-only bucket policy is
     * created. Needs `blueAccountId` (the policy's ARN). After the first successful `pulumi up`,
     * turn it off again. Default `false`.
     */
    readonly adoptExisting?: boolean;
}

/** {@link BucketAccessRoleArgs} checked, with their defaults filled in and the documents built. Internal. */
export interface ResolvedBucketAccessRoleArgs extends BucketAccessRoleArgs, Resolved {
    readonly createBucket: boolean;
    /** Whether every resource is imported (adopted) instead of created. */
    readonly adoptExisting: boolean;
    /** With `adoptExisting`: the import id of each resource. */
    readonly importIds?: BlueImportIds;
    readonly bucketSecurity: Required<BucketSecurityArgs>;
    readonly retainBucketOnDelete: boolean;
    readonly roleName: string;
    readonly policyName: string;
    readonly iamPath: string;
    readonly requireMfa: boolean;
    readonly readOnly: boolean;
    readonly maxSessionDurationSeconds: number;
    readonly partition: Partition;
    /** The managed policy granting the bucket access (JSON). */
    readonly accessPolicy: string;
    /** The bucket policy (JSON), when the component creates the bucket with `denyInsecureTransport`. */
    readonly bucketPolicy?: string;
    /** How problems found later (in an ExternalId output) are reported: the arguments' name and the path prefix. */
    readonly checkedAs: { readonly subject: string; readonly prefix: string };
    /** The check of an ExternalId given as an output, run once when it resolves. */
    readonly checkedExternalId?: pulumi.Output<LaterCheckResult<string>>;
    /**
     * The trust policy (JSON), size-checked, when it is known now: without an ExternalId or with a plain
     * one. With an ExternalId output it is built and checked when the output resolves.
     */
    readonly trustPolicy?: string;
}

/** The accounts of the blue side, already checked. */
interface CheckedAccounts {
    readonly greenAccountId: string;
    readonly blueAccountId?: string;
}

/** Reads an optional field: `undefined` stays `undefined`, anything else goes through `check`. */
function optional<T>(check: ArgumentCheck, value: unknown, path: string, run: (value: unknown, label: string) => T): T | undefined {
    return value === undefined ? undefined : check.field(path, (label) => run(value, label));
}

/**
 * Checks the blue side's settings for checked accounts, recording every problem in `check`; returns the
 * resolved arguments, or `undefined` when there was a problem. Internal: the composite calls it with
 * `check.under("blue")`.
 */
export function checkBucketAccessSettings(settings: unknown, accounts: CheckedAccounts, check: ArgumentCheck, subject: string): ResolvedBucketAccessRoleArgs | undefined {
    const before = check.problems.length;
    const args = (settings ?? {}) as Record<string, unknown>;
    const createBucket = optional(check, args.createBucket, "createBucket", checkBoolean) ?? true;
    const security: Partial<Record<(typeof BUCKET_SECURITY_SETTINGS)[number], boolean>> = {};
    let versioning: VersioningSetting | undefined;
    if (args.bucketSecurity !== undefined) {
        const given = check.field("bucketSecurity", (label) => checkSettingsObject(args.bucketSecurity, label));
        if (given && !createBucket) {
            check.add(
                "bucketSecurity",
                "it was given for an existing bucket (createBucket is false)",
                "Remove bucketSecurity, or let the component create the bucket; an existing bucket's settings stay with whoever manages it",
            );
        }
        for (const setting of BUCKET_SECURITY_SETTINGS) {
            security[setting] = optional(check, given?.[setting], `bucketSecurity.${setting}`, checkBoolean);
        }
        versioning = optional(check, given?.versioning, "bucketSecurity.versioning", checkVersioningSetting);
    }
    const adoptExisting = optional(check, args.adoptExisting, "adoptExisting", checkBoolean) ?? false;
    if (adoptExisting && accounts.blueAccountId === undefined) {
        check.add(
            "blueAccountId",
            "it is not set, and adoptExisting needs it to name the existing policy (arn:aws:iam::BLUE:policy/NAME)",
            "Give the resource (blue) account's id, or turn adoptExisting off",
        );
    }
    const partition = check.field("partition", (label) => checkPartition(args.partition ?? "aws", label)) ?? "aws";
    const kmsKeyArn = optional(check, args.kmsKeyArn, "kmsKeyArn", (value, label) => checkKmsKeyArn(value, label, accounts.blueAccountId, partition));
    if (args.kmsKeyArn !== undefined && createBucket && security.encryption === false) {
        check.add(
            "kmsKeyArn",
            "it was given while encryption is off, so the bucket would not use the key",
            "Remove kmsKeyArn, or leave encryption on so the bucket encrypts with that key",
        );
    }
    const trustedPrincipalArns =
        args.trustedPrincipalArns === undefined
            ? undefined
            : check
                  .field("trustedPrincipalArns", (label) => checkList(args.trustedPrincipalArns, label))
                  ?.map((arn, i) => check.field(`trustedPrincipalArns[${i}]`, (label) => checkTrustedPrincipalArn(arn, accounts.greenAccountId, label, partition)) ?? "");
    const trustedPrincipalArnPatterns =
        args.trustedPrincipalArnPatterns === undefined
            ? undefined
            : check
                  .field("trustedPrincipalArnPatterns", (label) => checkList(args.trustedPrincipalArnPatterns, label))
                  ?.map(
                      (pattern, i) =>
                          check.field(`trustedPrincipalArnPatterns[${i}]`, (label) => checkTrustedPrincipalArnPattern(pattern, accounts.greenAccountId, label, partition)) ?? "",
                  );
    if (trustedPrincipalArnPatterns && new Set(trustedPrincipalArnPatterns).size < trustedPrincipalArnPatterns.length) {
        check.add("trustedPrincipalArnPatterns", "a pattern appears twice", "List each pattern once");
    }
    const deferredExternalId = isDeferred(args.externalId);
    const externalId = deferredExternalId ? (args.externalId as pulumi.Input<string>) : optional(check, args.externalId, "externalId", checkExternalId);
    const checkedExternalId = deferredExternalId ? pulumi.secret(check.later("externalId", args.externalId, checkExternalId)) : undefined;
    const resolved: Omit<ResolvedBucketAccessRoleArgs, "accessPolicy" | "bucketPolicy" | "trustPolicy"> = {
        [RESOLVED]: true,
        checkedAs: { subject, prefix: check.pathOf("") },
        checkedExternalId,
        greenAccountId: accounts.greenAccountId,
        blueAccountId: accounts.blueAccountId,
        adoptExisting,
        bucketName: check.field("bucketName", (label) => checkBucketName(args.bucketName, label)) ?? "",
        createBucket,
        bucketSecurity: {
            blockPublicAccess: security.blockPublicAccess ?? true,
            enforceBucketOwner: security.enforceBucketOwner ?? true,
            encryption: security.encryption ?? true,
            denyInsecureTransport: security.denyInsecureTransport ?? true,
            versioning: versioning ?? true,
        },
        retainBucketOnDelete: optional(check, args.retainBucketOnDelete, "retainBucketOnDelete", checkBoolean) ?? true,
        roleName: check.field("roleName", (label) => checkIamName(args.roleName ?? DEFAULT_ROLE_NAME, "role", label)) ?? "",
        policyName: check.field("policyName", (label) => checkIamName(args.policyName ?? DEFAULT_POLICY_NAME, "policy", label)) ?? "",
        iamPath: check.field("iamPath", (label) => checkIamPath(args.iamPath ?? DEFAULT_IAM_PATH, label)) ?? "/",
        trustedPrincipalArns,
        trustedPrincipalArnPatterns: trustedPrincipalArnPatterns && trustedPrincipalArnPatterns.length > 0 ? trustedPrincipalArnPatterns : undefined,
        // Resources to wait for, not a setting: passed on as given.
        trustedPrincipalResources: args.trustedPrincipalResources as BucketAccessRoleArgs["trustedPrincipalResources"],
        externalId,
        requireMfa: optional(check, args.requireMfa, "requireMfa", checkBoolean) ?? false,
        principalOrgId: optional(check, args.principalOrgId, "principalOrgId", checkOrganizationId),
        objectKeyPrefix: optional(check, args.objectKeyPrefix, "objectKeyPrefix", checkObjectKeyPrefix),
        readOnly: optional(check, args.readOnly, "readOnly", checkBoolean) ?? false,
        kmsKeyArn,
        maxSessionDurationSeconds:
            check.field("maxSessionDurationSeconds", (label) => checkMaxSessionDuration(args.maxSessionDurationSeconds ?? DEFAULT_MAX_SESSION_DURATION_SECONDS, label)) ??
            DEFAULT_MAX_SESSION_DURATION_SECONDS,
        permissionsBoundaryArn: optional(check, args.permissionsBoundaryArn, "permissionsBoundaryArn", (value, label) => checkManagedPolicyArn(value, label, partition)),
        partition,
        tags: optional(check, args.tags, "tags", checkTags),
    };
    if (check.problems.length > before) {
        // Documents built from bad values would only add noise to the report.
        return undefined;
    }
    const accessPolicy = check.across("objectKeyPrefix", (label) => checkPolicySize(serializePolicy(bucketAccessPolicy(resolved)), "managedPolicy", label));
    const trustPolicy = deferredExternalId
        ? undefined
        : check.across(trustSizeKey(resolved), (label) => checkPolicySize(trustPolicyJson(resolved, externalId as string | undefined), "trustPolicy", label));
    if (accessPolicy === undefined || (trustPolicy === undefined && !deferredExternalId)) {
        return undefined;
    }
    return {
        ...resolved,
        importIds: adoptExisting ? blueImportIds({ ...resolved, blueAccountId: accounts.blueAccountId! }) : undefined,
        accessPolicy,
        trustPolicy,
        bucketPolicy:
            resolved.createBucket && resolved.bucketSecurity.denyInsecureTransport
                ? serializePolicy(denyInsecureTransportPolicy(resolved.bucketName, resolved.partition))
                : undefined,
    };
}

/** The argument a too-large trust policy is reported under: the patterns when there are any (they add a statement), else the ARNs. */
function trustSizeKey(args: Pick<BucketAccessRoleArgs, "trustedPrincipalArnPatterns">): string {
    return args.trustedPrincipalArnPatterns?.length ? "trustedPrincipalArnPatterns" : "trustedPrincipalArns";
}

/** The trust policy's JSON for resolved arguments and the ExternalId's value. */
function trustPolicyJson(
    args: Omit<ResolvedBucketAccessRoleArgs, "accessPolicy" | "bucketPolicy" | "trustPolicy" | "checkedAs" | "externalId">,
    externalId: string | undefined,
): string {
    return serializePolicy(roleTrustPolicy({ ...args, externalId }));
}

/**
 * Checks the arguments of {@link BucketAccessRole}, accounts included, recording every problem in
 * `check`. Internal: the program calls it with its own collection, so that config problems join the list.
 */
export function checkBucketAccessRoleArgs(args: unknown, check: ArgumentCheck): ResolvedBucketAccessRoleArgs | undefined {
    const given = (args ?? {}) as Partial<Record<keyof BucketAccessRoleArgs, unknown>>;
    if (args === undefined || args === null) {
        check.add("greenAccountId", "no arguments were given", "Pass at least greenAccountId and bucketName");
    }
    const greenAccountId = check.field("greenAccountId", (label) => checkAccountId(given.greenAccountId, label));
    const blueAccountId = optional(check, given.blueAccountId, "blueAccountId", checkAccountId);
    if (greenAccountId !== undefined && blueAccountId !== undefined) {
        check.across("greenAccountId", (label) => checkDistinctAccounts(blueAccountId, greenAccountId, label));
    }
    return checkBucketAccessSettings(args, { greenAccountId: greenAccountId ?? "", blueAccountId }, check, "BucketAccessRoleArgs");
}

/**
 * Checks the arguments of {@link BucketAccessRole} and fills in the defaults; throws one
 * {@link InvalidArgumentsError} listing every problem. Internal (tools build the same documents with it).
 */
export function resolveBucketAccessRoleArgs(args: BucketAccessRoleArgs): ResolvedBucketAccessRoleArgs {
    const check = ArgumentCheck.start();
    const resolved = checkBucketAccessRoleArgs(args, check);
    check.throwIfAny("BucketAccessRoleArgs");
    return resolved!;
}

/**
 * The trust policy the role gets: plain without an ExternalId; a secret with one. An ExternalId output
 * is checked (value and policy size) once, when it resolves.
 */
function trustPolicyOutput(args: ResolvedBucketAccessRoleArgs): pulumi.Output<string> {
    const { subject, prefix } = args.checkedAs;
    if (args.checkedExternalId === undefined) {
        return args.externalId === undefined ? pulumi.output(args.trustPolicy!) : pulumi.secret(args.trustPolicy!);
    }
    return pulumi.secret(
        checkedValue(args.checkedExternalId, subject).apply((externalId) => {
            try {
                return checkPolicySize(trustPolicyJson(args, externalId), "trustPolicy", `${prefix}${trustSizeKey(args)}`);
            } catch (error) {
                if (error instanceof InvalidInputError) {
                    throw new InvalidArgumentsError(subject, [{ propertyPath: error.label, problem: error.problem, fix: error.fix }]);
                }
                throw error;
            }
        }),
    );
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
    /**
     * The role's trust policy as applied (JSON): a Pulumi secret when an ExternalId is required, so it
     * never holds the ExternalId in plain text.
     */
    public readonly trustPolicy: pulumi.Output<string>;
    /** The managed policy's document as applied (JSON). */
    public readonly accessPolicy: string;
    /** The bucket policy as applied (JSON), when there is one. */
    public readonly bucketPolicy?: string;

    /**
     * Checks the arguments (throwing one {@link InvalidArgumentsError} listing every problem, before
     * anything is registered), then creates the bucket and its settings, the policy, the role and the attachment.
     * @param name The component's name; children are named after it.
     * @param args What to create; see {@link BucketAccessRoleArgs}.
     * @param opts Resource options; `provider`/`providers` choose the resource account's credentials.
     */
    constructor(name: string, args: BucketAccessRoleArgs, opts?: pulumi.ComponentResourceOptions) {
        // Checked before the component itself is registered: bad input leaves nothing behind. Arguments
        // the composite (or the program) already resolved are not checked again.
        const resolved = isResolved<ResolvedBucketAccessRoleArgs>(args) ? args : resolveBucketAccessRoleArgs(args);
        super(TYPE_TOKENS.BucketAccessRole, name, {}, opts);
        const provider = this.getProvider("aws::");
        const childOpts: pulumi.CustomResourceOptions = { parent: this, provider };
        const documents = { accessPolicy: resolved.accessPolicy, bucketPolicy: resolved.bucketPolicy };

        this.trustPolicy = trustPolicyOutput(resolved);
        this.accessPolicy = documents.accessPolicy;
        this.bucketPolicy = documents.bucketPolicy;

        if (resolved.createBucket) {
            const bucket = createSecureBucket(name, resolved, documents.bucketPolicy, childOpts, resolved.importIds);
            this.bucketName = bucket.bucket;
            this.bucketArn = bucket.arn;
        } else {
            this.bucketName = pulumi.output(resolved.bucketName);
            this.bucketArn = pulumi.output(bucketArn(resolved.bucketName, resolved.partition));
        }

        const policy = new iam.Policy(
            `${name}-access-policy`,
            {
                name: resolved.policyName,
                path: resolved.iamPath,
                // Constant: IAM replaces a managed policy whose description changes.
                description: "Exact S3 access for the cross-account role (managed by Pulumi)",
                policy: documents.accessPolicy,
                tags: resolved.tags,
            },
            {
                ...childOpts,
                import: resolved.importIds?.policy,
                // IAM can only replace a policy to change its description, which would fail for an adopted policy
                // (its versions and name are taken): the description is written on create and then left alone.
                ignoreChanges: ["description"],
            },
        );

        const role = new iam.Role(
            `${name}-role`,
            {
                name: resolved.roleName,
                path: resolved.iamPath,
                description: `Assumed from account ${resolved.greenAccountId} for access to S3 bucket ${resolved.bucketName}`,
                // Secret with an ExternalId: kept out of plain-text state and diffs, like every other secret here.
                assumeRolePolicy: this.trustPolicy,
                maxSessionDuration: resolved.maxSessionDurationSeconds,
                permissionsBoundary: resolved.permissionsBoundaryArn,
                tags: resolved.tags,
            },
            {
                ...childOpts,
                import: resolved.importIds?.role,
                // IAM refuses a trust policy naming a principal that does not exist yet.
                dependsOn: principalResources(resolved.trustedPrincipalResources),
            },
        );

        new iam.RolePolicyAttachment(
            `${name}-role-access-policy`,
            {
                role: role.name,
                policyArn: policy.arn,
            },
            { ...childOpts, import: resolved.importIds?.rolePolicyAttachment },
        );

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
    const bucket = new s3.Bucket(
        `${name}-bucket`,
        {
            bucket: args.bucketName,
            forceDestroy: false,
            tags: args.tags,
        },
        { ...retained, import: importIds?.bucket },
    );

    // First: it needs only the bucket (through bucket.id), and it is the setting that keeps the bucket private.
    const publicAccessBlock = new s3.BucketPublicAccessBlock(
        `${name}-public-access-block`,
        {
            bucket: bucket.id,
            blockPublicAcls: security.blockPublicAccess,
            blockPublicPolicy: security.blockPublicAccess,
            ignorePublicAcls: security.blockPublicAccess,
            restrictPublicBuckets: security.blockPublicAccess,
        },
        { ...retained, import: importIds?.publicAccessBlock },
    );

    // After the public access block: a second configuration call at the same time would be aborted.
    let previous: pulumi.Resource = new s3.BucketOwnershipControls(
        `${name}-ownership-controls`,
        {
            bucket: bucket.id,
            rule: { objectOwnership: security.enforceBucketOwner ? "BucketOwnerEnforced" : "BucketOwnerPreferred" },
        },
        { ...retained, dependsOn: [publicAccessBlock], import: importIds?.ownershipControls },
    );

    if (security.encryption) {
        // After the ownership controls, for the same reason.
        previous = new s3.BucketServerSideEncryptionConfiguration(
            `${name}-encryption`,
            {
                bucket: bucket.id,
                rules: [
                    args.kmsKeyArn
                        ? { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: args.kmsKeyArn }, bucketKeyEnabled: true }
                        : { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
                ],
            },
            { ...opts, dependsOn: [previous], import: importIds?.encryption },
        );
    }

    // After the encryption (or the ownership controls), for the same reason. `Disabled` (a new bucket
    // left unversioned) makes no call on create, but a later change to `Enabled` does, so it keeps its place.
    previous = new s3.BucketVersioning(
        `${name}-versioning`,
        {
            bucket: bucket.id,
            versioningConfiguration: { status: versioningStatus(security.versioning) },
        },
        { ...retained, dependsOn: [previous], import: importIds?.versioning },
    );

    if (bucketPolicy !== undefined) {
        // Last, after every other call; this puts it after the public access block too, which decides
        // whether S3 accepts a bucket policy at all (BlockPublicPolicy). Never imported: the walkthrough
        // makes no bucket policy, so an adopted bucket gets this one created.
        new s3.BucketPolicy(
            `${name}-tls-only-policy`,
            {
                bucket: bucket.id,
                policy: bucketPolicy,
            },
            { ...opts, dependsOn: [previous] },
        );
    }
    return bucket;
}
