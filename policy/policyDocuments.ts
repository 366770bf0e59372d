/**
 * Reading IAM policy documents as they reach a policy pack: a JSON string (what
 * `serializePolicy` and `JSON.stringify` produce) or an object (the `PolicyDocument` input
 * type of `@pulumi/aws`). Single values and lists are both allowed wherever IAM allows them.
 *
 * Self-contained on purpose: the pack is published and installed on its own, without the
 * component library next to it.
 */

/**
 * One statement of a policy document, its fields not yet trusted: each is whatever the document
 * holds (`unknown`), to be read with the helpers of this module.
 */
export interface RawStatement {
    /** The statement's id, used in messages when it is a non-empty string. */
    readonly Sid?: unknown;
    /** `"Allow"` or `"Deny"`; any other value (or spelling) matches neither. */
    readonly Effect?: unknown;
    /** Who the statement applies to: `"*"`, or an object such as `{"AWS": [...]}`. */
    readonly Principal?: unknown;
    /** Everyone except these principals (an `Allow` with it trusts everyone else). */
    readonly NotPrincipal?: unknown;
    /** An action pattern or a list of them (`s3:GetObject`, `s3:*`, `*`). */
    readonly Action?: unknown;
    /** Every action except these patterns. */
    readonly NotAction?: unknown;
    /** A resource ARN pattern or a list of them. */
    readonly Resource?: unknown;
    /** Every resource except these patterns. */
    readonly NotResource?: unknown;
    /** The condition block: operator -> condition key -> value or list of values. */
    readonly Condition?: unknown;
}

/**
 * The outcome of reading a policy property:
 * - `absent`: no policy (`undefined`, `null` or the empty string);
 * - `invalid`: something that is not a policy document, with the `reason` for messages;
 * - `document`: a policy document, with its `Statement` as a list (a single statement becomes a
 *   list of one).
 */
export type ParsedPolicy =
    { readonly kind: "absent" } | { readonly kind: "invalid"; readonly reason: string } | { readonly kind: "document"; readonly statements: readonly RawStatement[] };

/**
 * Reads a policy property: absent (`undefined`, `null`, empty string), invalid, or its statements.
 *
 * @param value - the property as the pack receives it: a JSON string or an object
 */
export function parsePolicy(value: unknown): ParsedPolicy {
    if (value === undefined || value === null || value === "") {
        return { kind: "absent" };
    }
    let document: unknown = value;
    if (typeof value === "string") {
        try {
            document = JSON.parse(value);
        } catch (err) {
            return { kind: "invalid", reason: `not valid JSON (${(err as Error).message})` };
        }
    }
    if (!isRecord(document)) {
        return { kind: "invalid", reason: "not a JSON object" };
    }
    const statement = document["Statement"];
    if (statement === undefined) {
        return { kind: "invalid", reason: "no Statement" };
    }
    const statements = Array.isArray(statement) ? statement : [statement];
    if (!statements.every(isRecord)) {
        return { kind: "invalid", reason: "a Statement entry is not an object" };
    }
    return { kind: "document", statements: statements as RawStatement[] };
}

/**
 * `value` as a list of strings: a single value becomes a list of one, anything not a string is
 * dropped.
 *
 * @param value - a policy field that IAM allows as a single string or a list
 */
export function stringList(value: unknown): string[] {
    const items = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
    return items.filter((item): item is string => typeof item === "string");
}

/**
 * True when the statement's `Effect` equals `effect` (IAM accepts only the exact spelling).
 *
 * @param statement - the statement to read
 * @param effect - the effect looked for
 */
export function hasEffect(statement: RawStatement, effect: "Allow" | "Deny"): boolean {
    return statement.Effect === effect;
}

/**
 * True when the principal element names everyone: `"*"`, or `"*"` under any key
 * (`{"AWS": "*"}`, `{"AWS": ["arn:...", "*"]}`, `{"Federated": "*"}`...).
 *
 * @param principal - a statement's `Principal`
 */
export function isWildcardPrincipal(principal: unknown): boolean {
    if (principal === "*") {
        return true;
    }
    if (!isRecord(principal)) {
        return false;
    }
    return Object.values(principal).some((value) => stringList(value).includes("*"));
}

/**
 * A short name of the statement for messages: its Sid, or its position.
 *
 * @param statement - the statement to name
 * @param index - its position in the document, from 0
 */
export function describeStatement(statement: RawStatement, index: number): string {
    return typeof statement.Sid === "string" && statement.Sid !== "" ? `statement "${statement.Sid}"` : `statement #${index + 1}`;
}

