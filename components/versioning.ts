/**
 * The bucket's versioning setting and the status the provider's `BucketVersioning` is given for it.
 *
 * S3 cannot return a bucket to "never versioned": once versioning has been on, it can only be
 * suspended. The provider therefore knows three statuses: `Enabled`, `Suspended`, and `Disabled`,
 * which it documents for new (or imported) buckets that have never been versioned, and for which
 * it makes no S3 call on create. It refuses to change `Enabled` or `Suspended` to `Disabled`.
 */
import { InvalidInputError } from "./validation";

/**
 * Object versioning of a bucket the component creates:
 * - `true`: versioning `Enabled`, so an overwrite or delete can be undone (the default);
 * - `false`: a new bucket stays unversioned (status `Disabled`: no versioning call is made);
 * - `"suspended"`: turn versioning off on a bucket that has had it on (status `Suspended`; the
 *   versions already stored are kept). Use it instead of `false` once versioning has been on.
 */
export type VersioningSetting = boolean | "suspended";

/** The `BucketVersioning` status for each setting. */
export type VersioningStatus = "Enabled" | "Disabled" | "Suspended";

/** The provider's status for a versioning setting. */
export function versioningStatus(setting: VersioningSetting): VersioningStatus {
    if (setting === "suspended") {
        return "Suspended";
    }
    return setting ? "Enabled" : "Disabled";
}

/**
 * A versioning setting given at run time (JavaScript and YAML callers pass strings): `true`,
 * `false` or `"suspended"`, nothing coerced.
 * @param value The value given.
 * @param label The argument or config key, for the error.
 */
export function checkVersioningSetting(value: unknown, label: string): VersioningSetting {
    if (value === true || value === false || value === "suspended") {
        return value;
    }
    throw new InvalidInputError(
        label,
        `${JSON.stringify(value) ?? String(value)} is not a versioning setting`,
        'Give true (versioning on), false (a new bucket stays unversioned) or "suspended" (turn off versioning that has been on)',
    );
}
