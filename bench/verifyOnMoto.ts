/**
 * Benchmark: the verify script end to end on moto (IAM enforced), as a user runs it: a child
 * process per run. Reports the process wall time (Node, tsx and SDK start-up included), the
 * time of the checks themselves, and the number of AWS calls per run.
 *
 * Run: npm run bench:verify [-- --runs N]. Needs moto_server on PATH.
 */
import { startMotoServer } from "../scripts/emulator/motoServer";
import { prepareScenario } from "../scripts/emulator/scenario";
import { runVerifyProcess } from "../scripts/emulator/verifyProcess";
import { parseRuns, summary } from "./stats";

async function main(): Promise<void> {
    const runs = parseRuns(process.argv.slice(2), 10);
    const moto = await startMotoServer();
    try {
        const scenario = await prepareScenario(moto);
        try {
            const args = ["--outputs", scenario.outputsFile, "--source-profile", "green", "--endpoint", moto.endpoint, "--json"];
            const wall: number[] = [];
            const checks: number[] = [];
            const calls = new Set<number>();
            await runVerifyProcess(args, { env: scenario.env }); // warm-up
            for (let i = 0; i < runs; i++) {
                const result = await runVerifyProcess(args, { env: scenario.env });
                if (result.exitCode !== 0) {
                    throw new Error(`run ${i + 1} exited ${result.exitCode}: ${result.stderr.slice(-500)}`);
                }
                const report = JSON.parse(result.stdout) as { durationMs: number; awsCalls: number };
                wall.push(result.durationMs);
                checks.push(report.durationMs);
                calls.add(report.awsCalls);
            }
            console.log(`node ${process.version}, moto on ${moto.endpoint}, ${runs} runs (after one warm-up run)`);
            console.log(`process wall time  ${summary(wall)}`);
            console.log(`checks only        ${summary(checks)}`);
            console.log(`AWS calls per run  ${[...calls].join(", ")}`);
        } finally {
            await scenario.cleanup();
        }
    } finally {
        await moto.stop();
    }
}

main().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
});
