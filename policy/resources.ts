/**
 * The resource types the pack looks at, and how it finds the resources that configure a bucket.
 *
 * Types are compared by their type tokens, so the pack does not load `@pulumi/aws` (its type
 * declarations alone take seconds to check, and the pack would have to pin a provider version).
 */
import { PolicyResource } from "@pulumi/policy";

/** `aws.s3.Bucket` (the former `BucketV2` in `@pulumi/aws` v7) and the deprecated `aws.s3.BucketV2`. */
export const BUCKET_TYPES: readonly string[] = ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"];

/** `aws.s3.BucketPublicAccessBlock`. */
export const PUBLIC_ACCESS_BLOCK_TYPES: readonly string[] = ["aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"];

/** `aws.s3.BucketPolicy`. */
export const BUCKET_POLICY_TYPES: readonly string[] = ["aws:s3/bucketPolicy:BucketPolicy"];

/** `aws.s3.BucketAcl` and the deprecated `aws.s3.BucketAclV2`. */
export const BUCKET_ACL_TYPES: readonly string[] = ["aws:s3/bucketAcl:BucketAcl", "aws:s3/bucketAclV2:BucketAclV2"];

/** `aws.iam.Role`. */
export const ROLE_TYPES: readonly string[] = ["aws:iam/role:Role"];

/**
 * The resources of the stack whose type is one of `types`.
 *
 * @param resources - the stack's resources
 * @param types - type tokens, such as {@link BUCKET_TYPES}
 */
export function ofType(resources: readonly PolicyResource[], types: readonly string[]): PolicyResource[] {
    return resources.filter((resource) => types.includes(resource.type));
}

/**
 * The resources of one of `types` whose `bucket` property points at `bucket`.
 *
 * The engine records which resources a property was computed from (`propertyDependencies`), so
 * `bucket: bucket.id` links the two even in a preview where the bucket's name is not known yet;
 * that link is used first. Without it (a literal bucket name, or resources built by a unit
 * test) the `bucket` value is compared with the bucket's name and id, which reads them: a value
 * still unknown in preview then makes the SDK report the policy as not runnable in preview.
 *
 * @param bucket - the bucket
 * @param resources - the stack's resources
 * @param types - the type tokens of the resources looked for
 */
export function configuring(bucket: PolicyResource, resources: readonly PolicyResource[], types: readonly string[]): PolicyResource[] {
    return ofType(resources, types).filter((resource) => {
        const linked = resource.propertyDependencies?.["bucket"] ?? [];
        if (linked.length > 0) {
            return linked.includes(bucket);
        }
        const target = resource.props["bucket"];
        return typeof target === "string" && bucketIdentifiers(bucket).includes(target);
    });
}

/**
 * The values that name the bucket in other resources' `bucket` property: its name and its id.
 * Reading the id makes a stack rule advisory in a first preview (a new bucket's id is unknown).
 *
 * @param bucket - the bucket
 */
export function bucketIdentifiers(bucket: PolicyResource): string[] {
    return [bucket.props["bucket"], bucket.props["id"]].filter((value): value is string => typeof value === "string" && value !== "");
}
