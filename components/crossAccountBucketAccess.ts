/**
 * Both sides of S3 cross-account access in one component, with one provider per account.
 */
import * as pulumi from "@pulumi/pulumi";
import { Provider } from "@pulumi/aws/provider";
import { getRegionOutput } from "@pulumi/aws/getRegion";
import { checkAdoptExisting } from "./adoption";
import { roleArn as roleArnOf } from "./arns";
import { AssumeRoleUsers, AssumeRoleUsersArgs, resolveAssumeRoleUsersArgs } from "./assumeRoleUsers";
import { BucketAccessRole, BucketAccessRoleArgs, buildBucketAccessDocuments, resolveBucketAccessRoleArgs } from "./bucketAccessRole";
import { DEFAULT_IAM_PATH } from "./defaults";
import { usersNamedInTrust } from "./trustedPrincipals";
import { TYPE_TOKENS } from "./typeTokens";
import { argumentNamer, checkAccountId, checkDistinctAccounts, InvalidInputError } from "./validation";

/** The blue side's settings: {@link BucketAccessRoleArgs} without the account ids, which the component sets. */
export type BlueSideSettings = Omit<BucketAccessRoleArgs, "trustedAccountId" | "resourceAccountId">;

/** The green side's settings: {@link AssumeRoleUsersArgs} without the role ARN and account id, which the component sets. */
export type GreenSideSettings = Omit<AssumeRoleUsersArgs, "roleArn" | "identityAccountId">;

/** Arguments of {@link CrossAccountBucketAccess}. */
export interface CrossAccountBucketAccessArgs {
    /** The resource (blue) account: 12 digits, different from `greenAccountId`. Required. */
    readonly blueAccountId: string;
    /** The identity (green) account whose users assume the role: 12 digits. Required. */
    readonly greenAccountId: string;
    /**
     * The `aws` provider for the resource account. Default: the `aws` provider of this component's
     * `provider`/`providers` options or its parent's; one of them is required, never the default provider.
     */
    readonly blueProvider?: Provider;
    /** The `aws` provider for the identity account. Required, and not the blue provider. */
    readonly greenProvider: Provider;
    /** The bucket, policy and role. `bucketName` is required. */
    readonly blue: BlueSideSettings;
    /** The group, users and keys. Default: the walkthrough's group `prod-s3-users` and user `s3-prod-user` with a key. */
    readonly green?: GreenSideSettings;
}

/**
 * S3 cross-account access, both sides: in the resource (blue) account a bucket with secure defaults,
 * a policy granting exactly `s3:PutObject`, `s3:GetObject` and `s3:ListBucket`, and a role trusting the
 * identity account; in the identity (green) account a group allowed to assume exactly that role, and
 * users with access keys in it. Each side's resources use that side's provider, explicitly.
 */
export class CrossAccountBucketAccess extends pulumi.ComponentResource {
    /** The resource account's half. */
    public readonly blueSide: BucketAccessRole;
    /** The identity account's half. */
    public readonly greenSide: AssumeRoleUsers;
    /** The role's ARN. */
    public readonly roleArn: pulumi.Output<string>;
    /** The role's name. */
    public readonly roleName: pulumi.Output<string>;
    /** The managed policy's ARN. */
    public readonly policyArn: pulumi.Output<string>;
    /** The bucket's name. */
    public readonly bucketName: pulumi.Output<string>;
    /** The bucket's ARN. */
    public readonly bucketArn: pulumi.Output<string>;
    /** The group's name. */
    public readonly groupName: pulumi.Output<string>;
    /** The group's ARN. */
    public readonly groupArn: pulumi.Output<string>;
    /** The users' names. */
    public readonly userNames: pulumi.Output<string[]>;
    /** Access key id of each user, by user name. */
    public readonly accessKeyIds: pulumi.Output<Record<string, string>>;
    /** Secret access key of each user, by user name: always a Pulumi secret; empty with `pgpKey`. */
    public readonly secretAccessKeys: pulumi.Output<Record<string, string>>;
    /** With `green.pgpKey`: each user's PGP-encrypted secret key, by user name. Otherwise empty. */
    public readonly encryptedSecretAccessKeys: pulumi.Output<Record<string, string>>;
    /** The AWS CLI config text for the `green` and `blue` profiles: always a Pulumi secret. */
    public readonly cliConfig: pulumi.Output<string>;

