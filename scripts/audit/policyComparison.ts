/**
 * Compares IAM policy documents as IAM reads them, not as they are spelled: statement order,
 * the order of actions, resources, principals and condition values, a single string against a
 * one-element list, and an empty `Condition` (the console writes `"Condition": {}`) make no
 * difference. Everything else does, `Sid` included: a statement is matched whole.
 */
// The canonical JSON is the components' own, so the audit and the documents it checks serialise alike.
import { stableJson } from "../../components/policyDocument";

/** A policy document as read from AWS, parsed but not checked: any JSON object. */
export type LivePolicyDocument = Readonly<Record<string, unknown>>;

/** One statement in canonical form, and its canonical JSON (the key it is matched by). */
export interface CanonicalStatement {
    /** The statement, with every list sorted and de-duplicated and every scalar condition value a string. */
    readonly statement: Readonly<Record<string, unknown>>;
    /** `JSON.stringify` of it, keys sorted: equal texts mean equal statements. */
    readonly key: string;
}

/** What differs between two documents, statement by statement. */
export interface PolicyDifference {
    /** Statements only in the live document. */
    readonly extra: readonly CanonicalStatement[];
    /** Statements only in the design. */
    readonly missing: readonly CanonicalStatement[];
    /** The top-level fields other than `Statement` that differ (e.g. `Version`), by name. */
    readonly otherFields: readonly string[];
}

/**
 * Parses a policy document as an AWS API returns it: IAM returns documents URL-encoded (RFC 3986)
 * in GetRole, GetRolePolicy, GetGroupPolicy and GetPolicyVersion; S3 returns plain JSON. Returns
 * `undefined` when the text is neither (the caller reports it).
 */
export function parsePolicyText(text: string): LivePolicyDocument | undefined {
    for (const candidate of [text, safeDecode(text)]) {
        if (candidate === undefined) {
            continue;
        }
        try {
            const parsed: unknown = JSON.parse(candidate);
            if (parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)) {
                return parsed as LivePolicyDocument;
            }
        } catch {
            // try the next reading
        }
    }
    return undefined;
}

function safeDecode(text: string): string | undefined {
    try {
        return decodeURIComponent(text);
    } catch {
        return undefined;
    }
}

/** The statements of a document in canonical form (a single statement object counts as a list of one). */
export function canonicalStatements(document: LivePolicyDocument): CanonicalStatement[] {
    const raw = document.Statement;
    const statements = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
    return statements.map((statement) => {
        const canonical = canonicalStatement(statement);
        return { statement: canonical, key: stableJson(canonical) };
    });
}

/** The fields whose value is a list in IAM's grammar, where order does not count. */
const LIST_FIELDS = new Set(["Action", "NotAction", "Resource", "NotResource"]);

function canonicalStatement(statement: unknown): Record<string, unknown> {
    if (statement === null || typeof statement !== "object" || Array.isArray(statement)) {
        return { invalidStatement: stableJson(statement) };
    }
    const result: Record<string, unknown> = {};
    for (const [field, value] of Object.entries(statement as Record<string, unknown>)) {
        if (LIST_FIELDS.has(field)) {
            result[field] = sortedList(value);
        } else if ((field === "Principal" || field === "NotPrincipal") && value !== null && typeof value === "object" && !Array.isArray(value)) {
            result[field] = mapOfLists(value as Record<string, unknown>);
        } else if (field === "Condition" && value !== null && typeof value === "object" && !Array.isArray(value)) {
            const operators: Record<string, unknown> = {};
            for (const [operator, block] of Object.entries(value as Record<string, unknown>)) {
                operators[operator] = block !== null && typeof block === "object" && !Array.isArray(block) ? mapOfLists(block as Record<string, unknown>) : block;
            }
            // "Condition": {} (what the console writes) says nothing.
            if (Object.keys(operators).length > 0) {
                result[field] = operators;
            }
        } else {
            result[field] = value;
        }
    }
    return result;
}

function mapOfLists(map: Record<string, unknown>): Record<string, string[]> {
    const result: Record<string, string[]> = {};
    for (const [key, value] of Object.entries(map)) {
        result[key] = sortedList(value);
    }
    return result;
}

/** A string, number, boolean or list of them as a sorted list of unique strings (`true` and `"true"` are one value to IAM). */
function sortedList(value: unknown): string[] {
    const items = Array.isArray(value) ? value : [value];
    return [...new Set(items.map((item) => (typeof item === "string" ? item : stableJson(item))))].sort();
}

/** What differs between the design's document and the live one; nothing when they are equal as IAM reads them. */
export function comparePolicies(design: LivePolicyDocument, live: LivePolicyDocument): PolicyDifference {
    const designStatements = canonicalStatements(design);
    const liveStatements = canonicalStatements(live);
    const designKeys = new Set(designStatements.map((s) => s.key));
    const liveKeys = new Set(liveStatements.map((s) => s.key));
    const otherFields = [...new Set([...Object.keys(design), ...Object.keys(live)])]
        .filter((field) => field !== "Statement" && stableJson(design[field]) !== stableJson(live[field]))
        .sort();
    return {
        extra: unique(liveStatements.filter((s) => !designKeys.has(s.key))),
        missing: unique(designStatements.filter((s) => !liveKeys.has(s.key))),
        otherFields,
    };
}

/** True when the two documents are equal as IAM reads them. */
export function samePolicy(design: LivePolicyDocument, live: LivePolicyDocument): boolean {
    const difference = comparePolicies(design, live);
    return difference.extra.length === 0 && difference.missing.length === 0 && difference.otherFields.length === 0;
}

function unique(statements: CanonicalStatement[]): CanonicalStatement[] {
    const seen = new Set<string>();
    return statements.filter((s) => (seen.has(s.key) ? false : (seen.add(s.key), true)));
}
