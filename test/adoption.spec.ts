/**
 * Adopting the hand-made walkthrough (issue 11): with `adoptExisting`, every resource of the stack is
 * registered with Pulumi's `import` option and the id the provider documents for its type, built from
 * config and account ids. The ids are read from what the SDK sends the engine (`importId`); the
 * expected ids are written out here, not computed with the code under test.
 */
import { strict as assert } from "assert";
import { BLUE_ACCOUNT, BLUE_STACK, blueConfig, bothConfig, BUCKET, GREEN_ACCOUNT, greenConfig, REGION } from "../harness/stackConfigs";
import { installMocks, runProgram, runProgramExpectingError, settled } from "../harness/pulumiMocks";
import { recordRegistrations, Registration } from "./support/registrationRecorder";

import { AssumeRoleUsers, BucketAccessRole } from "../components";

const POLICY_ARN = `arn:aws:iam::${BLUE_ACCOUNT}:policy/CrossAccountS3Access`;

/** The blue resources of the walkthrough, by "type name", with the id each is imported under ("" = created). */
const BLUE_IMPORTS: Record<string, string> = {
    "aws:s3/bucket:Bucket cross-account-bucket": BUCKET,
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock cross-account-public-access-block": BUCKET,
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls cross-account-ownership-controls": BUCKET,
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration cross-account-encryption": BUCKET,
    "aws:s3/bucketVersioning:BucketVersioning cross-account-versioning": BUCKET,
    // The walkthrough makes no bucket policy: created, not imported.
    "aws:s3/bucketPolicy:BucketPolicy cross-account-tls-only-policy": "",
    "aws:iam/policy:Policy cross-account-access-policy": POLICY_ARN,
    "aws:iam/role:Role cross-account-role": "CrossAccountS3Access-Role",
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment cross-account-role-access-policy": `CrossAccountS3Access-Role/${POLICY_ARN}`,
};

/** The green resources, with the inline policy named as typed in the console. */
const GREEN_IMPORTS: Record<string, string> = {
    "aws:iam/group:Group cross-account-group": "prod-s3-users",
    "aws:iam/groupPolicy:GroupPolicy cross-account-assume-role-policy": "prod-s3-users:AssumeCrossAccountS3Role",
    "aws:iam/user:User cross-account-user-s3-prod-user": "s3-prod-user",
    "aws:iam/userGroupMembership:UserGroupMembership cross-account-user-s3-prod-user-membership": "s3-prod-user/prod-s3-users",
    // AWS never returns an existing key's secret: a new key is created next to the hand-made one.
    "aws:iam/accessKey:AccessKey cross-account-user-s3-prod-user-access-key": "",
};

const BLUE_OUTPUTS = { roleArn: `arn:aws:iam::${BLUE_ACCOUNT}:role/CrossAccountS3Access-Role`, bucketName: BUCKET, region: REGION };

/** The import id of every AWS resource a run registered, by "type name". */
function importIds(registrations: readonly Registration[]): Record<string, string> {
    return Object.fromEntries(registrations.filter((r) => r.type.startsWith("aws:")).map((r) => [`${r.type} ${r.name}`, r.importId]));
}

/** Runs the program with `config` and records what it registers. */
async function run(config: Record<string, string>, stack: string): Promise<Registration[]> {
    let registrations: Registration[] = [];
    await runProgram(config, { stack, stackOutputs: { [BLUE_STACK]: BLUE_OUTPUTS }, onMocks: () => (registrations = recordRegistrations()) });
    return registrations;
}

