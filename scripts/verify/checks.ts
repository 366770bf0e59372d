/**
 * The six checks, in order. Each records pass/fail and its duration; once one does not pass,
 * the rest are marked "skipped" (each needs the one before it).
 *
 * 1. green identity: GetCallerIdentity with the source credentials; its account is not the role's.
 * 2. assume role: AssumeRole (or the role profile), then GetCallerIdentity shows
 *    `assumed-role/<role name>` in the role's (blue) account.
 *
 * A role that may write (the default):
 * 3. put: PutObject of a small random body at {@link PROBE_KEY} (overwritten each run).
 * 4. list: ListObjectsV2 finds it, with its size.
 * 5. get: GetObject returns the same bytes (SHA-256 compared).
 *
 * A read-only role (`readOnly` output, or `--read-only`): nothing is written.
 * 3. put refused: PutObject at {@link PROBE_KEY} must be refused; allowed = broader than intended.
 * 4. list allowed: ListObjectsV2 under the probe prefix is allowed (it need not find anything).
 * 5. get allowed: GetObject of a key that does not exist answers `NoSuchKey` (404). S3 answers 404
 *    for a missing key only when GetObject is allowed and the caller may also ListBucket (check 4
 *    proved that); a refused GetObject answers 403 AccessDenied.
 *
 * 6. refused: actions the role must not have are refused (see {@link NEGATIVE_PROBES}).
 *
 * AccessDenied on AssumeRole and on the first S3 call expected to be allowed (PutObject, or
 * ListObjectsV2 for a read-only role) is retried with backoff for up to `--wait` seconds, because
 * IAM is eventually consistent. With an MFA code AssumeRole is tried once: a code is short-lived,
 * so waiting with the same code cannot help. 8 AWS calls when nothing is retried:
 * GetCallerIdentity, AssumeRole, GetCallerIdentity, PutObject, ListObjectsV2, GetObject, DeleteObject,
 * GetBucketPolicy.
 */
import { createHash, randomBytes } from "node:crypto";
import {
    DeleteObjectCommand,
    GetBucketPolicyCommand,
    GetObjectCommand,
    ListObjectsV2Command,
    PutObjectCommand,
    S3Client,
} from "@aws-sdk/client-s3";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import type { Via } from "./args";
import { describeAwsError, ErrorContext, errorCode, isAccessDenied } from "./awsErrors";
import { ClientTarget, createS3Client, createStsClient } from "./clients";
import { CredentialProvider, ResolvedCredentials } from "./credentials";
import { EXIT_ACCESS_WRONG, EXIT_COULD_NOT_RUN, EXIT_OK, ExitCode } from "./exitCodes";
import { retryWithBackoff, RetryNotice } from "./retry";
import type { VerifyTarget } from "./stackOutputs";

/**
 * The key the script writes, lists, reads and overwrites on every run: always this one key, so
 * the bucket holds one current probe object however often it runs. With versioning on (the
 * component's default) each overwrite keeps the previous body as a noncurrent version, which the
 * role cannot delete: runs add one noncurrent version each (expire them with a lifecycle rule on
 * `cross-account-verify/`). Its body is random text, so each run proves a fresh write. With
 * `--key-prefix` (a role limited to `objectKeyPrefix`) it goes under that prefix, as do the keys
 * below. A read-only role writes nothing (the write must be refused).
 */
export const PROBE_KEY = "cross-account-verify/probe.txt";

/**
 * The prefix ListObjectsV2 uses to find the probe: the probe's folder without the trailing
 * slash. (moto 5.2.1 miscomputes the SigV4 signature of a query value holding `/`, such as
 * `prefix=cross-account-verify/`, and answers SignatureDoesNotMatch; this prefix works on both.)
 */
export const PROBE_LIST_PREFIX = "cross-account-verify";

/** The prefix of the never-existing key that check 6 tries to delete (a random suffix follows). */
export const NEGATIVE_KEY_PREFIX = "cross-account-verify/must-not-delete-";

/** The prefix of the never-existing key a read-only role's check 5 reads (a random suffix follows). */
export const ABSENT_KEY_PREFIX = "cross-account-verify/absent-";

