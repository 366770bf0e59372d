/**
 * The package as npm and Pulumi see it, checked without building or installing anything (fast; next
 * to the consumer test in `npm run test:package`): the manifest's entry points, what ships, the peer ranges, the bin, the program's entry
 * point, the README examples, and that importing the components does nothing. The AGPL boundary of
 * the dependencies is agplBoundary.spec.ts's; `npm run test:package` (consumerTest.ts) checks
 * all of it again from the packed tarball, installed in a consumer project.
 */
import { strict as assert } from "assert";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { load } from "js-yaml";

const ROOT = path.resolve(__dirname, "../..");
const manifest = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8"));

/** Where `tsc -p tsconfig.build.json` writes the JavaScript compiled from a source file. */
function compiledPath(source: string, extension: ".js" | ".d.ts"): string {
    return path.posix.join("dist", source.replace(/\.ts$/, extension));
}

/** Whether an exact version satisfies a caret range `^X.Y.Z` (the only form the peer ranges use). */
function satisfiesCaret(version: string, range: string): boolean {
    const parse = (v: string) => v.split(".").map(Number);
    const [major, minor, patch] = parse(version);
    const [rMajor, rMinor, rPatch] = parse(range.replace(/^\^/, ""));
    return major === rMajor && (minor > rMinor || (minor === rMinor && patch >= rPatch));
}

/** Reads `@pulumi/pulumi`'s choice of entry point: Pulumi.yaml's `main`, else package.json's exports or main. */
function pulumiEntryPoint(): string {
    const project = load(readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")) as { main?: string };
    if (project.main) {
        return project.main;
    }
    const exported = manifest.exports?.["."];
    return (typeof exported === "string" ? exported : exported?.default) ?? manifest.main ?? "index.ts";
}

describe("package: manifest", () => {
    it("points main, types and exports at the compiled components entry", () => {
        assert.equal(manifest.main, compiledPath("components/index.ts", ".js"));
        assert.equal(manifest.types, compiledPath("components/index.ts", ".d.ts"));
        const entry = manifest.exports["."];
        // Conditions match in order; `types` must come first or TypeScript may never read it.
        assert.deepEqual(Object.keys(entry), ["types", "default"]);
        assert.equal(entry.types, `./${manifest.types}`);
        assert.equal(entry.default, `./${manifest.main}`);
        assert.equal(manifest.exports["./package.json"], "./package.json");
        assert.equal(manifest.sideEffects, false);
    });

    it("compiles exactly the components, the verify script and the audit, the layout the entry points name", () => {
        const build = JSON.parse(readFileSync(path.join(ROOT, "tsconfig.build.json"), "utf8"));
        assert.deepEqual(build.include, ["components/**/*.ts", "scripts/verify/**/*.ts", "scripts/audit/**/*.ts"]);
        assert.equal(build.compilerOptions.rootDir, ".");
        assert.equal(build.compilerOptions.outDir, "dist");
        assert.equal(build.compilerOptions.declaration, true);
        assert.equal(build.compilerOptions.sourceMap, true);
        assert.deepEqual(manifest.files, ["dist/components/", "dist/scripts/verify/", "dist/scripts/audit/"]);
        assert.equal(manifest.scripts.prepack, "npm run build");
    });

    it("installs the verify script and the audit as commands whose sources start with a node shebang", () => {
        assert.deepEqual(Object.keys(manifest.bin), ["cross-account-s3-verify", "cross-account-s3-audit"]);
        for (const [command, source] of [
            ["cross-account-s3-verify", "scripts/verify/bin.ts"],
            ["cross-account-s3-audit", "scripts/audit/bin.ts"],
        ]) {
            assert.equal(manifest.bin[command], compiledPath(source, ".js"));
            const text = readFileSync(path.join(ROOT, source), "utf8");
            assert.ok(text.startsWith("#!/usr/bin/env node\n"), `${source}: the shebang must be the first line (tsc keeps it)`);
        }
    });

    it("takes @pulumi/pulumi and @pulumi/aws as peers, in ranges that hold the versions the tests run", () => {
        for (const name of ["@pulumi/pulumi", "@pulumi/aws"]) {
            const range: string = manifest.peerDependencies[name];
            assert.match(range, /^\^\d+\.\d+\.\d+$/, `${name}: a caret range`);
            const tested: string = manifest.devDependencies[name];
            assert.ok(satisfiesCaret(tested, range), `${name}: the tested ${tested} is outside ${range}`);
            assert.equal(manifest.dependencies?.[name], undefined, `${name} must not also be a dependency`);
        }
        assert.ok(manifest.engines.node, "engines.node is set");
    });

    it("leaves the program's entry point to Pulumi.yaml, not to the library's main (pulumi/pulumi#13916)", () => {
        // @pulumi/pulumi runs package.json's exports["."] or main when Pulumi.yaml names no main. Those now
        // name the library, which creates nothing: `pulumi up` would then delete every resource of the stack.
        assert.equal(pulumiEntryPoint(), "index.ts", "Pulumi.yaml needs `main: index.ts`");
        assert.ok(existsSync(path.join(ROOT, "index.ts")));
    });

    it("shows in docs/consuming.md exactly the consumer programs that the package test compiles and runs", () => {
        const guide = readFileSync(path.join(ROOT, "docs/consuming.md"), "utf8");
        const blocks = [...guide.matchAll(/<!-- checked: (\S+) -->\n```ts\n([\s\S]*?)```/g)];
        assert.ok(blocks.length >= 3, "the examples are marked <!-- checked: FILE -->");
        for (const [, file, code] of blocks) {
            assert.equal(code, readFileSync(path.join(ROOT, file), "utf8"), `docs/consuming.md differs from ${file}`);
        }
    });

    it("registers no resource, makes no invoke and reads no config when the components are imported", function () {
        this.timeout(60_000);
        const output = execFileSync(process.execPath, ["--require", "tsx/cjs", path.join(__dirname, "importProbe.js"), path.join(ROOT, "components/index.ts")], {
            cwd: ROOT,
            encoding: "utf8",
        });
        const probe = JSON.parse(output.trim().split("\n").pop()!);
        assert.deepEqual({ registered: probe.registered, invoked: probe.invoked, configRead: probe.configRead }, { registered: [], invoked: [], configRead: [] });
        // The deliberate public API: these values (and their types), nothing else.
        assert.deepEqual(probe.exported, ["AssumeRoleUsers", "BucketAccessRole", "CrossAccountBucketAccess", "InvalidArgumentsError", "TYPE_TOKENS"]);
    });

    it("exports by name only: no `export *` in the package entry", () => {
        const entry = readFileSync(path.join(ROOT, "components/index.ts"), "utf8");
        assert.doesNotMatch(entry, /export \*/);
        assert.equal(manifest.version, "0.2.0");
        assert.match(readFileSync(path.join(ROOT, "CHANGELOG.md"), "utf8"), /^## 0\.2\.0$[\s\S]*### Breaking changes/m);
    });
});
