/**
 * The IAM evaluator used by the access proof is AGPL-licensed (@cloud-copilot/*): it may serve tests
 * and dev scripts only. This suite checks that nothing AGPL is reachable from what the package ships:
 *
 * - the import closure of the published entry points (package.json main/types/exports/bin, mapped
 *   from dist/ back to their TypeScript sources, plus components/index.ts and scripts/verify/cli.ts),
 *   and every source file the `files` field publishes, import no AGPL package (and `files` is set);
 * - the JavaScript the build emits, transpiled in memory from the current sources as
 *   tsconfig.build.json compiles them, requires no AGPL package. dist/ is gitignored and rebuilt by
 *   the package test, which `npm run test:package` runs before this suite; run alone, dist/ may be
 *   stale: it is checked too, but only when every file in it is newer than every source it is built
 *   from; otherwise that test is reported pending with the reason;
 * - the npm dependency closure of `dependencies` and `peerDependencies` holds no AGPL package, and the
 *   AGPL packages are devDependencies only.
 *
 * The checks are shown able to fail: on the access-report script and the access proof, which do
 * import the evaluator, and on a stand-in build output with an AGPL require, stale or incomplete.
 */
import * as assert from "node:assert/strict";
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import * as ts from "typescript";

const ROOT = resolve(__dirname, "../..");
const AGPL = /AGPL/i;

interface Manifest {
    name?: string;
    license?: string | { type?: string };
    licenses?: Array<{ type?: string }>;
    main?: string;
    types?: string;
    exports?: unknown;
    bin?: string | Record<string, string>;
    files?: string[];
    dependencies?: Record<string, string>;
    peerDependencies?: Record<string, string>;
    optionalDependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
}

const readManifest = (file: string): Manifest => JSON.parse(readFileSync(file, "utf8"));
const manifest = readManifest(join(ROOT, "package.json"));

/** A package's license; `SEE LICENSE IN FILE` is resolved by reading the file for the Affero license. */
function licenseOf(pkg: Manifest, dir?: string): string {
    if (typeof pkg.license === "string") {
        const file = /^SEE LICENSE IN (.+)$/i.exec(pkg.license)?.[1];
        if (file && dir && existsSync(join(dir, file))) {
            return /Affero/i.test(readFileSync(join(dir, file), "utf8")) ? `AGPL (${pkg.license})` : pkg.license;
        }
        return pkg.license;
    }
    if (pkg.license && typeof pkg.license === "object") {
        return pkg.license.type ?? "";
    }
    return (pkg.licenses ?? []).map((l) => l.type ?? "").join(" OR ");
}

/** The directory of an installed package as Node would find it from `fromDir`, or undefined. */
function packageDir(name: string, fromDir: string): string | undefined {
    for (let dir = fromDir; ; dir = dirname(dir)) {
        const candidate = join(dir, "node_modules", name, "package.json");
        if (existsSync(candidate)) {
            return dirname(candidate);
        }
        if (dir === dirname(dir)) {
            return undefined;
        }
    }
}

/** The package a bare import specifier names, or undefined for relative paths and Node built-ins. */
function packageOf(specifier: string): string | undefined {
    if (specifier.startsWith(".") || specifier.startsWith("/") || specifier.startsWith("node:")) {
        return undefined;
    }
    const parts = specifier.split("/");
    const name = specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
    return builtinModules.includes(name) ? undefined : name;
}

/** The file a relative import resolves to, trying the TypeScript and JavaScript extensions. */
function resolveRelative(fromFile: string, specifier: string): string | undefined {
    const base = resolve(dirname(fromFile), specifier);
    const candidates = [base, `${base}.ts`, `${base}.tsx`, `${base}.d.ts`, `${base}.js`, `${base}.cjs`, join(base, "index.ts"), join(base, "index.js")];
    return candidates.find((c) => existsSync(c) && statSync(c).isFile() && !/\.json$/.test(c));
}

/** Every import, export-from, require() and import() specifier of a source or JavaScript file. */
function specifiersOf(file: string): string[] {
    return ts.preProcessFile(readFileSync(file, "utf8"), true, true).importedFiles.map((f) => f.fileName);
}

/** The files reachable from the entries through relative imports, and the packages they import (package -> importing files). */
function importClosure(entries: readonly string[]): { files: Set<string>; packages: Map<string, Set<string>> } {
    const files = new Set<string>();
    const packages = new Map<string, Set<string>>();
    const queue = [...entries];
    while (queue.length > 0) {
        const file = queue.pop()!;
        if (files.has(file)) {
            continue;
        }
        files.add(file);
        for (const specifier of specifiersOf(file)) {
            const pkg = packageOf(specifier);
            if (pkg) {
                packages.set(pkg, (packages.get(pkg) ?? new Set()).add(relative(ROOT, file)));
            } else if (specifier.startsWith(".")) {
                const target = resolveRelative(file, specifier);
                if (target) {
                    queue.push(target);
                }
            }
        }
    }
    return { files, packages };
}

