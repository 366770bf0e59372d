/**
 * Reads the parts of any ARN the access model meets (users, groups, roles, KMS keys, buckets).
 *
 * `components/arns.ts` builds ARNs and parses role ARNs only (`parseRoleArn`, which the collector uses
 * for roles); the access model also needs the account and partition of user, group, KMS key and
 * assumed-role ARNs, so these two generic readers live here, once. They would fit in
 * `components/arns.ts` should the components ever need them.
 *
 * Dev and test use only: nothing here is shipped.
 */
import { PARTITIONS, type Partition } from "../components/arns";

/** `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`; region and account may be empty (S3 buckets). */
const ARN = /^arn:([\w-]+):([\w-]+):([\w-]*):(\d{12})?:(.+)$/;

/** The 12-digit account of an ARN (IAM user, group, role or policy, KMS key, ...); throws when it names none (an S3 bucket ARN). */
export function accountIdOfArn(arn: string): string {
    const account = ARN.exec(arn)?.[4];
    if (!account) {
        throw new Error(`accessproof: no account in ARN ${arn}`);
    }
    return account;
}

/** The partition of an ARN (`aws`, `aws-cn` or `aws-us-gov`); throws for anything else. */
export function partitionOfArn(arn: string): Partition {
    const partition = ARN.exec(arn)?.[1];
    const known = PARTITIONS.find((p) => p === partition);
    if (!known) {
        throw new Error(`accessproof: ${arn} is not an ARN of partition ${PARTITIONS.join(", ")}`);
    }
    return known;
}