describe("adoptExisting: every resource carries its import id", () => {
    it("blue: the bucket and its settings by bucket name, the policy by ARN, the role by name, the attachment as ROLE/POLICY_ARN", async () => {
        assert.deepEqual(importIds(await run(blueConfig({ adoptExisting: "true" }), "blue")), BLUE_IMPORTS);
    });

    it("green: the group, GROUP:POLICY with the inline policy's name from config, the user, USER/GROUP; no key", async () => {
        assert.deepEqual(importIds(await run(greenConfig({ adoptExisting: "true", groupPolicyName: "AssumeCrossAccountS3Role" }), "green")), GREEN_IMPORTS);
    });

    it("both: each side's resources with their ids (the providers are never imported)", async () => {
        const registrations = await run(bothConfig({ adoptExisting: "true", groupPolicyName: "AssumeCrossAccountS3Role" }), "both");
        const renamed = (imports: Record<string, string>, side: string) =>
            Object.entries(imports).map(([key, id]) => [key.replace(" cross-account-", ` cross-account-${side}-`), id]);
        const expected = Object.fromEntries([...renamed(BLUE_IMPORTS, "blue"), ...renamed(GREEN_IMPORTS, "green")]);
        assert.deepEqual(importIds(registrations), expected);
        assert.deepEqual(
            registrations.filter((r) => r.type === "pulumi:providers:aws").map((r) => r.importId),
            ["", ""],
        );
    });

    it("builds the ids from the names in config: path, names and several users", async () => {
        const blue = importIds(await run(blueConfig({ adoptExisting: "true", iamPath: "/team/", roleName: "Reader", policyName: "ReadData", bucketName: "my-data" }), "blue"));
        assert.equal(blue["aws:iam/policy:Policy cross-account-access-policy"], `arn:aws:iam::${BLUE_ACCOUNT}:policy/team/ReadData`);
        assert.equal(blue["aws:iam/rolePolicyAttachment:RolePolicyAttachment cross-account-role-access-policy"], `Reader/arn:aws:iam::${BLUE_ACCOUNT}:policy/team/ReadData`);
        assert.equal(blue["aws:s3/bucketVersioning:BucketVersioning cross-account-versioning"], "my-data");
        const green = importIds(await run(greenConfig({ adoptExisting: "true", groupName: "readers", userNames: JSON.stringify(["ann", "bob"]) }), "green"));
        assert.equal(green["aws:iam/userGroupMembership:UserGroupMembership cross-account-user-bob-membership"], "bob/readers");
        assert.equal(green["aws:iam/groupPolicy:GroupPolicy cross-account-assume-role-policy"], "readers:AssumeCrossAccountS3AccessRole");
    });

    it("imports nothing by default", async () => {
        for (const registrations of [await run(blueConfig(), "blue"), await run(greenConfig(), "green")]) {
            assert.deepEqual(
                registrations.filter((r) => r.importId !== "").map((r) => r.name),
                [],
            );
        }
    });

    it("adopts no bucket setting for a bucket it does not create, and imports no encryption it does not manage", async () => {
        const existing = importIds(await run(blueConfig({ adoptExisting: "true", createBucket: "false" }), "blue"));
        assert.deepEqual(
            Object.keys(existing).filter((key) => key.startsWith("aws:s3")),
            [],
        );
        const noEncryption = importIds(await run(blueConfig({ adoptExisting: "true", encryption: "false" }), "blue"));
        assert.equal(noEncryption["aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration cross-account-encryption"], undefined);
    });

    it("refuses adoptExisting that is not a boolean, in config and in the components, before registering anything", async () => {
        const { error, mocks } = await runProgramExpectingError(blueConfig({ adoptExisting: "yes" }));
        assert.match(error.message, /^cross-account-s3:adoptExisting: "yes" is not a boolean/);
        assert.deepEqual(
            mocks.resources.map((r) => r.name),
            [],
        );
        const direct = installMocks("adopt");
        assert.throws(
            () => new BucketAccessRole("data", { greenAccountId: GREEN_ACCOUNT, blueAccountId: BLUE_ACCOUNT, bucketName: BUCKET, adoptExisting: "true" as never }),
            /^InvalidArgumentsError: BucketAccessRoleArgs\.adoptExisting: the string "true" is not a boolean\. Pass true or false/,
        );
        assert.throws(
            () => new AssumeRoleUsers("team", { roleArn: BLUE_OUTPUTS.roleArn, adoptExisting: 1 as never }),
            /^InvalidArgumentsError: AssumeRoleUsersArgs\.adoptExisting: a number \(1\) is not a boolean/,
        );
        await settled(direct);
        assert.deepEqual(
            direct.resources.map((r) => r.name),
            [],
        );
    });

    it("refuses to adopt on the blue side without the blue account id, which the policy's ARN needs", async () => {
        const mocks = installMocks("adopt");
        assert.throws(
            () => new BucketAccessRole("data", { greenAccountId: GREEN_ACCOUNT, bucketName: BUCKET, adoptExisting: true }),
            /^InvalidArgumentsError: BucketAccessRoleArgs\.blueAccountId: it is not set, and adoptExisting needs it to name the existing policy/,
        );
        await settled(mocks);
        assert.deepEqual(
            mocks.resources.map((r) => r.name),
            [],
        );
    });

    it("leaves the policy's description alone after create, so an adopted policy is never replaced for it", async () => {
        const mocks = installMocks("adopt");
        const transformed: { name: string; ignoreChanges?: string[] }[] = [];
        new BucketAccessRole(
            "data",
            { greenAccountId: GREEN_ACCOUNT, blueAccountId: BLUE_ACCOUNT, bucketName: BUCKET, adoptExisting: true },
            {
                transformations: [
                    (args) => {
                        transformed.push({ name: args.name, ignoreChanges: args.opts.ignoreChanges });
                        return undefined;
                    },
                ],
            },
        );
        await settled(mocks);
        assert.deepEqual(transformed.find((t) => t.name === "data-access-policy")?.ignoreChanges, ["description"]);
    });
});