    /**
     * Checks both accounts and providers, then creates the blue side with the blue provider and the
     * green side with the green provider.
     * @param name The component's name; children are named after it.
     * @param args Both accounts, both providers and each side's settings; see {@link CrossAccountBucketAccessArgs}.
     * @param opts Resource options; `provider`/`providers` may carry the blue provider.
     */
    constructor(name: string, args: CrossAccountBucketAccessArgs, opts?: pulumi.ComponentResourceOptions) {
        // Everything that can be checked without `this` is checked before the component is registered.
        const label = "CrossAccountBucketAccessArgs";
        const blueAccountId = checkAccountId(args?.blueAccountId, `${label}.blueAccountId`);
        const greenAccountId = checkAccountId(args.greenAccountId, `${label}.greenAccountId`);
        checkDistinctAccounts(blueAccountId, greenAccountId, `${label}.greenAccountId`);
        if (!args.greenProvider) {
            throw new InvalidInputError(`${label}.greenProvider`, "no aws provider was given for the identity account", "Pass an aws.Provider configured with the identity account's credentials");
        }
        if (!args.blue) {
            throw new InvalidInputError(`${label}.blue`, "no settings were given for the blue side", "Pass at least { bucketName }");
        }
        // The rendered CLI profile could never assume a role that requires MFA without a device to name.
        if (args.blue.requireMfa && args.green?.cliProfiles?.mfaSerial === undefined && args.green?.createAccessKeys !== false && args.green?.pgpKey === undefined) {
            throw new InvalidInputError(`${label}.green.cliProfiles.mfaSerial`, "the role requires MFA, and the users' CLI profile names no MFA device",
                "Give the first user's MFA device ARN, or turn requireMfa off");
        }
        checkAdoptExisting(args.blue.adoptExisting, `${label}.blue.adoptExisting`);
        checkAdoptExisting(args.green?.adoptExisting, `${label}.green.adoptExisting`);
        const blueArgs = resolveBucketAccessRoleArgs({ ...args.blue, trustedAccountId: greenAccountId, resourceAccountId: blueAccountId }, argumentNamer(`${label}.blue`));
        buildBucketAccessDocuments(blueArgs, argumentNamer(`${label}.blue`));
        resolveAssumeRoleUsersArgs({
            ...args.green,
            // The ARN the role will have: checked now, the real one is passed on below.
            roleArn: roleArnOf(blueAccountId, blueArgs.roleName, blueArgs.iamPath, blueArgs.partition),
            identityAccountId: greenAccountId,
        }, argumentNamer(`${label}.green`));

        super(TYPE_TOKENS.CrossAccountBucketAccess, name, {}, opts);
        const blueProvider = args.blueProvider ?? this.getProvider("aws::");
        if (!blueProvider) {
            throw new InvalidInputError(`${label}.blueProvider`, "no aws provider was given for the resource account", "Pass blueProvider, or an aws provider in this component's provider/providers options");
        }
        if (args.greenProvider === blueProvider) {
            throw new InvalidInputError(`${label}.greenProvider`, "it is the same provider as the blue side's", "Give each account its own aws.Provider");
        }

        // The role may trust users that the green side creates, and the green side needs the role's ARN:
        // the role gets a promise of those users, kept as soon as the green side has created them.
        let keepUsersNamedInTrust: (users: readonly pulumi.Resource[]) => void = () => undefined;
        const usersNamedInTrustPromise = new Promise<readonly pulumi.Resource[]>((resolve) => (keepUsersNamedInTrust = resolve));
        const givenPrincipalResources = args.blue.trustedPrincipalResources;
        this.blueSide = new BucketAccessRole(`${name}-blue`, {
            ...args.blue,
            trustedAccountId: greenAccountId,
            resourceAccountId: blueAccountId,
            trustedPrincipalResources: usersNamedInTrustPromise.then(async (users) => [...users, ...((await givenPrincipalResources) ?? [])]),
        }, { parent: this, provider: blueProvider });

        const green = args.green ?? {};
        // Kept with no users if the green side fails, so that the role's registration never waits forever.
        let greenSide: AssumeRoleUsers | undefined;
        try {
            greenSide = this.greenSide = new AssumeRoleUsers(`${name}-green`, {
                ...green,
                roleArn: this.blueSide.roleArn,
                identityAccountId: greenAccountId,
                cliProfiles: {
                    externalId: args.blue.externalId,
                    ...green.cliProfiles,
                    // The profiles reach the bucket, so they default to the blue side's region.
                    region: green.cliProfiles?.region ?? getRegionOutput({}, { parent: this, provider: blueProvider }).region,
                },
            }, { parent: this, provider: args.greenProvider });
        } finally {
            keepUsersNamedInTrust(greenSide === undefined ? [] : usersNamedInTrust(args.blue.trustedPrincipalArns, greenSide.users,
                greenAccountId, green.iamPath ?? DEFAULT_IAM_PATH, blueArgs.partition));
        }

        this.roleArn = this.blueSide.roleArn;
        this.roleName = this.blueSide.roleName;
        this.policyArn = this.blueSide.policyArn;
        this.bucketName = this.blueSide.bucketName;
        this.bucketArn = this.blueSide.bucketArn;
        this.groupName = this.greenSide.groupName;
        this.groupArn = this.greenSide.groupArn;
        this.userNames = this.greenSide.userNames;
        this.accessKeyIds = this.greenSide.accessKeyIds;
        this.secretAccessKeys = this.greenSide.secretAccessKeys;
        this.encryptedSecretAccessKeys = this.greenSide.encryptedSecretAccessKeys;
        this.cliConfig = this.greenSide.cliConfig;

        this.registerOutputs({
            roleArn: this.roleArn,
            roleName: this.roleName,
            policyArn: this.policyArn,
            bucketName: this.bucketName,
            bucketArn: this.bucketArn,
            groupName: this.groupName,
            groupArn: this.groupArn,
            userNames: this.userNames,
            accessKeyIds: this.accessKeyIds,
            secretAccessKeys: this.secretAccessKeys,
            encryptedSecretAccessKeys: this.encryptedSecretAccessKeys,
            cliConfig: this.cliConfig,
        });
    }
}
