/**
 * Reads the stack's config and checks all of it at once: the program's own keys here, the component
 * arguments by the components' own resolvers (each field once). Every problem is reported in one
 * error naming the config key, before any resource is registered.
 */
import * as pulumi from "@pulumi/pulumi";
import { ArgumentCheck } from "../components/argumentCheck";
import { checkAssumeRoleSettings, ResolvedAssumeRoleUsersArgs } from "../components/assumeRoleUsers";
import { checkBucketAccessRoleArgs, ResolvedBucketAccessRoleArgs } from "../components/bucketAccessRole";
import { BlueSideSettings, checkCrossAccountSettings, GreenSideSettings, ResolvedCrossAccountSettings } from "../components/crossAccountBucketAccess";
import { InputProblem, InvalidArgumentsError } from "../components/invalidArgumentsError";
import { checkAccountId, checkDistinctAccounts, checkProfileName, checkRegion, checkRoleArn } from "../components/validation";
import type { VersioningSetting } from "../components/versioning";

/** Which side(s) of the setup a stack deploys. */
const SIDES = ["blue", "green", "both"] as const;

/** `blue`: the resource account; `green`: the identity account; `both`: both, with two providers. */
export type Side = (typeof SIDES)[number];

/** How the program reaches one account. */
export interface AccountAccess {
    /** The account's 12-digit id; the provider refuses to act in any other (`allowedAccountIds`). */
    readonly accountId: string;
    /** The region. */
    readonly region: string;
    /** The AWS CLI profile with the account's credentials; default: the standard credential chain. */
    readonly profile?: string;
    /** A role to assume in the account with those credentials. */
    readonly assumeRoleArn?: string;
}

/** The checked config of one stack, with the components' arguments already resolved. */
export interface StackConfig {
    /** Which side(s) this stack deploys. */
    readonly side: Side;
    /** The resource (blue) account and how to reach it (only used on the blue and both sides). */
    readonly blue: AccountAccess;
    /** The identity (green) account and how to reach it (only used on the green and both sides). */
    readonly green: AccountAccess;
    /** side=blue: the blue component's arguments, resolved. */
    readonly blueArgs?: ResolvedBucketAccessRoleArgs;
    /** side=green: the green component's arguments, resolved but for the role ARN (read from the blue stack). */
    readonly greenArgs?: ResolvedAssumeRoleUsersArgs;
    /** side=both: both sides' arguments, resolved. */
    readonly bothArgs?: ResolvedCrossAccountSettings;
    /** The ExternalId as read from config: a secret output, when it is set. */
    readonly externalId?: pulumi.Output<string>;
    /** The green side's StackReference to the blue stack (`ORG/PROJECT/STACK`). */
    readonly blueStack?: string;
}

/** The label of a config key of this project, as users write it: `cross-account-s3:KEY`. */
export function configKey(key: string): string {
    return `${pulumi.getProject()}:${key}`;
}

/**
 * The one table from the components' property paths to this project's config keys (the blue/green
 * prefix of the composite dropped; a list index is kept, e.g. `trustedPrincipalArns[0]`).
 */
export const CONFIG_KEY_OF_PROPERTY: Readonly<Record<string, string>> = {
    blueAccountId: "blueAccountId",
    greenAccountId: "greenAccountId",
    bucketName: "bucketName",
    createBucket: "createBucket",
    retainBucketOnDelete: "retainBucketOnDelete",
    "bucketSecurity.blockPublicAccess": "blockPublicAccess",
    "bucketSecurity.enforceBucketOwner": "enforceBucketOwner",
    "bucketSecurity.encryption": "encryption",
    "bucketSecurity.denyInsecureTransport": "denyInsecureTransport",
    "bucketSecurity.versioning": "versioning",
    roleName: "roleName",
    policyName: "policyName",
    iamPath: "iamPath",
    trustedPrincipalArns: "trustedPrincipalArns",
    trustedPrincipalArnPatterns: "trustedPrincipalArnPatterns",
    externalId: "externalId",
    requireMfa: "requireMfa",
    principalOrgId: "principalOrgId",
    objectKeyPrefix: "objectKeyPrefix",
    readOnly: "readOnly",
    kmsKeyArn: "kmsKeyArn",
    maxSessionDurationSeconds: "maxSessionDurationSeconds",
    permissionsBoundaryArn: "permissionsBoundaryArn",
    groupName: "groupName",
    groupPolicyName: "groupPolicyName",
    userNames: "userNames",
    greenRoleNames: "greenRoleNames",
    greenGroupNames: "greenGroupNames",
    permissionSetNames: "permissionSetNames",
    grantPolicyName: "grantPolicyName",
    "cliProfiles.sourceProfileName": "sourceProfileName",
    createAccessKeys: "createAccessKeys",
    pgpKey: "pgpKey",
    "cliProfiles.externalId": "externalId",
    "cliProfiles.mfaSerial": "mfaSerial",
    adoptExisting: "adoptExisting",
    roleArn: "blueStack",
};

