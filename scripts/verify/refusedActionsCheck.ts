/**
 * Check 6, in both modes: every action of the documented probe set (refusedActionProbes.ts) is
 * refused. The report says exactly what was probed, `refused: N probed actions (...)`: this check
 * does not prove that the role can do nothing else (only a review of its policies, the live audit,
 * can). An allowed probe fails the check (exit 1); an answer that is neither a refusal nor one of
 * the probe's "allowed" codes leaves the check undecided; a network error, a timeout, throttling or
 * a 5xx means it could not run (exit 2).
 */
import type { S3Client } from "@aws-sdk/client-s3";
import { describeAwsError, errorCode, isAccessDenied } from "./awsErrors";
import { CheckFailed, CheckInconclusive } from "./checkRunner";
import type { CheckSession } from "./checkSession";
import type { ResolvedCredentials } from "./credentials";
import { REFUSED_ACTION_PROBES, type ProbeContext } from "./refusedActionProbes";

/** The check's name in the report. */
const REFUSED_ACTIONS_CHECK_NAME = "refused actions";

/** Runs check 6 with the role's S3 client and credentials. */
export async function checkRefusedActions(session: CheckSession, s3: S3Client, roleCredentials: ResolvedCredentials | undefined): Promise<void> {
    const { target, runner, keys, arns } = session;
    const s3Context = { ...session.baseContext, step: "s3" as const };
    await runner.run(6, REFUSED_ACTIONS_CHECK_NAME, s3Context, async (count) => {
        const credentials = roleCredentials as ResolvedCredentials; // check 2 passed, or this check is skipped
        const context: ProbeContext = {
            s3,
            credentials,
            clientTarget: session.clientTarget,
            bucket: target.bucket,
            partition: target.role?.partition ?? "aws",
            neverExistingKey: () => keys.neverExistingKey(),
            callOptions: session.callOptions,
        };
        const allowed: string[] = [];
        const refused: string[] = [];
        const undecided: string[] = [];
        const refusalCodes = new Set<string>();
        for (const probe of REFUSED_ACTION_PROBES) {
            count();
            try {
                await probe.run(context);
                allowed.push(`${probe.action} (${probe.request}: it succeeded)`);
            } catch (error) {
                const { code, httpStatus } = errorCode(error);
                if (isAccessDenied(error)) {
                    refused.push(probe.action);
                    refusalCodes.add(describeAwsError(error, s3Context).code);
                } else if (probe.allowedCodes.includes(code)) {
                    allowed.push(`${probe.action} (answered ${code}: authorized, then not carried out)`);
                } else if (httpStatus !== undefined && httpStatus >= 400 && httpStatus < 500 && httpStatus !== 403) {
                    undecided.push(`${probe.action} (answered ${code}, HTTP ${httpStatus})`);
                } else {
                    throw error; // network, timeout, throttling, 5xx: could not run
                }
            }
        }
        const probed = `refused: ${refused.length} probed action${refused.length === 1 ? "" : "s"}`;
        const refusedList = refused.length > 0 ? ` (${refused.join(", ")}; ${[...refusalCodes].join(", ")})` : "";
        if (allowed.length > 0) {
            throw new CheckFailed(
                `the role is broader than intended: ${allowed.length} of ${REFUSED_ACTION_PROBES.length} probed actions allowed: ${allowed.join("; ")}; ${probed}${refusedList}`,
                `the role's policy must grant exactly ${target.readOnly ? "" : "s3:PutObject, "}s3:GetObject on ${arns.objects} and s3:ListBucket on ${arns.bucket}: ` +
                    "look for extra actions or wildcards (s3:*, iam:*, kms:*, *) in its policies and remove them",
                "Allowed",
            );
        }
        if (undecided.length > 0) {
            throw new CheckInconclusive(
                `${probed}${refusedList}; could not decide ${undecided.join("; ")}`,
                "AWS answered these probes neither with AccessDenied nor with the error of an allowed request: review the role's policies for these actions " +
                    "(e.g. with the IAM policy simulator)",
                "Undecided",
            );
        }
        return `${probed}${refusedList}`;
    });
}
