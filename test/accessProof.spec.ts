/**
 * Access proof: the policy documents the real program registers (both stacks of the split setup, and
 * the one-stack `both` mode), evaluated together by an independent IAM evaluator
 * (@cloud-copilot/iam-simulate), against a matrix of requests with their expected verdicts.
 *
 * Every cell is also shown able to fail: deliberate mistakes are applied to copies of the documents
 * and the cells they turn red are asserted, and for every configuration each cell must be turned red
 * by some mistake (or, where two independent controls guard it, by two together).
 */
import * as assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import * as ts from "typescript";
import { evaluateRequest, type Verdict } from "../accessproof/evaluate";
import { requestOf } from "../accessproof/matrix";
import { bucketPublic, evaluateCells, MUTATIONS, proveCellsCanFail, runMutations } from "./support/mutations";
import { buildReport, renderJson, renderMarkdown, type AccessReport } from "../accessproof/report";
import { readStackFile, runStacks, SECURE_PLACEHOLDER } from "../accessproof/stacks";
import { type AccessConfiguration, BUCKET, evaluateConfiguration, type EvaluatedConfiguration, KMS_KEY_ARN, MEMBER } from "./support/accessModel";

const A: Verdict = "Allowed";
const I: Verdict = "ImplicitlyDenied";
const E: Verdict = "ExplicitlyDenied";

/** The matrix of the default stacks: every request and the answer AWS must give. */
const DEFAULT_MATRIX: Readonly<Record<string, Verdict>> = {
    // sts:AssumeRole on the role, cross-account: identity policy AND trust policy.
    [`assume.${MEMBER}`]: A, // the group's inline policy + the trust policy (green account)
    "assume.nonMember": I, // a green user outside the group: no identity policy
    "assume.otherGreenRole": I, // a green role with S3 rights but no AssumeRole grant
    "assume.greenAdmin": A, // by design: trusting green's root delegates to green's IAM
    "assume.outsider": I, // an administrator of a third account: the trust policy names green only
    "assume.anonymous": I,
    // The role session in the bucket, same account.
    "s3.putObject": A,
    "s3.getObject": A,
    "s3.listBucket": A,
    "s3.deleteObject": I,
    "s3.putObjectAcl": I,
    "s3.putBucketPolicy": I,
    "s3.getObject.otherBucket": I,
    "s3.listBucket.otherBucket": I,
    "iam.createUser": I,
    "iam.attachRolePolicy": I,
    "iam.updateAssumeRolePolicy": I,
    // Without TLS: the bucket policy's explicit Deny, whoever asks.
    "tls.session.putObject": E,
    "tls.session.getObject": E,
    "tls.session.listBucket": E,
    [`tls.${MEMBER}.getObject`]: E,
    "tls.outsider.getObject": E,
    "tls.anonymous.getObject": E,
    // Straight to the bucket, not through the role.
    [`direct.${MEMBER}.getObject`]: I,
    "direct.otherGreenRole.getObject": I,
    "direct.outsider.putObject": I,
    "direct.anonymous.getObject": I,
    "direct.anonymous.listBucket": I,
};

/** How each option shifts the default matrix: cells added or changed. */
const SHIFTS = {
    externalId: {
        [`assume.${MEMBER}.withoutExternalId`]: I,
        [`assume.${MEMBER}.wrongExternalId`]: I,
    },
    requireMfa: {
        [`assume.${MEMBER}.withoutMfa`]: I,
        [`assume.${MEMBER}.mfaFalse`]: I,
    },
    principalOrgId: {
        [`assume.${MEMBER}.withoutOrgId`]: I,
        [`assume.${MEMBER}.otherOrgId`]: I,
    },
    objectKeyPrefix: {
        "s3.putObject.outsidePrefix": I,
        "s3.getObject.outsidePrefix": I,
        "s3.listBucket.withoutPrefix": I,
        "s3.listBucket.otherPrefix": I,
    },
    readOnly: { "s3.putObject": I },
    kmsKeyArn: { "kms.generateDataKey": A, "kms.decrypt": A, "kms.decrypt.otherKey": I },
    kmsKeyArnReadOnly: { "kms.generateDataKey": I, "kms.decrypt": A, "kms.decrypt.otherKey": I },
    trustedPrincipalArns: { "assume.greenAdmin": I },
    noTlsPolicy: {
        "tls.session.putObject": A,
        "tls.session.getObject": A,
        "tls.session.listBucket": A,
        [`tls.${MEMBER}.getObject`]: I,
        "tls.outsider.getObject": I,
        "tls.anonymous.getObject": I,
    },
} satisfies Record<string, Record<string, Verdict>>;

