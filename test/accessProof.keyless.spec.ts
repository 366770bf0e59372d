/**
 * Access proof of the keyless setup (issue 10): a green stack that grants an existing CI role instead of
 * creating a user and key, and a blue role that trusts IAM Identity Center roles by ARN pattern. The
 * documents are the real program's (mocks), the verdicts `@cloud-copilot/iam-simulate`'s, as in
 * accessProof.spec.ts; every cell is shown able to fail (a wrong grant, a wrong pattern).
 */
import * as assert from "node:assert/strict";
import { evaluateRequest, type Verdict } from "../accessproof/evaluate";
import { requestOf } from "../accessproof/matrix";
import { evaluateCells, MUTATIONS, proveCellsCanFail, runMutations } from "./support/mutations";
import { buildReport, renderMarkdown } from "../accessproof/report";
import { type AccessConfiguration, evaluateConfiguration, type EvaluatedConfiguration } from "./support/accessModel";
import { GREEN_ACCOUNT } from "../harness/stackConfigs";

const A: Verdict = "Allowed";
const I: Verdict = "ImplicitlyDenied";
const SSO_PATTERN = `arn:aws:iam::${GREEN_ACCOUNT}:role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_DataAnalyst_*`;
const CI_ROLE = `arn:aws:iam::${GREEN_ACCOUNT}:role/ci-deployer`;

/** Keyless on both sides: green grants ci-deployer (no user, key or group); blue trusts it by ARN and the SSO permission set by pattern. */
const KEYLESS: AccessConfiguration = {
    name: "keyless (greenRoleNames [ci-deployer], userNames [], trustedPrincipalArns + trustedPrincipalArnPatterns)",
    mode: "split",
    options: { trustedPrincipalArns: JSON.stringify([CI_ROLE]), trustedPrincipalArnPatterns: JSON.stringify([SSO_PATTERN]) },
    greenOptions: { greenRoleNames: JSON.stringify(["ci-deployer"]), userNames: "[]" },
};

/** The AssumeRole cells of the keyless deployment and the answers AWS must give. */
const KEYLESS_ASSUME: Readonly<Record<string, Verdict>> = {
    "assume.granted:ci-deployer": A, // the grant policy attached to it + trusted by ARN
    "assume.notGrantedRole": I, // an existing green role without the grant
    "assume.grantedNameThirdAccount": I, // role/ci-deployer of a third account, administrator there
    "assume.ssoMatching": A, // an Identity Center role of the DataAnalyst permission set
    "assume.ssoNotMatching": I, // one of another permission set: no pattern matches
    "assume.ssoThirdAccount": I, // the matching SSO ARN in a third account
    "assume.nonMember": I,
    "assume.otherGreenRole": I,
    "assume.greenAdmin": I, // neither by ARN nor by pattern: the whole account is not trusted
    "assume.outsider": I,
    "assume.anonymous": I,
};

