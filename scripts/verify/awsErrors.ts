/**
 * Names an error from the AWS SDK (or the network under it), decides whether it is a refusal
 * (access wrong) or something that kept the check from running, and gives a hint. Everything
 * it returns is safe to print: access key ids are masked, and an ExternalId or MFA code that AWS
 * echoes in a validation error is hidden.
 */

/** A refusal (access wrong) or a failure to run the check at all. */
export type ErrorKind = "refused" | "could-not-run";

/** An error, named and explained. */
export interface DescribedError {
    /** The AWS error code (`AccessDenied`, `NoSuchBucket`...), the network code (`ECONNREFUSED`), or the error's name. */
    readonly code: string;
    /** The HTTP status, when AWS answered. */
    readonly httpStatus?: number;
    /** Refused, or could not run. */
    readonly kind: ErrorKind;
    /** The error's own message, masked. */
    readonly message: string;
    /** What to do about it. */
    readonly hint: string;
}

/** Which call failed, and what the hint may mention. */
export interface ErrorContext {
    /** The step: the source identity, reaching the role, or an S3 call. */
    readonly step: "source" | "assume" | "s3";
    /** The bucket. */
    readonly bucket: string;
    /** The region. */
    readonly region: string;
    /** The emulator endpoint, if any. */
    readonly endpoint?: string;
    /** `--source-profile`, if given. */
    readonly sourceProfile?: string;
    /** The role profile with `--via profile`. */
    readonly roleProfile?: string;
    /** The S3 action and resource of the call, e.g. `s3:PutObject on arn:aws:s3:::b/k`. */
    readonly action?: string;
    /** The read-only checks run (`readOnly` output or `--read-only`). */
    readonly readOnly?: boolean;
    /** What the stack outputs say the trust policy requires. */
    readonly conditions?: { readonly externalIdRequired: boolean; readonly mfaRequired: boolean };
    /** What AssumeRole carried (never the values). */
    readonly assumeWith?: { readonly externalIdFrom?: string; readonly mfaSerial?: string; readonly mfaCode: boolean };
    /** `--call-timeout`, in seconds, for the hints of a call that timed out. */
    readonly callTimeoutSeconds?: number;
    /** `--timeout`, in seconds, for the hint of a call the run's deadline ended. */
    readonly timeoutSeconds?: number;
}

const REFUSAL_CODES = new Set(["AccessDenied", "AccessDeniedException", "Forbidden"]);
const UNKNOWN_KEY_CODES = new Set(["InvalidClientTokenId", "InvalidAccessKeyId"]);
/**
 * What AWS answers when a caller exceeds a request rate (STS, IAM: `Throttling`; S3: `SlowDown`,
 * 503; KMS: `ThrottlingException`; others `TooManyRequestsException`, 429). The SDK retries these
 * itself, with a longer backoff than other errors, up to its `maxAttempts`.
 */
const THROTTLING_CODES = new Set([
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "SlowDown",
    "RequestLimitExceeded",
    "RequestThrottled",
    "RequestThrottledException",
    "TooManyRequestsException",
    "BandwidthLimitExceeded",
]);
const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ENOTFOUND", "EAI_AGAIN", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "EPIPE", "TimeoutError", "RequestTimeout"]);

/**
 * True when the endpoint did not answer (refused, reset, unknown host, timed out): the error's code,
 * or the text Node puts in the message when the SDK keeps no code.
 * @param code The error's code, as {@link errorCode} reads it.
 * @param message The error's message.
 */
export function isNetworkError(code: string, message: string): boolean {
    return NETWORK_CODES.has(code) || /socket hang up|ECONNREFUSED|getaddrinfo/i.test(message);
}

/**
 * True when AWS refused the call for lack of permission: `AccessDenied`, or a bare 403 without
 * an error code (what S3 — and moto for a bucket-policy Deny — answers to some calls; the SDK
 * names it `Unknown`). Invalid keys and bad signatures are 403 too, but are not refusals.
 */
export function isAccessDenied(error: unknown): boolean {
    const { code, httpStatus } = errorCode(error);
    if (REFUSAL_CODES.has(code)) {
        return true;
    }
    return httpStatus === 403 && (code === "Unknown" || code === "UnknownError" || code === "403");
}

