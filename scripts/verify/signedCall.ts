/**
 * Signed AWS calls for check 6's IAM and KMS probes, made without a service client: the package
 * ships only the S3 and STS clients, and a probe is one call. The request is built here, signed
 * with SigV4 (`@smithy/signature-v4`, which the AWS SDK itself uses) and sent through the SDK's Node
 * HTTP handler with the same timeouts as every other call. An error answer is thrown in the shape
 * of an SDK service error (`name` = the error code, `$metadata.httpStatusCode`), so awsErrors.ts
 * names it.
 *
 * - IAM: the query protocol (`Action=...&Version=2010-05-08`, form-encoded), one global endpoint per
 *   partition, errors as XML `<Code>`;
 * - KMS: JSON 1.1 (`X-Amz-Target: TrentService.OPERATION`), a regional endpoint, errors as `__type`.
 */
import { createHash, createHmac } from "node:crypto";
import { HttpRequest } from "@smithy/core/protocols";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { SignatureV4 } from "@smithy/signature-v4";
import type { ClientTarget } from "./clients";
import { DEFAULT_CALL_TIMEOUT_SECONDS, requestHandlerTimeouts } from "./clientTimeouts";
import type { ResolvedCredentials } from "./credentials";

/** SHA-256, or HMAC-SHA-256 with a secret, in the shape SigV4 takes (`update`, async `digest`). */
class Sha256 {
    private readonly hash;

    constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
        this.hash = secret === undefined ? createHash("sha256") : createHmac("sha256", toBytes(secret));
    }

    update(data: string | ArrayBuffer | ArrayBufferView): void {
        this.hash.update(toBytes(data));
    }

    async digest(): Promise<Uint8Array> {
        return new Uint8Array(this.hash.digest());
    }
}

function toBytes(data: string | ArrayBuffer | ArrayBufferView): string | Uint8Array {
    if (typeof data === "string") {
        return data;
    }
    return ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data);
}

/** Where a service's calls go, and the region they are signed for. */
interface ServiceEndpoint {
    readonly url: URL;
    readonly signingRegion: string;
}

/** The KMS endpoint of a region: the emulator's when one is set, else `https://kms.REGION.amazonaws.com[.cn]`. */
function kmsEndpoint(target: ClientTarget): ServiceEndpoint {
    if (target.endpoint) {
        return { url: new URL(target.endpoint), signingRegion: target.region };
    }
    const suffix = target.region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
    return { url: new URL(`https://kms.${target.region}.${suffix}`), signingRegion: target.region };
}

/**
 * The IAM endpoint of a partition: the emulator's when one is set, else IAM's global endpoint and
 * the region IAM signs for in that partition.
 */
function iamEndpoint(target: ClientTarget, partition: string): ServiceEndpoint {
    if (target.endpoint) {
        return { url: new URL(target.endpoint), signingRegion: target.region };
    }
    switch (partition) {
        case "aws-cn":
            return { url: new URL("https://iam.cn-north-1.amazonaws.com.cn"), signingRegion: "cn-north-1" };
        case "aws-us-gov":
            return { url: new URL("https://iam.us-gov.amazonaws.com"), signingRegion: "us-gov-west-1" };
        default:
            return { url: new URL("https://iam.amazonaws.com"), signingRegion: "us-east-1" };
    }
}

/** An error answer of IAM or KMS, shaped like an SDK service error. */
export class AwsCallError extends Error {
    /** As the SDK reports it. */
    readonly $metadata: { readonly httpStatusCode: number };

    constructor(code: string, message: string, httpStatusCode: number) {
        super(message);
        this.name = code;
        this.$metadata = { httpStatusCode };
    }
}

/** Options of a call. */
export interface SignedCallOptions {
    /** The run's deadline signal. */
    readonly abortSignal?: AbortSignal;
}

/** Calls IAM `action` with `params` (query protocol); resolves with the answer's XML, or rejects with an {@link AwsCallError}. */
export async function callIam(
    target: ClientTarget,
    partition: string,
    credentials: ResolvedCredentials,
    action: string,
    params: Record<string, string>,
    options: SignedCallOptions = {},
): Promise<string> {
    const body = new URLSearchParams({ Action: action, Version: "2010-05-08", ...params }).toString();
    const { status, text } = await sendSigned(
        target,
        credentials,
        "iam",
        iamEndpoint(target, partition),
        { "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
        body,
        options,
    );
    if (status >= 300) {
        const code = /<Code>([^<]+)<\/Code>/.exec(text)?.[1] ?? String(status);
        const message = /<Message>([^<]*)<\/Message>/.exec(text)?.[1] ?? text.slice(0, 300);
        throw new AwsCallError(code, message, status);
    }
    return text;
}

/** Calls KMS `operation` (e.g. `CreateKey`) with `input` (JSON 1.1); resolves with the parsed answer, or rejects with an {@link AwsCallError}. */
export async function callKms(
    target: ClientTarget,
    credentials: ResolvedCredentials,
    operation: string,
    input: Record<string, unknown>,
    options: SignedCallOptions = {},
): Promise<unknown> {
    const { status, text, headers } = await sendSigned(
        target,
        credentials,
        "kms",
        kmsEndpoint(target),
        { "content-type": "application/x-amz-json-1.1", "x-amz-target": `TrentService.${operation}` },
        JSON.stringify(input),
        options,
    );
    let parsed: Record<string, unknown> = {};
    try {
        parsed = text === "" ? {} : (JSON.parse(text) as Record<string, unknown>);
    } catch {
        parsed = {};
    }
    if (status >= 300) {
        // KMS names the error in "__type" (sometimes prefixed with the namespace and '#').
        const type =
            String(parsed.__type ?? parsed.code ?? headers["x-amzn-errortype"] ?? status)
                .split("#")
                .pop()
                ?.split(":")[0] ?? String(status);
        throw new AwsCallError(type, String(parsed.message ?? parsed.Message ?? text.slice(0, 300)), status);
    }
    return parsed;
}

/** Signs and sends one POST; resolves with the answer's status, headers and body text. */
async function sendSigned(
    target: ClientTarget,
    credentials: ResolvedCredentials,
    service: string,
    endpoint: ServiceEndpoint,
    headers: Record<string, string>,
    body: string,
    options: SignedCallOptions,
): Promise<{ status: number; headers: Record<string, string>; text: string }> {
    const { url } = endpoint;
    const request = new HttpRequest({
        protocol: url.protocol,
        hostname: url.hostname,
        port: url.port ? Number(url.port) : undefined,
        method: "POST",
        path: url.pathname === "" ? "/" : url.pathname,
        headers: { host: url.host, ...headers },
        body,
    });
    const signer = new SignatureV4({ service, region: endpoint.signingRegion, credentials, sha256: Sha256 });
    const signed = await signer.sign(request);
    const handler = new NodeHttpHandler(requestHandlerTimeouts(target.callTimeoutSeconds ?? DEFAULT_CALL_TIMEOUT_SECONDS));
    try {
        const { response } = await handler.handle(signed as HttpRequest, { abortSignal: options.abortSignal });
        const chunks: Buffer[] = [];
        for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
            chunks.push(Buffer.from(chunk));
        }
        return { status: response.statusCode, headers: response.headers, text: Buffer.concat(chunks).toString("utf8") };
    } finally {
        handler.destroy();
    }
}