const MEMBER_ARN = "arn:aws:iam::222222222222:user/s3-prod-user";

interface Case {
    readonly configuration: AccessConfiguration;
    readonly expected: Readonly<Record<string, Verdict>>;
}

const CASES: readonly Case[] = [
    { configuration: { name: "default stacks (blue + green)", mode: "split", options: {} }, expected: DEFAULT_MATRIX },
    { configuration: { name: "one stack (both)", mode: "both", options: {} }, expected: DEFAULT_MATRIX },
    { configuration: { name: "externalId", mode: "split", options: { externalId: "ext-4711-team-blue" } }, expected: { ...DEFAULT_MATRIX, ...SHIFTS.externalId } },
    { configuration: { name: "requireMfa", mode: "split", options: { requireMfa: "true" } }, expected: { ...DEFAULT_MATRIX, ...SHIFTS.requireMfa } },
    { configuration: { name: "principalOrgId", mode: "split", options: { principalOrgId: "o-abcdefghij" } }, expected: { ...DEFAULT_MATRIX, ...SHIFTS.principalOrgId } },
    { configuration: { name: "objectKeyPrefix", mode: "split", options: { objectKeyPrefix: "uploads/" } }, expected: { ...DEFAULT_MATRIX, ...SHIFTS.objectKeyPrefix } },
    { configuration: { name: "readOnly", mode: "split", options: { readOnly: "true" } }, expected: { ...DEFAULT_MATRIX, ...SHIFTS.readOnly } },
    { configuration: { name: "kmsKeyArn", mode: "split", options: { kmsKeyArn: KMS_KEY_ARN } }, expected: { ...DEFAULT_MATRIX, ...SHIFTS.kmsKeyArn } },
    {
        configuration: { name: "trustedPrincipalArns (the user only)", mode: "split", options: { trustedPrincipalArns: JSON.stringify([MEMBER_ARN]) } },
        expected: { ...DEFAULT_MATRIX, ...SHIFTS.trustedPrincipalArns },
    },
    { configuration: { name: "denyInsecureTransport false", mode: "split", options: { denyInsecureTransport: "false" } }, expected: { ...DEFAULT_MATRIX, ...SHIFTS.noTlsPolicy } },
    {
        configuration: {
            name: "every option at once (both)",
            mode: "both",
            options: {
                externalId: "ext-4711-team-blue",
                requireMfa: "true",
                principalOrgId: "o-abcdefghij",
                objectKeyPrefix: "uploads/",
                readOnly: "true",
                kmsKeyArn: KMS_KEY_ARN,
                trustedPrincipalArns: JSON.stringify([MEMBER_ARN]),
            },
        },
        expected: {
            ...DEFAULT_MATRIX,
            ...SHIFTS.externalId,
            ...SHIFTS.requireMfa,
            ...SHIFTS.principalOrgId,
            ...SHIFTS.objectKeyPrefix,
            ...SHIFTS.readOnly,
            ...SHIFTS.kmsKeyArnReadOnly,
            ...SHIFTS.trustedPrincipalArns,
        },
    },
];

