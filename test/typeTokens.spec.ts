/**
 * The components' type tokens and child names are part of the package's public contract: they are
 * in the URN of every resource a consumer's stack holds, so changing one makes `pulumi up` delete
 * and recreate the consumer's bucket, role, users and keys. This suite pins them, and shows that
 * `aliases` reach the engine, which is how a rename must be shipped (see RENAMED_TYPE_TOKENS).
 */
import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { BLUE_ACCOUNT, BUCKET, GREEN_ACCOUNT } from "../harness/stackConfigs";
import { installMocks, RecordingMocks, settled, valueOf } from "../harness/pulumiMocks";

// Imported after the mocks module, so that nothing is constructed before setMocks.
import { Provider } from "@pulumi/aws/provider";
import { AssumeRoleUsers, BucketAccessRole, CrossAccountBucketAccess } from "../components";

/** The type tokens as released. Never edit one of these without adding the old token to RENAMED_TYPE_TOKENS. */
const TYPE_TOKENS = {
    CrossAccountBucketAccess: "cross-account-s3:index:CrossAccountBucketAccess",
    BucketAccessRole: "cross-account-s3:index:BucketAccessRole",
    AssumeRoleUsers: "cross-account-s3:index:AssumeRoleUsers",
} as const;

type ComponentName = keyof typeof TYPE_TOKENS;

/**
 * Tokens a component was released under before, by component. Empty: no token has changed yet.
 *
 * To rename a token: change it in the component and in TYPE_TOKENS, add the old one here, and make the
 * component's constructor pass it on, e.g.
 * `super(NEW, name, {}, pulumi.mergeOptions(opts, { aliases: [{ type: OLD }] }))`.
 * The test below then checks that every construction of the component sends an alias for the old token,
 * so that the engine moves existing stacks' resources (the component and, through it, every child) to
 * the new URNs instead of replacing them. Keep an entry for as long as the major version that made it.
 */
const RENAMED_TYPE_TOKENS: Record<ComponentName, readonly string[]> = {
    CrossAccountBucketAccess: [],
    BucketAccessRole: [],
    AssumeRoleUsers: [],
};

/** One registration as the engine receives it, with the aliases that mocks do not pass to `newResource`. */
interface SentRegistration {
    readonly type: string;
    readonly name: string;
    readonly aliases: { type: string; name: string; noParent: boolean }[];
}

/**
 * Installs mocks and records the aliases each registration request carries. `MockResourceArgs` has no
 * aliases, but the SDK sends them to the monitor in the request (as alias specs, which the mock monitor
 * says it supports), so the test wraps the mock monitor's `registerResource`.
 */
function installMocksRecordingAliases(): { mocks: RecordingMocks; sent: SentRegistration[] } {
    const mocks = installMocks("tokens");
    const sent: SentRegistration[] = [];
    const monitor = pulumi.runtime.getMonitor() as unknown as { registerResource: (req: any, callback: unknown) => unknown };
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, callback) => {
        sent.push({
            type: req.getType(),
            name: req.getName(),
            aliases: req.getAliasesList().map((alias: any) => {
                const spec = alias.getSpec();
                return { type: spec?.getType() ?? "", name: spec?.getName() ?? "", noParent: spec?.getNoparent() ?? false };
            }),
        });
        return register(req, callback);
    };
    return { mocks, sent };
}

/** The URNs the mock monitor gave out, in registration order. */
function urns(): string[] {
    const monitor = pulumi.runtime.getMonitor() as unknown as { resources: Map<string, unknown> };
    return [...monitor.resources.keys()];
}

function providers(): { blue: Provider; green: Provider } {
    return {
        blue: new Provider("blue", { region: "eu-west-1", allowedAccountIds: [BLUE_ACCOUNT] }),
        green: new Provider("green", { region: "eu-west-1", allowedAccountIds: [GREEN_ACCOUNT] }),
    };
}

/** Constructs one component of each kind, standing alone, with the given resource options. */
const construct: Record<ComponentName, (opts?: pulumi.ComponentResourceOptions) => pulumi.ComponentResource> = {
    CrossAccountBucketAccess: (opts) => {
        const { blue, green } = providers();
        return new CrossAccountBucketAccess(
            "shared",
            {
                blueAccountId: BLUE_ACCOUNT,
                greenAccountId: GREEN_ACCOUNT,
                blueProvider: blue,
                greenProvider: green,
                blue: { bucketName: BUCKET },
            },
            opts,
        );
    },
    BucketAccessRole: (opts) => new BucketAccessRole("data", { greenAccountId: GREEN_ACCOUNT, bucketName: BUCKET }, { providers: [providers().blue], ...opts }),
    AssumeRoleUsers: (opts) =>
        new AssumeRoleUsers(
            "people",
            {
                roleArn: `arn:aws:iam::${BLUE_ACCOUNT}:role/CrossAccountS3Access-Role`,
                greenAccountId: GREEN_ACCOUNT,
            },
            { providers: [providers().green], ...opts },
        ),
};

const COMPONENTS = Object.keys(TYPE_TOKENS) as ComponentName[];