/**
 * True when AWS does not know the access key that signed the call: `InvalidClientTokenId` (STS)
 * or `InvalidAccessKeyId` (S3). A key created seconds ago (by `pulumi up` on the green stack) is
 * answered so for a few seconds while IAM propagates it (aws/aws-sdk-js#559: about 15 s before S3
 * knew a new key); a deleted, inactive or mistyped key is answered so for good.
 */
export function isUnknownAccessKey(error: unknown): boolean {
    return UNKNOWN_KEY_CODES.has(errorCode(error).code);
}

/** Names the error and says what to do. */
export function describeAwsError(error: unknown, context: ErrorContext): DescribedError {
    const { code, httpStatus } = errorCode(error);
    const message = maskAccessKeyIds(hideSecretParameterValues(errorMessage(error)));
    const where = context.endpoint ?? `AWS (${context.region})`;
    if (isAccessDenied(error)) {
        const named = code === "Unknown" || code === "UnknownError" || code === "403" ? "AccessDenied (bare 403)" : code;
        return { code: named, httpStatus, kind: "refused", message, hint: refusalHint(context) };
    }
    let hint: string;
    const timedOut = timeoutKind(error, code, message);
    if (timedOut !== undefined) {
        hint = timeoutHint(timedOut, context, where);
    } else if (/session limit for roles assumed by role chaining/i.test(message)) {
        // The source is itself a role session (a role profile, SSO or CI role): AWS caps the chained session at one hour.
        hint =
            "the source identity is itself a role session (role chaining), and AWS caps a role session assumed from one at 1 hour: " +
            (context.roleProfile
                ? `set duration_seconds in profile ${context.roleProfile} to 3600 or less, or remove it (the SDK then asks for 3600)`
                : "ask for at most 3600 seconds");
    } else if (isThrottled(error)) {
        const attempts = sdkAttempts(error);
        hint =
            `${where} throttled the call (${code}${httpStatus ? `, HTTP ${httpStatus}` : ""})${attempts > 1 ? ` on each of the SDK's ${attempts} attempts` : ""}: ` +
            "the account's request rate for this API is used up, often by other jobs calling it at the same time; " +
            "wait a minute and run again, and run fewer jobs against this account at once";
    } else if (isNetworkError(code, message)) {
        hint = context.endpoint
            ? `the endpoint ${context.endpoint} did not answer: is the emulator running? check --endpoint / AWS_ENDPOINT_URL`
            : `AWS did not answer: check the network, proxy settings and --region ${context.region}`;
    } else if (/multi-factor authentication/i.test(message)) {
        // fromIni: the role profile names an mfa_serial and no code was given.
        hint = `the role profile${context.roleProfile ? ` '${context.roleProfile}'` : ""} names an mfa_serial: pass --token-code CODE (the 6-digit code the device shows now)`;
    } else if (code === "CredentialsProviderError" || /could not load credentials|could not resolve credentials/i.test(message)) {
        hint =
            context.step === "assume" && context.roleProfile
                ? `the role profile '${context.roleProfile}' could not be used: check that it exists in ~/.aws/config (AWS_CONFIG_FILE) with role_arn and source_profile, or pass --role-profile`
                : context.sourceProfile
                  ? `no usable credentials in profile '${context.sourceProfile}': check ~/.aws/config and ~/.aws/credentials (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE), or pass --source-profile NAME`
                  : "no credentials found: pass --source-profile NAME (the profile with the green user's keys), or set AWS_PROFILE / AWS_ACCESS_KEY_ID";
    } else if (code === "InvalidClientTokenId" || code === "InvalidAccessKeyId" || code === "UnrecognizedClientException") {
        hint =
            `${where} does not know this access key: wrong profile (--source-profile), a deleted or inactive key, or keys meant for another endpoint or partition; ` +
            "a key created seconds ago is unknown for a few seconds: --wait SECONDS waits longer";
    } else if (code === "SignatureDoesNotMatch") {
        hint = "the secret key does not match the access key id (check the profile's aws_secret_access_key), or this machine's clock is off";
    } else if (code === "ExpiredToken" || code === "ExpiredTokenException" || code === "InvalidToken" || code === "TokenRefreshRequired") {
        hint = "the session token expired or is invalid: refresh the source credentials (e.g. aws sso login) and run again";
    } else if (code === "NoSuchBucket") {
        hint = `bucket ${context.bucket} does not exist at ${where}: check --bucket (the blue stack's bucketName output), --region and that the blue stack is deployed`;
    } else if (code === "PermanentRedirect" || code === "AuthorizationHeaderMalformed" || code === "IllegalLocationConstraintException" || code === "301") {
        hint = `bucket ${context.bucket} is in another region than ${context.region}: check --region (the blue stack's region output)`;
    } else if (code === "NoSuchEntity" || code === "RegionDisabledException") {
        hint = `the role or STS is not available at ${where}: check --role-arn and --region`;
    } else {
        hint = `unexpected ${code}${httpStatus ? ` (HTTP ${httpStatus})` : ""} from ${where}`;
    }
    return { code, httpStatus, kind: "could-not-run", message, hint };
}

