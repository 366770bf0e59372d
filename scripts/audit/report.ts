/**
 * The audit's report: a readable table (default) or JSON (`--json`), and its exit code:
 * 0 clean, 1 drift, 2 could not run (see args.ts `USAGE`).
 */
import { maskAccessKeyIds } from "../verify/awsErrors";
import { CouldNotRunError, EXIT_ACCESS_WRONG, EXIT_COULD_NOT_RUN, EXIT_OK, ExitCode } from "../verify/exitCodes";
import type { AuditAccount } from "./awsCalls";
import type { AuditCheck, Finding } from "./compare";

/** The version of the JSON report's shape; raised when a field changes meaning. */
const AUDIT_REPORT_SCHEMA_VERSION = 1;

/** The audit's result. */
export interface AuditReport {
    /** Whether the live setup is exactly the design. */
    readonly ok: boolean;
    /** 0 clean, 1 drift. */
    readonly exitCode: ExitCode;
    /** The accounts audited, by side. */
    readonly accounts: Readonly<Partial<Record<AuditAccount, string>>>;
    /** The region. */
    readonly region: string;
    /** Every check, in the order made. */
    readonly checks: readonly AuditCheck[];
}

/** Builds the report from the checks. */
export function buildReport(checks: readonly AuditCheck[], accounts: AuditReport["accounts"], region: string): AuditReport {
    const ok = checks.every((c) => c.status !== "drift");
    return { ok, exitCode: ok ? EXIT_OK : EXIT_ACCESS_WRONG, accounts, region, checks };
}

/** `CLEAN (exit 0): 15 checks as designed` or `DRIFT (exit 1): 2 differences in 1 of 15 checks`. */
export function summary(report: AuditReport): string {
    const compared = report.checks.filter((c) => c.status !== "skipped");
    const skipped = report.checks.length - compared.length;
    const skippedText = skipped > 0 ? `, ${skipped} skipped (not part of the design)` : "";
    if (report.ok) {
        return `CLEAN (exit ${EXIT_OK}): ${compared.length} checks as designed${skippedText}`;
    }
    const drifted = compared.filter((c) => c.status === "drift");
    const findings = drifted.reduce((n, c) => n + c.findings.length, 0);
    return `DRIFT (exit ${EXIT_ACCESS_WRONG}): ${findings} difference${findings === 1 ? "" : "s"} in ${drifted.length} of ${compared.length} checks${skippedText}`;
}

function findingText(finding: Finding): string {
    switch (finding.kind) {
        case "extra":
            return `extra: ${finding.item}${finding.live ? ` (${finding.live})` : ""}`;
        case "missing":
            return `missing: ${finding.item}`;
        case "different":
            return `different: ${finding.item}: design ${finding.design ?? "?"}, live ${finding.live ?? "?"}`;
    }
}

/** The readable table. */
export function renderTable(report: AuditReport): string {
    const accounts = Object.entries(report.accounts)
        .map(([side, id]) => `${side} ${id}`)
        .join(", ");
    const lines = [`Audit of the live setup against the design (${accounts}; ${report.region})`, ""];
    const rows = report.checks.map((c) => [c.account, c.resource, c.check, c.status === "ok" ? "ok" : c.status === "drift" ? "DRIFT" : "skipped"]);
    const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i].length), ["ACCOUNT", "RESOURCE", "CHECK"][i].length));
    const row = (cells: string[]): string =>
        cells
            .map((cell, i) => (i < 3 ? cell.padEnd(widths[i]) : cell))
            .join("  ")
            .trimEnd();
    lines.push(row(["ACCOUNT", "RESOURCE", "CHECK", "RESULT"]));
    report.checks.forEach((c, index) => {
        lines.push(row(rows[index]));
        const indent = " ".repeat(widths[0] + 2);
        for (const finding of c.findings) {
            lines.push(`${indent}- ${findingText(finding)}`);
        }
        if (c.note) {
            lines.push(`${indent}(${c.note})`);
        }
    });
    lines.push("", summary(report));
    return maskAccessKeyIds(lines.join("\n")) + "\n";
}

/** The JSON report. */
export function renderJson(report: AuditReport): string {
    return maskAccessKeyIds(JSON.stringify({ schemaVersion: AUDIT_REPORT_SCHEMA_VERSION, ...report, summary: summary(report) }, null, 2)) + "\n";
}

/** The output when the audit could not run: text or JSON. */
export function renderCouldNotRun(error: CouldNotRunError, json: boolean): string {
    const text = `COULD NOT RUN (exit ${EXIT_COULD_NOT_RUN}): ${error.message}`;
    if (json) {
        return (
            maskAccessKeyIds(
                JSON.stringify(
                    {
                        schemaVersion: AUDIT_REPORT_SCHEMA_VERSION,
                        ok: false,
                        exitCode: EXIT_COULD_NOT_RUN,
                        error: { message: error.message, hint: error.hint },
                        checks: [],
                        summary: text,
                    },
                    null,
                    2,
                ),
            ) + "\n"
        );
    }
    return maskAccessKeyIds(`error: ${error.message}\n${error.hint ? `hint: ${error.hint}\n` : ""}COULD NOT RUN (exit ${EXIT_COULD_NOT_RUN})\n`);
}
