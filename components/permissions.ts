/**
 * The IAM actions this library grants, named once so that the policy builders, the tests
 * and the access report all speak of the same sets. The sets are exact on purpose: no
 * wildcards such as `s3:GetObject*`, which would also grant ACL, tagging and version reads.
 */

/** Writes an object. Granted on `arn:aws:s3:::BUCKET/*` (or `BUCKET/PREFIX*`) unless read-only. */
export const OBJECT_WRITE_ACTIONS = ["s3:PutObject"] as const;

/** Reads an object. Granted on `arn:aws:s3:::BUCKET/*` (or `BUCKET/PREFIX*`). */
export const OBJECT_READ_ACTIONS = ["s3:GetObject"] as const;

/** Lists the bucket's keys. Granted on `arn:aws:s3:::BUCKET`, never on objects. */
export const BUCKET_LIST_ACTIONS = ["s3:ListBucket"] as const;

/** Needed on the KMS key to read objects encrypted with SSE-KMS. */
export const KMS_READ_ACTIONS = ["kms:Decrypt"] as const;

/** Needed on the KMS key to write objects encrypted with SSE-KMS. */
export const KMS_WRITE_ACTIONS = ["kms:GenerateDataKey"] as const;

/** The one action the identity account's group may call, on the one role. */
export const ASSUME_ROLE_ACTIONS = ["sts:AssumeRole"] as const;

/** Every S3 action; used only in the bucket policy's explicit Deny of non-TLS requests. */
export const ALL_S3_ACTIONS = ["s3:*"] as const;
