/**
 * Creates a bucket in moto with the settings the S3 console gives a new bucket: public access
 * block on, `BucketOwnerEnforced`, SSE-S3. S3 applies these defaults itself since 2023, moto does
 * not, so they are set here, one call each. Shared by the component-built accounts
 * (emulatedAccounts.ts) and the hand-made walkthrough (handMadeWalkthrough.ts).
 */
import {
    CreateBucketCommand,
    PutBucketEncryptionCommand,
    PutBucketOwnershipControlsCommand,
    PutPublicAccessBlockCommand,
    type BucketLocationConstraint,
    type S3Client,
} from "@aws-sdk/client-s3";

/** Which of the console's default settings to apply after creating the bucket. */
export interface EmulatedBucketDefaults {
    /** All four public access block settings on. */
    readonly blockPublicAccess: boolean;
    /** Object ownership `BucketOwnerEnforced` (ACLs off). */
    readonly enforceBucketOwner: boolean;
    /** Default encryption SSE-S3 (`AES256`). */
    readonly sseS3: boolean;
}

/** Every console default on: what a bucket made in the console has. */
export const CONSOLE_BUCKET_DEFAULTS: EmulatedBucketDefaults = { blockPublicAccess: true, enforceBucketOwner: true, sseS3: true };

/**
 * Creates the bucket and applies the chosen defaults, in the console's order.
 * @param s3 A client acting in the bucket's account (see bootstrapS3Client).
 * @param bucketName The bucket's name.
 * @param region The bucket's region (`us-east-1` takes no location constraint).
 * @param defaults Which settings to apply.
 * @returns The settings applied, as the emulated accounts report them: `public access blocked`, `BucketOwnerEnforced`, `SSE-S3`.
 */
export async function createEmulatedBucket(s3: S3Client, bucketName: string, region: string, defaults: EmulatedBucketDefaults): Promise<string[]> {
    const applied: string[] = [];
    await s3.send(
        new CreateBucketCommand({
            Bucket: bucketName,
            CreateBucketConfiguration: region === "us-east-1" ? undefined : { LocationConstraint: region as BucketLocationConstraint },
        }),
    );
    if (defaults.blockPublicAccess) {
        await s3.send(
            new PutPublicAccessBlockCommand({
                Bucket: bucketName,
                PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
            }),
        );
        applied.push("public access blocked");
    }
    if (defaults.enforceBucketOwner) {
        await s3.send(new PutBucketOwnershipControlsCommand({ Bucket: bucketName, OwnershipControls: { Rules: [{ ObjectOwnership: "BucketOwnerEnforced" }] } }));
        applied.push("BucketOwnerEnforced");
    }
    if (defaults.sseS3) {
        await s3.send(
            new PutBucketEncryptionCommand({
                Bucket: bucketName,
                ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } }] },
            }),
        );
        applied.push("SSE-S3");
    }
    return applied;
}
