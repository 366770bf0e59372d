/**
 * BENCHMARKS.md as `npm run bench` writes it: the machine, the versions, the date, and every figure
 * from one run. Nothing in it is written by hand.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { GrantActions, PeerRow } from "./cdkPeer";
import type { ColdStartResult } from "./coldStart";
import { ChainStep, DeploymentDepth, describeChain } from "./deploymentDepth";
import { seconds } from "./stats";
import type { UnitTierFigures } from "./unitTier";
import type { VerifyFigures } from "./verifyOnMoto";

const ROOT = path.resolve(__dirname, "..");

/** Everything one run measured. */
export interface BenchResults {
    readonly startedAt: Date;
    readonly finishedAt: Date;
    readonly loadBefore: number[];
    readonly loadAfter: number[];
    readonly coldStartRuns: number;
    readonly coldStart: ColdStartResult[];
    readonly peerRuns: number;
    readonly peer: PeerRow[];
    readonly cdkVersion: string;
    readonly cdkGrants: Record<"grantRead" | "grantPut" | "grantReadWrite", GrantActions>;
    readonly ourGrants: Record<"readWrite" | "readOnly", GrantActions>;
    readonly depth: Record<"blue" | "green" | "both", DeploymentDepth>;
    readonly verify: VerifyFigures;
    readonly unitTier: UnitTierFigures;
}

function installedVersion(name: string, from = ROOT): string {
    try {
        return JSON.parse(readFileSync(path.join(from, "node_modules", name, "package.json"), "utf8")).version;
    } catch {
        return "not installed";
    }
}

