/**
 * The API reference is generated from the TSDoc of components/index.ts by TypeDoc (`npm run docs:api`
 * writes docs/api/, which git ignores). This suite runs TypeDoc's validation without writing any
 * output (`--emit none`, as `npm run docs:check` does) and fails when an exported declaration has no
 * TSDoc or a `{@link}` is broken (typedoc.json's `validation` with `treatWarningsAsErrors`). Type
 * errors are the type check's job (`--skipErrorChecking`). The check is shown able to fail on a small
 * project with one undocumented export, validated with the same typedoc.json.
 */
import { strict as assert } from "assert";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "../..");

/** The package's bin (its exports do not include bin/), as the npm scripts run it. */
const TYPEDOC_BIN = path.join(path.dirname(require.resolve("typedoc/package.json")), "bin/typedoc");

/** Runs TypeDoc's validation only, in `cwd`; returns its exit status and output. */
function validate(cwd: string): { status: number | null; output: string } {
    const result = spawnSync(process.execPath, [TYPEDOC_BIN, "--emit", "none", "--skipErrorChecking"], { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
    return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** The warnings and errors of a TypeDoc run. */
const problems = (output: string) =>
    output
        .split("\n")
        .filter((line) => /warning|error/.test(line))
        .join("\n");

describe("package: API reference (TypeDoc validation, no output written)", function () {
    this.timeout(300_000);

    it("finds TSDoc on every exported declaration and no broken link", () => {
        const run = validate(ROOT);
        assert.equal(run.status, 0, problems(run.output));
    });

    it("the check fails on an undocumented export, naming it", () => {
        const dir = mkdtempSync(path.join(os.tmpdir(), "typedoc-check-"));
        try {
            writeFileSync(path.join(dir, "index.ts"), "/** Documented. */\nexport const documented = 1;\nexport const undocumented = 2;\n");
            writeFileSync(
                path.join(dir, "tsconfig.json"),
                JSON.stringify({ compilerOptions: { strict: true, module: "commonjs", target: "ES2022", types: [] }, include: ["index.ts"] }),
            );
            // The project's own options (validation, required kinds, warnings as errors), pointed at this project.
            writeFileSync(path.join(dir, "typedoc.json"), JSON.stringify({ extends: [path.join(ROOT, "typedoc.json")], entryPoints: ["index.ts"], tsconfig: "tsconfig.json" }));
            const run = validate(dir);
            assert.notEqual(run.status, 0, run.output);
            assert.match(run.output, /undocumented \(Variable\), defined in .*index\.ts, does not have any documentation/);
            assert.doesNotMatch(run.output, /(^|\s)documented \(Variable\)/m);
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });
});
