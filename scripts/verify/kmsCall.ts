/**
 * One signed AWS KMS call (JSON 1.1 protocol), for check 6's `kms:CreateKey` probe. The package
 * ships no KMS client for a single probe: the request is built here, signed with SigV4
 * (`@smithy/signature-v4`, which the AWS SDK itself uses) and sent through the SDK's Node HTTP
 * handler with the same timeouts as every other call. An error answer is thrown in the shape of an
 * SDK service error (`name` = the error code, `$metadata.httpStatusCode`), so awsErrors.ts names it.
 */
import { createHash, createHmac } from "node:crypto";
import { HttpRequest } from "@smithy/core/protocols";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { SignatureV4 } from "@smithy/signature-v4";
import { ClientTarget } from "./clients";
import { requestHandlerTimeouts } from "./clientTimeouts";
import { DEFAULT_CALL_TIMEOUT_SECONDS } from "./args";
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

/** The KMS endpoint of a region: the emulator's when one is set, else `https://kms.REGION.amazonaws.com[.cn]`. */
export function kmsEndpoint(target: ClientTarget): URL {
    if (target.endpoint) {
        return new URL(target.endpoint);
    }
    const suffix = target.region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
    return new URL(`https://kms.${target.region}.${suffix}`);
}

/** An error answer of KMS, shaped like an SDK service error. */
export class KmsError extends Error {
    /** As the SDK reports it. */
    readonly $metadata: { readonly httpStatusCode: number };

    constructor(code: string, message: string, httpStatusCode: number) {
        super(message);
        this.name = code;
        this.$metadata = { httpStatusCode };
    }
}

/**
 * Calls KMS `operation` (e.g. `CreateKey`) with `input`, signed with `credentials`; resolves with the
 * parsed answer, or rejects with a {@link KmsError}, or the handler's network or timeout error.
 */
export async function callKms(target: ClientTarget, credentials: ResolvedCredentials, operation: string, input: Record<string, unknown>,
    options: { readonly abortSignal?: AbortSignal } = {}): Promise<unknown> {
    const url = kmsEndpoint(target);
    const body = JSON.stringify(input);
    const request = new HttpRequest({
        protocol: url.protocol,
        hostname: url.hostname,
        port: url.port ? Number(url.port) : undefined,
        method: "POST",
        path: url.pathname === "" ? "/" : url.pathname,
        headers: {
            host: url.host,
            "content-type": "application/x-amz-json-1.1",
            "x-amz-target": `TrentService.${operation}`,
        },
        body,
    });
    const signer = new SignatureV4({ service: "kms", region: target.region, credentials, sha256: Sha256 });
    const signed = await signer.sign(request);
    const handler = new NodeHttpHandler(requestHandlerTimeouts(target.callTimeoutSeconds ?? DEFAULT_CALL_TIMEOUT_SECONDS));
    try {
        const { response } = await handler.handle(signed as HttpRequest, { abortSignal: options.abortSignal });
        const chunks: Buffer[] = [];
        for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
            chunks.push(Buffer.from(chunk));
        }
        const text = Buffer.concat(chunks).toString("utf8");
        let parsed: Record<string, unknown> = {};
        try {
            parsed = text === "" ? {} : (JSON.parse(text) as Record<string, unknown>);
        } catch {
            parsed = {};
        }
        if (response.statusCode >= 300) {
            // KMS names the error in "__type" (sometimes prefixed with the namespace and '#').
            const type = String(parsed.__type ?? parsed.code ?? response.headers["x-amzn-errortype"] ?? response.statusCode).split("#").pop()?.split(":")[0] ?? "Unknown";
            throw new KmsError(type, String(parsed.message ?? parsed.Message ?? text.slice(0, 300)), response.statusCode);
        }
        return parsed;
    } finally {
        handler.destroy();
    }
}