function commandVersion(command: string, args: string[]): string {
    try {
        return execFileSync(command, args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    } catch {
        return "not found";
    }
}

/** The machine and the versions, as one paragraph. */
function machine(results: BenchResults): string {
    const cpus = os.cpus();
    const load = (l: number[]) => l.map((x) => x.toFixed(1)).join(", ");
    return [
        `Measured on ${results.startedAt.toISOString().slice(0, 10)} from ${results.startedAt.toISOString().slice(11, 16)} to ${results.finishedAt.toISOString().slice(11, 16)} UTC,`,
        `on ${os.type()} ${os.release()} (${os.arch()}), ${cpus.length} cores (${cpus[0]?.model.trim() ?? "unknown"}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB.`,
        `Load average (1, 5, 15 min) ${load(results.loadBefore)} at the start and ${load(results.loadAfter)} at the end: this machine is shared, so`,
        "absolute times vary from run to run; the ratios compare cases measured in the same run, interleaved.",
        "",
        `Node ${process.version}, npm ${commandVersion("npm", ["--version"])}, @pulumi/pulumi ${installedVersion("@pulumi/pulumi")}, @pulumi/aws ${installedVersion("@pulumi/aws")},`,
        `TypeScript ${installedVersion("typescript")}, Sucrase ${installedVersion("sucrase")}, aws-cdk-lib ${results.cdkVersion}, ${commandVersion("python3", ["-c", "import moto; print('moto ' + moto.__version__)"])}.`,
    ].join("\n");
}

function runtimeLabel(result: ColdStartResult): string {
    const parts = [`typescript: ${result.runtime.typescript}`];
    if (result.runtime.nodeargs) {
        parts.push(`nodeargs: \`${result.runtime.nodeargs}\``);
    }
    for (const [key, value] of Object.entries(result.env ?? {})) {
        parts.push(`${key}=${value}`);
    }
    return parts.join(", ");
}

function coldStartSection(results: BenchResults): string {
    const configured = results.coldStart.filter((r) => r.configured);
    const worst = Math.max(...configured.map((r) => r.ratio));
    const rows = results.coldStart.map(
        (r) =>
            `| ${r.label} | ${runtimeLabel(r)} | ${seconds(r.medianMs)} | **${r.ratio.toFixed(2)}** | ${seconds(r.medianCpuMs)} | ${r.cpuRatio.toFixed(2)} | ${r.registrations} |`,
    );
    return [
        "## Cold start of every `pulumi preview` and `up` (`bench/coldStart.ts`)",
        "",
        "Each program is started as the Pulumi CLI's Node.js language host starts it: `node [nodeargs]",
        "node_modules/@pulumi/pulumi/cmd/run --monitor ... --stack S --dry-run MAIN` with `PULUMI_CONFIG` (the",
        "project's defaults merged with the stack file), `PULUMI_NODEJS_TYPESCRIPT` from Pulumi.yaml, a mock",
        "monitor in place of the engine (`bench/engine/mockEngine.js`, preloaded), and a fresh `TMPDIR` each",
        "time, so the SDK's ts-node cache is cold as on a CI runner. The project's own compile cache is as `npm ci`",
        "leaves it (its `prepare` script fills it; the bench runs that script first), except in the row that empties it.",
        "Whole process, from spawn to exit.",
        `${results.coldStartRuns} rounds, each starting every case once; median per case; ratio = median / the empty program's median.`,
        "CPU time (user + system of the program's process, every thread, read at its exit) is shown too: a busy",
        "machine stretches wall time far more than CPU time.",
        "",
        "| how the program starts | runtime options | median wall | ratio to empty | median CPU | CPU ratio | registrations |",
        "| --- | --- | --- | --- | --- | --- | --- |",
        ...rows,
        "",
        `The stacks as Pulumi.yaml configures them: at most **${worst.toFixed(2)}** times the empty program ` +
            `(${configured.map((r) => `${r.label.replace(" stack", "")} ${r.ratio.toFixed(2)}`).join(", ")}); the goal is 1.25.`,
    ].join("\n");
}

function peerSection(results: BenchResults): string {
    const rows = results.peer.map(
        (r) =>
            `| ${r.setups} | ${seconds(r.cdkDefaultMs)} | ${seconds(r.cdkNoValidationMs)} | ${seconds(r.oursMs)} | ` +
            `${(r.oursMs / r.cdkDefaultMs).toFixed(2)} | ${(r.oursMs / r.cdkNoValidationMs).toFixed(2)} | ${r.cdkResources} / ${r.ourResources} |`,
    );
    const actions = (g: GrantActions) => g.actions.map((a) => `\`${a}\``).join(", ");
    const statements = (g: GrantActions) => g.statements.map((s) => `${s.actions.map((a) => `\`${a}\``).join(", ")} on ${s.resources.join(", ")}`).join("; ");
    return [
        "## The AWS CDK, side by side (`bench/cdkPeer.ts`)",
        "",
        "The same setup in the CDK (`bench/cdk/app.js`, its own package.json, installed by the bench on first use):",
        "per setup a blue stack (bucket with public access blocked, owner enforced, SSE-S3, versioning, TLS-only",
        "policy, retained; the managed policy; the role trusting the green account) and a green stack (group with",
        "its inline sts:AssumeRole policy, user in the group, access key). The CDK side is `node app.js N`:",
        "construct and `app.synth()`, with its defaults (template validation on) and with `CDK_VALIDATION=false`.",
        "This project's side is `bench/peerSetups.ts` (N `CrossAccountBucketAccess` components with their own",
        "providers), started as the language host starts the program (Pulumi.yaml's runtime options, mock engine).",
        `Whole processes, ${results.peerRuns} interleaved rounds, median.`,
        "",
        "| setups | CDK, defaults | CDK, `CDK_VALIDATION=false` | this project | ratio to CDK defaults | ratio to CDK without validation | resources (CDK templates / this project) |",
        "| --- | --- | --- | --- | --- | --- | --- |",
        ...rows,
        "",
        "The CDK writes the bucket's settings into the one `AWS::S3::Bucket` resource; this project registers them as",
        "separate resources (public access block, ownership controls, encryption, versioning), as `@pulumi/aws` v7 models them.",
        "",
        "### Grants: the actions each emits",
        "",
        "The CDK's bucket grants on a role, read from its synthesized template (defaults, no feature flags), against the",
        "managed policy this project's blue stack registers:",
        "",
        "| grant | actions | statements |",
        "| --- | --- | --- |",
        `| CDK \`grantRead\` | ${actions(results.cdkGrants.grantRead)} | ${statements(results.cdkGrants.grantRead)} |`,
        `| CDK \`grantPut\` | ${actions(results.cdkGrants.grantPut)} | ${statements(results.cdkGrants.grantPut)} |`,
        `| CDK \`grantReadWrite\` | ${actions(results.cdkGrants.grantReadWrite)} | ${statements(results.cdkGrants.grantReadWrite)} |`,
        `| this project, \`readOnly: true\` | ${actions(results.ourGrants.readOnly)} | ${statements(results.ourGrants.readOnly)} |`,
        `| this project, default | ${actions(results.ourGrants.readWrite)} | ${statements(results.ourGrants.readWrite)} |`,
    ].join("\n");
}

