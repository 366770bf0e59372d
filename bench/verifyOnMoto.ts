/**
 * The verify script as a user runs it once installed: the compiled `dist/scripts/verify/bin.js`
 * (what the package's `cross-account-s3-verify` command runs; built here with `npm run build`), with
 * plain node, against moto with IAM enforced, all checks passing. Reports the process wall time, the
 * time of the checks themselves (from the script's JSON report) and the AWS calls per run.
 */
import { spawn, spawnSync } from "node:child_process";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { startMotoServer } from "../scripts/emulator/motoServer";
import { prepareScenario } from "../scripts/emulator/scenario";
import { median } from "./stats";

const ROOT = path.resolve(__dirname, "..");
const BIN = path.join(ROOT, "dist/scripts/verify/bin.js");

/** What the verify runs measured. */
export interface VerifyFigures {
    readonly runs: number;
    /** Median process wall time, ms (node start-up, SDK load and the checks). */
    readonly wallMs: number;
    /** Median time of the checks, ms, as the script reports it. */
    readonly checksMs: number;
    /** The AWS calls each run made (one value when every run made the same number). */
    readonly awsCalls: number[];
    /** The checks of one run, by name, with their status. */
    readonly checks: string[];
}

/** Builds dist/ as `npm pack` would (`npm run build`). */
function build(): void {
    const result = spawnSync("npm", ["run", "build", "--silent"], { cwd: ROOT, stdio: ["ignore", "inherit", "inherit"] });
    if (result.status !== 0) {
        throw new Error(`npm run build exited ${result.status ?? result.error?.message}`);
    }
}

function runBin(args: string[], env: NodeJS.ProcessEnv): Promise<{ wallMs: number; status: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
        const started = performance.now();
        const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (chunk) => (stdout += chunk));
        child.stderr.on("data", (chunk) => (stderr += chunk));
        child.on("error", reject);
        child.on("close", (status) => resolve({ wallMs: performance.now() - started, status, stdout, stderr }));
    });
}

/** Runs the installed verify command `runs` times (after one warm-up run) against moto. */
export async function measureVerify(runs: number, log: (line: string) => void = () => {}): Promise<VerifyFigures> {
    log("building dist/ (npm run build) for the installed verify command");
    build();
    const moto = await startMotoServer();
    try {
        const scenario = await prepareScenario(moto);
        try {
            const args = ["--outputs", scenario.outputsFile, "--source-profile", "green", "--endpoint", moto.endpoint, "--json"];
            const env = scenario.env; // only the scenario's AWS files, no inherited AWS variables
            const wall: number[] = [];
            const checks: number[] = [];
            const calls = new Set<number>();
            let names: string[] = [];
            for (let i = 0; i <= runs; i++) {
                const result = await runBin(args, env);
                if (result.status !== 0) {
                    throw new Error(`verify run ${i} exited ${result.status}: ${(result.stdout + result.stderr).slice(-1000)}`);
                }
                const report = JSON.parse(result.stdout) as { durationMs: number; awsCalls: number; checks?: { name: string; status: string }[] };
                if (i === 0) {
                    continue; // warm-up: the page cache, moto's first answers
                }
                wall.push(result.wallMs);
                checks.push(report.durationMs);
                calls.add(report.awsCalls);
                names = (report.checks ?? []).map((c) => `${c.name}: ${c.status}`);
                log(`verify: run ${i}/${runs} done`);
            }
            return { runs, wallMs: median(wall), checksMs: median(checks), awsCalls: [...calls].sort((a, b) => a - b), checks: names };
        } finally {
            await scenario.cleanup();
        }
    } finally {
        await moto.stop();
    }
}
