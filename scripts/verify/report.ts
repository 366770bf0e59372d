/**
 * Renders the verify report: a table for people (default) or JSON for CI (`--json`), plus the
 * one-line notices shown while a check waits for IAM. As a last guard, every rendered text goes
 * through {@link maskAccessKeyIds}; the report itself never holds a secret key or token.
 */
import { maskAccessKeyIds } from "./awsErrors";
import type { CheckResult, VerifyReport, WaitNotice } from "./checkTypes";
import { CouldNotRunError, EXIT_ACCESS_WRONG, EXIT_COULD_NOT_RUN, EXIT_OK } from "./exitCodes";

/** The version of the JSON report's shape; bumped when a field changes meaning or goes away. */
const REPORT_SCHEMA_VERSION = 1;

const STATUS_LABEL: Record<CheckResult["status"], string> = { pass: "PASS", fail: "FAIL", error: "ERROR", inconclusive: "UNDECIDED", skipped: "SKIP" };

/** Formats a duration: `850 ms`, `1.2 s`. */
export function formatDuration(ms: number): string {
    return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** The human-readable report. */
export function renderTable(report: VerifyReport): string {
    const { target } = report;
    const lines: string[] = [];
    lines.push(`S3 cross-account access check: s3://${target.bucket} (${target.region})`);
    lines.push(`  role      ${target.roleArn ?? "(from the role profile)"}`);
    const source = target.sourceProfile ? `profile ${target.sourceProfile}` : "the default credential chain";
    lines.push(
        `  via       ${target.via === "profile" ? `role profile ${target.roleProfile} (role_arn + source_profile); identity from ${source}` : `AssumeRole with credentials from ${source}`}`,
    );
    const sent = [
        ...(target.externalIdFrom ? [`ExternalId from ${target.externalIdFrom}`] : []),
        ...(target.mfaCode ? [`MFA code${target.mfaSerial ? ` of ${target.mfaSerial}` : ""}`] : []),
    ];
    if (sent.length > 0) {
        lines.push(`  sends     ${sent.join(", ")} (values not shown)`);
    }
    if (target.readOnly) {
        lines.push("  mode      read-only: PutObject must be refused, ListObjectsV2 and GetObject allowed; nothing is written");
    }
    if (target.endpoint) {
        lines.push(`  endpoint  ${target.endpoint} (emulator, S3 path-style)`);
    }
    lines.push("");

    const nameWidth = Math.max(5, ...report.checks.map((check) => check.name.length));
    const timeWidth = Math.max(4, ...report.checks.map((check) => formatDuration(check.durationMs).length));
    const resultWidth = Math.max(6, ...report.checks.map((check) => STATUS_LABEL[check.status].length));
    lines.push(`  #  ${"check".padEnd(nameWidth)}  ${"result".padEnd(resultWidth)}  ${"time".padStart(timeWidth)}  detail`);
    for (const check of report.checks) {
        const time = check.status === "skipped" ? "-" : formatDuration(check.durationMs);
        lines.push(`  ${check.id}  ${check.name.padEnd(nameWidth)}  ${STATUS_LABEL[check.status].padEnd(resultWidth)}  ${time.padStart(timeWidth)}  ${check.detail}`);
        if (check.hint && check.status !== "pass" && check.status !== "skipped") {
            // Under the detail column: "  N  " + name + "  " + result + "  " + time + "  ".
            lines.push(`${" ".repeat(11 + nameWidth + resultWidth + timeWidth)}hint: ${check.hint}`);
        }
    }
    lines.push("");
    lines.push(summary(report));
    return maskAccessKeyIds(lines.join("\n")) + "\n";
}

/** The one-line verdict. */
export function summary(report: VerifyReport): string {
    const calls = `${report.awsCalls} AWS call${report.awsCalls === 1 ? "" : "s"}`;
    if (report.exitCode === EXIT_OK) {
        const written = report.target.readOnly
            ? "Nothing written (read-only role)."
            : `Probe object left at s3://${report.target.bucket}/${report.target.probeKey} (overwritten each run).`;
        const undecided = report.checks.filter((check) => check.status === "inconclusive");
        if (undecided.length > 0) {
            const passed = report.checks.filter((check) => check.status === "pass").length;
            return (
                `PASS, NOT ALL DECIDED: ${passed} of ${report.checks.length} checks passed, none failed; ` +
                `could not decide ${undecided.map((check) => `check ${check.id} (${check.name})`).join(", ")}: see its hint. ` +
                `${formatDuration(report.durationMs)} (${calls}). ${written}`
            );
        }
        return `PASS: all ${report.checks.length} checks passed in ${formatDuration(report.durationMs)} (${calls}). ${written}`;
    }
    const first = report.checks.find((check) => check.status === "fail" || check.status === "error");
    const which = first ? `check ${first.id} (${first.name})` : "a check";
    return report.exitCode === EXIT_ACCESS_WRONG
        ? `ACCESS WRONG (exit ${EXIT_ACCESS_WRONG}): ${which} failed after ${formatDuration(report.durationMs)} (${calls}).`
        : `COULD NOT RUN (exit ${EXIT_COULD_NOT_RUN}): ${which} could not be run (${calls}).`;
}

/** The JSON report for CI: the {@link VerifyReport} plus a schema version and the verdict line. */
export function renderJson(report: VerifyReport): string {
    return maskAccessKeyIds(JSON.stringify({ schemaVersion: REPORT_SCHEMA_VERSION, ...report, summary: summary(report) }, null, 2)) + "\n";
}

/** The output when the script stops before any check (bad flags, outputs, ...): text or JSON. */
export function renderCouldNotRun(error: CouldNotRunError, json: boolean): string {
    if (json) {
        return (
            maskAccessKeyIds(
                JSON.stringify(
                    {
                        schemaVersion: REPORT_SCHEMA_VERSION,
                        ok: false,
                        exitCode: EXIT_COULD_NOT_RUN,
                        error: { message: error.message, hint: error.hint },
                        checks: [],
                        summary: `COULD NOT RUN (exit ${EXIT_COULD_NOT_RUN}): ${error.message}`,
                    },
                    null,
                    2,
                ),
            ) + "\n"
        );
    }
    return maskAccessKeyIds(`error: ${error.message}\n${error.hint ? `hint: ${error.hint}\n` : ""}COULD NOT RUN (exit ${EXIT_COULD_NOT_RUN})\n`);
}

/**
 * Replaces every occurrence of the given secret values (an ExternalId, an MFA code) by `****`: a
 * last guard on everything the script prints. It is only a backstop: no report or message is built
 * with a secret, and no error echoes a secret flag's value (args.ts), because this guard cannot
 * catch every short value. A 6-digit code is matched as a whole number only, so account ids and
 * timings stay readable. A value under 4 characters (an ExternalId may have 2) is masked only
 * where it stands quoted (`'ab'`, `"ab"`), as in an echoed value: anywhere else it would mangle
 * every word that holds it.
 */
export function redactValues(text: string, secrets: readonly (string | undefined)[]): string {
    let result = text;
    for (const secret of secrets) {
        if (secret === undefined || secret.length === 0) {
            continue;
        }
        const escaped = secret.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
        const pattern = secret.length < 4 ? `(['"\`])${escaped}\\1` : /^\d+$/.test(secret) ? `(?<!\\d)${escaped}(?!\\d)` : escaped;
        result = result.replace(new RegExp(pattern, "g"), secret.length < 4 ? "$1****$1" : "****");
    }
    return result;
}

/** The line shown while a check waits for IAM to accept a new role, policy or access key. */
export function formatWaitNotice(notice: WaitNotice): string {
    const why =
        notice.reason === "unknown-key"
            ? `${notice.call}: the access key is not known yet (${notice.code}); a key created seconds ago takes a few seconds to reach AWS.`
            : `${notice.call} refused (${notice.code}); IAM may still be propagating.`;
    return (
        `  … check ${notice.checkId}: ${why} ` +
        `Retry ${notice.attempt + 1} in ${formatDuration(notice.delayMs)} (waited ${formatDuration(notice.elapsedMs)} of ${formatDuration(notice.maxWaitMs)}, --wait)`
    );
}
