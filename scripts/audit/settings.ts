/**
 * Decides what the audit looks at and what the design is, from four sources, first found wins:
 * the flags, the blue stack's outputs (`--stack`/`--outputs`, read by the verify script's own
 * stackOutputs.ts), the stacks' config files (`--blue-config`, `--green-config`), then the
 * components' defaults (components/defaults.ts). Each value is checked with the components' own
 * rule (components/validation.ts) and errors name where the value came from.
 */
import type { BlueStackOutputValues } from "../../components/stackOutputs";
import { managedPolicyArn, parseRoleArn, Partition } from "../../components/arns";
import {
    DEFAULT_GROUP_NAME,
    DEFAULT_GROUP_POLICY_NAME,
    DEFAULT_IAM_PATH,
    DEFAULT_MAX_SESSION_DURATION_SECONDS,
    DEFAULT_POLICY_NAME,
    DEFAULT_ROLE_NAME,
    DEFAULT_USER_NAMES,
} from "../../components/defaults";
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
    checkRegion,
    checkTrustedPrincipalArn,
    checkTrustedPrincipalArnPattern,
    checkUserNames,
} from "../../components/validation";
import { CouldNotRunError, UsageError } from "../verify/exitCodes";
import { HIDDEN_SECRET, outputBoolean, outputString, StackOutputs } from "../verify/stackOutputs";
import type { AuditFlags } from "./args";
import type { AuditSettings } from "./design";
import type { ConfigValue, StackConfigValues } from "./stackConfigFile";

/** What the settings are read from. */
export interface SettingsSources {
    /** The flags. */
    readonly flags: Pick<AuditFlags, "blueAccountId" | "greenAccountId" | "region" | "bucket" | "roleName" | "groupName" | "userNames"> & Partial<Pick<AuditFlags, "side">>;
    /** The blue stack's outputs and how messages name them (`stack blue`, `--outputs FILE`). */
    readonly outputs?: { readonly values: StackOutputs; readonly label: string };
    /** The blue stack's config (bucket and role settings). */
    readonly blueConfig?: StackConfigValues;
    /** The green stack's config (group and users). */
    readonly greenConfig?: StackConfigValues;
    /** `AWS_REGION` / `AWS_DEFAULT_REGION`, the last source of the region. */
    readonly env?: NodeJS.ProcessEnv;
}

/** A value and where it came from (for messages), or nothing. */
interface Found<T> {
    readonly value?: T;
    readonly source: string;
}

/** The settings, and where the values that name AWS resources came from. */
export interface ResolvedSettings {
    /** The checked settings. */
    readonly settings: AuditSettings;
    /** Where each looked-up name came from, e.g. `{ roleName: "stack blue (output roleName)" }`. */
    readonly sources: Readonly<Record<string, string>>;
}

