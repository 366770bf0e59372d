/**
 * The identity account's (green) half: a group allowed to assume the bucket role, its users,
 * and their access keys. Usable alone in a stack that holds only the identity account's credentials.
 */
import * as pulumi from "@pulumi/pulumi";
import * as iam from "@pulumi/aws/iam";
import { getRegionOutput } from "@pulumi/aws/getRegion";
import { GreenImportIds, greenImportIds } from "./adoption";
import { parseRoleArn, Partition } from "./arns";
import { ArgumentCheck, checkedValue, isDeferred, isResolved, LaterCheckResult, Resolved, RESOLVED } from "./argumentCheck";
import { renderCliProfiles } from "./cliProfiles";
import {
    DEFAULT_GROUP_NAME,
    DEFAULT_GRANT_POLICY_NAME,
    DEFAULT_GROUP_POLICY_NAME,
    DEFAULT_IAM_PATH,
    DEFAULT_ROLE_PROFILE,
    DEFAULT_SOURCE_PROFILE,
    DEFAULT_USER_NAMES,
} from "./defaults";
import { InvalidArgumentsError } from "./invalidArgumentsError";
import { assumeRolePolicy } from "./policies";
import { serializePolicy } from "./policyDocument";
import { TYPE_TOKENS } from "./typeTokens";
import {
    checkAccountId,
    checkBoolean,
    checkDistinctAccounts,
    checkExternalId,
    checkIamName,
    checkIamPath,
    checkMfaSerial,
    checkNonEmptyString,
    checkPartition,
    checkPolicySize,
    checkProfileName,
    checkRoleArn,
    checkSamePartition,
    checkSettingsObject,
    checkTags,
    checkGreenPrincipalNames,
    checkPermissionSetNames,
    checkUserNames,
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
    /**
     * The ExternalId the role requires, written as `external_id`: a string, or a secret output. A string
     * is checked at once, an output when it resolves. Default: none.
     */
    readonly externalId?: pulumi.Input<string>;
    /**
     * The ARN of the user's MFA device, written as `mfa_serial`, for a role that requires MFA: the
     * CLI then asks for a code. Default: none. The component creates no MFA device.
     */
    readonly mfaSerial?: string;
}

/** Arguments of {@link AssumeRoleUsers}; each is also checked for its type at run time, for JavaScript and YAML callers. */
export interface AssumeRoleUsersArgs {
    /**
     * The ARN of the role in the resource (blue) account, e.g. a StackReference output, in `partition`.
     * A plain string is checked at once; an output is checked when it resolves. Required.
     */
    readonly roleArn: pulumi.Input<string>;
    /** The identity (green) account, when known: checked to differ from the role's account. Default: not checked. */
    readonly greenAccountId?: string;
    /** The AWS partition of the accounts; the role ARN and `cliProfiles.mfaSerial` must be in it. Default `aws`. */
    readonly partition?: Partition;
    /** The group's name. Default `prod-s3-users`. */
    readonly groupName?: string;
    /** The name of the group's inline policy. Default `AssumeCrossAccountS3AccessRole`. */
    readonly groupPolicyName?: string;
    /**
     * The users to create in the group; unique ignoring case. `[]` creates no group, user or access key
     * (keyless: grant `greenRoleNames`, `greenGroupNames` or `permissionSetNames` instead). Default `["s3-prod-user"]`.
     */
    readonly userNames?: readonly string[];
    /**
     * Existing IAM roles of the green account to grant `sts:AssumeRole` on the role, by name (e.g. a CI
     * role a GitHub Actions job assumes through OIDC). Each gets the managed policy `grantPolicyName`
     * attached; the roles themselves are not managed. Not an IAM Identity Center role
     * (`AWSReservedSSO_...`): IAM refuses to change those ("protected role"); reference the managed
     * policy from the permission set instead. Unique ignoring case. Default: none.
     */
    readonly greenRoleNames?: readonly string[];
    /** Existing IAM groups of the green account to grant the same way, by name; not managed. Unique ignoring case. Default: none. */
    readonly greenGroupNames?: readonly string[];
    /**
     * IAM Identity Center permission sets (by name) whose roles in the green account should be granted:
     * the managed policy `grantPolicyName` is then created even with no role or group to attach it to,
     * for you to add to each permission set's customer managed policies in Identity Center (this
     * component cannot: permission sets live in the organization's Identity Center account). Trust their
     * roles on the blue side with `trustedPrincipalArnPatterns`. Unique. Default: none.
     */
    readonly permissionSetNames?: readonly string[];
    /**
     * The customer managed policy that grants `greenRoleNames`, `greenGroupNames` and the roles of
     * `permissionSetNames` (`sts:AssumeRole` on exactly the role), created only when one of them is given. One managed policy attached to each,
     * not an inline policy per principal: one document to review, and an IAM Identity Center permission
     * set can reference it by name and path. Default `AssumeCrossAccountS3AccessRole`.
     */
    readonly grantPolicyName?: string;
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
     * from the names given, as the README's adoption section lists) instead of creating them. Access keys are never imported (AWS never
     * returns a key's secret): with `createAccessKeys` a new key is created next to the hand-made one.
     * The roles and groups of `greenRoleNames`/`greenGroupNames` are not managed and so never imported;
     * their grant policy and attachments are always created (the walkthrough has none); with
     * `userNames: []` there is no group or user to import. After the first successful `pulumi up`,
     * turn it off again. Default `false`.
     */
    readonly adoptExisting?: boolean;
}

