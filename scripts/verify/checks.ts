/**
 * Runs the six checks in order and builds the report. Each records pass/fail and its duration;
 * once one does not pass, the rest are marked "skipped" (each needs the one before it).
 *
 * 1-2. identityChecks.ts: the green identity, and AssumeRole into the blue role.
 * 3-5. readWriteChecks.ts (put, list, get the probe object) or, for a read-only role,
 *      readOnlyChecks.ts (put refused, list allowed, NoSuchKey for a missing key).
 * 6.   refusedActionsCheck.ts: a documented set of actions the role must not have, across S3 objects,
 *      bucket configuration, account-level S3, IAM and KMS, is refused (refusedActionProbes.ts).
 *
 * Refusals that IAM's eventual consistency causes are retried with backoff for up to `--wait`
 * seconds (see checkRunner.ts). 13 AWS calls when nothing is retried: GetCallerIdentity,
 * AssumeRole, GetCallerIdentity, PutObject, ListObjectsV2, GetObject, and the 7 probes of check 6.
 */
import type { Via } from "./args";
import { CheckRunner } from "./checkRunner";
import { s3Arns, type CheckSession } from "./checkSession";
import type { AssumeWith, CheckResult, VerifyReport, WaitNotice } from "./checkTypes";
import { ClientTarget, createS3Client } from "./clients";
import { CredentialProvider, ResolvedCredentials } from "./credentials";
import { EXIT_ACCESS_WRONG, EXIT_COULD_NOT_RUN, EXIT_OK, ExitCode } from "./exitCodes";
import { checkAssumeRole, checkSourceIdentity } from "./identityChecks";
import { probeKeys } from "./probe";
import { runReadOnlyChecks } from "./readOnlyChecks";
import { runReadWriteChecks } from "./readWriteChecks";
import { checkRefusedActions } from "./refusedActionsCheck";
import type { RunDeadline } from "./runDeadline";
import type { VerifyTarget } from "./target";

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
    /** `--call-timeout`, in seconds: how long one AWS call may take. Default: the flag's default. */
    readonly callTimeoutSeconds?: number;
    /**
     * The run's deadline (`--timeout`): its signal aborts the AWS call in flight, and no wait for IAM
     * is planned past it. Default: none.
     */
    readonly deadline?: Pick<RunDeadline, "signal" | "remainingMs" | "timeoutSeconds">;
    /** What AssumeRole carries, for the report and hints; never the values. Default: nothing. */
    readonly assumeWith?: AssumeWith;
    /** The source credentials. */
    readonly sourceCredentials: CredentialProvider;
    /** Makes the role's provider from the resolved source credentials (one AssumeRole per call). */
    readonly roleCredentials: (source: ResolvedCredentials) => CredentialProvider;
    /** Told when a check waits. */
    readonly onWait?: (notice: WaitNotice) => void;
    /** The runner to record the checks in (the caller reads {@link CheckRunner.current} when the deadline passes). Default: a new one. */
    readonly runner?: CheckRunner;
    /** Told when a check ends. */
    readonly onCheck?: (result: CheckResult) => void;
    /** Clock, for tests. Default `Date.now`. */
    readonly now?: () => number;
    /** Sleep, for tests. Default a timer. */
    readonly sleep?: (ms: number) => Promise<void>;
}

/** Runs the six checks and returns the report. Never throws for an AWS or network error. */
export async function runChecks(options: RunChecksOptions): Promise<VerifyReport> {
    const { target } = options;
    const runner = options.runner ?? new CheckRunner(options);
    const started = runner.now();
    const clientTarget: ClientTarget = { region: target.region, endpoint: options.endpoint, callTimeoutSeconds: options.callTimeoutSeconds };
    const assumeWith = options.assumeWith ?? { mfaCode: false };
    const roleProfile = options.via === "profile" ? options.roleProfile : undefined;
    const session: CheckSession = {
        target,
        clientTarget,
        via: options.via,
        roleProfile: options.roleProfile,
        assumeWith,
        baseContext: {
            bucket: target.bucket,
            region: target.region,
            endpoint: options.endpoint,
            sourceProfile: options.sourceProfile,
            roleProfile,
            readOnly: target.readOnly,
            conditions: target.conditions,
            assumeWith,
            callTimeoutSeconds: options.callTimeoutSeconds,
            timeoutSeconds: options.deadline?.timeoutSeconds,
        },
        identities: {},
        keys: probeKeys(target.keyPrefix),
        arns: s3Arns(target),
        runner,
        callOptions: options.deadline ? { abortSignal: options.deadline.signal } : {},
    };

    const source = await checkSourceIdentity(session, options.sourceCredentials);
    const role = await checkAssumeRole(session, source, options.roleCredentials);
    // Checks 3 to 6 are skipped (and never call S3) unless check 2 gave the role's credentials.
    const s3 = createS3Client(clientTarget, async () => {
        if (!role) {
            throw new Error("no role credentials: check 2 did not pass");
        }
        return role;
    });
    try {
        await (target.readOnly ? runReadOnlyChecks : runReadWriteChecks)(session, s3);
        await checkRefusedActions(session, s3, role);
    } finally {
        s3.destroy();
    }

    const results = runner.results;
    // An inconclusive check alone leaves exit 0; the first failure or error decides otherwise.
    const firstProblem = results.find((result) => result.status === "fail" || result.status === "error");
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
            roleProfile,
            probeKey: session.keys.probeKey,
            readOnly: target.readOnly,
            ...(assumeWith.externalIdFrom !== undefined ? { externalIdFrom: assumeWith.externalIdFrom } : {}),
            ...(assumeWith.mfaSerial !== undefined ? { mfaSerial: assumeWith.mfaSerial } : {}),
            mfaCode: assumeWith.mfaCode,
        },
        identities: session.identities,
        checks: results,
        awsCalls: runner.totalCalls,
        durationMs: runner.now() - started,
    };
}
