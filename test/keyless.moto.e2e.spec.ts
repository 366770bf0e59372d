/**
 * Keyless end to end on moto with IAM enforced (issue 10): a green ROLE, granted the way the keyless
 * green stack grants it (the component's managed policy attached to the existing role), assumes the blue
 * role through the component's rendered keyless profile (`blue`, `source_profile` = the role's own
 * profile) and passes every verify check; the same role without the grant is refused.
 *
 * What stands in for what: moto answers an unsigned AssumeRoleWithWebIdentity with a 500 once IAM is
 * enforced and has no SSO portal, so the green role is reached from a base user whose only right is
 * `sts:AssumeRole` on that role (scripts/emulator/greenRoleChain.ts). The walkthrough's green user
 * exists (the emulated setup makes it) but is in no group and is never the source identity. moto does
 * not evaluate a cross-account trust policy, so the blue role's ARN-pattern trust is applied here but
 * proven by the IAM simulator (test/accessProof.keyless.spec.ts).
 */
import { strict as assert } from "node:assert";
import { readFile } from "node:fs/promises";
import { EMULATED_BLUE_ACCOUNT_ID, EMULATED_GREEN_ACCOUNT_ID } from "../scripts/emulator/emulatedAccounts";
import { createGreenRoleChain, GREEN_ROLE_CHAIN_PROFILES, GreenRoleChain } from "../scripts/emulator/greenRoleChain";
import { MotoServer } from "../scripts/emulator/motoServer";
import { startMotoForSuite } from "./support/motoForSuite";
import { prepareScenario, Scenario } from "../scripts/emulator/scenario";
import { runVerifyProcess } from "../scripts/emulator/verifyProcess";
import { reportOf } from "./fixtures/verify/reportJson";

/** The pattern the blue role trusts: green roles named ci-*. */
const CI_PATTERN = `arn:aws:iam::${EMULATED_GREEN_ACCOUNT_ID}:role/ci-*`;

describe("keyless end to end on moto (IAM enforced): a granted green role, no user as the source", function () {
    this.timeout(90_000);
    let moto: MotoServer | undefined;
    let scenario: Scenario | undefined;

    before(async function () {
        moto = await startMotoForSuite(this, "the keyless moto suite");
    });
    afterEach(async () => {
        await scenario?.cleanup();
        scenario = undefined;
    });
    after(async () => {
        await moto?.stop();
    });

    /** The blue side trusting ci-* by pattern, the green user in no group, and the green role granted (or not) as the keyless stack does. */
    async function keylessScenario(grant: boolean): Promise<GreenRoleChain> {
        scenario = await prepareScenario(moto!, { addUserToGroup: false, blueArgs: { trustedPrincipalArnPatterns: [CI_PATTERN] } });
        await moto!.disableIamEnforcement();
        try {
            return await createGreenRoleChain(scenario.accounts, { grant, grantWith: "keyless", dir: scenario.files.dir });
        } finally {
            await moto!.enableIamEnforcement();
        }
    }

    const run = async (chain: GreenRoleChain, via: string[]) => {
        const result = await runVerifyProcess(
            ["--outputs", scenario!.outputsFile, "--source-profile", GREEN_ROLE_CHAIN_PROFILES.greenRole, ...via, "--endpoint", moto!.endpoint, "--wait", "0", "--json"],
            { env: { ...scenario!.env, AWS_CONFIG_FILE: chain.configFile }, timeoutMs: 60_000 },
        );
        const printed = result.stdout + result.stderr;
        assert.ok(!printed.includes(chain.baseSecretAccessKey), "printed the base user's secret key");
        assert.ok(!printed.includes(scenario!.accounts.green.secretAccessKey), "printed the green user's secret key");
        return { result, report: reportOf(result) };
    };

    it("applies the blue role's ARN-pattern trust (green root + ArnLike aws:PrincipalArn)", async () => {
        await keylessScenario(true);
        const trust = JSON.parse(scenario!.accounts.blue.documents.trustPolicy);
        assert.deepEqual(trust.Statement[0].Principal, { AWS: `arn:aws:iam::${EMULATED_GREEN_ACCOUNT_ID}:root` });
        assert.deepEqual(trust.Statement[0].Condition, { ArnLike: { "aws:PrincipalArn": CI_PATTERN } });
    });

    it("the granted green role passes every check through the component's keyless profile (--via profile) and --via assume", async () => {
        const chain = await keylessScenario(true);
        const config = await readFile(chain.configFile, "utf8");
        assert.match(
            config,
            new RegExp(`\\[profile blue\\]\\nrole_arn = ${scenario!.accounts.blue.roleArn}\\nsource_profile = green-role\\nregion = [a-z0-9-]+\\n$`),
            "the rendered keyless profile ends the file",
        );
        for (const via of [
            ["--via", "profile", "--role-profile", GREEN_ROLE_CHAIN_PROFILES.keylessBlue],
            ["--via", "assume"],
        ]) {
            const { result, report } = await run(chain, via);
            assert.equal(result.exitCode, 0, result.stdout);
            assert.deepEqual(
                report.checks.map((check) => check.status),
                ["pass", "pass", "pass", "pass", "pass", "pass"],
                via.join(" "),
            );
            assert.match(
                report.identities.source?.arn ?? "",
                new RegExp(`^arn:aws:sts::${EMULATED_GREEN_ACCOUNT_ID}:assumed-role/ci-deployer/`),
                "a role session, no user, is the source",
            );
            assert.match(report.identities.role?.arn ?? "", new RegExp(`^arn:aws:sts::${EMULATED_BLUE_ACCOUNT_ID}:assumed-role/CrossAccountS3Access-Role/`));
        }
    });

    it("the same green role without the grant is refused at check 2 (AccessDenied, exit 1)", async () => {
        const chain = await keylessScenario(false);
        const { result, report } = await run(chain, ["--via", "assume"]);
        assert.equal(result.exitCode, 1, result.stdout);
        assert.equal(report.checks[0].status, "pass");
        assert.match(report.identities.source?.arn ?? "", /:assumed-role\/ci-deployer\//);
        assert.equal(report.checks[1].status, "fail");
        assert.equal(report.checks[1].errorCode, "AccessDenied");
    });
});
