/**
 * The components as a consumer constructs them: provider plumbing, resource options (retain,
 * ordering), optional features, and argument errors that name the argument.
 */
import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { BLUE_ACCOUNT, BUCKET, GREEN_ACCOUNT } from "../harness/stackConfigs";
import { installMocks, providerName, resourceNamed, settled, valueOf } from "../harness/pulumiMocks";

// Imported after the mocks module so that nothing is constructed before setMocks (the modules create nothing on import).
import { Provider } from "@pulumi/aws/provider";
import { AssumeRoleUsers, BucketAccessRole, CrossAccountBucketAccess, InvalidInputError } from "../components";

interface Registration {
    readonly type: string;
    readonly name: string;
    readonly opts: pulumi.CustomResourceOptions;
}

/** A transformation that records each child's resource options, which mocks do not see. */
function recordOptions(into: Registration[]): pulumi.ResourceTransformation {
    return (args) => {
        into.push({ type: args.type, name: args.name, opts: args.opts as pulumi.CustomResourceOptions });
        return undefined;
    };
}

/** One provider per account; call after installMocks. */
function providers(): { blue: Provider; green: Provider } {
    return {
        blue: new Provider("blue", { region: "eu-west-1", allowedAccountIds: [BLUE_ACCOUNT] }),
        green: new Provider("green", { region: "eu-west-1", allowedAccountIds: [GREEN_ACCOUNT] }),
    };
}

