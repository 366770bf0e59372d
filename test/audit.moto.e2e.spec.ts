/**
 * The audit end to end on moto, IAM enforced: the design deployed as the demo deploys it (the
 * components' own documents, the TLS-only bucket policy included), read by auditors whose only
 * policy is the audit's read-only policy. Clean: exit 0. Then one drift at a time, each made by
 * hand with the bootstrap clients and undone after its test (the next test starts from a clean
 * audit, which its `beforeEach` proves): each is reported by name with exit 1. And the ways the
 * audit cannot run: exit 2.
 *
 * One moto server for the file, started with AWS managed policies loaded (AdministratorAccess must
 * exist to be attached). moto loads them lazily for each account on first use, which costs seconds,
 * so the accounts are made once and each drift is undone rather than the server reset.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createServer, Server, Socket } from "node:net";
import {
    AddUserToGroupCommand,
    AttachGroupPolicyCommand,
    AttachRolePolicyCommand,
    CreatePolicyVersionCommand,
    CreateUserCommand,
    DeletePolicyVersionCommand,
    DeleteRolePermissionsBoundaryCommand,
    DeleteRolePolicyCommand,
    DeleteUserCommand,
    DetachGroupPolicyCommand,
    DetachRolePolicyCommand,
    PutRolePermissionsBoundaryCommand,
    PutRolePolicyCommand,
    RemoveUserFromGroupCommand,
    SetDefaultPolicyVersionCommand,
    UpdateAssumeRolePolicyCommand,
    IAMClient,
} from "@aws-sdk/client-iam";
import { PutBucketPolicyCommand, PutPublicAccessBlockCommand, S3Client } from "@aws-sdk/client-s3";
import { PolicyDocument, serializePolicy } from "../components/policyDocument";
import { AUDIT_CALLS, iamActionsFor } from "../scripts/audit/awsCalls";
import { parseAuditArgs } from "../scripts/audit/args";
import { main, runAudit } from "../scripts/audit/cli";
import { AUDITOR_PROFILES, AuditorFiles, createAuditors } from "../scripts/emulator/auditors";
import { blueStackOutputs, bootstrapIamClient, bootstrapS3Client } from "../scripts/emulator/emulatedAccounts";
import { findFreePort, MotoServer } from "../scripts/emulator/motoServer";
import { startMotoForSuite } from "./support/motoForSuite";
import { prepareScenario, Scenario } from "../scripts/emulator/scenario";
import { hermeticAwsEnv } from "../scripts/emulator/verifyProcess";
import { installStandInPulumi } from "./fixtures/verify/standInPulumi";

/** Runs `npm run --silent audit -- ARGS` in the project, as a user does; resolves with its exit code and output. */
function runNpmAudit(args: readonly string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
        const child = spawn("npm", ["run", "--silent", "audit", "--", ...args], { cwd: join(__dirname, ".."), env, stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (chunk: Buffer) => {
            stdout += chunk.toString("utf8");
        });
        child.stderr.on("data", (chunk: Buffer) => {
            stderr += chunk.toString("utf8");
        });
        // A bound on a stuck child, not a measurement: the audit's own --timeout (120 s) ends it first.
        const timer = setTimeout(() => child.kill("SIGKILL"), 180_000);
        child.once("error", reject);
        child.once("close", (code) => {
            clearTimeout(timer);
            resolve({ code, stdout, stderr });
        });
    });
}

/** The JSON report, as much of it as the tests read. */
interface ReportJson {
    readonly ok: boolean;
    readonly exitCode: number;
    readonly summary: string;
    readonly error?: { readonly message: string; readonly hint?: string };
    readonly checks: readonly {
        readonly account: string;
        readonly resource: string;
        readonly check: string;
        readonly status: string;
        readonly findings: readonly { readonly kind: string; readonly item: string; readonly design?: string; readonly live?: string }[];
    }[];
}

const ADMINISTRATOR_ACCESS = "arn:aws:iam::aws:policy/AdministratorAccess";

