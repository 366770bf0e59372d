/**
 * Reads the project's stack config files and runs the real program for each stack under Pulumi
 * mocks, offline: no credentials, no Pulumi CLI. A green stack's StackReference to the blue stack
 * is answered with the outputs of the blue stack's run.
 *
 * Dev and test use only: nothing here is shipped.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { load } from "js-yaml";
// Layering: the report runs the program through the mocks harness in test/, the single source of
// truth for running it offline, so this dev tool depends on test code. Nothing here is shipped.
import { runProgram, type ProgramRun } from "../harness/pulumiMocks";
import type { StackRun } from "./collectPolicies";
import { GREEN_STACK_OUTPUT } from "../components/stackOutputs";

/** The value put in place of a `secure:` config value, which cannot be decrypted offline. */
export const SECURE_PLACEHOLDER = "secure-value-not-decrypted";

/** One stack's config, as the program would receive it. */
export interface StackConfigFile {
    /** The stack's name, e.g. `blue` (from `Pulumi.blue.yaml`). */
    readonly name: string;
    /** The file it was read from. */
    readonly file: string;
    /** Config values as strings, project keys without namespace, `aws:` keys with theirs; Pulumi.yaml defaults filled in. */
    readonly config: Record<string, string>;
    /** Keys whose value was `secure:` in the file (replaced by {@link SECURE_PLACEHOLDER}). */
    readonly secureKeys: string[];
}

/** One deployment: the blue and green stacks that work together, or one `both` stack. */
export interface Deployment {
    /** e.g. `blue + green`, or `both`. */
    readonly name: string;
    /** The runs, blue's first. */
    readonly runs: StackRun[];
    /** The config of the stack that deploys the blue side. */
    readonly blueConfig: Record<string, string>;
    /** The config of the stack that deploys the green side. */
    readonly greenConfig: Record<string, string>;
    /** The stack files, in the order they were run. */
    readonly stacks: StackConfigFile[];
}

/** Pulumi passes every config value to the program as a string; structured values as JSON. */
function asConfigString(value: unknown): string {
    if (typeof value === "string") {
        return value;
    }
    if (typeof value === "number" || typeof value === "boolean") {
        return String(value);
    }
    return JSON.stringify(value);
}

function readYaml(file: string): Record<string, any> {
    const parsed = load(readFileSync(file, "utf8"));
    return parsed && typeof parsed === "object" ? (parsed as Record<string, any>) : {};
}

/** The project's name and its config defaults (from `Pulumi.yaml`). */
export function readProject(dir: string): { project: string; defaults: Record<string, string> } {
    const project = readYaml(join(dir, "Pulumi.yaml"));
    const defaults: Record<string, string> = {};
    for (const [key, declaration] of Object.entries<any>(project.config ?? {})) {
        if (declaration && typeof declaration === "object" && "default" in declaration) {
            defaults[key] = asConfigString(declaration.default);
        } else if (declaration === null || typeof declaration !== "object") {
            // A short declaration `key: value` is a default value.
            if (declaration !== null && declaration !== undefined) {
                defaults[key] = asConfigString(declaration);
            }
        }
    }
    return { project: String(project.name), defaults };
}

/** The stack names with a `Pulumi.NAME.yaml` file in the project, sorted. */
export function stackNames(dir: string): string[] {
    return readdirSync(dir)
        .map((file) => /^Pulumi\.(.+)\.ya?ml$/.exec(file)?.[1])
        .filter((name): name is string => name !== undefined)
        .sort();
}

/** Reads one stack's config file, merged over the project's defaults. */
export function readStackFile(dir: string, name: string): StackConfigFile {
    const { project, defaults } = readProject(dir);
    const file = ["yaml", "yml"].map((ext) => join(dir, `Pulumi.${name}.${ext}`)).find((f) => existsSync(f));
    if (!file) {
        throw new Error(`no stack config file Pulumi.${name}.yaml in ${dir}`);
    }
    const config: Record<string, string> = { ...defaults };
    const secureKeys: string[] = [];
    for (const [key, value] of Object.entries<any>(readYaml(file).config ?? {})) {
        const [namespace, ...rest] = key.split(":");
        const local = rest.join(":");
        if (namespace === "pulumi") {
            continue; // engine settings such as disable-default-providers
        }
        const target = namespace === project ? local : key;
        if (value && typeof value === "object" && "secure" in value) {
            config[target] = SECURE_PLACEHOLDER;
            secureKeys.push(target);
        } else {
            config[target] = asConfigString(value);
        }
    }
    return { name, file, config, secureKeys };
}

