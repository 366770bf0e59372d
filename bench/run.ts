/**
 * `npm run bench`: every benchmark of the project in one run, then BENCHMARKS.md written from the
 * results (bench/report.ts). Progress goes to stderr.
 *
 *   npm run bench                            # all of it; writes BENCHMARKS.md
 *   npm run bench -- --runs 7 --peer-runs 3 --verify-runs 10
 *   npm run bench -- --only cold-start       # one part, printed as JSON; BENCHMARKS.md untouched
 *
 * Parts: cold-start, cdk, depth, verify, unit. Needs moto_server on PATH (verify, unit). Each part's
 * results are also kept in .tmp/bench-results.json as soon as it ends.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { cdkGrants, cdkVersion, measurePeer, ourGrants } from "./cdkPeer";
import { coldStartCases, measureColdStarts } from "./coldStart";
import { deploymentDepth } from "./deploymentDepth";
import { projectFile, projectRuntime, stackConfig, startProgramOrFail } from "./engine/languageHost";
import { BenchResults, renderReport } from "./report";
import { measureUnitTier } from "./unitTier";
import { measureVerify } from "./verifyOnMoto";

const PARTS = ["cold-start", "cdk", "depth", "verify", "unit"] as const;
type Part = (typeof PARTS)[number];

const log = (line: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

function wholeNumber(flag: string, value: string | undefined, fallback: number): number {
    const n = value === undefined ? fallback : Number(value);
    if (!Number.isInteger(n) || n < 1 || n > 1000) {
        throw new Error(`--${flag}: give a whole number from 1 to 1000, not ${JSON.stringify(value)}`);
    }
    return n;
}

/** The deployment depth of each stack kind, from one start of each (the project's runtime options). */
async function depths(): Promise<BenchResults["depth"]> {
    const runtime = projectRuntime();
    const main = projectFile().main ?? "index.ts";
    const blue = await startProgramOrFail({ stack: "blue", config: stackConfig("blue"), main, runtime });
    const greenConfig = stackConfig("green");
    const blueStack = greenConfig[`${projectFile().name}:blueStack`];
    const green = await startProgramOrFail({ stack: "green", config: greenConfig, main, runtime, stackOutputs: { [blueStack]: blue.outputs } });
    const both = await startProgramOrFail({ stack: "both", config: stackConfig("blue", { side: "both", greenProfile: "green-admin" }), main, runtime });
    return { blue: deploymentDepth(blue.registrations), green: deploymentDepth(green.registrations), both: deploymentDepth(both.registrations) };
}

async function main(): Promise<void> {
    const { values } = parseArgs({
        options: {
            runs: { type: "string" },
            "peer-runs": { type: "string" },
            "verify-runs": { type: "string" },
            only: { type: "string" },
        },
        strict: true,
    });
    const runs = wholeNumber("runs", values.runs, 7);
    const peerRuns = wholeNumber("peer-runs", values["peer-runs"], 3);
    const verifyRuns = wholeNumber("verify-runs", values["verify-runs"], 10);
    const only = values.only?.split(",").map((p) => p.trim());
    for (const part of only ?? []) {
        if (!(PARTS as readonly string[]).includes(part)) {
            throw new Error(`--only: unknown part ${JSON.stringify(part)}; the parts are ${PARTS.join(", ")}`);
        }
    }
    const wanted = (part: Part) => !only || only.includes(part);

    const startedAt = new Date();
    const loadBefore = os.loadavg();
    const partial: Record<string, unknown> = {};
    // Each part's results as they come, so a run that fails late still shows what it measured.
    const keep = () => {
        mkdirSync(path.resolve(__dirname, "..", ".tmp"), { recursive: true });
        writeFileSync(path.resolve(__dirname, "..", ".tmp", "bench-results.json"), JSON.stringify(partial, null, 2));
    };
    if (wanted("cold-start")) {
        log(`cold start: ${runs} rounds`);
        partial.coldStart = await measureColdStarts(await coldStartCases(), runs, log);
        keep();
    }
    if (wanted("cdk")) {
        log(`CDK peer: ${peerRuns} rounds of 1, 10 and 100 setups`);
        partial.peer = await measurePeer([1, 10, 100], peerRuns, log);
        partial.cdkVersion = cdkVersion();
        partial.cdkGrants = await cdkGrants();
        partial.ourGrants = await ourGrants();
        keep();
    }
    if (wanted("depth")) {
        log("deployment depth");
        partial.depth = await depths();
        keep();
    }
    if (wanted("verify")) {
        log(`verify on moto: ${verifyRuns} runs`);
        partial.verify = await measureVerify(verifyRuns, log);
        keep();
    }
    if (wanted("unit")) {
        log("npm run test:unit");
        partial.unitTier = await measureUnitTier();
        keep();
    }
    if (only) {
        process.stdout.write(JSON.stringify(partial, null, 2) + "\n");
        return;
    }
    const results = { ...partial, startedAt, finishedAt: new Date(), loadBefore, loadAfter: os.loadavg(), coldStartRuns: runs, peerRuns } as BenchResults;
    const target = path.resolve(__dirname, "..", "BENCHMARKS.md");
    writeFileSync(target, renderReport(results));
    log(`wrote ${target}`);
}

main().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
});
