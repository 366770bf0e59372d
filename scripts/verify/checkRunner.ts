/**
 * Runs the checks one after another and records each: pass or fail, its duration and its AWS
 * calls. Once one does not pass, the rest are marked "skipped" (each needs the one before it). A
 * check's body throws {@link CheckFailed} when the access is other than intended, or
 * {@link CheckInconclusive} when AWS's answer does not decide it (the next checks still run); any
 * other error is named by {@link describeAwsError} (a refusal is "fail", anything else "error"). The retry that
 * waits out IAM's eventual consistency ({@link CheckRunner.retrying}) is here too, so every wait is
 * counted and told the same way.
 */
import { describeAwsError, ErrorContext, errorCode, isAccessDenied, isUnknownAccessKey, sdkAttempts } from "./awsErrors";
import type { CheckResult, WaitNotice } from "./checkTypes";
import { retryWithBackoff } from "./retry";
import type { RunDeadline } from "./runDeadline";

/** A check that ran and found the access other than intended. */
export class CheckFailed extends Error {
    constructor(
        readonly detail: string,
        readonly hint: string,
        readonly code?: string,
    ) {
        super(detail);
    }
}

/**
 * A check that ran but whose answer does not decide it: recorded as "inconclusive", with what was
 * seen and how to decide. Unlike a failure it does not stop the checks after it.
 */
export class CheckInconclusive extends Error {
    constructor(
        readonly detail: string,
        readonly hint: string,
        readonly code?: string,
    ) {
        super(detail);
    }
}

/**
 * A check that could not run although AWS (or what stands in its place) answered: an answer that is
 * not what the call returns, such as a proxy's HTML page with status 200. Recorded as "error" (exit 2).
 */
export class CheckCouldNotRun extends Error {
    constructor(
        readonly detail: string,
        readonly hint: string,
        readonly code?: string,
    ) {
        super(detail);
    }
}

/** An AWS error, with how many attempts were made before giving up. */
class GaveUp extends Error {
    constructor(
        readonly lastError: unknown,
        readonly attempts: number,
        readonly elapsedMs: number,
    ) {
        super("gave up");
    }
}

/** Counts one AWS call of the running check. */
export type CountCall = () => void;

/** What a {@link CheckRunner} needs. */
export interface CheckRunnerOptions {
    /** The longest wait for IAM propagation, in seconds (the default budget of {@link CheckRunner.retrying}). */
    readonly waitSeconds: number;
    /** Told when a check waits. */
    readonly onWait?: (notice: WaitNotice) => void;
    /** Told when a check ends. */
    readonly onCheck?: (result: CheckResult) => void;
    /** Clock. Default `Date.now`. */
    readonly now?: () => number;
    /** Sleep. Default a timer. */
    readonly sleep?: (ms: number) => Promise<void>;
    /** The run's deadline: no wait is planned past it. Default: none. */
    readonly deadline?: Pick<RunDeadline, "remainingMs">;
}

/** How {@link CheckRunner.retrying} retries. */
export interface RetryPolicy {
    /** The budget, in seconds. Default: `--wait`. */
    readonly maxWaitSeconds?: number;
    /** Which errors are worth another attempt. Default: a refusal ({@link isAccessDenied}). */
    readonly isRetryable?: (error: unknown) => boolean;
}

/** Runs checks in order and keeps their results. */
export class CheckRunner {
    /** The results so far, in order. */
    readonly results: CheckResult[] = [];
    /** The clock. */
    readonly now: () => number;
    private calls = 0;
    private stopped: CheckResult | undefined;
    private running: { readonly id: number; readonly name: string } | undefined;

    constructor(private readonly options: CheckRunnerOptions) {
        this.now = options.now ?? Date.now;
    }

    /** The check running now, if any: what the run was doing when its deadline passed. */
    get current(): { readonly id: number; readonly name: string } | undefined {
        return this.running;
    }

    /** AWS calls made so far, retries included. */
    get totalCalls(): number {
        return this.calls;
    }

