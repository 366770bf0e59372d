/**
 * The verify script's exit codes, and the error that means "could not run".
 *
 * | code | meaning |
 * | --- | --- |
 * | 0 | no check failed or could not run: every check passed (the access is exactly as intended), or a check whose answer cannot decide it (status `inconclusive`, e.g. the read-only check 5 with a key prefix) was reported as undecided |
 * | 1 | access wrong: a check ran and AWS answered otherwise than intended (refused where it must be allowed, allowed where it must be refused, wrong identity, different bytes); a wrong bucket name that S3 refuses (AccessDenied) lands here |
 * | 2 | could not run: bad flags, unreadable stack outputs, no credentials, an access key still unknown after `--wait`, endpoint unreachable, a bucket S3 says does not exist (NoSuchBucket), wrong region |
 */

/** No check failed or could not run: every check passed, or some were reported undecided (inconclusive). */
export const EXIT_OK = 0;

/** Access wrong: a check ran and the answer shows the access is not as intended. */
export const EXIT_ACCESS_WRONG = 1;

/** Could not run: bad flags, missing outputs or credentials, network, or an AWS error that is not about access. */
export const EXIT_COULD_NOT_RUN = 2;

/** One of the three exit codes. */
export type ExitCode = typeof EXIT_OK | typeof EXIT_ACCESS_WRONG | typeof EXIT_COULD_NOT_RUN;

/**
 * Stops the script with {@link EXIT_COULD_NOT_RUN}. The message names the flag or input at fault;
 * the hint says what to do. Neither ever holds a secret.
 */
export class CouldNotRunError extends Error {
    /** What to do about it. */
    readonly hint: string | undefined;

    constructor(message: string, hint?: string) {
        super(message);
        this.name = "CouldNotRunError";
        this.hint = hint;
    }
}

/** A {@link CouldNotRunError} caused by the command line itself; the usage is worth showing. */
export class UsageError extends CouldNotRunError {
    constructor(message: string, hint = "run with --help for the flags") {
        super(message, hint);
        this.name = "UsageError";
    }
}
