/**
 * The identity account's (green) half: a group allowed to assume the bucket role, its users,
 * and their access keys. Usable alone in a stack that holds only the identity account's credentials.
 */
import * as pulumi from "@pulumi/pulumi";
import * as iam from "@pulumi/aws/iam";
import { getRegionOutput } from "@pulumi/aws/getRegion";
import { checkAdoptExisting, greenImportIds } from "./adoption";
import { parseRoleArn } from "./arns";
import { renderCliProfiles } from "./cliProfiles";
import {
    DEFAULT_GROUP_NAME,
    DEFAULT_GROUP_POLICY_NAME,
    DEFAULT_IAM_PATH,
    DEFAULT_ROLE_PROFILE,
    DEFAULT_SOURCE_PROFILE,
    DEFAULT_USER_NAMES,
} from "./defaults";
import { assumeRolePolicy } from "./policies";
import { serializePolicy } from "./policyDocument";
import { TYPE_TOKENS } from "./typeTokens";
import {
    checkAccountId,
    checkDistinctAccounts,
    checkExternalId,
    checkIamName,
    checkIamPath,
    checkMfaSerial,
    checkPolicySize,
    checkProfileName,
    checkRoleArn,
    checkUserNames,
    argumentNamer,
    FieldNamer,
    InvalidInputError,
} from "./validation";

/** The AWS CLI profile pair rendered into {@link AssumeRoleUsers.cliConfig}. */
export interface CliProfileArgs {
    /** The profile holding the user's keys. Default `green`. */
    readonly sourceProfileName?: string;
    /** The profile that assumes the role through the source profile. Default `blue`. */
    readonly roleProfileName?: string;
    /** The region of both profiles (where the bucket is). Default: the region of this component's provider. */
    readonly region?: pulumi.Input<string>;
    /** The ExternalId the role requires, written as `external_id`. Default: none. */
    readonly externalId?: string;
    /**
     * The ARN of the user's MFA device, written as `mfa_serial`, for a role that requires MFA: the
     * CLI then asks for a code. Default: none. The component creates no MFA device.
     */
    readonly mfaSerial?: string;
}

/** Arguments of {@link AssumeRoleUsers}. */
export interface AssumeRoleUsersArgs {
    /**
     * The ARN of the role in the resource account, e.g. a StackReference output. A plain string is
     * checked at once; an output is checked when it resolves. Required.
     */
    readonly roleArn: pulumi.Input<string>;
    /** The identity (green) account, when known: checked to differ from the role's account. Default: not checked. */
    readonly identityAccountId?: string;
    /** The group's name. Default `prod-s3-users`. */
    readonly groupName?: string;
    /** The name of the group's inline policy. Default `AssumeCrossAccountS3AccessRole`. */
    readonly groupPolicyName?: string;
    /** The users to create in the group; unique ignoring case. Default `["s3-prod-user"]`. */
    readonly userNames?: readonly string[];
    /** IAM path of the group and the users. Default `/`. */
    readonly iamPath?: string;
    /** Create an access key (programmatic access) for each user. Default `true`. */
    readonly createAccessKeys?: boolean;
    /**
     * A PGP public key (base64) or `keybase:USERNAME`: the secret keys are then returned encrypted in
     * {@link AssumeRoleUsers.encryptedSecretAccessKeys}, never in plain text, and no CLI config is rendered.
     * Default: none (the secret keys are Pulumi secrets).
     */
    readonly pgpKey?: string;
    /** The CLI profile pair written with the first user's key. Default: `green` and `blue` in the provider's region. */
    readonly cliProfiles?: CliProfileArgs;
    /** Tags for the users. Default: none (the provider's default tags still apply). */
    readonly tags?: Record<string, string>;
    /**
     * Adopt a setup made by hand: import the group, its inline policy (named `groupPolicyName`: set it to
     * the name typed in the console), each user and membership (Pulumi's `import` resource option, ids
     * from {@link greenImportIds}) instead of creating them. Access keys are never imported (AWS never
     * returns a key's secret): with `createAccessKeys` a new key is created next to the hand-made one.
     * After the first successful `pulumi up`, turn it off again. Default `false`.
     */
    readonly adoptExisting?: boolean;
}

/** {@link AssumeRoleUsersArgs} checked, with their defaults filled in. */
export interface ResolvedAssumeRoleUsersArgs {
    /** As {@link AssumeRoleUsersArgs.roleArn}; checked here when a plain string. */
    readonly roleArn: pulumi.Input<string>;
    /** The group's name, checked; default `prod-s3-users`. */
    readonly groupName: string;
    /** The inline policy's name, checked; default `AssumeCrossAccountS3AccessRole`. */
    readonly groupPolicyName: string;
    /** The users, checked and unique; default `["s3-prod-user"]`. */
    readonly userNames: string[];
    /** The IAM path, checked; default `/`. */
    readonly iamPath: string;
    /** Whether each user gets an access key; default `true`. */
    readonly createAccessKeys: boolean;
    /** As {@link AssumeRoleUsersArgs.pgpKey}. */
    readonly pgpKey?: string;
    /** The source profile's name; default `green`. */
    readonly sourceProfileName: string;
    /** The role profile's name; default `blue`. */
    readonly roleProfileName: string;
    /** The ExternalId written to the role profile, checked. */
    readonly externalId?: string;
    /** The MFA device written to the role profile, checked. */
    readonly mfaSerial?: string;
    /** As {@link AssumeRoleUsersArgs.tags}. */
    readonly tags?: Record<string, string>;
}

