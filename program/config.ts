/**
 * Reads and checks the stack's config. Every problem is reported with the config key and the
 * fix, before any resource is registered.
 */
import * as pulumi from "@pulumi/pulumi";
import {
    checkAccountId,
    checkDistinctAccounts,
    checkProfileName,
    checkRegion,
    checkRoleArn,
    FieldNamer,
    InvalidInputError,
} from "../components/validation";
import { roleArn } from "../components/arns";
import { DEFAULT_IAM_PATH, DEFAULT_ROLE_NAME } from "../components/defaults";
import { buildBucketAccessDocuments, resolveBucketAccessRoleArgs } from "../components/bucketAccessRole";
import { resolveAssumeRoleUsersArgs } from "../components/assumeRoleUsers";
import type { BlueSideSettings, GreenSideSettings } from "../components/crossAccountBucketAccess";
import { versioningFromConfig } from "./versioningConfig";

/** Which side(s) of the setup a stack deploys. */
export const SIDES = ["blue", "green", "both"] as const;

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

/** The checked config of one stack. */
export interface StackConfig {
    /** Which side(s) this stack deploys. */
    readonly side: Side;
    /** The resource (blue) account and how to reach it (only used on the blue and both sides). */
    readonly blue: AccountAccess;
    /** The identity (green) account and how to reach it (only used on the green and both sides). */
    readonly green: AccountAccess;
    /** The blue side's settings. */
    readonly blueSettings: BlueSideSettings;
    /** The green side's settings. */
    readonly greenSettings: GreenSideSettings;
    /** The green side's StackReference to the blue stack (`ORG/PROJECT/STACK`). */
    readonly blueStack?: string;
}

/** The label of a config key of this project, as users write it: `cross-account-s3:KEY`. */
export function configKey(key: string): string {
    return `${pulumi.getProject()}:${key}`;
}

/** Reads the project's config. Strings that are empty count as not set (their Pulumi.yaml default). */
class ConfigReader {
    private readonly config = new pulumi.Config();

    string(key: string): string | undefined {
        const value = this.config.get(key);
        return value === undefined || value === "" ? undefined : value;
    }

    boolean(key: string): boolean | undefined {
        const value = this.string(key);
        if (value === undefined) {
            return undefined;
        }
        if (value !== "true" && value !== "false") {
            throw new InvalidInputError(configKey(key), `${JSON.stringify(value)} is not a boolean`, `Set it to true or false: pulumi config set ${key} true`);
        }
        return value === "true";
    }

    integer(key: string): number | undefined {
        const value = this.string(key);
        if (value === undefined) {
            return undefined;
        }
        if (!/^\d+$/.test(value)) {
            throw new InvalidInputError(configKey(key), `${JSON.stringify(value)} is not a whole number`, `Set a number of seconds: pulumi config set ${key} 3600`);
        }
        return Number(value);
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
            throw new InvalidInputError(configKey(key), "it is not a list of strings", `Set it as a list: pulumi config set --path '${key}[0]' VALUE`);
        }
        return parsed;
    }
}

/** Reads `aws:region` and `aws:profile`: the stack's own AWS settings. */
function stackAwsSettings(): { region?: string; profile?: string } {
    const aws = new pulumi.Config("aws");
    return { region: aws.get("region") || undefined, profile: aws.get("profile") || undefined };
}

