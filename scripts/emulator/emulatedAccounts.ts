/**
 * Creates both accounts of the setup in moto, from the same pure policy builders and default
 * names the components use (`components/policies.ts`, `components/defaults.ts`), never from
 * hand-copied JSON:
 *
 * - blue (resource account): the bucket, the managed policy {@link bucketAccessPolicy}, the role
 *   with the trust policy {@link roleTrustPolicy} (trusting green's root), the attachment, and,
 *   on request, the TLS-only bucket policy {@link denyInsecureTransportPolicy};
 * - green (identity account): the group with the inline policy {@link assumeRolePolicy}, the
 *   user, its membership and its access key.
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
} from "@aws-sdk/client-iam";
import { CreateBucketCommand, PutBucketPolicyCommand, S3Client, type BucketLocationConstraint } from "@aws-sdk/client-s3";
import { bucketArn as toBucketArn } from "../../components/arns";
import {
    DEFAULT_GROUP_NAME,
    DEFAULT_GROUP_POLICY_NAME,
    DEFAULT_IAM_PATH,
    DEFAULT_MAX_SESSION_DURATION_SECONDS,
    DEFAULT_POLICY_NAME,
    DEFAULT_ROLE_NAME,
    DEFAULT_USER_NAMES,
} from "../../components/defaults";
import { assumeRolePolicy, bucketAccessPolicy, denyInsecureTransportPolicy, roleTrustPolicy } from "../../components/policies";
import { PolicyDocument, serializePolicy } from "../../components/policyDocument";

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
    /** The role's managed policy. Default: `bucketAccessPolicy({ bucketName })`, what the component attaches. */
    readonly roleAccessPolicy?: PolicyDocument;
    /** The role's trust policy. Default: `roleTrustPolicy({ trustedAccountId: green })`, what the component writes. */
    readonly roleTrustPolicy?: PolicyDocument;
    /** Put the user in the group. Default `true`; `false` leaves the user with no right to assume the role. */
    readonly addUserToGroup?: boolean;
    /**
     * Apply the TLS-only bucket policy. Default `false`: moto 5.2.1 does not evaluate the `Bool`
     * condition operator, so it treats `aws:SecureTransport = false` as always met and denies every
     * object call with a bare 403, even over TLS. The test suite shows this in a case of its own.
     */
    readonly applyTlsOnlyBucketPolicy?: boolean;
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
    };
    /** The identity account's side. */
    readonly green: {
        readonly accountId: string;
        readonly groupName: string;
        readonly userName: string;
        readonly accessKeyId: string;
        readonly secretAccessKey: string;
    };
}

/** The blue stack's outputs, as `pulumi stack output --json` prints them, for the emulated account. */
export function blueStackOutputs(accounts: EmulatedAccounts): Record<string, string> {
    return {
        roleArn: accounts.blue.roleArn,
        roleName: accounts.blue.roleName,
        bucketName: accounts.blue.bucketName,
        bucketArn: accounts.blue.bucketArn,
        policyArn: accounts.blue.policyArn,
        region: accounts.region,
        blueAccountId: accounts.blue.accountId,
    };
}

/**
 * Creates both accounts' resources in moto (enforcement must be off, see the module note) and
 * returns what was created. Nine IAM/S3 calls in blue (ten with the bucket policy), six in green.
 */
export async function createEmulatedAccounts(options: EmulatedAccountsOptions): Promise<EmulatedAccounts> {
    const region = options.region ?? EMULATED_REGION;
    const blueAccountId = options.blueAccountId ?? EMULATED_BLUE_ACCOUNT_ID;
    const greenAccountId = options.greenAccountId ?? EMULATED_GREEN_ACCOUNT_ID;
    const bucketName = options.bucketName ?? EMULATED_BUCKET_NAME;
    const userName = DEFAULT_USER_NAMES[0];

    // Blue: bucket, managed policy, role trusting green, attachment (and the bucket policy on request).
    const blueIam = bootstrapIamClient(options.endpoint, region, blueAccountId);
    const blueS3 = s3Client(options.endpoint, region, blueAccountId);
    try {
        await blueS3.send(new CreateBucketCommand({
            Bucket: bucketName,
            CreateBucketConfiguration: region === "us-east-1" ? undefined : { LocationConstraint: region as BucketLocationConstraint },
        }));
        if (options.applyTlsOnlyBucketPolicy) {
            await blueS3.send(new PutBucketPolicyCommand({ Bucket: bucketName, Policy: serializePolicy(denyInsecureTransportPolicy(bucketName)) }));
        }
        const policy = await blueIam.send(new CreatePolicyCommand({
            PolicyName: DEFAULT_POLICY_NAME,
            Path: DEFAULT_IAM_PATH,
            PolicyDocument: serializePolicy(options.roleAccessPolicy ?? bucketAccessPolicy({ bucketName })),
        }));
        const role = await blueIam.send(new CreateRoleCommand({
            RoleName: DEFAULT_ROLE_NAME,
            Path: DEFAULT_IAM_PATH,
            AssumeRolePolicyDocument: serializePolicy(options.roleTrustPolicy ?? roleTrustPolicy({ trustedAccountId: greenAccountId })),
            MaxSessionDuration: DEFAULT_MAX_SESSION_DURATION_SECONDS,
        }));
        const policyArn = required(policy.Policy?.Arn, "CreatePolicy Arn");
        const roleArn = required(role.Role?.Arn, "CreateRole Arn");
        await blueIam.send(new AttachRolePolicyCommand({ RoleName: DEFAULT_ROLE_NAME, PolicyArn: policyArn }));

        // Green: group with the AssumeRole inline policy, user, membership, access key.
        const greenIam = bootstrapIamClient(options.endpoint, region, greenAccountId);
        try {
            await greenIam.send(new CreateGroupCommand({ GroupName: DEFAULT_GROUP_NAME, Path: DEFAULT_IAM_PATH }));
            await greenIam.send(new PutGroupPolicyCommand({
                GroupName: DEFAULT_GROUP_NAME,
                PolicyName: DEFAULT_GROUP_POLICY_NAME,
                PolicyDocument: serializePolicy(assumeRolePolicy(roleArn)),
            }));
            await greenIam.send(new CreateUserCommand({ UserName: userName, Path: DEFAULT_IAM_PATH }));
            if (options.addUserToGroup ?? true) {
                await greenIam.send(new AddUserToGroupCommand({ GroupName: DEFAULT_GROUP_NAME, UserName: userName }));
            }
            const key = await greenIam.send(new CreateAccessKeyCommand({ UserName: userName }));
            return {
                region,
                endpoint: options.endpoint,
                blue: { accountId: blueAccountId, bucketName, bucketArn: toBucketArn(bucketName), roleName: DEFAULT_ROLE_NAME, roleArn, policyArn },
                green: {
                    accountId: greenAccountId,
                    groupName: DEFAULT_GROUP_NAME,
                    userName,
                    accessKeyId: required(key.AccessKey?.AccessKeyId, "CreateAccessKey AccessKeyId"),
                    secretAccessKey: required(key.AccessKey?.SecretAccessKey, "CreateAccessKey SecretAccessKey"),
                },
            };
        } finally {
            greenIam.destroy();
        }
    } finally {
        blueIam.destroy();
        blueS3.destroy();
    }
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
