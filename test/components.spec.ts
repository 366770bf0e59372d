/**
 * The components as a consumer constructs them: provider plumbing, resource options (retain,
 * ordering), optional features, and argument errors that name the argument.
 */
import { strict as assert } from "assert";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { inspect } from "node:util";
import * as pulumi from "@pulumi/pulumi";
import { BLUE_ACCOUNT, BUCKET, GREEN_ACCOUNT } from "../harness/stackConfigs";
import { installMocks, providerName, resourceNamed, settled, valueOf } from "../harness/pulumiMocks";
import { recordRegistrations } from "./support/registrationRecorder";

// Imported after the mocks module so that nothing is constructed before setMocks (the modules create nothing on import).
import { Provider } from "@pulumi/aws/provider";
import { AssumeRoleUsers, BucketAccessRole, CrossAccountBucketAccess, InvalidArgumentsError } from "../components";

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
        new CrossAccountBucketAccess(
            "shared",
            {
                blueAccountId: BLUE_ACCOUNT,
                greenAccountId: GREEN_ACCOUNT,
                greenProvider: green,
                blue: { bucketName: BUCKET },
            },
            { providers: { aws: blue } },
        );
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
        assert.throws(
            () =>
                new CrossAccountBucketAccess("shared", {
                    blueAccountId: BLUE_ACCOUNT,
                    greenAccountId: GREEN_ACCOUNT,
                    greenProvider: green,
                    blue: { bucketName: BUCKET },
                }),
            /^InvalidArgumentsError: CrossAccountBucketAccessArgs\.blueProvider: no aws provider was given for the resource account\. Pass blueProvider/,
        );
    });

    it("refuses the same provider on both sides", () => {
        installMocks("components");
        const { blue } = providers();
        assert.throws(
            () =>
                new CrossAccountBucketAccess("shared", {
                    blueAccountId: BLUE_ACCOUNT,
                    greenAccountId: GREEN_ACCOUNT,
                    blueProvider: blue,
                    greenProvider: blue,
                    blue: { bucketName: BUCKET },
                }),
            /CrossAccountBucketAccessArgs\.greenProvider: it is the same provider as the blue side's/,
        );
    });

    it("refuses the same account on both sides, naming the argument", () => {
        installMocks("components");
        const { blue, green } = providers();
        assert.throws(
            () =>
                new CrossAccountBucketAccess("shared", {
                    blueAccountId: BLUE_ACCOUNT,
                    greenAccountId: BLUE_ACCOUNT,
                    blueProvider: blue,
                    greenProvider: green,
                    blue: { bucketName: BUCKET },
                }),
            (error: Error) =>
                error instanceof InvalidArgumentsError &&
                /^CrossAccountBucketAccessArgs\.greenAccountId: the resource \(blue\) and identity \(green\) accounts are both/.test(error.message),
        );
    });

    it("checks both sides' arguments before registering anything, itself included", async () => {
        const mocks = installMocks("components");
        const { blue, green } = providers();
        await settled(mocks);
        const before = mocks.resources.length;
        assert.throws(
            () =>
                new CrossAccountBucketAccess("shared", {
                    blueAccountId: BLUE_ACCOUNT,
                    greenAccountId: GREEN_ACCOUNT,
                    blueProvider: blue,
                    greenProvider: green,
                    blue: { bucketName: BUCKET },
                    green: { userNames: ["ok", "ok"] },
                }),
            /^InvalidArgumentsError: CrossAccountBucketAccessArgs\.green\.userNames: user "ok" appears twice/,
        );
        assert.throws(
            () =>
                new CrossAccountBucketAccess("shared", {
                    blueAccountId: BLUE_ACCOUNT,
                    greenAccountId: GREEN_ACCOUNT,
                    blueProvider: blue,
                    greenProvider: green,
                    blue: { bucketName: "Not_A_Bucket" },
                }),
            /^InvalidArgumentsError: CrossAccountBucketAccessArgs\.blue\.bucketName: "Not_A_Bucket" is not a valid S3 bucket name/,
        );
        assert.throws(
            () => new BucketAccessRole("data", { greenAccountId: GREEN_ACCOUNT, bucketName: BUCKET, roleName: "no spaces" }),
            /^InvalidArgumentsError: BucketAccessRoleArgs\.roleName/,
        );
        await settled(mocks);
        assert.deepEqual(
            mocks.resources.slice(before).map((r) => `${r.type} ${r.name}`),
            [],
            "nothing registered, not even the components",
        );
    });

    it("passes the ExternalId to the trust policy, kept secret, and to the CLI profile", async () => {
        const mocks = installMocks("components");
        const { blue, green } = providers();
        const registrations: { name: string; props: Record<string, unknown> }[] = [];
        const access = new CrossAccountBucketAccess(
            "shared",
            {
                blueAccountId: BLUE_ACCOUNT,
                greenAccountId: GREEN_ACCOUNT,
                blueProvider: blue,
                greenProvider: green,
                blue: { bucketName: BUCKET, externalId: "deploy-42" },
            },
            {
                transformations: [
                    (args) => {
                        registrations.push({ name: args.name, props: args.props });
                        return undefined;
                    },
                ],
            },
        );
        const roleProps = registrations.find((r) => r.name === "shared-blue-role")!.props;
        assert.equal(await pulumi.isSecret(roleProps.assumeRolePolicy as pulumi.Output<string>), true);
        const cliConfig = await valueOf(access.cliConfig);
        await settled(mocks);
        const trust = JSON.parse(resourceNamed(mocks, "aws:iam/role:Role", "shared-blue-role").inputs.assumeRolePolicy);
        assert.deepEqual(trust.Statement[0].Condition, { StringEquals: { "sts:ExternalId": "deploy-42" } });
        assert.match(
            cliConfig,
            /\[profile blue\]\nrole_arn = arn:aws:iam::111111111111:role\/CrossAccountS3Access-Role\nsource_profile = green\nregion = eu-west-1\nexternal_id = deploy-42\n$/,
        );
    });
});

