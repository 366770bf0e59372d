/**
 * Input checks that run while the program is evaluated (at `pulumi preview`), before any
 * resource is registered. Each error names the argument or config key, the bad value and the fix.
 *
 * Every check takes a `label`: the name the user knows the value by, e.g. the argument
 * `BucketAccessRoleArgs.bucketName` or the config key `cross-account-s3:bucketName`.
 */
import { parseRoleArn, PARTITIONS, Partition } from "./arns";

/**
 * Thrown by one check for one bad value; the message says what is wrong and how to fix it. The
 * components collect these into one {@link InvalidArgumentsError}; the verify script shows them as they are.
 */
export class InvalidInputError extends Error {
    /** The argument or config key that holds the bad value. */
    readonly label: string;
    /** What is wrong with the value (names the value, never a secret's). */
    readonly problem: string;
    /** What to do instead. */
    readonly fix: string;

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
        this.problem = problem;
        this.fix = fix;
    }
}

/** Quotes a value for an error message, shortened so a huge value cannot flood the output. */
export function show(value: unknown): string {
    const text = JSON.stringify(value) ?? String(value);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** A 12-digit AWS account id. */
export function checkAccountId(value: unknown, label: string): string {
    if (typeof value !== "string" || !/^\d{12}$/.test(value)) {
        throw new InvalidInputError(label, `${show(value)} is not an AWS account id`, 'Give the 12 digits of the account, quoted, e.g. "111111111111"');
    }
    return value;
}

/** The two sides must be different accounts, or there is nothing cross-account to set up. */
export function checkDistinctAccounts(blueAccountId: string, greenAccountId: string, label: string): void {
    if (blueAccountId === greenAccountId) {
        throw new InvalidInputError(
            label,
            `the resource (blue) and identity (green) accounts are both ${blueAccountId}`,
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
const IAM_NAME_LIMITS = {
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
type IamNameKind = keyof typeof IAM_NAME_LIMITS;

/** An IAM role, user, group or policy name. */
export function checkIamName(value: unknown, kind: IamNameKind, label: string): string {
    const max = IAM_NAME_LIMITS[kind];
    if (typeof value !== "string" || value.length < 1 || value.length > max || !/^[\w+=,.@-]+$/.test(value)) {
        throw new InvalidInputError(label, `${show(value)} is not a valid IAM ${kind} name`, `Use 1 to ${max} characters from letters, digits and + = , . @ _ -`);
    }
    return value;
}

/** An IAM path: `/` or `/a/b/`. */
export function checkIamPath(value: unknown, label: string): string {
    if (typeof value !== "string" || value.length > 512 || !/^\/([\x21-\x7E]+\/)?$/.test(value) || value.includes("//")) {
        throw new InvalidInputError(
            label,
            `${show(value)} is not a valid IAM path`,
            'Use "/" or a path that starts and ends with "/", such as "/cross-account/" (at most 512 characters)',
        );
    }
    return value;
}

/**
 * A list of IAM user names, unique ignoring case (as IAM compares them); empty only when `othersGranted`
 * (a role or group is granted instead: at least one principal of some kind).
 */
export function checkUserNames(value: unknown, label: string, othersGranted = false): string[] {
    if (!Array.isArray(value) || (value.length === 0 && !othersGranted)) {
        throw new InvalidInputError(
            label,
            `${show(value)} names no user, and no existing role or group is granted instead`,
            'Give at least one user name, e.g. ["s3-prod-user"], or grant existing principals with greenRoleNames, greenGroupNames or permissionSetNames (keyless)',
        );
    }
    checkUniqueIamNames(value, "user", label);
    return value as string[];
}

/** Each name a valid IAM name of its kind, listed once ignoring case. */
function checkUniqueIamNames(value: unknown[], kind: "user" | "role" | "group", label: string): void {
    const seen = new Set<string>();
    value.forEach((name, index) => {
        checkIamName(name, kind, `${label}[${index}]`);
        const key = (name as string).toLowerCase();
        if (seen.has(key)) {
            throw new InvalidInputError(label, `${kind} ${show(name)} appears twice (IAM ${kind} names ignore case)`, `List each ${kind} once`);
        }
        seen.add(key);
    });
}

/**
 * IAM Identity Center permission set names: 1 to 32 characters from letters, digits and `+ = , . @ _ -`
 * (Identity Center's rule), listed once.
 */
export function checkPermissionSetNames(value: unknown, label: string): string[] {
    if (!Array.isArray(value)) {
        throw new InvalidInputError(
            label,
            `${show(value)} is not a list of permission set names`,
            'Pass an array of IAM Identity Center permission set names, e.g. ["DataAnalyst"]',
        );
    }
    const seen = new Set<string>();
    value.forEach((name, index) => {
        if (typeof name !== "string" || !/^[\w+=,.@-]{1,32}$/.test(name)) {
            throw new InvalidInputError(
                `${label}[${index}]`,
                `${show(name)} is not an IAM Identity Center permission set name`,
                "Use 1 to 32 characters from letters, digits and + = , . @ _ -",
            );
        }
        if (seen.has(name)) {
            throw new InvalidInputError(label, `permission set ${show(name)} appears twice`, "List each permission set once");
        }
        seen.add(name);
    });
    return value as string[];
}

/** The prefix IAM Identity Center gives the roles it creates for a permission set. */
const IDENTITY_CENTER_ROLE_PREFIX = "AWSReservedSSO_";

/**
 * Existing roles or groups of the green account to grant: a list of IAM names, unique ignoring case.
 * An IAM Identity Center role is refused: IAM answers any change to it with "Cannot perform the
 * operation on the protected role ... this role is only modifiable by AWS".
 */
export function checkGreenPrincipalNames(value: unknown, kind: "role" | "group", label: string): string[] {
    if (!Array.isArray(value)) {
        throw new InvalidInputError(label, `${show(value)} is not a list of ${kind} names`, `Pass an array of existing ${kind} names, e.g. ["ci-deployer"]`);
    }
    checkUniqueIamNames(value, kind, label);
    const reserved = value.findIndex((name) => kind === "role" && (name as string).startsWith(IDENTITY_CENTER_ROLE_PREFIX));
    if (reserved >= 0) {
        throw new InvalidInputError(
            `${label}[${reserved}]`,
            `${show(value[reserved])} is an IAM Identity Center role, which IAM lets no one but Identity Center change`,
            "Remove it; name its permission set in permissionSetNames (the managed policy grantPolicyName is then created), add that policy to the permission set's customer managed policies in Identity Center, and trust its roles on the blue side with trustedPrincipalArnPatterns",
        );
    }
    return value as string[];
}

/** An IAM role ARN, such as a StackReference output. */
export function checkRoleArn(value: unknown, label: string): string {
    if (typeof value !== "string" || !parseRoleArn(value)) {
        throw new InvalidInputError(label, `${show(value)} is not an IAM role ARN`, "Give an ARN of the form arn:aws:iam::123456789012:role/NAME");
    }
    return value;
}

/** An ARN must be in the role's partition: IAM refuses (or never matches) a principal or resource of another. */
export function checkSamePartition(arn: string, partition: Partition, label: string): string {
    const arnPartition = /^arn:([^:]*):/.exec(arn)?.[1];
    if (arnPartition !== partition) {
        throw new InvalidInputError(
            label,
            `${show(arn)} is in partition ${arnPartition ?? "(none)"}, not the role's partition ${partition}`,
            `Give an ARN in partition ${partition} (arn:${partition}:...): IAM does not match principals or resources across partitions`,
        );
    }
    return arn;
}

/**
 * A principal the trust policy may name: the account root, a user or a role, in the green account
 * and in the role's partition.
 */
export function checkTrustedPrincipalArn(value: unknown, greenAccountId: string, label: string, partition: Partition = "aws"): string {
    const match = typeof value === "string" ? /^arn:(aws|aws-cn|aws-us-gov):iam::(\d{12}):(root|(?:user|role)\/(?:[\x21-\x7E]+\/)?[\w+=,.@-]{1,64})$/.exec(value) : null;
    if (!match) {
        throw new InvalidInputError(
            label,
            `${show(value)} is not an IAM principal ARN`,
            `Give arn:${partition}:iam::${greenAccountId}:root, or a user or role ARN in that account`,
        );
    }
    checkSamePartition(value as string, partition, label);
    if (match[2] !== greenAccountId) {
        throw new InvalidInputError(
            label,
            `${show(value)} is in account ${match[2]}, not the green account ${greenAccountId}`,
            "Trust principals of the identity (green) account only",
        );
    }
    return value as string;
}

/**
 * A role or user ARN pattern for `ArnLike` on `aws:PrincipalArn`: in the green account and the role's
 * partition, with `*` and `?` only in the path and name. IAM matches the partition, service, account
 * and resource type of an ARN field by field, so a wildcard there would reach other accounts or kinds
 * of principal: those fields must be written out.
 */
export function checkTrustedPrincipalArnPattern(value: unknown, greenAccountId: string, label: string, partition: Partition = "aws"): string {
    const example = `arn:${partition}:iam::${greenAccountId}:role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_DataAnalyst_*`;
    const fields = typeof value === "string" ? /^arn:([^:]*):([^:]*):([^:]*):([^:]*):(.*)$/.exec(value) : null;
    if (!fields) {
        throw new InvalidInputError(label, `${show(value)} is not an ARN pattern`, `Give a role or user ARN with * or ? in its path or name, e.g. ${example}`);
    }
    const [, arnPartition, service, region, account, resource] = fields;
    const wildcardIn = [
        ["partition", arnPartition],
        ["service", service],
        ["account", account],
    ].find(([, field]) => /[*?]/.test(field));
    if (wildcardIn) {
        throw new InvalidInputError(
            label,
            `${show(value)} has a wildcard in its ${wildcardIn[0]} field`,
            `Write out arn:${partition}:iam::${greenAccountId}: and use * or ? only in the role or user path and name, e.g. ${example}`,
        );
    }
    if (service !== "iam" || region !== "" || !/^\d{12}$/.test(account)) {
        throw new InvalidInputError(
            label,
            `${show(value)} is not an IAM principal ARN pattern`,
            `Give arn:${partition}:iam::${greenAccountId}:role/... or :user/..., e.g. ${example}`,
        );
    }
    checkSamePartition(value as string, partition, label);
    if (account !== greenAccountId) {
        throw new InvalidInputError(
            label,
            `${show(value)} is in account ${account}, not the green account ${greenAccountId}`,
            "Trust principals of the identity (green) account only",
        );
    }
    if (!/^(role|user)\/[\w+=,.@/*?-]+$/.test(resource)) {
        throw new InvalidInputError(
            label,
            `${show(value)} names no role or user (the resource must start with role/ or user/, without a wildcard in that word)`,
            `Give a role or user ARN pattern, e.g. ${example}`,
        );
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
        throw new InvalidInputError(
            label,
            `${show(value)} is not an AWS Organizations id`,
            "Give the id of the form o-abcd123456 (Organizations console, or `aws organizations describe-organization`)",
        );
    }
    return value;
}

/**
 * A KMS key ARN (not an alias: key policies and IAM grants need the key), in the resource account
 * when that is known: a key in another account also needs its key policy to allow the role, which
 * this library does not manage.
 */
export function checkKmsKeyArn(value: unknown, label: string, blueAccountId?: string, partition: Partition = "aws"): string {
    const match = typeof value === "string" ? /^arn:(aws|aws-cn|aws-us-gov):kms:[a-z0-9-]+:(\d{12}):key\/[\w-]+$/.exec(value) : null;
    if (!match) {
        throw new InvalidInputError(label, `${show(value)} is not a KMS key ARN`, "Give the key's ARN (arn:aws:kms:REGION:ACCOUNT:key/ID), not an alias or a key id");
    }
    checkSamePartition(value as string, partition, label);
    if (blueAccountId !== undefined && match[2] !== blueAccountId) {
        throw new InvalidInputError(
            label,
            `the key is in account ${match[2]}, not the bucket's account ${blueAccountId}`,
            "Use a key of the resource account, whose default key policy lets IAM grant it to the role",
        );
    }
    return value as string;
}

/** An object key prefix such as `uploads/`. */
export function checkObjectKeyPrefix(value: unknown, label: string): string {
    if (typeof value !== "string" || value.length === 0 || value.length > 1024 || !value.endsWith("/") || value.startsWith("/") || /[*?$]/.test(value)) {
        throw new InvalidInputError(
            label,
            `${show(value)} is not a usable key prefix`,
            'Give a prefix that ends with "/" and does not start with one, without * ? or $, e.g. "uploads/"',
        );
    }
    return value;
}

/** A managed policy ARN, AWS-managed or the customer's (e.g. a permissions boundary). */
export function checkManagedPolicyArn(value: unknown, label: string, partition: Partition = "aws"): string {
    if (typeof value !== "string" || !/^arn:(aws|aws-cn|aws-us-gov):iam::(\d{12}|aws):policy\/([\x21-\x7E]+\/)?[\w+=,.@-]{1,128}$/.test(value)) {
        throw new InvalidInputError(label, `${show(value)} is not a managed policy ARN`, "Give an ARN of the form arn:aws:iam::123456789012:policy/NAME");
    }
    return checkSamePartition(value, partition, label);
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
        throw new InvalidInputError(label, `${show(value)} is not an AWS region`, 'Give a region name such as "eu-west-1"');
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
const POLICY_SIZE_LIMITS = {
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

/** What a value is, for a type error: `the string "false"`, `a number`, `an array`. */
function kindOf(value: unknown): string {
    if (value === null) {
        return "null";
    }
    if (Array.isArray(value)) {
        return "an array";
    }
    if (typeof value === "string") {
        return `the string ${show(value)}`;
    }
    return `${typeof value === "object" ? "an" : "a"} ${typeof value} (${show(value)})`;
}

/**
 * A boolean, at run time: JavaScript and YAML callers pass strings, and the string `"false"` is truthy.
 * Never coerced.
 */
export function checkBoolean(value: unknown, label: string): boolean {
    if (typeof value !== "boolean") {
        throw new InvalidInputError(label, `${kindOf(value)} is not a boolean`, "Pass true or false, not a string or a number");
    }
    return value;
}

/** A plain object of settings (such as `bucketSecurity`), at run time. */
export function checkSettingsObject(value: unknown, label: string): Record<string, unknown> {
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
        throw new InvalidInputError(label, `${kindOf(value)} is not an object of settings`, "Pass an object such as { versioning: true }");
    }
    return value as Record<string, unknown>;
}

/** A list, at run time (its items are checked one by one by the caller). */
export function checkList(value: unknown, label: string): unknown[] {
    if (!Array.isArray(value)) {
        throw new InvalidInputError(label, `${kindOf(value)} is not a list`, 'Pass an array, e.g. ["VALUE"]');
    }
    return value;
}

/** Tags: an object of string values, at run time. */
export function checkTags(value: unknown, label: string): Record<string, string> {
    const tags = checkSettingsObject(value, label);
    const bad = Object.entries(tags).find(([, tag]) => typeof tag !== "string");
    if (bad) {
        throw new InvalidInputError(`${label}.${bad[0]}`, `${kindOf(bad[1])} is not a tag value`, "Give every tag a string value");
    }
    return tags as Record<string, string>;
}

/** A non-empty string such as a PGP key, at run time. */
export function checkNonEmptyString(value: unknown, label: string): string {
    if (typeof value !== "string" || value.trim() === "") {
        throw new InvalidInputError(label, typeof value === "string" ? "it is empty" : `${kindOf(value)} is not a string`, "Give a non-empty string");
    }
    return value;
}
