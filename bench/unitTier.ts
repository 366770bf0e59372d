/**
 * The fast test tier's wall time: `npm run test:unit` (whatever package.json makes it run), as a
 * whole process, with the number of tests mocha reports.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { performance } from "node:perf_hooks";

/** One run of the tier. */
export interface UnitTierFigures {
    /** The command package.json runs for `test:unit`. */
    readonly command: string;
    /** Wall time of `npm run test:unit`, ms. */
    readonly wallMs: number;
    /** Tests mocha reported passing, pending and failing (summed over its runs). */
    readonly passing: number;
    readonly pending: number;
    readonly failing: number;
}

const ROOT = path.resolve(__dirname, "..");

/** Runs `npm run test:unit` once and times it. Fails when a test fails. */
export async function measureUnitTier(): Promise<UnitTierFigures> {
    const manifest = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> };
    const started = performance.now();
    const { status, output } = await new Promise<{ status: number | null; output: string }>((resolve, reject) => {
        const child = spawn("npm", ["run", "test:unit"], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, FORCE_COLOR: "0" } });
        let text = "";
        child.stdout.on("data", (chunk) => (text += chunk));
        child.stderr.on("data", (chunk) => (text += chunk));
        child.on("error", reject);
        child.on("close", (code) => resolve({ status: code, output: text }));
    });
    const wallMs = performance.now() - started;
    const count = (word: string) => [...output.matchAll(new RegExp(`^\\s+(\\d+) ${word}`, "gm"))].reduce((sum, m) => sum + Number(m[1]), 0);
    const figures = { command: manifest.scripts["test:unit"], wallMs, passing: count("passing"), pending: count("pending"), failing: count("failing") };
    if (status !== 0 || figures.failing > 0) {
        throw new Error(`npm run test:unit exited ${status} (${figures.failing} failing):\n${output.slice(-3000)}`);
    }
    return figures;
}