/** {@link AssumeRoleUsersArgs} checked, with their defaults filled in. Internal. */
export interface ResolvedAssumeRoleUsersArgs extends AssumeRoleUsersArgs, Resolved {
    readonly partition: Partition;
    readonly groupName: string;
    readonly groupPolicyName: string;
    readonly userNames: string[];
    readonly greenRoleNames: string[];
    readonly greenGroupNames: string[];
    readonly permissionSetNames: string[];
    readonly grantPolicyName: string;
    readonly iamPath: string;
    readonly createAccessKeys: boolean;
    /** Whether the group, its policy, the users and memberships are imported (adopted) instead of created. */
    readonly adoptExisting: boolean;
    /** With `adoptExisting`: the import id of each resource. */
    readonly importIds?: GreenImportIds;
    readonly cliProfiles: CliProfileArgs & { readonly sourceProfileName: string; readonly roleProfileName: string };
    /** The group's inline policy (JSON), size-checked, when the role ARN is a plain string. */
    readonly groupPolicy?: string;
    /** How problems found later (in an output) are reported: the arguments' name and the path prefix. */
    readonly checkedAs: { readonly subject: string; readonly prefix: string };
    /** The check of an ExternalId given as an output, run once when it resolves. */
    readonly checkedExternalId?: pulumi.Output<LaterCheckResult<string>>;
}

/** What the green side's settings are checked against. */
interface GreenContext {
    /** The green account, already checked, when known. */
    readonly greenAccountId?: string;
    /** The partition, already checked. */
    readonly partition: Partition;
}

/** Reads an optional field: `undefined` stays `undefined`, anything else goes through `check`. */
function optional<T>(check: ArgumentCheck, value: unknown, path: string, run: (value: unknown, label: string) => T): T | undefined {
    return value === undefined ? undefined : check.field(path, (label) => run(value, label));
}

/**
 * Checks the green side's settings, recording every problem in `check`; returns the resolved arguments,
 * or `undefined` when there was a problem. Internal: the composite calls it with `check.under("green")`.
 */