    /**
     * Runs one check: `body` returns the detail of a pass, throws {@link CheckFailed} for access
     * other than intended, or lets an AWS error through (named with `context`). Skipped once an
     * earlier check did not pass.
     */
    async run(id: number, name: string, context: ErrorContext, body: (count: CountCall) => Promise<string>): Promise<void> {
        if (this.stopped) {
            this.results.push({ id, name, status: "skipped", durationMs: 0, detail: `not run: check ${this.stopped.id} did not pass`, awsCalls: 0 });
            return;
        }
        const started = this.now();
        this.running = { id, name };
        let calls = 0;
        const count: CountCall = () => {
            calls++;
            this.calls++;
        };
        let result: CheckResult;
        try {
            const detail = await body(count);
            result = { id, name, status: "pass", durationMs: this.now() - started, detail, awsCalls: calls };
        } catch (thrown) {
            const durationMs = this.now() - started;
            // A check's own verdict thrown inside retrying() is not an AWS error to name: take it out.
            const error = thrown instanceof GaveUp && (thrown.lastError instanceof CheckFailed || thrown.lastError instanceof CheckCouldNotRun) ? thrown.lastError : thrown;
            if (error instanceof CheckInconclusive) {
                result = { id, name, status: "inconclusive", durationMs, detail: error.detail, errorCode: error.code, hint: error.hint, awsCalls: calls };
                this.running = undefined;
                this.results.push(result);
                this.options.onCheck?.(result);
                return;
            }
            if (error instanceof CheckFailed || error instanceof CheckCouldNotRun) {
                const status = error instanceof CheckFailed ? "fail" : "error";
                result = { id, name, status, durationMs, detail: error.detail, errorCode: error.code, hint: error.hint, awsCalls: calls };
            } else {
                const gaveUp = error instanceof GaveUp ? error : undefined;
                const described = describeAwsError(gaveUp ? gaveUp.lastError : error, context);
                const still = described.kind === "refused" ? "refused" : described.code;
                const waited = gaveUp && gaveUp.attempts > 1 ? ` (still ${still} after ${gaveUp.attempts} attempts over ${(gaveUp.elapsedMs / 1000).toFixed(1)} s)` : "";
                const tries = sdkAttempts(gaveUp ? gaveUp.lastError : error);
                const retried = tries > 1 ? ` (the SDK tried ${tries} times)` : "";
                result = {
                    id,
                    name,
                    status: described.kind === "refused" ? "fail" : "error",
                    durationMs,
                    detail: `${described.code}: ${described.message}${retried}${waited}`,
                    errorCode: described.code,
                    hint: described.hint,
                    awsCalls: calls,
                };
            }
            this.stopped = result;
        }
        this.running = undefined;
        this.results.push(result);
        this.options.onCheck?.(result);
    }

    /**
     * Calls `operation` until it succeeds, fails otherwise than `policy` retries, or the budget is
     * spent, telling each wait. Each attempt counts as an AWS call of the check.
     */
    async retrying<T>(checkId: number, call: string, count: CountCall, operation: () => Promise<T>, policy: RetryPolicy = {}): Promise<T> {
        const outcome = await retryWithBackoff(
            async () => {
                count();
                return operation();
            },
            {
                // Never a wait past the run's deadline: a retry then could only be cut off.
                maxWaitMs: Math.min((policy.maxWaitSeconds ?? this.options.waitSeconds) * 1000, this.options.deadline?.remainingMs() ?? Infinity),
                isRetryable: policy.isRetryable ?? isAccessDenied,
                now: this.now,
                sleep: this.options.sleep,
                onRetry: (notice) =>
                    this.options.onWait?.({
                        ...notice,
                        checkId,
                        call,
                        code: errorCode(notice.error).code,
                        reason: isUnknownAccessKey(notice.error) ? "unknown-key" : "refused",
                    }),
            },
        );
        if (!outcome.ok) {
            throw new GaveUp(outcome.error, outcome.attempts, outcome.elapsedMs);
        }
        return outcome.value;
    }
}
