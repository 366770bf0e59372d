/**
 * The real program (index.ts) under Pulumi mocks, for each kind of stack: which resources it
 * registers, with which provider, with which exact policy documents, and what it exports.
 */
import { strict as assert } from "assert";
import { BLUE_ACCOUNT, BLUE_STACK, BUCKET, blueConfig, bothConfig, GREEN_ACCOUNT, greenConfig, REGION } from "../harness/stackConfigs";
import { ProgramRun, providerName, RecordingMocks, resourceNamed, runProgram, runProgramExpectingError } from "../harness/pulumiMocks";
import { listenToFieldChecks } from "../components/argumentCheck";
import { BLUE_STACK_OUTPUT, GREEN_STACK_OUTPUT } from "../components/stackOutputs";

const ROLE_ARN = `arn:aws:iam::${BLUE_ACCOUNT}:role/CrossAccountS3Access-Role`;

/** The walkthrough's access policy, written out by hand: this is the requirement. */
const EXPECTED_ACCESS_POLICY = {
    Version: "2012-10-17",
    Statement: [
        { Sid: "PutGetObjects", Effect: "Allow", Action: ["s3:PutObject", "s3:GetObject"], Resource: [`arn:aws:s3:::${BUCKET}/*`] },
        { Sid: "ListBucket", Effect: "Allow", Action: ["s3:ListBucket"], Resource: [`arn:aws:s3:::${BUCKET}`] },
    ],
};

