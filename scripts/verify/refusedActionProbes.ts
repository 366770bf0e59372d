/**
 * The documented set of actions check 6 expects the role to be refused, across S3 objects, the
 * bucket's configuration, account-level S3, IAM and KMS. Each probe is chosen so that it changes
 * nothing even when it is wrongly allowed: it asks for something that cannot happen (a conditional
 * delete of a key that does not exist, a bucket or key policy that is not JSON, a user or role that
 * does not exist) or only reads. AWS authorizes a request before it performs it, so a refused probe
 * answers AccessDenied, and an allowed one answers the error of the impossible request instead
 * ({@link RefusedActionProbe.allowedCodes}). docs/verify.md gives each probe's AWS documentation.
 *
 * moto does not validate parameters as AWS does: there a wrongly allowed PutBucketPolicy stores the
 * non-JSON body and CreateKey makes a key (test/verify.moto.e2e.spec.ts shows both); on AWS neither happens.
 */
import { DeleteObjectCommand, GetBucketPolicyCommand, ListBucketsCommand, PutBucketPolicyCommand, type S3Client } from "@aws-sdk/client-s3";
import { randomBytes } from "node:crypto";
import type { ClientTarget } from "./clients";
import type { ResolvedCredentials } from "./credentials";
import { callIam, callKms } from "./signedCall";

/** What a probe is about, for the report and the docs. */
export type ProbeArea = "S3 object" | "S3 bucket configuration" | "account-level S3" | "IAM" | "KMS";

/** What a probe needs: the role's clients and credentials, the bucket and keys, and the call options. */
export interface ProbeContext {
    /** The role's S3 client. */
    readonly s3: S3Client;
    /** The role's credentials (for the IAM and KMS calls, signed in signedCall.ts). */
    readonly credentials: ResolvedCredentials;
    /** Region, endpoint and call timeout. */
    readonly clientTarget: ClientTarget;
    /** The bucket. */
    readonly bucket: string;
    /** The role's partition (`aws`, `aws-cn`, `aws-us-gov`). */
    readonly partition: string;
    /** A fresh key under the role's key prefix that does not exist. */
    neverExistingKey(): string;
    /** What every call carries (the run's deadline signal). */
    readonly callOptions: { readonly abortSignal?: AbortSignal };
}

/** One probed action. */
export interface RefusedActionProbe {
    /** The IAM action, e.g. `s3:DeleteObject`. */
    readonly action: string;
    /** Which part of AWS it belongs to. */
    readonly area: ProbeArea;
    /** The request made, in a few words. */
    readonly request: string;
    /** Why the request changes nothing even when it is allowed. */
    readonly sideEffectFree: string;
    /**
     * The error codes that mean "allowed": AWS authorized the request and then could not carry it out.
     * A success means allowed too; AccessDenied means refused; any other answer leaves the probe undecided.
     */
    readonly allowedCodes: readonly string[];
    /** Makes the request. */
    run(context: ProbeContext): Promise<unknown>;
}

/** The name prefix of the IAM user and role that never exist (a random suffix follows). */
export const NEVER_EXISTING_IAM_NAME_PREFIX = "cross-account-verify-absent-";

/** The bucket policy (and key policy) sent: not JSON, so AWS can never apply it. */
export const NOT_A_POLICY = "not a policy: cross-account-verify probe";

/** The probes, in the order check 6 runs them. */
export const REFUSED_ACTION_PROBES: readonly RefusedActionProbe[] = [
    {
        action: "s3:DeleteObject",
        area: "S3 object",
        request: "DeleteObject with If-Match: * of a key that does not exist",
        sideEffectFree:
            "a conditional delete applies only to the current version of an existing object: with no object S3 answers 404 NoSuchKey " +
            "(or 412 PreconditionFailed) and deletes nothing, leaving no delete marker even in a versioned bucket",
        allowedCodes: ["NoSuchKey", "PreconditionFailed", "412"],
        run: ({ s3, bucket, neverExistingKey, callOptions }) => s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: neverExistingKey(), IfMatch: "*" }), callOptions),
    },
    {
        action: "s3:PutBucketPolicy",
        area: "S3 bucket configuration",
        request: "PutBucketPolicy with a body that is not JSON",
        sideEffectFree:
            "S3 refuses a policy that is not valid JSON (400 MalformedPolicy: \"Policies must be valid JSON and the first byte must be '{'\"), " +
            "so the bucket's policy stays as it was",
        allowedCodes: ["MalformedPolicy"],
        run: ({ s3, bucket, callOptions }) => s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: NOT_A_POLICY }), callOptions),
    },
    {
        action: "s3:GetBucketPolicy",
        area: "S3 bucket configuration",
        request: "GetBucketPolicy",
        sideEffectFree: "a read",
        allowedCodes: ["NoSuchBucketPolicy"],
        run: ({ s3, bucket, callOptions }) => s3.send(new GetBucketPolicyCommand({ Bucket: bucket }), callOptions),
    },
    {
        action: "s3:ListAllMyBuckets",
        area: "account-level S3",
        request: "ListBuckets",
        sideEffectFree: "a read",
        allowedCodes: [],
        run: ({ s3, callOptions }) => s3.send(new ListBucketsCommand({}), callOptions),
    },
    {
        action: "iam:CreateAccessKey",
        area: "IAM",
        request: "CreateAccessKey for a user that does not exist",
        sideEffectFree: "IAM answers NoSuchEntity for a user that does not exist: no key is made",
        allowedCodes: ["NoSuchEntity", "NoSuchEntityException"],
        run: ({ clientTarget, partition, credentials, callOptions }) =>
            callIam(clientTarget, partition, credentials, "CreateAccessKey", { UserName: neverExistingIamName() }, callOptions),
    },
    {
        action: "iam:AttachRolePolicy",
        area: "IAM",
        request: "AttachRolePolicy of AdministratorAccess to a role that does not exist",
        sideEffectFree: "IAM answers NoSuchEntity for a role that does not exist: nothing is attached",
        allowedCodes: ["NoSuchEntity", "NoSuchEntityException"],
        run: ({ clientTarget, partition, credentials, callOptions }) =>
            callIam(
                clientTarget,
                partition,
                credentials,
                "AttachRolePolicy",
                {
                    RoleName: neverExistingIamName(),
                    PolicyArn: `arn:${partition}:iam::aws:policy/AdministratorAccess`,
                },
                callOptions,
            ),
    },
    {
        action: "kms:CreateKey",
        area: "KMS",
        request: "CreateKey with a key policy that is not JSON",
        sideEffectFree: "KMS refuses a key policy that is not syntactically correct (MalformedPolicyDocumentException): no key is made",
        allowedCodes: ["MalformedPolicyDocumentException"],
        run: ({ clientTarget, credentials, callOptions }) =>
            callKms(
                clientTarget,
                credentials,
                "CreateKey",
                {
                    Policy: NOT_A_POLICY,
                    Description: "cross-account-verify probe: never created",
                },
                callOptions,
            ),
    },
];

function neverExistingIamName(): string {
    return `${NEVER_EXISTING_IAM_NAME_PREFIX}${randomBytes(8).toString("hex")}`;
}
