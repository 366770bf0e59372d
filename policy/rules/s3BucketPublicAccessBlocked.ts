import { PolicyResource, ReportViolation, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { describeStatement, isPublicAllow, parsePolicy } from "../policyDocuments";
import { BUCKET_ACL_TYPES, BUCKET_POLICY_TYPES, BUCKET_TYPES, configuring, ofType, PUBLIC_ACCESS_BLOCK_TYPES } from "../resources";

/** The four settings of a public access block; each must be `true`. */
export const PUBLIC_ACCESS_BLOCK_FLAGS = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"] as const;

/** Canned ACLs that grant to everyone or to every AWS account. */
const PUBLIC_CANNED_ACLS = new Set(["public-read", "public-read-write", "authenticated-read"]);

/** ACL grantee groups that mean everyone or every AWS account. */
const PUBLIC_GRANTEE_URIS = new Set(["http://acs.amazonaws.com/groups/global/AllUsers", "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"]);

/**
 * `s3-bucket-public-access-blocked`: every bucket of the stack has a
 * `BucketPublicAccessBlock` with all four flags `true`, and nothing in the stack makes a bucket
 * public (a public canned ACL or grant, or a bucket policy `Allow` to everyone).
 *
 * A stack policy, because the block is a separate resource from the bucket. The pack's SDK stops
 * a stack rule at the first value it reads that is not known yet (in a preview) and reports the
 * rule as "can't run during preview" (advisory); violations reported before that stay. So the
 * checks run from the values most likely known to the least:
 * 1. the public access blocks: their flags, and the engine's record that a block's `bucket` was
 *    computed from the bucket (`bucket: bucket.id`);
 * 2. `BucketAcl` and `BucketPolicy` resources: their ACL and document (known in a preview when
 *    written from config, unknown when built from another resource's output);
 * 3. the bucket's own inline `acl`, `grants` and `policy` (deprecated), which the provider may
 *    compute, and a first preview may therefore not know.
 */
export const s3BucketPublicAccessBlocked: StackValidationPolicy = {
    name: "s3-bucket-public-access-blocked",
    description: "Every S3 bucket has a public access block with all four flags true, and no ACL or bucket policy makes it public.",
    validateStack: (args: StackValidationArgs, reportViolation: ReportViolation): void => {
        const buckets = ofType(args.resources, BUCKET_TYPES);
        for (const bucket of buckets) {
            checkPublicAccessBlock(bucket, args.resources, reportViolation);
        }
        for (const acl of ofType(args.resources, BUCKET_ACL_TYPES)) {
            checkAcl(acl, reportViolation);
        }
        for (const policy of ofType(args.resources, BUCKET_POLICY_TYPES)) {
            checkPolicy(policy, policy.props["policy"], reportViolation);
        }
        for (const bucket of buckets) {
            // Inline settings of the bucket resource itself (deprecated in @pulumi/aws v7, still accepted).
            checkAcl(bucket, reportViolation);
            checkPolicy(bucket, bucket.props["policy"], reportViolation);
        }
    },
};

function checkPublicAccessBlock(bucket: PolicyResource, resources: readonly PolicyResource[], reportViolation: ReportViolation): void {
    const blocks = configuring(bucket, resources, PUBLIC_ACCESS_BLOCK_TYPES);
    if (blocks.length === 0) {
        reportViolation(`Bucket "${bucket.name}" has no aws.s3.BucketPublicAccessBlock; add one with all four flags true.`, bucket.urn);
        return;
    }
    const complete = blocks.some((block) => PUBLIC_ACCESS_BLOCK_FLAGS.every((flag) => block.props[flag] === true));
    if (!complete) {
        for (const block of blocks) {
            const missing = PUBLIC_ACCESS_BLOCK_FLAGS.filter((flag) => block.props[flag] !== true);
            reportViolation(`Public access block "${block.name}" of bucket "${bucket.name}" does not set ${missing.join(", ")} to true.`, block.urn);
        }
    }
}

function checkAcl(resource: PolicyResource, reportViolation: ReportViolation): void {
    const acl = resource.props["acl"];
    if (typeof acl === "string" && PUBLIC_CANNED_ACLS.has(acl)) {
        reportViolation(`"${resource.name}" sets the public canned ACL "${acl}".`, resource.urn);
    }
    const grants: unknown[] = [...asList(resource.props["grants"]), ...asList(asRecord(resource.props["accessControlPolicy"])?.["grants"])];
    for (const grant of grants) {
        const record = asRecord(grant);
        const grantee = asRecord(record?.["grantee"]) ?? record;
        const uri = grantee?.["uri"];
        if (typeof uri === "string" && PUBLIC_GRANTEE_URIS.has(uri)) {
            reportViolation(`"${resource.name}" grants ${String(record?.["permission"] ?? record?.["permissions"] ?? "access")} to ${uri}.`, resource.urn);
        }
    }
}

function checkPolicy(resource: PolicyResource, value: unknown, reportViolation: ReportViolation): void {
    const parsed = parsePolicy(value);
    if (parsed.kind === "invalid") {
        reportViolation(`The policy of "${resource.name}" cannot be read: ${parsed.reason}.`, resource.urn);
        return;
    }
    if (parsed.kind === "absent") {
        return;
    }
    parsed.statements.forEach((statement, index) => {
        if (isPublicAllow(statement)) {
            reportViolation(
                `The policy of "${resource.name}" makes the bucket public: ${describeStatement(statement, index)} allows everyone without a condition that limits the source.`,
                resource.urn,
            );
        }
    });
}

function asList(value: unknown): unknown[] {
    return Array.isArray(value) ? value : [];
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