const EXPECTED_TRUST_POLICY = {
    Version: "2012-10-17",
    Statement: [{ Sid: "TrustIdentityAccount", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${GREEN_ACCOUNT}:root` }, Action: ["sts:AssumeRole"] }],
};

const EXPECTED_BUCKET_POLICY = {
    Version: "2012-10-17",
    Statement: [
        {
            Sid: "DenyInsecureTransport",
            Effect: "Deny",
            Principal: "*",
            Action: ["s3:*"],
            Resource: [`arn:aws:s3:::${BUCKET}`, `arn:aws:s3:::${BUCKET}/*`],
            Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
    ],
};

const expectedGroupPolicy = (roleArn: string) => ({
    Version: "2012-10-17",
    Statement: [{ Sid: "AssumeCrossAccountBucketRole", Effect: "Allow", Action: ["sts:AssumeRole"], Resource: [roleArn] }],
});

const BLUE_RESOURCES = [
    "aws:s3/bucket:Bucket cross-account-bucket",
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock cross-account-public-access-block",
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls cross-account-ownership-controls",
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration cross-account-encryption",
    "aws:s3/bucketVersioning:BucketVersioning cross-account-versioning",
    "aws:s3/bucketPolicy:BucketPolicy cross-account-tls-only-policy",
    "aws:iam/policy:Policy cross-account-access-policy",
    "aws:iam/role:Role cross-account-role",
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment cross-account-role-access-policy",
];

const GREEN_RESOURCES = [
    "aws:iam/group:Group cross-account-group",
    "aws:iam/groupPolicy:GroupPolicy cross-account-assume-role-policy",
    "aws:iam/user:User cross-account-user-s3-prod-user",
    "aws:iam/userGroupMembership:UserGroupMembership cross-account-user-s3-prod-user-membership",
    "aws:iam/accessKey:AccessKey cross-account-user-s3-prod-user-access-key",
];

/** The AWS resources a run registered (not providers, components or stack references), as "type name". */
function awsResources(mocks: RecordingMocks): string[] {
    return mocks.resources
        .filter((r) => r.custom && r.type.startsWith("aws:"))
        .map((r) => `${r.type} ${r.name}`)
        .sort();
}

/** The provider name of each AWS resource, e.g. { "aws:iam/role:Role cross-account-role": "blue" }. */
function providersOf(mocks: RecordingMocks): Map<string, string | undefined> {
    return new Map(mocks.resources.filter((r) => r.custom && r.type.startsWith("aws:")).map((r) => [`${r.type} ${r.name}`, providerName(r.provider)]));
}

function policyOf(mocks: RecordingMocks, type: string, name: string, field = "policy"): unknown {
    return JSON.parse(resourceNamed(mocks, type, name).inputs[field]);
}

/** Runs the blue stack and feeds its outputs to the green stack through the StackReference, as Pulumi would. */
async function runBlueThenGreen(greenOverrides: Record<string, string> = {}): Promise<{ blue: ProgramRun; green: ProgramRun }> {
    const blue = await runProgram(blueConfig(), { stack: "blue" });
    const blueOutputs = Object.fromEntries(Object.entries(blue.outputs).map(([key, output]) => [key, output.value]));
    const green = await runProgram(greenConfig(greenOverrides), { stack: "green", stackOutputs: { [BLUE_STACK]: blueOutputs } });
    return { blue, green };
}

describe("program: blue stack (resource account)", () => {
    let run: ProgramRun;
    before(async () => {
        run = await runProgram(blueConfig(), { stack: "blue" });
    });

    it("registers exactly the bucket, its security settings, the policy, the role and the attachment", () => {
        assert.deepEqual(awsResources(run.mocks), [...BLUE_RESOURCES].sort());
    });

    it("gives every AWS resource the explicit blue provider, pinned to the blue account", () => {
        for (const [resource, provider] of providersOf(run.mocks)) {
            assert.equal(provider, "blue", `${resource} uses provider ${provider}`);
        }
        const provider = resourceNamed(run.mocks, "pulumi:providers:aws", "blue");
        assert.deepEqual(JSON.parse(provider.inputs.allowedAccountIds), [BLUE_ACCOUNT]);
        assert.equal(provider.inputs.region, REGION);
    });

    it("writes the walkthrough's access policy: PutObject and GetObject on objects, ListBucket on the bucket, nothing else", () => {
        assert.deepEqual(policyOf(run.mocks, "aws:iam/policy:Policy", "cross-account-access-policy"), EXPECTED_ACCESS_POLICY);
        assert.equal(resourceNamed(run.mocks, "aws:iam/policy:Policy", "cross-account-access-policy").inputs.name, "CrossAccountS3Access");
    });

    it("trusts the green account's root, and only for sts:AssumeRole", () => {
        const role = resourceNamed(run.mocks, "aws:iam/role:Role", "cross-account-role");
        assert.deepEqual(role.secretInputs, [], "without an ExternalId the trust policy is plain, for reviewers");
        assert.deepEqual(JSON.parse(role.inputs.assumeRolePolicy), EXPECTED_TRUST_POLICY);
        assert.equal(role.inputs.name, "CrossAccountS3Access-Role");
        assert.equal(role.inputs.maxSessionDuration, 3600);
    });

    it("attaches the access policy to the role", () => {
        const attachment = resourceNamed(run.mocks, "aws:iam/rolePolicyAttachment:RolePolicyAttachment", "cross-account-role-access-policy");
        assert.equal(attachment.inputs.role, "CrossAccountS3Access-Role");
        assert.equal(attachment.inputs.policyArn, `arn:aws:iam::${BLUE_ACCOUNT}:policy/CrossAccountS3Access`);
    });

    it("secures the bucket: no force-destroy, public access blocked, owner enforced, SSE-S3, versioning, TLS-only policy", () => {
        const m = run.mocks;
        assert.equal(resourceNamed(m, "aws:s3/bucket:Bucket", "cross-account-bucket").inputs.forceDestroy, false);
        const block = resourceNamed(m, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "cross-account-public-access-block").inputs;
        assert.deepEqual([block.blockPublicAcls, block.blockPublicPolicy, block.ignorePublicAcls, block.restrictPublicBuckets], [true, true, true, true]);
        assert.equal(
            resourceNamed(m, "aws:s3/bucketOwnershipControls:BucketOwnershipControls", "cross-account-ownership-controls").inputs.rule.objectOwnership,
            "BucketOwnerEnforced",
        );
        assert.deepEqual(resourceNamed(m, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "cross-account-encryption").inputs.rules, [
            { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
        ]);
        assert.equal(resourceNamed(m, "aws:s3/bucketVersioning:BucketVersioning", "cross-account-versioning").inputs.versioningConfiguration.status, "Enabled");
        assert.deepEqual(policyOf(m, "aws:s3/bucketPolicy:BucketPolicy", "cross-account-tls-only-policy"), EXPECTED_BUCKET_POLICY);
    });

    it("exports the role ARN, bucket and region for the green stack and the verify script", () => {
        const values = Object.fromEntries(Object.entries(run.outputs).map(([k, o]) => [k, o.value]));
        assert.deepEqual(values, {
            roleArn: ROLE_ARN,
            roleName: "CrossAccountS3Access-Role",
            bucketName: BUCKET,
            bucketArn: `arn:aws:s3:::${BUCKET}`,
            policyArn: `arn:aws:iam::${BLUE_ACCOUNT}:policy/CrossAccountS3Access`,
            region: REGION,
            blueAccountId: BLUE_ACCOUNT,
            greenAccountId: GREEN_ACCOUNT,
            externalIdRequired: false,
            mfaRequired: false,
            readOnly: false,
        });
        assert.ok(
            Object.values(run.outputs).every((o) => !o.secret),
            "nothing secret in the blue stack",
        );
    });

    it("leaves out an output that is not set, rather than export undefined (the SDK warns on every preview)", () => {
        assert.ok(!("externalId" in run.outputs) && !("objectKeyPrefix" in run.outputs), Object.keys(run.outputs).join(", "));
        assert.ok(Object.values(run.outputs).every((o) => o.value !== undefined));
    });

    it("exports exactly the outputs of the stack-output contract, by its names", () => {
        const optional = ["externalId", "objectKeyPrefix"];
        assert.deepEqual(
            Object.keys(run.outputs).sort(),
            Object.values(BLUE_STACK_OUTPUT)
                .filter((name) => !optional.includes(name))
                .sort(),
        );
    });

    it("writes byte-identical policy documents on a second evaluation (no diff on the next pulumi up)", async () => {
        const again = await runProgram(blueConfig(), { stack: "blue" });
        const documents = (m: RecordingMocks) =>
            m.resources
                .filter((r) => r.inputs.policy !== undefined || r.inputs.assumeRolePolicy !== undefined)
                .map((r) => `${r.name}:${r.inputs.policy ?? r.inputs.assumeRolePolicy}`);
        assert.equal(documents(run.mocks).length, 3);
        assert.deepEqual(documents(again.mocks), documents(run.mocks));
    });
});

describe("program: green stack (identity account)", () => {
    let blue: ProgramRun;
    let green: ProgramRun;
    before(async () => {
        ({ blue, green } = await runBlueThenGreen());
    });

    it("reads the blue stack named by config blueStack", () => {
        const reference = green.mocks.resources.filter((r) => r.type === "pulumi:pulumi:StackReference");
        assert.deepEqual(
            reference.map((r) => r.inputs.name),
            [BLUE_STACK],
        );
    });

    it("registers exactly the group, its policy, the user, the membership and the access key", () => {
        assert.deepEqual(awsResources(green.mocks), [...GREEN_RESOURCES].sort());
    });

    it("gives every AWS resource the explicit green provider, pinned to the green account", () => {
        for (const [resource, provider] of providersOf(green.mocks)) {
            assert.equal(provider, "green", `${resource} uses provider ${provider}`);
        }
        assert.deepEqual(JSON.parse(resourceNamed(green.mocks, "pulumi:providers:aws", "green").inputs.allowedAccountIds), [GREEN_ACCOUNT]);
    });

    it("allows sts:AssumeRole on exactly the role ARN the blue stack exported", () => {
        const roleArn = blue.outputs.roleArn.value as string;
        assert.equal(roleArn, ROLE_ARN);
        assert.deepEqual(policyOf(green.mocks, "aws:iam/groupPolicy:GroupPolicy", "cross-account-assume-role-policy"), expectedGroupPolicy(roleArn));
    });

    it("names the group, user and membership as the walkthrough does", () => {
        const m = green.mocks;
        assert.equal(resourceNamed(m, "aws:iam/group:Group", "cross-account-group").inputs.name, "prod-s3-users");
        assert.equal(resourceNamed(m, "aws:iam/user:User", "cross-account-user-s3-prod-user").inputs.name, "s3-prod-user");
        assert.equal(resourceNamed(m, "aws:iam/user:User", "cross-account-user-s3-prod-user").inputs.forceDestroy, false);
        assert.deepEqual(resourceNamed(m, "aws:iam/userGroupMembership:UserGroupMembership", "cross-account-user-s3-prod-user-membership").inputs, {
            user: "s3-prod-user",
            groups: ["prod-s3-users"],
        });
        assert.equal(resourceNamed(m, "aws:iam/groupPolicy:GroupPolicy", "cross-account-assume-role-policy").inputs.group, "prod-s3-users");
    });

    it("keeps the secret keys and the CLI config secret, and the key ids plain", () => {
        assert.equal(green.outputs.secretAccessKeys.secret, true);
        assert.equal(green.outputs.cliConfig.secret, true);
        assert.equal(green.outputs.accessKeyIds.secret, false);
        const keyId = (green.outputs.accessKeyIds.value as Record<string, string>)["s3-prod-user"];
        assert.match(keyId, /^AKIA/);
    });

    it("renders the green and blue CLI profiles with the user's key and the blue stack's role and region", () => {
        const keyId = (green.outputs.accessKeyIds.value as Record<string, string>)["s3-prod-user"];
        const secret = (green.outputs.secretAccessKeys.value as Record<string, string>)["s3-prod-user"];
        const text = green.outputs.cliConfig.value as string;
        const profiles = parseIni(text);
        assert.deepEqual(profiles, {
            "profile green": { aws_access_key_id: keyId, aws_secret_access_key: secret, region: REGION },
            "profile blue": { role_arn: ROLE_ARN, source_profile: "green", region: REGION },
        });
    });

    it("exports the green outputs of the contract, and nothing undefined", () => {
        const keylessOnly = ["objectKeyPrefix", "greenRoleNames", "greenGroupNames", "permissionSetNames", "grantPolicyArn"];
        assert.deepEqual(
            Object.keys(green.outputs).sort(),
            Object.values(GREEN_STACK_OUTPUT)
                .filter((name) => !keylessOnly.includes(name))
                .sort(),
        );
        assert.ok(Object.values(green.outputs).every((o) => o.value !== undefined));
    });

    it("exports what the verify script needs", () => {
        assert.equal(green.outputs.roleArn.value, ROLE_ARN);
        assert.equal(green.outputs.bucketName.value, BUCKET);
        assert.equal(green.outputs.region.value, REGION);
        assert.deepEqual(green.outputs.userNames.value, ["s3-prod-user"]);
    });

    it("refuses a blue stack without a roleArn output, naming blueStack, before creating anything", async () => {
        const { error, mocks } = await runProgramExpectingError(greenConfig(), { stackOutputs: { [BLUE_STACK]: { bucketName: BUCKET } } });
        assert.match(error.message, /cross-account-s3:blueStack: stack "organization\/cross-account-s3\/blue" has no roleArn output\. Deploy the blue stack first/);
        assert.deepEqual(awsResources(mocks), []);
    });

    it("takes the role's ExternalId (a secret) from the blue stack, and meets its MFA condition, in the users' CLI profile", async () => {
        const blue = await runProgram(blueConfig({ externalId: "deploy-42", requireMfa: "true", objectKeyPrefix: "uploads/" }), { stack: "blue" });
        assert.equal(blue.outputs.cliConfig, undefined);
        assert.deepEqual([blue.outputs.externalIdRequired.value, blue.outputs.mfaRequired.value, blue.outputs.objectKeyPrefix.value], [true, true, "uploads/"]);
        assert.deepEqual(blue.outputs.externalId, { value: "deploy-42", secret: true });
        assert.deepEqual(resourceNamed(blue.mocks, "aws:iam/role:Role", "cross-account-role").secretInputs, ["assumeRolePolicy"], "the trust policy holds the ExternalId: secret");
        const blueOutputs = Object.fromEntries(Object.entries(blue.outputs).map(([key, output]) => [key, output.value]));
        const mfaSerial = `arn:aws:iam::${GREEN_ACCOUNT}:mfa/s3-prod-user`;
        const green = await runProgram(greenConfig({ mfaSerial }), { stack: "green", stackOutputs: { [BLUE_STACK]: blueOutputs } });
        assert.deepEqual(parseIni(green.outputs.cliConfig.value as string)["profile blue"], {
            role_arn: ROLE_ARN,
            source_profile: "green",
            region: REGION,
            external_id: "deploy-42",
            mfa_serial: mfaSerial,
        });
        assert.equal(green.outputs.objectKeyPrefix.value, "uploads/");

        const differs = await runProgramExpectingError(greenConfig({ mfaSerial, externalId: "deploy-41" }), { stackOutputs: { [BLUE_STACK]: blueOutputs } });
        assert.match(
            differs.error.message,
            /^cross-account-s3:externalId: it differs from the ExternalId the role of stack "organization\/cross-account-s3\/blue" requires \(values not shown\)/,
        );
        assert.ok(!differs.error.message.includes("deploy-4"), "no ExternalId in the message");

        const { externalId: _hidden, ...olderBlue } = blueOutputs;
        const missing = await runProgramExpectingError(greenConfig({ mfaSerial }), { stackOutputs: { [BLUE_STACK]: olderBlue } });
        assert.match(
            missing.error.message,
            /^cross-account-s3:externalId: the role of stack "organization\/cross-account-s3\/blue" requires an ExternalId, and this stack sets none/,
        );
    });

    it("says which stack could not be read when the StackReference fails", async () => {
        const { error, mocks } = await runProgramExpectingError(greenConfig({ blueStack: "organization/cross-account-s3/bleu" }), { stackOutputs: {} });
        assert.match(
            error.message,
            /^cross-account-s3:blueStack: stack "organization\/cross-account-s3\/bleu" could not be read .*Check that blueStack names the deployed blue stack/,
        );
        assert.deepEqual(awsResources(mocks), []);
    });

    it("refuses a roleArn output that is not a role ARN", async () => {
        const { error } = await runProgramExpectingError(greenConfig(), { stackOutputs: { [BLUE_STACK]: { roleArn: `arn:aws:iam::${BLUE_ACCOUNT}:user/alice` } } });
        assert.match(error.message, /output roleArn of organization\/cross-account-s3\/blue.*is not an IAM role ARN/);
    });

    it("refuses a blue stack whose role is in another account than blueAccountId", async () => {
        const { error } = await runProgramExpectingError(greenConfig(), {
            stackOutputs: { [BLUE_STACK]: { roleArn: "arn:aws:iam::333333333333:role/CrossAccountS3Access-Role" } },
        });
        assert.match(error.message, /is in account 333333333333, not blueAccountId 111111111111/);
    });
});

describe("program: both sides from one stack", () => {
    let run: ProgramRun;
    /** The property path of every field check of the both stack's run, in order. */
    let checked: string[];
    before(async () => {
        checked = [];
        const stop = listenToFieldChecks((path) => checked.push(path));
        try {
            run = await runProgram(bothConfig({ externalId: "deploy-42", trustedPrincipalArns: JSON.stringify([`arn:aws:iam::${GREEN_ACCOUNT}:user/alice`]) }), { stack: "both" });
        } finally {
            stop();
        }
    });

    it("checks each field once: no argument is validated twice (the composite hands its children resolved arguments)", () => {
        const counts = new Map<string, number>();
        for (const path of checked) {
            counts.set(path, (counts.get(path) ?? 0) + 1);
        }
        assert.deepEqual(
            [...counts].filter(([, n]) => n > 1),
            [],
            "checked more than once",
        );
        assert.equal(counts.get("greenAccountId"), 1, "the green account id: once (it was eight times)");
        assert.equal(counts.get("blueAccountId"), 1);
        for (const field of ["blue.bucketName", "blue.roleName", "blue.externalId", "blue.trustedPrincipalArns[0]", "green.userNames", "green.groupName"]) {
            assert.equal(counts.get(field), 1, field);
        }
        assert.ok(checked.length >= 20, `${checked.length} checks`);
    });

    it("keeps the ExternalId secret by type: read with getSecret, in the trust policy, the outputs and the CLI profile", () => {
        assert.deepEqual(run.outputs.externalId, { value: "deploy-42", secret: true });
        assert.deepEqual(resourceNamed(run.mocks, "aws:iam/role:Role", "cross-account-blue-role").secretInputs, ["assumeRolePolicy"]);
        assert.equal(run.outputs.cliConfig.secret, true);
        assert.match(run.outputs.cliConfig.value as string, /\nexternal_id = deploy-42\n/);
    });

    it("registers both sides' resources, under one CrossAccountBucketAccess component", () => {
        const prefixed = (list: string[], side: string) => list.map((r) => r.replace(" cross-account-", ` cross-account-${side}-`));
        assert.deepEqual(awsResources(run.mocks), [...prefixed(BLUE_RESOURCES, "blue"), ...prefixed(GREEN_RESOURCES, "green")].sort());
        const components = run.mocks.resources
            .filter((r) => !r.custom)
            .map((r) => `${r.type} ${r.name}`)
            .sort();
        assert.deepEqual(components, [
            "cross-account-s3:index:AssumeRoleUsers cross-account-green",
            "cross-account-s3:index:BucketAccessRole cross-account-blue",
            "cross-account-s3:index:CrossAccountBucketAccess cross-account",
        ]);
    });

    it("gives the blue side's resources the blue provider and the green side's the green provider", () => {
        const providers = providersOf(run.mocks);
        assert.equal(providers.size, BLUE_RESOURCES.length + GREEN_RESOURCES.length);
        for (const [resource, provider] of providers) {
            const expected = resource.includes(" cross-account-blue-") ? "blue" : "green";
            assert.equal(provider, expected, `${resource} uses provider ${provider}`);
        }
        const green = resourceNamed(run.mocks, "pulumi:providers:aws", "green").inputs;
        assert.deepEqual(JSON.parse(green.allowedAccountIds), [GREEN_ACCOUNT]);
        assert.equal(green.profile, "green-admin");
    });

    it("points the group's policy at the role the blue side created", () => {
        const role = resourceNamed(run.mocks, "aws:iam/role:Role", "cross-account-blue-role");
        assert.deepEqual(policyOf(run.mocks, "aws:iam/groupPolicy:GroupPolicy", "cross-account-green-assume-role-policy"), expectedGroupPolicy(role.state.arn));
        assert.deepEqual(JSON.parse(role.inputs.assumeRolePolicy).Statement[0].Principal, { AWS: `arn:aws:iam::${GREEN_ACCOUNT}:user/alice` });
    });

    it("reports three mistakes of a both stack in one error, before anything is registered", async () => {
        const { error, mocks } = await runProgramExpectingError(
            bothConfig({
                trustedPrincipalArns: JSON.stringify([`arn:aws-us-gov:iam::${GREEN_ACCOUNT}:root`]),
                readOnly: "False",
                userNames: JSON.stringify(["a", "A"]),
            }),
        );
        assert.equal(error.name, "InvalidArgumentsError");
        assert.match(error.message, /^3 problems in the stack's config/);
        assert.match(error.message, /cross-account-s3:readOnly: "False" is not a boolean/);
        assert.match(error.message, /cross-account-s3:trustedPrincipalArns\[0\]: .* is in partition aws-us-gov, not the role's partition aws/);
        assert.match(error.message, /cross-account-s3:userNames: user "A" appears twice/);
        assert.deepEqual(
            mocks.resources.map((r) => r.type),
            [],
            "not even a provider",
        );
    });

    it("exports both sides' outputs, secrets kept secret, CLI profiles in the bucket's region", () => {
        assert.equal(run.outputs.roleArn.value, ROLE_ARN);
        assert.equal(run.outputs.secretAccessKeys.secret, true);
        assert.equal(run.outputs.cliConfig.secret, true);
        assert.equal(parseIni(run.outputs.cliConfig.value as string)["profile blue"].region, REGION);
    });

    it("can assume a role for the green side instead of a profile", async () => {
        const roleRun = await runProgram(bothConfig({ greenProfile: "", greenAssumeRoleArn: `arn:aws:iam::${GREEN_ACCOUNT}:role/deployer`, greenRegion: "us-east-1" }));
        const green = resourceNamed(roleRun.mocks, "pulumi:providers:aws", "green").inputs;
        assert.equal(JSON.parse(green.assumeRoles)[0].roleArn, `arn:aws:iam::${GREEN_ACCOUNT}:role/deployer`);
        assert.equal(green.region, "us-east-1");
        assert.equal(green.profile, undefined);
    });
});

/** A tiny INI reader for the rendered CLI config. */
function parseIni(text: string): Record<string, Record<string, string>> {
    const sections: Record<string, Record<string, string>> = {};
    let current: Record<string, string> | undefined;
    for (const line of text.split("\n")) {
        const header = /^\[(.+)\]$/.exec(line.trim());
        if (header) {
            current = sections[header[1]] = {};
        } else if (line.includes("=") && current) {
            const [key, ...rest] = line.split("=");
            current[key.trim()] = rest.join("=").trim();
        }
    }
    return sections;
}

describe("program: keyless green stack (issue 10): existing roles and groups granted, no user, key or group", () => {
    const GRANT_POLICY_ARN = `arn:aws:iam::${GREEN_ACCOUNT}:policy/AssumeCrossAccountS3AccessRole`;
    let green: ProgramRun;
    before(async () => {
        ({ green } = await runBlueThenGreen({ greenRoleNames: JSON.stringify(["ci-deployer"]), userNames: "[]" }));
    });

    it("registers no User, AccessKey or Group: one managed policy and its attachment to ci-deployer", () => {
        assert.deepEqual(awsResources(green.mocks), [
            "aws:iam/policy:Policy cross-account-grant-policy",
            "aws:iam/rolePolicyAttachment:RolePolicyAttachment cross-account-grant-role-ci-deployer",
        ]);
        const types = green.mocks.resources.map((r) => r.type);
        for (const type of ["aws:iam/user:User", "aws:iam/accessKey:AccessKey", "aws:iam/group:Group", "aws:iam/groupPolicy:GroupPolicy"]) {
            assert.ok(!types.includes(type), `${type} registered`);
        }
        for (const [resource, provider] of providersOf(green.mocks)) {
            assert.equal(provider, "green", `${resource} uses provider ${provider}`);
        }
    });

    it("grants ci-deployer sts:AssumeRole on exactly the blue role, by attaching the managed policy to it", () => {
        assert.deepEqual(policyOf(green.mocks, "aws:iam/policy:Policy", "cross-account-grant-policy"), expectedGroupPolicy(ROLE_ARN));
        assert.equal(resourceNamed(green.mocks, "aws:iam/policy:Policy", "cross-account-grant-policy").inputs.name, "AssumeCrossAccountS3AccessRole");
        assert.deepEqual(resourceNamed(green.mocks, "aws:iam/rolePolicyAttachment:RolePolicyAttachment", "cross-account-grant-role-ci-deployer").inputs, {
            role: "ci-deployer",
            policyArn: GRANT_POLICY_ARN,
        });
    });

    it("exports no secret at all, and no group, keys or key ids", () => {
        assert.deepEqual(
            Object.entries(green.outputs)
                .filter(([, o]) => o.secret)
                .map(([k]) => k),
            [],
        );
        assert.deepEqual(
            Object.keys(green.outputs).sort(),
            ["cliConfig", "externalIdRequired", "grantPolicyArn", "greenRoleNames", "mfaRequired", "readOnly", "region", "roleArn", "bucketName", "userNames"].sort(),
        );
        assert.deepEqual(green.outputs.userNames.value, []);
        assert.deepEqual(green.outputs.greenRoleNames.value, ["ci-deployer"]);
        assert.equal(green.outputs.grantPolicyArn.value, GRANT_POLICY_ARN);
        const keys = Object.keys(GREEN_STACK_OUTPUT);
        for (const name of ["greenRoleNames", "grantPolicyArn"]) {
            assert.ok(keys.includes(name), `${name} is in the GREEN stack-output contract`);
        }
    });

    it("renders only the blue role profile, whose source_profile is the user's own (sourceProfileName, default green)", async () => {
        assert.deepEqual(parseIni(green.outputs.cliConfig.value as string), {
            "profile blue": { role_arn: ROLE_ARN, source_profile: "green", region: REGION },
        });
        assert.doesNotMatch(green.outputs.cliConfig.value as string, /aws_access_key_id|aws_secret_access_key/);
        const sso = await runBlueThenGreen({ greenGroupNames: JSON.stringify(["data-analysts"]), userNames: "[]", sourceProfileName: "my-sso" });
        assert.deepEqual(parseIni(sso.green.outputs.cliConfig.value as string)["profile blue"].source_profile, "my-sso");
        assert.deepEqual(awsResources(sso.green.mocks), [
            "aws:iam/groupPolicyAttachment:GroupPolicyAttachment cross-account-grant-group-data-analysts",
            "aws:iam/policy:Policy cross-account-grant-policy",
        ]);
        assert.deepEqual(resourceNamed(sso.green.mocks, "aws:iam/groupPolicyAttachment:GroupPolicyAttachment", "cross-account-grant-group-data-analysts").inputs, {
            group: "data-analysts",
            policyArn: GRANT_POLICY_ARN,
        });
    });

    it("SSO only: permissionSetNames creates just the grant policy for the permission set to reference, and exports no secret", async () => {
        const { green: sso } = await runBlueThenGreen({ permissionSetNames: JSON.stringify(["DataAnalyst"]), userNames: "[]", sourceProfileName: "my-sso" });
        assert.deepEqual(awsResources(sso.mocks), ["aws:iam/policy:Policy cross-account-grant-policy"]);
        assert.deepEqual(policyOf(sso.mocks, "aws:iam/policy:Policy", "cross-account-grant-policy"), expectedGroupPolicy(ROLE_ARN));
        assert.deepEqual(sso.outputs.permissionSetNames.value, ["DataAnalyst"]);
        assert.equal(sso.outputs.grantPolicyArn.value, GRANT_POLICY_ARN);
        assert.deepEqual(
            Object.entries(sso.outputs)
                .filter(([, o]) => o.secret)
                .map(([k]) => k),
            [],
        );
        assert.equal(parseIni(sso.outputs.cliConfig.value as string)["profile blue"].source_profile, "my-sso");
    });

    it("keeps the walkthrough's group, user and key next to granted roles when userNames is left at its default", async () => {
        const { green: mixed } = await runBlueThenGreen({ greenRoleNames: JSON.stringify(["ci-deployer"]) });
        assert.deepEqual(
            awsResources(mixed.mocks),
            [
                ...GREEN_RESOURCES,
                "aws:iam/policy:Policy cross-account-grant-policy",
                "aws:iam/rolePolicyAttachment:RolePolicyAttachment cross-account-grant-role-ci-deployer",
            ].sort(),
        );
        assert.equal(mixed.outputs.secretAccessKeys.secret, true);
        assert.equal(mixed.outputs.cliConfig.secret, true);
    });

    it("a both stack can be keyless too, trusting an IAM Identity Center permission set by ARN pattern", async () => {
        const pattern = `arn:aws:iam::${GREEN_ACCOUNT}:role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_DataAnalyst_*`;
        const both = await runProgram(bothConfig({ greenRoleNames: JSON.stringify(["ci-deployer"]), userNames: "[]", trustedPrincipalArnPatterns: JSON.stringify([pattern]) }), {
            stack: "both",
        });
        const greenSide = awsResources(both.mocks).filter((r) => r.includes(" cross-account-green-"));
        assert.deepEqual(greenSide, [
            "aws:iam/policy:Policy cross-account-green-grant-policy",
            "aws:iam/rolePolicyAttachment:RolePolicyAttachment cross-account-green-grant-role-ci-deployer",
        ]);
        assert.deepEqual(
            Object.entries(both.outputs)
                .filter(([, o]) => o.secret)
                .map(([k]) => k),
            [],
            "no secret output",
        );
        const trust = JSON.parse(resourceNamed(both.mocks, "aws:iam/role:Role", "cross-account-blue-role").inputs.assumeRolePolicy);
        assert.deepEqual(
            trust.Statement,
            [
                {
                    Sid: "TrustGreenPrincipalsByArnPattern",
                    Effect: "Allow",
                    Principal: { AWS: `arn:aws:iam::${GREEN_ACCOUNT}:root` },
                    Action: ["sts:AssumeRole"],
                    Condition: { ArnLike: { "aws:PrincipalArn": pattern } },
                },
            ],
            "the patterns alone: only they are trusted, not the whole account",
        );
        assert.equal(providersOf(both.mocks).get("aws:iam/rolePolicyAttachment:RolePolicyAttachment cross-account-green-grant-role-ci-deployer"), "green");
    });

    it("combines patterns with trustedPrincipalArns, ExternalId, MFA and organization in the trust policy", async () => {
        const pattern = `arn:aws:iam::${GREEN_ACCOUNT}:role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_DataAnalyst_*`;
        const blue = await runProgram(
            blueConfig({
                trustedPrincipalArnPatterns: JSON.stringify([pattern]),
                trustedPrincipalArns: JSON.stringify([`arn:aws:iam::${GREEN_ACCOUNT}:role/ci-deployer`]),
                externalId: "deploy-42",
                requireMfa: "true",
                principalOrgId: "o-abcdefghij",
            }),
            { stack: "blue" },
        );
        const trust = JSON.parse(resourceNamed(blue.mocks, "aws:iam/role:Role", "cross-account-role").inputs.assumeRolePolicy);
        const conditions = { StringEquals: { "sts:ExternalId": "deploy-42", "aws:PrincipalOrgID": "o-abcdefghij" }, Bool: { "aws:MultiFactorAuthPresent": "true" } };
        assert.deepEqual(
            trust.Statement.map((s: { Sid: string }) => s.Sid),
            ["TrustIdentityAccount", "TrustGreenPrincipalsByArnPattern"],
        );
        assert.deepEqual(trust.Statement[0].Principal, { AWS: `arn:aws:iam::${GREEN_ACCOUNT}:role/ci-deployer` });
        assert.deepEqual(trust.Statement[0].Condition, conditions);
        assert.deepEqual(trust.Statement[1].Condition, { ...conditions, ArnLike: { "aws:PrincipalArn": pattern } });
    });
});
