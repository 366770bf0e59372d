/**
 * Creates both accounts of the setup in moto from the very documents and names the components
 * apply, never from hand-copied JSON: the blue side's arguments go through the component's own
 * `resolveBucketAccessRoleArgs`, which also builds the documents (defaults filled in exactly as
 * `BucketAccessRole` fills them), the green side's through `resolveAssumeRoleUsersArgs` and
 * `buildGroupPolicy` (as `AssumeRoleUsers` does):
 *
 * - blue (resource account): the bucket with the component's security settings (public access
 *   block, BucketOwnerEnforced, SSE-S3, versioning), the managed policy, the role with its trust
 *   policy (trusting green's root), the attachment and, on request, the TLS-only bucket policy;
 * - green (identity account): the group with the inline AssumeRole policy, the user, its
 *   membership and its access key; on request, an admin user that may change the group's
 *   membership, so a test can do so while IAM enforcement stays on.
 *
 * How the accounts are kept apart: moto takes a request's account from the `x-moto-account-id`
 * header (when `MOTO_ACCOUNT_ID` is unset in moto's environment), then from the access key. This
 * module sends the header, with throw-away bootstrap keys, so it must run while IAM enforcement
 * is off (before `enableIamEnforcement()`, or after `disableIamEnforcement()`). The green user's
 * key it creates then belongs to green, and credentials from AssumeRole on the blue role belong to
 * blue: exactly how moto places the verify script's requests once enforcement is on.
 */
import {
    AddUserToGroupCommand,
    AttachRolePolicyCommand,
    CreateAccessKeyCommand,
    CreateGroupCommand,
    CreatePolicyCommand,
    CreateRoleCommand,
    CreateUserCommand,
    IAMClient,
    PutGroupPolicyCommand,
    PutUserPolicyCommand,
} from "@aws-sdk/client-iam";
import { PutBucketPolicyCommand, PutBucketVersioningCommand, S3Client } from "@aws-sdk/client-s3";
import { bucketArn as toBucketArn } from "../../components/arns";
import { buildGroupPolicy, resolveAssumeRoleUsersArgs } from "../../components/assumeRoleUsers";
import { BucketAccessRoleArgs, resolveBucketAccessRoleArgs } from "../../components/bucketAccessRole";
import { PolicyDocument, serializePolicy } from "../../components/policyDocument";
import { createEmulatedBucket } from "./emulatedBucket";

/** The emulated resource (blue) account. Not moto's default account, so nothing lands there by accident. */
export const EMULATED_BLUE_ACCOUNT_ID = "111111111111";

/** The emulated identity (green) account. */
export const EMULATED_GREEN_ACCOUNT_ID = "222222222222";

/** The emulated bucket's name. */
export const EMULATED_BUCKET_NAME = "cross-account-s3-demo-bucket";

/** The emulated region. */
export const EMULATED_REGION = "us-east-1";

/** What to create, and the deliberate mistakes a negative test wants. Every field has a default. */
export interface EmulatedAccountsOptions {
    /** The moto endpoint, e.g. `http://127.0.0.1:PORT`. */
    readonly endpoint: string;
    /** Default {@link EMULATED_REGION}. */
    readonly region?: string;
    /** Default {@link EMULATED_BLUE_ACCOUNT_ID}. */
    readonly blueAccountId?: string;
    /** Default {@link EMULATED_GREEN_ACCOUNT_ID}. */
    readonly greenAccountId?: string;
    /** Default {@link EMULATED_BUCKET_NAME}. */
    readonly bucketName?: string;
    /**
     * More arguments for the blue component (`BucketAccessRoleArgs`), e.g. `{ readOnly: true }` or
     * another `greenAccountId`. Default: none, i.e. the component's defaults trusting green.
     */
    readonly blueArgs?: Partial<BucketAccessRoleArgs>;
    /** Replaces the managed policy the component builds: a deliberately wrong role. Default: the component's. */
    readonly accessPolicyOverride?: PolicyDocument;
    /** Put the user in the group. Default `true`; `false` leaves the user with no right to assume the role. */
    readonly addUserToGroup?: boolean;
    /**
     * Also create, in green, a user allowed only `iam:AddUserToGroup`/`iam:RemoveUserFromGroup` on the
     * group, with an access key ({@link EmulatedAccounts.green.admin}): it changes the membership while
     * IAM enforcement is on (see {@link greenAdminIamClient}). Default `false`.
     */
    readonly greenAdmin?: boolean;
    /**
     * The green user's MFA device ARN, written as `mfa_serial` in the `blue` profile. Default: none,
     * or `arn:aws:iam::GREEN:mfa/USER` when `blueArgs.requireMfa` is set (moto needs no real device:
     * it does not check the trust policy's MFA condition).
     */
    readonly mfaSerial?: string;
    /**
     * Apply the component's TLS-only bucket policy. Default `false`: moto 5.2.1 does not evaluate
     * the `Bool` condition operator, so it treats `aws:SecureTransport = false` as always met and
     * denies every object call with a bare 403, even over TLS. The test suite shows this in a case of its own.
     */
    readonly applyBucketPolicy?: boolean;
}

