/**
 * Reads a stack's config for the audit (`--blue-config FILE`, `--green-config FILE`): the JSON that
 * `pulumi config --json --show-secrets --stack NAME` prints (`{"PROJECT:KEY": {"value": ..., "secret": ...}}`),
 * or a plain object of the same keys (`{"blockPublicAccess": false}`). Keys are the program's config
 * keys (Pulumi.yaml); a key the program does not know is refused, so a typo cannot pass unnoticed.
 * Values are returned as they are; settings.ts checks them with the components' rules.
 */
import { readFile } from "node:fs/promises";
import { CouldNotRunError } from "../verify/exitCodes";

/** One config value as read: a string, a boolean, a number or a list. */
export type ConfigValue = string | boolean | number | readonly unknown[];

/** A stack's config, by key without the project namespace (`aws:` keys keep theirs). */
export interface StackConfigValues {
    /** How messages name the file, e.g. `--blue-config blue.json`. */
    readonly label: string;
    /** The values; an empty string counts as not set (the Pulumi.yaml default). */
    readonly values: Readonly<Record<string, ConfigValue>>;
    /** Keys whose value is secret and was not shown (`pulumi config --json` without `--show-secrets`). */
    readonly hiddenSecrets: readonly string[];
}

/** The program's config keys (Pulumi.yaml), all of which the audit accepts; most shape the design. */
export const PROGRAM_CONFIG_KEYS: readonly string[] = [
    "side",
    "blueAccountId",
    "greenAccountId",
    "bucketName",
    "createBucket",
    "retainBucketOnDelete",
    "blockPublicAccess",
    "enforceBucketOwner",
    "encryption",
    "denyInsecureTransport",
    "versioning",
    "roleName",
    "policyName",
    "iamPath",
    "trustedPrincipalArns",
    "externalId",
    "requireMfa",
    "principalOrgId",
    "objectKeyPrefix",
    "readOnly",
    "kmsKeyArn",
    "maxSessionDurationSeconds",
    "permissionsBoundaryArn",
    "groupName",
    "groupPolicyName",
    "userNames",
    "createAccessKeys",
    "pgpKey",
    "mfaSerial",
    "blueStack",
    "greenProfile",
    "greenAssumeRoleArn",
    "greenRegion",
    "adoptExisting",
    "trustedPrincipalArnPatterns",
    // The keyless green side: accepted, not audited yet (docs/audit.md).
    "greenRoleNames",
    "greenGroupNames",
    "permissionSetNames",
    "grantPolicyName",
    "sourceProfileName",
];

/** Reads and parses a config file; a {@link CouldNotRunError} names the file and the key at fault. */
export async function readStackConfigFile(path: string, flag: string): Promise<StackConfigValues> {
    const label = `${flag} ${path}`;
    let text: string;
    try {
        text = await readFile(path, "utf8");
    } catch (error) {
        throw new CouldNotRunError(
            `${label}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? "error"})`,
            "save it with `pulumi config --json --show-secrets --stack NAME > FILE`",
        );
    }
    return parseStackConfig(text, label);
}

/** Parses the text of a config file (see the module note). Never echoes a value: some are secrets. */
export function parseStackConfig(text: string, label: string): StackConfigValues {
    let parsed: unknown;
    try {
        parsed = JSON.parse(text);
    } catch {
        throw new CouldNotRunError(
            `${label} is not JSON (${text.length} characters)`,
            'expected the object printed by `pulumi config --json --show-secrets --stack NAME`, or {"KEY": VALUE, ...}',
        );
    }
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
        throw new CouldNotRunError(`${label} is not a JSON object of config keys`, 'expected {"KEY": VALUE, ...}');
    }
    const values: Record<string, ConfigValue> = {};
    const hiddenSecrets: string[] = [];
    for (const [fullKey, raw] of Object.entries(parsed as Record<string, unknown>)) {
        const colon = fullKey.indexOf(":");
        const namespace = colon < 0 ? undefined : fullKey.slice(0, colon);
        // aws:region and friends keep their namespace; the project's own keys lose theirs.
        const key = namespace === "aws" ? fullKey : colon < 0 ? fullKey : fullKey.slice(colon + 1);
        if (namespace !== "aws" && !PROGRAM_CONFIG_KEYS.includes(key)) {
            throw new CouldNotRunError(
                `${label}: ${JSON.stringify(fullKey)} is not a config key of this program`,
                `remove it, or check its spelling against Pulumi.yaml (known keys: ${PROGRAM_CONFIG_KEYS.join(", ")})`,
            );
        }
        const value = unwrap(raw);
        if (value === "hidden") {
            hiddenSecrets.push(key);
            continue;
        }
        if (value === undefined || value === "") {
            continue;
        }
        values[key] = value;
    }
    return { label, values, hiddenSecrets };
}

/** A `pulumi config --json` entry (`{value, objectValue, secret}`) or a plain value; `"hidden"` for a secret saved without its value. */
function unwrap(raw: unknown): ConfigValue | undefined | "hidden" {
    if (raw !== null && typeof raw === "object" && !Array.isArray(raw)) {
        const entry = raw as { value?: unknown; objectValue?: unknown; secret?: unknown };
        if (entry.objectValue !== undefined) {
            return unwrap(entry.objectValue);
        }
        if (entry.value === undefined) {
            return entry.secret === true ? "hidden" : undefined;
        }
        return unwrap(entry.value);
    }
    if (typeof raw === "string" || typeof raw === "boolean" || typeof raw === "number" || Array.isArray(raw)) {
        return raw;
    }
    return undefined;
}