/** Reads the stack's config and checks all of it. */
export function readStackConfig(): StackConfig {
    const read = new ConfigReader();
    const sideValue = read.string("side");
    if (!SIDES.includes(sideValue as Side)) {
        throw new InvalidInputError(configKey("side"), sideValue === undefined ? "it is not set" : `${JSON.stringify(sideValue)} is not a side`,
            "Set blue (resource account), green (identity account) or both: pulumi config set side blue");
    }
    const side = sideValue as Side;
    const blueAccountId = checkAccountId(read.string("blueAccountId"), configKey("blueAccountId"));
    const greenAccountId = checkAccountId(read.string("greenAccountId"), configKey("greenAccountId"));
    checkDistinctAccounts(blueAccountId, greenAccountId, configKey("greenAccountId"));

    const aws = stackAwsSettings();
    if (aws.region === undefined) {
        throw new InvalidInputError("aws:region", "it is not set", "Set the region of the stack's resources: pulumi config set aws:region eu-west-1");
    }
    const region = checkRegion(aws.region, "aws:region");
    const profile = aws.profile === undefined ? undefined : checkProfileName(aws.profile, "aws:profile");
    const greenProfile = read.string("greenProfile");
    const greenAssumeRoleArn = read.string("greenAssumeRoleArn");
    const greenRegion = read.string("greenRegion");

    // Only keys whose Pulumi.yaml default is empty can be told apart from a default here.
    const blueOnlyKeys = ["bucketName", "principalOrgId", "objectKeyPrefix", "kmsKeyArn", "permissionsBoundaryArn"];
    const greenOnlyKeys = ["blueStack", "pgpKey", "mfaSerial"];
    const bothOnlyKeys = ["greenProfile", "greenAssumeRoleArn", "greenRegion"];
    const unexpected = [
        ...(side === "green" ? blueOnlyKeys : []),
        ...(side === "blue" ? greenOnlyKeys : []),
        ...(side === "both" ? ["blueStack"] : []),
        ...(side !== "both" ? bothOnlyKeys : []),
    ].find((key) => read.string(key) !== undefined);
    if (unexpected !== undefined) {
        throw new InvalidInputError(configKey(unexpected), `it is set, but a stack with side=${side} does not use it`,
            `Remove it (pulumi config rm ${unexpected}), or set side to the stack it belongs to`);
    }
    if (side === "both" && greenProfile === undefined && greenAssumeRoleArn === undefined) {
        throw new InvalidInputError(configKey("greenProfile"), "a stack with side=both needs credentials for the identity account",
            "Set greenProfile (an AWS CLI profile of the identity account) or greenAssumeRoleArn (a role in it to assume)");
    }
    const blueStack = read.string("blueStack");
    if (side === "green" && blueStack === undefined) {
        throw new InvalidInputError(configKey("blueStack"), "it is not set", "Name the blue stack to read the role ARN from: pulumi config set blueStack ORG/cross-account-s3/blue");
    }

    const bucketName = read.string("bucketName");
    if (side !== "green" && bucketName === undefined) {
        throw new InvalidInputError(configKey("bucketName"), "it is not set", "Name the S3 bucket: pulumi config set bucketName my-unique-bucket-name");
    }

    const createBucket = read.boolean("createBucket");
    const blueSettings: BlueSideSettings = {
        bucketName: bucketName ?? "",
        createBucket,
        retainBucketOnDelete: read.boolean("retainBucketOnDelete"),
        bucketSecurity: side === "green" || createBucket === false ? undefined : {
            blockPublicAccess: read.boolean("blockPublicAccess"),
            enforceBucketOwner: read.boolean("enforceBucketOwner"),
            encryption: read.boolean("encryption"),
            denyInsecureTransport: read.boolean("denyInsecureTransport"),
            versioning: versioningFromConfig(read.string("versioning"), configKey("versioning")),
        },
        roleName: read.string("roleName"),
        policyName: read.string("policyName"),
        iamPath: read.string("iamPath"),
        // An empty list is the Pulumi.yaml default: trust the whole green account.
        trustedPrincipalArns: read.stringList("trustedPrincipalArns")?.length ? read.stringList("trustedPrincipalArns") : undefined,
        externalId: read.string("externalId"),
        requireMfa: read.boolean("requireMfa"),
        principalOrgId: read.string("principalOrgId"),
        objectKeyPrefix: read.string("objectKeyPrefix"),
        readOnly: read.boolean("readOnly"),
        kmsKeyArn: read.string("kmsKeyArn"),
        maxSessionDurationSeconds: read.integer("maxSessionDurationSeconds"),
        permissionsBoundaryArn: read.string("permissionsBoundaryArn"),
        adoptExisting: read.boolean("adoptExisting"),
    };
    const greenSettings: GreenSideSettings = {
        groupName: read.string("groupName"),
        groupPolicyName: read.string("groupPolicyName"),
        userNames: read.stringList("userNames"),
        iamPath: read.string("iamPath"),
        createAccessKeys: read.boolean("createAccessKeys"),
        pgpKey: read.string("pgpKey"),
        cliProfiles: { externalId: read.string("externalId"), mfaSerial: read.string("mfaSerial") },
        adoptExisting: read.boolean("adoptExisting"),
    };
    const config: StackConfig = {
        side,
        blue: { accountId: blueAccountId, region, profile },
        green: {
            accountId: greenAccountId,
            region: side === "both" && greenRegion !== undefined ? checkRegion(greenRegion, configKey("greenRegion")) : region,
            profile: side === "both" ? (greenProfile === undefined ? undefined : checkProfileName(greenProfile, configKey("greenProfile"))) : profile,
            assumeRoleArn: greenAssumeRoleArn === undefined ? undefined : checkRoleArn(greenAssumeRoleArn, configKey("greenAssumeRoleArn")),
        },
        blueSettings,
        greenSettings,
        blueStack,
    };
    checkSideSettings(config);
    return config;
}

/** The config key behind each component argument whose name differs from it. */
const CONFIG_KEY_OF_ARGUMENT: Record<string, string> = {
    trustedAccountId: "greenAccountId",
    resourceAccountId: "blueAccountId",
    identityAccountId: "greenAccountId",
    roleArn: "blueStack",
    "cliProfiles.externalId": "externalId",
    "cliProfiles.mfaSerial": "mfaSerial",
};

/** Names a component argument by the config key it came from, e.g. `cross-account-s3:bucketName`. */
const configNamer: FieldNamer = (field) => {
    const [head, ...rest] = field.split("[");
    const key = CONFIG_KEY_OF_ARGUMENT[head] ?? head.replace(/^bucketSecurity\./, "");
    return configKey([key, ...rest].join("["));
};

/**
 * Runs the components' own checks on the config, with errors that name config keys, so that a bad
 * value fails before the first resource (provider or StackReference) is registered.
 */
function checkSideSettings(config: StackConfig): void {
    if (config.side !== "green") {
        const blueArgs = resolveBucketAccessRoleArgs({
            ...config.blueSettings,
            trustedAccountId: config.green.accountId,
            resourceAccountId: config.blue.accountId,
        }, configNamer);
        buildBucketAccessDocuments(blueArgs, configNamer);
    }
    const green = config.greenSettings;
    if (config.side === "both" && config.blueSettings.requireMfa && green.cliProfiles?.mfaSerial === undefined && green.createAccessKeys !== false && green.pgpKey === undefined) {
        throw new InvalidInputError(configKey("mfaSerial"), "requireMfa is on, and the users' CLI profile names no MFA device",
            "Set the first user's MFA device ARN: pulumi config set mfaSerial arn:aws:iam::GREEN:mfa/USER");
    }
    if (config.side !== "blue") {
        // On the green side the real ARN comes from the blue stack and is checked when read.
        const expectedRoleArn = roleArn(config.blue.accountId, config.blueSettings.roleName ?? DEFAULT_ROLE_NAME, config.blueSettings.iamPath ?? DEFAULT_IAM_PATH);
        resolveAssumeRoleUsersArgs({ ...config.greenSettings, roleArn: expectedRoleArn, identityAccountId: config.green.accountId }, configNamer);
    }
}