describe("audit end to end on moto (IAM enforced, read-only auditors)", function () {
    this.timeout(200_000);
    let moto: MotoServer | undefined;
    let scenario: Scenario | undefined;
    let auditors: AuditorFiles | undefined;

    before(async function () {
        moto = await startMotoForSuite(this, "the audit's moto suite", { environment: { MOTO_IAM_LOAD_MANAGED_POLICIES: "true" } });
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

    /** The audit's command line for the emulated setup, read-only profiles included. */
    function auditArgs(...extra: string[]): string[] {
        return ["--outputs", scenario!.outputsFile, "--blue-profile", AUDITOR_PROFILES.blue, "--green-profile", AUDITOR_PROFILES.green, "--endpoint", moto!.endpoint, ...extra];
    }

    /** Runs the audit in this process; returns its exit code and output. */
    async function audit(args: string[]): Promise<{ code: number; out: string }> {
        let out = "";
        const code = await main(args, {
            env: { ...auditors!.env },
            stdout: (text) => {
                out += text;
            },
        });
        return { code, out };
    }

    async function auditJson(...extra: string[]): Promise<{ code: number; report: ReportJson }> {
        const { code, out } = await audit(auditArgs("--json", ...extra));
        return { code, report: JSON.parse(out) as ReportJson };
    }

    /** Makes a change with enforcement off (the bootstrap clients sign with throw-away keys), then turns it back on. */
    async function asAdmin(account: "blue" | "green", change: (iam: IAMClient, s3: S3Client) => Promise<unknown>): Promise<void> {
        const accountId = scenario!.accounts[account].accountId;
        const iam = bootstrapIamClient(moto!.endpoint, scenario!.accounts.region, accountId);
        const s3 = bootstrapS3Client(moto!.endpoint, scenario!.accounts.region, accountId);
        await moto!.disableIamEnforcement();
        try {
            await change(iam, s3);
        } finally {
            await moto!.enableIamEnforcement();
            iam.destroy();
            s3.destroy();
        }
    }

    function drifted(report: ReportJson): ReportJson["checks"] {
        return report.checks.filter((c) => c.status === "drift");
    }

    describe("the design as deployed", () => {
        it("is clean: exit 0, every check as designed, in a readable table", async () => {
            const { code, out } = await audit(auditArgs());
            assert.equal(code, 0, out);
            assert.match(out, /^Audit of the live setup against the design \(blue 111111111111, green 222222222222; us-east-1\)/);
            for (const aspect of [
                "trust policy",
                "attached managed policies",
                "default version",
                "inline policies",
                "permissions boundary",
                "maximum session",
                "bucket policy",
                "public access block",
                "object ownership",
                "default encryption",
                "versioning",
                "members",
            ]) {
                assert.match(out, new RegExp(`${aspect}\\s+ok$`, "m"), `${aspect} is reported ok`);
            }
            assert.doesNotMatch(out, /DRIFT/);
            assert.match(out, /^CLEAN \(exit 0\): 14 checks as designed$/m);
        });

        it("--stack blue: the blue stack's outputs through the pulumi CLI (a stand-in), as the verify script reads them", async () => {
            const pulumi = await installStandInPulumi({ blue: blueStackOutputs(scenario!.accounts) });
            try {
                let out = "";
                const code = await main(["--stack", "blue", "--blue-profile", AUDITOR_PROFILES.blue, "--green-profile", AUDITOR_PROFILES.green, "--endpoint", moto!.endpoint], {
                    env: pulumi.env({ PATH: process.env.PATH, ...auditors!.env }),
                    stdout: (text) => {
                        out += text;
                    },
                });
                assert.equal(code, 0, out);
                assert.deepEqual(await pulumi.calls(), ["stack output --json --show-secrets --stack blue"]);
            } finally {
                await pulumi.cleanup();
            }
        });

        it("--side green with flags only: the green account alone, no blue credentials, outputs or bucket needed", async () => {
            const { code, out } = await audit([
                "--side",
                "green",
                "--green-profile",
                AUDITOR_PROFILES.green,
                "--endpoint",
                moto!.endpoint,
                "--blue-account-id",
                scenario!.accounts.blue.accountId,
                "--green-account-id",
                scenario!.accounts.green.accountId,
                "--region",
                scenario!.accounts.region,
                "--json",
            ]);
            assert.equal(code, 0, out);
            const report = JSON.parse(out) as ReportJson;
            assert.deepEqual(
                report.checks.map((c) => [c.account, c.check, c.status]),
                [
                    ["green", "members", "ok"],
                    ["green", "inline policies", "ok"],
                    ["green", "attached managed policies", "ok"],
                ],
            );
        });

        it("--json: the same verdicts for tools", async () => {
            const { code, report } = await auditJson();
            assert.equal(code, 0);
            assert.equal(report.ok, true);
            assert.equal(report.exitCode, 0);
            assert.equal(report.checks.length, 14);
            assert.deepEqual(drifted(report), []);
        });
    });

    describe("drift made by hand, one at a time: each reported by name, exit 1", () => {
        // Every drift test leaves the setup as it found it; this proves it before each one.
        beforeEach(async () => {
            const { code, report } = await auditJson();
            assert.equal(code, 0, `the setup is not clean before the test: ${JSON.stringify(drifted(report))}`);
        });

        it("AdministratorAccess attached to the role", async () => {
            const role = scenario!.accounts.blue.roleName;
            await asAdmin("blue", (iam) => iam.send(new AttachRolePolicyCommand({ RoleName: role, PolicyArn: ADMINISTRATOR_ACCESS })));
            try {
                const { code, report } = await auditJson();
                assert.equal(code, 1);
                assert.equal(report.ok, false);
                assert.deepEqual(
                    drifted(report).map((c) => [c.resource, c.check, c.findings]),
                    [[`role ${role}`, "attached managed policies", [{ kind: "extra", item: ADMINISTRATOR_ACCESS }]]],
                );
                const table = await audit(auditArgs());
                assert.equal(table.code, 1);
                assert.match(table.out, /attached managed policies\s+DRIFT\n\s+- extra: arn:aws:iam::aws:policy\/AdministratorAccess\n/);
                assert.match(table.out, /^DRIFT \(exit 1\): 1 difference in 1 of 14 checks$/m);
                // docs/audit.md shows this very table as its sample.
                const doc = readFileSync(join(__dirname, "..", "docs", "audit.md"), "utf8");
                const sample = /<!-- audit-sample:start -->\n```text\n([\s\S]*?)```\n<!-- audit-sample:end -->/.exec(doc)?.[1];
                assert.equal(sample, table.out, "docs/audit.md's sample is the audit's output for this drift");
            } finally {
                await asAdmin("blue", (iam) => iam.send(new DetachRolePolicyCommand({ RoleName: role, PolicyArn: ADMINISTRATOR_ACCESS })));
            }
        });

        it("an inline policy added to the role", async () => {
            const role = scenario!.accounts.blue.roleName;
            const inline: PolicyDocument = { Version: "2012-10-17", Statement: [{ Sid: "Sneaky", Effect: "Allow", Action: ["s3:DeleteObject"], Resource: ["*"] }] };
            await asAdmin("blue", (iam) => iam.send(new PutRolePolicyCommand({ RoleName: role, PolicyName: "quick-fix", PolicyDocument: serializePolicy(inline) })));
            try {
                const { code, report } = await auditJson();
                assert.equal(code, 1);
                assert.deepEqual(
                    drifted(report).map((c) => [c.resource, c.check, c.findings]),
                    [[`role ${role}`, "inline policies", [{ kind: "extra", item: "inline policy quick-fix", live: "Sid Sneaky: Allow s3:DeleteObject on *" }]]],
                );
            } finally {
                await asAdmin("blue", (iam) => iam.send(new DeleteRolePolicyCommand({ RoleName: role, PolicyName: "quick-fix" })));
            }
        });

        it("a new default version of the managed policy (the old one kept, no longer in effect)", async () => {
            const { policyArn, bucketName, documents } = scenario!.accounts.blue;
            const designed = JSON.parse(documents.accessPolicy) as PolicyDocument;
            const broader: PolicyDocument = {
                ...designed,
                Statement: designed.Statement.map((st) => (st.Sid === "PutGetObjects" ? { ...st, Action: [...st.Action, "s3:DeleteObject"] } : st)),
            };
            let versionId = "";
            await asAdmin("blue", async (iam) => {
                versionId =
                    (await iam.send(new CreatePolicyVersionCommand({ PolicyArn: policyArn, PolicyDocument: serializePolicy(broader), SetAsDefault: true }))).PolicyVersion
                        ?.VersionId ?? "";
            });
            try {
                const { code, report } = await auditJson();
                assert.equal(code, 1);
                assert.deepEqual(
                    drifted(report).map((c) => [c.resource, c.check, c.findings]),
                    [
                        [
                            `managed policy ${policyArn}`,
                            "default version",
                            [
                                { kind: "extra", item: `statement Sid PutGetObjects: Allow s3:DeleteObject, s3:GetObject, s3:PutObject on arn:aws:s3:::${bucketName}/*` },
                                { kind: "missing", item: `statement Sid PutGetObjects: Allow s3:GetObject, s3:PutObject on arn:aws:s3:::${bucketName}/*` },
                            ],
                        ],
                    ],
                );
            } finally {
                await asAdmin("blue", async (iam) => {
                    await iam.send(new SetDefaultPolicyVersionCommand({ PolicyArn: policyArn, VersionId: "v1" }));
                    await iam.send(new DeletePolicyVersionCommand({ PolicyArn: policyArn, VersionId: versionId }));
                });
            }
        });

        it("a permissions boundary set on the role", async () => {
            const role = scenario!.accounts.blue.roleName;
            const boundary = "arn:aws:iam::aws:policy/PowerUserAccess";
            await asAdmin("blue", (iam) => iam.send(new PutRolePermissionsBoundaryCommand({ RoleName: role, PermissionsBoundary: boundary })));
            try {
                const { code, report } = await auditJson();
                assert.equal(code, 1);
                assert.deepEqual(
                    drifted(report).map((c) => [c.resource, c.check, c.findings]),
                    [[`role ${role}`, "permissions boundary", [{ kind: "different", item: "permissions boundary", design: "none", live: boundary }]]],
                );
            } finally {
                await asAdmin("blue", (iam) => iam.send(new DeleteRolePermissionsBoundaryCommand({ RoleName: role })));
            }
        });

        it("a second user added to the group", async () => {
            const group = scenario!.accounts.green.groupName;
            await asAdmin("green", async (iam) => {
                await iam.send(new CreateUserCommand({ UserName: "intern" }));
                await iam.send(new AddUserToGroupCommand({ GroupName: group, UserName: "intern" }));
            });
            try {
                const { code, report } = await auditJson();
                assert.equal(code, 1);
                assert.deepEqual(
                    drifted(report).map((c) => [c.account, c.resource, c.check, c.findings]),
                    [["green", `group ${group}`, "members", [{ kind: "extra", item: "user intern" }]]],
                );
            } finally {
                await asAdmin("green", async (iam) => {
                    await iam.send(new RemoveUserFromGroupCommand({ GroupName: group, UserName: "intern" }));
                    await iam.send(new DeleteUserCommand({ UserName: "intern" }));
                });
            }
        });

        it("an Allow statement added to the bucket policy", async () => {
            const { bucketName, documents } = scenario!.accounts.blue;
            const designed = JSON.parse(documents.bucketPolicy!) as PolicyDocument;
            const widened: PolicyDocument = {
                ...designed,
                Statement: [
                    ...designed.Statement,
                    {
                        Sid: "ShareWithPartner",
                        Effect: "Allow",
                        Principal: { AWS: "arn:aws:iam::444444444444:root" },
                        Action: ["s3:GetObject"],
                        Resource: [`arn:aws:s3:::${bucketName}/*`],
                    },
                ],
            };
            await asAdmin("blue", (_iam, s3) => s3.send(new PutBucketPolicyCommand({ Bucket: bucketName, Policy: serializePolicy(widened) })));
            try {
                const { code, report } = await auditJson();
                assert.equal(code, 1);
                assert.deepEqual(
                    drifted(report).map((c) => [c.resource, c.check, c.findings]),
                    [
                        [
                            `bucket ${bucketName}`,
                            "bucket policy",
                            [
                                {
                                    kind: "extra",
                                    item: `the bucket policy: statement Sid ShareWithPartner: Allow s3:GetObject on arn:aws:s3:::${bucketName}/*; principal {"AWS":["arn:aws:iam::444444444444:root"]}`,
                                },
                            ],
                        ],
                    ],
                );
            } finally {
                await asAdmin("blue", (_iam, s3) => s3.send(new PutBucketPolicyCommand({ Bucket: bucketName, Policy: documents.bucketPolicy! })));
            }
        });

        it("one public access block flag turned off", async () => {
            const { bucketName } = scenario!.accounts.blue;
            const put = (restrict: boolean) =>
                asAdmin("blue", (_iam, s3) =>
                    s3.send(
                        new PutPublicAccessBlockCommand({
                            Bucket: bucketName,
                            PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: restrict },
                        }),
                    ),
                );
            await put(false);
            try {
                const { code, report } = await auditJson();
                assert.equal(code, 1);
                assert.deepEqual(
                    drifted(report).map((c) => [c.resource, c.check, c.findings]),
                    [[`bucket ${bucketName}`, "public access block", [{ kind: "different", item: "RestrictPublicBuckets", design: "true", live: "false" }]]],
                );
            } finally {
                await put(true);
            }
        });

        it("the trust changed to another account", async () => {
            const { roleName, documents } = scenario!.accounts.blue;
            const otherTrust = documents.trustPolicy.replace(/222222222222/g, "333333333333");
            assert.notEqual(otherTrust, documents.trustPolicy);
            await asAdmin("blue", (iam) => iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: roleName, PolicyDocument: otherTrust })));
            try {
                const { code, report } = await auditJson();
                assert.equal(code, 1);
                assert.deepEqual(
                    drifted(report).map((c) => [c.resource, c.check, c.findings]),
                    [
                        [
                            `role ${roleName}`,
                            "trust policy",
                            [
                                {
                                    kind: "extra",
                                    item: 'the trust policy: statement Sid TrustIdentityAccount: Allow sts:AssumeRole; principal {"AWS":["arn:aws:iam::333333333333:root"]}',
                                },
                                {
                                    kind: "missing",
                                    item: 'the trust policy: statement Sid TrustIdentityAccount: Allow sts:AssumeRole; principal {"AWS":["arn:aws:iam::222222222222:root"]}',
                                },
                            ],
                        ],
                    ],
                );
            } finally {
                await asAdmin("blue", (iam) => iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: roleName, PolicyDocument: documents.trustPolicy })));
            }
        });

        it("the trust policy respelled (a string for a one-element list, an empty Condition, other key order, indented) is no drift", async () => {
            const { roleName, documents } = scenario!.accounts.blue;
            const trust = JSON.parse(documents.trustPolicy) as { Statement: Record<string, unknown>[] };
            const respelled = JSON.stringify({ Statement: trust.Statement.map((s) => ({ ...s, Action: "sts:AssumeRole", Condition: {} })), Version: "2012-10-17" }, null, 4);
            await asAdmin("blue", (iam) => iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: roleName, PolicyDocument: respelled })));
            try {
                const { code, report } = await auditJson();
                assert.equal(code, 0, JSON.stringify(drifted(report)));
            } finally {
                await asAdmin("blue", (iam) => iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: roleName, PolicyDocument: documents.trustPolicy })));
            }
        });
    });

    describe("the read-only policy", () => {
        it("names exactly the calls the audit makes: with an inline role policy and an attached group policy, every call of the table is made, and nothing else", async () => {
            const role = scenario!.accounts.blue.roleName;
            const group = scenario!.accounts.green.groupName;
            const inline: PolicyDocument = { Version: "2012-10-17", Statement: [{ Sid: "Extra", Effect: "Allow", Action: ["s3:GetObject"], Resource: ["*"] }] };
            await asAdmin("blue", (iam) => iam.send(new PutRolePolicyCommand({ RoleName: role, PolicyName: "extra", PolicyDocument: serializePolicy(inline) })));
            await asAdmin("green", (iam) => iam.send(new AttachGroupPolicyCommand({ GroupName: group, PolicyArn: ADMINISTRATOR_ACCESS })));
            try {
                const run = await runAudit(parseAuditArgs(auditArgs()), { env: { ...auditors!.env } });
                assert.equal(run.report.exitCode, 1);
                for (const account of ["blue", "green"] as const) {
                    const made = new Set(run.sent.filter((c) => c.account === account).map((c) => c.operation));
                    const table = Object.values(AUDIT_CALLS)
                        .filter((c) => (c.accounts as readonly string[]).includes(account))
                        .map((c) => c.operation);
                    assert.deepEqual([...made].sort(), [...table].sort(), `${account}: the calls made are the table's`);
                    const actions = [...made].map((op) => (AUDIT_CALLS[op as keyof typeof AUDIT_CALLS] as { iamAction?: string }).iamAction).filter((a) => a !== undefined);
                    assert.deepEqual([...new Set(actions)].sort(), iamActionsFor(account), `${account}: the policy's actions are those of the calls made`);
                }
            } finally {
                await asAdmin("blue", (iam) => iam.send(new DeleteRolePolicyCommand({ RoleName: role, PolicyName: "extra" })));
                await asAdmin("green", (iam) => iam.send(new DetachGroupPolicyCommand({ GroupName: group, PolicyArn: ADMINISTRATOR_ACCESS })));
            }
        });

        it("an auditor without one of its actions cannot run: exit 2 naming the action", async () => {
            // The green auditor may read only the green group: audited as the "blue" account (ids swapped by flags), GetRole is refused.
            const { code: refused, out } = await audit([
                "--outputs",
                scenario!.outputsFile,
                "--blue-profile",
                AUDITOR_PROFILES.green,
                "--endpoint",
                moto!.endpoint,
                "--side",
                "blue",
                "--blue-account-id",
                scenario!.accounts.green.accountId,
                "--green-account-id",
                scenario!.accounts.blue.accountId,
            ]);
            assert.equal(refused, 2, out);
            assert.match(
                out,
                /GetRole on role CrossAccountS3Access-Role was refused \(AccessDenied, HTTP 403\): the credentials of --blue-profile audit-green may not call iam:GetRole/,
            );
            assert.match(out, /hint: attach the audit's read-only policy for the blue account \(docs\/audit\.md\)/);
        });
    });

    describe("could not run: exit 2", () => {
        it("no such role", async () => {
            const { code, report } = await auditJson("--role-name", "NoSuchRole");
            assert.equal(code, 2);
            assert.equal(report.exitCode, 2);
            assert.match(report.error!.message, /^blue account: GetRole \(role NoSuchRole\) failed: NoSuchEntity \(HTTP 404\)/);
            assert.match(report.error!.hint!, /check --role-name/);
        });

        it("no such group, no such bucket", async () => {
            const group = await auditJson("--group-name", "no-such-group");
            assert.equal(group.code, 2);
            assert.match(group.report.error!.message, /^green account: GetGroup \(group no-such-group\) failed: NoSuchEntity/);
            assert.match(group.report.error!.hint!, /check --group-name/);
            const bucket = await auditJson("--bucket", "no-such-bucket-here");
            assert.equal(bucket.code, 2);
            assert.match(bucket.report.error!.message, /^blue account: GetBucketPolicy \(bucket no-such-bucket-here\) failed: NoSuchBucket/);
            assert.match(bucket.report.error!.hint!, /check --bucket/);
        });

        it("credentials of the wrong account", async () => {
            const { code, out } = await audit([
                "--outputs",
                scenario!.outputsFile,
                "--blue-profile",
                AUDITOR_PROFILES.green,
                "--green-profile",
                AUDITOR_PROFILES.green,
                "--endpoint",
                moto!.endpoint,
            ]);
            assert.equal(code, 2);
            assert.match(out, /blue account: the credentials of --blue-profile audit-green belong to account 222222222222, not the blue account 111111111111/);
        });

        it("the emulator is down", async () => {
            const closedPort = await findFreePort();
            const { code: down, out } = await audit([
                "--outputs",
                scenario!.outputsFile,
                "--blue-profile",
                AUDITOR_PROFILES.blue,
                "--green-profile",
                AUDITOR_PROFILES.green,
                "--endpoint",
                `http://127.0.0.1:${closedPort}`,
            ]);
            assert.equal(down, 2, out);
            assert.match(out, new RegExp(`could not reach http://127\\.0\\.0\\.1:${closedPort} \\(ECONNREFUSED\\)`));
        });

        it("an endpoint that accepts and never answers: stopped by --timeout", async () => {
            const sockets = new Set<Socket>();
            const silent: Server = createServer((socket) => {
                sockets.add(socket);
            });
            await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
            const port = (silent.address() as { port: number }).port;
            try {
                const { code, out } = await audit([
                    "--outputs",
                    scenario!.outputsFile,
                    "--blue-profile",
                    AUDITOR_PROFILES.blue,
                    "--green-profile",
                    AUDITOR_PROFILES.green,
                    "--endpoint",
                    `http://127.0.0.1:${port}`,
                    "--timeout",
                    "2",
                ]);
                assert.equal(code, 2, out);
                assert.match(out, /did not finish within --timeout 2 s/);
                // One connection per account: the deadline aborted each first attempt, and an aborted call is not retried
                // (without the abort each call would wait out the 30 s request timeout and be tried 3 times).
                assert.equal(sockets.size, 2);
            } finally {
                sockets.forEach((socket) => socket.destroy());
                await new Promise<void>((resolve) => silent.close(() => resolve()));
            }
        });
    });

    it("npm run audit: the bin runs as a child process and exits 0 on the clean setup", async () => {
        const result = await runNpmAudit(auditArgs(), hermeticAwsEnv(auditors!.env));
        assert.equal(result.code, 0, result.stdout + result.stderr);
        assert.match(result.stdout, /^CLEAN \(exit 0\): 14 checks as designed$/m);
    });
});