describe("components: one error with every problem, nothing registered (issues 8 and 9)", () => {
    /** Runs `construct`, expects an InvalidArgumentsError, and checks that nothing at all was registered. */
    async function refusal(construct: () => unknown): Promise<InvalidArgumentsError> {
        const mocks = installMocks("components");
        await settled(mocks);
        const before = mocks.resources.length;
        let caught: unknown;
        try {
            construct();
        } catch (error) {
            caught = error;
        }
        await settled(mocks);
        assert.ok(caught instanceof InvalidArgumentsError, `expected InvalidArgumentsError, got ${String(caught)}`);
        assert.ok(caught instanceof pulumi.InputPropertiesError, "it is the SDK's InputPropertiesError");
        // The test's own providers aside, nothing: not the component, no child.
        assert.deepEqual(
            mocks.resources
                .slice(before)
                .filter((r) => r.type !== "pulumi:providers:aws")
                .map((r) => `${r.type} ${r.name}`),
            [],
            "nothing registered, not even the component",
        );
        return caught;
    }

    it("refuses a wrong partition, a mismatched ExternalId and a string boolean of a both component in one error", async () => {
        const error = await refusal(() => {
            const { blue, green } = providers();
            new CrossAccountBucketAccess("shared", {
                blueAccountId: BLUE_ACCOUNT,
                greenAccountId: GREEN_ACCOUNT,
                blueProvider: blue,
                greenProvider: green,
                blue: { bucketName: BUCKET, externalId: "blue-side-id", readOnly: "false" as unknown as boolean, trustedPrincipalArns: [`arn:aws-cn:iam::${GREEN_ACCOUNT}:root`] },
                green: { cliProfiles: { externalId: "green-side-id" } },
            });
        });
        assert.deepEqual(
            error.problems.map((p) => p.propertyPath),
            ["blue.trustedPrincipalArns[0]", "blue.readOnly", "green.cliProfiles.externalId"],
        );
        assert.deepEqual(
            error.errors.map((e) => e.propertyPath),
            ["blue.trustedPrincipalArns[0]", "blue.readOnly", "green.cliProfiles.externalId"],
        );
        assert.match(error.message, /^3 problems in CrossAccountBucketAccessArgs/);
        assert.match(
            error.message,
            /CrossAccountBucketAccessArgs\.blue\.trustedPrincipalArns\[0\]: "arn:aws-cn:iam::222222222222:root" is in partition aws-cn, not the role's partition aws/,
        );
        assert.match(error.message, /CrossAccountBucketAccessArgs\.blue\.readOnly: the string "false" is not a boolean\. Pass true or false/);
        assert.match(error.message, /CrossAccountBucketAccessArgs\.green\.cliProfiles\.externalId: it differs from blue\.externalId.*\(values not shown\)/);
        assert.ok(!/blue-side-id|green-side-id/.test(error.message), "no ExternalId in the message");
        // docs/consuming.md shows this very error, as Pulumi prints it.
        const guide = readFileSync(path.join(__dirname, "..", "docs", "consuming.md"), "utf8");
        const shown = /### The two accounts, and bad input[\s\S]*?```text\n([\s\S]*?)\n```/.exec(guide)?.[1];
        assert.equal(shown, inspect(error));
    });

    it("refuses a string or number where a boolean, number or list belongs, never coercing it", async () => {
        const error = await refusal(
            () =>
                new BucketAccessRole("data", {
                    greenAccountId: GREEN_ACCOUNT,
                    bucketName: BUCKET,
                    readOnly: "false" as unknown as boolean,
                    requireMfa: 1 as unknown as boolean,
                    maxSessionDurationSeconds: "3600" as unknown as number,
                    trustedPrincipalArns: `arn:aws:iam::${GREEN_ACCOUNT}:root` as unknown as string[],
                    bucketSecurity: { versioning: "true" as unknown as boolean },
                    tags: { team: 7 as unknown as string },
                }),
        );
        assert.deepEqual(error.problems.map((p) => p.propertyPath).sort(), [
            "bucketSecurity.versioning",
            "maxSessionDurationSeconds",
            "readOnly",
            "requireMfa",
            "tags.team",
            "trustedPrincipalArns",
        ]);
    });

    it("refuses a KMS key, a permissions boundary and a green role ARN outside the role's partition", async () => {
        const error = await refusal(
            () =>
                new BucketAccessRole("data", {
                    greenAccountId: GREEN_ACCOUNT,
                    blueAccountId: BLUE_ACCOUNT,
                    bucketName: BUCKET,
                    partition: "aws-us-gov",
                    kmsKeyArn: `arn:aws:kms:eu-west-1:${BLUE_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
                    permissionsBoundaryArn: `arn:aws:iam::${BLUE_ACCOUNT}:policy/boundary`,
                }),
        );
        assert.deepEqual(
            error.problems.map((p) => p.propertyPath),
            ["kmsKeyArn", "permissionsBoundaryArn"],
        );
        assert.ok(
            error.problems.every((p) => / is in partition aws, not the role's partition aws-us-gov$/.test(p.problem)),
            JSON.stringify(error.problems),
        );
        const green = await refusal(() => new AssumeRoleUsers("team", { roleArn: `arn:aws-cn:iam::${BLUE_ACCOUNT}:role/r`, cliProfiles: { region: "eu-west-1" } }));
        assert.match(green.message, /^AssumeRoleUsersArgs\.roleArn: "arn:aws-cn:iam::111111111111:role\/r" is in partition aws-cn, not the role's partition aws/);
    });

    it("refuses a missing blue provider and the same provider on both sides before registering itself", async () => {
        const missing = await refusal(
            () =>
                new CrossAccountBucketAccess("shared", {
                    blueAccountId: BLUE_ACCOUNT,
                    greenAccountId: GREEN_ACCOUNT,
                    greenProvider: providers().green,
                    blue: { bucketName: "Bad_Name" },
                }),
        );
        assert.deepEqual(
            missing.problems.map((p) => p.propertyPath),
            ["blue.bucketName", "blueProvider"],
        );
        const same = await refusal(() => {
            const { blue } = providers();
            new CrossAccountBucketAccess(
                "shared",
                { blueAccountId: BLUE_ACCOUNT, greenAccountId: GREEN_ACCOUNT, greenProvider: blue, blue: { bucketName: BUCKET } },
                { providers: [blue] },
            );
        });
        assert.match(same.message, /^CrossAccountBucketAccessArgs\.greenProvider: it is the same provider as the blue side's/);
    });

    it("takes a secret output as the ExternalId; the trust policy and the public trustPolicy stay secret", async () => {
        const mocks = installMocks("components");
        const side = new BucketAccessRole("data", { greenAccountId: GREEN_ACCOUNT, bucketName: BUCKET, externalId: pulumi.secret("from-config-42") });
        assert.equal(await pulumi.isSecret(side.trustPolicy), true);
        assert.match(await valueOf(side.trustPolicy), /"sts:ExternalId":"from-config-42"/);
        await settled(mocks);
        assert.deepEqual(resourceNamed(mocks, "aws:iam/role:Role", "data-role").secretInputs, ["assumeRolePolicy"]);
        const plain = new BucketAccessRole("plain", { greenAccountId: GREEN_ACCOUNT, bucketName: "another-bucket-name", externalId: "plain-string-42" });
        assert.equal(await pulumi.isSecret(plain.trustPolicy), true, "a plain ExternalId makes the trust policy secret too");
    });
});

describe("components: BucketAccessRole", () => {
    it("retains the bucket with its access block, ownership and versioning on delete by default, and writes the bucket policy last (see deployOrder.spec.ts)", async () => {
        const mocks = installMocks("components");
        const registrations: Registration[] = [];
        new BucketAccessRole("data", { greenAccountId: GREEN_ACCOUNT, bucketName: BUCKET }, { transformations: [recordOptions(registrations)] });
        await settled(mocks);
        const retained = registrations
            .filter((r) => r.opts.retainOnDelete)
            .map((r) => r.name)
            .sort();
        assert.deepEqual(retained, ["data-bucket", "data-ownership-controls", "data-public-access-block", "data-versioning"]);
        const policy = registrations.find((r) => r.name === "data-tls-only-policy")!;
        const dependsOn = policy.opts.dependsOn as pulumi.Resource[];
        assert.equal(dependsOn.length, 1);
        assert.equal(
            await valueOf(dependsOn[0].urn),
            "urn:pulumi:components::cross-account-s3::cross-account-s3:index:BucketAccessRole$aws:s3/bucketVersioning:BucketVersioning::data-versioning",
        );
    });

    it("lets the bucket go on delete when retainBucketOnDelete is false, still without force-destroy", async () => {
        const mocks = installMocks("components");
        const registrations: Registration[] = [];
        new BucketAccessRole("data", { greenAccountId: GREEN_ACCOUNT, bucketName: BUCKET, retainBucketOnDelete: false }, { transformations: [recordOptions(registrations)] });
        await settled(mocks);
        assert.deepEqual(
            registrations.filter((r) => r.opts.retainOnDelete).map((r) => r.name),
            [],
        );
        assert.equal(resourceNamed(mocks, "aws:s3/bucket:Bucket", "data-bucket").inputs.forceDestroy, false);
    });

    it("grants access to an existing bucket without creating or changing it", async () => {
        const mocks = installMocks("components");
        const side = new BucketAccessRole("data", { greenAccountId: GREEN_ACCOUNT, bucketName: "existing-bucket", createBucket: false });
        await settled(mocks);
        assert.deepEqual(
            mocks.resources.filter((r) => r.type.startsWith("aws:s3")).map((r) => r.type),
            [],
        );
        assert.equal(await valueOf(side.bucketArn), "arn:aws:s3:::existing-bucket");
        const policy = JSON.parse(resourceNamed(mocks, "aws:iam/policy:Policy", "data-access-policy").inputs.policy);
        assert.deepEqual(
            policy.Statement.map((s: { Resource: string[] }) => s.Resource[0]),
            ["arn:aws:s3:::existing-bucket/*", "arn:aws:s3:::existing-bucket"],
        );
    });

    it("refuses bucket security settings for a bucket it does not create", () => {
        installMocks("components");
        assert.throws(
            () => new BucketAccessRole("data", { greenAccountId: GREEN_ACCOUNT, bucketName: BUCKET, createBucket: false, bucketSecurity: { versioning: false } }),
            /^InvalidArgumentsError: BucketAccessRoleArgs\.bucketSecurity: it was given for an existing bucket/,
        );
    });

    it("writes the off state of a setting that is turned off, so that turning it off changes the bucket", async () => {
        const mocks = installMocks("components");
        new BucketAccessRole("data", {
            greenAccountId: GREEN_ACCOUNT,
            bucketName: BUCKET,
            bucketSecurity: { blockPublicAccess: false, enforceBucketOwner: false, versioning: false },
        });
        await settled(mocks);
        const block = resourceNamed(mocks, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "data-public-access-block").inputs;
        assert.deepEqual([block.blockPublicAcls, block.blockPublicPolicy, block.ignorePublicAcls, block.restrictPublicBuckets], [false, false, false, false]);
        assert.equal(resourceNamed(mocks, "aws:s3/bucketOwnershipControls:BucketOwnershipControls", "data-ownership-controls").inputs.rule.objectOwnership, "BucketOwnerPreferred");
        assert.equal(resourceNamed(mocks, "aws:s3/bucketVersioning:BucketVersioning", "data-versioning").inputs.versioningConfiguration.status, "Disabled");
    });

    it("removes the encryption setting and the bucket policy when they are turned off (neither is retained, see above)", async () => {
        const mocks = installMocks("components");
        new BucketAccessRole("data", {
            greenAccountId: GREEN_ACCOUNT,
            bucketName: BUCKET,
            bucketSecurity: { encryption: false, denyInsecureTransport: false },
        });
        await settled(mocks);
        const s3Types = mocks.resources
            .filter((r) => r.type.startsWith("aws:s3"))
            .map((r) => r.type.split(":")[2])
            .sort();
        assert.deepEqual(s3Types, ["Bucket", "BucketOwnershipControls", "BucketPublicAccessBlock", "BucketVersioning"]);
    });

    it("refuses a KMS key for a bucket whose encryption it does not manage", () => {
        installMocks("components");
        assert.throws(
            () =>
                new BucketAccessRole("data", {
                    greenAccountId: GREEN_ACCOUNT,
                    bucketName: BUCKET,
                    bucketSecurity: { encryption: false },
                    kmsKeyArn: `arn:aws:kms:eu-west-1:${BLUE_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
                }),
            /^InvalidArgumentsError: BucketAccessRoleArgs\.kmsKeyArn: it was given while encryption is off/,
        );
    });

    it("encrypts with the given KMS key and grants the role exactly the KMS actions it needs", async () => {
        const mocks = installMocks("components");
        const key = `arn:aws:kms:eu-west-1:${BLUE_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
        new BucketAccessRole("data", { greenAccountId: GREEN_ACCOUNT, bucketName: BUCKET, kmsKeyArn: key });
        await settled(mocks);
        assert.deepEqual(resourceNamed(mocks, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "data-encryption").inputs.rules, [
            { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key }, bucketKeyEnabled: true },
        ]);
        const policy = JSON.parse(resourceNamed(mocks, "aws:iam/policy:Policy", "data-access-policy").inputs.policy);
        assert.deepEqual(policy.Statement[2], { Sid: "UseBucketKmsKey", Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: [key] });
    });

    it("sets the role's path, session length, boundary and tags as given", async () => {
        const mocks = installMocks("components");
        const side = new BucketAccessRole(
            "data",
            {
                greenAccountId: GREEN_ACCOUNT,
                bucketName: BUCKET,
                roleName: "reader",
                iamPath: "/team/",
                maxSessionDurationSeconds: 7200,
                permissionsBoundaryArn: `arn:aws:iam::${BLUE_ACCOUNT}:policy/boundary`,
                tags: { team: "data" },
            },
            { provider: providers().blue },
        );
        assert.equal(await valueOf(side.roleArn), `arn:aws:iam::${BLUE_ACCOUNT}:role/team/reader`);
        await settled(mocks);
        const role = resourceNamed(mocks, "aws:iam/role:Role", "data-role").inputs;
        assert.deepEqual(
            [role.name, role.path, role.maxSessionDuration, role.permissionsBoundary, role.tags],
            ["reader", "/team/", 7200, `arn:aws:iam::${BLUE_ACCOUNT}:policy/boundary`, { team: "data" }],
        );
    });
});

describe("components: AssumeRoleUsers", () => {
    const roleArn = `arn:aws:iam::${BLUE_ACCOUNT}:role/CrossAccountS3Access-Role`;

    it("creates a user, membership and key per user, and keeps every secret key secret", async () => {
        const mocks = installMocks("components");
        const side = new AssumeRoleUsers("team", { roleArn, userNames: ["alice", "bob"], cliProfiles: { region: "eu-west-1" } });
        const [ids, secrets, secretFlag, cliFlag] = await Promise.all([
            valueOf(side.accessKeyIds),
            valueOf(side.secretAccessKeys),
            pulumi.isSecret(side.secretAccessKeys),
            pulumi.isSecret(side.cliConfig),
        ]);
        await settled(mocks);
        assert.deepEqual(Object.keys(ids), ["alice", "bob"]);
        assert.deepEqual(Object.keys(secrets), ["alice", "bob"]);
        assert.equal(secretFlag, true);
        assert.equal(cliFlag, true);
        assert.deepEqual(
            mocks.resources.filter((r) => r.type === "aws:iam/userGroupMembership:UserGroupMembership").map((r) => r.inputs.user),
            ["alice", "bob"],
        );
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
        assert.deepEqual(
            mocks.resources.filter((r) => r.type === "aws:iam/accessKey:AccessKey"),
            [],
        );
    });

    it("takes the CLI profiles' region from its provider when none is given", async () => {
        const mocks = installMocks("components");
        const green = new Provider("green", { region: "ap-southeast-2", allowedAccountIds: [GREEN_ACCOUNT] });
        const side = new AssumeRoleUsers("team", { roleArn }, { provider: green });
        assert.match(await valueOf(side.cliConfig), /region = ap-southeast-2\n$/);
        await settled(mocks);
        assert.deepEqual(
            mocks.calls.map((c) => [c.token, providerName(c.provider)]),
            [["aws:index/getRegion:getRegion", "green"]],
        );
    });

    it("refuses a role ARN in its own account and a plain string that is not a role ARN", () => {
        installMocks("components");
        assert.throws(
            () => new AssumeRoleUsers("team", { roleArn, greenAccountId: BLUE_ACCOUNT }),
            /AssumeRoleUsersArgs\.roleArn: the resource \(blue\) and identity \(green\) accounts are both 111111111111/,
        );
        assert.throws(
            () => new AssumeRoleUsers("team", { roleArn: "CrossAccountS3Access-Role" }),
            /^InvalidArgumentsError: AssumeRoleUsersArgs\.roleArn: "CrossAccountS3Access-Role" is not an IAM role ARN/,
        );
    });

    it("refuses two CLI profiles of the same name", () => {
        installMocks("components");
        assert.throws(
            () => new AssumeRoleUsers("team", { roleArn, cliProfiles: { sourceProfileName: "x", roleProfileName: "x" } }),
            /AssumeRoleUsersArgs\.cliProfiles\.sourceProfileName: both profiles are named "x"/,
        );
    });
});

describe("components: keyless (issue 10)", () => {
    const ROLE = `arn:aws:iam::${BLUE_ACCOUNT}:role/CrossAccountS3Access-Role`;

    it("AssumeRoleUsers with userNames [] grants existing roles and groups only, with the green provider, and its CLI config holds no key and is not secret", async () => {
        const mocks = installMocks("components");
        const { green } = providers();
        const side = new AssumeRoleUsers(
            "team",
            {
                roleArn: ROLE,
                greenAccountId: GREEN_ACCOUNT,
                userNames: [],
                greenRoleNames: ["ci-deployer"],
                greenGroupNames: ["analysts"],
                cliProfiles: { sourceProfileName: "my-sso", region: "eu-west-1" },
            },
            { provider: green },
        );
        const cliConfig = await valueOf(side.cliConfig);
        assert.equal(await pulumi.isSecret(side.cliConfig), false);
        assert.equal(cliConfig, `[profile blue]\nrole_arn = ${ROLE}\nsource_profile = my-sso\nregion = eu-west-1\n`);
        assert.equal(await valueOf(side.groupName), undefined);
        await settled(mocks);
        const registered = mocks.resources
            .filter((r) => r.custom && r.type.startsWith("aws:"))
            .map((r) => `${r.type} ${r.name}=${providerName(r.provider)}`)
            .sort();
        assert.deepEqual(registered, [
            "aws:iam/groupPolicyAttachment:GroupPolicyAttachment team-grant-group-analysts=green",
            "aws:iam/policy:Policy team-grant-policy=green",
            "aws:iam/rolePolicyAttachment:RolePolicyAttachment team-grant-role-ci-deployer=green",
        ]);
    });

    it("CrossAccountBucketAccess can be keyless, and with adoptExisting imports only the blue side (granted roles and groups are never imported or managed)", async () => {
        const mocks = installMocks("components");
        const registrations = recordRegistrations();
        const { blue, green } = providers();
        new CrossAccountBucketAccess("shared", {
            blueAccountId: BLUE_ACCOUNT,
            greenAccountId: GREEN_ACCOUNT,
            blueProvider: blue,
            greenProvider: green,
            blue: { bucketName: BUCKET, adoptExisting: true },
            green: { userNames: [], greenRoleNames: ["ci-deployer"], adoptExisting: true },
        });
        await settled(mocks);
        const greenSide = registrations
            .filter((r) => r.name.startsWith("shared-green-"))
            .map((r) => `${r.name} import=${JSON.stringify(r.importId)}`)
            .sort();
        assert.deepEqual(greenSide, ['shared-green-grant-policy import=""', 'shared-green-grant-role-ci-deployer import=""']);
        assert.equal(registrations.find((r) => r.name === "shared-blue-role")?.importId, "CrossAccountS3Access-Role", "the blue side is still adopted");
    });

    it("refuses a green side with no principal of any kind, and an Identity Center role, in one error", async () => {
        assert.throws(
            () => new AssumeRoleUsers("team", { roleArn: ROLE, userNames: [] }),
            /^InvalidArgumentsError: AssumeRoleUsersArgs\.userNames: \[\] names no user, and no existing role or group is granted instead/,
        );
        assert.throws(
            () => new AssumeRoleUsers("team", { roleArn: ROLE, userNames: [], greenRoleNames: ["AWSReservedSSO_Admin_0123456789abcdef", "ci deployer"] }),
            (error: Error) => error instanceof InvalidArgumentsError && error.problems.length === 1 && error.problems[0].propertyPath === "greenRoleNames[1]",
        );
        assert.throws(
            () => new AssumeRoleUsers("team", { roleArn: ROLE, userNames: [], greenRoleNames: ["AWSReservedSSO_Admin_0123456789abcdef"] }),
            /AssumeRoleUsersArgs\.greenRoleNames\[0\]: "AWSReservedSSO_Admin_0123456789abcdef" is an IAM Identity Center role/,
        );
    });
});