/** Reads, checks and defaults every setting; throws a {@link CouldNotRunError} naming the source at fault. */
export function resolveSettings(sources: SettingsSources): ResolvedSettings {
    const { flags, outputs, blueConfig, greenConfig } = sources;
    const used: Record<string, string> = {};

    const fromOutputs = (name: keyof BlueStackOutputValues): Found<string> =>
        outputs ? { value: outputString(outputs.values, name, outputs.label), source: `${outputs.label} (output ${name})` } : { source: "" };
    const fromConfig = (config: StackConfigValues | undefined, key: string): Found<ConfigValue> => {
        if (config?.hiddenSecrets.includes(key)) {
            throw new CouldNotRunError(
                `${config.label}: ${key} is a secret saved without its value`,
                "save the config with `pulumi config --json --show-secrets --stack NAME > FILE` (mode 0600)",
            );
        }
        return config ? { value: config.values[key], source: `${config.label} (key ${key})` } : { source: "" };
    };
    const first = <T>(...candidates: Found<T>[]): Found<T> => candidates.find((c) => c.value !== undefined) ?? { source: "" };
    const flag = <T>(value: T | undefined, name: string): Found<T> => ({ value, source: name });
    const checked = <T>(name: string, found: Found<unknown>, rule: (value: unknown, label: string) => T, fallback?: T): T => {
        if (found.value === undefined) {
            if (fallback === undefined) {
                throw missing(name);
            }
            return fallback;
        }
        used[name] = found.source;
        try {
            return rule(found.value, found.source);
        } catch (error) {
            const message = error instanceof Error ? error.message : String(error);
            throw found.source.startsWith("--") && !found.source.includes(" ") ? new UsageError(message) : new CouldNotRunError(message);
        }
    };

    const roleArnOutput = fromOutputs("roleArn");
    const roleArnParts = roleArnOutput.value === undefined ? undefined : parseRoleArn(roleArnOutput.value);
    if (roleArnOutput.value !== undefined && roleArnParts === undefined) {
        throw new CouldNotRunError(`${roleArnOutput.source} is not an IAM role ARN`, "check what the blue stack exports as roleArn");
    }
    const partition: Partition = (roleArnParts?.partition as Partition | undefined) ?? "aws";

    const blueAccountId = checked(
        "blueAccountId",
        first(
            flag(flags.blueAccountId, "--blue-account-id"),
            fromOutputs("blueAccountId"),
            roleArnParts ? { value: roleArnParts.accountId, source: roleArnOutput.source } : { source: "" },
            fromConfig(blueConfig, "blueAccountId"),
        ),
        checkAccountId,
    );
    const greenAccountId = checked(
        "greenAccountId",
        first(flag(flags.greenAccountId, "--green-account-id"), fromOutputs("greenAccountId"), fromConfig(blueConfig, "greenAccountId"), fromConfig(greenConfig, "greenAccountId")),
        checkAccountId,
    );
    try {
        checkDistinctAccounts(blueAccountId, greenAccountId, used.greenAccountId);
    } catch (error) {
        throw new CouldNotRunError((error as Error).message);
    }
    const env = sources.env ?? {};
    const envRegion = env.AWS_REGION?.trim()
        ? { value: env.AWS_REGION.trim(), source: "AWS_REGION" }
        : env.AWS_DEFAULT_REGION?.trim()
          ? { value: env.AWS_DEFAULT_REGION.trim(), source: "AWS_DEFAULT_REGION" }
          : { source: "" };
    const region = checked("region", first(flag(flags.region, "--region"), fromOutputs("region"), fromConfig(blueConfig, "aws:region"), envRegion), checkRegion);
    // Only the blue side's design names the bucket: a green-only audit does not need it ("" then, never compared).
    const bucketName = checked(
        "bucketName",
        first(flag(flags.bucket, "--bucket"), fromOutputs("bucketName"), fromConfig(blueConfig, "bucketName")),
        checkBucketName,
        flags.side === "green" ? "" : undefined,
    );
    const roleName = checked(
        "roleName",
        first(
            flag(flags.roleName, "--role-name"),
            fromOutputs("roleName"),
            roleArnParts ? { value: roleArnParts.roleName, source: roleArnOutput.source } : { source: "" },
            fromConfig(blueConfig, "roleName"),
        ),
        (value, label) => checkIamName(value, "role", label),
        DEFAULT_ROLE_NAME,
    );
    const iamPath = checked(
        "iamPath",
        first(roleArnParts ? { value: roleArnParts.path, source: roleArnOutput.source } : { source: "" }, fromConfig(blueConfig, "iamPath"), fromConfig(greenConfig, "iamPath")),
        checkIamPath,
        DEFAULT_IAM_PATH,
    );
    const policyName = checked("policyName", fromConfig(blueConfig, "policyName"), (value, label) => checkIamName(value, "policy", label), DEFAULT_POLICY_NAME);
    const policyArn = checked("policyArn", fromOutputs("policyArn"), checkManagedPolicyArn, managedPolicyArn(blueAccountId, policyName, iamPath, partition));

    const bool = (key: string, fallback: boolean, output?: string): boolean =>
        checked(key, first(output ? outputBooleanFound(outputs, output) : { source: "" }, fromConfig(blueConfig, key)), checkBoolean, fallback);
    const optional = <T>(key: string, found: Found<unknown>, rule: (value: unknown, label: string) => T): T | undefined =>
        found.value === undefined ? undefined : checked(key, found, rule);

    const trusted = fromConfig(blueConfig, "trustedPrincipalArns");
    const trustedPrincipalArns = optional("trustedPrincipalArns", trusted, (value, label) =>
        checkStringList(value, label).map((arn, index) => checkTrustedPrincipalArn(arn, greenAccountId, `${label}[${index}]`)),
    );

    const patterns = fromConfig(blueConfig, "trustedPrincipalArnPatterns");
    const trustedPrincipalArnPatterns = optional("trustedPrincipalArnPatterns", patterns, (value, label) =>
        checkStringList(value, label).map((pattern, index) => checkTrustedPrincipalArnPattern(pattern, greenAccountId, `${label}[${index}]`)),
    );

    const externalIdOutput = outputs?.values.externalId;
    if (externalIdOutput === HIDDEN_SECRET) {
        throw new CouldNotRunError(
            `${outputs?.label}: output externalId is hidden (${HIDDEN_SECRET}): the outputs were saved without --show-secrets`,
            "save them with `pulumi stack output --json --show-secrets --stack blue > FILE` (mode 0600), or read them with --stack blue",
        );
    }
    const externalId = optional("externalId", first(fromOutputs("externalId"), fromConfig(blueConfig, "externalId")), checkExternalId);
    if (externalId === undefined && outputs && outputBoolean(outputs.values, "externalIdRequired", outputs.label) === true) {
        throw new CouldNotRunError(
            `${outputs.label} says the role requires an ExternalId (output externalIdRequired), and there is none to build the trust policy with`,
            "read the blue stack with --stack blue (it exports the ExternalId as the secret output externalId), or pass --blue-config with the key externalId",
        );
    }

    const settings: AuditSettings = {
        blueAccountId,
        greenAccountId,
        region,
        partition,
        bucketName,
        createBucket: bool("createBucket", true),
        bucketSecurity: {
            blockPublicAccess: bool("blockPublicAccess", true),
            enforceBucketOwner: bool("enforceBucketOwner", true),
            encryption: bool("encryption", true),
            denyInsecureTransport: bool("denyInsecureTransport", true),
            // `suspended` (turn off versioning that has been on) is off, like `false`: the audit expects anything but Enabled.
            versioning: fromConfig(blueConfig, "versioning").value === "suspended" ? false : bool("versioning", true),
        },
        roleName,
        policyArn,
        iamPath,
        trustedPrincipalArns: trustedPrincipalArns && trustedPrincipalArns.length > 0 ? trustedPrincipalArns : undefined,
        trustedPrincipalArnPatterns: trustedPrincipalArnPatterns && trustedPrincipalArnPatterns.length > 0 ? trustedPrincipalArnPatterns : undefined,
        externalId,
        requireMfa: bool("requireMfa", false, "mfaRequired"),
        principalOrgId: optional("principalOrgId", fromConfig(blueConfig, "principalOrgId"), checkOrganizationId),
        objectKeyPrefix: optional("objectKeyPrefix", first(fromOutputs("objectKeyPrefix"), fromConfig(blueConfig, "objectKeyPrefix")), checkObjectKeyPrefix),
        readOnly: bool("readOnly", false, "readOnly"),
        kmsKeyArn: optional("kmsKeyArn", fromConfig(blueConfig, "kmsKeyArn"), (value, label) => checkKmsKeyArn(value, label, blueAccountId)),
        maxSessionDurationSeconds: checked(
            "maxSessionDurationSeconds",
            fromConfig(blueConfig, "maxSessionDurationSeconds"),
            (value, label) => checkMaxSessionDuration(typeof value === "string" && /^\d+$/.test(value) ? Number(value) : value, label),
            DEFAULT_MAX_SESSION_DURATION_SECONDS,
        ),
        permissionsBoundaryArn: optional("permissionsBoundaryArn", fromConfig(blueConfig, "permissionsBoundaryArn"), checkManagedPolicyArn),
        groupName: checked(
            "groupName",
            first(flag(flags.groupName, "--group-name"), fromConfig(greenConfig, "groupName")),
            (value, label) => checkIamName(value, "group", label),
            DEFAULT_GROUP_NAME,
        ),
        groupPolicyName: checked("groupPolicyName", fromConfig(greenConfig, "groupPolicyName"), (value, label) => checkIamName(value, "policy", label), DEFAULT_GROUP_POLICY_NAME),
        userNames: checked(
            "userNames",
            first<unknown>(flag(flags.userNames, "--user-names"), fromConfig(greenConfig, "userNames")),
            (value, label) => checkUserNames(checkStringList(value, label), label),
            [...DEFAULT_USER_NAMES],
        ),
    };
    return { settings, sources: used };
}