describe("type tokens", () => {
    for (const component of COMPONENTS) {
        it(`${component} registers as ${TYPE_TOKENS[component]}`, async () => {
            const mocks = installMocks("tokens");
            const resource = construct[component]();
            await settled(mocks);
            const registered = mocks.resources.filter((r) => !r.custom).map((r) => r.type);
            assert.equal(registered[0], TYPE_TOKENS[component]);
            assert.match(await valueOf(resource.urn), new RegExp(`::${TYPE_TOKENS[component].replace(/[$]/g, "\\$")}::[^:]+$`));
        });
    }

    it("keeps every URN of a CrossAccountBucketAccess as released: tokens, parent chain and child names", async () => {
        const { mocks } = installMocksRecordingAliases();
        construct.CrossAccountBucketAccess();
        await settled(mocks);
        const prefix = "urn:pulumi:tokens::cross-account-s3::";
        const all = urns()
            .map((urn) => urn.replace(prefix, ""))
            .sort();
        const outer = TYPE_TOKENS.CrossAccountBucketAccess;
        const blue = `${outer}$${TYPE_TOKENS.BucketAccessRole}`;
        const green = `${outer}$${TYPE_TOKENS.AssumeRoleUsers}`;
        // The mock monitor, like the engine, qualifies a child's type with its parent's type (one level).
        const blueChild = (type: string, name: string) => `${TYPE_TOKENS.BucketAccessRole}$${type}::shared-blue-${name}`;
        const greenChild = (type: string, name: string) => `${TYPE_TOKENS.AssumeRoleUsers}$${type}::shared-green-${name}`;
        assert.deepEqual(
            all,
            [
                blueChild("aws:iam/policy:Policy", "access-policy"),
                blueChild("aws:iam/role:Role", "role"),
                blueChild("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "role-access-policy"),
                blueChild("aws:s3/bucket:Bucket", "bucket"),
                blueChild("aws:s3/bucketOwnershipControls:BucketOwnershipControls", "ownership-controls"),
                blueChild("aws:s3/bucketPolicy:BucketPolicy", "tls-only-policy"),
                blueChild("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "public-access-block"),
                blueChild("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "encryption"),
                blueChild("aws:s3/bucketVersioning:BucketVersioning", "versioning"),
                greenChild("aws:iam/accessKey:AccessKey", "user-s3-prod-user-access-key"),
                greenChild("aws:iam/group:Group", "group"),
                greenChild("aws:iam/groupPolicy:GroupPolicy", "assume-role-policy"),
                greenChild("aws:iam/user:User", "user-s3-prod-user"),
                greenChild("aws:iam/userGroupMembership:UserGroupMembership", "user-s3-prod-user-membership"),
                `${blue}::shared-blue`,
                `${green}::shared-green`,
                `${outer}::shared`,
                "pulumi:providers:aws::blue",
                "pulumi:providers:aws::green",
            ].sort(),
        );
    });
});

describe("type tokens: aliases", () => {
    it("sends no alias for the components by default: none has been renamed", async () => {
        const { mocks, sent } = installMocksRecordingAliases();
        construct.CrossAccountBucketAccess();
        await settled(mocks);
        const components = sent.filter((r) => r.type.startsWith("cross-account-s3:"));
        assert.equal(components.length, 3);
        assert.deepEqual(
            components.filter((r) => r.aliases.length > 0).map((r) => r.name),
            [],
        );
    });

    it("sees the aliases @pulumi/aws itself sends for its renamed types (the same mechanism, e.g. BucketV2 -> Bucket)", async () => {
        const { mocks, sent } = installMocksRecordingAliases();
        construct.BucketAccessRole();
        await settled(mocks);
        const bucket = sent.find((r) => r.type === "aws:s3/bucket:Bucket");
        assert.ok(
            bucket?.aliases.some((a) => a.type === "aws:s3/bucketV2:BucketV2"),
            JSON.stringify(bucket),
        );
    });

    for (const component of COMPONENTS) {
        it(`${component} passes the aliases of its resource options to the engine`, async () => {
            const { mocks, sent } = installMocksRecordingAliases();
            const old = "cross-account-s3:legacy:Renamed";
            construct[component]({ aliases: [{ type: old }, { name: "before-rename" }] });
            await settled(mocks);
            const own = sent.filter((r) => r.type === TYPE_TOKENS[component]);
            assert.equal(own.length, 1);
            assert.deepEqual(
                own[0].aliases.map((a) => [a.type, a.name]),
                [
                    [old, ""],
                    ["", "before-rename"],
                ],
            );
        });

        for (const previous of RENAMED_TYPE_TOKENS[component]) {
            it(`${component} aliases its old token ${previous}, so existing stacks keep their resources`, async () => {
                const { mocks, sent } = installMocksRecordingAliases();
                construct[component]();
                await settled(mocks);
                const own = sent.filter((r) => r.type === TYPE_TOKENS[component]);
                assert.ok(
                    own[0]?.aliases.some((a) => a.type === previous && !a.noParent),
                    JSON.stringify(own),
                );
            });
        }
    }

    it("lists no old token that is still current", () => {
        const current = new Set(Object.values(TYPE_TOKENS));
        for (const component of COMPONENTS) {
            for (const previous of RENAMED_TYPE_TOKENS[component]) {
                assert.ok(!current.has(previous as never), `${previous} is both current and renamed`);
            }
        }
    });
});