function chainLines(chain: ChainStep[]): string[] {
    return describeChain(chain).map((line, i) => `${i + 1}. ${line}${chain[i].counted ? "" : " (makes no AWS resource: not counted)"}`);
}

function depthSection(results: BenchResults): string {
    const stacks = ["blue", "green", "both"] as const;
    return [
        "## Deployment depth (`bench/deploymentDepth.ts`)",
        "",
        "From the dependency graph each stack's program registers (as the engine receives it: each resource's",
        "`dependencies`, property dependencies and provider; components stand for their resources), the",
        "longest chain of AWS resources that must be created one after another. Each step names why it waits:",
        "an input that needs the previous resource's output, an explicit `dependsOn`, or its provider.",
        "",
        "| stack | depth | AWS resources |",
        "| --- | --- | --- |",
        ...stacks.map((s) => `| ${s} | ${results.depth[s].depth} | ${results.depth[s].resources} |`),
        ...stacks.flatMap((s) => ["", `Longest chain of the ${s} stack:`, "", ...chainLines(results.depth[s].chain)]),
    ].join("\n");
}

function verifySection(results: BenchResults): string {
    const v = results.verify;
    return [
        "## The verify script on moto (`bench/verifyOnMoto.ts`)",
        "",
        "The installed command (`dist/scripts/verify/bin.js`, built by `npm run build`, run with plain node) against",
        `moto with IAM enforced, \`--outputs FILE --source-profile green --endpoint URL --json\`; ${v.runs} runs after one warm-up run.`,
        "",
        "| measure | median |",
        "| --- | --- |",
        `| process wall time (node start-up, AWS SDK load, the checks) | ${v.wallMs.toFixed(0)} ms |`,
        `| the checks themselves (the script's own \`durationMs\`) | ${v.checksMs.toFixed(0)} ms |`,
        `| AWS calls per run | ${v.awsCalls.join(", ")} |`,
        "",
        `Checks of the last run: ${v.checks.join("; ")}.`,
    ].join("\n");
}

function unitSection(results: BenchResults): string {
    const u = results.unitTier;
    return [
        "## The fast test tier (`bench/unitTier.ts`)",
        "",
        `\`npm run test:unit\` (\`${u.command}\`), one run: **${seconds(u.wallMs)}** wall, ${u.passing} passing, ${u.pending} pending.`,
    ].join("\n");
}

/** The whole BENCHMARKS.md. */
export function renderReport(results: BenchResults): string {
    return [
        "# Benchmarks",
        "",
        "<!-- Written by `npm run bench` (bench/run.ts); do not edit by hand: run it again. -->",
        "",
        machine(results),
        "",
        coldStartSection(results),
        "",
        peerSection(results),
        "",
        depthSection(results),
        "",
        verifySection(results),
        "",
        unitSection(results),
        "",
    ].join("\n");
}
