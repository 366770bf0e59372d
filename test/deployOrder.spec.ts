/**
 * Deploy order where AWS needs it, and only there (issue 9): the bucket's configuration calls are
 * made one at a time (S3 answers concurrent ones with OperationAborted), IAM does not wait for the
 * bucket, and a role waits for the principals it trusts when the same program creates them. The
 * edges are read from what the SDK sends the engine (see support/registrationRecorder).
 */
import { strict as assert } from "assert";
import { BLUE_ACCOUNT, blueConfig, bothConfig, BUCKET, GREEN_ACCOUNT } from "../harness/stackConfigs";
import { installMocks, resourceNamed, runProgram, runProgramExpectingError, settled } from "../harness/pulumiMocks";
import { dependencyNames, recordRegistrations, Registration } from "./support/registrationRecorder";

import { Provider } from "@pulumi/aws/provider";
import { Role } from "@pulumi/aws/iam";
import { BucketAccessRole, BucketAccessRoleArgs, CrossAccountBucketAccess } from "../components";

const BUCKET_SETTING_TYPES = [
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    "aws:s3/bucketVersioning:BucketVersioning",
    "aws:s3/bucketPolicy:BucketPolicy",
];

/** Deploys the blue side alone and returns its registrations. */
async function blueSide(args: Partial<BucketAccessRoleArgs> = {}): Promise<{ registrations: Registration[]; mocks: ReturnType<typeof installMocks> }> {
    const mocks = installMocks("order");
    const registrations = recordRegistrations();
    new BucketAccessRole("data", { greenAccountId: GREEN_ACCOUNT, bucketName: BUCKET, ...args });
    await settled(mocks);
    return { registrations, mocks };
}

/** Whether `from` reaches `to` by following dependencies. */
function reaches(registrations: readonly Registration[], from: Registration, to: Registration): boolean {
    const byUrn = new Map(registrations.map((r) => [r.urn, r]));
    const seen = new Set<string>();
    const stack = [...from.dependencies];
    while (stack.length > 0) {
        const urn = stack.pop()!;
        if (urn === to.urn) {
            return true;
        }
        if (!seen.has(urn)) {
            seen.add(urn);
            stack.push(...(byUrn.get(urn)?.dependencies ?? []));
        }
    }
    return false;
}

/** Fails unless every two bucket configuration resources are ordered (one waits for the other). */
function assertNoTwoConcurrent(registrations: readonly Registration[]): void {
    const settings = registrations.filter((r) => BUCKET_SETTING_TYPES.includes(r.type));
    for (const a of settings) {
        for (const b of settings.filter((s) => s !== a)) {
            assert.ok(reaches(registrations, a, b) || reaches(registrations, b, a), `${a.name} and ${b.name} could be applied at the same time`);
        }
    }
}