describe("components: CrossAccountBucketAccess", () => {
    it("takes the blue provider from the providers option when blueProvider is not given", async () => {
        const mocks = installMocks("components");
        const { blue, green } = providers();
        new CrossAccountBucketAccess("shared", {
            blueAccountId: BLUE_ACCOUNT, greenAccountId: GREEN_ACCOUNT, greenProvider: green, blue: { bucketName: BUCKET },
        }, { providers: { aws: blue } });
        await settled(mocks);
        const used = mocks.resources.filter((r) => r.type.startsWith("aws:")).map((r) => `${r.name}=${providerName(r.provider)}`);
        assert.equal(used.length, 14);
        for (const entry of used) {
            assert.equal(entry.split("=")[1], entry.startsWith("shared-blue-") ? "blue" : "green", entry);
        }
    });

    it("refuses to run without a blue provider rather than fall back to the default provider", () => {
        installMocks("components");
        const { green } = providers();
        assert.throws(() => new CrossAccountBucketAccess("shared", {
            blueAccountId: BLUE_ACCOUNT, greenAccountId: GREEN_ACCOUNT, greenProvider: green, blue: { bucketName: BUCKET },
        }), /^InvalidInputError: CrossAccountBucketAccessArgs\.blueProvider: no aws provider was given for the resource account\. Pass blueProvider/);
    });

    it("refuses the same provider on both sides", () => {
        installMocks("components");
        const { blue } = providers();
        assert.throws(() => new CrossAccountBucketAccess("shared", {
            blueAccountId: BLUE_ACCOUNT, greenAccountId: GREEN_ACCOUNT, blueProvider: blue, greenProvider: blue, blue: { bucketName: BUCKET },
        }), /CrossAccountBucketAccessArgs\.greenProvider: it is the same provider as the blue side's/);
    });

    it("refuses the same account on both sides, naming the argument", () => {
        installMocks("components");
        const { blue, green } = providers();
        assert.throws(() => new CrossAccountBucketAccess("shared", {
            blueAccountId: BLUE_ACCOUNT, greenAccountId: BLUE_ACCOUNT, blueProvider: blue, greenProvider: green, blue: { bucketName: BUCKET },
        }), (error: Error) => error instanceof InvalidInputError && /^CrossAccountBucketAccessArgs\.greenAccountId: the resource \(blue\) and identity \(green\) accounts are both/.test(error.message));
    });

    it("checks both sides' arguments before registering anything, itself included", async () => {
        const mocks = installMocks("components");
        const { blue, green } = providers();
        await settled(mocks);
        const before = mocks.resources.length;
        assert.throws(() => new CrossAccountBucketAccess("shared", {
            blueAccountId: BLUE_ACCOUNT, greenAccountId: GREEN_ACCOUNT, blueProvider: blue, greenProvider: green,
            blue: { bucketName: BUCKET }, green: { userNames: ["ok", "ok"] },
        }), /^InvalidInputError: CrossAccountBucketAccessArgs\.green\.userNames: user "ok" appears twice/);
        assert.throws(() => new CrossAccountBucketAccess("shared", {
            blueAccountId: BLUE_ACCOUNT, greenAccountId: GREEN_ACCOUNT, blueProvider: blue, greenProvider: green,
            blue: { bucketName: "Not_A_Bucket" },
        }), /^InvalidInputError: CrossAccountBucketAccessArgs\.blue\.bucketName: "Not_A_Bucket" is not a valid S3 bucket name/);
        assert.throws(() => new BucketAccessRole("data", { trustedAccountId: GREEN_ACCOUNT, bucketName: BUCKET, roleName: "no spaces" }),
            /^InvalidInputError: BucketAccessRoleArgs\.roleName/);
        await settled(mocks);
        assert.deepEqual(mocks.resources.slice(before).map((r) => `${r.type} ${r.name}`), [], "nothing registered, not even the components");
    });

    it("passes the ExternalId to the trust policy, kept secret, and to the CLI profile", async () => {
        const mocks = installMocks("components");
        const { blue, green } = providers();
        const registrations: { name: string; props: Record<string, unknown> }[] = [];
        const access = new CrossAccountBucketAccess("shared", {
            blueAccountId: BLUE_ACCOUNT, greenAccountId: GREEN_ACCOUNT, blueProvider: blue, greenProvider: green,
            blue: { bucketName: BUCKET, externalId: "deploy-42" },
        }, { transformations: [(args) => { registrations.push({ name: args.name, props: args.props }); return undefined; }] });
        const roleProps = registrations.find((r) => r.name === "shared-blue-role")!.props;
        assert.equal(await pulumi.isSecret(roleProps.assumeRolePolicy as pulumi.Output<string>), true);
        const cliConfig = await valueOf(access.cliConfig);
        await settled(mocks);
        const trust = JSON.parse(resourceNamed(mocks, "aws:iam/role:Role", "shared-blue-role").inputs.assumeRolePolicy);
        assert.deepEqual(trust.Statement[0].Condition, { StringEquals: { "sts:ExternalId": "deploy-42" } });
        assert.match(cliConfig, /\[profile blue\]\nrole_arn = arn:aws:iam::111111111111:role\/CrossAccountS3Access-Role\nsource_profile = green\nregion = eu-west-1\nexternal_id = deploy-42\n$/);
    });
});

describe("components: BucketAccessRole", () => {
    it("retains the bucket with its access block, ownership and versioning on delete by default, and orders the bucket policy after the access block", async () => {
        const mocks = installMocks("components");
        const registrations: Registration[] = [];
        new BucketAccessRole("data", { trustedAccountId: GREEN_ACCOUNT, bucketName: BUCKET }, { transformations: [recordOptions(registrations)] });
        await settled(mocks);
        const retained = registrations.filter((r) => r.opts.retainOnDelete).map((r) => r.name).sort();
        assert.deepEqual(retained, ["data-bucket", "data-ownership-controls", "data-public-access-block", "data-versioning"]);
        const policy = registrations.find((r) => r.name === "data-tls-only-policy")!;
        const dependsOn = policy.opts.dependsOn as pulumi.Resource[];
        assert.equal(dependsOn.length, 1);
        assert.equal(await valueOf(dependsOn[0].urn), "urn:pulumi:components::cross-account-s3::cross-account-s3:index:BucketAccessRole$aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock::data-public-access-block");
    });

    it("lets the bucket go on delete when retainBucketOnDelete is false, still without force-destroy", async () => {
        const mocks = installMocks("components");
        const registrations: Registration[] = [];
        new BucketAccessRole("data", { trustedAccountId: GREEN_ACCOUNT, bucketName: BUCKET, retainBucketOnDelete: false }, { transformations: [recordOptions(registrations)] });
        await settled(mocks);
        assert.deepEqual(registrations.filter((r) => r.opts.retainOnDelete).map((r) => r.name), []);
        assert.equal(resourceNamed(mocks, "aws:s3/bucket:Bucket", "data-bucket").inputs.forceDestroy, false);
    });

    it("grants access to an existing bucket without creating or changing it", async () => {
        const mocks = installMocks("components");
        const side = new BucketAccessRole("data", { trustedAccountId: GREEN_ACCOUNT, bucketName: "existing-bucket", createBucket: false });
        await settled(mocks);
        assert.deepEqual(mocks.resources.filter((r) => r.type.startsWith("aws:s3")).map((r) => r.type), []);
        assert.equal(await valueOf(side.bucketArn), "arn:aws:s3:::existing-bucket");
        const policy = JSON.parse(resourceNamed(mocks, "aws:iam/policy:Policy", "data-access-policy").inputs.policy);
        assert.deepEqual(policy.Statement.map((s: { Resource: string[] }) => s.Resource[0]), ["arn:aws:s3:::existing-bucket/*", "arn:aws:s3:::existing-bucket"]);
    });

    it("refuses bucket security settings for a bucket it does not create", () => {
        installMocks("components");
        assert.throws(() => new BucketAccessRole("data", { trustedAccountId: GREEN_ACCOUNT, bucketName: BUCKET, createBucket: false, bucketSecurity: { versioning: false } }),
            /^InvalidInputError: BucketAccessRoleArgs\.bucketSecurity: it was given for an existing bucket/);
    });

    it("writes the off state of a setting that is turned off, so that turning it off changes the bucket", async () => {
        const mocks = installMocks("components");
        new BucketAccessRole("data", {
            trustedAccountId: GREEN_ACCOUNT, bucketName: BUCKET,
            bucketSecurity: { blockPublicAccess: false, enforceBucketOwner: false, versioning: false },
        });
        await settled(mocks);
        const block = resourceNamed(mocks, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "data-public-access-block").inputs;
        assert.deepEqual([block.blockPublicAcls, block.blockPublicPolicy, block.ignorePublicAcls, block.restrictPublicBuckets], [false, false, false, false]);
        assert.equal(resourceNamed(mocks, "aws:s3/bucketOwnershipControls:BucketOwnershipControls", "data-ownership-controls").inputs.rule.objectOwnership, "BucketOwnerPreferred");
        assert.equal(resourceNamed(mocks, "aws:s3/bucketVersioning:BucketVersioning", "data-versioning").inputs.versioningConfiguration.status, "Suspended");
    });

    it("removes the encryption setting and the bucket policy when they are turned off (neither is retained, see above)", async () => {
        const mocks = installMocks("components");
        new BucketAccessRole("data", {
            trustedAccountId: GREEN_ACCOUNT, bucketName: BUCKET,
            bucketSecurity: { encryption: false, denyInsecureTransport: false },
        });
        await settled(mocks);
        const s3Types = mocks.resources.filter((r) => r.type.startsWith("aws:s3")).map((r) => r.type.split(":")[2]).sort();
        assert.deepEqual(s3Types, ["Bucket", "BucketOwnershipControls", "BucketPublicAccessBlock", "BucketVersioning"]);
    });

    it("refuses a KMS key for a bucket whose encryption it does not manage", () => {
        installMocks("components");
        assert.throws(() => new BucketAccessRole("data", {
            trustedAccountId: GREEN_ACCOUNT, bucketName: BUCKET, bucketSecurity: { encryption: false },
            kmsKeyArn: `arn:aws:kms:eu-west-1:${BLUE_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
        }), /^InvalidInputError: BucketAccessRoleArgs\.kmsKeyArn: it was given while encryption is off/);
    });

    it("encrypts with the given KMS key and grants the role exactly the KMS actions it needs", async () => {
        const mocks = installMocks("components");
        const key = `arn:aws:kms:eu-west-1:${BLUE_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
        new BucketAccessRole("data", { trustedAccountId: GREEN_ACCOUNT, bucketName: BUCKET, kmsKeyArn: key });
        await settled(mocks);
        assert.deepEqual(resourceNamed(mocks, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "data-encryption").inputs.rules,
            [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key }, bucketKeyEnabled: true }]);
        const policy = JSON.parse(resourceNamed(mocks, "aws:iam/policy:Policy", "data-access-policy").inputs.policy);
        assert.deepEqual(policy.Statement[2], { Sid: "UseBucketKmsKey", Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: [key] });
    });

    it("sets the role's path, session length, boundary and tags as given", async () => {
        const mocks = installMocks("components");
        const side = new BucketAccessRole("data", {
            trustedAccountId: GREEN_ACCOUNT, bucketName: BUCKET, roleName: "reader", iamPath: "/team/", maxSessionDurationSeconds: 7200,
            permissionsBoundaryArn: `arn:aws:iam::${BLUE_ACCOUNT}:policy/boundary`, tags: { team: "data" },
        }, { provider: providers().blue });
        assert.equal(await valueOf(side.roleArn), `arn:aws:iam::${BLUE_ACCOUNT}:role/team/reader`);
        await settled(mocks);
        const role = resourceNamed(mocks, "aws:iam/role:Role", "data-role").inputs;
        assert.deepEqual([role.name, role.path, role.maxSessionDuration, role.permissionsBoundary, role.tags],
            ["reader", "/team/", 7200, `arn:aws:iam::${BLUE_ACCOUNT}:policy/boundary`, { team: "data" }]);
    });
});

describe("components: AssumeRoleUsers", () => {
    const roleArn = `arn:aws:iam::${BLUE_ACCOUNT}:role/CrossAccountS3Access-Role`;

    it("creates a user, membership and key per user, and keeps every secret key secret", async () => {
        const mocks = installMocks("components");
        const side = new AssumeRoleUsers("team", { roleArn, userNames: ["alice", "bob"], cliProfiles: { region: "eu-west-1" } });
        const [ids, secrets, secretFlag, cliFlag] = await Promise.all([
            valueOf(side.accessKeyIds), valueOf(side.secretAccessKeys), pulumi.isSecret(side.secretAccessKeys), pulumi.isSecret(side.cliConfig),
        ]);
        await settled(mocks);
        assert.deepEqual(Object.keys(ids), ["alice", "bob"]);
        assert.deepEqual(Object.keys(secrets), ["alice", "bob"]);
        assert.equal(secretFlag, true);
        assert.equal(cliFlag, true);
        assert.deepEqual(mocks.resources.filter((r) => r.type === "aws:iam/userGroupMembership:UserGroupMembership").map((r) => r.inputs.user), ["alice", "bob"]);
        assert.match(await valueOf(side.cliConfig), new RegExp(`aws_access_key_id = ${ids.alice}\n`));
    });

    it("with a PGP key, returns only encrypted secrets and renders no CLI config", async () => {
        const mocks = installMocks("components");
        const side = new AssumeRoleUsers("team", { roleArn, pgpKey: "keybase:alice", cliProfiles: { region: "eu-west-1" } });
        assert.deepEqual(await valueOf(side.secretAccessKeys), {});
        assert.match((await valueOf(side.encryptedSecretAccessKeys))["s3-prod-user"], /^wcBMA/);
        assert.equal(await valueOf(side.cliConfig), "");
        await settled(mocks);
        assert.equal(resourceNamed(mocks, "aws:iam/accessKey:AccessKey", "team-user-s3-prod-user-access-key").inputs.pgpKey, "keybase:alice");
    });

    it("creates no access key when asked not to", async () => {
        const mocks = installMocks("components");
        new AssumeRoleUsers("team", { roleArn, createAccessKeys: false, cliProfiles: { region: "eu-west-1" } });
        await settled(mocks);
        assert.deepEqual(mocks.resources.filter((r) => r.type === "aws:iam/accessKey:AccessKey"), []);
    });

    it("takes the CLI profiles' region from its provider when none is given", async () => {
        const mocks = installMocks("components");
        const green = new Provider("green", { region: "ap-southeast-2", allowedAccountIds: [GREEN_ACCOUNT] });
        const side = new AssumeRoleUsers("team", { roleArn }, { provider: green });
        assert.match(await valueOf(side.cliConfig), /region = ap-southeast-2\n$/);
        await settled(mocks);
        assert.deepEqual(mocks.calls.map((c) => [c.token, providerName(c.provider)]), [["aws:index/getRegion:getRegion", "green"]]);
    });

    it("refuses a role ARN in its own account and a plain string that is not a role ARN", () => {
        installMocks("components");
        assert.throws(() => new AssumeRoleUsers("team", { roleArn, identityAccountId: BLUE_ACCOUNT }), /AssumeRoleUsersArgs\.roleArn: the resource \(blue\) and identity \(green\) accounts are both 111111111111/);
        assert.throws(() => new AssumeRoleUsers("team", { roleArn: "CrossAccountS3Access-Role" }), /^InvalidInputError: AssumeRoleUsersArgs\.roleArn: "CrossAccountS3Access-Role" is not an IAM role ARN/);
    });

    it("refuses two CLI profiles of the same name", () => {
        installMocks("components");
        assert.throws(() => new AssumeRoleUsers("team", { roleArn, cliProfiles: { sourceProfileName: "x", roleProfileName: "x" } }),
            /AssumeRoleUsersArgs\.cliProfiles\.roleProfileName: both profiles are named "x"/);
    });
});