/** Whether a `blueStack` value (`ORG/PROJECT/STACK`, or a shorter form) names this local stack. */
function names(reference: string, project: string, stack: string): boolean {
    const parts = reference.split("/");
    if (parts.length === 3) {
        return parts[1] === project && parts[2] === stack;
    }
    return parts[parts.length - 1] === stack;
}

/** A run's outputs as plain values, as another stack's StackReference sees them. */
function plainOutputs(run: StackRun["run"]): Record<string, unknown> {
    return Object.fromEntries(Object.entries(run.outputs).map(([key, output]) => [key, output.value]));
}

/**
 * Runs the program for the given stacks (all stack files when none are named), sequentially: blue and
 * both stacks first, then each green stack with the outputs of the blue stack it references.
 */
export async function runStacks(dir: string, selected?: readonly string[]): Promise<Deployment[]> {
    const { project } = readProject(dir);
    const stacks = (selected && selected.length > 0 ? [...selected] : stackNames(dir)).map((name) => readStackFile(dir, name));
    const sideOf = (s: StackConfigFile) => s.config.side;
    for (const stack of stacks) {
        if (!["blue", "green", "both"].includes(sideOf(stack))) {
            throw new Error(`${stack.file}: side is ${JSON.stringify(sideOf(stack))}, not blue, green or both`);
        }
    }
    const deployments: Deployment[] = [];
    const blueRuns = new Map<string, StackRun>();
    for (const stack of stacks.filter((s) => sideOf(s) !== "green")) {
        const run = await runProgram(stack.config, { stack: stack.name });
        if (sideOf(stack) === "both") {
            deployments.push({
                name: stack.name,
                runs: [{ stack: stack.name, run }],
                blueConfig: stack.config,
                greenConfig: greenConfigAsSent(stack.config, run),
                stacks: [stack],
            });
        } else {
            blueRuns.set(stack.name, { stack: stack.name, run });
        }
    }
    const pairedBlue = new Set<string>();
    for (const stack of stacks.filter((s) => sideOf(s) === "green")) {
        const reference = stack.config.blueStack ?? "";
        const blue = stacks.find((s) => sideOf(s) === "blue" && names(reference, project, s.name));
        if (!blue) {
            throw new Error(
                `stack ${stack.name} reads blue stack ${JSON.stringify(reference)}, which is not among the evaluated stacks (${stacks.map((s) => s.name).join(", ")}); add it with --stack`,
            );
        }
        const blueRun = blueRuns.get(blue.name)!;
        const run = await runProgram(stack.config, { stack: stack.name, stackOutputs: { [reference]: plainOutputs(blueRun.run) } });
        pairedBlue.add(blue.name);
        deployments.push({
            name: `${blue.name} + ${stack.name}`,
            runs: [blueRun, { stack: stack.name, run }],
            blueConfig: blue.config,
            greenConfig: greenConfigAsSent(stack.config, run),
            stacks: [blue, stack],
        });
    }
    const lonely = [...blueRuns.keys()].filter((name) => !pairedBlue.has(name));
    if (lonely.length > 0) {
        throw new Error(`blue stack(s) ${lonely.join(", ")} have no green stack among the evaluated stacks: the matrix needs both sides; add the green stack with --stack`);
    }
    return deployments;
}

/** The ExternalId the green users' CLI profile sends: read from the run's rendered profile (a secret output). */
function sentExternalId(run: ProgramRun): string | undefined {
    const profile = run.outputs[GREEN_STACK_OUTPUT.cliConfig]?.value;
    return typeof profile === "string" ? /^external_id = (.+)$/m.exec(profile)?.[1] : undefined;
}

/**
 * The green stack's config as the access model needs it: `externalId` is what its users really send,
 * which is the blue stack's when the green stack sets none.
 */
export function greenConfigAsSent(config: Readonly<Record<string, string>>, run: ProgramRun): Record<string, string> {
    const rest = Object.fromEntries(Object.entries(config).filter(([key]) => key !== "externalId" && key !== "cross-account-s3:externalId"));
    const sent = sentExternalId(run);
    return sent === undefined ? rest : { ...rest, externalId: sent };
}
