/**
 * The package test (`npm run test:package`): packs this package as npm would publish it, installs the
 * tarball into a fresh Pulumi TypeScript project outside the repository (test/package/consumer/: its
 * own package.json, Pulumi.yaml, programs and mocha mocks test), and checks there that
 *
 * - the tarball holds only the compiled components, verify script and audit (no test/, program/, sources),
 *   and nothing it depends on, directly or not, is under the GPL family (the AGPL IAM evaluator stays out);
 * - `cross-account-bucket-access` resolves to the shipped `.d.ts` under TypeScript's node10, node16 and
 *   bundler resolution, and the consumer's `tsc --noEmit` passes;
 * - requiring the package registers no resource, makes no invoke and reads no config;
 * - the `cross-account-s3-verify` and `cross-account-s3-audit` commands are installed and run (the audit's
 *   AWS IAM client is a dependency of the package, not of this repository alone);
 * - the consumer's own mocha test passes: its two providers, its names, each side on its provider.
 *
 * The consumer pins @pulumi/pulumi, @pulumi/aws, typescript, mocha and tsx to this repository's
 * devDependencies, so they never drift. `-- --lowest-peers` (`npm run test:package:lowest-peers`)
 * pins the peers to the floors of package.json's peer ranges instead, with the newest TypeScript
 * that floor admits (LOWEST_PEERS_TYPESCRIPT). Other versions: CONSUMER_PULUMI_VERSION,
 * CONSUMER_AWS_VERSION, CONSUMER_TYPESCRIPT_VERSION.
 * `-- --keep` keeps the temporary folder. npm installs with --prefer-offline (the cache serves it).
 */
import { spawnSync, SpawnSyncOptions } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as ts from "typescript";

const ROOT = path.resolve(__dirname, "../..");
const TEMPLATE = path.join(__dirname, "consumer");
const manifest = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8"));
const PACKAGE = manifest.name as string;
const BIN = "cross-account-s3-verify";
const AUDIT_BIN = "cross-account-s3-audit";

/**
 * The newest TypeScript that @pulumi/pulumi at its peer floor accepts (3.142.0: `typescript >= 3.8.3 < 6`);
 * a consumer on that floor cannot install this repository's TypeScript 6.
 */
const LOWEST_PEERS_TYPESCRIPT = "5.9.3";

/** The version a caret peer range starts at (`^3.142.0` -> `3.142.0`). */
function peerFloor(name: string): string {
    const range = (manifest.peerDependencies as Record<string, string>)[name];
    const match = /^\^(\d+\.\d+\.\d+)$/.exec(range ?? "");
    if (!match) {
        throw new Error(`peerDependencies["${name}"] is ${JSON.stringify(range)}, not a caret range`);
    }
    return match[1];
}

/** What may ship: the compiled components and verify script, and the files npm always adds. */
const SHIPPED = /^(package\.json|README\.md|LICENSE|dist\/components\/[^/]+\.(js|d\.ts|js\.map)|dist\/scripts\/(verify|audit)\/[^/]+\.(js|d\.ts|js\.map))$/;

interface Outcome {
    readonly name: string;
    readonly ok: boolean;
    readonly seconds: number;
    readonly detail?: string;
}

const outcomes: Outcome[] = [];

/** Runs one named step; a thrown error fails the step (and the run), and its message is reported. */
function step(name: string, body: () => string | void): boolean {
    const started = Date.now();
    process.stdout.write(`\n== ${name}\n`);
    try {
        const detail = body() ?? undefined;
        outcomes.push({ name, ok: true, seconds: (Date.now() - started) / 1000, detail });
        process.stdout.write(`ok (${((Date.now() - started) / 1000).toFixed(1)} s)${detail ? `: ${detail}` : ""}\n`);
        return true;
    } catch (error) {
        const detail = error instanceof Error ? error.message : String(error);
        outcomes.push({ name, ok: false, seconds: (Date.now() - started) / 1000, detail });
        process.stdout.write(`FAILED: ${detail}\n`);
        return false;
    }
}

function check(condition: unknown, message: string): asserts condition {
    if (!condition) {
        throw new Error(message);
    }
}

