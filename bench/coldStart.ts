/**
 * The cold start of every `pulumi preview` and `up`: the program started as the Pulumi CLI's
 * language host starts it (engine/languageHost.ts: the SDK's cmd/run, a mock monitor in place of the
 * engine, a fresh TMPDIR so the SDK's ts-node cache is cold), for each stack kind and for an empty
 * program, N runs each, interleaved (one of each case per round, so a busy machine slows every case
 * alike), median per case, and each median divided by the empty program's from the same run.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { projectFile, projectRuntime, ProgramStart, ROOT, RuntimeOptions, stackConfig, startProgramOrFail } from "./engine/languageHost";
import { median } from "./stats";

/** One measured way to start a program. */
export interface ColdStartCase {
    /** What the row shows. */
    readonly label: string;
    /** How it starts. */
    readonly start: ProgramStart;
    /** Whether this is the project as configured (Pulumi.yaml as committed), not a reference row. */
    readonly configured: boolean;
}

/** The measured result of one case. */
export interface ColdStartResult {
    readonly label: string;
    readonly configured: boolean;
    /** The runtime options it started with. */
    readonly runtime: RuntimeOptions;
    /** Extra environment, if any. */
    readonly env?: Record<string, string>;
    /** Every run's wall time, ms. */
    readonly samples: number[];
    /** Median wall time, ms. */
    readonly medianMs: number;
    /** Median divided by the empty program's median. */
    readonly ratio: number;
    /** Median CPU time of the process (every thread), ms, and its ratio to the empty program's. */
    readonly medianCpuMs: number;
    readonly cpuRatio: number;
    /** Resources and components the program registered (the same every run). */
    readonly registrations: number;
}

/** Runs the `prepare` script's command, as `npm ci` does (package.json's own text, so the two cannot differ). */
function fillCompileCache(): void {
    const prepare = (JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts.prepare;
    const result = spawnSync(prepare, { cwd: ROOT, shell: true, encoding: "utf8" });
    if (result.status !== 0) {
        throw new Error(`the prepare script (${prepare}) exited ${result.status}: ${result.stderr}`);
    }
}

/** The stacks the bench starts: the committed stack files, and `both` built from blue's. */
function stackStarts(runtime: RuntimeOptions, blueOutputs: Record<string, unknown>): Record<"blue" | "green" | "both", ProgramStart> {
    const main = projectFile().main ?? "index.ts";
    const greenConfig = stackConfig("green");
    const blueStack = greenConfig[`${projectFile().name}:blueStack`];
    return {
        blue: { stack: "blue", config: stackConfig("blue"), main, runtime },
        green: { stack: "green", config: greenConfig, main, runtime, stackOutputs: { [blueStack]: blueOutputs } },
        // No Pulumi.both.yaml is committed: the blue stack's values with side both and a green profile.
        both: { stack: "both", config: stackConfig("blue", { side: "both", greenProfile: "green-admin" }), main, runtime },
    };
}

/**
 * The cases: the empty program, the three stack kinds as configured (after `npm ci`, whose prepare
 * step fills program/fastStart.js's compile cache: filled here the same way), and reference rows
 * for blue: nothing cached, the SDK's ts-node with and without type checking, and tsx.
 */
export async function coldStartCases(): Promise<ColdStartCase[]> {
    fillCompileCache();
    const runtime = projectRuntime();
    const empty: ProgramStart = {
        stack: "empty",
        config: {},
        main: path.relative(ROOT, path.join(__dirname, "engine/emptyProgram.js")),
        runtime: { typescript: false, nodeargs: "" },
    };
    // Green reads blue's outputs through a StackReference: take them from a real start of blue.
    const blue = await startProgramOrFail(stackStarts(runtime, {}).blue);
    const stacks = stackStarts(runtime, blue.outputs);
    const sdkDefault: RuntimeOptions = { typescript: true, nodeargs: "" };
    return [
        { label: "an empty program (`module.exports = {}`, `typescript: false`)", start: empty, configured: false },
        { label: "blue stack", start: stacks.blue, configured: true },
        { label: "green stack", start: stacks.green, configured: true },
        { label: "both stack", start: stacks.both, configured: true },
        { label: "blue, nothing in the compile cache (every file changed since `npm ci`)", start: { ...stacks.blue, emptyCompileCache: true }, configured: false },
        { label: "blue, the SDK's default (`typescript: true`: type-checking ts-node)", start: { ...stacks.blue, runtime: sdkDefault }, configured: false },
        {
            label: "blue, the SDK's ts-node with `PULUMI_NODEJS_TRANSPILE_ONLY=true`",
            start: { ...stacks.blue, runtime: sdkDefault, env: { PULUMI_NODEJS_TRANSPILE_ONLY: "true" } },
            configured: false,
        },
        { label: "blue, tsx as the loader", start: { ...stacks.blue, runtime: { typescript: false, nodeargs: "--require tsx/cjs" } }, configured: false },
    ];
}

/** Runs every case `runs` times, interleaved, and returns the medians and ratios. */
export async function measureColdStarts(cases: ColdStartCase[], runs: number, log: (line: string) => void = () => {}): Promise<ColdStartResult[]> {
    const samples = cases.map(() => [] as number[]);
    const cpu = cases.map(() => [] as number[]);
    const registrations = cases.map(() => -1);
    for (let round = 1; round <= runs; round++) {
        for (const [i, c] of cases.entries()) {
            const run = await startProgramOrFail(c.start);
            if (registrations[i] >= 0 && run.registrations.length !== registrations[i]) {
                throw new Error(`${c.label}: ${run.registrations.length} registrations, ${registrations[i]} before`);
            }
            registrations[i] = run.registrations.length;
            samples[i].push(run.wallMs);
            cpu[i].push(run.cpuMs);
        }
        log(`cold start: round ${round}/${runs} done`);
    }
    const floor = median(samples[0]);
    const cpuFloor = median(cpu[0]);
    return cases.map((c, i) => ({
        label: c.label,
        configured: c.configured,
        runtime: c.start.runtime,
        env: c.start.env,
        samples: samples[i],
        medianMs: median(samples[i]),
        ratio: median(samples[i]) / floor,
        medianCpuMs: median(cpu[i]),
        cpuRatio: median(cpu[i]) / cpuFloor,
        registrations: registrations[i],
    }));
}
