/**
 * Compares the live setup with the design, one check per aspect, and names every difference and
 * every extra: an attached policy by its ARN, an inline policy or group member by its name, a
 * statement by its Sid, effect, actions, resources, principal and conditions, a public access
 * block flag by its name. An ExternalId in a statement is shown as `****`.
 */
import type { PolicyDocument } from "../../components/policyDocument";
import type { AuditAccount } from "./awsCalls";
import type { AuditDesign, BucketDesign, GroupDesign, RoleDesign } from "./design";
import type { LiveBlue, LiveBucket, LiveGreen, LiveGroup, LivePolicy, LiveRole } from "./liveState";
import { CanonicalStatement, canonicalStatements, comparePolicies, LivePolicyDocument } from "./policyComparison";

/** How a finding departs from the design. */
export type FindingKind = "extra" | "missing" | "different";

/** One difference between the design and what is live. */
export interface Finding {
    /** Something live the design does not have, something designed that is not live, or a value that differs. */
    readonly kind: FindingKind;
    /** What it is about, named: an ARN, a policy or user name, a statement, a flag. */
    readonly item: string;
    /** The design's value, for `different`. */
    readonly design?: string;
    /** The live value, for `different`. */
    readonly live?: string;
}

/** One aspect of one resource, compared. */
export interface AuditCheck {
    /** The account it lives in. */
    readonly account: AuditAccount;
    /** The resource, e.g. `role CrossAccountS3Access-Role`. */
    readonly resource: string;
    /** The aspect, e.g. `attached managed policies`. */
    readonly check: string;
    /** `ok`: as designed; `drift`: see the findings; `skipped`: not part of the design (see the note). */
    readonly status: "ok" | "drift" | "skipped";
    /** The differences; empty unless `drift`. */
    readonly findings: readonly Finding[];
    /** Why a check was skipped. */
    readonly note?: string;
}

/** The condition keys whose values are secrets and are never printed. */
const SECRET_CONDITION_KEYS = new Set(["sts:externalid"]);

/** Compares the blue side; `undefined` bucket design means the bucket's settings are skipped. */
export function compareBlue(design: AuditDesign, live: LiveBlue): AuditCheck[] {
    return [...compareRole(design.role, live.role), ...compareBucket(design.bucket, live.bucket)];
}

/** Compares the green side. */
export function compareGreen(design: AuditDesign, live: LiveGreen): AuditCheck[] {
    return compareGroup(design.group, live.group);
}

function check(account: AuditAccount, resource: string, aspect: string, findings: Finding[]): AuditCheck {
    return { account, resource, check: aspect, status: findings.length > 0 ? "drift" : "ok", findings };
}

function compareRole(design: RoleDesign, live: LiveRole): AuditCheck[] {
    const resource = `role ${design.name}`;
    const checks: AuditCheck[] = [check("blue", resource, "trust policy", documentFindings(design.trustPolicy, live.trustPolicy, "the trust policy"))];

    const liveArns = live.attachedPolicies.map((p) => p.arn ?? "");
    const designArns = design.attachedPolicies.map((p) => p.arn);
    checks.push(check("blue", resource, "attached managed policies", setFindings(designArns, liveArns)));
    for (const policy of design.attachedPolicies) {
        const attached = live.attachedPolicies.find((p) => p.arn === policy.arn);
        if (attached) {
            checks.push(check("blue", `managed policy ${policy.arn}`, "default version", documentFindings(policy.document, attached.document, "its default version")));
        }
    }
    checks.push(check("blue", resource, "inline policies", inlineFindings(design.inlinePolicies, live.inlinePolicies)));
    checks.push(
        check("blue", resource, "permissions boundary", valueFindings("permissions boundary", design.permissionsBoundaryArn ?? "none", live.permissionsBoundaryArn ?? "none")),
    );
    checks.push(
        check(
            "blue",
            resource,
            "maximum session",
            valueFindings("maximum session (s)", String(design.maxSessionDurationSeconds), String(live.maxSessionDurationSeconds ?? "unknown")),
        ),
    );
    return checks;
}

