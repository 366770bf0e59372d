/**
 * Runs `pulumi stack output --json --show-secrets --stack NAME` with the Pulumi CLI on PATH and
 * returns what it printed, or a {@link CouldNotRunError} saying why it could not: the CLI is not
 * installed, it failed (no such stack, not logged in), or it did not finish in time. The printed
 * text holds every output, secrets included: it is returned, never put in an error.
 */
import { execFile } from "node:child_process";
import { CouldNotRunError } from "./exitCodes";

/** Options of {@link runPulumiStackOutput}, for tests and unusual setups. */
export interface PulumiCliOptions {
    /** The environment of the `pulumi` process (its PATH decides which `pulumi` runs). Default `process.env`. */
    readonly env?: NodeJS.ProcessEnv;
    /** The folder it runs in (the Pulumi project). Default `process.cwd()`. */
    readonly cwd?: string;
    /** How long to wait for it, in ms. Default 120,000. */
    readonly timeoutMs?: number;
}

/** The arguments given to `pulumi` for a stack's outputs. */
function stackOutputArgs(stack: string): string[] {
    return ["stack", "output", "--json", "--show-secrets", "--stack", stack];
}

/** Runs the CLI and resolves with its stdout (the outputs JSON, secrets in clear: never print it). */
export function runPulumiStackOutput(stack: string, options: PulumiCliOptions = {}): Promise<string> {
    const timeoutMs = options.timeoutMs ?? 120_000;
    return new Promise((resolve, reject) => {
        execFile(
            "pulumi",
            stackOutputArgs(stack),
            {
                env: options.env ?? process.env,
                cwd: options.cwd ?? process.cwd(),
                timeout: timeoutMs,
                maxBuffer: 16 * 1024 * 1024,
                windowsHide: true,
            },
            (error, stdout, stderr) => {
                if (!error) {
                    resolve(stdout);
                    return;
                }
                // A string (ENOENT) when pulumi could not start; its exit code (a number) when it failed.
                const code: unknown = (error as { code?: unknown }).code;
                if (code === "ENOENT") {
                    reject(
                        new CouldNotRunError(
                            "--stack needs the pulumi CLI, and `pulumi` was not found on PATH",
                            "install it (https://www.pulumi.com/docs/iac/download-install/), or pass --outputs FILE " +
                                "(saved from `pulumi stack output --json`), or --role-arn, --bucket and --region",
                        ),
                    );
                    return;
                }
                if ((error as { killed?: boolean }).killed) {
                    reject(
                        new CouldNotRunError(
                            `\`pulumi stack output --stack ${stack}\` did not finish within ${timeoutMs / 1000} s`,
                            "check that the Pulumi backend is reachable (`pulumi whoami`), or pass --outputs FILE",
                        ),
                    );
                    return;
                }
                reject(
                    new CouldNotRunError(
                        `--stack ${stack}: \`pulumi stack output\` failed (exit ${typeof code === "number" ? code : "?"}): ${firstLines(stderr) || "no message"}`,
                        "check the stack name (`pulumi stack ls`) and that you are logged in to its backend (`pulumi whoami`)",
                    ),
                );
            },
        );
    });
}

/** The first three non-empty lines of the CLI's stderr, for the error message (stderr never holds output values). */
function firstLines(text: string): string {
    return text
        .split("\n")
        .map((line) => line.trim())
        .filter((line) => line.length > 0)
        .slice(0, 3)
        .join(" / ")
        .slice(0, 400);
}