/**
 * The actions check 6 expects to be refused. Both are harmless if wrongly allowed: the object to
 * delete never exists (in a versioned bucket an allowed delete would leave one delete marker
 * under `cross-account-verify/`), and reading the bucket policy changes nothing.
 */
export const NEGATIVE_PROBES = ["s3:DeleteObject", "s3:GetBucketPolicy"] as const;

/** pass; fail = access wrong; error = could not run the check; skipped = an earlier check did not pass. */
export type CheckStatus = "pass" | "fail" | "error" | "skipped";

/** One line of the report. */
export interface CheckResult {
    /** 1 to 6. */
    readonly id: number;
    /** Short name, e.g. `assume role`. */
    readonly name: string;
    /** The outcome. */
    readonly status: CheckStatus;
    /** Its wall time, in ms (waits included). */
    readonly durationMs: number;
    /** What was seen: an ARN, a key and checksum, or what went wrong. */
    readonly detail: string;
    /** The AWS or network error code, when one decided the outcome. */
    readonly errorCode?: string;
    /** What to do, when it did not pass. */
    readonly hint?: string;
    /** Calls made for this check, retries included. */
    readonly awsCalls: number;
}

/** A caller identity. */
export interface Identity {
    /** The ARN GetCallerIdentity returned. */
    readonly arn: string;
    /** Its account. */
    readonly account: string;
}

/** The whole outcome: what the table and the JSON show. Holds no secret. */
export interface VerifyReport {
    /** Every check passed. */
    readonly ok: boolean;
    /** 0, 1 (access wrong) or 2 (could not run). */
    readonly exitCode: ExitCode;
    /** What was checked. */
    readonly target: {
        readonly bucket: string;
        readonly region: string;
        readonly roleArn?: string;
        readonly endpoint?: string;
        readonly via: Via;
        readonly sourceProfile?: string;
        readonly roleProfile?: string;
        readonly probeKey: string;
        /** The read-only checks ran: nothing was meant to be written. */
        readonly readOnly: boolean;
        /** Where the ExternalId sent with AssumeRole came from (never its value), if one was sent. */
        readonly externalIdFrom?: string;
        /** The MFA device sent with AssumeRole (`--via assume`), if any. */
        readonly mfaSerial?: string;
        /** An MFA code was sent (its value is never reported). */
        readonly mfaCode: boolean;
    };
    /** Who the source credentials and the role credentials turned out to be. */
    readonly identities: { readonly source?: Identity; readonly role?: Identity };
    /** The checks, in order. */
    readonly checks: readonly CheckResult[];
    /** AWS calls made (AssumeRole included), retries included. */
    readonly awsCalls: number;
    /** Wall time of all checks, in ms. */
    readonly durationMs: number;
}

/** Told while a check waits for IAM to propagate. */
export interface WaitNotice extends RetryNotice {
    /** The check that waits. */
    readonly checkId: number;
    /** The refused call, e.g. `AssumeRole`. */
    readonly call: string;
    /** Its error code. */
    readonly code: string;
}

/** What {@link runChecks} needs. */
export interface RunChecksOptions {
    /** Role, bucket and region. */
    readonly target: VerifyTarget;
    /** An emulator endpoint, if any. */
    readonly endpoint?: string;
    /** How the role is reached. */
    readonly via: Via;
    /** `--source-profile`, for the report and hints. */
    readonly sourceProfile?: string;
    /** `--role-profile`, for the report and hints (with `--via profile`). */
    readonly roleProfile?: string;
    /** The longest wait for IAM propagation, in seconds. */
    readonly waitSeconds: number;
    /** What AssumeRole carries, for the report and hints; never the values. Default: nothing. */
    readonly assumeWith?: { readonly externalIdFrom?: string; readonly mfaSerial?: string; readonly mfaCode: boolean };
    /** The source credentials. */
    readonly sourceCredentials: CredentialProvider;
    /** Makes the role's provider from the resolved source credentials (one AssumeRole per call). */
    readonly roleCredentials: (source: ResolvedCredentials) => CredentialProvider;
    /** Told when a check waits. */
    readonly onWait?: (notice: WaitNotice) => void;
    /** Told when a check ends. */
    readonly onCheck?: (result: CheckResult) => void;
    /** Clock, for tests. Default `Date.now`. */
    readonly now?: () => number;
    /** Sleep, for tests. Default a timer. */
    readonly sleep?: (ms: number) => Promise<void>;
}