/** What each mistake turns red in the default stacks: the proof that those cells can fail. */
const DEFAULT_MUTATION_RED: Readonly<Record<string, readonly string[]>> = {
    "trust-any-principal": ["assume.outsider", "assume.anonymous"],
    "trust-wrong-account": [`assume.${MEMBER}`, "assume.greenAdmin", "assume.outsider"],
    "trust-conditions-dropped": [], // no conditions without the options
    "group-policy-dropped": [`assume.${MEMBER}`],
    "grant-dropped": [], // keyless only (test/accessProof.keyless.spec.ts)
    "grant-too-wide": [],
    "trust-pattern-wrong": [],
    "everyone-in-group": ["assume.nonMember", "assume.otherGreenRole"],
    "access-policy-s3-all": ["s3.deleteObject", "s3.putObjectAcl", "s3.putBucketPolicy"],
    "access-policy-any-bucket": ["s3.getObject.otherBucket", "s3.listBucket.otherBucket"],
    "access-policy-missing-slash": ["s3.getObject.otherBucket"],
    "access-policy-typo": ["s3.putObject"],
    "access-policy-detached": ["s3.putObject", "s3.getObject", "s3.listBucket"],
    "role-admin": [
        "s3.deleteObject",
        "s3.putObjectAcl",
        "s3.putBucketPolicy",
        "s3.getObject.otherBucket",
        "s3.listBucket.otherBucket",
        "iam.createUser",
        "iam.attachRolePolicy",
        "iam.updateAssumeRolePolicy",
    ],
    "tls-deny-dropped": [
        "tls.session.putObject",
        "tls.session.getObject",
        "tls.session.listBucket",
        `tls.${MEMBER}.getObject`,
        "tls.outsider.getObject",
        "tls.anonymous.getObject",
    ],
    "bucket-public": [
        "s3.deleteObject",
        "s3.putObjectAcl",
        "s3.putBucketPolicy",
        "direct.otherGreenRole.getObject",
        "direct.outsider.putObject",
        "direct.anonymous.getObject",
        "direct.anonymous.listBucket",
    ],
    "bypass-role": [`direct.${MEMBER}.getObject`, "direct.otherGreenRole.getObject"],
    "kms-any-key": [], // no KMS key without the option
};