/** The installed packages reachable from the given dependencies, each with its license. */
function dependencyClosure(dependencies: readonly string[], fromDir = ROOT): Map<string, { license: string; dir: string; via: string }> {
    const found = new Map<string, { license: string; dir: string; via: string }>();
    const queue = dependencies.map((name) => ({ name, fromDir, via: name }));
    while (queue.length > 0) {
        const { name, fromDir: from, via } = queue.shift()!;
        const dir = packageDir(name, from);
        if (!dir || found.has(dir)) {
            continue; // an optional peer that is not installed, or already seen
        }
        const pkg = readManifest(join(dir, "package.json"));
        found.set(dir, { license: licenseOf(pkg, dir), dir, via });
        for (const next of Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies, ...pkg.peerDependencies })) {
            queue.push({ name: next, fromDir: dir, via: `${via} > ${next}` });
        }
    }
    return found;
}

/** Whether an installed package (found from the project root) is AGPL-licensed. */
function isAgplPackage(name: string): boolean {
    const dir = packageDir(name, ROOT);
    return dir !== undefined && AGPL.test(licenseOf(readManifest(join(dir, "package.json")), dir));
}

/** String leaves of package.json `exports`. */
function exportTargets(value: unknown): string[] {
    if (typeof value === "string") {
        return [value];
    }
    if (value && typeof value === "object") {
        return Object.values(value).flatMap(exportTargets);
    }
    return [];
}

/** A published path (e.g. `dist/components/index.js`) mapped back to its TypeScript source. */
function sourceOf(published: string): string | undefined {
    const path = published.replace(/^\.\//, "");
    if (/\.json$/.test(path)) {
        return undefined;
    }
    const stripped = path.replace(/^dist\//, "").replace(/(\.d)?\.(c|m)?(js|ts)$/, "");
    const candidate = join(ROOT, `${stripped}.ts`);
    return existsSync(candidate) ? candidate : undefined;
}

let buildSourcesCache: { options: ts.CompilerOptions; sources: string[] } | undefined;

/** What tsconfig.build.json compiles: its options, and every TypeScript source it emits (its files and the local files they import). */
function buildSources(): { options: ts.CompilerOptions; sources: string[] } {
    if (buildSourcesCache) {
        return buildSourcesCache;
    }
    const parsed = ts.getParsedCommandLineOfConfigFile(
        join(ROOT, "tsconfig.build.json"),
        {},
        {
            ...ts.sys,
            onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
                throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n"));
            },
        },
    );
    assert.ok(parsed, "tsconfig.build.json parses");
    const { files } = importClosure(parsed.fileNames.map((f) => resolve(f)));
    buildSourcesCache = { options: parsed.options, sources: [...files].filter((f) => /\.ts$/.test(f) && !/\.d\.ts$/.test(f)).sort() };
    return buildSourcesCache;
}

/** The JavaScript tsconfig.build.json's options emit for a TypeScript source, without type checking. */
function emit(source: string, fileName: string, options: ts.CompilerOptions): string {
    return ts.transpileModule(source, { fileName, compilerOptions: { ...options, sourceMap: false, inlineSources: false, declaration: false } }).outputText;
}

/** The packages a TypeScript file requires once emitted as JavaScript (type-only imports are gone there). */
function requiredAfterEmit(file: string, options: ts.CompilerOptions, source = readFileSync(file, "utf8")): string[] {
    const js = emit(source, file, options);
    return ts
        .preProcessFile(js, true, true)
        .importedFiles.map((f) => packageOf(f.fileName))
        .filter((p): p is string => p !== undefined);
}

/** The paths package.json publishes as entry points (main, types, exports, bin). */
const published = [
    manifest.main,
    manifest.types,
    ...exportTargets(manifest.exports),
    ...(typeof manifest.bin === "string" ? [manifest.bin] : Object.values(manifest.bin ?? {})),
].filter((p): p is string => typeof p === "string");

function walk(dir: string, keep: (file: string) => boolean): string[] {
    if (!existsSync(dir)) {
        return [];
    }
    return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const path = join(dir, entry.name);
        return entry.isDirectory() ? walk(path, keep) : keep(path) ? [path] : [];
    });
}

/** The AGPL packages among `names` (or any @cloud-copilot package, installed or not). */
function agplAmong(names: Iterable<string>): string[] {
    return [...new Set(names)].filter((name) => isAgplPackage(name) || name.startsWith("@cloud-copilot/"));
}

/**
 * Checks a build output directory (`dist/`, or a stand-in in the tests) against the current sources:
 * `stale` when it lacks the output of a source or any JavaScript in it is not newer than every source
 * and tsconfig file (then it says nothing about the current sources); else the AGPL packages its
 * JavaScript requires (published entry points, every emitted file, every file under `files`).
 */
