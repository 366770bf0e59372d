/**
 * Both sides of S3 cross-account access in one component, with one provider per account.
 */
import * as pulumi from "@pulumi/pulumi";
import { Provider } from "@pulumi/aws/provider";
import { getRegionOutput } from "@pulumi/aws/getRegion";
import { ArgumentCheck, isResolved, LaterCheckResult, RESOLVED, Resolved } from "./argumentCheck";
import { AssumeRoleUsers, AssumeRoleUsersArgs, checkAssumeRoleSettings, ResolvedAssumeRoleUsersArgs, withRoleArn } from "./assumeRoleUsers";
import { BucketAccessRole, BucketAccessRoleArgs, checkBucketAccessSettings, ResolvedBucketAccessRoleArgs } from "./bucketAccessRole";
import { DEFAULT_IAM_PATH } from "./defaults";
import { usersNamedInTrust } from "./trustedPrincipals";
import { TYPE_TOKENS } from "./typeTokens";
import { checkAccountId, checkDistinctAccounts, checkSettingsObject } from "./validation";

/** The blue side's settings: {@link BucketAccessRoleArgs} without the account ids, which the component sets. */
export type BlueSideSettings = Omit<BucketAccessRoleArgs, "greenAccountId" | "blueAccountId">;

/**
 * The green side's settings: {@link AssumeRoleUsersArgs} without the role ARN, the account id and the
 * partition, which the component sets (the partition is the blue side's).
 */
export type GreenSideSettings = Omit<AssumeRoleUsersArgs, "roleArn" | "greenAccountId" | "partition">;

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
    /**
     * The group, users and keys, and the existing roles and groups to grant (keyless: `userNames: []`
     * with `greenRoleNames` or `greenGroupNames`). Default: the walkthrough's group `prod-s3-users` and user `s3-prod-user`
     * with a key. The CLI profile's ExternalId defaults to `blue.externalId`; one given here must equal it.
     */
    readonly green?: GreenSideSettings;
}

/** Both accounts and both sides' settings, checked (everything but the providers). Internal. */
export interface ResolvedCrossAccountSettings extends Resolved {
    /** The resource account, checked. */
    readonly blueAccountId: string;
    /** The identity account, checked. */
    readonly greenAccountId: string;
    /** The blue side's arguments, resolved. */
    readonly blue: ResolvedBucketAccessRoleArgs;
    /** The green side's arguments, resolved; the role ARN is handed over once the blue side exists. */
    readonly green: ResolvedAssumeRoleUsersArgs;
}

/**
 * The `aws` provider a component with these options would use, found as the SDK finds it (`provider`,
 * then `providers`, then the parent's) but without registering anything.
 */
function awsProviderOf(opts: pulumi.ComponentResourceOptions | undefined): pulumi.ProviderResource | undefined {
    if (Provider.isInstance(opts?.provider)) {
        return opts.provider;
    }
    const providers = opts?.providers;
    const listed = Array.isArray(providers) ? [...providers].reverse().find((p) => Provider.isInstance(p)) : providers?.aws;
    return listed ?? opts?.parent?.getProvider("aws::");
}

/** Finds and checks both providers, recording every problem in `check`. */
function checkProviders(
    args: unknown,
    opts: pulumi.ComponentResourceOptions | undefined,
    check: ArgumentCheck,
): { blueProvider: pulumi.ProviderResource; greenProvider: pulumi.ProviderResource } | undefined {
    const given = (args ?? {}) as Partial<Record<keyof CrossAccountBucketAccessArgs, unknown>>;
    const greenProvider = given.greenProvider;
    const blueProvider = given.blueProvider ?? awsProviderOf(opts);
    const before = check.problems.length;
    if (!Provider.isInstance(greenProvider)) {
        check.add(
            "greenProvider",
            greenProvider === undefined ? "no aws provider was given for the identity account" : "it is not an aws provider",
            "Pass an aws.Provider configured with the identity account's credentials",
        );
    }
    if (blueProvider === undefined) {
        check.add("blueProvider", "no aws provider was given for the resource account", "Pass blueProvider, or an aws provider in this component's provider/providers options");
    } else if (!Provider.isInstance(blueProvider)) {
        check.add("blueProvider", "it is not an aws provider", "Pass an aws.Provider configured with the resource account's credentials");
    } else if (blueProvider === greenProvider) {
        check.add("greenProvider", "it is the same provider as the blue side's", "Give each account its own aws.Provider");
    }
    return check.problems.length > before ? undefined : { blueProvider: blueProvider as pulumi.ProviderResource, greenProvider: greenProvider as pulumi.ProviderResource };
}

/**
 * Checks both accounts and both sides' settings (not the providers), recording every problem in
 * `check`. Internal: the program calls it before it registers the providers, with its own collection.
 */