/** What was created: names, ARNs and the green user's key (a secret: never print it). */
export interface EmulatedAccounts {
    /** The region everything lives in. */
    readonly region: string;
    /** The moto endpoint. */
    readonly endpoint: string;
    /** The resource account's side. */
    readonly blue: {
        readonly accountId: string;
        readonly bucketName: string;
        readonly bucketArn: string;
        readonly roleName: string;
        readonly roleArn: string;
        readonly policyArn: string;
        /** The bucket settings applied, e.g. `versioning` (the component's defaults unless `blueArgs` changed them). */
        readonly bucketSettings: readonly string[];
        /** The documents as applied (JSON): the component's, or the override. */
        readonly documents: { readonly trustPolicy: string; readonly accessPolicy: string; readonly bucketPolicy?: string };
        /** The role's conditions and scope, as the component resolved them (`externalId` is a secret). */
        readonly role: { readonly readOnly: boolean; readonly objectKeyPrefix?: string; readonly externalId?: string; readonly requireMfa: boolean };
    };
    /** The identity account's side. */
    readonly green: {
        readonly accountId: string;
        readonly groupName: string;
        readonly groupPolicy: string;
        readonly userName: string;
        /** The CLI profile names the component renders (`green`, `blue` by default). */
        readonly sourceProfileName: string;
        readonly roleProfileName: string;
        readonly accessKeyId: string;
        readonly secretAccessKey: string;
        /** The MFA device the `blue` profile names, if any. */
        readonly mfaSerial?: string;
        /** The admin user's name and key (secret), with `greenAdmin`. */
        readonly admin?: { readonly userName: string; readonly accessKeyId: string; readonly secretAccessKey: string };
    };
}

/** The admin user `greenAdmin` creates. */
export const EMULATED_GREEN_ADMIN_NAME = "emulator-membership-admin";

/**
 * The blue stack's outputs, as `pulumi stack output --json --show-secrets` prints them, for the
 * emulated accounts: the same names and types as the program's blue stack (program/blueSide.ts),
 * which test/verify.stackOutputs.spec.ts compares with a real run of the program under mocks.
 */
export function blueStackOutputs(accounts: Pick<EmulatedAccounts, "region" | "blue" | "green">): Record<string, string | boolean> {
    const { role } = accounts.blue;
    return {
        roleArn: accounts.blue.roleArn,
        roleName: accounts.blue.roleName,
        bucketName: accounts.blue.bucketName,
        bucketArn: accounts.blue.bucketArn,
        policyArn: accounts.blue.policyArn,
        region: accounts.region,
        blueAccountId: accounts.blue.accountId,
        greenAccountId: accounts.green.accountId,
        externalIdRequired: role.externalId !== undefined,
        mfaRequired: role.requireMfa,
        readOnly: role.readOnly,
        ...(role.objectKeyPrefix !== undefined ? { objectKeyPrefix: role.objectKeyPrefix } : {}),
        ...(role.externalId !== undefined ? { externalId: role.externalId } : {}),
    };
}

/**
 * Creates both accounts' resources in moto (enforcement must be off, see the module note) and
 * returns what was created: 10 calls in blue with the component's default bucket settings, 6 in green.
 */
