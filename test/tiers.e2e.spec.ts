/**
 * The test tiers (test/tiers/tiers.cjs) split the suites without losing or repeating one: every
 * test of test/**\/*.spec.ts is in exactly one of unit, e2e (whole files, and suites of unit files
 * picked by title) and package, and every title pattern still picks a test (a renamed suite would
 * otherwise drift into the unit tier unnoticed). Each tier is listed by mocha itself (`--dry-run`).
 */
import { strict as assert } from "assert";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..");
const MOCHA = path.join(path.dirname(require.resolve("mocha/package.json")), "bin/mocha.js");

/** The tests mocha would run with these arguments, as `file :: full title`. */
function listed(args: string[]): string[] {
    const dir = mkdtempSync(path.join(os.tmpdir(), "tiers-"));
    try {
        const output = path.join(dir, "tests.json");
        const result = spawnSync(process.execPath, [MOCHA, ...args, "--dry-run", "--reporter", "json", "--reporter-option", `output=${output}`], { cwd: ROOT, encoding: "utf8" });
        assert.equal(result.status, 0, `mocha ${args.join(" ")}: ${result.stdout}${result.stderr}`);
        const report = JSON.parse(readFileSync(output, "utf8")) as { tests: Array<{ file: string; fullTitle: string }> };
        return report.tests.map((test) => `${path.relative(ROOT, test.file)} :: ${test.fullTitle}`);
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
}

describe("test tiers: every test in exactly one tier", function () {
    // Five mocha processes that load every spec: seconds each on a busy machine.
    this.timeout(600_000);

    it("unit, e2e (files and suites) and package together list every test once", () => {
        const all = listed(["test/**/*.spec.ts"]);
        const tiers = Object.fromEntries(["unit", "e2eFiles", "e2eSuites", "package"].map((tier) => [tier, listed(["--config", `test/tiers/${tier}.cjs`])]));
        assert.ok(all.length > 400, `only ${all.length} tests found`);
        for (const [tier, tests] of Object.entries(tiers)) {
            assert.ok(tests.length > 0, `the ${tier} tier is empty`);
        }
        const seen = Object.values(tiers).flat();
        const repeated = seen.filter((test, index) => seen.indexOf(test) !== index);
        assert.deepEqual(repeated, [], "tests in two tiers");
        assert.deepEqual([...seen].sort(), [...all].sort());
        // Each title pattern picks a test: the suites it names still exist under that title.
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { E2E_SUITES } = require("./tiers/tiers.cjs") as { E2E_SUITES: string[] };
        for (const pattern of E2E_SUITES) {
            assert.ok(
                tiers.e2eSuites.some((test) => new RegExp(`:: ${pattern}`).test(test)),
                `no test matches /${pattern}/`,
            );
        }
    });
});