export function checkAssumeRoleSettings(settings: unknown, context: GreenContext, check: ArgumentCheck, subject: string): ResolvedAssumeRoleUsersArgs | undefined {
    const before = check.problems.length;
    const args = (settings ?? {}) as Record<string, unknown>;
    const createAccessKeys = optional(check, args.createAccessKeys, "createAccessKeys", checkBoolean) ?? true;
    const pgpKey = optional(check, args.pgpKey, "pgpKey", checkNonEmptyString);
    if (pgpKey !== undefined && !createAccessKeys) {
        check.add("pgpKey", "it was given but createAccessKeys is false", "Give a base64 PGP public key or keybase:USERNAME together with createAccessKeys");
    }
    const profiles = (args.cliProfiles === undefined ? {} : (check.field("cliProfiles", (label) => checkSettingsObject(args.cliProfiles, label)) ?? {})) as Record<string, unknown>;
    const sourceProfileName = check.field("cliProfiles.sourceProfileName", (label) => checkProfileName(profiles.sourceProfileName ?? DEFAULT_SOURCE_PROFILE, label));
    const roleProfileName = check.field("cliProfiles.roleProfileName", (label) => checkProfileName(profiles.roleProfileName ?? DEFAULT_ROLE_PROFILE, label));
    if (sourceProfileName !== undefined && sourceProfileName === roleProfileName) {
        check.add("cliProfiles.sourceProfileName", `both profiles are named ${JSON.stringify(sourceProfileName)}`, "Give the two profiles different names");
    }
    const externalId = isDeferred(profiles.externalId) ? profiles.externalId : optional(check, profiles.externalId, "cliProfiles.externalId", checkExternalId);
    const checkedExternalId = isDeferred(profiles.externalId) ? pulumi.secret(check.later("cliProfiles.externalId", profiles.externalId, checkExternalId)) : undefined;
    const greenRoleNames = optional(check, args.greenRoleNames, "greenRoleNames", (value, label) => checkGreenPrincipalNames(value, "role", label)) ?? [];
    const greenGroupNames = optional(check, args.greenGroupNames, "greenGroupNames", (value, label) => checkGreenPrincipalNames(value, "group", label)) ?? [];
    const permissionSetNames = optional(check, args.permissionSetNames, "permissionSetNames", checkPermissionSetNames) ?? [];
    const resolved: ResolvedAssumeRoleUsersArgs = {
        [RESOLVED]: true,
        checkedAs: { subject, prefix: check.pathOf("") },
        checkedExternalId,
        // Set by withRoleArn.
        roleArn: "",
        greenAccountId: context.greenAccountId,
        partition: context.partition,
        groupName: check.field("groupName", (label) => checkIamName(args.groupName ?? DEFAULT_GROUP_NAME, "group", label)) ?? "",
        groupPolicyName: check.field("groupPolicyName", (label) => checkIamName(args.groupPolicyName ?? DEFAULT_GROUP_POLICY_NAME, "policy", label)) ?? "",
        // Empty only with a role or group to grant instead: at least one principal of some kind.
        userNames:
            check.field("userNames", (label) =>
                checkUserNames(
                    args.userNames === undefined ? [...DEFAULT_USER_NAMES] : args.userNames,
                    label,
                    [args.greenRoleNames, args.greenGroupNames, args.permissionSetNames].some((list) => Array.isArray(list) && list.length > 0),
                ),
            ) ?? [],
        greenRoleNames,
        greenGroupNames,
        permissionSetNames,
        grantPolicyName: check.field("grantPolicyName", (label) => checkIamName(args.grantPolicyName ?? DEFAULT_GRANT_POLICY_NAME, "policy", label)) ?? "",
        iamPath: check.field("iamPath", (label) => checkIamPath(args.iamPath ?? DEFAULT_IAM_PATH, label)) ?? "/",
        createAccessKeys,
        adoptExisting: optional(check, args.adoptExisting, "adoptExisting", checkBoolean) ?? false,
        pgpKey,
        cliProfiles: {
            sourceProfileName: sourceProfileName ?? "",
            roleProfileName: roleProfileName ?? "",
            region: profiles.region as pulumi.Input<string> | undefined,
            externalId,
            mfaSerial: optional(check, profiles.mfaSerial, "cliProfiles.mfaSerial", (value, label) => checkSamePartition(checkMfaSerial(value, label), context.partition, label)),
        },
        tags: optional(check, args.tags, "tags", checkTags),
    };
    if (resolved.userNames.length > 0 && greenGroupNames.some((group) => group.toLowerCase() === resolved.groupName.toLowerCase())) {
        check.add(
            "greenGroupNames",
            `${JSON.stringify(resolved.groupName)} is also the group this component creates for userNames`,
            "Grant another existing group, or set groupName to a different name",
        );
    }
    if (check.problems.length > before) {
        return undefined;
    }
    return resolved.adoptExisting ? { ...resolved, importIds: greenImportIds(resolved) } : resolved;
}

