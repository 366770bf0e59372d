/**
 * Loaded by mocha before the specs (`require` in .mocharc.json, after tsx).
 *
 * The Pulumi SDK captures a stack trace for every promise it makes (`debuggablePromise` reads
 * `new Error().stack`; the trace is printed only for a promise still pending when the process exits).
 * tsx turns source maps on, so that a failing test's stack points at TypeScript lines; then every
 * capture maps each of its frames through the source-map cache, which was about a third of the CPU time
 * of the mocks suites. Those captures get V8's plain format here, cut to the frames that made the
 * promise (formatting all ten cost another 10%); every other stack (a failing assertion, an error a
 * test inspects) is still formatted by Node, in full and with source maps.
 */
import * as path from "node:path";

/** The SDK file whose `debuggablePromise` captures a stack per promise. */
const DEBUGGABLE = path.join("@pulumi", "pulumi", "runtime", "debuggable.js");

/** Whether V8 is formatting the trace `debuggablePromise` captures (its frame is the first). */
function capturedForPulumiPromise(frames: readonly NodeJS.CallSite[]): boolean {
    const top = frames[0];
    return top !== undefined && top.getFunctionName() === "debuggablePromise" && (top.getFileName() ?? "").endsWith(DEBUGGABLE);
}

/** How many frames below `debuggablePromise` a capture keeps: the SDK code that made the promise. */
const KEPT_FRAMES = 3;

/** V8's own format: the error's header, then one `at` line per kept frame. */
function plainStack(error: Error, frames: readonly NodeJS.CallSite[]): string {
    return [String(error), ...frames.slice(1, 1 + KEPT_FRAMES).map((frame) => `    at ${frame}`)].join("\n");
}

const nodeFormat = Error.prepareStackTrace;
if (nodeFormat) {
    Error.prepareStackTrace = (error, frames) => (capturedForPulumiPromise(frames) ? plainStack(error, frames) : nodeFormat(error, frames));
}