/** True when AWS answered that the caller exceeded a request rate (see {@link THROTTLING_CODES}), or HTTP 429. */
function isThrottled(error: unknown): boolean {
    const { code, httpStatus } = errorCode(error);
    return THROTTLING_CODES.has(code) || httpStatus === 429;
}

/** How many attempts the SDK made for the call that failed with this error (1 when it did not say). */
export function sdkAttempts(error: unknown): number {
    const attempts = (error as { $metadata?: { attempts?: number } } | undefined)?.$metadata?.attempts;
    return typeof attempts === "number" && attempts > 0 ? attempts : 1;
}

/**
 * How a call ran out of time, if it did: it never connected, it connected and the answer (or the
 * rest of it) never came, or the run's deadline (`--timeout`) aborted it.
 */
export type TimeoutKind = "connect" | "answer" | "deadline";

/** The {@link TimeoutKind} of an error, or `undefined` when it is not about time. */
function timeoutKind(error: unknown, code: string = errorCode(error).code, message: string = errorMessage(error)): TimeoutKind | undefined {
    if (code === "AbortError" || code === "DeadlineExceededError") {
        return "deadline";
    }
    if (/did not establish a connection/i.test(message)) {
        return "connect";
    }
    if (code === "TimeoutError" || code === "ETIMEDOUT" || /requestTimeout|timed out after \d+ ms of inactivity/i.test(message)) {
        return "answer";
    }
    return undefined;
}

function timeoutHint(kind: TimeoutKind, context: ErrorContext, where: string): string {
    const check = context.endpoint
        ? "check --endpoint / AWS_ENDPOINT_URL (is the emulator or proxy there running and answering?)"
        : `check the network, proxy settings (HTTPS_PROXY) and --region ${context.region}`;
    const seconds = (value: number | undefined, flag: string): string => (value !== undefined ? `${value} s (${flag})` : `the ${flag} limit`);
    switch (kind) {
        case "connect":
            return `could not connect to ${where}: the connection was not accepted in time, as when a firewall drops packets or the host is overloaded; ${check}`;
        case "answer":
            return (
                `${where} accepted the connection but did not answer within ${seconds(context.callTimeoutSeconds, "--call-timeout")}, ` +
                `as a stuck proxy or a firewall that drops the answer does; ${check}, or allow a slow endpoint longer with --call-timeout SECONDS`
            );
        case "deadline":
            return (
                `the run's deadline of ${seconds(context.timeoutSeconds, "--timeout")} passed while this call waited on ${where}; ${check}, ` +
                "or allow the whole run longer with --timeout SECONDS"
            );
    }
}