function checkBuildOutput(outDir: string, sources: readonly string[]): { stale: string } | { agpl: string[] } {
    if (!existsSync(outDir)) {
        return { stale: "not built" };
    }
    const inOutDir = (path: string) => join(outDir, path.replace(/^\.\//, "").replace(/^dist\//, ""));
    const emitted = sources.map((file) => inOutDir(relative(ROOT, file).replace(/\.ts$/, ".js")));
    const missing = emitted.filter((file) => !existsSync(file)).map((f) => relative(outDir, f));
    if (missing.length > 0) {
        return { stale: `it lacks ${missing.slice(0, 3).join(", ")}${missing.length > 3 ? ` and ${missing.length - 3} more` : ""}` };
    }
    const publishedDirs = (manifest.files ?? ["dist/"]).filter((entry) => /^(\.\/)?dist\//.test(entry)).map(inOutDir);
    const shipped = [...new Set([...emitted, ...publishedDirs.flatMap((dir) => walk(dir, (f) => /\.(c|m)?js$/.test(f)))])];
    const inputs = [...sources, join(ROOT, "tsconfig.json"), join(ROOT, "tsconfig.build.json")];
    const newestInput = inputs.reduce((newest, file) => (statSync(file).mtimeMs > statSync(newest).mtimeMs ? file : newest));
    const oldestOutput = shipped.reduce((oldest, file) => (statSync(file).mtimeMs < statSync(oldest).mtimeMs ? file : oldest));
    if (statSync(oldestOutput).mtimeMs <= statSync(newestInput).mtimeMs) {
        return { stale: `${relative(outDir, oldestOutput)} is older than ${relative(ROOT, newestInput)}` };
    }
    const entryPoints = published.map(inOutDir).filter((p) => /\.(c|m)?js$/.test(p));
    const { packages } = importClosure([...entryPoints, ...shipped]);
    return { agpl: agplAmong(packages.keys()) };
}

describe("AGPL boundary: nothing the package ships reaches the AGPL-licensed IAM evaluator", function () {
    this.timeout(120_000);

    const entries = new Set<string>();
    for (const path of published) {
        const source = sourceOf(path);
        if (source) {
            entries.add(source);
        }
    }
    for (const named of ["components/index.ts", "scripts/verify/cli.ts"]) {
        if (existsSync(join(ROOT, named))) {
            entries.add(join(ROOT, named));
        } else {
            console.log(`      (skipped entry ${named}: not present in this tree)`);
        }
    }

    it("knows which installed packages are AGPL: the @cloud-copilot evaluator is", function () {
        for (const name of ["@cloud-copilot/iam-simulate", "@cloud-copilot/iam-policy", "@cloud-copilot/iam-expand"]) {
            assert.ok(isAgplPackage(name), `${name} should be installed and AGPL-licensed`);
        }
    });

    it("the AGPL packages are devDependencies only", function () {
        const shippedDependencies = Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies, ...manifest.optionalDependencies });
        assert.deepEqual(shippedDependencies.filter(isAgplPackage), []);
        assert.ok(Object.keys(manifest.devDependencies ?? {}).some(isAgplPackage), "the evaluator is a devDependency");
    });

    it("the published entry points resolve to sources", function () {
        assert.ok(entries.has(join(ROOT, "components/index.ts")));
        for (const path of published) {
            assert.ok(path.endsWith(".json") || sourceOf(path), `${path} maps to no TypeScript source`);
        }
    });

    it("the import closure of the published entry points imports no AGPL package", function () {
        const { files, packages } = importClosure([...entries]);
        assert.ok(files.size > 5, `only ${files.size} files reached from ${[...entries].join(", ")}`);
        const agpl = [...packages.entries()].filter(([name]) => isAgplPackage(name) || name.startsWith("@cloud-copilot/"));
        assert.deepEqual(
            agpl.map(([name, from]) => `${name} <- ${[...from].join(", ")}`),
            [],
        );
    });

    it("no file the `files` field publishes imports an AGPL package", function () {
        // Without `files`, npm would publish every file: accessproof/ and the access-report script with it.
        assert.ok(manifest.files && manifest.files.length > 0, "package.json has no `files` field: npm would publish accessproof/ too");
        const sources = manifest.files!.flatMap((entry) => {
            const dir = join(ROOT, entry.replace(/^\.\//, "").replace(/^dist\//, ""));
            return walk(dir, (f) => /\.ts$/.test(f) && !/\.(spec|test)\.ts$/.test(f));
        });
        assert.ok(sources.length > 0, `no sources behind ${manifest.files!.join(", ")}`);
        const offenders = sources.filter((file) =>
            specifiersOf(file)
                .map(packageOf)
                .some((pkg) => pkg !== undefined && (isAgplPackage(pkg) || pkg.startsWith("@cloud-copilot/"))),
        );
        assert.deepEqual(
            offenders.map((f) => relative(ROOT, f)),
            [],
        );
    });

    it("the JavaScript the build emits, transpiled in memory from the current sources, requires no AGPL package", function () {
        const { options, sources } = buildSources();
        for (const entry of entries) {
            assert.ok(sources.includes(entry), `the build does not compile ${relative(ROOT, entry)}`);
        }
        const required = new Map<string, string[]>();
        for (const file of sources) {
            for (const pkg of requiredAfterEmit(file, options)) {
                required.set(pkg, [...(required.get(pkg) ?? []), relative(ROOT, file)]);
            }
        }
        assert.ok(required.has("@pulumi/pulumi"), "the emitted components require @pulumi/pulumi");
        assert.deepEqual(
            agplAmong(required.keys()).map((name) => `${name} <- ${required.get(name)!.join(", ")}`),
            [],
        );
    });

    it("dist/, when it is newer than every source it is built from, requires no AGPL package", function () {
        const result = checkBuildOutput(join(ROOT, "dist"), buildSources().sources);
        if ("stale" in result) {
            console.log(`      (dist/ not checked: ${result.stale}; run npm run build to check it too. The in-memory transpilation above covers the current sources.)`);
            this.skip();
        }
        assert.deepEqual(result.agpl, []);
    });

    it("the npm dependency closure of dependencies and peerDependencies holds no AGPL package", function () {
        const closure = dependencyClosure(Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies, ...manifest.optionalDependencies }));
        assert.ok(closure.size > 20, `only ${closure.size} packages in the closure: is node_modules installed?`);
        const agpl = [...closure.values()].filter((p) => AGPL.test(p.license)).map((p) => `${p.via} (${p.license})`);
        assert.deepEqual(agpl, []);
    });

    describe("the checks can fail", function () {
        it("the import closure of the access-report script reaches the evaluator", function () {
            const { packages } = importClosure([join(ROOT, "scripts/accessReport.ts")]);
            const agpl = [...packages.keys()].filter(isAgplPackage).sort();
            // iam-data is MIT; the other three are AGPL.
            assert.deepEqual(agpl, ["@cloud-copilot/iam-expand", "@cloud-copilot/iam-policy", "@cloud-copilot/iam-simulate"]);
        });

        it("the access proof's emitted JavaScript requires the evaluator; type-only imports are gone", function () {
            const { options } = buildSources();
            const required = requiredAfterEmit(join(ROOT, "accessproof/evaluate.ts"), options);
            assert.deepEqual(agplAmong(required), ["@cloud-copilot/iam-simulate"]);
            const typeOnly = 'import type { Simulation } from "@cloud-copilot/iam-simulate";\nexport type S = Simulation;\n';
            assert.deepEqual(requiredAfterEmit(join(ROOT, "typeOnly.ts"), options, typeOnly), []);
        });

        it("a build output is checked only when newer than the sources, and then finds an AGPL require", function () {
            const { options, sources } = buildSources();
            const outDir = mkdtempSync(join(tmpdir(), "agpl-dist-"));
            try {
                for (const file of sources) {
                    const out = join(outDir, relative(ROOT, file).replace(/\.ts$/, ".js"));
                    mkdirSync(dirname(out), { recursive: true });
                    writeFileSync(out, emit(readFileSync(file, "utf8"), file, options));
                }
                assert.deepEqual(checkBuildOutput(outDir, sources), { agpl: [] });
                appendFileSync(join(outDir, "components/index.js"), 'require("@cloud-copilot/iam-simulate");\n');
                assert.deepEqual(checkBuildOutput(outDir, sources), { agpl: ["@cloud-copilot/iam-simulate"] });
                const old = new Date(statSync(join(ROOT, "tsconfig.build.json")).mtimeMs - 1000);
                utimesSync(join(outDir, "components/index.js"), old, old);
                assert.match((checkBuildOutput(outDir, sources) as { stale: string }).stale, /^components\/index\.js is older than /);
                rmSync(join(outDir, "components/index.js"));
                assert.deepEqual(checkBuildOutput(outDir, sources), { stale: "it lacks components/index.js" });
            } finally {
                rmSync(outDir, { recursive: true, force: true });
            }
        });

        it("a dependency on the evaluator would put AGPL packages in the npm closure", function () {
            const closure = dependencyClosure(["@cloud-copilot/iam-simulate"]);
            const agpl = [...closure.values()].filter((p) => AGPL.test(p.license)).map((p) => p.via);
            assert.ok(agpl.includes("@cloud-copilot/iam-simulate"));
            assert.ok(
                agpl.some((via) => via.includes(" > ")),
                "and its AGPL dependencies with it",
            );
        });
    });
});
