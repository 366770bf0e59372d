import { PolicyResource, ReportViolation, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { coversAllActionsOf, coversResource, hasEffect, isRecord, isWildcardPrincipal, parsePolicy, RawStatement, stringList } from "../policyDocuments";
import { BUCKET_POLICY_TYPES, BUCKET_TYPES, bucketIdentifiers, configuring, ofType } from "../resources";

/** The partitions whose S3 ARNs a TLS statement may name. */
const PARTITIONS = ["aws", "aws-cn", "aws-us-gov"] as const;

/**
 * `s3-bucket-tls-only-policy`: every bucket has a bucket policy with a `Deny` of all S3 actions
 * to everyone when `aws:SecureTransport` is `false` (and under no other condition), on the bucket
 * and on all its objects.
 *
 * The bucket's policy is found through `aws.s3.BucketPolicy` resources pointing at it, and only
 * when none of them qualifies, in the deprecated inline `policy` of the bucket. That order matters
 * in a preview: the pack's SDK stops a stack rule at the first value it reads that is not known yet
 * and reports the rule as "can't run during preview" (advisory). A `BucketPolicy` whose document is
 * written from config (as this project's program does) and a bucket whose name is set are known in
 * a first preview, so the rule runs there in full; the bucket's inline `policy`, which the provider
 * may compute, is read only when it has to be. A document built from the bucket's ARN is unknown
 * in a first preview: the rule then runs at the end of `pulumi up` only.
 */
export const s3BucketTlsOnlyPolicy: StackValidationPolicy = {
    name: "s3-bucket-tls-only-policy",
    description: "Every S3 bucket has a bucket policy that denies all requests not sent over TLS, on the bucket and its objects.",
    validateStack: (args: StackValidationArgs, reportViolation: ReportViolation): void => {
        for (const bucket of ofType(args.resources, BUCKET_TYPES)) {
            const policies = configuring(bucket, args.resources, BUCKET_POLICY_TYPES);
            let found = false;
            for (const policy of policies) {
                // Every document is read, so that an unreadable one is reported even next to a good one.
                const ok = qualifies(policy, policy.props["policy"], bucket, policies, reportViolation);
                found ||= ok;
            }
            if (found) {
                continue;
            }
            const inline = bucket.props["policy"];
            const hasInline = inline !== undefined && inline !== null && inline !== "";
            if (policies.length === 0 && !hasInline) {
                reportViolation(`Bucket "${bucket.name}" has no bucket policy; add one that denies requests without TLS (aws:SecureTransport = false).`, bucket.urn);
                continue;
            }
            if (hasInline) {
                found = qualifies(bucket, inline, bucket, policies, reportViolation);
            }
            if (!found) {
                reportViolation(
                    `No policy of bucket "${bucket.name}" denies s3:* to "*" on the bucket and "bucket/*" when aws:SecureTransport is "false" (under that condition alone).`,
                    bucket.urn,
                );
            }
        }
    },
};

/** Whether the policy document `value` held by `owner` has a qualifying statement; reports an unreadable one. */
function qualifies(owner: PolicyResource, value: unknown, bucket: PolicyResource, policies: readonly PolicyResource[], reportViolation: ReportViolation): boolean {
    const parsed = parsePolicy(value);
    if (parsed.kind === "invalid") {
        reportViolation(`The policy of "${owner.name}" cannot be read: ${parsed.reason}.`, owner.urn);
        return false;
    }
    if (parsed.kind === "absent") {
        return false;
    }
    const names = bucketNames(bucket, policies);
    return parsed.statements.some((statement) => deniesInsecureTransport(statement, names));
}

/**
 * The operators a TLS-only `Deny` may use on `aws:SecureTransport`. `BoolIfExists` is accepted
 * too: it matches whenever `Bool` does and also when the key is missing, so the `Deny` it
 * guards covers at least as many requests (AWS's own HTTPS-only resource control policy example
 * uses it).
 */
export const TLS_CONDITION_OPERATORS: readonly string[] = ["Bool", "BoolIfExists"];

/**
 * True when a condition block is exactly one comparison, `aws:SecureTransport` is `false` under
 * `Bool` or `BoolIfExists`, and nothing else. Conditions are AND-ed: any other key (say
 * `StringEquals aws:SourceVpce`) would narrow the `Deny` to requests that also match it, leaving
 * plain HTTP open everywhere else.
 *
 * @param condition - a statement's `Condition`
 */
export function onlyDeniesInsecureTransport(condition: unknown): boolean {
    if (!isRecord(condition)) {
        return false;
    }
    const operators = Object.entries(condition);
    if (operators.length !== 1) {
        return false;
    }
    const [operator, block] = operators[0];
    if (!TLS_CONDITION_OPERATORS.includes(operator) || !isRecord(block)) {
        return false;
    }
    const keys = Object.entries(block);
    if (keys.length !== 1) {
        return false;
    }
    const [key, value] = keys[0];
    const values = Array.isArray(value) ? value : [value];
    return key.toLowerCase() === "aws:securetransport" && values.length > 0 && values.every((item) => String(item).toLowerCase() === "false");
}

/**
 * True for `{"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": [bucket, bucket/*],
 * "Condition": {"Bool": {"aws:SecureTransport": "false"}}}` and its equivalents (`{"AWS": "*"}`,
 * `*` actions, wider resource patterns, `BoolIfExists`). The condition must be that one comparison
 * alone ({@link onlyDeniesInsecureTransport}). With no known bucket name, the statement must cover
 * some bucket ARN and all of that bucket's objects.
 *
 * @param statement - a bucket policy statement
 * @param bucketNames - the names the bucket may be written with; empty when none is known
 */
export function deniesInsecureTransport(statement: RawStatement, bucketNames: readonly string[]): boolean {
    if (!hasEffect(statement, "Deny") || !isWildcardPrincipal(statement.Principal) || !coversAllActionsOf(statement, "s3")) {
        return false;
    }
    if (!onlyDeniesInsecureTransport(statement.Condition)) {
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
