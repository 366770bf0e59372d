/**
 * Checks 3 to 5 for a role that may write (the default):
 *
 * 3. put probe object: PutObject of a small random body at the probe key (overwritten each run).
 *    The first S3 call that must be allowed: AccessDenied is retried for up to `--wait` seconds.
 * 4. list finds probe: ListObjectsV2 lists it, with its size.
 * 5. get returns same bytes: GetObject returns the same bytes (SHA-256 compared).
 */
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { CheckFailed } from "./checkRunner";
import type { CheckSession } from "./checkSession";
import { probeBody, sha256 } from "./probe";

/** Runs checks 3 to 5 of a writing role with the role's S3 client. */
export async function runReadWriteChecks(session: CheckSession, s3: S3Client): Promise<void> {
    const { target, runner, keys, arns } = session;
    const { probeKey, listPrefix } = keys;
    const { body, sha256: digest } = probeBody(runner.now());
    const s3Context = { ...session.baseContext, step: "s3" as const };

    await runner.run(3, "put probe object", { ...s3Context, action: `s3:PutObject on ${arns.object(probeKey)}` }, async (count) => {
        await runner.retrying(3, "PutObject", count, () =>
            s3.send(
                new PutObjectCommand({
                    Bucket: target.bucket,
                    Key: probeKey,
                    Body: body,
                    ContentType: "text/plain; charset=utf-8",
                }),
                session.callOptions,
            ),
        );
        return `s3://${target.bucket}/${probeKey}, ${body.length} bytes, sha256 ${digest.slice(0, 12)}…`;
    });

    await runner.run(4, "list finds probe", { ...s3Context, action: `s3:ListBucket on ${arns.bucket}` }, async (count) => {
        let token: string | undefined;
        for (let page = 1; page <= 10; page++) {
            count();
            const listed = await s3.send(new ListObjectsV2Command({ Bucket: target.bucket, Prefix: listPrefix, ContinuationToken: token }), session.callOptions);
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
        throw new CheckFailed(
            `ListObjectsV2 under ${listPrefix} did not list ${probeKey}`,
            "the write was accepted but the object is not listed: check that --bucket and --region name the same bucket the role writes to",
        );
    });

    await runner.run(5, "get returns same bytes", { ...s3Context, action: `s3:GetObject on ${arns.object(probeKey)}` }, async (count) => {
        count();
        const got = await s3.send(new GetObjectCommand({ Bucket: target.bucket, Key: probeKey }), session.callOptions);
        const bytes = Buffer.from(await (got.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray());
        const gotDigest = sha256(bytes);
        if (gotDigest !== digest) {
            throw new CheckFailed(
                `read ${bytes.length} bytes with sha256 ${gotDigest.slice(0, 12)}…, wrote ${body.length} with ${digest.slice(0, 12)}…`,
                "the object read back is not the one written: another writer, or an encryption or proxy layer changing bodies",
            );
        }
        return `${bytes.length} bytes, sha256 matches`;
    });
}