export async function createEmulatedAccounts(options: EmulatedAccountsOptions): Promise<EmulatedAccounts> {
    const region = options.region ?? EMULATED_REGION;
    const blueAccountId = options.blueAccountId ?? EMULATED_BLUE_ACCOUNT_ID;
    const greenAccountId = options.greenAccountId ?? EMULATED_GREEN_ACCOUNT_ID;

    // The blue component's checked arguments and documents, exactly as BucketAccessRole builds them.
    const blue = resolveBucketAccessRoleArgs({
        greenAccountId,
        blueAccountId,
        bucketName: options.bucketName ?? EMULATED_BUCKET_NAME,
        ...options.blueArgs,
    });
    // The emulated role takes a plain ExternalId, so the trust policy is known at once.
    const built = { trustPolicy: blue.trustPolicy!, accessPolicy: blue.accessPolicy, bucketPolicy: blue.bucketPolicy };
    const documents = { ...built, accessPolicy: options.accessPolicyOverride ? serializePolicy(options.accessPolicyOverride) : built.accessPolicy };
    const bucketName = blue.bucketName;

    const blueIam = bootstrapIamClient(options.endpoint, region, blueAccountId);
    const blueS3 = s3Client(options.endpoint, region, blueAccountId);
    let roleArn: string;
    let policyArn: string;
    const bucketSettings: string[] = [];
    try {
        const security = blue.bucketSecurity;
        // With a KMS key the component sets SSE-KMS, which this emulation does not create.
        bucketSettings.push(
            ...(await createEmulatedBucket(blueS3, bucketName, region, {
                blockPublicAccess: security.blockPublicAccess,
                enforceBucketOwner: security.enforceBucketOwner,
                sseS3: security.encryption && blue.kmsKeyArn === undefined,
            })),
        );
        if (security.versioning === true) {
            await blueS3.send(new PutBucketVersioningCommand({ Bucket: bucketName, VersioningConfiguration: { Status: "Enabled" } }));
            bucketSettings.push("versioning");
        }
        if (options.applyBucketPolicy && documents.bucketPolicy !== undefined) {
            await blueS3.send(new PutBucketPolicyCommand({ Bucket: bucketName, Policy: documents.bucketPolicy }));
            bucketSettings.push("TLS-only bucket policy");
        }
        const policy = await blueIam.send(new CreatePolicyCommand({ PolicyName: blue.policyName, Path: blue.iamPath, PolicyDocument: documents.accessPolicy }));
        const role = await blueIam.send(
            new CreateRoleCommand({
                RoleName: blue.roleName,
                Path: blue.iamPath,
                AssumeRolePolicyDocument: documents.trustPolicy,
                MaxSessionDuration: blue.maxSessionDurationSeconds,
            }),
        );
        policyArn = required(policy.Policy?.Arn, "CreatePolicy Arn");
        roleArn = required(role.Role?.Arn, "CreateRole Arn");
        await blueIam.send(new AttachRolePolicyCommand({ RoleName: blue.roleName, PolicyArn: policyArn }));
    } finally {
        blueIam.destroy();
        blueS3.destroy();
    }

    // The green component's checked arguments and group policy, exactly as AssumeRoleUsers builds them.
    const green = resolveAssumeRoleUsersArgs({ roleArn, greenAccountId });
    const groupPolicy = buildGroupPolicy(roleArn);
    const userName = green.userNames[0];
    const greenIam = bootstrapIamClient(options.endpoint, region, greenAccountId);
    try {
        await greenIam.send(new CreateGroupCommand({ GroupName: green.groupName, Path: green.iamPath }));
        await greenIam.send(new PutGroupPolicyCommand({ GroupName: green.groupName, PolicyName: green.groupPolicyName, PolicyDocument: groupPolicy }));
        await greenIam.send(new CreateUserCommand({ UserName: userName, Path: green.iamPath }));
        if (options.addUserToGroup ?? true) {
            await greenIam.send(new AddUserToGroupCommand({ GroupName: green.groupName, UserName: userName }));
        }
        const key = await greenIam.send(new CreateAccessKeyCommand({ UserName: userName }));
        const admin = options.greenAdmin ? await createGreenAdmin(greenIam, green.iamPath) : undefined;
        return {
            region,
            endpoint: options.endpoint,
            blue: {
                accountId: blueAccountId,
                bucketName,
                bucketArn: toBucketArn(bucketName, blue.partition),
                roleName: blue.roleName,
                roleArn,
                policyArn,
                bucketSettings,
                documents: options.applyBucketPolicy ? documents : { trustPolicy: documents.trustPolicy, accessPolicy: documents.accessPolicy },
                role: { readOnly: blue.readOnly, objectKeyPrefix: blue.objectKeyPrefix, externalId: blue.externalId as string | undefined, requireMfa: blue.requireMfa },
            },
            green: {
                accountId: greenAccountId,
                groupName: green.groupName,
                groupPolicy,
                userName,
                sourceProfileName: green.cliProfiles.sourceProfileName,
                roleProfileName: green.cliProfiles.roleProfileName,
                accessKeyId: required(key.AccessKey?.AccessKeyId, "CreateAccessKey AccessKeyId"),
                secretAccessKey: required(key.AccessKey?.SecretAccessKey, "CreateAccessKey SecretAccessKey"),
                mfaSerial: options.mfaSerial ?? (blue.requireMfa ? mfaDeviceArn(blue.partition, greenAccountId, userName) : undefined),
                ...(admin ? { admin } : {}),
            },
        };
    } finally {
        greenIam.destroy();
    }
}

