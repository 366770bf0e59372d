/**
 * The deadline of a whole run (`--timeout`): an `AbortSignal` that every AWS call of the checks
 * carries, aborted when the time is up, so the call in flight ends and its check reports it; and
 * {@link RunDeadline.expired}, the last resort that ends the run even when a call cannot be aborted
 * (the credential providers' own STS calls take no signal, though each is bounded by `--call-timeout`).
 */

/** Why a call ended early: the run's deadline passed. Carried by the aborted signal as its reason. */
export class DeadlineExceededError extends Error {
    constructor(readonly timeoutSeconds: number) {
        super(`the run's deadline passed (--timeout ${timeoutSeconds} s)`);
        this.name = "DeadlineExceededError";
    }
}

/** One run's deadline. {@link RunDeadline.cancel} it when the run ends, or its timer keeps the process alive. */
export class RunDeadline {
    /** Aborted at the deadline, with a {@link DeadlineExceededError} as its reason. */
    readonly signal: AbortSignal;
    /** Resolves at the deadline plus `graceMs`: the aborted call has had that long to be reported by its check. */
    readonly expired: Promise<void>;
    private readonly controller = new AbortController();
    private readonly timers: NodeJS.Timeout[] = [];
    private readonly endsAt: number;

    /**
     * @param timeoutSeconds `--timeout`.
     * @param graceMs how long {@link expired} waits after the abort. Default 2,000.
     * @param now the clock. Default `Date.now`.
     */
    constructor(
        readonly timeoutSeconds: number,
        graceMs = 2000,
        private readonly now: () => number = Date.now,
    ) {
        this.signal = this.controller.signal;
        this.endsAt = now() + timeoutSeconds * 1000;
        this.timers.push(setTimeout(() => this.controller.abort(new DeadlineExceededError(timeoutSeconds)), timeoutSeconds * 1000));
        this.expired = new Promise((resolve) => this.timers.push(setTimeout(resolve, timeoutSeconds * 1000 + graceMs)));
    }

    /** Milliseconds left until the deadline (0 once it passed). */
    remainingMs(): number {
        return Math.max(0, this.endsAt - this.now());
    }

    /** Stops both timers. */
    cancel(): void {
        this.timers.forEach((timer) => clearTimeout(timer));
    }
}
