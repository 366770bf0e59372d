import { PolicyResource, ReportViolation, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { conditionEntries, coversAllActionsOf, coversResource, hasEffect, isWildcardPrincipal, parsePolicy, RawStatement, stringList } from "../policyDocuments";
import { BUCKET_POLICY_TYPES, BUCKET_TYPES, bucketIdentifiers, configuring, ofType } from "../resources";

/** The partitions whose S3 ARNs a TLS statement may name. */
const PARTITIONS = ["aws", "aws-cn", "aws-us-gov"] as const;

/**
 * `s3-bucket-tls-only-policy`: every bucket has a bucket policy with a `Deny` of all S3 actions
 * to everyone when `aws:SecureTransport` is `false`, on the bucket and on all its objects.
 *
 * The bucket's policy is found through `aws.s3.BucketPolicy` resources pointing at it (and the
 * deprecated inline `policy` of the bucket). In a first preview the policy text usually depends
 * on the bucket's ARN or name and is not known yet; the SDK then reports this policy as not
 * runnable in preview, and it runs at the end of `pulumi up`.
 */
export const s3BucketTlsOnlyPolicy: StackValidationPolicy = {
    name: "s3-bucket-tls-only-policy",
    description: "Every S3 bucket has a bucket policy that denies all requests not sent over TLS, on the bucket and its objects.",
    validateStack: (args: StackValidationArgs, reportViolation: ReportViolation): void => {
        for (const bucket of ofType(args.resources, BUCKET_TYPES)) {
            const policies = configuring(bucket, args.resources, BUCKET_POLICY_TYPES);
            const documents: { owner: PolicyResource; value: unknown }[] = policies.map((policy) => ({ owner: policy, value: policy.props["policy"] }));
            const inline = bucket.props["policy"];
            if (inline !== undefined && inline !== null && inline !== "") {
                documents.push({ owner: bucket, value: inline });
            }
            if (documents.length === 0) {
                reportViolation(`Bucket "${bucket.name}" has no bucket policy; add one that denies requests without TLS (aws:SecureTransport = false).`, bucket.urn);
                continue;
            }
            let found = false;
            for (const { owner, value } of documents) {
                const parsed = parsePolicy(value);
                if (parsed.kind === "invalid") {
                    reportViolation(`The policy of "${owner.name}" cannot be read: ${parsed.reason}.`, owner.urn);
                } else if (parsed.kind === "document") {
                    const names = bucketNames(bucket, policies);
                    found ||= parsed.statements.some((statement) => deniesInsecureTransport(statement, names));
                }
            }
            if (!found) {
                reportViolation(
                    `No policy of bucket "${bucket.name}" denies s3:* to "*" on the bucket and "bucket/*" when aws:SecureTransport is "false".`,
                    bucket.urn,
                );
            }
        }
    },
};

/**
 * True for `{"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": [bucket, bucket/*],
 * "Condition": {"Bool": {"aws:SecureTransport": "false"}}}` and its equivalents (`{"AWS": "*"}`,
 * `*` actions, wider resource patterns). With no known bucket name, the statement must cover
 * some bucket ARN and all of that bucket's objects.
 */
export function deniesInsecureTransport(statement: RawStatement, bucketNames: readonly string[]): boolean {
    if (!hasEffect(statement, "Deny") || !isWildcardPrincipal(statement.Principal) || !coversAllActionsOf(statement, "s3")) {
        return false;
    }
    const onPlainHttp = conditionEntries(statement).some(
        ({ operator, key, values }) => operator === "Bool" && key.toLowerCase() === "aws:securetransport" && values.length > 0 && values.every((value) => value.toLowerCase() === "false"),
    );
    if (!onPlainHttp) {
        return false;
    }
    const names = bucketNames.length > 0 ? bucketNames : namesInResources(statement);
    return names.some((name) =>
        PARTITIONS.some((partition) => {
            const bucketArn = `arn:${partition}:s3:::${name}`;
            return coversResource(statement, bucketArn) && coversResource(statement, `${bucketArn}/*`);
        }),
    );
}

/**
 * The bucket's name as the policy must spell it: its `bucket` property (set by the program or
 * by auto-naming). Only when that is missing (resources built by a unit test) the bucket's id and
 * the `bucket` value of its policies, which are the name too in @pulumi/aws v7.
 */
function bucketNames(bucket: PolicyResource, policies: readonly PolicyResource[]): string[] {
    const name = bucket.props["bucket"];
    if (typeof name === "string" && name !== "") {
        return [name];
    }
    return [...new Set([...bucketIdentifiers(bucket), ...policies.flatMap((policy) => stringList(policy.props["bucket"]))])];
}

/** Bucket names written as `arn:PARTITION:s3:::NAME` in the statement's resources. */
function namesInResources(statement: RawStatement): string[] {
    return stringList(statement.Resource)
        .map((resource) => /^arn:[^:]+:s3:::([^/]+)$/.exec(resource)?.[1])
        .filter((name): name is string => name !== undefined);
}