/** The error's code and HTTP status, looking through SDK, Node network and aggregate errors. */
export function errorCode(error: unknown): { code: string; httpStatus?: number } {
    if (error === null || typeof error !== "object") {
        return { code: String(error) };
    }
    const e = error as {
        name?: string;
        code?: string | number;
        Code?: string;
        $metadata?: { httpStatusCode?: number };
        $response?: { statusCode?: number };
        errors?: unknown[];
        cause?: unknown;
    };
    const httpStatus = e.$metadata?.httpStatusCode ?? e.$response?.statusCode;
    // A network error: Node's errno code (ECONNREFUSED...), even after the SDK added its $metadata.
    if (typeof e.code === "string" && e.code.length > 0 && (e.name === undefined || e.name === "Error")) {
        return { code: e.code, httpStatus };
    }
    if (Array.isArray(e.errors) && e.errors.length > 0 && e.name === "AggregateError") {
        return errorCode(e.errors[0]);
    }
    const code = e.Code ?? (e.name && e.name !== "Error" ? e.name : undefined);
    if (code) {
        return { code, httpStatus };
    }
    if (e.cause) {
        return errorCode(e.cause);
    }
    return { code: httpStatus ? String(httpStatus) : "Error", httpStatus };
}

/**
 * Hides the value AWS echoes in a validation error for a secret parameter, e.g. STS's
 * `Value 'x' at 'externalId' failed to satisfy constraint`: the value is an ExternalId or an MFA code.
 */
function hideSecretParameterValues(text: string): string {
    return text.replace(/Value '[^']*' at '(externalId|tokenCode)'/gi, "Value (not shown) at '$1'");
}

/** Replaces access key ids (`AKIA...`, `ASIA...`) in a text by their first four letters and asterisks. */
export function maskAccessKeyIds(text: string): string {
    return text.replace(/\b(AKIA|ASIA|AROA|AIDA)[A-Z0-9]{12,}\b/g, (_key, prefix: string) => `${prefix}************`);
}

function errorMessage(error: unknown): string {
    if (error instanceof Error) {
        const aggregate = (error as { errors?: unknown[] }).errors;
        if (!error.message && Array.isArray(aggregate) && aggregate[0] instanceof Error) {
            return aggregate[0].message;
        }
        return error.message.split("\n")[0].slice(0, 500);
    }
    return String(error).slice(0, 500);
}

function refusalHint(context: ErrorContext): string {
    const propagation = "a role or policy created seconds ago can be refused for 10 to 30 s: --wait SECONDS waits longer";
    switch (context.step) {
        case "source":
            return "the source identity was refused: check --source-profile";
        case "assume":
            return [
                ...conditionHints(context),
                "the source identity may not assume the role: check that the user is in the group whose inline policy allows " +
                    "sts:AssumeRole on exactly this role ARN, that the role trusts the green account, and that --source-profile " +
                    `(or --role-profile) names the green user's keys; ${context.assumeWith?.mfaCode ? "with an MFA code AssumeRole is tried once: run again with a fresh code" : propagation}`,
            ].join("; ");
        case "s3": {
            const readOnly =
                !context.readOnly && context.action?.startsWith("s3:PutObject ")
                    ? "; if the role is meant to be read-only, pass --read-only (or read the blue stack's readOnly output with --stack)"
                    : "";
            return (
                `the role may not call ${context.action ?? "this S3 action"}: check --bucket (the blue stack's bucketName output), ` +
                `the role's managed policy, and --key-prefix if the role is limited to an objectKeyPrefix; ${propagation}${readOnly}`
            );
        }
    }
}

/**
 * AWS does not say which condition of a trust policy refused an AssumeRole: when the stack outputs say
 * the role requires MFA or an ExternalId, these say where to look first.
 */
function conditionHints(context: ErrorContext): string[] {
    const hints: string[] = [];
    const profile = context.roleProfile;
    if (context.conditions?.mfaRequired) {
        hints.push(
            profile
                ? `the role requires MFA (output mfaRequired): check mfa_serial in profile ${profile} (the green user's own device) and that --token-code is the code it shows now`
                : "the role requires MFA (output mfaRequired): check that --mfa-serial is the green user's own device and --token-code the code it shows now (codes last about 30 s)",
        );
    }
    if (context.conditions?.externalIdRequired) {
        hints.push(
            profile
                ? `the role requires an ExternalId (output externalIdRequired): check external_id in profile ${profile} against the blue stack's config externalId`
                : `the role requires an ExternalId (output externalIdRequired): check that ${context.assumeWith?.externalIdFrom ?? "--external-id"} matches the blue stack's config externalId`,
        );
    }
    return hints;
}
