/**
 * The AWS SDK clients the checks use, all pointed at the same region and, with `--endpoint`,
 * at the same emulator (S3 then path-style: without it the SDK would ask DNS for
 * `BUCKET.127.0.0.1`). Every call is bounded in time (clientTimeouts.ts) and tried at most
 * {@link SDK_MAX_ATTEMPTS} times, so a silent or unreachable endpoint cannot hang the script.
 */
import { S3Client, type S3ClientConfig } from "@aws-sdk/client-s3";
import { STSClient } from "@aws-sdk/client-sts";
import { DEFAULT_CALL_TIMEOUT_SECONDS, requestHandlerTimeouts, RequestHandlerTimeouts, SDK_MAX_ATTEMPTS } from "./clientTimeouts";

/** Where the clients send their calls, and how long each may take. */
export interface ClientTarget {
    /** The region of every client. */
    readonly region: string;
    /** An emulator's URL, if any. */
    readonly endpoint?: string;
    /** `--call-timeout`, in seconds. Default {@link DEFAULT_CALL_TIMEOUT_SECONDS}. */
    readonly callTimeoutSeconds?: number;
}

/** Credentials as the SDK takes them: static, or a provider. */
export type Credentials = NonNullable<S3ClientConfig["credentials"]>;

/** The configuration every client shares, including the STS clients of the credential providers. */
export interface BaseClientConfig {
    readonly region: string;
    readonly endpoint?: string;
    readonly maxAttempts: number;
    readonly requestHandler: RequestHandlerTimeouts;
}

/** The configuration shared by every client, including the STS clients of the credential providers. */
export function baseClientConfig(target: ClientTarget): BaseClientConfig {
    return {
        region: target.region,
        ...(target.endpoint ? { endpoint: target.endpoint } : {}),
        maxAttempts: SDK_MAX_ATTEMPTS,
        requestHandler: requestHandlerTimeouts(target.callTimeoutSeconds ?? DEFAULT_CALL_TIMEOUT_SECONDS),
    };
}

/** An STS client with these credentials. */
export function createStsClient(target: ClientTarget, credentials: Credentials): STSClient {
    return new STSClient({ ...baseClientConfig(target), credentials });
}

/** An S3 client with these credentials; path-style when an endpoint is set. */
export function createS3Client(target: ClientTarget, credentials: Credentials): S3Client {
    return new S3Client({ ...baseClientConfig(target), credentials, forcePathStyle: target.endpoint !== undefined });
}