/**
 * Checks the arguments and fills in the defaults; throws {@link InvalidInputError} naming the argument.
 * @param args The component's arguments.
 * @param name How each argument is named in errors; default `AssumeRoleUsersArgs.FIELD`.
 */
export function resolveAssumeRoleUsersArgs(args: AssumeRoleUsersArgs, name: FieldNamer = argumentNamer("AssumeRoleUsersArgs")): ResolvedAssumeRoleUsersArgs {
    if (!args || args.roleArn === undefined) {
        throw new InvalidInputError(name("roleArn"), "no role ARN was given", "Pass the resource account's role ARN, e.g. the blue stack's roleArn output");
    }
    if (typeof args.roleArn === "string") {
        checkAssumableRoleArn(args.roleArn, args.identityAccountId, name("roleArn"));
    }
    if (args.identityAccountId !== undefined) {
        checkAccountId(args.identityAccountId, name("identityAccountId"));
    }
    const createAccessKeys = args.createAccessKeys ?? true;
    if (args.pgpKey !== undefined && (!createAccessKeys || args.pgpKey.trim() === "")) {
        throw new InvalidInputError(name("pgpKey"), createAccessKeys ? "it is empty" : "it was given but createAccessKeys is false", "Give a base64 PGP public key or keybase:USERNAME together with createAccessKeys");
    }
    const profiles = args.cliProfiles ?? {};
    const sourceProfileName = checkProfileName(profiles.sourceProfileName ?? DEFAULT_SOURCE_PROFILE, name("cliProfiles.sourceProfileName"));
    const roleProfileName = checkProfileName(profiles.roleProfileName ?? DEFAULT_ROLE_PROFILE, name("cliProfiles.roleProfileName"));
    if (sourceProfileName === roleProfileName) {
        throw new InvalidInputError(name("cliProfiles.roleProfileName"), `both profiles are named ${JSON.stringify(sourceProfileName)}`, "Give the two profiles different names");
    }
    return {
        roleArn: args.roleArn,
        groupName: checkIamName(args.groupName ?? DEFAULT_GROUP_NAME, "group", name("groupName")),
        groupPolicyName: checkIamName(args.groupPolicyName ?? DEFAULT_GROUP_POLICY_NAME, "policy", name("groupPolicyName")),
        userNames: checkUserNames(args.userNames === undefined ? [...DEFAULT_USER_NAMES] : [...args.userNames], name("userNames")),
        iamPath: checkIamPath(args.iamPath ?? DEFAULT_IAM_PATH, name("iamPath")),
        createAccessKeys,
        pgpKey: args.pgpKey,
        sourceProfileName,
        roleProfileName,
        externalId: profiles.externalId === undefined ? undefined : checkExternalId(profiles.externalId, name("cliProfiles.externalId")),
        mfaSerial: profiles.mfaSerial === undefined ? undefined : checkMfaSerial(profiles.mfaSerial, name("cliProfiles.mfaSerial")),
        tags: args.tags,
    };
}

/** A role ARN the identity account can assume: an IAM role ARN in another account. */
export function checkAssumableRoleArn(roleArn: string, identityAccountId: string | undefined, label: string): string {
    checkRoleArn(roleArn, label);
    if (identityAccountId !== undefined) {
        checkDistinctAccounts(parseRoleArn(roleArn)!.accountId, identityAccountId, label);
    }
    return roleArn;
}

/** The group's inline policy for a role ARN, checked against IAM's size limit. */
export function buildGroupPolicy(roleArn: string, label = argumentNamer("AssumeRoleUsersArgs")("roleArn")): string {
    return checkPolicySize(serializePolicy(assumeRolePolicy(roleArn)), "groupInlinePolicies", label);
}

/**
 * The identity (green) account's side of S3 cross-account access: an IAM group whose inline policy
 * allows `sts:AssumeRole` on exactly the resource account's role, IAM users in that group and,
 * by default, an access key for each.
 *
 * Its children use the `aws` provider of this component's `provider`/`providers` options (or the
 * parent's), passed explicitly to each of them.
 */
