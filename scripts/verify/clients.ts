/**
 * The AWS SDK clients the checks use, all pointed at the same region and, with `--endpoint`,
 * at the same emulator (S3 then path-style: without it the SDK would ask DNS for
 * `BUCKET.127.0.0.1`). Short timeouts and few SDK-level retries keep an unreachable endpoint
 * from hanging the script.
 */
import { S3Client, type S3ClientConfig } from "@aws-sdk/client-s3";
import { STSClient } from "@aws-sdk/client-sts";

/** Where the clients send their calls. */
export interface ClientTarget {
    /** The region of every client. */
    readonly region: string;
    /** An emulator's URL, if any. */
    readonly endpoint?: string;
}

/** Credentials as the SDK takes them: static, or a provider. */
export type Credentials = NonNullable<S3ClientConfig["credentials"]>;

/** The SDK's own attempts per call (network errors, throttling, 5xx). */
export const SDK_MAX_ATTEMPTS = 2;

/** The configuration shared by every client, including the STS clients of the credential providers. */
export function baseClientConfig(target: ClientTarget): { region: string; endpoint?: string; maxAttempts: number; requestHandler: { connectionTimeout: number; requestTimeout: number } } {
    return {
        region: target.region,
        ...(target.endpoint ? { endpoint: target.endpoint } : {}),
        maxAttempts: SDK_MAX_ATTEMPTS,
        requestHandler: { connectionTimeout: 5_000, requestTimeout: 30_000 },
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
