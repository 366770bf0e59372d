/**
 * The verify script's flag values that other modules and `--help` share: the ways of reaching the
 * role, the defaults and limits of the numeric flags, and which flags hold secrets.
 */
/** How the script reaches the role. */
export type Via = "assume" | "profile";

/** The ways of reaching the role, for messages and `--help`. */
export const VIA_VALUES: readonly Via[] = ["assume", "profile"];

/**
 * The default of `--wait`, in seconds: how long a refusal (AccessDenied) or an access key AWS does not
 * know yet (InvalidClientTokenId) is retried while IAM propagates.
 */
export const DEFAULT_WAIT_SECONDS = 60;

/** The largest `--wait` accepted, in seconds. */
export const MAX_WAIT_SECONDS = 900;

/**
 * What the default `--timeout` adds to `--wait`, in seconds: room for the calls themselves (about 20
 * when AWS answers at once) and for a few calls that each run into `--call-timeout`.
 */
export const DEFAULT_TIMEOUT_MARGIN_SECONDS = 120;

/** The largest `--timeout` accepted, in seconds. */
export const MAX_TIMEOUT_SECONDS = 3600;

/**
 * The flags whose values are secrets (an ExternalId, a live MFA code): no message ever shows their
 * value, or any part of it, whatever its length. A 2-character ExternalId is valid, and too short for
 * the output's masking backstop to catch (see `redactValues` in report.ts), so it must never be printed.
 */
export const SECRET_FLAGS = ["external-id", "token-code"] as const;
