/**
 * docs/audit.md shows what the code does: its table of calls and IAM actions, its two read-only
 * policies, and its `--help` text are generated from the code and must match it exactly
 * (the sample report is kept current by the moto suite). README points at the audit.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { USAGE } from "../scripts/audit/args";
import { main } from "../scripts/audit/cli";
import { callTableMarkdown, examplePoliciesJson } from "./support/auditDocsFragments";
import { auditReadPolicy } from "../scripts/audit/readOnlyPolicy";

const ROOT = join(__dirname, "..");

/** The text between `<!-- NAME:start -->` and `<!-- NAME:end -->` in a document, without a surrounding code fence. */
function section(text: string, name: string): string {
    const match = new RegExp(`<!-- ${name}:start -->\\n([\\s\\S]*?)<!-- ${name}:end -->`).exec(text);
    assert.ok(match, `the document has a section ${name}`);
    return match[1]
        .replace(/^```\w*\n/, "")
        .replace(/\n?```\n$/, "")
        .replace(/\n$/, "");
}

describe("audit: docs/audit.md", () => {
    const doc = readFileSync(join(ROOT, "docs/audit.md"), "utf8");

    it("shows the table of calls and IAM actions the code uses", () => {
        assert.equal(section(doc, "audit-calls"), callTableMarkdown());
    });

    it("shows the read-only policies the code renders", () => {
        const policies = examplePoliciesJson();
        assert.equal(section(doc, "audit-policy-blue"), policies.blue);
        assert.equal(section(doc, "audit-policy-green"), policies.green);
    });

    it("shows the --help text", () => {
        assert.equal(section(doc, "audit-usage"), USAGE.replace(/\n$/, ""));
    });

    it("--print-policy prints the read-only policy for the names given, without an AWS call, exit 0", async () => {
        let out = "";
        const code = await main(
            [
                "--print-policy",
                "blue",
                "--blue-account-id",
                "111111111111",
                "--green-account-id",
                "222222222222",
                "--bucket",
                "my-audited-bucket",
                "--region",
                "eu-west-1",
                "--role-name",
                "Other-Role",
                "--endpoint",
                "http://127.0.0.1:9",
            ],
            {
                env: {},
                stdout: (t) => {
                    out += t;
                },
            },
        );
        assert.equal(code, 0, out);
        assert.deepEqual(JSON.parse(out), auditReadPolicy("blue", { accountId: "111111111111", roleName: "Other-Role", bucketName: "my-audited-bucket" }));
    });

    it("README has an Audit section pointing at docs/audit.md", () => {
        const readme = readFileSync(join(ROOT, "README.md"), "utf8");
        assert.match(readme, /^## Audit$/m);
        assert.match(readme, /\(docs\/audit\.md\)/);
    });
});