/**
 * A virtual MFA device's ARN, `arn:PARTITION:iam::ACCOUNT:mfa/USER`, for the `blue` profile's
 * `mfa_serial` (moto needs no real device; components/arns.ts builds no MFA ARN).
 */
function mfaDeviceArn(partition: string, accountId: string, userName: string): string {
    return `arn:${partition}:iam::${accountId}:mfa/${userName}`;
}

/**
 * Creates the membership admin (see {@link EmulatedAccountsOptions.greenAdmin}) and its key. Its
 * policy names `Resource: *`: moto 5.2.1 authorizes IAM actions against `*`, not the group's ARN (a
 * statement on the group ARN is refused), so the actions are what limits it here.
 */
async function createGreenAdmin(greenIam: IAMClient, iamPath: string): Promise<NonNullable<EmulatedAccounts["green"]["admin"]>> {
    const userName = EMULATED_GREEN_ADMIN_NAME;
    await greenIam.send(new CreateUserCommand({ UserName: userName, Path: iamPath }));
    await greenIam.send(
        new PutUserPolicyCommand({
            UserName: userName,
            PolicyName: "change-group-membership",
            PolicyDocument: serializePolicy({
                Version: "2012-10-17",
                Statement: [{ Sid: "ChangeGroupMembership", Effect: "Allow", Action: ["iam:AddUserToGroup", "iam:RemoveUserFromGroup"], Resource: ["*"] }],
            }),
        }),
    );
    const key = await greenIam.send(new CreateAccessKeyCommand({ UserName: userName }));
    return {
        userName,
        accessKeyId: required(key.AccessKey?.AccessKeyId, "CreateAccessKey AccessKeyId"),
        secretAccessKey: required(key.AccessKey?.SecretAccessKey, "CreateAccessKey SecretAccessKey"),
    };
}

/**
 * An IAM client signed with the green membership admin's own key (no account header): its calls are
 * checked by moto's IAM enforcement like any user's. Needs `greenAdmin`. Destroy it when done.
 */
export function greenAdminIamClient(accounts: Pick<EmulatedAccounts, "endpoint" | "region" | "green">): IAMClient {
    const admin = accounts.green.admin;
    if (!admin) {
        throw new Error("the emulated accounts were created without greenAdmin");
    }
    return new IAMClient({ endpoint: accounts.endpoint, region: accounts.region, credentials: { accessKeyId: admin.accessKeyId, secretAccessKey: admin.secretAccessKey } });
}

/** Throw-away keys for the bootstrap calls; moto accepts anything while enforcement is off. */
const BOOTSTRAP_CREDENTIALS = { accessKeyId: "AKIAEMULATORBOOTSTRAP", secretAccessKey: "emulator-bootstrap-not-a-secret" };

/**
 * An IAM client that acts in the given emulated account (through the `x-moto-account-id` header),
 * for changes a test makes while enforcement is off. Destroy it when done.
 */
export function bootstrapIamClient(endpoint: string, region: string, accountId: string): IAMClient {
    const client = new IAMClient({ endpoint, region, credentials: BOOTSTRAP_CREDENTIALS });
    addAccountHeader(client, accountId);
    return client;
}

/**
 * An S3 client that acts in the given emulated account (through the `x-moto-account-id` header), for
 * reads and changes a test makes while enforcement is off. Destroy it when done.
 */
export function bootstrapS3Client(endpoint: string, region: string, accountId: string): S3Client {
    return s3Client(endpoint, region, accountId);
}

function s3Client(endpoint: string, region: string, accountId: string): S3Client {
    const client = new S3Client({ endpoint, region, forcePathStyle: true, credentials: BOOTSTRAP_CREDENTIALS });
    addAccountHeader(client, accountId);
    return client;
}

/** Adds `x-moto-account-id: ACCOUNT` to every request of the client. */
function addAccountHeader(client: IAMClient | S3Client, accountId: string): void {
    // The two clients' middleware stacks differ only in their input/output types.
    (client.middlewareStack as IAMClient["middlewareStack"]).add(
        (next) => async (args) => {
            const request = args.request as { headers?: Record<string, string> };
            if (request.headers) {
                request.headers["x-moto-account-id"] = accountId;
            }
            return next(args);
        },
        { step: "build", name: "motoAccountIdHeader" },
    );
}

function required<T>(value: T | undefined, what: string): T {
    if (value === undefined) {
        throw new Error(`moto returned no ${what}`);
    }
    return value;
}
