/**
 * Check 6, in both modes: the actions the role must not have ({@link NEGATIVE_PROBES}) are refused.
 * DeleteObject of a key that never exists, and GetBucketPolicy: both harmless if wrongly allowed.
 */
import { DeleteObjectCommand, GetBucketPolicyCommand, type S3Client } from "@aws-sdk/client-s3";
import { describeAwsError, errorCode, isAccessDenied } from "./awsErrors";
import { CheckFailed } from "./checkRunner";
import type { CheckSession } from "./checkSession";
import { NEGATIVE_PROBES } from "./probe";

/** Runs check 6 with the role's S3 client. */
export async function checkRefusedActions(session: CheckSession, s3: S3Client): Promise<void> {
    const { target, runner, keys, arns } = session;
    const s3Context = { ...session.baseContext, step: "s3" as const };
    await runner.run(6, "refused: delete, bucket policy", s3Context, async (count) => {
        const allowed: string[] = [];
        const refusedCodes: string[] = [];
        const probe = async (action: string, call: () => Promise<unknown>, allowedCodes: readonly string[] = []): Promise<void> => {
            try {
                count();
                await call();
                allowed.push(action);
            } catch (error) {
                if (isAccessDenied(error)) {
                    refusedCodes.push(describeAwsError(error, s3Context).code);
                } else if (allowedCodes.includes(errorCode(error).code)) {
                    allowed.push(action);
                } else {
                    throw error;
                }
            }
        };
        await probe("s3:DeleteObject", () => s3.send(new DeleteObjectCommand({ Bucket: target.bucket, Key: keys.neverExistingKey() })));
        // NoSuchBucketPolicy means the call was allowed and the bucket simply has no policy.
        await probe("s3:GetBucketPolicy", () => s3.send(new GetBucketPolicyCommand({ Bucket: target.bucket })), ["NoSuchBucketPolicy"]);
        if (allowed.length > 0) {
            throw new CheckFailed(`the role is broader than intended: ${allowed.join(", ")} was allowed`,
                `the role's policy must grant exactly ${target.readOnly ? "" : "s3:PutObject, "}s3:GetObject on ${arns.objects} and s3:ListBucket on ${arns.bucket}: ` +
                "look for extra actions or wildcards such as s3:*", "Allowed");
        }
        return `${NEGATIVE_PROBES.join(", ")} refused (${[...new Set(refusedCodes)].join(", ")})`;
    });
}
