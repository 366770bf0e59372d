/**
 * `npm run access-report -- --live ...`: runs the audit (scripts/audit/cli.ts `runAudit`, with the
 * audit's own flags), then the access report's matrix on the documents it read. The expected
 * verdicts are the design's; a row marked ❌ is access that differs from the design today. The
 * same matrix on the audit's design documents is returned too, so the two can be compared cell by cell.
 *
 * Dev and test use only: nothing here is shipped (it runs the AGPL evaluator).
 */
import { parseAuditArgs } from "../scripts/audit/args";
import { runAudit, type AuditIo, type AuditRun } from "../scripts/audit/cli";
import { summary } from "../scripts/audit/report";
import { designAccessModel, LIVE_LIMITS, liveAccessModel, scenarioOfSettings } from "./liveModel";
import { evaluatorVersion, reportModel, type AccessReport, type DeploymentReport, type ReportStack } from "./report";

/** The live report, the design's report for the same settings, and the audit behind both. */
export interface LiveAccessReport {
    /** The report on what is live. */
    readonly report: AccessReport;
    /** The same matrix on the design's documents. */
    readonly design: DeploymentReport;
    /** The audit that read the live documents. */
    readonly audit: AuditRun;
}

/** A cell whose live verdict differs from the design's. */
export interface VerdictChange {
    /** The cell's id, e.g. `s3.deleteObject`. */
    readonly id: string;
    /** Who asks. */
    readonly principal: string;
    /** The action. */
    readonly action: string;
    /** The design's verdict. */
    readonly design: string;
    /** The live verdict. */
    readonly live: string;
}

/**
 * Runs the audit with `auditArgv` (its flags, see `npm run audit -- --help`) and evaluates what it read.
 * Throws the audit's `CouldNotRunError` when it cannot read.
 */
export async function buildLiveReport(project: string, auditArgv: readonly string[], io: Pick<AuditIo, "env" | "cwd"> = {}): Promise<LiveAccessReport> {
    const flags = parseAuditArgs(auditArgv, io.env ?? process.env);
    const audit = await runAudit(flags, io);
    const { settings } = audit;
    const scenario = scenarioOfSettings(settings);
    const stacks: ReportStack[] = [
        { name: "live blue", side: "blue", file: `account ${settings.blueAccountId}`, secureKeys: [] },
        { name: "live green", side: "green", file: `account ${settings.greenAccountId}`, secureKeys: [] },
    ];
    const live = await reportModel({ name: "live (read by npm run audit)", stacks, model: liveAccessModel(audit), scenario, limits: LIVE_LIMITS });
    const design = await reportModel({ name: "design", stacks, model: designAccessModel(audit.design, settings), scenario, limits: [] });
    return {
        report: {
            project,
            evaluator: evaluatorVersion(),
            deployments: [live],
            ok: live.ok,
            origin: `the policy documents read live from blue account ${settings.blueAccountId} and green account ${settings.greenAccountId} by the audit (audit: ${summary(audit.report)})`,
        },
        design,
        audit,
    };
}

/** The cells whose verdict differs between the design and what is live. */
export function verdictChanges(design: DeploymentReport, live: DeploymentReport): VerdictChange[] {
    return live.rows.flatMap((row) => {
        const designed = design.rows.find((r) => r.id === row.id);
        return designed && designed.verdict !== row.verdict ? [{ id: row.id, principal: row.principal, action: row.action, design: designed.verdict, live: row.verdict }] : [];
    });
}