describe("deploy order: the bucket's configuration, one call at a time", () => {
    it("chains access block, ownership controls, encryption, versioning and policy, each waiting only for the one before", async () => {
        const { registrations } = await blueSide();
        assertNoTwoConcurrent(registrations);
        // The shortest chain: each waits for the bucket (its input) and its predecessor, nothing else.
        assert.deepEqual(dependencyNames(registrations, "data-public-access-block"), ["data-bucket"]);
        assert.deepEqual(dependencyNames(registrations, "data-ownership-controls"), ["data-bucket", "data-public-access-block"]);
        assert.deepEqual(dependencyNames(registrations, "data-encryption"), ["data-bucket", "data-ownership-controls"]);
        assert.deepEqual(dependencyNames(registrations, "data-versioning"), ["data-bucket", "data-encryption"]);
        assert.deepEqual(dependencyNames(registrations, "data-tls-only-policy"), ["data-bucket", "data-versioning"]);
    });

    it("lets IAM go ahead without waiting for the bucket", async () => {
        const { registrations } = await blueSide();
        assert.deepEqual(dependencyNames(registrations, "data-access-policy"), []);
        assert.deepEqual(dependencyNames(registrations, "data-role"), []);
        assert.deepEqual(dependencyNames(registrations, "data-role-access-policy"), ["data-access-policy", "data-role"]);
    });

    it("skips a setting that is off and keeps the others in one chain", async () => {
        const { registrations } = await blueSide({ bucketSecurity: { encryption: false, denyInsecureTransport: false } });
        assertNoTwoConcurrent(registrations);
        assert.deepEqual(dependencyNames(registrations, "data-versioning"), ["data-bucket", "data-ownership-controls"]);
        assert.deepEqual(
            registrations.filter((r) => r.type.includes("Policy:BucketPolicy") || r.type.includes("Encryption")).map((r) => r.name),
            [],
        );
    });

    it("keeps the chain with a KMS key and with encryption on but no bucket policy", async () => {
        const { registrations } = await blueSide({
            bucketSecurity: { denyInsecureTransport: false },
            kmsKeyArn: `arn:aws:kms:eu-west-1:${BLUE_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
        });
        assertNoTwoConcurrent(registrations);
        assert.deepEqual(dependencyNames(registrations, "data-versioning"), ["data-bucket", "data-encryption"]);
    });
});

describe("deploy order: versioning of a new bucket", () => {
    const status = async (versioning: boolean | "suspended" | undefined) => {
        const { mocks } = await blueSide(versioning === undefined ? {} : { bucketSecurity: { versioning } });
        return resourceNamed(mocks, "aws:s3/bucketVersioning:BucketVersioning", "data-versioning").inputs.versioningConfiguration.status;
    };

    it("is Enabled by default", async () => assert.equal(await status(undefined), "Enabled"));
    it("stays unversioned when off: Disabled, which the provider documents for new unversioned buckets and applies without a call", async () =>
        assert.equal(await status(false), "Disabled"));
    it("is Suspended when asked to turn off versioning that has been on", async () => assert.equal(await status("suspended"), "Suspended"));

    it("refuses a string that is not a versioning setting, naming the argument, before registering anything", async () => {
        const mocks = installMocks("order");
        await settled(mocks);
        for (const bad of ["false", "Suspended", 0]) {
            assert.throws(
                () => new BucketAccessRole("data", { greenAccountId: GREEN_ACCOUNT, bucketName: BUCKET, bucketSecurity: { versioning: bad as never } }),
                /^InvalidArgumentsError: BucketAccessRoleArgs\.bucketSecurity\.versioning: .* is not a versioning setting\. Give true \(versioning on\), false \(a new bucket stays unversioned\) or "suspended"/,
            );
        }
        await settled(mocks);
        assert.deepEqual(
            mocks.resources.map((r) => r.name),
            [],
        );
    });
});

describe("deploy order: a role waits for the principals it trusts when the same program creates them", () => {
    const userArn = (name: string) => `arn:aws:iam::${GREEN_ACCOUNT}:user/${name}`;

    async function both(trustedPrincipalArns: string[] | undefined, userNames = ["s3-prod-user", "auditor"]): Promise<Registration[]> {
        const mocks = installMocks("order");
        const registrations = recordRegistrations();
        const blue = new Provider("blue", { region: "eu-west-1", allowedAccountIds: [BLUE_ACCOUNT] });
        const green = new Provider("green", { region: "eu-west-1", allowedAccountIds: [GREEN_ACCOUNT] });
        new CrossAccountBucketAccess("shared", {
            blueAccountId: BLUE_ACCOUNT,
            greenAccountId: GREEN_ACCOUNT,
            blueProvider: blue,
            greenProvider: green,
            blue: { bucketName: BUCKET, trustedPrincipalArns },
            green: { userNames },
        });
        await settled(mocks);
        return registrations;
    }

    it("makes the role wait for exactly the green users named in trustedPrincipalArns", async () => {
        const registrations = await both([userArn("s3-prod-user")]);
        assert.deepEqual(dependencyNames(registrations, "shared-blue-role"), ["shared-green-user-s3-prod-user"]);
    });

    it("waits for every named user, and for nothing when the whole green account is trusted", async () => {
        assert.deepEqual(dependencyNames(await both([userArn("auditor"), userArn("s3-prod-user")]), "shared-blue-role"), [
            "shared-green-user-auditor",
            "shared-green-user-s3-prod-user",
        ]);
        assert.deepEqual(dependencyNames(await both(undefined), "shared-blue-role"), []);
    });

    it("does not wait for a user of another path or a principal the program does not create", async () => {
        const registrations = await both([`arn:aws:iam::${GREEN_ACCOUNT}:user/team/s3-prod-user`, `arn:aws:iam::${GREEN_ACCOUNT}:role/ci`]);
        assert.deepEqual(dependencyNames(registrations, "shared-blue-role"), []);
    });

    it("also waits for resources the caller names, and the group's policy still waits for the role", async () => {
        const mocks = installMocks("order");
        const registrations = recordRegistrations();
        const blue = new Provider("blue", { region: "eu-west-1", allowedAccountIds: [BLUE_ACCOUNT] });
        const green = new Provider("green", { region: "eu-west-1", allowedAccountIds: [GREEN_ACCOUNT] });
        const ciRole = new Role("ci", { name: "ci", assumeRolePolicy: "{}" }, { provider: green });
        new CrossAccountBucketAccess("shared", {
            blueAccountId: BLUE_ACCOUNT,
            greenAccountId: GREEN_ACCOUNT,
            blueProvider: blue,
            greenProvider: green,
            blue: { bucketName: BUCKET, trustedPrincipalArns: [userArn("s3-prod-user"), `arn:aws:iam::${GREEN_ACCOUNT}:role/ci`], trustedPrincipalResources: [ciRole] },
        });
        await settled(mocks);
        assert.deepEqual(dependencyNames(registrations, "shared-blue-role"), ["ci", "shared-green-user-s3-prod-user"]);
        assert.ok(dependencyNames(registrations, "shared-green-assume-role-policy").includes("shared-blue-role"));
    });
});

describe("deploy order: the program's config", () => {
    it("reads versioning true, false and suspended, and refuses anything else naming the key", async () => {
        for (const [value, status] of [
            ["true", "Enabled"],
            ["false", "Disabled"],
            ["suspended", "Suspended"],
        ]) {
            const { mocks } = await runProgram(blueConfig({ versioning: value }));
            assert.equal(resourceNamed(mocks, "aws:s3/bucketVersioning:BucketVersioning", "cross-account-versioning").inputs.versioningConfiguration.status, status, value);
        }
        const { error, mocks } = await runProgramExpectingError(blueConfig({ versioning: "off" }));
        assert.match(error.message, /^cross-account-s3:versioning: "off" is not a versioning setting\. Set true \(versioning on\), false/);
        assert.deepEqual(
            mocks.resources.map((r) => r.name),
            [],
        );
    });

    it("makes the role of a both stack wait for the user it creates and trusts", async () => {
        let registrations: Registration[] = [];
        await runProgram(bothConfig({ trustedPrincipalArns: JSON.stringify([`arn:aws:iam::${GREEN_ACCOUNT}:user/s3-prod-user`]) }), {
            onMocks: () => (registrations = recordRegistrations()),
        });
        assert.deepEqual(dependencyNames(registrations, "cross-account-blue-role"), ["cross-account-green-user-s3-prod-user"]);
    });
});
