/**
 * The keys and the body the checks use in the bucket: the probe object a writing role puts, lists
 * and reads back, the never-existing keys the read-only and negative checks ask for, and the
 * listing prefix. All of them go under the role's `objectKeyPrefix` (`--key-prefix`) when it has one.
 */
import { createHash, randomBytes } from "node:crypto";

/**
 * The key the script writes, lists, reads and overwrites on every run: always this one key, so
 * the bucket holds one current probe object however often it runs. With versioning on (the
 * component's default) each overwrite keeps the previous body as a noncurrent version, which the
 * role cannot delete: runs add one noncurrent version each (expire them with a lifecycle rule on
 * `cross-account-verify/`). Its body is random text, so each run proves a fresh write. With
 * `--key-prefix` (a role limited to `objectKeyPrefix`) it goes under that prefix, as do the keys
 * below. A read-only role writes nothing (the write must be refused).
 */
export const PROBE_KEY = "cross-account-verify/probe.txt";

/**
 * The prefix ListObjectsV2 uses to find the probe: the probe's folder without the trailing slash.
 * moto 5.2.1 miscomputes the SigV4 signature of a query value holding `/` (such as
 * `prefix=cross-account-verify/`) and answers SignatureDoesNotMatch, so without a key prefix this
 * one works on both AWS and moto. With a key prefix the listing prefix is
 * `PREFIX/cross-account-verify`, which holds a `/`: AWS lists it, moto fails its signature.
 */
const PROBE_LIST_PREFIX = "cross-account-verify";

/** The prefix of the never-existing key that check 6 tries to delete conditionally (a random suffix follows). */
export const NEGATIVE_KEY_PREFIX = "cross-account-verify/must-not-delete-";

/** The prefix of the never-existing key a read-only role's check 5 reads (a random suffix follows). */
const ABSENT_KEY_PREFIX = "cross-account-verify/absent-";

/** The keys of one run, under the role's key prefix (`""` for the whole bucket). */
export interface ProbeKeys {
    /** Where a writing role puts the probe object. */
    readonly probeKey: string;
    /** The prefix check 4 lists. */
    readonly listPrefix: string;
    /** A fresh key that does not exist, for the read-only check 5. */
    absentKey(): string;
    /** A fresh key that does not exist, for check 6's DeleteObject. */
    neverExistingKey(): string;
}

/** The probe keys under `keyPrefix`. */
export function probeKeys(keyPrefix: string): ProbeKeys {
    return {
        probeKey: `${keyPrefix}${PROBE_KEY}`,
        listPrefix: `${keyPrefix}${PROBE_LIST_PREFIX}`,
        absentKey: () => `${keyPrefix}${ABSENT_KEY_PREFIX}${randomSuffix()}`,
        neverExistingKey: () => `${keyPrefix}${NEGATIVE_KEY_PREFIX}${randomSuffix()}`,
    };
}

/** A fresh probe body (about 100 bytes of text with the time and a random nonce) and its SHA-256. */
export function probeBody(now: number): { readonly body: Buffer; readonly sha256: string } {
    const body = Buffer.from(`cross-account verify probe\nwritten: ${new Date(now).toISOString()}\nnonce: ${randomBytes(16).toString("hex")}\n`);
    return { body, sha256: sha256(body) };
}

/** The hex SHA-256 of some bytes. */
export function sha256(bytes: Uint8Array): string {
    return createHash("sha256").update(bytes).digest("hex");
}

function randomSuffix(): string {
    return randomBytes(8).toString("hex");
}
