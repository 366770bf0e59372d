/**
 * How long one AWS call may take, as the SDK's Node HTTP handler (`@smithy/node-http-handler`)
 * enforces it. Without these, a peer that accepts the connection and never answers, or sends the
 * headers and stalls, holds a call (and the script) forever:
 *
 * - `connectionTimeout`: the TCP (and TLS) connection must be up within this time (a host that
 *   never accepts: a full listen backlog, a firewall that drops SYNs);
 * - `requestTimeout` with `throwOnRequestTimeout: true`: the answer's headers must arrive within
 *   this time. Without `throwOnRequestTimeout` the handler only logs a warning and waits on;
 * - `socketTimeout`: the socket may stay silent at most this long, also while the body streams in
 *   after the headers (the request timeout ends once the headers are in).
 *
 * A timeout fails the call with `TimeoutError`; the SDK then retries it like any network error, up
 * to {@link SDK_MAX_ATTEMPTS} attempts in all, and the run's deadline (`--timeout`) bounds the whole.
 */

/**
 * The SDK's own attempts per call (network errors and timeouts, throttling, 5xx): the first and
 * two retries, with the SDK's backoff (throttling waits longer than the rest).
 */
export const SDK_MAX_ATTEMPTS = 3;

/**
 * The default of `--call-timeout`, in seconds: how long one AWS call may take (until the answer's
 * headers, and the longest silence of its socket) before it fails.
 */
export const DEFAULT_CALL_TIMEOUT_SECONDS = 30;

/** The largest `--call-timeout` accepted, in seconds. */
export const MAX_CALL_TIMEOUT_SECONDS = 300;

/** Connecting takes at most this long, in seconds, whatever `--call-timeout` says (AWS connects in well under a second). */
export const CONNECT_TIMEOUT_CAP_SECONDS = 5;

/** The handler options for a call timeout of `callTimeoutSeconds` (`--call-timeout`). */
export interface RequestHandlerTimeouts {
    /** Connecting, in ms. */
    readonly connectionTimeout: number;
    /** Until the answer's headers, in ms. */
    readonly requestTimeout: number;
    /** Fail the call when `requestTimeout` passes (rather than log a warning). Always `true`. */
    readonly throwOnRequestTimeout: true;
    /** The longest silence of the socket, in ms. */
    readonly socketTimeout: number;
}

/** The `requestHandler` options of every client for `--call-timeout SECONDS`. */
export function requestHandlerTimeouts(callTimeoutSeconds: number): RequestHandlerTimeouts {
    const callMs = Math.round(callTimeoutSeconds * 1000);
    return {
        connectionTimeout: Math.min(callMs, CONNECT_TIMEOUT_CAP_SECONDS * 1000),
        requestTimeout: callMs,
        throwOnRequestTimeout: true,
        socketTimeout: callMs,
    };
}
