/**
 * The API reference in docs/api is generated from the TSDoc of components/index.ts by TypeDoc
 * (`npm run docs:api`, typedoc.json) and committed, so that it can be read in the repository and
 * reviewed in a diff. This suite regenerates it into a temporary folder and fails when
 *
 * - an exported declaration has no TSDoc, or a `{@link}` is broken (typedoc.json's `validation` with
 *   `treatWarningsAsErrors`), or
 * - docs/api differs from what the sources generate (run `npm run docs:api` and commit docs/api).
 */
import { strict as assert } from "assert";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "../..");
const COMMITTED = path.join(ROOT, "docs/api");

/** Every file below a folder, as sorted relative paths. */
function filesBelow(dir: string): string[] {
    return readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile())
        .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
        .sort();
}

describe("package: API reference (TypeDoc)", function () {
    this.timeout(120_000);
    let generated: string;
    let typedoc: { status: number | null; output: string };

    before(() => {
        generated = mkdtempSync(path.join(os.tmpdir(), "cross-account-s3-api-"));
        // The package's bin (its exports do not include bin/), as `npm run docs:api` runs it.
        const bin = path.join(path.dirname(require.resolve("typedoc/package.json")), "bin/typedoc");
        const result = spawnSync(process.execPath, [bin, "--out", generated], { cwd: ROOT, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
        typedoc = { status: result.status, output: `${result.stdout}${result.stderr}` };
    });

    after(() => rmSync(generated, { recursive: true, force: true }));

    it("finds TSDoc on every exported declaration and no broken link", () => {
        assert.equal(typedoc.status, 0, typedoc.output.split("\n").filter((line) => /warning|error/.test(line)).join("\n"));
    });

    it("matches the committed docs/api (else: npm run docs:api, and commit docs/api)", () => {
        const expected = filesBelow(generated);
        assert.deepEqual(filesBelow(COMMITTED), expected);
        for (const file of expected) {
            assert.equal(readFileSync(path.join(COMMITTED, file), "utf8"), readFileSync(path.join(generated, file), "utf8"), `docs/api/${file} is out of date`);
        }
    });
});
