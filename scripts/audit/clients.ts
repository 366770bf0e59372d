/**
 * The audit's AWS clients, one set per account, with bounded time: the verify script's client
 * configuration (scripts/verify/clients.ts), so both tools bound their calls the same way. A
 * connection must open within 5 s and a request answer within 30 s, and both fail the call.
 * With `--endpoint` every client goes to the emulator, S3 path-style.
 *
 * Every client records the commands it really sends (the SDK's own command name), so the tests
 * can hold them against the table of calls (awsCalls.ts) that the read-only policy is built from.
 */
import { IAMClient } from "@aws-sdk/client-iam";
import { S3Client } from "@aws-sdk/client-s3";
import { STSClient } from "@aws-sdk/client-sts";
import { fromIni, fromNodeProviderChain } from "@aws-sdk/credential-providers";
import { baseClientConfig, type BaseClientConfig } from "../verify/clients";
import { DEFAULT_CALL_TIMEOUT_SECONDS } from "../verify/clientTimeouts";
import type { AuditAccount } from "./awsCalls";

export { SDK_MAX_ATTEMPTS } from "../verify/clientTimeouts";

/** How long a request may wait for its answer (and its socket stay silent), in ms. */
const REQUEST_TIMEOUT_MS = DEFAULT_CALL_TIMEOUT_SECONDS * 1000;

/** A command the clients sent: which account, and the SDK's operation name (e.g. `GetRole`). */
export interface SentCall {
    /** The account whose credentials signed it. */
    readonly account: AuditAccount;
    /** The operation, the SDK command's name without `Command`. */
    readonly operation: string;
}

/** Where one account's clients send their calls, and with which credentials. */
export interface AccountClientOptions {
    /** Which account these clients are for (recorded with each call). */
    readonly account: AuditAccount;
    /** The region of every client. */
    readonly region: string;
    /** An emulator's URL, if any. */
    readonly endpoint?: string;
    /** The AWS CLI profile with the account's read-only credentials; unset: the SDK's default chain. */
    readonly profile?: string;
    /** The environment the profile files are found through (`AWS_CONFIG_FILE`, `AWS_SHARED_CREDENTIALS_FILE`). */
    readonly env?: NodeJS.ProcessEnv;
    /** Collects every command sent. */
    readonly sent?: SentCall[];
    /** How long a request may wait for its answer, in ms. Default {@link REQUEST_TIMEOUT_MS}; shorter in tests. */
    readonly requestTimeoutMs?: number;
}

/** One account's clients. Call {@link AccountClients.destroy} when done. */
export interface AccountClients {
    /** The account they act in. */
    readonly account: AuditAccount;
    /** IAM. */
    readonly iam: IAMClient;
    /** S3, path-style with an endpoint. */
    readonly s3: S3Client;
    /** STS, for GetCallerIdentity. */
    readonly sts: STSClient;
    /** Closes their connections. */
    destroy(): void;
}

/** The configuration every client shares, including the STS client a profile's `role_arn` uses. */
export function clientConfig(options: Pick<AccountClientOptions, "region" | "endpoint" | "requestTimeoutMs">): BaseClientConfig {
    return baseClientConfig({ region: options.region, endpoint: options.endpoint, callTimeoutSeconds: (options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS) / 1000 });
}

/** Creates one account's IAM, S3 and STS clients. */
export function createAccountClients(options: AccountClientOptions): AccountClients {
    const config = clientConfig(options);
    const env = options.env ?? process.env;
    const credentials =
        options.profile !== undefined
            ? fromIni({
                  profile: options.profile,
                  clientConfig: config,
                  ignoreCache: true,
                  // Read the files the given environment names, so a test's or caller's files are used.
                  ...(env.AWS_CONFIG_FILE ? { configFilepath: env.AWS_CONFIG_FILE } : {}),
                  ...(env.AWS_SHARED_CREDENTIALS_FILE ? { filepath: env.AWS_SHARED_CREDENTIALS_FILE } : {}),
              })
            : fromNodeProviderChain({ clientConfig: config });
    const iam = new IAMClient({ ...config, credentials });
    const s3 = new S3Client({ ...config, credentials, forcePathStyle: options.endpoint !== undefined });
    const sts = new STSClient({ ...config, credentials });
    if (options.sent) {
        for (const client of [iam, s3, sts]) {
            recordCommands(client, options.account, options.sent);
        }
    }
    return {
        account: options.account,
        iam,
        s3,
        sts,
        destroy: () => {
            iam.destroy();
            s3.destroy();
            sts.destroy();
        },
    };
}

/** Records each command the client sends, by the name the SDK gives it. */
function recordCommands(client: IAMClient | S3Client | STSClient, account: AuditAccount, sent: SentCall[]): void {
    // The three clients' middleware stacks differ only in their input/output types.
    (client.middlewareStack as IAMClient["middlewareStack"]).add(
        (next, context) => async (args) => {
            sent.push({ account, operation: (context.commandName ?? "unknown").replace(/Command$/, "") });
            return next(args);
        },
        { step: "initialize", name: "auditRecordCommand" },
    );
}
