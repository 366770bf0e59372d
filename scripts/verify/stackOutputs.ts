/**
 * Reads a Pulumi stack's outputs: through the `pulumi` CLI (`--stack`, see pulumiCli.ts) or from
 * the same JSON saved in a file (`--outputs`), and reads single outputs by name with a check of
 * their type. What the outputs mean for the checks is decided in target.ts.
 *
 * The outputs JSON is read with `--show-secrets` and holds secret values (the green stack's keys,
 * the blue stack's `externalId`): nothing here ever prints an output's value.
 */
import { readFile } from "node:fs/promises";
import type { VerifyArgs } from "./args";
import { CouldNotRunError } from "./exitCodes";
import { PulumiCliOptions, runPulumiStackOutput } from "./pulumiCli";

/** A stack's outputs, as `pulumi stack output --json` prints them: output name to value. */
export type StackOutputs = Readonly<Record<string, unknown>>;

/** What `pulumi stack output --json` prints for a secret without `--show-secrets`. */
export const HIDDEN_SECRET = "[secret]";

/**
 * Runs `pulumi stack output --json --show-secrets --stack NAME` and parses its JSON. Throws a
 * {@link CouldNotRunError} when the CLI is missing, fails (no such stack, not logged in), or
 * prints something other than a JSON object. Never includes the printed outputs in an error.
 */
export async function readStackOutputsFromPulumi(stack: string, options: PulumiCliOptions = {}): Promise<StackOutputs> {
    return parseOutputsJson(await runPulumiStackOutput(stack, options), `the outputs of stack ${stack}`);
}

/** Reads the outputs JSON from a file (`--outputs FILE`), e.g. saved by `pulumi stack output --json > FILE`. */
export async function readStackOutputsFromFile(path: string): Promise<StackOutputs> {
    let text: string;
    try {
        text = await readFile(path, "utf8");
    } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? "error";
        throw new CouldNotRunError(`--outputs ${path}: cannot read the file (${code})`, "save it with `pulumi stack output --json --stack blue > FILE`, or pass --stack NAME");
    }
    return parseOutputsJson(text, `--outputs ${path}`);
}

/** Reads the outputs named by `--stack` or `--outputs`, or returns `undefined` when neither is given. */
export async function readStackOutputs(args: Pick<VerifyArgs, "stack" | "outputsFile">, options: PulumiCliOptions = {}): Promise<StackOutputs | undefined> {
    if (args.stack !== undefined) {
        return readStackOutputsFromPulumi(args.stack, options);
    }
    if (args.outputsFile !== undefined) {
        return readStackOutputsFromFile(args.outputsFile);
    }
    return undefined;
}

/** How messages name the outputs: `stack blue`, `--outputs FILE`, or `undefined` without either. */
export function outputsLabel(args: Pick<VerifyArgs, "stack" | "outputsFile">): string | undefined {
    return args.stack !== undefined ? `stack ${args.stack}` : args.outputsFile !== undefined ? `--outputs ${args.outputsFile}` : undefined;
}

/** A boolean output, or `undefined` when the stack does not export it. Throws for another type. */
export function outputBoolean(outputs: StackOutputs, name: string, outputsName: string): boolean | undefined {
    const value = outputs[name];
    if (value === undefined || value === null) {
        return undefined;
    }
    if (typeof value !== "boolean") {
        throw new CouldNotRunError(
            `${outputsName}: output ${name} is not a boolean (it is ${Array.isArray(value) ? "an array" : typeof value})`,
            `check what the stack exports as ${name}`,
        );
    }
    return value;
}

/** A non-empty string output (trimmed), or `undefined` when the stack does not export it. Throws for another type, never echoing the value. */
export function outputString(outputs: StackOutputs, name: string, outputsName: string): string | undefined {
    const value = outputs[name];
    if (value === undefined || value === null) {
        return undefined;
    }
    if (typeof value !== "string" || value.trim() === "") {
        // Say what is wrong without echoing the value: an output may be a secret.
        throw new CouldNotRunError(
            `${outputsName}: output ${name} is not a non-empty string (it is ${Array.isArray(value) ? "an array" : typeof value})`,
            `check what the stack exports as ${name}`,
        );
    }
    return value.trim();
}

/** ` (it has: a, b, c)`: the names of the outputs there are (never their values), for a "no output X" message. */
export function listOutputs(outputs: StackOutputs | undefined): string {
    const names = outputs ? Object.keys(outputs).sort() : [];
    return names.length > 0 ? ` (it has: ${names.join(", ")})` : " (it has no outputs)";
}

function parseOutputsJson(text: string, what: string): StackOutputs {
    let parsed: unknown;
    try {
        parsed = JSON.parse(text);
    } catch {
        // Never echo the text: it holds every output, secrets included.
        throw new CouldNotRunError(`${what} is not JSON (${text.length} characters)`, "expected the object printed by `pulumi stack output --json`");
    }
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
        throw new CouldNotRunError(`${what} is not a JSON object of outputs`, "expected the object printed by `pulumi stack output --json`");
    }
    return parsed as StackOutputs;
}
