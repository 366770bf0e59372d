/**
 * Checks 3 to 5 for a read-only role (`readOnly` output, or `--read-only`); nothing is written:
 *
 * 3. refused: put (read-only): PutObject at the probe key must be refused; allowed = broader than intended.
 * 4. list allowed: ListObjectsV2 under the probe prefix is allowed (it need not find anything).
 *    The first S3 call that must be allowed: AccessDenied is retried for up to `--wait` seconds.
 * 5. get allowed (NoSuchKey): GetObject of a key that does not exist answers `NoSuchKey` (404).
 *    S3 answers 404 for a missing key only when GetObject is allowed and the caller may also
 *    ListBucket; otherwise 403 AccessDenied. What a 403 means:
 *    - without a key prefix, check 4 proved ListBucket (the role's listing has no condition), so
 *      the 403 says GetObject is refused: fail (access wrong).
 *    - with a key prefix, the role may ListBucket only with `s3:prefix` under it, which is what
 *      check 4 proved. AWS does not document which prefix, if any, it evaluates when it chooses
 *      between 404 and 403 for a missing key, so a role that may read can still get 403 here:
 *      inconclusive ("could not decide"), which alone leaves exit 0; check 6 still runs.
 */
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { describeAwsError, errorCode, isAccessDenied } from "./awsErrors";
import { CheckFailed, CheckInconclusive } from "./checkRunner";
import type { CheckSession } from "./checkSession";
import { probeBody } from "./probe";

/** Runs checks 3 to 5 of a read-only role with the role's S3 client. */
export async function runReadOnlyChecks(session: CheckSession, s3: S3Client): Promise<void> {
    const { target, runner, keys, arns } = session;
    const { probeKey, listPrefix } = keys;
    const s3Context = { ...session.baseContext, step: "s3" as const };

    await runner.run(3, "refused: put (read-only)", { ...s3Context, action: `s3:PutObject on ${arns.object(probeKey)}` }, async (count) => {
        try {
            count();
            await s3.send(
                new PutObjectCommand({ Bucket: target.bucket, Key: probeKey, Body: probeBody(runner.now()).body, ContentType: "text/plain; charset=utf-8" }),
                session.callOptions,
            );
        } catch (error) {
            if (isAccessDenied(error)) {
                return `PutObject on s3://${target.bucket}/${probeKey} refused (${describeAwsError(error, s3Context).code}), as a read-only role must be`;
            }
            throw error;
        }
        throw new CheckFailed(
            `the role is broader than intended: s3:PutObject was allowed on a read-only role (it wrote s3://${target.bucket}/${probeKey})`,
            `a read-only role's policy must grant only s3:GetObject on ${arns.objects} and s3:ListBucket on ${arns.bucket}: remove s3:PutObject; ` +
                "if the role is meant to write, drop --read-only (or deploy with readOnly false)",
            "Allowed",
        );
    });

    await runner.run(4, "list allowed", { ...s3Context, action: `s3:ListBucket on ${arns.bucket}` }, async (count) => {
        // The first call a read-only role must be allowed: a new role or policy may still be propagating.
        const listed = await runner.retrying(4, "ListObjectsV2", count, () =>
            s3.send(new ListObjectsV2Command({ Bucket: target.bucket, Prefix: listPrefix, MaxKeys: 10 }), session.callOptions),
        );
        const found = listed.KeyCount ?? listed.Contents?.length ?? 0;
        return `ListObjectsV2 under ${listPrefix} allowed (${found} key${found === 1 ? "" : "s"} listed)`;
    });

    const absentKey = keys.absentKey();
    await runner.run(5, "get allowed (NoSuchKey)", { ...s3Context, action: `s3:GetObject on ${arns.object(absentKey)}` }, async (count) => {
        try {
            count();
            const got = await s3.send(new GetObjectCommand({ Bucket: target.bucket, Key: absentKey }), session.callOptions);
            await got.Body?.transformToByteArray();
            return `GetObject of ${absentKey} allowed (the key exists after all)`;
        } catch (error) {
            if (errorCode(error).code === "NoSuchKey") {
                return `GetObject of ${absentKey} (no such key) answered NoSuchKey (404): reads are allowed`;
            }
            if (isAccessDenied(error) && target.keyPrefix !== "") {
                const code = describeAwsError(error, s3Context).code;
                throw new CheckInconclusive(
                    `could not decide whether reads are allowed: GetObject of ${absentKey} (no such key) was refused (${code}, HTTP 403), ` +
                        `which S3 also answers to a role that may read when it does not count the ListBucket limited to ${target.keyPrefix} (check 4)`,
                    `to decide, read an existing object under ${target.keyPrefix} as the role, or check that its policy grants s3:GetObject on ${arns.objects} ` +
                        "(e.g. with the IAM policy simulator); without a key prefix the same 403 fails the check",
                    code,
                );
            }
            if (isAccessDenied(error)) {
                const code = describeAwsError(error, s3Context).code;
                throw new CheckFailed(
                    `GetObject of ${absentKey} (no such key) was refused (${code}, HTTP 403): reads are not allowed`,
                    `the role may list (check 4) but not read: its policy must grant s3:GetObject on ${arns.objects}; ` +
                        "S3 answers 403 rather than 404 for a missing key when GetObject is refused (or ListBucket is, which check 4 ruled out)",
                    code,
                );
            }
            throw error;
        }
    });
}
