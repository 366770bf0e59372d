/**
 * Starts the Pulumi program the way the Pulumi CLI's Node.js language host does, without the CLI:
 * `node [runtime.options.nodeargs] node_modules/@pulumi/pulumi/cmd/run --monitor ... --project P
 * --root-directory DIR --stack S --pwd DIR --dry-run MAIN`, with PULUMI_CONFIG (the project's
 * defaults merged with the stack file), PULUMI_CONFIG_SECRET_KEYS and PULUMI_NODEJS_TYPESCRIPT from
 * the `typescript` runtime option (default true). In place of the engine, mockEngine.js is preloaded
 * and answers as a mock monitor (`--monitor mock`). Each start gets a fresh TMPDIR, so the SDK's
 * ts-node cache (`$TMPDIR/ts-node-*`) is always cold, as on a CI runner.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { load } from "js-yaml";

/** The repository's root. */
export const ROOT = path.resolve(__dirname, "../..");
const MOCK_ENGINE = path.join(__dirname, "mockEngine.js");
const CMD_RUN = path.join(ROOT, "node_modules/@pulumi/pulumi/cmd/run");

/** Pulumi.yaml's Node.js runtime options that change how the program starts. */
export interface RuntimeOptions {
    /** `runtime.options.typescript`: whether the SDK registers its ts-node (default true). */
    readonly typescript: boolean;
    /** `runtime.options.nodeargs`: arguments for node, before cmd/run. */
    readonly nodeargs: string;
}

/** What one start of the program is. */
export interface ProgramStart {
    /** Stack name (cmd/run's `--stack`). */
    readonly stack: string;
    /** The engine-merged config, `project:key` (or `aws:region`) to the string value the engine passes. */
    readonly config: Record<string, string>;
    /** The entry file, relative to the root (Pulumi.yaml's `main`). */
    readonly main: string;
    /** Runtime options (Pulumi.yaml's unless overridden). */
    readonly runtime: RuntimeOptions;
    /** Extra environment (e.g. PULUMI_NODEJS_TRANSPILE_ONLY, to measure what a user would have to set). */
    readonly env?: Record<string, string>;
    /** Outputs of other stacks by fully qualified name, for the program's StackReferences. */
    readonly stackOutputs?: Record<string, Record<string, unknown>>;
    /**
     * Start program/fastStart.js with an empty compile cache of its own (as if every file had changed
     * since `npm ci`), instead of the project's cache in node_modules/.cache.
     */
    readonly emptyCompileCache?: boolean;
}

/** One registration the program sent to the (mock) engine. */
export interface Registration {
    /** The type token. */
    readonly type: string;
    /** The resource name. */
    readonly name: string;
    /** The URN the engine answered with. */
    readonly urn: string;
    /** Custom resource (true) or component (false). */
    readonly custom: boolean;
    /** The parent's URN. */
    readonly parent?: string;
    /** The provider reference, `URN::ID`. */
    readonly provider?: string;
    /** Every URN the resource depends on (dependsOn and every input's resources). */
    readonly dependencies: string[];
    /** For each input property, the URNs its value came from. */
    readonly propertyDependencies: Record<string, string[]>;
    /** The inputs as the engine received them, secrets unwrapped (unknowns are absent). */
    readonly inputs: Record<string, unknown>;
}

/** How a start went. */
export interface ProgramRun {
    /** Wall time of the whole process, from spawn to exit, in milliseconds. */
    readonly wallMs: number;
    /** The exit code. */
    readonly status: number | null;
    /** What the program printed. */
    readonly stdout: string;
    readonly stderr: string;
    /** Every registration, in order. */
    readonly registrations: Registration[];
    /** The stack's outputs, secrets unwrapped. */
    readonly outputs: Record<string, unknown>;
    /** CPU time of the program's process (user + system, every thread), in milliseconds. */
    readonly cpuMs: number;
}

interface ProjectFile {
    name: string;
    main?: string;
    runtime: { name: string; options?: { typescript?: boolean; nodeargs?: string } };
    config?: Record<string, { type?: string; default?: unknown }>;
}