function compareBucket(design: BucketDesign | undefined, live: LiveBucket): AuditCheck[] {
    const resource = `bucket ${live.name}`;
    if (!design) {
        return [
            {
                account: "blue",
                resource,
                check: "bucket settings",
                status: "skipped",
                findings: [],
                note: "createBucket is false: the bucket's policy and settings belong to whoever manages the bucket",
            },
        ];
    }
    const policyFindings: Finding[] =
        design.policy === undefined
            ? live.policy === undefined
                ? []
                : [{ kind: "extra", item: "a bucket policy (the design has none)" }]
            : live.policy === undefined
              ? [{ kind: "missing", item: "the bucket policy" }]
              : documentFindings(design.policy, live.policy ?? undefined, "the bucket policy");

    const blockFindings: Finding[] = [];
    for (const [flag, designValue] of Object.entries(design.publicAccessBlock)) {
        const liveValue = live.publicAccessBlock?.[flag as keyof typeof design.publicAccessBlock] ?? false;
        if (liveValue !== designValue) {
            blockFindings.push({ kind: "different", item: flag, design: String(designValue), live: live.publicAccessBlock ? String(liveValue) : "no public access block" });
        }
    }

    const ownership = live.objectOwnership ?? [];
    const ownershipFindings =
        ownership.length === 1 && ownership[0] === design.objectOwnership
            ? []
            : [
                  {
                      kind: "different" as const,
                      item: "ObjectOwnership",
                      design: design.objectOwnership,
                      live: ownership.length > 0 ? ownership.join(", ") : "no ownership controls",
                  },
              ];

    const checks: AuditCheck[] = [
        check("blue", resource, "bucket policy", policyFindings),
        check("blue", resource, "public access block", blockFindings),
        check("blue", resource, "object ownership", ownershipFindings),
    ];
    if (design.encryption) {
        const expected = design.encryption;
        const rules = live.encryption ?? [];
        const rule = rules[0];
        const findings: Finding[] = [];
        if (rules.length !== 1 || !rule) {
            findings.push({ kind: "different", item: "default encryption rules", design: "1 rule", live: `${rules.length} rules` });
        } else {
            if (rule.algorithm !== expected.algorithm) {
                findings.push({ kind: "different", item: "SSEAlgorithm", design: expected.algorithm, live: rule.algorithm ?? "none" });
            }
            if ((rule.kmsKeyArn ?? "none") !== (expected.kmsKeyArn ?? "none")) {
                findings.push({ kind: "different", item: "KMSMasterKeyID", design: expected.kmsKeyArn ?? "none", live: rule.kmsKeyArn ?? "none" });
            }
            if (expected.bucketKeyEnabled !== undefined && rule.bucketKeyEnabled !== expected.bucketKeyEnabled) {
                findings.push({ kind: "different", item: "BucketKeyEnabled", design: String(expected.bucketKeyEnabled), live: String(rule.bucketKeyEnabled ?? false) });
            }
        }
        checks.push(check("blue", resource, "default encryption", findings));
    } else {
        checks.push({ account: "blue", resource, check: "default encryption", status: "skipped", findings: [], note: "encryption is false: the design does not manage it" });
    }
    const versioningOk = design.versioningEnabled ? live.versioningStatus === "Enabled" : live.versioningStatus !== "Enabled";
    checks.push(
        check(
            "blue",
            resource,
            "versioning",
            versioningOk
                ? []
                : [
                      {
                          kind: "different",
                          item: "versioning",
                          design: design.versioningEnabled ? "Enabled" : "Suspended or never enabled",
                          live: live.versioningStatus ?? "never enabled",
                      },
                  ],
        ),
    );
    return checks;
}

function compareGroup(design: GroupDesign, live: LiveGroup): AuditCheck[] {
    const resource = `group ${design.name}`;
    return [
        check(
            "green",
            resource,
            "members",
            setFindings(
                design.members,
                live.members.map((m) => m.name),
                "user ",
            ),
        ),
        check("green", resource, "inline policies", inlineFindings(design.inlinePolicies, live.inlinePolicies)),
        check(
            "green",
            resource,
            "attached managed policies",
            setFindings(
                design.attachedPolicyArns,
                live.attachedPolicies.map((p) => p.arn ?? ""),
            ),
        ),
    ];
}

/** Extra and missing names. */
function setFindings(design: readonly string[], live: readonly string[], prefix = ""): Finding[] {
    return [
        ...live.filter((name) => !design.includes(name)).map((name) => ({ kind: "extra" as const, item: `${prefix}${name}` })),
        ...design.filter((name) => !live.includes(name)).map((name) => ({ kind: "missing" as const, item: `${prefix}${name}` })),
    ];
}

