/**
 * Keeps what an AWS call's answer looked like on the wire (status, content type, the start of the
 * body), so a check can say what came back when an answer has the right status but not the
 * expected content: a proxy's HTML login page answered with 200 instead of STS.
 */
import type { STSClient } from "@aws-sdk/client-sts";

/** The start of an answer. */
export interface RawResponseSample {
    /** The HTTP status. */
    readonly status: number;
    /** The `Content-Type` header, if any. */
    readonly contentType?: string;
    /** The body's first characters, whitespace collapsed, control characters dropped. */
    readonly bodyStart: string;
}

/** How many characters of the body {@link RawResponseSample.bodyStart} keeps. */
const BODY_SAMPLE_LENGTH = 160;

/** The largest body read into memory to take the sample (GetCallerIdentity answers a few hundred bytes). */
const MAX_BODY_BYTES = 64 * 1024;

/**
 * Adds a middleware that samples every raw answer of `client` before the SDK parses it, and returns
 * a getter for the last sample. The body is read whole (it is small) and handed on as bytes, which
 * the SDK's parsers take as they take a stream.
 */
export function sampleRawResponses(client: STSClient): () => RawResponseSample | undefined {
    let last: RawResponseSample | undefined;
    // Priority "low" in the deserialize step: inside the SDK's deserializer, so this sees the answer first.
    client.middlewareStack.add(
        (next) => async (args) => {
            const result = await next(args);
            const response = result.response as { statusCode?: number; headers?: Record<string, string>; body?: unknown } | undefined;
            if (response && isReadable(response.body)) {
                const bytes = await readUpTo(response.body, MAX_BODY_BYTES);
                response.body = bytes;
                last = {
                    status: response.statusCode ?? 0,
                    contentType: response.headers?.["content-type"],
                    bodyStart: Buffer.from(bytes)
                        .toString("utf8")
                        .replace(/[^\x20-\x7e\u00a0-\uffff]+/g, " ")
                        .replace(/\s+/g, " ")
                        .trim()
                        .slice(0, BODY_SAMPLE_LENGTH),
                };
            }
            return result;
        },
        { step: "deserialize", priority: "low", name: "rawResponseSample" },
    );
    return () => last;
}

/** Describes a sample for a message: `HTTP 200 (text/html) beginning "<!DOCTYPE html>…"`. */
export function describeSample(sample: RawResponseSample | undefined): string {
    if (!sample) {
        return "an answer that could not be read";
    }
    const body = sample.bodyStart === "" ? "an empty body" : `a body beginning "${sample.bodyStart}${sample.bodyStart.length >= BODY_SAMPLE_LENGTH ? "…" : ""}"`;
    return `HTTP ${sample.status}${sample.contentType ? ` (${sample.contentType})` : ""} with ${body}`;
}

function isReadable(body: unknown): body is AsyncIterable<Uint8Array> {
    return typeof body === "object" && body !== null && Symbol.asyncIterator in body;
}

async function readUpTo(body: AsyncIterable<Uint8Array>, maxBytes: number): Promise<Uint8Array> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of body) {
        chunks.push(Buffer.from(chunk));
        size += chunk.length;
        if (size > maxBytes) {
            throw new Error(`the answer's body is larger than ${maxBytes} bytes: not what this call answers`);
        }
    }
    return new Uint8Array(Buffer.concat(chunks));
}