export function checkCrossAccountSettings(args: unknown, check: ArgumentCheck): ResolvedCrossAccountSettings | undefined {
    const subject = "CrossAccountBucketAccessArgs";
    const given = (args ?? {}) as Partial<Record<keyof CrossAccountBucketAccessArgs, unknown>>;
    const before = check.problems.length;
    const blueAccountId = check.field("blueAccountId", (label) => checkAccountId(given.blueAccountId, label));
    const greenAccountId = check.field("greenAccountId", (label) => checkAccountId(given.greenAccountId, label));
    if (blueAccountId !== undefined && greenAccountId !== undefined) {
        check.across("greenAccountId", (label) => checkDistinctAccounts(blueAccountId, greenAccountId, label));
    }
    let blue: ResolvedBucketAccessRoleArgs | undefined;
    if (given.blue === undefined) {
        check.add("blue", "no settings were given for the blue side", "Pass at least { bucketName }");
    } else if (check.field("blue", (label) => checkSettingsObject(given.blue, label))) {
        blue = checkBucketAccessSettings(given.blue, { blueAccountId, greenAccountId: greenAccountId ?? "" }, check.under("blue"), subject);
    }
    const green = given.green === undefined ? {} : (check.field("green", (label) => checkSettingsObject(given.green, label)) ?? {});
    const greenProfiles = (green.cliProfiles ?? {}) as Record<string, unknown>;
    const resolvedGreen = checkAssumeRoleSettings(
        // The ExternalId is the blue side's, checked there; one given here is compared with it below.
        { ...green, cliProfiles: { ...greenProfiles, externalId: undefined } },
        { greenAccountId, partition: blue?.partition ?? "aws" },
        check.under("green"),
        subject,
    );
    const greenExternalId = greenProfiles.externalId;
    const blueExternalId = (given.blue as { externalId?: unknown } | undefined)?.externalId;
    // Compared even when other arguments are wrong, so that one error lists every problem.
    if (greenExternalId !== undefined && blueExternalId === undefined) {
        check.add(
            "green.cliProfiles.externalId",
            "it was given, and the role requires no ExternalId (blue.externalId is not set)",
            "Set the same value as blue.externalId, or remove it",
        );
    } else if (typeof greenExternalId === "string" && typeof blueExternalId === "string" && greenExternalId !== blueExternalId) {
        check.add(
            "green.cliProfiles.externalId",
            "it differs from blue.externalId, so the CLI profile could never assume the role (values not shown)",
            "Remove it (blue.externalId is used), or set the same value",
        );
    }
    if (
        blue &&
        resolvedGreen &&
        blue.requireMfa &&
        resolvedGreen.cliProfiles.mfaSerial === undefined &&
        resolvedGreen.userNames.length > 0 &&
        resolvedGreen.createAccessKeys &&
        resolvedGreen.pgpKey === undefined
    ) {
        // The rendered CLI profile could never assume a role that requires MFA without a device to name.
        check.add(
            "green.cliProfiles.mfaSerial",
            "the role requires MFA, and the users' CLI profile names no MFA device",
            "Give the first user's MFA device ARN, or turn requireMfa off",
        );
    }
    if (check.problems.length > before || !blue || !resolvedGreen) {
        return undefined;
    }
    return {
        [RESOLVED]: true,
        blueAccountId: blueAccountId!,
        greenAccountId: greenAccountId!,
        blue,
        green: { ...resolvedGreen, ...greenExternalIdOf(blue, greenExternalId, check), cliProfiles: { ...resolvedGreen.cliProfiles, externalId: blue.externalId } },
    };
}

/**
 * The green side's ExternalId: the blue side's, already checked. When either is an output, the two are
 * compared once they resolve (refused when they differ), instead of now.
 */
