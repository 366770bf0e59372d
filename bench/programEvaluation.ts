/**
 * Benchmark: how long the program takes to evaluate under Pulumi mocks, per stack kind. This is the
 * cost of the mocks suites and a floor for `pulumi preview` (which adds the engine and the provider).
 *
 * Run: npm run bench [-- --runs N]. Results are appended to BENCHMARKS.md by hand after a run.
 */
import { performance } from "perf_hooks";
import { blueConfig, bothConfig, BLUE_STACK, greenConfig } from "../harness/stackConfigs";
import { runProgram } from "../harness/pulumiMocks";
import { parseRuns, summary } from "./stats";

async function main(): Promise<void> {
    const runs = parseRuns(process.argv.slice(2), 50);
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