describe("access proof: keyless (issue 10)", function () {
    this.timeout(120_000);
    let evaluated: EvaluatedConfiguration;
    before(async function () {
        evaluated = await evaluateConfiguration(KEYLESS);
    });

    it("models no user, group or key on green: one grant of the managed policy to ci-deployer", function () {
        assert.deepEqual(evaluated.model.unmodelled, []);
        assert.deepEqual(evaluated.model.users, []);
        assert.deepEqual(evaluated.model.groups, []);
        assert.deepEqual(
            evaluated.model.grants.map((g) => `${g.kind} ${g.name} ${g.accountId}: ${g.policies.map((p) => p.name).join(",")}`),
            [`role ci-deployer ${GREEN_ACCOUNT}: AssumeCrossAccountS3AccessRole`],
        );
    });

    it("asks the documented AssumeRole cells, with the documented expectations", function () {
        const assume = evaluated.matrix.cells.filter((c) => c.section === "assume");
        assert.deepEqual(Object.fromEntries(assume.map((c) => [c.id, c.expected])), KEYLESS_ASSUME);
    });

    for (const [id, verdict] of Object.entries(KEYLESS_ASSUME)) {
        it(`${id}: ${verdict}`, async function () {
            const cell = evaluated.matrix.cells.find((c) => c.id === id)!;
            const evaluation = await evaluateRequest(evaluated.model, requestOf(evaluated.matrix, cell));
            assert.equal(evaluation.verdict, verdict, `${cell.intent}; decisive: ${JSON.stringify(evaluation.decisive)}`);
        });
    }

    it("answers every other cell (S3, IAM, TLS, direct) as documented too", async function () {
        const wrong = (await evaluateCells(evaluated.matrix, evaluated.world)).filter((r) => r.verdict !== r.cell.expected).map((r) => `${r.cell.id}: ${r.verdict}`);
        assert.deepEqual(wrong, []);
    });

    it("the SSO role is admitted by the pattern statement (root + ArnLike), the CI role by its ARN", async function () {
        const decisive = async (id: string) =>
            (
                await evaluateRequest(
                    evaluated.model,
                    requestOf(
                        evaluated.matrix,
                        evaluated.matrix.cells.find((c) => c.id === id)!,
                    ),
                )
            ).decisive;
        assert.deepEqual(
            (await decisive("assume.ssoMatching")).map((d) => `${d.layer} ${d.policy} ${d.statement}`),
            ["identity AssumeCrossAccountS3AccessRole AssumeCrossAccountBucketRole", "resource CrossAccountS3Access-Role trust policy TrustGreenPrincipalsByArnPattern"],
        );
        assert.deepEqual(
            (await decisive("assume.granted:ci-deployer")).map((d) => d.statement),
            ["AssumeCrossAccountBucketRole", "TrustIdentityAccount"],
        );
    });

    it("turns red when the grant or the pattern is wrong", async function () {
        const red = async (id: string) => (await runMutations(evaluated.matrix, evaluated.world, [MUTATIONS.find((m) => m.id === id)!]))[0].red.map((r) => `${r.id}: ${r.verdict}`);
        // The SSO stand-ins carry the policy as Identity Center attaches it (a copy): only the granted role loses it.
        assert.deepEqual(await red("grant-dropped"), ["assume.granted:ci-deployer: ImplicitlyDenied"]);
        assert.deepEqual(await red("trust-pattern-wrong"), ["assume.ssoMatching: ImplicitlyDenied"]);
        // Without the ArnLike condition the root statement admits every green principal allowed sts:AssumeRole.
        assert.deepEqual(await red("trust-conditions-dropped"), ["assume.greenAdmin: Allowed", "assume.ssoNotMatching: Allowed"]);
    });

    it("has every cell able to fail: some mistake (or two, where identity and trust both guard it) turns it red", async function () {
        const { coverage } = await proveCellsCanFail(evaluated.matrix, evaluated.world);
        assert.deepEqual(
            coverage.filter((c) => c.by.length === 0).map((c) => c.id),
            [],
        );
        assert.deepEqual(
            coverage
                .filter((c) => c.by.length === 2)
                .map((c) => c.id)
                .sort(),
            ["assume.nonMember", "assume.notGrantedRole", "assume.otherGreenRole"],
        );
    });

    it("the access report shows the keyless rows, every verdict as designed", async function () {
        const { runs } = evaluated;
        const blueConfig = { side: "blue", ...KEYLESS.options };
        const greenConfig = { side: "green", ...KEYLESS.greenOptions };
        const report = await buildReport("cross-account-s3", [{ name: "keyless", runs, blueConfig, greenConfig, stacks: [] }]);
        assert.equal(report.ok, true);
        const rows = report.deployments[0].rows;
        for (const id of Object.keys(KEYLESS_ASSUME)) {
            assert.ok(
                rows.some((r) => r.id === id && r.ok),
                `row ${id}`,
            );
        }
        assert.match(renderMarkdown(report), /existing green role ci-deployer \(granted AssumeCrossAccountS3AccessRole\)/);
    });

    describe("SSO only (permissionSetNames, trustedPrincipalArnPatterns alone)", function () {
        let sso: EvaluatedConfiguration;
        before(async function () {
            sso = await evaluateConfiguration({
                name: "SSO only",
                mode: "split",
                options: { trustedPrincipalArnPatterns: JSON.stringify([SSO_PATTERN]) },
                greenOptions: { permissionSetNames: JSON.stringify(["DataAnalyst"]), userNames: "[]" },
            });
        });

        it("models the grant policy as made for a permission set, and admits only the matching SSO role", async function () {
            assert.deepEqual(
                sso.model.grants.map((g) => `${g.kind} ${g.name}`),
                ["permissionSet AssumeCrossAccountS3AccessRole"],
            );
            const assume = Object.fromEntries(sso.matrix.cells.filter((c) => c.section === "assume").map((c) => [c.id, c.expected]));
            assert.deepEqual(assume, {
                "assume.ssoMatching": A,
                "assume.ssoNotMatching": I,
                "assume.ssoThirdAccount": I,
                "assume.nonMember": I,
                "assume.otherGreenRole": I,
                "assume.greenAdmin": I,
                "assume.outsider": I,
                "assume.anonymous": I,
            });
            const wrong = (await evaluateCells(sso.matrix, sso.world)).filter((r) => r.verdict !== r.cell.expected).map((r) => `${r.cell.id}: ${r.verdict}`);
            assert.deepEqual(wrong, []);
            const red = (await runMutations(sso.matrix, sso.world, [MUTATIONS.find((m) => m.id === "trust-pattern-wrong")!]))[0].red.map((r) => r.id);
            assert.deepEqual(red, ["assume.ssoMatching"]);
        });
    });
});