/**
 * The resolved green arguments with the role ARN: a plain string is checked now (with the group policy
 * built from it), an output once it resolves. Internal: the program adds the ARN it read from the blue
 * stack, the composite the blue role's ARN output.
 */
export function withRoleArn(resolved: ResolvedAssumeRoleUsersArgs | undefined, roleArn: unknown, check: ArgumentCheck): ResolvedAssumeRoleUsersArgs | undefined {
    if (roleArn === undefined) {
        check.add("roleArn", "no role ARN was given", "Pass the resource account's role ARN, e.g. the blue stack's roleArn output");
        return undefined;
    }
    if (isDeferred(roleArn)) {
        return resolved && { ...resolved, roleArn };
    }
    const arn = check.field("roleArn", (label) => checkAssumableRoleArn(roleArn, resolved?.greenAccountId, resolved?.partition ?? "aws", label));
    const groupPolicy = arn === undefined ? undefined : check.across("roleArn", (label) => buildGroupPolicy(arn, label));
    return resolved && arn !== undefined && groupPolicy !== undefined ? { ...resolved, roleArn: arn, groupPolicy } : undefined;
}

/**
 * Checks the arguments of {@link AssumeRoleUsers} and fills in the defaults; throws one
 * {@link InvalidArgumentsError} listing every problem. Internal (tools build the same policy with it).
 */
export function resolveAssumeRoleUsersArgs(args: AssumeRoleUsersArgs): ResolvedAssumeRoleUsersArgs {
    const check = ArgumentCheck.start();
    const given = (args ?? {}) as Partial<Record<keyof AssumeRoleUsersArgs, unknown>>;
    const greenAccountId = optional(check, given.greenAccountId, "greenAccountId", checkAccountId);
    const partition = check.field("partition", (label) => checkPartition(given.partition ?? "aws", label)) ?? "aws";
    const resolved = withRoleArn(checkAssumeRoleSettings(args, { greenAccountId, partition }, check, "AssumeRoleUsersArgs"), given.roleArn, check);
    check.throwIfAny("AssumeRoleUsersArgs");
    return resolved!;
}

/** A role ARN the green account can assume: an IAM role ARN in the partition, in another account. */
function checkAssumableRoleArn(roleArn: unknown, greenAccountId: string | undefined, partition: Partition, label: string): string {
    const arn = checkRoleArn(roleArn, label);
    checkSamePartition(arn, partition, label);
    if (greenAccountId !== undefined) {
        checkDistinctAccounts(parseRoleArn(arn)!.accountId, greenAccountId, label);
    }
    return arn;
}

/** The group's inline policy for a role ARN, checked against IAM's size limit. */
export function buildGroupPolicy(roleArn: string, label = "AssumeRoleUsersArgs.roleArn"): string {
    return checkPolicySize(serializePolicy(assumeRolePolicy(roleArn)), "groupInlinePolicies", label);
}

