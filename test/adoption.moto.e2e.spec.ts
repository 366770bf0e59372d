/**
 * Adoption on moto (issue 11): the walkthrough built by hand with the SDK, console step by console
 * step (scripts/emulator/handMadeWalkthrough.ts), then every import id the real program registers
 * with `adoptExisting` (blue and green stacks, run under mocks) is resolved against moto with the
 * read call for its type: each one names the hand-made object. Also shown: what is not imported
 * and why (no bucket policy exists; a key's secret cannot be read), and what the first `up` changes.
 *
 * What this does not prove: the provider's own import (Read) and the engine's import-then-update;
 * that needs the Pulumi CLI and AWS, neither of which runs here.
 */
import assert from "node:assert/strict";
import {
    CreateAccessKeyCommand,
    GetGroupCommand,
    GetGroupPolicyCommand,
    GetPolicyCommand,
    GetPolicyVersionCommand,
    GetRoleCommand,
    GetUserCommand,
    IAMClient,
    ListAccessKeysCommand,
    ListAttachedRolePoliciesCommand,
    ListGroupsForUserCommand,
} from "@aws-sdk/client-iam";
import {
    GetBucketEncryptionCommand,
    GetBucketOwnershipControlsCommand,
    GetBucketPolicyCommand,
    GetBucketVersioningCommand,
    GetPublicAccessBlockCommand,
    HeadBucketCommand,
    S3Client,
} from "@aws-sdk/client-s3";
import { bootstrapIamClient, bootstrapS3Client, EMULATED_REGION } from "../scripts/emulator/emulatedAccounts";
import { buildHandMadeWalkthrough, HandMadeWalkthrough } from "../scripts/emulator/handMadeWalkthrough";
import { MotoServer } from "../scripts/emulator/motoServer";
import { startMotoForSuite } from "./support/motoForSuite";
import { BLUE_ACCOUNT, BLUE_STACK, blueConfig, GREEN_ACCOUNT, greenConfig } from "../harness/stackConfigs";
import { RecordingMocks, resourceNamed, runProgram } from "../harness/pulumiMocks";
import { recordRegistrations, Registration } from "./support/registrationRecorder";

const BUCKET = "walkthrough-bucket-by-hand";
/** The inline policy's name as the user typed it in the console (not the component's default). */
const TYPED_GROUP_POLICY_NAME = "AssumeProdS3Role";

/** A run of the real program: what it registered (with import ids) and the mocks (with inputs). */
interface ProgramRun {
    readonly registrations: Registration[];
    readonly mocks: RecordingMocks;
}

async function runAdopting(config: Record<string, string>, stack: string, roleArn: string): Promise<ProgramRun> {
    let registrations: Registration[] = [];
    const { mocks } = await runProgram(config, {
        stack,
        stackOutputs: { [BLUE_STACK]: { roleArn, bucketName: BUCKET, region: EMULATED_REGION } },
        onMocks: () => (registrations = recordRegistrations()),
    });
    return { registrations, mocks };
}

