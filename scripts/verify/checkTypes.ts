/**
 * What the checks produce: one {@link CheckResult} per check, the whole {@link VerifyReport} that
 * the table and the JSON show, and the {@link WaitNotice} told while a check waits. Plain data, no
 * secret: the report never holds a key, a token, an ExternalId or an MFA code.
 */
import type { Via } from "./args";
import type { ExitCode } from "./exitCodes";
import type { RetryNotice } from "./retry";

/**
 * pass; fail = access wrong; error = could not run the check; inconclusive = it ran, but AWS's answer
 * does not decide it either way (reported, does not by itself change the exit code, the next checks
 * still run); skipped = an earlier check did not pass.
 */
export type CheckStatus = "pass" | "fail" | "error" | "inconclusive" | "skipped";

/** One line of the report. */
export interface CheckResult {
    /** 1 to 6. */
    readonly id: number;
    /** Short name, e.g. `assume role`. */
    readonly name: string;
    /** The outcome. */
    readonly status: CheckStatus;
    /** Its wall time, in ms (waits included). */
    readonly durationMs: number;
    /** What was seen: an ARN, a key and checksum, or what went wrong. */
    readonly detail: string;
    /** The AWS or network error code, when one decided the outcome. */
    readonly errorCode?: string;
    /** What to do, when it did not pass. */
    readonly hint?: string;
    /** Calls made for this check, retries included. */
    readonly awsCalls: number;
}

/** A caller identity. */
export interface Identity {
    /** The ARN GetCallerIdentity returned. */
    readonly arn: string;
    /** Its account. */
    readonly account: string;
}

/** What AssumeRole carried, for the report and the hints: where the ExternalId came from, never the values. */
export interface AssumeWith {
    /** Where the ExternalId came from (`--external-id`, or the `externalId` output), if one was sent. */
    readonly externalIdFrom?: string;
    /** The MFA device sent with AssumeRole (`--via assume`), if any. */
    readonly mfaSerial?: string;
    /** An MFA code was sent (its value is never reported). */
    readonly mfaCode: boolean;
}

/** The whole outcome: what the table and the JSON show. Holds no secret. */
export interface VerifyReport {
    /** Exit 0: no check failed or could not run (every check passed, or some were inconclusive). */
    readonly ok: boolean;
    /** 0, 1 (access wrong) or 2 (could not run). */
    readonly exitCode: ExitCode;
    /** What was checked. */
    readonly target: {
        readonly bucket: string;
        readonly region: string;
        readonly roleArn?: string;
        readonly endpoint?: string;
        readonly via: Via;
        readonly sourceProfile?: string;
        readonly roleProfile?: string;
        readonly probeKey: string;
        /** The read-only checks ran: nothing was meant to be written. */
        readonly readOnly: boolean;
        /** Where the ExternalId sent with AssumeRole came from (never its value), if one was sent. */
        readonly externalIdFrom?: string;
        /** The MFA device sent with AssumeRole (`--via assume`), if any. */
        readonly mfaSerial?: string;
        /** An MFA code was sent (its value is never reported). */
        readonly mfaCode: boolean;
    };
    /** Who the source credentials and the role credentials turned out to be. */
    readonly identities: { readonly source?: Identity; readonly role?: Identity };
    /** The checks, in order. */
    readonly checks: readonly CheckResult[];
    /** AWS calls made (AssumeRole included), retries included. */
    readonly awsCalls: number;
    /** Wall time of all checks, in ms. */
    readonly durationMs: number;
}

/**
 * Why a check waits: the call was refused (AccessDenied: a role or policy not propagated yet), or
 * AWS does not know the access key yet (InvalidClientTokenId: a key created seconds ago).
 */
export type WaitReason = "refused" | "unknown-key";

/** Told while a check waits for IAM to propagate. */
export interface WaitNotice extends RetryNotice {
    /** The check that waits. */
    readonly checkId: number;
    /** The call that failed, e.g. `AssumeRole`. */
    readonly call: string;
    /** Its error code. */
    readonly code: string;
    /** Why it is worth waiting. */
    readonly reason: WaitReason;
}