/**
 * The config key a problem is about: the program's own problems already name one (`KEY:NAME`); a
 * component's property path goes through {@link CONFIG_KEY_OF_PROPERTY}.
 */
function configKeyOfProperty(propertyPath: string, blueStack?: string): string {
    if (propertyPath.includes(":")) {
        return propertyPath;
    }
    const local = propertyPath.replace(/^(blue|green)\./, "");
    const index = local.indexOf("[");
    const head = index < 0 ? local : local.slice(0, index);
    const key = CONFIG_KEY_OF_PROPERTY[head];
    if (key === undefined) {
        // Every argument the program passes is in the table (test/projectConfig.spec.ts); this is a safety net.
        return `${configKey(head)} (argument ${propertyPath})`;
    }
    if (key === "blueStack" && blueStack !== undefined) {
        return `${configKey(key)} (output roleArn of ${blueStack})`;
    }
    return configKey(key) + (index < 0 ? "" : local.slice(index));
}

/**
 * Throws one error with every problem found, each named by its config key; one problem per key (the
 * first), so that a key the program already refused is not reported again by a component.
 */
export function throwConfigProblems(check: ArgumentCheck, blueStack?: string): void {
    const byKey = new Map<string, InputProblem>();
    for (const problem of check.problems) {
        const key = configKeyOfProperty(problem.propertyPath, blueStack);
        const base = key.replace(/\[\d+\]$/, "");
        if (![...byKey.keys()].some((known) => known === key || known === base)) {
            byKey.set(key, { ...problem, propertyPath: key });
        }
    }
    if (byKey.size > 0) {
        throw new InvalidArgumentsError("", [...byKey.values()]);
    }
}

/**
 * Reads the project's config; a value that is not of its type becomes a problem of its key. Strings
 * that are empty count as not set (their Pulumi.yaml default).
 */
class ConfigReader {
    private readonly config = new pulumi.Config();

    constructor(private readonly check: ArgumentCheck) {}

    string(key: string): string | undefined {
        const value = this.config.get(key);
        return value === undefined || value === "" ? undefined : value;
    }

    /**
     * A secret: read as a secret output, never as plain text. Empty counts as not set, like every other
     * key (the Pulumi.yaml default `""` keeps the key optional: a declared key without a default is required).
     */
    secret(key: string): pulumi.Output<string> | undefined {
        // The raw lookup, not config.get: that one warns when it reads a secret key.
        const raw = pulumi.runtime.getConfig(configKey(key));
        return raw === undefined || raw === "" ? undefined : this.config.getSecret(key);
    }

    boolean(key: string): boolean | undefined {
        const value = this.string(key);
        if (value === undefined || value === "true" || value === "false") {
            return value === undefined ? undefined : value === "true";
        }
        this.check.add(configKey(key), `${JSON.stringify(value)} is not a boolean`, `Set it to true or false: pulumi config set ${key} true`);
        return undefined;
    }

    /** `true`, `false` or `suspended` (see the component's `VersioningSetting`). */
    versioning(key: string): VersioningSetting | undefined {
        const value = this.string(key);
        if (value === undefined || value === "true" || value === "false") {
            return value === undefined ? undefined : value === "true";
        }
        if (value === "suspended") {
            return value;
        }
        this.check.add(
            configKey(key),
            `${JSON.stringify(value)} is not a versioning setting`,
            `Set true (versioning on), false (a new bucket stays unversioned) or suspended (turn off versioning that has been on): pulumi config set ${key} suspended`,
        );
        return undefined;
    }

    integer(key: string): number | undefined {
        const value = this.string(key);
        if (value === undefined || /^\d+$/.test(value)) {
            return value === undefined ? undefined : Number(value);
        }
        this.check.add(configKey(key), `${JSON.stringify(value)} is not a whole number`, `Set a number of seconds: pulumi config set ${key} 3600`);
        return undefined;
    }

    stringList(key: string): string[] | undefined {
        const raw = this.string(key);
        if (raw === undefined) {
            return undefined;
        }
        let parsed: unknown;
        try {
            parsed = JSON.parse(raw);
        } catch {
            parsed = undefined;
        }
        if (!Array.isArray(parsed) || !parsed.every((item) => typeof item === "string")) {
            this.check.add(configKey(key), "it is not a list of strings", `Set it as a list: pulumi config set --path '${key}[0]' VALUE`);
            return undefined;
        }
        return parsed;
    }
}