describe("adoptExisting on moto: every import id resolves to the hand-made walkthrough", function () {
    this.timeout(120_000);
    let moto: MotoServer | undefined;
    let walkthrough: HandMadeWalkthrough;
    let blueS3: S3Client;
    let blueIam: IAMClient;
    let greenIam: IAMClient;
    let blue: ProgramRun;
    let green: ProgramRun;

    before(async function () {
        moto = await startMotoForSuite(this, "the moto adoption suite");
        walkthrough = await buildHandMadeWalkthrough({
            endpoint: moto.endpoint,
            region: EMULATED_REGION,
            blueAccountId: BLUE_ACCOUNT,
            greenAccountId: GREEN_ACCOUNT,
            bucketName: BUCKET,
            groupPolicyName: TYPED_GROUP_POLICY_NAME,
        });
        blueS3 = bootstrapS3Client(moto.endpoint, EMULATED_REGION, BLUE_ACCOUNT);
        blueIam = bootstrapIamClient(moto.endpoint, EMULATED_REGION, BLUE_ACCOUNT);
        greenIam = bootstrapIamClient(moto.endpoint, EMULATED_REGION, GREEN_ACCOUNT);
        // The names a walkthrough user sets: the bucket, the typed inline policy name; the rest are the defaults.
        blue = await runAdopting(blueConfig({ adoptExisting: "true", bucketName: BUCKET }), "blue", walkthrough.roleArn);
        green = await runAdopting(greenConfig({ adoptExisting: "true", groupPolicyName: TYPED_GROUP_POLICY_NAME }), "green", walkthrough.roleArn);
    });

    after(async () => {
        blueS3?.destroy();
        blueIam?.destroy();
        greenIam?.destroy();
        await moto?.stop();
    });

    /** Resolves an import id with the read call for its type; returns what was found, or throws. */
    const resolvers: Record<string, (id: string) => Promise<string>> = {
        "aws:s3/bucket:Bucket": async (id) => {
            await blueS3.send(new HeadBucketCommand({ Bucket: id }));
            return `bucket ${id}`;
        },
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": async (id) => {
            const block = (await blueS3.send(new GetPublicAccessBlockCommand({ Bucket: id }))).PublicAccessBlockConfiguration!;
            return `public access block ${[block.BlockPublicAcls, block.IgnorePublicAcls, block.BlockPublicPolicy, block.RestrictPublicBuckets].join(",")}`;
        },
        "aws:s3/bucketOwnershipControls:BucketOwnershipControls": async (id) =>
            `ownership ${(await blueS3.send(new GetBucketOwnershipControlsCommand({ Bucket: id }))).OwnershipControls!.Rules![0].ObjectOwnership}`,
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": async (id) =>
            `encryption ${(await blueS3.send(new GetBucketEncryptionCommand({ Bucket: id }))).ServerSideEncryptionConfiguration!.Rules![0].ApplyServerSideEncryptionByDefault!.SSEAlgorithm}`,
        "aws:s3/bucketVersioning:BucketVersioning": async (id) =>
            // A bucket never versioned has no status: the provider reads it as Disabled.
            `versioning ${(await blueS3.send(new GetBucketVersioningCommand({ Bucket: id }))).Status ?? "never set"}`,
        "aws:iam/policy:Policy": async (id) => `policy ${(await blueIam.send(new GetPolicyCommand({ PolicyArn: id }))).Policy!.PolicyName}`,
        "aws:iam/role:Role": async (id) => `role ${(await blueIam.send(new GetRoleCommand({ RoleName: id }))).Role!.Arn}`,
        "aws:iam/rolePolicyAttachment:RolePolicyAttachment": async (id) => {
            const slash = id.indexOf("/");
            const [roleName, policyArn] = [id.slice(0, slash), id.slice(slash + 1)];
            const attached = (await blueIam.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName }))).AttachedPolicies ?? [];
            assert.ok(
                attached.some((policy) => policy.PolicyArn === policyArn),
                `${policyArn} is not attached to ${roleName}`,
            );
            return `attachment ${roleName} -> ${policyArn}`;
        },
        "aws:iam/group:Group": async (id) => `group ${(await greenIam.send(new GetGroupCommand({ GroupName: id }))).Group!.Arn}`,
        "aws:iam/groupPolicy:GroupPolicy": async (id) => {
            const [groupName, policyName] = id.split(":");
            return `group policy ${(await greenIam.send(new GetGroupPolicyCommand({ GroupName: groupName, PolicyName: policyName }))).PolicyName}`;
        },
        "aws:iam/user:User": async (id) => `user ${(await greenIam.send(new GetUserCommand({ UserName: id }))).User!.Arn}`,
        "aws:iam/userGroupMembership:UserGroupMembership": async (id) => {
            const [userName, ...groups] = id.split("/");
            const member = ((await greenIam.send(new ListGroupsForUserCommand({ UserName: userName }))).Groups ?? []).map((group) => group.GroupName);
            assert.ok(
                groups.every((group) => member.includes(group)),
                `${userName} is in ${member.join(", ")}, not in ${groups.join(", ")}`,
            );
            return `membership ${userName} in ${groups.join(", ")}`;
        },
    };

    async function resolveAll(registrations: readonly Registration[]): Promise<string[]> {
        const found: string[] = [];
        for (const registration of registrations.filter((r) => r.importId !== "")) {
            const resolve = resolvers[registration.type];
            assert.ok(resolve, `no read call for ${registration.type}: an import id nobody checked (${registration.importId})`);
            found.push(await resolve(registration.importId));
        }
        return found;
    }

    it("blue: the bucket, its three console settings, its versioning, the policy, the role and the attachment", async () => {
        assert.deepEqual(
            (await resolveAll(blue.registrations)).sort(),
            [
                `bucket ${BUCKET}`,
                "policy CrossAccountS3Access",
                "role arn:aws:iam::111111111111:role/CrossAccountS3Access-Role",
                "public access block true,true,true,true",
                "attachment CrossAccountS3Access-Role -> arn:aws:iam::111111111111:policy/CrossAccountS3Access",
                "ownership BucketOwnerEnforced",
                "encryption AES256",
                "versioning never set",
            ].sort(),
        );
    });

    it("green: the group, the inline policy under the name typed in the console, the user and the membership", async () => {
        assert.deepEqual((await resolveAll(green.registrations)).sort(), [
            "group arn:aws:iam::222222222222:group/prod-s3-users",
            `group policy ${TYPED_GROUP_POLICY_NAME}`,
            "membership s3-prod-user in prod-s3-users",
            "user arn:aws:iam::222222222222:user/s3-prod-user",
        ]);
    });

    it("fails to resolve when a name does not match what was clicked (the import would fail): the default inline policy name", async () => {
        const untyped = await runAdopting(greenConfig({ adoptExisting: "true" }), "green", walkthrough.roleArn);
        await assert.rejects(resolveAll(untyped.registrations), (error: Error) => error.name === "NoSuchEntityException" || /NoSuchEntity|cannot be found/.test(error.message));
    });

    it("creates what does not exist or cannot be read: the bucket policy (none was made), a second access key (the first one's secret is unreadable)", async () => {
        await assert.rejects(blueS3.send(new GetBucketPolicyCommand({ Bucket: BUCKET })), (error: Error) =>
            /NoSuchBucketPolicy|policy does not exist/i.test(`${error.name} ${error.message}`),
        );
        assert.equal(blue.registrations.find((r) => r.type === "aws:s3/bucketPolicy:BucketPolicy")?.importId, "");
        assert.equal(green.registrations.find((r) => r.type === "aws:iam/accessKey:AccessKey")?.importId, "");
        // What the first up does for the key: a second one next to the hand-made one, which keeps working until deleted.
        const before = (await greenIam.send(new ListAccessKeysCommand({ UserName: "s3-prod-user" }))).AccessKeyMetadata ?? [];
        assert.deepEqual(
            before.map((key) => key.AccessKeyId),
            [walkthrough.accessKeyId],
        );
        await greenIam.send(new CreateAccessKeyCommand({ UserName: "s3-prod-user" }));
        const after = (await greenIam.send(new ListAccessKeysCommand({ UserName: "s3-prod-user" }))).AccessKeyMetadata ?? [];
        assert.equal(after.length, 2);
        assert.ok(after.some((key) => key.AccessKeyId === walkthrough.accessKeyId && key.Status === "Active"));
    });

    it("changes on the first up what the console set differently: the policy (a new default version), the trust, the group policy, versioning", async () => {
        const live = await blueIam.send(new GetPolicyVersionCommand({ PolicyArn: walkthrough.policyArn, VersionId: "v1" }));
        const livePolicy = JSON.parse(decodeURIComponent(live.PolicyVersion!.Document!));
        const desiredPolicy = JSON.parse(resourceNamed(blue.mocks, "aws:iam/policy:Policy", "cross-account-access-policy").inputs.policy);
        // The walkthrough grants all three actions on both ARNs; the component splits them (stricter).
        assert.equal(livePolicy.Statement.length, 1);
        assert.deepEqual(
            desiredPolicy.Statement.map((s: { Resource: string[] }) => s.Resource),
            [[`arn:aws:s3:::${BUCKET}/*`], [`arn:aws:s3:::${BUCKET}`]],
        );
        const liveTrust = JSON.parse(decodeURIComponent((await blueIam.send(new GetRoleCommand({ RoleName: walkthrough.roleName }))).Role!.AssumeRolePolicyDocument!));
        const desiredTrust = JSON.parse(resourceNamed(blue.mocks, "aws:iam/role:Role", "cross-account-role").inputs.assumeRolePolicy);
        assert.notDeepEqual(desiredTrust, liveTrust);
        assert.deepEqual(desiredTrust.Statement[0].Principal, liveTrust.Statement[0].Principal, "the same principal: the green root");
        const liveGroupPolicy = JSON.parse(
            decodeURIComponent((await greenIam.send(new GetGroupPolicyCommand({ GroupName: "prod-s3-users", PolicyName: TYPED_GROUP_POLICY_NAME }))).PolicyDocument!),
        );
        const desiredGroupPolicy = JSON.parse(resourceNamed(green.mocks, "aws:iam/groupPolicy:GroupPolicy", "cross-account-assume-role-policy").inputs.policy);
        assert.equal(liveGroupPolicy.Statement[0].Sid, "VisualEditor0");
        assert.deepEqual(desiredGroupPolicy.Statement[0].Resource, [walkthrough.roleArn], "the same role");
        assert.equal(resourceNamed(blue.mocks, "aws:s3/bucketVersioning:BucketVersioning", "cross-account-versioning").inputs.versioningConfiguration.status, "Enabled");
    });
});
