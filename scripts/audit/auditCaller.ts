/**
 * Makes the audit's calls under one deadline (`--timeout`), and turns every failure into a clear
 * "could not run": a refused read names the IAM action the audit's credentials lack, an unreachable
 * endpoint says so, and the deadline says which call it stopped. "Not found" answers that are part
 * of the picture (no bucket policy, no public access block...) are returned as `undefined` to the
 * reader that asked for them.
 */
import { errorCode, isAccessDenied, isNetworkError, maskAccessKeyIds } from "../verify/awsErrors";
import { CouldNotRunError } from "../verify/exitCodes";
import { AUDIT_CALLS, AuditAccount, AuditOperation } from "./awsCalls";

/** What messages say about where the calls go and with which credentials. */
export interface CallerContext {
    /** The emulator endpoint, if any. */
    readonly endpoint?: string;
    /** The region. */
    readonly region: string;
    /** How each account's credentials are named, e.g. `--blue-profile audit-blue`. */
    readonly credentials: Readonly<Record<AuditAccount, string>>;
    /** The whole audit's deadline, in seconds (for messages). */
    readonly timeoutSeconds: number;
}

/** The deadline of the whole audit: aborts every call in flight when it passes. */
export class Deadline {
    private readonly controller = new AbortController();
    private readonly timer: NodeJS.Timeout;

    /**
     * Starts the clock.
     * @param ms How long the audit may take.
     * @param schedule The timer function; injectable so tests need no wall clock.
     */
    constructor(ms: number, schedule: (callback: () => void, ms: number) => NodeJS.Timeout = setTimeout) {
        this.timer = schedule(() => this.controller.abort(), ms);
        this.timer.unref?.();
    }

    /** The signal every call is sent with. */
    get signal(): AbortSignal {
        return this.controller.signal;
    }

    /** Whether the deadline has passed. */
    get passed(): boolean {
        return this.controller.signal.aborted;
    }

    /** Stops the clock once the audit is done. */
    clear(): void {
        clearTimeout(this.timer);
    }
}

/** Sends the audit's calls; see the module note. */
export class AuditCaller {
    /**
     * @param context Where the calls go, for messages.
     * @param deadline The whole audit's deadline.
     */
    constructor(
        private readonly context: CallerContext,
        private readonly deadline: Deadline,
    ) {}

    /**
     * Makes one call. `notFound` lists the error codes that mean "there is none" for this call:
     * the call then resolves with `undefined`. Any other failure throws a {@link CouldNotRunError}.
     * @param account The account the call is made in.
     * @param operation The call, from the table of calls (awsCalls.ts).
     * @param what What is read, for messages, e.g. `role CrossAccountS3Access-Role`.
     * @param send Sends the SDK command with the given abort signal.
     */
    async call<T>(
        account: AuditAccount,
        operation: AuditOperation,
        what: string,
        send: (abortSignal: AbortSignal) => Promise<T>,
        notFound: readonly string[] = [],
    ): Promise<T | undefined> {
        if (this.deadline.passed) {
            throw this.timedOut(account, operation, what);
        }
        try {
            return await send(this.deadline.signal);
        } catch (error) {
            if (this.deadline.passed) {
                throw this.timedOut(account, operation, what);
            }
            const { code, httpStatus } = errorCode(error);
            if (notFound.includes(code)) {
                return undefined;
            }
            throw this.explain(account, operation, what, error, code, httpStatus);
        }
    }

    private timedOut(account: AuditAccount, operation: AuditOperation, what: string): CouldNotRunError {
        return new CouldNotRunError(
            `${account} account: ${operation} (${what}) did not finish within --timeout ${this.context.timeoutSeconds} s`,
            this.context.endpoint ? `is the emulator at ${this.context.endpoint} answering? check --endpoint` : "check the network, or pass a longer --timeout",
        );
    }

    private explain(account: AuditAccount, operation: AuditOperation, what: string, error: unknown, code: string, httpStatus?: number): CouldNotRunError {
        const message = maskAccessKeyIds(error instanceof Error ? error.message.split("\n")[0].slice(0, 300) : String(error).slice(0, 300));
        const credentials = this.context.credentials[account];
        const action: string | undefined = (AUDIT_CALLS[operation] as { iamAction?: string }).iamAction;
        if (isAccessDenied(error)) {
            return new CouldNotRunError(
                `${account} account: ${operation} on ${what} was refused (${code}${httpStatus ? `, HTTP ${httpStatus}` : ""}): the credentials of ${credentials} may not call ${action ?? operation}`,
                `attach the audit's read-only policy for the ${account} account (docs/audit.md) to those credentials`,
            );
        }
        if (isNetworkError(code, message)) {
            return new CouldNotRunError(
                `${account} account: ${operation} (${what}) could not reach ${this.context.endpoint ?? `AWS in ${this.context.region}`} (${code})`,
                this.context.endpoint
                    ? `is the emulator running at ${this.context.endpoint}? check --endpoint / AWS_ENDPOINT_URL`
                    : "check the network and proxy settings, and --region",
            );
        }
        if (code === "CredentialsProviderError" || /could not load credentials|could not resolve credentials/i.test(message)) {
            return new CouldNotRunError(
                `${account} account: no usable credentials (${credentials}): ${message}`,
                `pass --${account}-profile NAME (a profile with the ${account} account's read-only credentials)`,
            );
        }
        if (code === "InvalidClientTokenId" || code === "InvalidAccessKeyId" || code === "SignatureDoesNotMatch" || code === "ExpiredToken") {
            return new CouldNotRunError(
                `${account} account: ${operation} was refused (${code}): the credentials of ${credentials} are not valid here`,
                `check the profile's keys, or refresh its session (e.g. aws sso login)`,
            );
        }
        return new CouldNotRunError(
            `${account} account: ${operation} (${what}) failed: ${code}${httpStatus ? ` (HTTP ${httpStatus})` : ""}: ${message}`,
            notFoundHint(operation, what),
        );
    }
}

function notFoundHint(operation: AuditOperation, what: string): string {
    switch (operation) {
        case "GetRole":
        case "ListAttachedRolePolicies":
        case "ListRolePolicies":
            return `${what} does not exist in the blue account: check --role-name (the blue stack's roleName output) and the blue credentials' account`;
        case "GetGroup":
        case "ListGroupPolicies":
        case "ListAttachedGroupPolicies":
            return `${what} does not exist in the green account: check --group-name (the green stack's config groupName) and the green credentials' account`;
        default:
            return operation.startsWith("GetBucket") || operation === "GetPublicAccessBlock"
                ? `check --bucket (the blue stack's bucketName output) and --region`
                : "run again; if it persists, report it with the command line you ran";
    }
}
