/**
 * How `pulumi preview` and `up` start the program: Pulumi.yaml turns the SDK's ts-node off and
 * preloads program/fastStart.js (Sucrase for project files only; V8's stack formatting). Each case starts the program
 * the way the Pulumi CLI's language host does (bench/engine/languageHost.ts: the SDK's cmd/run, a
 * mock engine), and shows that
 *
 * - every stack kind registers exactly what the TypeScript compiler's build of the same sources
 *   registers (the SDK's own ts-node, transpile-only): same resources, inputs, dependencies, outputs;
 * - a config mistake still stops the start before anything is registered;
 * - the committed stacks start with no warning (no undefined stack output, for one);
 * - a stack trace names the line of the .ts file (no source maps needed), and Node formats it (not
 *   the SDK's source-map-support);
 * - a type error does not stop the start (nothing type-checks there), and `tsc --noEmit`, which
 *   `npm test` and so CI run before any preview or deploy, stops it;
 * - `npm ci` fills the hook's compile cache; a cached file runs without Sucrase, a changed one is compiled again;
 * - TypeScript under node_modules is left to Node's own loader.
 */
import { strict as assert } from "assert";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { projectFile, projectRuntime, ProgramRun, ProgramStart, ROOT, RuntimeOptions, stackConfig, startProgram, startProgramOrFail } from "../bench/engine/languageHost";

const TSC_BUILD: RuntimeOptions = { typescript: true, nodeargs: "" };
const TRANSPILE_ONLY = { PULUMI_NODEJS_TRANSPILE_ONLY: "true" };

/** What two starts must agree on: each registration without its URN-independent noise, and the outputs. */
function comparable(run: ProgramRun) {
    return {
        registrations: run.registrations.map((r) => ({ ...r, dependencies: [...r.dependencies].sort() })),
        outputs: run.outputs,
    };
}

