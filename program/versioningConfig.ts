/**
 * Reads config `versioning`: `true`, `false` or `suspended` (see the component's VersioningSetting).
 */
import { InvalidInputError } from "../components/validation";
import type { VersioningSetting } from "../components/versioning";

/**
 * The versioning setting a config value stands for; `undefined` (not set) keeps the default.
 * @param value The config value, as Pulumi passes it: a string.
 * @param key The config key, for the error.
 */
export function versioningFromConfig(value: string | undefined, key: string): VersioningSetting | undefined {
    switch (value) {
        case undefined:
            return undefined;
        case "true":
            return true;
        case "false":
            return false;
        case "suspended":
            return "suspended";
        default:
            throw new InvalidInputError(key, `${JSON.stringify(value)} is not a versioning setting`,
                "Set true (versioning on), false (a new bucket stays unversioned) or suspended (turn off versioning that has been on): pulumi config set versioning suspended");
    }
}