/** Reads `aws:region` and `aws:profile`: the stack's own AWS settings. */
function stackAwsSettings(): { region?: string; profile?: string } {
    const aws = new pulumi.Config("aws");
    return { region: aws.get("region") || undefined, profile: aws.get("profile") || undefined };
}

/** Keys that only one kind of stack uses; only keys whose Pulumi.yaml default is empty can be told apart from a default. */
const BLUE_ONLY_KEYS = ["bucketName", "principalOrgId", "objectKeyPrefix", "kmsKeyArn", "permissionsBoundaryArn"];
const GREEN_ONLY_KEYS = ["blueStack", "pgpKey", "mfaSerial"];
const BOTH_ONLY_KEYS = ["greenProfile", "greenAssumeRoleArn", "greenRegion"];

/**
 * Reads the stack's config and checks all of it, the components' arguments with the components' own
 * resolvers; throws one error listing every problem. Async: a secret (the ExternalId) is checked once
 * its output resolves, which for config is at once, before anything is registered.
 */
export async function readStackConfig(): Promise<StackConfig> {
    const check = ArgumentCheck.start();
    const read = new ConfigReader(check);
    const sideValue = read.string("side");
    if (!SIDES.includes(sideValue as Side)) {
        check.add(
            configKey("side"),
            sideValue === undefined ? "it is not set" : `${JSON.stringify(sideValue)} is not a side`,
            "Set blue (resource account), green (identity account) or both: pulumi config set side blue",
        );
    }
    const side = sideValue as Side;

    const aws = stackAwsSettings();
    if (aws.region === undefined) {
        check.add("aws:region", "it is not set", "Set the region of the stack's resources: pulumi config set aws:region eu-west-1");
    }
    const region = aws.region === undefined ? undefined : check.field("aws:region", (label) => checkRegion(aws.region, label));
    const profile = aws.profile === undefined ? undefined : check.field("aws:profile", (label) => checkProfileName(aws.profile, label));
    const greenProfile = read.string("greenProfile");
    const greenAssumeRoleArn = read.string("greenAssumeRoleArn");
    const greenRegion = read.string("greenRegion");

    if (SIDES.includes(side)) {
        const unexpected = [
            ...(side === "green" ? BLUE_ONLY_KEYS : []),
            ...(side === "blue" ? GREEN_ONLY_KEYS : []),
            ...(side === "both" ? ["blueStack"] : []),
            ...(side !== "both" ? BOTH_ONLY_KEYS : []),
        ].filter((key) => read.string(key) !== undefined);
        for (const key of unexpected) {
            check.add(configKey(key), `it is set, but a stack with side=${side} does not use it`, `Remove it (pulumi config rm ${key}), or set side to the stack it belongs to`);
        }
    }
    if (side === "both" && greenProfile === undefined && greenAssumeRoleArn === undefined) {
        check.add(
            configKey("greenProfile"),
            "a stack with side=both needs credentials for the identity account",
            "Set greenProfile (an AWS CLI profile of the identity account) or greenAssumeRoleArn (a role in it to assume)",
        );
    }
    const blueStack = read.string("blueStack");
    if (side === "green" && blueStack === undefined) {
        check.add(configKey("blueStack"), "it is not set", "Name the blue stack to read the role ARN from: pulumi config set blueStack ORG/cross-account-s3/blue");
    }
    const bucketName = read.string("bucketName");
    if ((side === "blue" || side === "both") && bucketName === undefined) {
        check.add(configKey("bucketName"), "it is not set", "Name the S3 bucket: pulumi config set bucketName my-unique-bucket-name");
    }

    const externalId = read.secret("externalId");
    const createBucket = read.boolean("createBucket");
    const blueSettings: BlueSideSettings = definedOnly({
        bucketName,
        createBucket,
        retainBucketOnDelete: read.boolean("retainBucketOnDelete"),
        bucketSecurity:
            createBucket === false
                ? undefined
                : definedOnly({
                      blockPublicAccess: read.boolean("blockPublicAccess"),
                      enforceBucketOwner: read.boolean("enforceBucketOwner"),
                      encryption: read.boolean("encryption"),
                      denyInsecureTransport: read.boolean("denyInsecureTransport"),
                      versioning: read.versioning("versioning"),
                  }),
        roleName: read.string("roleName"),
        policyName: read.string("policyName"),
        iamPath: read.string("iamPath"),
        // An empty list is the Pulumi.yaml default: trust the whole green account.
        trustedPrincipalArns: read.stringList("trustedPrincipalArns")?.length ? read.stringList("trustedPrincipalArns") : undefined,
        trustedPrincipalArnPatterns: read.stringList("trustedPrincipalArnPatterns")?.length ? read.stringList("trustedPrincipalArnPatterns") : undefined,
        externalId,
        requireMfa: read.boolean("requireMfa"),
        principalOrgId: read.string("principalOrgId"),
        objectKeyPrefix: read.string("objectKeyPrefix"),
        readOnly: read.boolean("readOnly"),
        kmsKeyArn: read.string("kmsKeyArn"),
        maxSessionDurationSeconds: read.integer("maxSessionDurationSeconds"),
        permissionsBoundaryArn: read.string("permissionsBoundaryArn"),
        adoptExisting: read.boolean("adoptExisting"),
    }) as BlueSideSettings;
    const mfaSerial = read.string("mfaSerial");
    const greenSettings: GreenSideSettings = definedOnly({
        groupName: read.string("groupName"),
        groupPolicyName: read.string("groupPolicyName"),
        // [] is keyless: no group, user or key; the roles and groups below are granted instead.
        userNames: read.stringList("userNames"),
        greenRoleNames: read.stringList("greenRoleNames")?.length ? read.stringList("greenRoleNames") : undefined,
        greenGroupNames: read.stringList("greenGroupNames")?.length ? read.stringList("greenGroupNames") : undefined,
        permissionSetNames: read.stringList("permissionSetNames")?.length ? read.stringList("permissionSetNames") : undefined,
        grantPolicyName: read.string("grantPolicyName"),
        iamPath: read.string("iamPath"),
        createAccessKeys: read.boolean("createAccessKeys"),
        pgpKey: read.string("pgpKey"),
        cliProfiles: definedOnly({ mfaSerial, sourceProfileName: read.string("sourceProfileName"), externalId: side === "green" ? externalId : undefined }),
        adoptExisting: read.boolean("adoptExisting"),
    });

    // Each component argument is checked once, by the component's own resolver for this side.
    const accounts = { blueAccountId: read.string("blueAccountId"), greenAccountId: read.string("greenAccountId") };
    let blueArgs: ResolvedBucketAccessRoleArgs | undefined;
    let greenArgs: ResolvedAssumeRoleUsersArgs | undefined;
    let bothArgs: ResolvedCrossAccountSettings | undefined;
    let blueAccountId: string | undefined;
    let greenAccountId: string | undefined;
    if (side === "blue") {
        blueArgs = checkBucketAccessRoleArgs({ ...blueSettings, ...accounts }, check);
        ({ blueAccountId, greenAccountId } = { blueAccountId: blueArgs?.blueAccountId, greenAccountId: blueArgs?.greenAccountId });
    } else if (side === "both") {
        bothArgs = checkCrossAccountSettings({ ...accounts, blue: blueSettings, green: greenSettings }, check);
        ({ blueAccountId, greenAccountId } = { blueAccountId: bothArgs?.blueAccountId, greenAccountId: bothArgs?.greenAccountId });
    } else if (side === "green") {
        // The green component does not take the blue account: it is the program's, to check the blue stack's role.
        blueAccountId = check.field("blueAccountId", (label) => checkAccountId(accounts.blueAccountId, label));
        greenAccountId = check.field("greenAccountId", (label) => checkAccountId(accounts.greenAccountId, label));
        if (blueAccountId !== undefined && greenAccountId !== undefined) {
            check.across("greenAccountId", (label) => checkDistinctAccounts(blueAccountId!, greenAccountId!, label));
        }
        greenArgs = checkAssumeRoleSettings(greenSettings, { greenAccountId, partition: "aws" }, check, "AssumeRoleUsersArgs");
    }
    const greenAccess = {
        region: side === "both" && greenRegion !== undefined ? check.field(configKey("greenRegion"), (label) => checkRegion(greenRegion, label)) : region,
        profile: side === "both" ? (greenProfile === undefined ? undefined : check.field(configKey("greenProfile"), (label) => checkProfileName(greenProfile, label))) : profile,
        assumeRoleArn: greenAssumeRoleArn === undefined ? undefined : check.field(configKey("greenAssumeRoleArn"), (label) => checkRoleArn(greenAssumeRoleArn, label)),
    };
    // The ExternalId is a secret output: its check ran when it resolved, which for config is now.
    await check.settle();
    throwConfigProblems(check);
    return {
        side,
        blue: { accountId: blueAccountId!, region: region!, profile },
        green: { accountId: greenAccountId!, region: greenAccess.region!, profile: greenAccess.profile, assumeRoleArn: greenAccess.assumeRoleArn },
        blueArgs,
        greenArgs,
        bothArgs,
        externalId,
        blueStack,
    };
}

/** The object without its `undefined` fields: what is not set is left out, for the components and for stack outputs. */
export function definedOnly<T extends object>(value: T): T {
    return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}
