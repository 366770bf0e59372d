/**
 * Runs the verify script as a child process, the way a user runs it, for the end-to-end tests
 * and the demo. Under TypeScript sources it runs `scripts/verify/bin.ts` (the installed command's
 * source) through tsx's require hook; from a build (`dist/`) it runs `bin.js` with plain node.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

/** The AWS variables a hermetic run removes from the inherited environment. */
const INHERITED_AWS_VARIABLES = /^AWS_/;

/**
 * The parent's environment without any `AWS_*` variable (so a developer's own profile, keys,
 * region or endpoint cannot leak into a test), plus `extra`, plus `AWS_EC2_METADATA_DISABLED`
 * (no instance-metadata probing on a machine outside EC2).
 */
export function hermeticAwsEnv(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {};
    for (const [name, value] of Object.entries(process.env)) {
        if (!INHERITED_AWS_VARIABLES.test(name)) {
            env[name] = value;
        }
    }
    return { ...env, AWS_EC2_METADATA_DISABLED: "true", ...extra };
}

/** Options of {@link runVerifyProcess}. */
export interface VerifyProcessOptions {
    /** The child's environment. Default {@link hermeticAwsEnv}(). */
    readonly env?: NodeJS.ProcessEnv;
    /** Kill the child (SIGKILL) after this long, in ms. Default 60,000. */
    readonly timeoutMs?: number;
    /** Also copy the child's stdout and stderr to ours as they come (the demo). Default `false`. */
    readonly echo?: boolean;
    /** Called with each chunk of stderr as it comes (e.g. to react to a "waiting" notice). */
    readonly onStderr?: (chunk: string) => void;
}

/** How a run ended. */
export interface VerifyProcessResult {
    /** The exit code; `null` when killed. */
    readonly exitCode: number | null;
    /** Everything printed on stdout. */
    readonly stdout: string;
    /** Everything printed on stderr. */
    readonly stderr: string;
    /** Wall time, in ms (process start included). */
    readonly durationMs: number;
}

/** The node arguments that start the verify CLI: `[--require, tsx/cjs, bin.ts]` or `[bin.js]`. */
export function verifyCommand(): string[] {
    const compiled = join(__dirname, "..", "verify", "bin.js");
    if (__filename.endsWith(".js") && existsSync(compiled)) {
        return [compiled];
    }
    return ["--require", require.resolve("tsx/cjs"), join(__dirname, "..", "verify", "bin.ts")];
}

/** Runs `verify ARGS...` and resolves when it exits (or is killed at the timeout). Never rejects for a non-zero exit. */
export function runVerifyProcess(args: readonly string[], options: VerifyProcessOptions = {}): Promise<VerifyProcessResult> {
    const started = Date.now();
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [...verifyCommand(), ...args], {
            env: options.env ?? hermeticAwsEnv(),
            stdio: ["ignore", "pipe", "pipe"],
        });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (chunk: Buffer) => {
            stdout += chunk.toString("utf8");
            if (options.echo) {
                process.stdout.write(chunk);
            }
        });
        child.stderr.on("data", (chunk: Buffer) => {
            const text = chunk.toString("utf8");
            stderr += text;
            if (options.echo) {
                process.stderr.write(chunk);
            }
            options.onStderr?.(text);
        });
        const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 60_000);
        child.once("error", (error) => {
            clearTimeout(timer);
            reject(error);
        });
        child.once("close", (code) => {
            clearTimeout(timer);
            resolve({ exitCode: code, stdout, stderr, durationMs: Date.now() - started });
        });
    });
}