/** A check that ran and found the access other than intended. */
class CheckFailed extends Error {
    constructor(readonly detail: string, readonly hint: string, readonly code?: string) {
        super(detail);
    }
}

/** An AWS error, with how many attempts were made before giving up. */
class GaveUp extends Error {
    constructor(readonly lastError: unknown, readonly attempts: number, readonly elapsedMs: number, readonly exhausted: boolean) {
        super("gave up");
    }
}

/** Runs the six checks and returns the report. Never throws for an AWS or network error. */
export async function runChecks(options: RunChecksOptions): Promise<VerifyReport> {
    const now = options.now ?? Date.now;
    const { target } = options;
    const clientTarget: ClientTarget = { region: target.region, endpoint: options.endpoint };
    const started = now();
    const results: CheckResult[] = [];
    const identities: { source?: Identity; role?: Identity } = {};
    let totalCalls = 0;
    let stopped: CheckResult | undefined;

    const assumeWith = options.assumeWith ?? { mfaCode: false };
    const baseContext = {
        bucket: target.bucket,
        region: target.region,
        endpoint: options.endpoint,
        sourceProfile: options.sourceProfile,
        roleProfile: options.via === "profile" ? options.roleProfile : undefined,
        readOnly: target.readOnly,
        conditions: target.conditions,
        assumeWith,
    };

    const run = async (id: number, name: string, context: ErrorContext, body: (count: () => void) => Promise<string>): Promise<void> => {
        if (stopped) {
            results.push({ id, name, status: "skipped", durationMs: 0, detail: `not run: check ${stopped.id} did not pass`, awsCalls: 0 });
            return;
        }
        const checkStarted = now();
        let calls = 0;
        const count = (): void => {
            calls++;
            totalCalls++;
        };
        let result: CheckResult;
        try {
            const detail = await body(count);
            result = { id, name, status: "pass", durationMs: now() - checkStarted, detail, awsCalls: calls };
        } catch (error) {
            const durationMs = now() - checkStarted;
            if (error instanceof CheckFailed) {
                result = { id, name, status: "fail", durationMs, detail: error.detail, errorCode: error.code, hint: error.hint, awsCalls: calls };
            } else {
                const gaveUp = error instanceof GaveUp ? error : undefined;
                const described = describeAwsError(gaveUp ? gaveUp.lastError : error, context);
                const waited = gaveUp && gaveUp.attempts > 1 ? ` (still refused after ${gaveUp.attempts} attempts over ${(gaveUp.elapsedMs / 1000).toFixed(1)} s)` : "";
                result = {
                    id,
                    name,
                    status: described.kind === "refused" ? "fail" : "error",
                    durationMs,
                    detail: `${described.code}: ${described.message}${waited}`,
                    errorCode: described.code,
                    hint: described.hint,
                    awsCalls: calls,
                };
            }
            stopped = result;
        }
        results.push(result);
        options.onCheck?.(result);
    };

    const retrying = async <T>(checkId: number, call: string, count: () => void, operation: () => Promise<T>, maxWaitSeconds = options.waitSeconds): Promise<T> => {
        const outcome = await retryWithBackoff(async () => {
            count();
            return operation();
        }, {
            maxWaitMs: maxWaitSeconds * 1000,
            isRetryable: isAccessDenied,
            now,
            sleep: options.sleep,
            onRetry: (notice) => options.onWait?.({ ...notice, checkId, call, code: errorCode(notice.error).code }),
        });
        if (!outcome.ok) {
            throw new GaveUp(outcome.error, outcome.attempts, outcome.elapsedMs, outcome.exhausted);
        }
        return outcome.value;
    };

    // 1. Who the source credentials are, and that they are not in the role's account.
    let source: ResolvedCredentials | undefined;
    await run(1, "green identity", { ...baseContext, step: "source" }, async (count) => {
        source = await options.sourceCredentials();
        const sts = createStsClient(clientTarget, source);
        try {
            count();
            const identity = await sts.send(new GetCallerIdentityCommand({}));
            identities.source = { arn: identity.Arn ?? "?", account: identity.Account ?? "?" };
        } finally {
            sts.destroy();
        }
        const { arn, account } = identities.source;
        if (target.roleAccountId !== undefined && account === target.roleAccountId) {
            throw new CheckFailed(`${arn} is in the role's own account ${account}: this checks nothing cross-account`,
                "use the identity (green) account's credentials: --source-profile green");
        }
        return `${arn} (account ${account}${target.roleAccountId ? `, not the role's ${target.roleAccountId}` : ""})`;
    });

    // 2. Reach the role; GetCallerIdentity must show assumed-role/<name> in the role's account.
    let role: ResolvedCredentials | undefined;
    await run(2, "assume role", { ...baseContext, step: "assume" }, async (count) => {
        const resolvedSource = source as ResolvedCredentials;
        // An MFA code is valid for seconds: retrying with the same code would only spend the --wait.
        role = await retrying(2, options.via === "profile" ? `AssumeRole (profile ${options.roleProfile})` : "AssumeRole", count,
            () => options.roleCredentials(resolvedSource)(), assumeWith.mfaCode ? 0 : options.waitSeconds);
        const sts = createStsClient(clientTarget, role);
        let arn: string;
        try {
            count();
            const identity = await sts.send(new GetCallerIdentityCommand({}));
            arn = identity.Arn ?? "?";
            identities.role = { arn, account: identity.Account ?? "?" };
        } finally {
            sts.destroy();
        }
        const parsed = /^arn:[\w-]+:sts::(\d{12}):assumed-role\/([^/]+)\/(.+)$/.exec(arn);
        if (!parsed) {
            throw new CheckFailed(`the role credentials are ${arn}, not an assumed role`,
                options.via === "profile" ? `check role_arn in profile ${options.roleProfile}` : "check --role-arn");
        }
        const [, account, roleName] = parsed;
        if (target.role && roleName !== target.role.roleName) {
            throw new CheckFailed(`assumed role ${roleName}, expected ${target.role.roleName}`,
                options.via === "profile" ? `profile ${options.roleProfile} names another role than ${target.roleArn}: fix its role_arn` : "check --role-arn");
        }
        if (target.roleAccountId !== undefined && account !== target.roleAccountId) {
            throw new CheckFailed(`assumed a role in account ${account}, expected the blue account ${target.roleAccountId}`,
                options.via === "profile" ? `fix role_arn in profile ${options.roleProfile}` : "check --role-arn");
        }
        if (identities.source && account === identities.source.account) {
            throw new CheckFailed(`the role is in the source identity's own account ${account}: not cross-account`,
                "the role must live in the resource (blue) account and be assumed from the identity (green) account");
        }
        return `${arn} (blue account ${account})`;
    });

    // 3-5. Read-write: put a random body at the probe key, find it, read it back.
    //      Read-only: the put is refused, the listing allowed, a missing key answers NoSuchKey.
    const probeKey = `${target.keyPrefix}${PROBE_KEY}`;
    const listPrefix = `${target.keyPrefix}${PROBE_LIST_PREFIX}`;
    const body = Buffer.from(`cross-account verify probe\nwritten: ${new Date(now()).toISOString()}\nnonce: ${randomBytes(16).toString("hex")}\n`);
    const digest = sha256(body);
    const objectArn = `arn:aws:s3:::${target.bucket}/${probeKey}`;
    const listAction = `s3:ListBucket on arn:aws:s3:::${target.bucket}`;
    let s3: S3Client | undefined;
    const put = (client: S3Client): Promise<unknown> => client.send(new PutObjectCommand({
        Bucket: target.bucket,
        Key: probeKey,
        Body: body,
        ContentType: "text/plain; charset=utf-8",
    }));
    try {
        if (target.readOnly) {
            await run(3, "refused: put (read-only)", { ...baseContext, step: "s3", action: `s3:PutObject on ${objectArn}` }, async (count) => {
                s3 = createS3Client(clientTarget, role as ResolvedCredentials);
                try {
                    count();
                    await put(s3);
                } catch (error) {
                    if (isAccessDenied(error)) {
                        return `PutObject on s3://${target.bucket}/${probeKey} refused (${describeAwsError(error, { ...baseContext, step: "s3" }).code}), as a read-only role must be`;
                    }
                    throw error;
                }
                throw new CheckFailed(`the role is broader than intended: s3:PutObject was allowed on a read-only role (it wrote s3://${target.bucket}/${probeKey})`,
                    "a read-only role's policy must grant only s3:GetObject on BUCKET/* and s3:ListBucket on BUCKET: remove s3:PutObject; " +
                    "if the role is meant to write, drop --read-only (or deploy with readOnly false)", "Allowed");
            });

            await run(4, "list allowed", { ...baseContext, step: "s3", action: listAction }, async (count) => {
                const client = s3 as S3Client;
                // The first call a read-only role must be allowed: a new role or policy may still be propagating.
                const listed = await retrying(4, "ListObjectsV2", count, () => client.send(new ListObjectsV2Command({ Bucket: target.bucket, Prefix: listPrefix, MaxKeys: 10 })));
                const keys = listed.KeyCount ?? listed.Contents?.length ?? 0;
                return `ListObjectsV2 under ${listPrefix} allowed (${keys} key${keys === 1 ? "" : "s"} listed)`;
            });

            const absentKey = `${target.keyPrefix}${ABSENT_KEY_PREFIX}${randomBytes(8).toString("hex")}`;
            await run(5, "get allowed (NoSuchKey)", { ...baseContext, step: "s3", action: `s3:GetObject on arn:aws:s3:::${target.bucket}/${absentKey}` }, async (count) => {
                try {
                    count();
                    const got = await (s3 as S3Client).send(new GetObjectCommand({ Bucket: target.bucket, Key: absentKey }));
                    await got.Body?.transformToByteArray();
                    return `GetObject of ${absentKey} allowed (the key exists after all)`;
                } catch (error) {
                    if (errorCode(error).code === "NoSuchKey") {
                        return `GetObject of ${absentKey} (no such key) answered NoSuchKey (404): reads are allowed`;
                    }
                    if (isAccessDenied(error)) {
                        const code = describeAwsError(error, { ...baseContext, step: "s3" }).code;
                        throw new CheckFailed(`GetObject of ${absentKey} (no such key) was refused (${code}, HTTP 403): reads are not allowed`,
                            "the role may list (check 4) but not read: its policy must grant s3:GetObject on BUCKET/* (on BUCKET/PREFIX/* with --key-prefix); " +
                            "S3 answers 403 rather than 404 for a missing key when GetObject is refused (or ListBucket is, which check 4 ruled out)", code);
                    }
                    throw error;
                }
            });
        } else {
            await run(3, "put probe object", { ...baseContext, step: "s3", action: `s3:PutObject on ${objectArn}` }, async (count) => {
                s3 = createS3Client(clientTarget, role as ResolvedCredentials);
                const client = s3;
                await retrying(3, "PutObject", count, () => put(client));
                return `s3://${target.bucket}/${probeKey}, ${body.length} bytes, sha256 ${digest.slice(0, 12)}…`;
            });

            await run(4, "list finds probe", { ...baseContext, step: "s3", action: listAction }, async (count) => {
                const client = s3 as S3Client;
                let token: string | undefined;
                for (let page = 1; page <= 10; page++) {
                    count();
                    const listed = await client.send(new ListObjectsV2Command({ Bucket: target.bucket, Prefix: listPrefix, ContinuationToken: token }));
                    const found = listed.Contents?.find((object) => object.Key === probeKey);
                    if (found) {
                        if (found.Size !== body.length) {
                            throw new CheckFailed(`listed ${probeKey} with ${found.Size} bytes, wrote ${body.length}`, "another writer changed the probe object during the run: run again");
                        }
                        return `listed ${probeKey} (${found.Size} bytes)`;
                    }
                    if (!listed.IsTruncated || !listed.NextContinuationToken) {
                        break;
                    }
                    token = listed.NextContinuationToken;
                }
                throw new CheckFailed(`ListObjectsV2 under ${listPrefix} did not list ${probeKey}`,
                    "the write was accepted but the object is not listed: check that --bucket and --region name the same bucket the role writes to");
            });

            await run(5, "get returns same bytes", { ...baseContext, step: "s3", action: `s3:GetObject on ${objectArn}` }, async (count) => {
                count();
                const got = await (s3 as S3Client).send(new GetObjectCommand({ Bucket: target.bucket, Key: probeKey }));
                const bytes = Buffer.from(await (got.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray());
                const gotDigest = sha256(bytes);
                if (gotDigest !== digest) {
                    throw new CheckFailed(`read ${bytes.length} bytes with sha256 ${gotDigest.slice(0, 12)}…, wrote ${body.length} with ${digest.slice(0, 12)}…`,
                        "the object read back is not the one written: another writer, or an encryption or proxy layer changing bodies");
                }
                return `${bytes.length} bytes, sha256 matches`;
            });
        }

        // 6. What the role must not do is refused.
        await run(6, "refused: delete, bucket policy", { ...baseContext, step: "s3" }, async (count) => {
            const client = s3 as S3Client;
            const allowed: string[] = [];
            const refusedCodes: string[] = [];
            const probe = async (action: string, call: () => Promise<unknown>, allowedCodes: readonly string[] = []): Promise<void> => {
                try {
                    count();
                    await call();
                    allowed.push(action);
                } catch (error) {
                    if (isAccessDenied(error)) {
                        refusedCodes.push(describeAwsError(error, { ...baseContext, step: "s3" }).code);
                    } else if (allowedCodes.includes(errorCode(error).code)) {
                        allowed.push(action);
                    } else {
                        throw error;
                    }
                }
            };
            const neverExisting = `${target.keyPrefix}${NEGATIVE_KEY_PREFIX}${randomBytes(8).toString("hex")}`;
            await probe("s3:DeleteObject", () => client.send(new DeleteObjectCommand({ Bucket: target.bucket, Key: neverExisting })));
            // NoSuchBucketPolicy means the call was allowed and the bucket simply has no policy.
            await probe("s3:GetBucketPolicy", () => client.send(new GetBucketPolicyCommand({ Bucket: target.bucket })), ["NoSuchBucketPolicy"]);
            if (allowed.length > 0) {
                throw new CheckFailed(`the role is broader than intended: ${allowed.join(", ")} was allowed`,
                    `the role's policy must grant exactly ${target.readOnly ? "" : "s3:PutObject, "}s3:GetObject on BUCKET/* and s3:ListBucket on BUCKET: look for extra actions or wildcards such as s3:*`, "Allowed");
            }
            return `${NEGATIVE_PROBES.join(", ")} refused (${[...new Set(refusedCodes)].join(", ")})`;
        });
    } finally {
        s3?.destroy();
    }

    const firstProblem = results.find((result) => result.status !== "pass");
    const exitCode: ExitCode = !firstProblem ? EXIT_OK : firstProblem.status === "fail" ? EXIT_ACCESS_WRONG : EXIT_COULD_NOT_RUN;
    return {
        ok: exitCode === EXIT_OK,
        exitCode,
        target: {
            bucket: target.bucket,
            region: target.region,
            roleArn: target.roleArn,
            endpoint: options.endpoint,
            via: options.via,
            sourceProfile: options.sourceProfile,
            roleProfile: options.via === "profile" ? options.roleProfile : undefined,
            probeKey,
            readOnly: target.readOnly,
            ...(assumeWith.externalIdFrom !== undefined ? { externalIdFrom: assumeWith.externalIdFrom } : {}),
            ...(assumeWith.mfaSerial !== undefined ? { mfaSerial: assumeWith.mfaSerial } : {}),
            mfaCode: assumeWith.mfaCode,
        },
        identities,
        checks: results,
        awsCalls: totalCalls,
        durationMs: now() - started,
    };
}

function sha256(bytes: Uint8Array): string {
    return createHash("sha256").update(bytes).digest("hex");
}