describe("access proof: the deployed policies under an independent IAM evaluator", function () {
    this.timeout(60_000);

    for (const { configuration, expected } of CASES) {
        describe(`${configuration.name}`, function () {
            let evaluated: EvaluatedConfiguration;
            before(async function () {
                evaluated = await evaluateConfiguration(configuration);
            });

            it("takes every access-relevant resource from the program run, and no other", function () {
                assert.deepEqual(evaluated.model.unmodelled, []);
                assert.equal(evaluated.model.roles.length, 1);
                assert.equal(evaluated.model.buckets.length, 1);
                assert.equal(evaluated.model.groups.length, 1);
                assert.deepEqual(
                    evaluated.model.users.map((u) => u.name),
                    ["s3-prod-user"],
                );
                assert.equal(evaluated.model.roles[0].attachedPolicies.length, 1);
                assert.equal(evaluated.model.groups[0].inlinePolicies.length, 1);
                assert.equal(evaluated.model.buckets[0].policy !== undefined, configuration.options.denyInsecureTransport !== "false");
                assert.equal(evaluated.model.buckets[0].restrictPublicBuckets, true);
            });

            it("asks exactly the cells of the documented matrix", function () {
                assert.deepEqual(evaluated.matrix.cells.map((c) => c.id).sort(), Object.keys(expected).sort());
                for (const cell of evaluated.matrix.cells) {
                    assert.equal(cell.expected, expected[cell.id], `the matrix's own expectation for ${cell.id}`);
                }
            });

            const perCell = configuration.mode === "split" && Object.keys(configuration.options).length === 0;
            if (perCell || configuration.mode === "both") {
                // The default matrix, cell by cell (split and both modes).
                for (const [id, verdict] of Object.entries(expected)) {
                    it(`${id}: ${verdict}`, async function () {
                        const cell = evaluated.matrix.cells.find((c) => c.id === id);
                        assert.ok(cell, `no cell ${id}`);
                        const evaluation = await evaluateRequest(evaluated.model, requestOf(evaluated.matrix, cell));
                        assert.equal(evaluation.verdict, verdict, `${cell.intent}; decisive: ${JSON.stringify(evaluation.decisive)}`);
                    });
                }
            } else {
                it("answers every cell as documented", async function () {
                    const results = await evaluateCells(evaluated.matrix, evaluated.world);
                    const wrong = results.filter((r) => r.verdict !== expected[r.cell.id]).map((r) => `${r.cell.id}: ${r.verdict}, expected ${expected[r.cell.id]}`);
                    assert.deepEqual(wrong, []);
                });
            }

            it("has every cell able to fail: some mistake in the documents turns it red", async function () {
                const { outcomes, coverage } = await proveCellsCanFail(evaluated.matrix, evaluated.world);
                assert.deepEqual(
                    coverage.filter((c) => c.by.length === 0).map((c) => c.id),
                    [],
                    "cells no mutation can turn red",
                );
                for (const outcome of outcomes) {
                    for (const red of outcome.red) {
                        assert.notEqual(red.verdict, red.expected);
                    }
                }
                // Only the non-members under trustedPrincipalArns need two mistakes (identity AND trust guard them).
                const pairs = coverage
                    .filter((c) => c.by.length === 2)
                    .map((c) => c.id)
                    .sort();
                const expectedPairs = configuration.options.trustedPrincipalArns ? ["assume.nonMember", "assume.otherGreenRole"] : [];
                assert.deepEqual(pairs, expectedPairs);
            });
        });
    }

    describe("the mutations of the default stacks (which cells each mistake turns red)", function () {
        let evaluated: EvaluatedConfiguration;
        before(async function () {
            evaluated = await evaluateConfiguration(CASES[0].configuration);
        });

        it("covers each mutation in the table", function () {
            assert.deepEqual(MUTATIONS.map((m) => m.id).sort(), Object.keys(DEFAULT_MUTATION_RED).sort());
        });

        for (const [id, red] of Object.entries(DEFAULT_MUTATION_RED)) {
            it(`${id} turns red: ${red.length > 0 ? red.join(", ") : "nothing (does not apply)"}`, async function () {
                const mutation = MUTATIONS.find((m) => m.id === id)!;
                const [outcome] = await runMutations(evaluated.matrix, evaluated.world, [mutation]);
                assert.equal(outcome.applies, red.length > 0, "whether the mutation changes the documents");
                assert.deepEqual(
                    outcome.red.map((r) => r.id),
                    [...red],
                );
            });
        }

        it("trusting * lets a third account and anonymous callers assume the role", async function () {
            const [outcome] = await runMutations(evaluated.matrix, evaluated.world, [MUTATIONS.find((m) => m.id === "trust-any-principal")!]);
            assert.deepEqual(outcome.red, [
                { id: "assume.outsider", expected: I, verdict: A },
                { id: "assume.anonymous", expected: I, verdict: A },
            ]);
        });

        it("the public access block still stops a public bucket policy for anonymous and other accounts", async function () {
            const [outcome] = await runMutations(evaluated.matrix, evaluated.world, [bucketPublic(true)]);
            const red = Object.fromEntries(outcome.red.map((r) => [r.id, r.verdict]));
            // Same account: BPA does not apply, the public grant reaches the session.
            assert.equal(red["s3.deleteObject"], A);
            // Anonymous and cross-account: blocked by RestrictPublicBuckets (an explicit deny, no longer implicit).
            assert.equal(red["direct.anonymous.getObject"], E);
            assert.equal(red["direct.outsider.putObject"], E);
            const evaluation = await evaluateRequest(
                bucketPublic(true).apply(evaluated.world).model,
                requestOf(
                    evaluated.matrix,
                    evaluated.matrix.cells.find((c) => c.id === "direct.anonymous.getObject")!,
                ),
            );
            assert.deepEqual(evaluation.blockedBy, ["s3-bpa"]);
        });
    });

    describe("how the evaluator decides (the model is AWS's, not ours)", function () {
        let evaluated: EvaluatedConfiguration;
        before(async function () {
            evaluated = await evaluateConfiguration(CASES[0].configuration);
        });
        const cell = (id: string) => evaluated.matrix.cells.find((c) => c.id === id)!;
        const evaluate = (id: string) => evaluateRequest(evaluated.model, requestOf(evaluated.matrix, cell(id)));

        it("AssumeRole from green is cross-account: the group policy and the trust policy both allow", async function () {
            const evaluation = await evaluate(`assume.${MEMBER}`);
            assert.equal(evaluation.sameAccount, false);
            assert.equal(evaluation.identityResult, "Allowed");
            assert.equal(evaluation.resourceResult, "AllowedForAccount");
            assert.deepEqual(evaluation.decisive, [
                { layer: "identity", effect: "Allow", policy: "AssumeCrossAccountS3AccessRole", statement: "AssumeCrossAccountBucketRole" },
                { layer: "resource", effect: "Allow", policy: "CrossAccountS3Access-Role trust policy", statement: "TrustIdentityAccount" },
            ]);
        });

        it("a third account's administrator has an identity Allow, but the trust policy does not name it", async function () {
            const evaluation = await evaluate("assume.outsider");
            assert.equal(evaluation.identityResult, "Allowed");
            assert.equal(evaluation.resourceResult, "ImplicitlyDenied");
            assert.equal(evaluation.verdict, I);
        });

        it("the session's S3 requests are same-account and allowed by the role's policy", async function () {
            const evaluation = await evaluate("s3.putObject");
            assert.equal(evaluation.sameAccount, true);
            assert.deepEqual(evaluation.decisive, [{ layer: "identity", effect: "Allow", policy: "CrossAccountS3Access", statement: "PutGetObjects" }]);
        });

        it("a request without TLS is denied by the bucket policy's DenyInsecureTransport", async function () {
            const evaluation = await evaluate("tls.session.getObject");
            assert.deepEqual(evaluation.decisive, [{ layer: "resource", effect: "Deny", policy: `${BUCKET} bucket policy`, statement: "DenyInsecureTransport" }]);
        });

        it("refuses requests it cannot answer faithfully instead of denying them", async function () {
            const session = evaluated.matrix.actors.session;
            const objectArn = `arn:aws:s3:::${BUCKET}/key`;
            await assert.rejects(evaluateRequest(evaluated.model, { actor: session, action: "s3:PutObjekt", resource: objectArn }), /invalid\.action/);
            await assert.rejects(evaluateRequest(evaluated.model, { actor: session, action: "s3:ListBucket", resource: objectArn }), /no\.resource\.types/);
            await assert.rejects(
                evaluateRequest(evaluated.model, { actor: session, action: "s3:GetObject", resource: objectArn, context: { "s3:prefix": "uploads/" } }),
                /ignores s3:prefix/,
            );
        });

        it("refuses at preview a green stack without the blue role's ExternalId, which AWS would deny", async function () {
            // A blue stack deployed before it exported its ExternalId: the green stack must set one itself.
            const olderBlue = { externalId: undefined };
            await assert.rejects(
                evaluateConfiguration({ name: "drift", mode: "split", options: { externalId: "ext-4711-team-blue" }, greenOptions: {}, blueOutputOverrides: olderBlue }),
                /cross-account-s3:externalId: the role of stack .* requires an ExternalId, and this stack sets none/,
            );
            // Older still (no externalIdRequired either): the drift gets through the program; the evaluator catches it.
            const drift = await evaluateConfiguration({
                name: "drift",
                mode: "split",
                options: { externalId: "ext-4711-team-blue" },
                greenOptions: {},
                blueOutputOverrides: { ...olderBlue, externalIdRequired: undefined },
            });
            const member = drift.matrix.cells.find((c) => c.id === `assume.${MEMBER}`)!;
            const evaluation = await evaluateRequest(drift.model, requestOf(drift.matrix, member));
            assert.equal(member.expected, A);
            assert.equal(evaluation.verdict, I, "the green user's CLI profile sends no ExternalId, so AssumeRole fails");
        });
    });

    describe("the access report (npm run access-report)", function () {
        const root = resolve(__dirname, "..");
        let report: AccessReport;
        before(async function () {
            report = await buildReport("cross-account-s3", await runStacks(root));
        });

        it("reads the stack files over the Pulumi.yaml defaults, as Pulumi passes config", function () {
            const blue = readStackFile(root, "blue");
            assert.equal(blue.config.side, "blue");
            assert.equal(blue.config["aws:region"], "eu-west-1");
            assert.equal(blue.config.createBucket, "true", "a Pulumi.yaml default");
            assert.equal(blue.config.userNames, JSON.stringify(["s3-prod-user"]), "a list default, as JSON");
            assert.ok(!Object.keys(blue.config).some((key) => key.startsWith("pulumi:")), "engine settings are not program config");
        });

        it("evaluates the default stacks, blue chained into green, and every verdict matches the design", function () {
            assert.deepEqual(
                report.deployments.map((d) => d.name),
                ["blue + green"],
            );
            const [deployment] = report.deployments;
            assert.deepEqual(
                deployment.rows.filter((r) => !r.ok).map((r) => r.id),
                [],
            );
            assert.deepEqual(deployment.rows.map((r) => r.id).sort(), Object.keys(DEFAULT_MATRIX).sort());
            assert.deepEqual(
                deployment.documents.flatMap((d) => d.findings),
                [],
            );
            assert.equal(report.ok, true);
        });

        it("is the sample the README shows for the default stacks (regenerate: npm run --silent access-report)", function () {
            const readme = readFileSync(join(root, "README.md"), "utf8");
            const sample = /<!-- access-report:start -->\n````markdown\n([\s\S]*?)````\n<!-- access-report:end -->/.exec(readme);
            assert.ok(sample, "README.md has the access-report sample block");
            assert.equal(sample[1], renderMarkdown(report));
        });

        it("renders Markdown tables, the Mermaid trust chain, and JSON for tools", function () {
            const markdown = renderMarkdown(report);
            assert.match(markdown, /^## Access report: cross-account-s3$/m);
            assert.match(markdown, /```mermaid\nflowchart LR\n/);
            assert.match(markdown, /g_prod_s3_users -->\|"sts:AssumeRole allowed"\| role/);
            assert.match(
                markdown,
                /\| green user s3-prod-user \(in prod-s3-users\) \| `sts:AssumeRole` \| `arn:aws:iam::111111111111:role\/CrossAccountS3Access-Role` \| {2}\| ✅ Allowed \| ✔/,
            );
            assert.match(markdown, /#### Not modelled/);
            assert.deepEqual(JSON.parse(renderJson(report)).deployments[0].rows.length, report.deployments[0].rows.length);
        });

        it("flags a deployment whose verdicts differ from the design, and keeps secrets out", async function () {
            const dir = mkdtempSync(join(tmpdir(), "access-report-"));
            try {
                copyFileSync(join(root, "Pulumi.yaml"), join(dir, "Pulumi.yaml"));
                writeFileSync(
                    join(dir, "Pulumi.blue.yaml"),
                    [
                        "config:",
                        "  aws:region: eu-west-1",
                        "  cross-account-s3:side: blue",
                        '  cross-account-s3:blueAccountId: "111111111111"',
                        '  cross-account-s3:greenAccountId: "222222222222"',
                        "  cross-account-s3:bucketName: drift-bucket",
                        "  cross-account-s3:externalId:",
                        "    secure: v1:c2VjcmV0LWV4dGVybmFsLWlk",
                    ].join("\n"),
                );
                // The green stack sets another ExternalId than the blue stack's: refused at preview, naming no value.
                writeFileSync(
                    join(dir, "Pulumi.green.yaml"),
                    [
                        "config:",
                        "  aws:region: eu-west-1",
                        "  cross-account-s3:side: green",
                        '  cross-account-s3:blueAccountId: "111111111111"',
                        '  cross-account-s3:greenAccountId: "222222222222"',
                        "  cross-account-s3:blueStack: acme/cross-account-s3/blue",
                        "  cross-account-s3:externalId: an-outdated-external-id",
                    ].join("\n"),
                );
                await assert.rejects(
                    runStacks(dir),
                    (error: Error) =>
                        /cross-account-s3:externalId: it differs from the ExternalId the role of stack "acme\/cross-account-s3\/blue" requires \(values not shown\)/.test(
                            error.message,
                        ) &&
                        !error.message.includes("an-outdated") &&
                        !error.message.includes(SECURE_PLACEHOLDER),
                );
                // Without it, green takes blue's. A users' profile that still sends an outdated one is what the report flags.
                writeFileSync(join(dir, "Pulumi.green.yaml"), readFileSync(join(dir, "Pulumi.green.yaml"), "utf8").replace(/\n.*externalId.*$/, ""));
                const [deployment] = await runStacks(dir);
                const stale = { ...deployment, greenConfig: { ...deployment.greenConfig, externalId: "an-outdated-external-id" } };
                const drift = await buildReport("cross-account-s3", [stale]);
                assert.equal(drift.ok, false);
                const member = drift.deployments[0].rows.find((r) => r.id === `assume.${MEMBER}`)!;
                assert.equal(member.verdict, I);
                assert.equal(member.ok, false);
                const markdown = renderMarkdown(drift);
                assert.match(markdown, /❌ expected Allowed/);
                assert.match(markdown, /externalId is a secret and was replaced by a placeholder/);
                assert.ok(!renderJson(drift).includes("c2VjcmV0"), "no secret in the report");
                assert.ok(!markdown.includes(SECURE_PLACEHOLDER) && !renderJson(drift).includes(SECURE_PLACEHOLDER), "the ExternalId is never printed");
            } finally {
                rmSync(dir, { recursive: true, force: true });
            }
        });
    });

    describe("the model's API is documented", function () {
        /** The exported declarations, and the members of exported interfaces and types (nested type literals too), that have no TSDoc. */
        const undocumented = (file: string): string[] => {
            const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true);
            const hasDoc = (node: ts.Node) => ts.getJSDocCommentsAndTags(node).some(ts.isJSDoc);
            const where = (node: ts.Node, what: string) => `${file.slice(file.lastIndexOf("/") + 1)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1} ${what}`;
            const found: string[] = [];
            const members = (node: ts.Node, owner: string): void =>
                ts.forEachChild(node, (child) => {
                    if ((ts.isPropertySignature(child) || ts.isMethodSignature(child)) && !hasDoc(child)) {
                        found.push(where(child, `${owner}.${child.name.getText()}`));
                    }
                    if (ts.isTypeNode(child) || ts.isPropertySignature(child) || ts.isMethodSignature(child)) {
                        members(child, owner);
                    }
                });
            for (const statement of source.statements) {
                if (!ts.canHaveModifiers(statement) || !ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) {
                    continue;
                }
                const name = ts.isVariableStatement(statement)
                    ? statement.declarationList.declarations.map((d) => d.name.getText()).join(", ")
                    : ((statement as ts.DeclarationStatement).name?.getText() ?? "export");
                if (!hasDoc(statement)) {
                    found.push(where(statement, name));
                }
                if (ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement)) {
                    members(statement, name);
                }
            }
            return found;
        };

        it("every exported type, member and function of accessproof/, the mocks harness and the test helpers has TSDoc", function () {
            const inFolder = (dir: string) =>
                readdirSync(dir)
                    .filter((f) => f.endsWith(".ts"))
                    .map((f) => join(dir, f));
            const files = [
                ...inFolder(resolve(__dirname, "../accessproof")),
                ...inFolder(resolve(__dirname, "../harness")),
                join(__dirname, "support/accessModel.ts"),
                join(__dirname, "support/mutations.ts"),
            ];
            assert.ok(files.length >= 11, files.join(", "));
            assert.deepEqual(files.flatMap(undocumented), []);
        });

        it("the check finds an undocumented member", function () {
            const dir = mkdtempSync(join(tmpdir(), "tsdoc-"));
            try {
                writeFileSync(
                    join(dir, "sample.ts"),
                    "/** Documented. */\nexport interface Sample {\n    /** Documented. */\n    readonly a: string;\n    readonly b: { c: number };\n}\nexport const d = 1;\n",
                );
                assert.deepEqual(undocumented(join(dir, "sample.ts")), ["sample.ts:5 Sample.b", "sample.ts:5 Sample.c", "sample.ts:7 d"]);
            } finally {
                rmSync(dir, { recursive: true, force: true });
            }
        });
    });
});
