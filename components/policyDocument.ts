/**
 * The shape of an IAM policy document and its one canonical serialisation.
 *
 * Every document this library writes goes through {@link serializePolicy}, so the same inputs
 * always give the same bytes and a second `pulumi up` shows no diff.
 */

/** A condition block: operator (e.g. `StringEquals`) to condition key to value(s). */
export type PolicyCondition = Record<string, Record<string, string | string[]>>;

/** A principal element: `"*"` or a map such as `{ AWS: [...] }`. */
export type PolicyPrincipal = "*" | Record<string, string | string[]>;

/** One statement of an IAM policy document. */
export interface PolicyStatement {
    /** Statement id; every statement this library writes has one, so reviewers can name it. */
    readonly Sid: string;
    /** Allow or Deny. */
    readonly Effect: "Allow" | "Deny";
    /** Who the statement is about; only in resource policies (trust policy, bucket policy). */
    readonly Principal?: PolicyPrincipal;
    /** The actions, exact names. */
    readonly Action: string[];
    /** The resources; absent only in a trust policy. */
    readonly Resource?: string[];
    /** Conditions, if any. */
    readonly Condition?: PolicyCondition;
}

/** An IAM policy document, always language version `2012-10-17`. */
export interface PolicyDocument {
    /** The policy language version. */
    readonly Version: "2012-10-17";
    /** The statements, in a fixed order. */
    readonly Statement: PolicyStatement[];
}

/**
 * Serialises a policy document deterministically: object keys sorted, arrays kept in order,
 * `undefined` fields dropped, no white space (AWS counts size limits without white space).
 */
export function serializePolicy(document: PolicyDocument): string {
    return stableJson(document);
}

/**
 * JSON with object keys sorted at every level, arrays kept in order and `undefined` fields dropped,
 * so equal values give equal text. Internal (not in index.ts); the audit compares live documents with it.
 * @param value Any JSON-serialisable value.
 */
export function stableJson(value: unknown): string {
    return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
    if (Array.isArray(value)) {
        return value.map(sortKeys);
    }
    if (value !== null && typeof value === "object") {
        const sorted: Record<string, unknown> = {};
        for (const key of Object.keys(value).sort()) {
            const field = (value as Record<string, unknown>)[key];
            if (field !== undefined) {
                sorted[key] = sortKeys(field);
            }
        }
        return sorted;
    }
    return value;
}
