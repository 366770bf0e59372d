/**
 * Benchmark: how long the program takes to evaluate under Pulumi mocks, per stack kind. This is the
 * cost of the mocks suites and a floor for `pulumi preview` (which adds the engine and the provider).
 *
 * Run: npm run bench [-- --runs N]. Results are appended to BENCHMARKS.md by hand after a run.
 */
import { performance } from "perf_hooks";
import { blueConfig, bothConfig, BLUE_STACK, greenConfig } from "../test/support/fixtures";
import { runProgram } from "../test/support/pulumiMocks";

function parseRuns(argv: string[]): number {
    const index = argv.indexOf("--runs");
    const runs = index >= 0 ? Number(argv[index + 1]) : 50;
    if (!Number.isInteger(runs) || runs < 1 || runs > 10000) {
        throw new Error("--runs: give a whole number from 1 to 10000");
    }
    return runs;
}

function summary(samples: number[]): string {
    const sorted = [...samples].sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
    return `mean ${mean.toFixed(1)} ms, median ${at(0.5).toFixed(1)} ms, p90 ${at(0.9).toFixed(1)} ms, min ${sorted[0].toFixed(1)} ms`;
}

async function main(): Promise<void> {
    const runs = parseRuns(process.argv.slice(2));
    const blue = await runProgram(blueConfig(), { stack: "blue" });
    const blueOutputs = Object.fromEntries(Object.entries(blue.outputs).map(([k, o]) => [k, o.value]));
    const cases: [string, () => Promise<unknown>][] = [
        ["blue", () => runProgram(blueConfig(), { stack: "blue" })],
        ["green", () => runProgram(greenConfig(), { stack: "green", stackOutputs: { [BLUE_STACK]: blueOutputs } })],
        ["both", () => runProgram(bothConfig(), { stack: "both" })],
    ];
    console.log(`node ${process.version}, ${runs} runs per stack kind (after one warm-up run each)`);
    for (const [name, run] of cases) {
        await run();
        const samples: number[] = [];
        for (let i = 0; i < runs; i++) {
            const start = performance.now();
            await run();
            samples.push(performance.now() - start);
        }
        console.log(`${name.padEnd(6)} ${summary(samples)}`);
    }
}

main().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
});
