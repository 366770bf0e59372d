/**
 * What every check of one run reads: the target, where the clients send their calls, the context
 * that names errors, the identities found so far, the probe keys, the runner that records each
 * check, and the S3 ARNs the hints name (in the role's partition).
 */
import { bucketArn, objectsArn, type Partition } from "../../components/arns";
import type { Via } from "./args";
import type { ErrorContext } from "./awsErrors";
import type { CheckRunner } from "./checkRunner";
import type { AssumeWith, Identity } from "./checkTypes";
import type { ClientTarget } from "./clients";
import type { ProbeKeys } from "./probe";
import type { VerifyTarget } from "./target";

/** One run's shared state. */
export interface CheckSession {
    /** Role, bucket, region, key prefix, mode. */
    readonly target: VerifyTarget;
    /** Region and endpoint of every client. */
    readonly clientTarget: ClientTarget;
    /** How the role is reached. */
    readonly via: Via;
    /** `--role-profile`, with `--via profile`. */
    readonly roleProfile?: string;
    /** What AssumeRole carries (never the values). */
    readonly assumeWith: AssumeWith;
    /** The error context every check starts from; each adds its step and action. */
    readonly baseContext: Omit<ErrorContext, "step">;
    /** Who the source and the role credentials turned out to be; filled by checks 1 and 2. */
    readonly identities: { source?: Identity; role?: Identity };
    /** The keys of this run. */
    readonly keys: ProbeKeys;
    /** The S3 ARNs, in the role's partition. */
    readonly arns: S3Arns;
    /** Records each check. */
    readonly runner: CheckRunner;
    /** What every AWS call of the checks carries: the run's deadline signal (`--timeout`). */
    readonly callOptions: { readonly abortSignal?: AbortSignal };
}

/** The S3 ARNs the checks name in details and hints. */
export interface S3Arns {
    /** `arn:PARTITION:s3:::BUCKET`, what `s3:ListBucket` applies to. */
    readonly bucket: string;
    /** `arn:PARTITION:s3:::BUCKET/PREFIX*`, what the role's object actions apply to. */
    readonly objects: string;
    /** `arn:PARTITION:s3:::BUCKET/KEY`, one object. */
    object(key: string): string;
}

/** The ARNs for the target, in the partition of its role ARN (`aws` when there is none). */
export function s3Arns(target: Pick<VerifyTarget, "bucket" | "keyPrefix" | "role">): S3Arns {
    // parseRoleArn only accepts the partitions components/arns.ts knows.
    const partition = (target.role?.partition ?? "aws") as Partition;
    return {
        bucket: bucketArn(target.bucket, partition),
        objects: objectsArn(target.bucket, target.keyPrefix || undefined, partition),
        object: (key) => `${bucketArn(target.bucket, partition)}/${key}`,
    };
}