/** Pulumi.yaml, parsed. */
export function projectFile(): ProjectFile {
    return load(readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")) as ProjectFile;
}

/** The runtime options Pulumi.yaml gives (with the language host's defaults). */
export function projectRuntime(): RuntimeOptions {
    const options = projectFile().runtime.options ?? {};
    return { typescript: options.typescript ?? true, nodeargs: options.nodeargs ?? "" };
}

/** How the engine passes a config value to the program: strings as they are, anything else as JSON. */
function configString(value: unknown): string {
    return typeof value === "string" ? value : JSON.stringify(value);
}

/**
 * The config the engine hands the program for a stack: each key the project declares with a default,
 * under its `project:` namespace, then the stack file's values (or `values`, for a stack without a
 * file), then `overrides`.
 */
export function stackConfig(stack: string, overrides: Record<string, unknown> = {}, values?: Record<string, unknown>): Record<string, string> {
    const project = projectFile();
    const config: Record<string, string> = {};
    for (const [key, declared] of Object.entries(project.config ?? {})) {
        if (declared.default !== undefined) {
            config[`${project.name}:${key}`] = configString(declared.default);
        }
    }
    const stackValues = values ?? (load(readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8")) as { config: Record<string, unknown> }).config;
    for (const [key, value] of Object.entries({ ...stackValues, ...overrides })) {
        config[key.includes(":") ? key : `${project.name}:${key}`] = configString(value);
    }
    return config;
}

/** Splits nodeargs as the language host does (on whitespace). */
function splitNodeargs(nodeargs: string): string[] {
    return nodeargs.split(/\s+/).filter((arg) => arg.length > 0);
}

/** Starts the program once, as the language host would for `pulumi preview`, and waits for it to exit. */
export async function startProgram(start: ProgramStart): Promise<ProgramRun> {
    const tmp = mkdtempSync(path.join(os.tmpdir(), "program-start-"));
    const record = path.join(tmp, "record.json");
    const outputsFile = path.join(tmp, "stack-outputs.json");
    writeFileSync(outputsFile, JSON.stringify(start.stackOutputs ?? {}));
    const project = projectFile().name;
    const args = [
        ...splitNodeargs(start.runtime.nodeargs),
        "--require",
        MOCK_ENGINE,
        CMD_RUN,
        "--monitor",
        "mock",
        "--project",
        project,
        "--root-directory",
        ROOT,
        "--stack",
        start.stack,
        "--pwd",
        ROOT,
        "--dry-run",
        start.main,
    ];
    const env: NodeJS.ProcessEnv = {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        TMPDIR: tmp,
        PULUMI_CONFIG: JSON.stringify(start.config),
        PULUMI_CONFIG_SECRET_KEYS: "[]",
        PULUMI_NODEJS_TYPESCRIPT: String(start.runtime.typescript),
        PULUMI_NODEJS_PROJECT: project,
        PULUMI_NODEJS_STACK: start.stack,
        MOCK_ENGINE_RECORD: record,
        MOCK_ENGINE_STACK_OUTPUTS: outputsFile,
        ...(start.emptyCompileCache ? { FAST_START_CACHE: path.join(tmp, "compile-cache") } : {}),
        ...start.env,
    };
    try {
        const started = performance.now();
        const { status, stdout, stderr } = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve, reject) => {
            const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
            let out = "";
            let err = "";
            child.stdout.on("data", (chunk) => (out += chunk));
            child.stderr.on("data", (chunk) => (err += chunk));
            child.on("error", reject);
            child.on("close", (code) => resolve({ status: code, stdout: out, stderr: err }));
        });
        const wallMs = performance.now() - started;
        let recorded: { registrations: Registration[]; outputs: Record<string, unknown>; cpuMs: number } = { registrations: [], outputs: {}, cpuMs: NaN };
        try {
            recorded = JSON.parse(readFileSync(record, "utf8"));
        } catch {
            // The program died before the mock engine could write its record; status and stderr say why.
        }
        return { wallMs, status, stdout, stderr, ...recorded };
    } finally {
        rmSync(tmp, { recursive: true, force: true });
    }
}

/** Starts the program and fails with its output unless it exits 0. */
export async function startProgramOrFail(start: ProgramStart): Promise<ProgramRun> {
    const run = await startProgram(start);
    if (run.status !== 0) {
        throw new Error(`the ${start.stack} program exited ${run.status}:\n${(run.stdout + run.stderr).split("\n").slice(-30).join("\n")}`);
    }
    return run;
}