/** Runs a check on a value that became known later (an output), as one {@link InvalidArgumentsError}. */
function checkResolvedLater<T>(args: ResolvedAssumeRoleUsersArgs, run: (prefix: string) => T): T {
    try {
        return run(args.checkedAs.prefix);
    } catch (error) {
        if (error instanceof InvalidInputError) {
            throw new InvalidArgumentsError(args.checkedAs.subject, [{ propertyPath: error.label, problem: error.problem, fix: error.fix }]);
        }
        throw error;
    }
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
    /** The group's name; `undefined` without users (keyless). */
    public readonly groupName: pulumi.Output<string | undefined>;
    /** The group's ARN; `undefined` without users (keyless). */
    public readonly groupArn: pulumi.Output<string | undefined>;
    /** The ARN of the managed policy granting `greenRoleNames` and `greenGroupNames`; `undefined` when none is granted. */
    public readonly grantPolicyArn: pulumi.Output<string | undefined>;
    /** The existing roles granted, as given. */
    public readonly greenRoleNames: pulumi.Output<string[]>;
    /** The existing groups granted, as given. */
    public readonly greenGroupNames: pulumi.Output<string[]>;
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
     * (`role_arn`, `source_profile`, `region`): then always a Pulumi secret; empty without plain-text keys.
     * Without users (keyless): only the role profile, whose `source_profile` is the user's own profile
     * (`cliProfiles.sourceProfileName`, e.g. an SSO profile); plain unless it holds an ExternalId.
     */
    public readonly cliConfig: pulumi.Output<string>;
    /** The group's inline policy as applied (JSON). */
    public readonly groupPolicy: pulumi.Output<string>;
    /** The IAM users, by user name: for resources that must wait for them, such as a role that trusts them. */
    public readonly users: Readonly<Record<string, iam.User>>;

    /**
     * Checks the arguments (throwing one {@link InvalidArgumentsError} listing every problem, before
     * anything is registered), then creates the group and its policy, the users, their memberships and access keys.
     * @param name The component's name; children are named after it.
     * @param args What to create; see {@link AssumeRoleUsersArgs}.
     * @param opts Resource options; `provider`/`providers` choose the identity account's credentials.
     */
    constructor(name: string, args: AssumeRoleUsersArgs, opts?: pulumi.ComponentResourceOptions) {
        // Checked before the component itself is registered: bad input leaves nothing behind. Arguments
        // the composite (or the program) already resolved are not checked again.
        const resolved = isResolved<ResolvedAssumeRoleUsersArgs>(args) ? args : resolveAssumeRoleUsersArgs(args);
        super(TYPE_TOKENS.AssumeRoleUsers, name, {}, opts);
        const provider = this.getProvider("aws::");
        const childOpts: pulumi.CustomResourceOptions = { parent: this, provider };
        // A plain role ARN was checked with the arguments; an output is checked once, when it resolves.
        const roleArn =
            typeof resolved.roleArn === "string"
                ? pulumi.output(resolved.roleArn)
                : pulumi
                      .output(resolved.roleArn)
                      .apply((arn) => checkResolvedLater(resolved, (prefix) => checkAssumableRoleArn(arn, resolved.greenAccountId, resolved.partition, `${prefix}roleArn`)));

        // The walkthrough's group, its inline policy and users: only when there are users to put in it.
        const withUsers = resolved.userNames.length > 0;
        const group = withUsers
            ? new iam.Group(
                  `${name}-group`,
                  {
                      name: resolved.groupName,
                      path: resolved.iamPath,
                  },
                  { ...childOpts, import: resolved.importIds?.group },
              )
            : undefined;

        this.groupPolicy =
            resolved.groupPolicy !== undefined
                ? pulumi.output(resolved.groupPolicy)
                : roleArn.apply((arn) => checkResolvedLater(resolved, (prefix) => buildGroupPolicy(arn, `${prefix}roleArn`)));
        if (group) {
            new iam.GroupPolicy(
                `${name}-assume-role-policy`,
                {
                    group: group.name,
                    name: resolved.groupPolicyName,
                    policy: this.groupPolicy,
                },
                { ...childOpts, import: resolved.importIds?.groupPolicy },
            );
        }

        // Existing principals (keyless): one managed policy, attached to each. Never imported: the
        // walkthrough has no such policy, and the roles and groups themselves are not managed here.
        const granted = resolved.greenRoleNames.length + resolved.greenGroupNames.length + resolved.permissionSetNames.length > 0;
        const grantPolicy = granted
            ? new iam.Policy(
                  `${name}-grant-policy`,
                  {
                      name: resolved.grantPolicyName,
                      path: resolved.iamPath,
                      // Constant: IAM replaces a managed policy whose description changes.
                      description: "sts:AssumeRole on the cross-account S3 access role (managed by Pulumi)",
                      // The same document as the group's inline policy; a managed policy's limit (6,144) is larger.
                      policy: this.groupPolicy,
                      tags: resolved.tags,
                  },
                  childOpts,
              )
            : undefined;
        for (const roleName of resolved.greenRoleNames) {
            new iam.RolePolicyAttachment(`${name}-grant-role-${roleName}`, { role: roleName, policyArn: grantPolicy!.arn }, childOpts);
        }
        for (const groupName of resolved.greenGroupNames) {
            new iam.GroupPolicyAttachment(`${name}-grant-group-${groupName}`, { group: groupName, policyArn: grantPolicy!.arn }, childOpts);
        }

        const keyIds: Record<string, pulumi.Output<string>> = {};
        const secrets: Record<string, pulumi.Output<string>> = {};
        const encryptedSecrets: Record<string, pulumi.Output<string>> = {};
        const users: Record<string, iam.User> = {};
        for (const userName of resolved.userNames) {
            const user = (users[userName] = new iam.User(
                `${name}-user-${userName}`,
                {
                    name: userName,
                    path: resolved.iamPath,
                    forceDestroy: false,
                    tags: resolved.tags,
                },
                { ...childOpts, import: resolved.importIds?.users[userName].user },
            ));
            new iam.UserGroupMembership(
                `${name}-user-${userName}-membership`,
                {
                    user: user.name,
                    groups: [group!.name],
                },
                { ...childOpts, import: resolved.importIds?.users[userName].membership },
            );
            if (resolved.createAccessKeys) {
                // Never imported, even when adopting: an imported key has no secret to hand out.
                const key = new iam.AccessKey(
                    `${name}-user-${userName}-access-key`,
                    {
                        user: user.name,
                        pgpKey: resolved.pgpKey,
                    },
                    childOpts,
                );
                keyIds[userName] = key.id;
                if (resolved.pgpKey) {
                    encryptedSecrets[userName] = key.encryptedSecret;
                } else {
                    secrets[userName] = key.secret;
                }
            }
        }

        this.users = users;
        this.groupName = group ? group.name : pulumi.output(undefined);
        this.groupArn = group ? group.arn : pulumi.output(undefined);
        this.userNames = pulumi.output(resolved.userNames);
        this.grantPolicyArn = grantPolicy ? grantPolicy.arn : pulumi.output(undefined);
        this.greenRoleNames = pulumi.output(resolved.greenRoleNames);
        this.greenGroupNames = pulumi.output(resolved.greenGroupNames);
        this.accessKeyIds = pulumi.output(keyIds);
        this.secretAccessKeys = pulumi.secret(pulumi.output(secrets));
        this.encryptedSecretAccessKeys = pulumi.output(encryptedSecrets);

        const firstUser = resolved.userNames[0];
        const profiles = resolved.cliProfiles;
        const region = profiles.region ?? getRegionOutput({}, { parent: this, provider }).region;
        // A plain ExternalId was checked with the arguments; an output once, when it resolved.
        const externalId = resolved.checkedExternalId ? checkedValue(resolved.checkedExternalId, resolved.checkedAs.subject) : profiles.externalId;
        const profileOf = (arn: string, profileRegion: string, profileExternalId: string | undefined, key?: { accessKeyId: string; secretAccessKey: string }) =>
            renderCliProfiles({
                sourceProfileName: profiles.sourceProfileName,
                roleProfileName: profiles.roleProfileName,
                ...key,
                roleArn: arn,
                region: profileRegion,
                externalId: profileExternalId,
                mfaSerial: profiles.mfaSerial,
            });
        if (withUsers) {
            this.cliConfig = pulumi.secret(
                pulumi
                    .all([keyIds[firstUser], secrets[firstUser], roleArn, region, externalId])
                    .apply(([accessKeyId, secretAccessKey, arn, profileRegion, profileExternalId]) =>
                        accessKeyId && secretAccessKey ? profileOf(arn, profileRegion, profileExternalId, { accessKeyId, secretAccessKey }) : "",
                    ),
            );
        } else {
            // Keyless: only the role profile, whose source profile is the user's own (SSO, CI role). It holds
            // no key; it is a secret only when it holds the ExternalId.
            const text = pulumi.all([roleArn, region, externalId]).apply(([arn, profileRegion, profileExternalId]) => profileOf(arn, profileRegion, profileExternalId));
            this.cliConfig = externalId === undefined ? text : pulumi.secret(text);
        }

        this.registerOutputs({
            groupName: this.groupName,
            groupArn: this.groupArn,
            userNames: this.userNames,
            grantPolicyArn: this.grantPolicyArn,
            greenRoleNames: this.greenRoleNames,
            greenGroupNames: this.greenGroupNames,
            accessKeyIds: this.accessKeyIds,
            secretAccessKeys: this.secretAccessKeys,
            encryptedSecretAccessKeys: this.encryptedSecretAccessKeys,
            cliConfig: this.cliConfig,
        });
    }
}
