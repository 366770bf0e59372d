/**
 * Reading IAM policy documents as they reach a policy pack: a JSON string (what
 * `serializePolicy` and `JSON.stringify` produce) or an object (the `PolicyDocument` input
 * type of `@pulumi/aws`). Single values and lists are both allowed wherever IAM allows them.
 *
 * Self-contained on purpose: the pack is published and installed on its own, without the
 * component library next to it.
 */

/** One statement, its fields not yet trusted. */
export interface RawStatement {
    readonly Sid?: unknown;
    readonly Effect?: unknown;
    readonly Principal?: unknown;
    readonly NotPrincipal?: unknown;
    readonly Action?: unknown;
    readonly NotAction?: unknown;
    readonly Resource?: unknown;
    readonly NotResource?: unknown;
    readonly Condition?: unknown;
}

/** The outcome of reading a policy property. */
export type ParsedPolicy =
    | { readonly kind: "absent" }
    | { readonly kind: "invalid"; readonly reason: string }
    | { readonly kind: "document"; readonly statements: readonly RawStatement[] };

/** Reads a policy property: absent (`undefined`, `null`, empty string), invalid, or its statements. */
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

/** `x` as a list of strings: a single value becomes a list of one, anything not a string is dropped. */
export function stringList(value: unknown): string[] {
    const items = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
    return items.filter((item): item is string => typeof item === "string");
}

/** `Effect` equals `effect` (IAM accepts only the exact spelling). */
export function hasEffect(statement: RawStatement, effect: "Allow" | "Deny"): boolean {
    return statement.Effect === effect;
}

/**
 * True when the principal element names everyone: `"*"`, or `"*"` under any key
 * (`{"AWS": "*"}`, `{"AWS": ["arn:...", "*"]}`, `{"Federated": "*"}`...).
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

/** A short name of the statement for messages: its Sid, or its position. */
export function describeStatement(statement: RawStatement, index: number): string {
    return typeof statement.Sid === "string" && statement.Sid !== "" ? `statement "${statement.Sid}"` : `statement #${index + 1}`;
}

/**
 * Whether an IAM wildcard pattern (`*` any run, `?` one character) matches `value` completely.
 * Actions compare case-insensitively, ARNs case-sensitively.
 */
export function wildcardMatches(pattern: string, value: string, ignoreCase = false): boolean {
    const source = pattern
        .split("")
        .map((char) => (char === "*" ? ".*" : char === "?" ? "." : char.replace(/[\\^$.|+()[\]{}]/g, "\\$&")))
        .join("");
    return new RegExp(`^${source}$`, ignoreCase ? "is" : "s").test(value);
}

/** True when one of the `Action` patterns covers every action of `service` (`*` or `service:*`). */
export function coversAllActionsOf(statement: RawStatement, service: string): boolean {
    return stringList(statement.Action).some((action) => wildcardMatches(action, `${service}:*`, true));
}

/** True when one of the `Resource` patterns covers `arn` (a literal ARN, `*` inside it taken literally). */
export function coversResource(statement: RawStatement, arn: string): boolean {
    return stringList(statement.Resource).some((pattern) => wildcardMatches(pattern, arn));
}

/** The condition block as operator -> key -> values, keys kept as written. */
export function conditionEntries(statement: RawStatement): { operator: string; key: string; values: string[] }[] {
    if (!isRecord(statement.Condition)) {
        return [];
    }
    const entries: { operator: string; key: string; values: string[] }[] = [];
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
 * Condition keys that, with a fixed value, make a wildcard-principal Allow non-public in the
 * sense of S3 Block Public Access ("The meaning of public" in the S3 user guide).
 */
const NON_PUBLIC_CONDITION_KEYS = new Set([
    "aws:sourceip",
    "aws:sourcearn",
    "aws:sourcevpc",
    "aws:sourcevpce",
    "aws:sourceowner",
    "aws:sourceaccount",
    "s3:x-amz-server-side-encryption-aws-kms-key-id",
    "aws:userid",
]);

/** CIDRs that match every address: an `aws:SourceIp` condition on them restricts nothing. */
const EVERY_ADDRESS = new Set(["0.0.0.0/0", "::/0"]);

/**
 * True for an `Allow` to everyone (wildcard `Principal`, or any `NotPrincipal`) that no
 * condition narrows to fixed sources. A condition narrows only with a positive operator (not
 * `...Not...`, not `...IfExists`, not `Null`) on one of the keys S3 recognises, with values
 * free of wildcards (and, for `aws:SourceIp`, not the whole address space).
 */
export function isPublicAllow(statement: RawStatement): boolean {
    if (!hasEffect(statement, "Allow")) {
        return false;
    }
    const everyone = isWildcardPrincipal(statement.Principal) || statement.NotPrincipal !== undefined;
    if (!everyone) {
        return false;
    }
    const narrowing = conditionEntries(statement).some(({ operator, key, values }) => {
        const op = operator.toLowerCase();
        if (op.includes("not") || op.endsWith("ifexists") || op === "null" || op.startsWith("forallvalues:")) {
            return false;
        }
        const normalisedKey = key.toLowerCase();
        if (!NON_PUBLIC_CONDITION_KEYS.has(normalisedKey) || values.length === 0) {
            return false;
        }
        if (normalisedKey === "aws:sourceip") {
            return values.every((cidr) => !EVERY_ADDRESS.has(cidr));
        }
        return values.every((value) => !value.includes("*") && !value.includes("?"));
    });
    return !narrowing;
}

function isRecord(value: unknown): value is Record<string, unknown> {
    return value !== null && typeof value === "object" && !Array.isArray(value);
}
