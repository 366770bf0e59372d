/**
 * `npm run access-report -- --live`: the access report's matrix on the documents the audit reads
 * live, on moto. Clean, the live matrix is the design's cell for cell; with AdministratorAccess
 * attached to the role by hand, the role session's refused requests turn allowed, the rows say so
 * against the design, and `--check` exits 1. One moto server for the file, with AWS managed policies.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { AttachRolePolicyCommand, DetachRolePolicyCommand } from "@aws-sdk/client-iam";
import { buildLiveReport, verdictChanges } from "../accessproof/liveReport";
import { AUDITOR_PROFILES, AuditorFiles, createAuditors } from "../scripts/emulator/auditors";
import { bootstrapIamClient } from "../scripts/emulator/emulatedAccounts";
import { MotoServer } from "../scripts/emulator/motoServer";
import { startMotoForSuite } from "./support/motoForSuite";
import { prepareScenario, Scenario } from "../scripts/emulator/scenario";
import { hermeticAwsEnv } from "../scripts/emulator/verifyProcess";

const ADMINISTRATOR_ACCESS = "arn:aws:iam::aws:policy/AdministratorAccess";

describe("access report --live on moto: the matrix on what the audit read", function () {
    this.timeout(200_000);
    let moto: MotoServer | undefined;
    let scenario: Scenario | undefined;
    let auditors: AuditorFiles | undefined;

    before(async function () {
        moto = await startMotoForSuite(this, "the access report's --live moto suite", { environment: { MOTO_IAM_LOAD_MANAGED_POLICIES: "true" } });
        scenario = await prepareScenario(moto, { applyBucketPolicy: true });
        await moto.disableIamEnforcement();
        auditors = await createAuditors(scenario.accounts);
        await moto.enableIamEnforcement();
    });

    after(async () => {
        await auditors?.cleanup();
        await scenario?.cleanup();
        await moto?.stop();
    });

    const auditArgs = (): string[] => [
        "--outputs",
        scenario!.outputsFile,
        "--blue-profile",
        AUDITOR_PROFILES.blue,
        "--green-profile",
        AUDITOR_PROFILES.green,
        "--endpoint",
        moto!.endpoint,
    ];

    async function withAdministratorAccess<T>(body: () => Promise<T>): Promise<T> {
        const iam = bootstrapIamClient(moto!.endpoint, scenario!.accounts.region, scenario!.accounts.blue.accountId);
        const role = scenario!.accounts.blue.roleName;
        await moto!.disableIamEnforcement();
        await iam.send(new AttachRolePolicyCommand({ RoleName: role, PolicyArn: ADMINISTRATOR_ACCESS }));
        await moto!.enableIamEnforcement();
        try {
            return await body();
        } finally {
            await moto!.disableIamEnforcement();
            await iam.send(new DetachRolePolicyCommand({ RoleName: role, PolicyArn: ADMINISTRATOR_ACCESS }));
            await moto!.enableIamEnforcement();
            iam.destroy();
        }
    }

    it("clean: every verdict is the design's, cell for cell, and the documents are the live ones", async () => {
        const { report, design, audit } = await buildLiveReport("cross-account-s3", auditArgs(), { env: { ...auditors!.env } });
        assert.equal(audit.report.exitCode, 0);
        const live = report.deployments[0];
        assert.ok(live.rows.length > 20, `a full matrix (${live.rows.length} cells)`);
        assert.deepEqual(verdictChanges(design, live), []);
        assert.equal(report.ok, true, JSON.stringify(live.rows.filter((r) => !r.ok).map((r) => r.id)));
        assert.match(report.origin ?? "", /read live from blue account 111111111111 and green account 222222222222 by the audit \(audit: CLEAN \(exit 0\)/);
        assert.deepEqual(
            live.documents.map((d) => d.source),
            [
                "live: role CrossAccountS3Access-Role (trust policy)",
                "live: role CrossAccountS3Access-Role attached arn:aws:iam::111111111111:policy/CrossAccountS3Access",
                "live: group prod-s3-users inline AssumeCrossAccountS3AccessRole",
                "live: bucket cross-account-s3-demo-bucket (bucket policy)",
            ],
        );
        assert.deepEqual(
            live.groups.map((g) => [g.name, g.users]),
            [["prod-s3-users", ["s3-prod-user"]]],
        );
    });

    it("AdministratorAccess attached: the live matrix differs from the design's, and the rows say so", async () => {
        await withAdministratorAccess(async () => {
            const { report, design } = await buildLiveReport("cross-account-s3", auditArgs(), { env: { ...auditors!.env } });
            const live = report.deployments[0];
            const changes = verdictChanges(design, live);
            // Every request the role session was refused in S3 and IAM is allowed now; nothing else changed.
            assert.deepEqual(
                changes.map((c) => c.id),
                [
                    "s3.deleteObject",
                    "s3.putObjectAcl",
                    "s3.putBucketPolicy",
                    "s3.getObject.otherBucket",
                    "s3.listBucket.otherBucket",
                    "iam.createUser",
                    "iam.attachRolePolicy",
                    "iam.updateAssumeRolePolicy",
                ],
            );
            assert.ok(changes.every((c) => c.principal === "session of role CrossAccountS3Access-Role" && c.design === "ImplicitlyDenied" && c.live === "Allowed"));
            assert.equal(report.ok, false);
            assert.deepEqual(
                live.rows
                    .filter((r) => !r.ok)
                    .map((r) => r.id)
                    .sort(),
                changes.map((c) => c.id).sort(),
                "exactly the changed rows are marked against the design",
            );
            assert.ok(live.documents.some((d) => d.source === `live: role CrossAccountS3Access-Role attached ${ADMINISTRATOR_ACCESS}`));
        });
    });

    it("npm run access-report -- --live --check: Markdown of the live matrix, exit 1 with the drift, rows marked ❌", async () => {
        await withAdministratorAccess(async () => {
            const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
                const child = spawn("npm", ["run", "--silent", "access-report", "--", "--live", "--check", ...auditArgs()], {
                    cwd: join(__dirname, ".."),
                    env: hermeticAwsEnv(auditors!.env),
                    stdio: ["ignore", "pipe", "pipe"],
                });
                let stdout = "";
                let stderr = "";
                child.stdout.on("data", (chunk: Buffer) => {
                    stdout += chunk.toString("utf8");
                });
                child.stderr.on("data", (chunk: Buffer) => {
                    stderr += chunk.toString("utf8");
                });
                // A bound on a stuck child, not a measurement.
                const timer = setTimeout(() => child.kill("SIGKILL"), 180_000);
                child.once("error", reject);
                child.once("close", (code) => {
                    clearTimeout(timer);
                    resolve({ code, stdout, stderr });
                });
            });
            assert.equal(result.code, 1, result.stderr);
            assert.match(result.stdout, /^## Access report: cross-account-s3$/m);
            assert.match(result.stdout, /read live from blue account 111111111111 .*\(audit: DRIFT \(exit 1\): 1 difference in 1 of 14 checks\)/);
            assert.match(result.stdout, /\| `s3:DeleteObject` \| .* \| ✅ Allowed \| ❌ expected ImplicitlyDenied/);
        });
    });
});