function outputBooleanFound(outputs: SettingsSources["outputs"], name: string): Found<boolean> {
    return outputs ? { value: outputBoolean(outputs.values, name, outputs.label), source: `${outputs.label} (output ${name})` } : { source: "" };
}

/** `true`/`false`, or the strings Pulumi passes them as. */
function checkBoolean(value: unknown, label: string): boolean {
    if (value === true || value === "true") {
        return true;
    }
    if (value === false || value === "false") {
        return false;
    }
    throw new CouldNotRunError(`${label}: ${JSON.stringify(value)} is not a boolean`, "set it to true or false");
}

/** A list of strings, or its JSON text (how Pulumi passes a list). */
function checkStringList(value: unknown, label: string): string[] {
    let list = value;
    if (typeof value === "string") {
        try {
            list = JSON.parse(value);
        } catch {
            list = undefined;
        }
    }
    if (!Array.isArray(list) || !list.every((item) => typeof item === "string")) {
        throw new CouldNotRunError(`${label}: it is not a list of strings`, 'give a JSON list, e.g. ["a", "b"]');
    }
    return list;
}

function missing(name: string): CouldNotRunError {
    const how: Record<string, string> = {
        blueAccountId: "--blue-account-id ID, or --stack/--outputs (output blueAccountId)",
        greenAccountId: "--green-account-id ID, or --stack/--outputs (output greenAccountId)",
        region: "--region REGION, or --stack/--outputs (output region), or set AWS_REGION",
        bucketName: "--bucket NAME, or --stack/--outputs (output bucketName)",
    };
    return new UsageError(`no ${name}: pass ${how[name] ?? `a value for ${name}`}`);
}
