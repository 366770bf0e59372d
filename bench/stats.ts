/**
 * Small helpers shared by the benchmark scripts: the --runs flag and summaries of samples.
 */

/** Reads `--runs N` (1 to 10000), or the default. */
export function parseRuns(argv: string[], fallback: number): number {
    const index = argv.indexOf("--runs");
    const runs = index >= 0 ? Number(argv[index + 1]) : fallback;
    if (!Number.isInteger(runs) || runs < 1 || runs > 10000) {
        throw new Error("--runs: give a whole number from 1 to 10000");
    }
    return runs;
}

/** The median of samples (the mean of the two middle ones for an even count). */
export function median(samples: number[]): number {
    if (samples.length === 0) {
        throw new Error("median of no samples");
    }
    const sorted = [...samples].sort((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Mean, median, p90 and min of samples in milliseconds. */
export function summary(samples: number[]): string {
    const sorted = [...samples].sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
    return `mean ${mean.toFixed(1)} ms, median ${median(samples).toFixed(1)} ms, p90 ${at(0.9).toFixed(1)} ms, min ${sorted[0].toFixed(1)} ms`;
}

/** Milliseconds as seconds with two decimals, e.g. `1.93 s`. */
export function seconds(ms: number): string {
    return `${(ms / 1000).toFixed(2)} s`;
}