/**
 * The environment for npm in the consumer: without the `npm_*` variables of the `npm run` that started
 * this script (npm_config_local_prefix would point the consumer's npm at this repository), but keeping
 * the user's cache, registry and config files.
 */
function consumerEnv(): NodeJS.ProcessEnv {
    const keep = new Set(["npm_config_cache", "npm_config_registry", "npm_config_userconfig", "npm_config_globalconfig"]);
    const env: NodeJS.ProcessEnv = {};
    for (const [key, value] of Object.entries(process.env)) {
        if (!/^npm_/i.test(key) || keep.has(key.toLowerCase())) {
            env[key] = value;
        }
    }
    delete env.INIT_CWD;
    return env;
}

/** Runs a command; fails with its output when it exits non-zero. `echo` streams the output through. */
function run(command: string, args: string[], options: SpawnSyncOptions & { echo?: boolean } = {}): string {
    const result = spawnSync(command, args, { encoding: "utf8", maxBuffer: 64 * 1024 * 1024, ...options, stdio: ["ignore", "pipe", "pipe"] });
    const stdout = String(result.stdout ?? "");
    const stderr = String(result.stderr ?? "");
    if (options.echo) {
        process.stdout.write(stdout);
        process.stdout.write(stderr);
    }
    if (result.error || result.status !== 0) {
        const tail = (stdout + stderr).split("\n").slice(-40).join("\n");
        throw new Error(`${command} ${args.join(" ")} exited ${result.status ?? result.error?.message}\n${tail}`);
    }
    return stdout;
}

/** The folder of package `name` as Node would find it from `fromDir` (walking up the node_modules folders). */
function packageDir(name: string, fromDir: string): string | undefined {
    for (let dir = fromDir; ; dir = path.dirname(dir)) {
        const candidate = path.join(dir, "node_modules", name);
        if (existsSync(path.join(candidate, "package.json"))) {
            return candidate;
        }
        if (path.dirname(dir) === dir) {
            return undefined;
        }
    }
}

/** Every package the installed package needs at run time (dependencies, peers, optionals), with its license. */
function runtimeClosure(rootDir: string): Map<string, string> {
    const licenses = new Map<string, string>();
    const queue = [rootDir];
    const visited = new Set<string>();
    while (queue.length > 0) {
        const dir = queue.shift()!;
        if (visited.has(dir)) {
            continue;
        }
        visited.add(dir);
        const pkg = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8"));
        const license = typeof pkg.license === "string" ? pkg.license : JSON.stringify(pkg.license ?? pkg.licenses ?? "UNKNOWN");
        licenses.set(`${pkg.name}@${pkg.version}`, license);
        const needed = { ...pkg.dependencies, ...pkg.peerDependencies, ...pkg.optionalDependencies };
        for (const name of Object.keys(needed)) {
            const found = packageDir(name, dir);
            if (found) {
                queue.push(found);
            } else if (!pkg.optionalDependencies?.[name] && !pkg.peerDependenciesMeta?.[name]?.optional) {
                throw new Error(`${pkg.name} needs ${name}, which is not installed`);
            }
        }
    }
    return licenses;
}