export class AssumeRoleUsers extends pulumi.ComponentResource {
    /** The group's name. */
    public readonly groupName: pulumi.Output<string>;
    /** The group's ARN. */
    public readonly groupArn: pulumi.Output<string>;
    /** The users' names, in the order given. */
    public readonly userNames: pulumi.Output<string[]>;
    /** Access key id of each user, by user name; empty without access keys. */
    public readonly accessKeyIds: pulumi.Output<Record<string, string>>;
    /** Secret access key of each user, by user name: always a Pulumi secret; empty without access keys or with `pgpKey`. */
    public readonly secretAccessKeys: pulumi.Output<Record<string, string>>;
    /** With `pgpKey`: each user's secret key, PGP-encrypted and base64-encoded, by user name. Otherwise empty. */
    public readonly encryptedSecretAccessKeys: pulumi.Output<Record<string, string>>;
    /**
     * AWS CLI config text with the source profile (the first user's keys) and the role profile
     * (`role_arn`, `source_profile`, `region`): always a Pulumi secret. Empty without plain-text keys.
     */
    public readonly cliConfig: pulumi.Output<string>;
    /** The group's inline policy as applied (JSON). */
    public readonly groupPolicy: pulumi.Output<string>;
    /** The IAM users, by user name: for resources that must wait for them, such as a role that trusts them. */
    public readonly users: Readonly<Record<string, iam.User>>;

    /**
     * Checks the arguments (throwing {@link InvalidInputError} before any child is registered), then
     * creates the group and its policy, the users, their memberships and access keys.
     * @param name The component's name; children are named after it.
     * @param args What to create; see {@link AssumeRoleUsersArgs}.
     * @param opts Resource options; `provider`/`providers` choose the identity account's credentials.
     */
    constructor(name: string, args: AssumeRoleUsersArgs, opts?: pulumi.ComponentResourceOptions) {
        // Checked before the component itself is registered: bad input leaves nothing behind.
        const resolved = resolveAssumeRoleUsersArgs(args);
        const importIds = checkAdoptExisting(args.adoptExisting, "AssumeRoleUsersArgs.adoptExisting") ? greenImportIds(resolved) : undefined;
        super(TYPE_TOKENS.AssumeRoleUsers, name, {}, opts);
        const provider = this.getProvider("aws::");
        const childOpts: pulumi.CustomResourceOptions = { parent: this, provider };
        const roleArn = pulumi.output(resolved.roleArn).apply((arn) =>
            checkAssumableRoleArn(arn, args.identityAccountId, "AssumeRoleUsersArgs.roleArn"));

        const group = new iam.Group(`${name}-group`, {
            name: resolved.groupName,
            path: resolved.iamPath,
        }, { ...childOpts, import: importIds?.group });

        this.groupPolicy = roleArn.apply((arn) => buildGroupPolicy(arn));
        new iam.GroupPolicy(`${name}-assume-role-policy`, {
            group: group.name,
            name: resolved.groupPolicyName,
            policy: this.groupPolicy,
        }, { ...childOpts, import: importIds?.groupPolicy });

        const keyIds: Record<string, pulumi.Output<string>> = {};
        const secrets: Record<string, pulumi.Output<string>> = {};
        const encryptedSecrets: Record<string, pulumi.Output<string>> = {};
        const users: Record<string, iam.User> = {};
        for (const userName of resolved.userNames) {
            const user = users[userName] = new iam.User(`${name}-user-${userName}`, {
                name: userName,
                path: resolved.iamPath,
                forceDestroy: false,
                tags: resolved.tags,
            }, { ...childOpts, import: importIds?.users[userName].user });
            new iam.UserGroupMembership(`${name}-user-${userName}-membership`, {
                user: user.name,
                groups: [group.name],
            }, { ...childOpts, import: importIds?.users[userName].membership });
            if (resolved.createAccessKeys) {
                // Never imported, even when adopting: an imported key has no secret to hand out.
                const key = new iam.AccessKey(`${name}-user-${userName}-access-key`, {
                    user: user.name,
                    pgpKey: resolved.pgpKey,
                }, childOpts);
                keyIds[userName] = key.id;
                if (resolved.pgpKey) {
                    encryptedSecrets[userName] = key.encryptedSecret;
                } else {
                    secrets[userName] = key.secret;
                }
            }
        }

        this.users = users;
        this.groupName = group.name;
        this.groupArn = group.arn;
        this.userNames = pulumi.output(resolved.userNames);
        this.accessKeyIds = pulumi.output(keyIds);
        this.secretAccessKeys = pulumi.secret(pulumi.output(secrets));
        this.encryptedSecretAccessKeys = pulumi.output(encryptedSecrets);

        const firstUser = resolved.userNames[0];
        const region = args.cliProfiles?.region ?? getRegionOutput({}, { parent: this, provider }).region;
        this.cliConfig = pulumi.secret(pulumi.all([keyIds[firstUser], secrets[firstUser], roleArn, region])
            .apply(([accessKeyId, secretAccessKey, arn, profileRegion]) =>
                accessKeyId && secretAccessKey
                    ? renderCliProfiles({
                        sourceProfileName: resolved.sourceProfileName,
                        roleProfileName: resolved.roleProfileName,
                        accessKeyId,
                        secretAccessKey,
                        roleArn: arn,
                        region: profileRegion,
                        externalId: resolved.externalId,
                        mfaSerial: resolved.mfaSerial,
                    })
                    : ""));

        this.registerOutputs({
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