/** Inline policies: extra and missing by name, and the statements that differ in the ones both have. */
function inlineFindings(design: Readonly<Record<string, PolicyDocument>>, live: readonly LivePolicy[]): Finding[] {
    const findings: Finding[] = [];
    for (const policy of live) {
        const designed = design[policy.name];
        if (designed === undefined) {
            findings.push({ kind: "extra", item: `inline policy ${policy.name}`, live: policy.document ? summarizeDocument(policy.document) : "not JSON" });
        } else {
            findings.push(...documentFindings(designed, policy.document, `inline policy ${policy.name}`));
        }
    }
    for (const name of Object.keys(design)) {
        if (!live.some((policy) => policy.name === name)) {
            findings.push({ kind: "missing", item: `inline policy ${name}` });
        }
    }
    return findings;
}

/** Statement by statement, in the words of {@link describeStatement}. */
function documentFindings(design: PolicyDocument, live: LivePolicyDocument | undefined, what: string): Finding[] {
    if (live === undefined) {
        return [{ kind: "different", item: what, design: "a JSON policy document", live: "not JSON" }];
    }
    const difference = comparePolicies(design as unknown as LivePolicyDocument, live);
    return [
        ...difference.extra.map((s) => ({ kind: "extra" as const, item: `${what === "its default version" ? "" : `${what}: `}statement ${describeStatement(s)}` })),
        ...difference.missing.map((s) => ({ kind: "missing" as const, item: `${what === "its default version" ? "" : `${what}: `}statement ${describeStatement(s)}` })),
        ...difference.otherFields.map((field) => ({
            kind: "different" as const,
            item: `${what}: ${field}`,
            design: JSON.stringify((design as unknown as LivePolicyDocument)[field]) ?? "none",
            live: JSON.stringify(live[field]) ?? "none",
        })),
    ];
}

function valueFindings(item: string, design: string, live: string): Finding[] {
    return design === live ? [] : [{ kind: "different", item, design, live }];
}

/** `Sid X: Allow s3:GetObject on arn:...; principal {...}; condition {...}`, an ExternalId shown as `****`. */
export function describeStatement(statement: CanonicalStatement): string {
    const s = statement.statement;
    const list = (value: unknown): string => (Array.isArray(value) ? value.join(", ") : String(value));
    const parts = [`${s.Sid !== undefined ? `Sid ${String(s.Sid)}: ` : ""}${String(s.Effect ?? "?")}`];
    for (const field of ["Action", "NotAction"]) {
        if (s[field] !== undefined) {
            parts.push(`${field === "NotAction" ? "all but " : ""}${list(s[field])}`);
        }
    }
    for (const field of ["Resource", "NotResource"]) {
        if (s[field] !== undefined) {
            parts.push(`${field === "NotResource" ? "on all but" : "on"} ${list(s[field])}`);
        }
    }
    let text = parts.join(" ");
    for (const field of ["Principal", "NotPrincipal"]) {
        if (s[field] !== undefined) {
            text += `; ${field === "NotPrincipal" ? "not principal" : "principal"} ${JSON.stringify(s[field])}`;
        }
    }
    if (s.Condition !== undefined) {
        text += `; condition ${JSON.stringify(maskSecretConditions(s.Condition))}`;
    }
    const known = new Set(["Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Principal", "NotPrincipal", "Condition"]);
    for (const field of Object.keys(s).filter((f) => !known.has(f))) {
        text += `; ${field} ${JSON.stringify(s[field])}`;
    }
    return text;
}

/** Every statement of a document, described; for a policy the design does not have at all. */
function summarizeDocument(document: LivePolicyDocument): string {
    return canonicalStatements(document).map(describeStatement).join(" | ") || "no statements";
}

function maskSecretConditions(condition: unknown): unknown {
    if (condition === null || typeof condition !== "object") {
        return condition;
    }
    const masked: Record<string, unknown> = {};
    for (const [operator, block] of Object.entries(condition as Record<string, unknown>)) {
        if (block !== null && typeof block === "object" && !Array.isArray(block)) {
            masked[operator] = Object.fromEntries(
                Object.entries(block as Record<string, unknown>).map(([key, value]) => [key, SECRET_CONDITION_KEYS.has(key.toLowerCase()) ? "****" : value]),
            );
        } else {
            masked[operator] = block;
        }
    }
    return masked;
}