describe("the program as `pulumi preview` starts it (Pulumi.yaml's runtime options)", function () {
    this.timeout(180_000);
    const main = projectFile().main ?? "index.ts";
    let scratch: string;

    before(() => {
        // Inside the project (the hook compiles project files only), in the ignored .tmp/ folder.
        mkdirSync(path.join(ROOT, ".tmp"), { recursive: true });
        scratch = mkdtempSync(path.join(ROOT, ".tmp", "program-start-"));
    });
    after(() => rmSync(scratch, { recursive: true, force: true }));

    it("turns the SDK's type-checking ts-node off and preloads the project's TypeScript hook", () => {
        assert.deepEqual(projectRuntime(), { typescript: false, nodeargs: "--require ./program/fastStart.js" });
    });

    it("registers for blue, green and both exactly what the TypeScript compiler's build registers", async () => {
        const blue = await startProgramOrFail({ stack: "blue", config: stackConfig("blue"), main, runtime: projectRuntime() });
        const blueStack = stackConfig("green")[`${projectFile().name}:blueStack`];
        const starts: ProgramStart[] = [
            { stack: "blue", config: stackConfig("blue"), main, runtime: projectRuntime() },
            { stack: "green", config: stackConfig("green"), main, runtime: projectRuntime(), stackOutputs: { [blueStack]: blue.outputs } },
            { stack: "both", config: stackConfig("blue", { side: "both", greenProfile: "green-admin" }), main, runtime: projectRuntime() },
        ];
        for (const start of starts) {
            const hooked = await startProgramOrFail(start);
            const compiled = await startProgramOrFail({ ...start, runtime: TSC_BUILD, env: TRANSPILE_ONLY });
            assert.ok(hooked.registrations.filter((r) => r.type.startsWith("aws:")).length >= 4, `${start.stack}: the program registered its AWS resources`);
            assert.deepEqual(comparable(hooked), comparable(compiled), `${start.stack}: the hook's build differs from the TypeScript compiler's`);
            assert.doesNotMatch(hooked.stderr, /ExperimentalWarning|ts-node/, `${start.stack}: ${hooked.stderr}`);
        }
    });

    it("still stops on a config mistake, naming the key, before any resource is registered", async () => {
        const run = await startProgram({ stack: "blue", config: stackConfig("blue", { bucketName: "Not_A_Bucket" }), main, runtime: projectRuntime() });
        assert.notEqual(run.status, 0);
        assert.match(run.stdout + run.stderr, /bucketName/);
        assert.match(run.stdout + run.stderr, /Not_A_Bucket/);
        assert.deepEqual(
            run.registrations.filter((r) => r.type.startsWith("aws:")),
            [],
        );
    });

    it("reports an error at the line of the .ts file where it was thrown", async () => {
        const file = path.join(scratch, "throws.ts");
        writeFileSync(
            file,
            ["interface Settings {", "    readonly name: string;", "}", 'const settings: Settings = { name: "x" };', "throw new Error(`stop at ${settings.name}`);", ""].join("\n"),
        );
        const run = await startProgram({ stack: "throws", config: {}, main: path.relative(ROOT, file), runtime: projectRuntime(), emptyCompileCache: true });
        assert.notEqual(run.status, 0);
        assert.match(run.stdout + run.stderr, /stop at x/);
        assert.match(run.stdout + run.stderr, /throws\.ts:5\b/, "the stack trace names line 5");
    });

    it("leaves Node's own stack-trace formatter in place after the SDK's cmd/run has loaded", async () => {
        const file = path.join(scratch, "formatter.ts");
        writeFileSync(file, "export const formatter: string = String(Error.prepareStackTrace?.name);\n");
        // Node's own formatter, as a plain node process has it (a function on Node 24, none on older lines).
        const own = spawnSync(process.execPath, ["-p", "String(Error.prepareStackTrace?.name)"], { encoding: "utf8" }).stdout.trim();
        const hooked = await startProgram({ stack: "formatter", config: {}, main: path.relative(ROOT, file), runtime: projectRuntime(), emptyCompileCache: true });
        assert.equal(hooked.status, 0, hooked.stderr);
        assert.deepEqual(hooked.outputs, { formatter: own }, "no formatter replaced Node's own");
        // Without the hook's second part, cmd/run's source-map-support installs its own.
        const plain = await startProgram({ stack: "formatter", config: {}, main: path.relative(ROOT, file), runtime: TSC_BUILD, env: TRANSPILE_ONLY });
        assert.deepEqual(plain.outputs, { formatter: "prepareStackTrace" });
    });

    it("prints no warning for the committed blue, green and both stacks, where an undefined stack output would print one", async () => {
        const blue = await startProgramOrFail({ stack: "blue", config: stackConfig("blue"), main, runtime: projectRuntime() });
        const blueStack = stackConfig("green")[`${projectFile().name}:blueStack`];
        const green = await startProgramOrFail({ stack: "green", config: stackConfig("green"), main, runtime: projectRuntime(), stackOutputs: { [blueStack]: blue.outputs } });
        const both = await startProgramOrFail({ stack: "both", config: stackConfig("blue", { side: "both", greenProfile: "green-admin" }), main, runtime: projectRuntime() });
        for (const [stack, run] of Object.entries({ blue, green, both })) {
            assert.doesNotMatch(run.stdout + run.stderr, /warning|Undefined value/i, `${stack}: ${run.stdout}${run.stderr}`);
        }
        // The same start does show the SDK's warning for an output that is undefined (what blue exported before 0.2.0).
        const file = path.join(scratch, "undefinedOutput.ts");
        writeFileSync(file, ["export const externalId: string | undefined = undefined;", 'export const bucketName = "b";', ""].join("\n"));
        const undefinedOutput = await startProgram({ stack: "undefinedOutput", config: {}, main: path.relative(ROOT, file), runtime: projectRuntime() });
        assert.match(undefinedOutput.stdout + undefinedOutput.stderr, /Undefined value \(externalId\) will not show as a stack output/);
    });

    it("runs a program with a type error (nothing type-checks at start), which `tsc --noEmit` stops", async () => {
        const file = path.join(scratch, "typeError.ts");
        writeFileSync(file, ['const port: number = "eighty";', "export const listens = port;", ""].join("\n"));
        const run = await startProgram({ stack: "typeError", config: {}, main: path.relative(ROOT, file), runtime: projectRuntime(), emptyCompileCache: true });
        assert.equal(run.status, 0, run.stderr);
        assert.deepEqual(run.outputs, { listens: "eighty" });
        const tsc = spawnSync(process.execPath, [require.resolve("typescript/bin/tsc"), "--noEmit", "--strict", "--ignoreConfig", "--pretty", "false", file], { encoding: "utf8" });
        assert.notEqual(tsc.status, 0);
        assert.match(tsc.stdout, /error TS2322: Type 'string' is not assignable to type 'number'/);
        // npm test runs exactly this type check over the project, and CI runs npm test.
        assert.equal(JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")).scripts.typecheck, "tsc --noEmit -p tsconfig.json");
    });

    it("fills its compile cache on npm ci, runs a cached file without Sucrase, and never runs a changed file's old code", () => {
        const manifest = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8"));
        assert.equal(manifest.scripts.prepare, "node program/fastStart.js --fill-cache", "npm ci and npm install run prepare");
        const cache = path.join(scratch, "compile-cache");
        const file = path.join(scratch, "changes.ts");
        /** Loads `file` through the hook: its value, and whether Sucrase was loaded for it. */
        const load = () => {
            const probe = `const value = require(${JSON.stringify(file)}).value; console.log(JSON.stringify({ value, sucrase: Object.keys(require.cache).some((k) => k.includes("/sucrase/")) }))`;
            const result = spawnSync(process.execPath, ["--require", "./program/fastStart.js", "-e", probe], {
                cwd: ROOT,
                encoding: "utf8",
                env: { ...process.env, FAST_START_CACHE: cache },
            });
            assert.equal(result.status, 0, result.stderr);
            return JSON.parse(result.stdout.trim().split("\n").pop()!);
        };
        writeFileSync(file, "export const value: number = 1;\n");
        assert.deepEqual(load(), { value: 1, sucrase: true }, "first load: compiled");
        assert.deepEqual(load(), { value: 1, sucrase: false }, "second load: from the cache, Sucrase not even loaded");
        writeFileSync(file, "export const value: number = 2;\n");
        assert.deepEqual(load(), { value: 2, sucrase: true }, "a changed file is compiled again");
        assert.equal(readdirSync(cache).filter((f) => f.endsWith(".js")).length, 2);

        const fill = spawnSync(process.execPath, ["program/fastStart.js", "--fill-cache"], {
            cwd: ROOT,
            encoding: "utf8",
            env: { ...process.env, FAST_START_CACHE: path.join(scratch, "filled") },
        });
        assert.equal(fill.status, 0, fill.stderr);
        const programFiles = ["index.ts", "program", "components"].flatMap((entry) =>
            entry.endsWith(".ts") ? [entry] : readdirSync(path.join(ROOT, entry), { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts")),
        );
        assert.match(fill.stdout, new RegExp(`^fast start: ${programFiles.length} program files compiled`));
    });

    it("leaves TypeScript under node_modules to Node's own loader", () => {
        const inProject = path.join(scratch, "exportAssignment.ts");
        const vendored = path.join(scratch, "node_modules", "vendored", "index.ts");
        mkdirSync(path.dirname(vendored), { recursive: true });
        for (const file of [inProject, vendored]) {
            writeFileSync(file, "const answer: number = 42;\nexport = answer;\n");
        }
        const load = (file: string) =>
            spawnSync(process.execPath, ["--require", "./program/fastStart.js", "-p", `require(${JSON.stringify(file)})`], { cwd: ROOT, encoding: "utf8" });
        const compiled = load(inProject);
        assert.equal(compiled.stdout.trim(), "42", compiled.stderr);
        // Node's own loader refuses TypeScript under node_modules: the hook left this file to it.
        const left = load(vendored);
        assert.notEqual(left.status, 0);
        assert.match(left.stderr, /ERR_UNSUPPORTED_NODE_MODULES_TYPE_STRIPPING/);
    });
});
