/**
 * Input checks that run while the program is evaluated (at `pulumi preview`), before any
 * resource is registered. Each error names the argument or config key, the bad value and the fix.
 *
 * Every check takes a `label`: the name the user knows the value by, e.g. the argument
 * `BucketAccessRoleArgs.bucketName` or the config key `cross-account-s3:bucketName`.
 */
import { parseRoleArn, PARTITIONS, Partition } from "./arns";

/** Thrown for a bad argument or config value; the message says what is wrong and how to fix it. */
export class InvalidInputError extends Error {
    /** The argument or config key that holds the bad value. */
    readonly label: string;

    /**
     * Builds the message `LABEL: PROBLEM. FIX`.
     * @param label The argument or config key.
     * @param problem What is wrong with its value.
     * @param fix What to do instead.
     */
    constructor(label: string, problem: string, fix: string) {
        super(`${label}: ${problem}. ${fix}`);
        this.name = "InvalidInputError";
        this.label = label;
    }
}

/** Quotes a value for an error message, shortened so a huge value cannot flood the output. */
function show(value: unknown): string {
    const text = JSON.stringify(value) ?? String(value);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** A 12-digit AWS account id. */
export function checkAccountId(value: unknown, label: string): string {
    if (typeof value !== "string" || !/^\d{12}$/.test(value)) {
        throw new InvalidInputError(label, `${show(value)} is not an AWS account id`, "Give the 12 digits of the account, quoted, e.g. \"111111111111\"");
    }
    return value;
}

/** The two sides must be different accounts, or there is nothing cross-account to set up. */
export function checkDistinctAccounts(resourceAccountId: string, identityAccountId: string, label: string): void {
    if (resourceAccountId === identityAccountId) {
        throw new InvalidInputError(
            label,
            `the resource (blue) and identity (green) accounts are both ${resourceAccountId}`,
            "Set the identity account to the other account's id; within one account, grant access with a plain IAM policy instead",
        );
    }
}

// Rules of https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const RESERVED_BUCKET_PREFIXES = ["xn--", "sthree-", "amzn-s3-demo-"];
const RESERVED_BUCKET_SUFFIXES = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"];

/** An S3 general purpose bucket name. */
export function checkBucketName(value: unknown, label: string): string {
    const fix = "Use 3 to 63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit";
    if (typeof value !== "string" || !BUCKET_NAME.test(value)) {
        throw new InvalidInputError(label, `${show(value)} is not a valid S3 bucket name`, fix);
    }
    if (value.includes("..") || value.includes(".-") || value.includes("-.")) {
        throw new InvalidInputError(label, `${show(value)} has adjacent dots or a dot next to a hyphen`, fix);
    }
    if (/^\d{1,3}(\.\d{1,3}){3}$/.test(value)) {
        throw new InvalidInputError(label, `${show(value)} is formatted as an IP address`, fix);
    }
    const prefix = RESERVED_BUCKET_PREFIXES.find((p) => value.startsWith(p));
    const suffix = RESERVED_BUCKET_SUFFIXES.find((s) => value.endsWith(s));
    if (prefix || suffix) {
        throw new InvalidInputError(label, `${show(value)} uses the reserved ${prefix ? `prefix "${prefix}"` : `suffix "${suffix}"`}`, "Choose a name without it");
    }
    return value;
}

/** The IAM name kinds and their length limits. */
export const IAM_NAME_LIMITS = {
    /** A role name: at most 64 characters. */
    role: 64,
    /** A user name: at most 64 characters. */
    user: 64,
    /** A group name: at most 128 characters. */
    group: 128,
    /** A managed or inline policy name: at most 128 characters. */
    policy: 128,
} as const;

/** Which IAM entity a name is for. */
export type IamNameKind = keyof typeof IAM_NAME_LIMITS;

/** An IAM role, user, group or policy name. */
export function checkIamName(value: unknown, kind: IamNameKind, label: string): string {
    const max = IAM_NAME_LIMITS[kind];
    if (typeof value !== "string" || value.length < 1 || value.length > max || !/^[\w+=,.@-]+$/.test(value)) {
        throw new InvalidInputError(
            label,
            `${show(value)} is not a valid IAM ${kind} name`,
            `Use 1 to ${max} characters from letters, digits and + = , . @ _ -`,
        );
    }
    return value;
}

/** An IAM path: `/` or `/a/b/`. */
export function checkIamPath(value: unknown, label: string): string {
    if (typeof value !== "string" || value.length > 512 || !/^\/([\x21-\x7E]+\/)?$/.test(value) || value.includes("//")) {
        throw new InvalidInputError(label, `${show(value)} is not a valid IAM path`, "Use \"/\" or a path that starts and ends with \"/\", such as \"/cross-account/\" (at most 512 characters)");
    }
    return value;
}

/** A non-empty list of IAM user names, unique ignoring case (as IAM compares them). */
export function checkUserNames(value: unknown, label: string): string[] {
    if (!Array.isArray(value) || value.length === 0) {
        throw new InvalidInputError(label, `${show(value)} names no user`, "Give at least one user name, e.g. [\"s3-prod-user\"]");
    }
    const seen = new Set<string>();
    value.forEach((name, index) => {
        checkIamName(name, "user", `${label}[${index}]`);
        const key = (name as string).toLowerCase();
        if (seen.has(key)) {
            throw new InvalidInputError(label, `user ${show(name)} appears twice (IAM user names ignore case)`, "List each user once");
        }
        seen.add(key);
    });
    return value as string[];
}

/** An IAM role ARN, such as a StackReference output. */
export function checkRoleArn(value: unknown, label: string): string {
    if (typeof value !== "string" || !parseRoleArn(value)) {
        throw new InvalidInputError(label, `${show(value)} is not an IAM role ARN`, "Give an ARN of the form arn:aws:iam::123456789012:role/NAME");
    }
    return value;
}

/** A principal the trust policy may name: the account root, a user or a role, in the trusted account. */
export function checkTrustedPrincipalArn(value: unknown, trustedAccountId: string, label: string): string {
    const match = typeof value === "string" ? /^arn:(aws|aws-cn|aws-us-gov):iam::(\d{12}):(root|(?:user|role)\/(?:[\x21-\x7E]+\/)?[\w+=,.@-]{1,64})$/.exec(value) : null;
    if (!match) {
        throw new InvalidInputError(label, `${show(value)} is not an IAM principal ARN`, `Give arn:aws:iam::${trustedAccountId}:root, or a user or role ARN in that account`);
    }
    if (match[2] !== trustedAccountId) {
        throw new InvalidInputError(label, `${show(value)} is in account ${match[2]}, not the trusted account ${trustedAccountId}`, "Trust principals of the identity account only");
    }
    return value as string;
}

/** An ExternalId; its value is not printed. */
export function checkExternalId(value: unknown, label: string): string {
    if (typeof value !== "string" || !/^[\w+=,.@:/-]{2,1224}$/.test(value)) {
        throw new InvalidInputError(label, "the value is not a valid ExternalId (not shown)", "Use 2 to 1224 characters from letters, digits and + = , . @ : / _ -");
    }
    return value;
}

/** An MFA device ARN (virtual or hardware), as `mfa_serial` in a CLI profile. */
export function checkMfaSerial(value: unknown, label: string): string {
    if (typeof value !== "string" || !/^arn:(aws|aws-cn|aws-us-gov):iam::\d{12}:(mfa|u2f)\/[\w+=,.@/-]{1,512}$/.test(value)) {
        throw new InvalidInputError(label, `${show(value)} is not an MFA device ARN`, "Give the device's ARN, e.g. arn:aws:iam::222222222222:mfa/s3-prod-user");
    }
    return value;
}

/** An AWS Organizations id, `o-` and 10 to 32 lowercase letters or digits. */
export function checkOrganizationId(value: unknown, label: string): string {
    if (typeof value !== "string" || !/^o-[a-z0-9]{10,32}$/.test(value)) {
        throw new InvalidInputError(label, `${show(value)} is not an AWS Organizations id`, "Give the id of the form o-abcd123456 (Organizations console, or `aws organizations describe-organization`)");
    }
    return value;
}

/**
 * A KMS key ARN (not an alias: key policies and IAM grants need the key), in the resource account
 * when that is known: a key in another account also needs its key policy to allow the role, which
 * this library does not manage.
 */
export function checkKmsKeyArn(value: unknown, label: string, resourceAccountId?: string): string {
    const match = typeof value === "string" ? /^arn:(aws|aws-cn|aws-us-gov):kms:[a-z0-9-]+:(\d{12}):key\/[\w-]+$/.exec(value) : null;
    if (!match) {
        throw new InvalidInputError(label, `${show(value)} is not a KMS key ARN`, "Give the key's ARN (arn:aws:kms:REGION:ACCOUNT:key/ID), not an alias or a key id");
    }
    if (resourceAccountId !== undefined && match[2] !== resourceAccountId) {
        throw new InvalidInputError(label, `the key is in account ${match[2]}, not the bucket's account ${resourceAccountId}`,
            "Use a key of the resource account, whose default key policy lets IAM grant it to the role");
    }
    return value as string;
}

/** An object key prefix such as `uploads/`. */
export function checkObjectKeyPrefix(value: unknown, label: string): string {
    if (typeof value !== "string" || value.length === 0 || value.length > 1024 || !value.endsWith("/") || value.startsWith("/") || /[*?$]/.test(value)) {
        throw new InvalidInputError(label, `${show(value)} is not a usable key prefix`, "Give a prefix that ends with \"/\" and does not start with one, without * ? or $, e.g. \"uploads/\"");
    }
    return value;
}

/** A managed policy ARN, AWS-managed or the customer's (e.g. a permissions boundary). */
export function checkManagedPolicyArn(value: unknown, label: string): string {
    if (typeof value !== "string" || !/^arn:(aws|aws-cn|aws-us-gov):iam::(\d{12}|aws):policy\/([\x21-\x7E]+\/)?[\w+=,.@-]{1,128}$/.test(value)) {
        throw new InvalidInputError(label, `${show(value)} is not a managed policy ARN`, "Give an ARN of the form arn:aws:iam::123456789012:policy/NAME");
    }
    return value;
}

/** A role's maximum session duration, 3600 to 43200 seconds. */
export function checkMaxSessionDuration(value: unknown, label: string): number {
    if (typeof value !== "number" || !Number.isInteger(value) || value < 3600 || value > 43200) {
        throw new InvalidInputError(label, `${show(value)} is not a session duration IAM accepts`, "Give whole seconds from 3600 (1 hour) to 43200 (12 hours)");
    }
    return value;
}

/** An AWS partition name. */
export function checkPartition(value: unknown, label: string): Partition {
    if (!PARTITIONS.includes(value as Partition)) {
        throw new InvalidInputError(label, `${show(value)} is not an AWS partition`, `Use one of ${PARTITIONS.join(", ")}`);
    }
    return value as Partition;
}

/** An AWS region name such as `eu-west-1`. */
export function checkRegion(value: unknown, label: string): string {
    if (typeof value !== "string" || !/^[a-z]{2}(-[a-z]+)+-\d$/.test(value)) {
        throw new InvalidInputError(label, `${show(value)} is not an AWS region`, "Give a region name such as \"eu-west-1\"");
    }
    return value;
}

/** An AWS CLI profile name, as it appears in `[profile NAME]`. */
export function checkProfileName(value: unknown, label: string): string {
    if (typeof value !== "string" || !/^[\w.+@-]{1,64}$/.test(value)) {
        throw new InvalidInputError(label, `${show(value)} is not a usable AWS CLI profile name`, "Use letters, digits and . _ - + @");
    }
    return value;
}

/** IAM's size limits, in characters without white space. */
export const POLICY_SIZE_LIMITS = {
    /** A role trust policy (the default quota; it can be raised to 4096). */
    trustPolicy: 2048,
    /** All inline policies of one group together. */
    groupInlinePolicies: 5120,
    /** One managed policy. */
    managedPolicy: 6144,
} as const;

/** A serialised policy within the size IAM accepts for its kind. */
export function checkPolicySize(serialized: string, kind: keyof typeof POLICY_SIZE_LIMITS, label: string): string {
    const limit = POLICY_SIZE_LIMITS[kind];
    if (serialized.length > limit) {
        throw new InvalidInputError(
            label,
            `the ${kind} would be ${serialized.length} characters, over IAM's limit of ${limit}`,
            "Trust fewer principals (the account root instead of a list), or shorten names and prefixes",
        );
    }
    return serialized;
}

/** Names an argument in an error message: the component argument, or the config key it came from. */
export type FieldNamer = (field: string) => string;

/** Names arguments as `ARGS.FIELD`, e.g. `BucketAccessRoleArgs.bucketName`. */
export function argumentNamer(argsTypeName: string): FieldNamer {
    return (field) => `${argsTypeName}.${field}`;
}