/**
 * Whether an IAM wildcard pattern (`*` any run, `?` one character) matches `value` completely.
 * Actions compare case-insensitively, ARNs case-sensitively.
 *
 * @param pattern - the pattern, as written in the policy
 * @param value - the literal value to match
 * @param ignoreCase - true for actions
 */
export function wildcardMatches(pattern: string, value: string, ignoreCase = false): boolean {
    const source = pattern
        .split("")
        .map((char) => (char === "*" ? ".*" : char === "?" ? "." : char.replace(/[\\^$.|+()[\]{}]/g, "\\$&")))
        .join("");
    return new RegExp(`^${source}$`, ignoreCase ? "is" : "s").test(value);
}

/**
 * True when one of the `Action` patterns covers every action of `service` (`*` or `service:*`).
 *
 * @param statement - the statement to read
 * @param service - a service prefix such as `s3`
 */
export function coversAllActionsOf(statement: RawStatement, service: string): boolean {
    return stringList(statement.Action).some((action) => wildcardMatches(action, `${service}:*`, true));
}

/**
 * True when one of the `Resource` patterns covers `arn` (a literal ARN, `*` inside it taken
 * literally).
 *
 * @param statement - the statement to read
 * @param arn - the resource ARN that must be covered
 */
export function coversResource(statement: RawStatement, arn: string): boolean {
    return stringList(statement.Resource).some((pattern) => wildcardMatches(pattern, arn));
}

/** One comparison of a statement's condition block: `"Condition": {operator: {key: values}}`. */
export interface ConditionEntry {
    /** The condition operator as written: `StringEquals`, `Bool`, `ForAnyValue:StringLike`... */
    readonly operator: string;
    /** The condition key as written (IAM compares keys case-insensitively). */
    readonly key: string;
    /** The values compared with, as strings (a single value becomes a list of one). */
    readonly values: string[];
}

/**
 * The statement's condition block as a flat list of comparisons, keys kept as written. Operator
 * blocks that are not objects are skipped.
 *
 * @param statement - the statement whose `Condition` to read
 * @returns one entry per operator and key, in the document's order
 */
export function conditionEntries(statement: RawStatement): ConditionEntry[] {
    if (!isRecord(statement.Condition)) {
        return [];
    }
    const entries: ConditionEntry[] = [];
    for (const [operator, block] of Object.entries(statement.Condition)) {
        if (!isRecord(block)) {
            continue;
        }
        for (const [key, value] of Object.entries(block)) {
            const items = Array.isArray(value) ? value : [value];
            entries.push({ operator, key, values: items.map((item) => String(item)) });
        }
    }
    return entries;
}

/**
 * The condition keys that, compared with fixed values, make a bucket policy statement that allows
 * everyone non-public for S3 Block Public Access (lower case: IAM compares keys
 * case-insensitively).
 *
 * Source: Amazon S3 User Guide, "Blocking public access to your Amazon S3 storage", section
 * "The meaning of 'public'", subsection "Bucket policies"
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status;
 * read in the guide's source, awsdocs/amazon-s3-userguide, doc_source/access-control-block-public-access.md).
 * A policy is non-public when it grants access only to fixed values ("values that don't contain a
 * wildcard or an AWS Identity and Access Management Policy Variable") of one or more of, in the
 * guide's order:
 * - "An AWS principal, user, role, or service principal (e.g. `aws:PrincipalOrgID`)": the keys
 *   that name the calling principal or its account or organization, `aws:PrincipalOrgID` (the
 *   guide's example), `aws:PrincipalAccount` and `aws:PrincipalArn`;
 * - a set of CIDRs with `aws:SourceIp` (ranges broader than /8 in IPv4 or /32 in IPv6 count as
 *   public: see {@link isNarrowSourceIp});
 * - `aws:SourceArn`, `aws:SourceVpc`, `aws:SourceVpce`, `aws:SourceOwner`, `aws:SourceAccount`;
 * - `s3:x-amz-server-side-encryption-aws-kms-key-id`;
 * - `aws:userid` outside the pattern `AROLEID:*` (that pattern holds a wildcard, so the fixed-value
 *   test already rejects it);
 * - `s3:DataAccessPointArn` (in a bucket policy the access point name may be a wildcard as long as
 *   the account id is fixed: see {@link isFixedDataAccessPointArn}) and `s3:DataAccessPointAccount`.
 *
 * Keys the guide does not name stay public here, even where they narrow the caller in practice
 * (`aws:PrincipalOrgPaths`, `aws:SourceOrgID`, `aws:SourceOrgPaths`, `aws:PrincipalServiceName`...):
 * for them the pack cannot tell whether S3 would accept the policy under `BlockPublicPolicy`.
 */