function main(): number {
    const keep = process.argv.includes("--keep");
    const lowestPeers = process.argv.includes("--lowest-peers");
    const started = Date.now();
    const work = mkdtempSync(path.join(os.tmpdir(), "cross-account-s3-package-"));
    const consumer = path.join(work, "acme-reports");
    let tarball = "";
    let files: string[] = [];
    process.stdout.write(`package test in ${work}\n`);

    try {
        const packed = step("npm pack (prepack builds dist/)", () => {
            const stdout = run("npm", ["pack", "--json", "--pack-destination", work], { cwd: ROOT });
            // npm prints the prepack script's output before the JSON on some versions.
            const report = JSON.parse(stdout.slice(stdout.indexOf("[")))[0];
            tarball = path.join(work, report.filename);
            files = report.files.map((f: { path: string }) => f.path).sort();
            return `${report.filename}, ${files.length} files, ${(report.size / 1024).toFixed(0)} KiB`;
        });
        if (!packed) {
            return 1;
        }

        step("the tarball holds only the compiled components, verify script and audit", () => {
            const stray = files.filter((f) => !SHIPPED.test(f));
            check(stray.length === 0, `unexpected files: ${stray.join(", ")}`);
            for (const needed of [manifest.main, manifest.types, `${manifest.main}.map`, manifest.bin[BIN], manifest.bin[AUDIT_BIN], "package.json"]) {
                check(files.includes(needed), `missing ${needed}`);
            }
            check(!files.some((f) => /^(test|program|policy|bench|scripts\/emulator)\//.test(f) || /(^|\/)[^/]+(?<!\.d)\.ts$/.test(f)), "sources or tests shipped");
        });

        step("create the consumer project (outside the repository)", () => {
            mkdirSync(consumer, { recursive: true });
            check(!path.relative(ROOT, consumer).match(/^[^.]/), "the consumer must live outside the repository");
            const dev = manifest.devDependencies as Record<string, string>;
            const pin = (name: string) => {
                check(dev[name], `${name} is not a devDependency of the root package`);
                return dev[name];
            };
            const pkg = {
                name: "acme-reports",
                version: "1.0.0",
                private: true,
                description: "A consumer of the packed cross-account-bucket-access.",
                scripts: { test: "mocha" },
                dependencies: {
                    [PACKAGE]: `file:${tarball}`,
                    "@pulumi/pulumi": process.env.CONSUMER_PULUMI_VERSION || (lowestPeers ? peerFloor("@pulumi/pulumi") : pin("@pulumi/pulumi")),
                    "@pulumi/aws": process.env.CONSUMER_AWS_VERSION || (lowestPeers ? peerFloor("@pulumi/aws") : pin("@pulumi/aws")),
                },
                devDependencies: Object.fromEntries(["typescript", "mocha", "tsx", "@types/mocha", "@types/node"].map((name) => [name, pin(name)])),
            };
            pkg.devDependencies.typescript = process.env.CONSUMER_TYPESCRIPT_VERSION || (lowestPeers ? LOWEST_PEERS_TYPESCRIPT : pkg.devDependencies.typescript);
            writeFileSync(path.join(consumer, "package.json"), JSON.stringify(pkg, null, 2) + "\n");
            // The template's TypeScript files end in .tmpl so that this repository's tsc, eslint and mocha leave them alone.
            const copied: string[] = [];
            for (const file of readdirSync(TEMPLATE, { recursive: true, encoding: "utf8" })) {
                if (statSync(path.join(TEMPLATE, file)).isFile()) {
                    const target = file.replace(/\.tmpl$/, "");
                    mkdirSync(path.dirname(path.join(consumer, target)), { recursive: true });
                    cpSync(path.join(TEMPLATE, file), path.join(consumer, target));
                    copied.push(target);
                }
            }
            cpSync(path.join(__dirname, "importProbe.js"), path.join(consumer, "importProbe.js"));
            check(copied.filter((f) => f.endsWith(".ts")).length >= 4, `the consumer's TypeScript files: ${copied.join(", ")}`);
            return `${copied.sort().join(", ")}; @pulumi/pulumi ${pkg.dependencies["@pulumi/pulumi"]}, @pulumi/aws ${pkg.dependencies["@pulumi/aws"]}, typescript ${pkg.devDependencies.typescript}`;
        });

        const installed = step("npm install in the consumer (--prefer-offline)", () => {
            run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: consumer, env: consumerEnv() });
            check(existsSync(path.join(consumer, "node_modules", PACKAGE, manifest.main)), "the package is not installed in the consumer");
            // npm worked in the consumer, not in this repository (see consumerEnv).
            const lock = JSON.parse(readFileSync(path.join(consumer, "package-lock.json"), "utf8"));
            check(lock.name === "acme-reports" && lock.packages?.[`node_modules/${PACKAGE}`], "the consumer's lock file does not hold the package");
        });
        if (!installed) {
            return 1;
        }

        step("nothing the package needs at run time is under the GPL family", () => {
            const closure = runtimeClosure(path.join(consumer, "node_modules", PACKAGE));
            const gpl = [...closure].filter(([, license]) => /GPL/i.test(license));
            check(gpl.length === 0, `GPL-family packages: ${gpl.map(([name, license]) => `${name} (${license})`).join(", ")}`);
            check(![...closure.keys()].some((name) => name.startsWith("@cloud-copilot/")), "the IAM evaluator is in the run-time closure");
            const shipped = files.filter((f) => f.endsWith(".js")).map((f) => readFileSync(path.join(consumer, "node_modules", PACKAGE, f), "utf8"));
            check(!shipped.some((text) => text.includes("@cloud-copilot/")), "a shipped file requires @cloud-copilot/*");
            return `${closure.size} packages, none GPL`;
        });

        step("TypeScript resolves the package to its .d.ts (node10, node16, bundler)", () => {
            const host = ts.sys;
            const from = path.join(consumer, "index.ts");
            const expected = path.join(consumer, "node_modules", PACKAGE, manifest.types);
            const modes: [string, ts.CompilerOptions][] = [
                ["node10", { module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10 }],
                ["node16", { module: ts.ModuleKind.Node16, moduleResolution: ts.ModuleResolutionKind.Node16 }],
                ["bundler", { module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler }],
            ];
            for (const [mode, options] of modes) {
                const resolved = ts.resolveModuleName(PACKAGE, from, options, host).resolvedModule;
                check(resolved && path.resolve(resolved.resolvedFileName) === expected, `${mode}: resolved to ${resolved?.resolvedFileName}`);
            }
        });

        step("tsc --noEmit in the consumer", () => {
            run(process.execPath, [path.join(consumer, "node_modules/typescript/bin/tsc"), "--noEmit", "-p", "."], { cwd: consumer });
        });

        step("requiring the package registers nothing and reads no config", () => {
            const stdout = run(process.execPath, ["importProbe.js", PACKAGE], { cwd: consumer });
            const probe = JSON.parse(stdout.trim().split("\n").pop()!);
            check(probe.registered.length === 0, `registered: ${probe.registered.join(", ")}`);
            check(probe.invoked.length === 0, `invoked: ${probe.invoked.join(", ")}`);
            check(probe.configRead.length === 0, `read config: ${probe.configRead.join(", ")}`);
            for (const name of ["CrossAccountBucketAccess", "BucketAccessRole", "AssumeRoleUsers"]) {
                check(probe.exported.includes(name), `${name} is not exported`);
            }
        });

        step(`the ${BIN} command is installed and runs`, () => {
            const usage = run(path.join(consumer, "node_modules/.bin", BIN), ["--help"], { cwd: consumer, env: consumerEnv() });
            check(/--stack/.test(usage) && /--source-profile/.test(usage), `unexpected --help output: ${usage.slice(0, 200)}`);
        });

        step(`the ${AUDIT_BIN} command is installed and runs`, () => {
            const usage = run(path.join(consumer, "node_modules/.bin", AUDIT_BIN), ["--help"], { cwd: consumer, env: consumerEnv() });
            check(/--blue-profile/.test(usage) && /--green-profile/.test(usage), `unexpected --help output: ${usage.slice(0, 200)}`);
        });

        step("the consumer's mocha mocks test", () => {
            run(process.execPath, [path.join(consumer, "node_modules/mocha/bin/mocha.js")], { cwd: consumer, echo: true });
        });
    } finally {
        if (keep) {
            process.stdout.write(`\nkept ${work}\n`);
        } else {
            rmSync(work, { recursive: true, force: true });
        }
    }

    const failed = outcomes.filter((o) => !o.ok);
    process.stdout.write("\n== package test\n");
    for (const outcome of outcomes) {
        process.stdout.write(`${outcome.ok ? "ok  " : "FAIL"} ${outcome.seconds.toFixed(1).padStart(5)} s  ${outcome.name}\n`);
    }
    process.stdout.write(`total ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    process.stdout.write(`package: ${outcomes.length - failed.length} passed, ${failed.length} failed\n`);
    return failed.length === 0 ? 0 : 1;
}

process.exitCode = main();
