/**
 * Bounded retry with exponential backoff, for the refusals IAM's eventual consistency causes:
 * a role or policy created seconds ago can be refused for 10 to 30 s. The clock and the sleep
 * are injectable, so unit tests run the whole schedule without waiting.
 */

/** Why and when the next attempt will run; given to {@link RetryOptions.onRetry}. */
export interface RetryNotice {
    /** The attempt that just failed, from 1. */
    readonly attempt: number;
    /** Its error. */
    readonly error: unknown;
    /** How long until the next attempt, in ms. */
    readonly delayMs: number;
    /** How long has passed since the first attempt started, in ms. */
    readonly elapsedMs: number;
    /** The budget, in ms. */
    readonly maxWaitMs: number;
}

/** How to retry. */
export interface RetryOptions {
    /** The longest total time to keep retrying, in ms; 0 means a single attempt. */
    readonly maxWaitMs: number;
    /** Which errors are worth another attempt (e.g. AccessDenied); any other ends at once. */
    readonly isRetryable: (error: unknown) => boolean;
    /** The first delay, in ms. Default 1,000. */
    readonly initialDelayMs?: number;
    /** The largest delay, in ms. Default 8,000. */
    readonly maxDelayMs?: number;
    /** A hard cap on attempts, whatever the budget. Default 50. */
    readonly maxAttempts?: number;
    /** The clock, in ms. Default `Date.now`. */
    readonly now?: () => number;
    /** Waits that long, in ms. Default `setTimeout`. */
    readonly sleep?: (ms: number) => Promise<void>;
    /** Called before each wait, to show that the script is waiting. */
    readonly onRetry?: (notice: RetryNotice) => void;
}

/** The outcome: the value of the first successful attempt, or the last error. */
export type RetryOutcome<T> =
    | { readonly ok: true; readonly value: T; readonly attempts: number; readonly elapsedMs: number }
    | { readonly ok: false; readonly error: unknown; readonly attempts: number; readonly elapsedMs: number; readonly exhausted: boolean };

/** The default sleep: a timer. */
export function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * The delay before attempt `attempt + 1`: `initial * 2^(attempt-1)`, capped at `max`.
 * With the defaults: 1, 2, 4, 8, 8, 8 ... s.
 */
export function backoffDelayMs(attempt: number, initialDelayMs = 1000, maxDelayMs = 8000): number {
    return Math.min(maxDelayMs, initialDelayMs * 2 ** Math.max(0, attempt - 1));
}

/**
 * Runs `operation` until it succeeds, fails with an error that is not retryable, or the
 * budget is spent. A delay never runs past the budget: the last one is shortened so the final
 * attempt starts at the deadline at the latest. `exhausted` tells that the budget ran out
 * (or the attempt cap was hit) while the error was still retryable.
 */
export async function retryWithBackoff<T>(operation: (attempt: number) => Promise<T>, options: RetryOptions): Promise<RetryOutcome<T>> {
    const now = options.now ?? Date.now;
    const wait = options.sleep ?? sleep;
    const maxAttempts = options.maxAttempts ?? 50;
    const started = now();
    for (let attempt = 1; ; attempt++) {
        try {
            const value = await operation(attempt);
            return { ok: true, value, attempts: attempt, elapsedMs: now() - started };
        } catch (error) {
            const elapsedMs = now() - started;
            if (!options.isRetryable(error)) {
                return { ok: false, error, attempts: attempt, elapsedMs, exhausted: false };
            }
            const remainingMs = options.maxWaitMs - elapsedMs;
            if (remainingMs <= 0 || attempt >= maxAttempts) {
                return { ok: false, error, attempts: attempt, elapsedMs, exhausted: true };
            }
            const delayMs = Math.min(backoffDelayMs(attempt, options.initialDelayMs, options.maxDelayMs), remainingMs);
            options.onRetry?.({ attempt, error, delayMs, elapsedMs, maxWaitMs: options.maxWaitMs });
            await wait(delayMs);
        }
    }
}