function greenExternalIdOf(blue: ResolvedBucketAccessRoleArgs, greenExternalId: unknown, check: ArgumentCheck): Pick<ResolvedAssumeRoleUsersArgs, "checkedExternalId"> {
    if (greenExternalId === undefined || (typeof greenExternalId === "string" && typeof blue.externalId === "string")) {
        return { checkedExternalId: blue.checkedExternalId };
    }
    const blueValue = blue.checkedExternalId ?? pulumi.output({ value: blue.externalId as string } as LaterCheckResult<string>);
    const compared = pulumi.all([blueValue, pulumi.output(greenExternalId as pulumi.Input<string>)]).apply(([b, g]): LaterCheckResult<string> =>
        b.problem || b.value === g
            ? b
            : {
                  problem: {
                      propertyPath: check.pathOf("green.cliProfiles.externalId"),
                      problem: "it differs from blue.externalId, so the CLI profile could never assume the role (values not shown)",
                      fix: "Remove it (blue.externalId is used), or set the same value",
                  },
              },
    );
    return { checkedExternalId: pulumi.secret(compared) };
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
    /** The group's name; `undefined` without users (keyless). */
    public readonly groupName: pulumi.Output<string | undefined>;
    /** The group's ARN; `undefined` without users (keyless). */
    public readonly groupArn: pulumi.Output<string | undefined>;
    /** The managed policy granting `green.greenRoleNames` and `green.greenGroupNames`; `undefined` when none is granted. */
    public readonly grantPolicyArn: pulumi.Output<string | undefined>;
    /** The users' names. */
    public readonly userNames: pulumi.Output<string[]>;
    /** Access key id of each user, by user name. */
    public readonly accessKeyIds: pulumi.Output<Record<string, string>>;
    /** Secret access key of each user, by user name: always a Pulumi secret; empty with `pgpKey`. */
    public readonly secretAccessKeys: pulumi.Output<Record<string, string>>;
    /** With `green.pgpKey`: each user's PGP-encrypted secret key, by user name. Otherwise empty. */
    public readonly encryptedSecretAccessKeys: pulumi.Output<Record<string, string>>;
    /** The AWS CLI config text for the `green` and `blue` profiles, a Pulumi secret; keyless, the `blue` profile only (see {@link AssumeRoleUsers.cliConfig}). */
    public readonly cliConfig: pulumi.Output<string>;

    /**
     * Checks both accounts, both providers and both sides' settings (throwing one
     * `InvalidArgumentsError` listing every problem, before anything is registered), then creates
     * the blue side with the blue provider and the green side with the green provider.
     * @param name The component's name; children are named after it.
     * @param args Both accounts, both providers and each side's settings; see {@link CrossAccountBucketAccessArgs}.
     * @param opts Resource options; `provider`/`providers` may carry the blue provider.
     */
    constructor(name: string, args: CrossAccountBucketAccessArgs, opts?: pulumi.ComponentResourceOptions) {
        // Everything is checked, and both providers found, before the component is registered: a refusal
        // leaves nothing behind. Each side then gets its resolved arguments and checks nothing again.
        const check = ArgumentCheck.start();
        const settings = isResolved<ResolvedCrossAccountSettings>(args) ? args : checkCrossAccountSettings(args, check);
        const providers = checkProviders(args, opts, check);
        check.throwIfAny("CrossAccountBucketAccessArgs");
        const { blue, green } = settings!;
        const { blueProvider, greenProvider } = providers!;
        super(TYPE_TOKENS.CrossAccountBucketAccess, name, {}, opts);

        // The role may trust users that the green side creates, and the green side needs the role's ARN:
        // the role gets a promise of those users, kept as soon as the green side has created them.
        let keepUsersNamedInTrust: (users: readonly pulumi.Resource[]) => void = () => undefined;
        const usersNamedInTrustPromise = new Promise<readonly pulumi.Resource[]>((resolve) => (keepUsersNamedInTrust = resolve));
        const givenPrincipalResources = blue.trustedPrincipalResources;
        this.blueSide = new BucketAccessRole(
            `${name}-blue`,
            {
                ...blue,
                trustedPrincipalResources: usersNamedInTrustPromise.then(async (users) => [...users, ...((await givenPrincipalResources) ?? [])]),
            },
            { parent: this, provider: blueProvider },
        );
        // Kept with no users if the green side fails, so that the role's registration never waits forever.
        let greenSide: AssumeRoleUsers | undefined;
        try {
            greenSide = this.greenSide = new AssumeRoleUsers(
                `${name}-green`,
                {
                    ...withRoleArn(green, this.blueSide.roleArn, check),
                    cliProfiles: {
                        ...green.cliProfiles,
                        // The profiles reach the bucket, so they default to the blue side's region.
                        region: green.cliProfiles.region ?? getRegionOutput({}, { parent: this, provider: blueProvider }).region,
                    },
                } as ResolvedAssumeRoleUsersArgs,
                { parent: this, provider: greenProvider },
            );
        } finally {
            keepUsersNamedInTrust(
                greenSide === undefined
                    ? []
                    : usersNamedInTrust(blue.trustedPrincipalArns, greenSide.users, green.greenAccountId ?? "", green.iamPath ?? DEFAULT_IAM_PATH, blue.partition),
            );
        }

        this.roleArn = this.blueSide.roleArn;
        this.roleName = this.blueSide.roleName;
        this.policyArn = this.blueSide.policyArn;
        this.bucketName = this.blueSide.bucketName;
        this.bucketArn = this.blueSide.bucketArn;
        this.groupName = this.greenSide.groupName;
        this.groupArn = this.greenSide.groupArn;
        this.grantPolicyArn = this.greenSide.grantPolicyArn;
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
            grantPolicyArn: this.grantPolicyArn,
            userNames: this.userNames,
            accessKeyIds: this.accessKeyIds,
            secretAccessKeys: this.secretAccessKeys,
            encryptedSecretAccessKeys: this.encryptedSecretAccessKeys,
            cliConfig: this.cliConfig,
        });
    }
}