export const NON_PUBLIC_CONDITION_KEYS: ReadonlySet<string> = new Set([
    "aws:principalorgid",
    "aws:principalaccount",
    "aws:principalarn",
    "aws:sourceip",
    "aws:sourcearn",
    "aws:sourcevpc",
    "aws:sourcevpce",
    "aws:sourceowner",
    "aws:sourceaccount",
    "s3:x-amz-server-side-encryption-aws-kms-key-id",
    "aws:userid",
    "s3:dataaccesspointarn",
    "s3:dataaccesspointaccount",
]);

/**
 * True for a fixed value in the guide's sense: no wildcard (`*`, `?`) and no policy variable
 * (`${...}`).
 *
 * @param value - a condition value
 */
export function isFixedValue(value: string): boolean {
    return !/[*?]/.test(value) && !value.includes("${");
}

/**
 * True when an `aws:SourceIp` value limits the source to a range S3 does not call public: an IPv4
 * address or CIDR of /8 or narrower, an IPv6 address or CIDR of /32 or narrower ("values broader
 * than /8 for IPv4 and /32 for IPv6 ... are evaluated as public"). Anything that does not read as
 * an address counts as public.
 *
 * @param value - an `aws:SourceIp` condition value, such as `203.0.113.0/24` or `2001:db8::/32`
 */
export function isNarrowSourceIp(value: string): boolean {
    const match = /^([^/]+)(?:\/(\d{1,3}))?$/.exec(value.trim());
    if (!match || !isFixedValue(value)) {
        return false;
    }
    const [, address, prefix] = match;
    const ipv6 = address.includes(":");
    if (!ipv6 && !/^\d{1,3}(\.\d{1,3}){3}$/.test(address)) {
        return false;
    }
    const maximum = ipv6 ? 128 : 32;
    const length = prefix === undefined ? maximum : Number(prefix);
    return length <= maximum && length >= (ipv6 ? 32 : 8);
}

/**
 * True when an `s3:DataAccessPointArn` value names access points of one fixed account: an access
 * point ARN whose partition, region and account are fixed, the access point name alone possibly a
 * wildcard (`arn:aws:s3:us-west-2:123456789012:accesspoint/*`), as the guide allows in bucket
 * policies.
 *
 * @param value - an `s3:DataAccessPointArn` condition value
 */
export function isFixedDataAccessPointArn(value: string): boolean {
    const match = /^(arn:[^:]+:s3:[^:]+:\d{12}:accesspoint\/)(.*)$/.exec(value);
    return match !== null && isFixedValue(match[1]) && !match[2].includes("${");
}

/**
 * True when one comparison of a condition block limits an `Allow` to fixed sources in S3's sense:
 * a positive operator (not `...Not...`, not `...IfExists`, not `Null`, not `ForAllValues:`, which
 * all hold when the key is missing or differs), one of {@link NON_PUBLIC_CONDITION_KEYS}, and only
 * fixed values (with the guide's rules for `aws:SourceIp` and `s3:DataAccessPointArn`).
 *
 * @param entry - one comparison of the statement's condition block
 */
export function limitsToFixedSources({ operator, key, values }: ConditionEntry): boolean {
    const op = operator.toLowerCase();
    if (op.includes("not") || op.endsWith("ifexists") || op === "null" || op.startsWith("forallvalues:")) {
        return false;
    }
    const normalisedKey = key.toLowerCase();
    if (!NON_PUBLIC_CONDITION_KEYS.has(normalisedKey) || values.length === 0) {
        return false;
    }
    if (normalisedKey === "aws:sourceip") {
        return values.every(isNarrowSourceIp);
    }
    if (normalisedKey === "s3:dataaccesspointarn") {
        return values.every(isFixedDataAccessPointArn);
    }
    return values.every(isFixedValue);
}

/**
 * True for an `Allow` to everyone (wildcard `Principal`, or any `NotPrincipal`) that no
 * comparison of its condition block limits to fixed sources ({@link limitsToFixedSources}).
 * Conditions are AND-ed, so one limiting comparison is enough.
 *
 * @param statement - a bucket policy statement
 */
export function isPublicAllow(statement: RawStatement): boolean {
    if (!hasEffect(statement, "Allow")) {
        return false;
    }
    const everyone = isWildcardPrincipal(statement.Principal) || statement.NotPrincipal !== undefined;
    if (!everyone) {
        return false;
    }
    return !conditionEntries(statement).some(limitsToFixedSources);
}

/**
 * True for a JSON object (not `null`, not an array).
 *
 * @param value - any value read from a policy document
 */
export function isRecord(value: unknown): value is Record<string, unknown> {
    return value !== null && typeof value === "object" && !Array.isArray(value);
}
