/**
 * The audit's pure parts: the command line, the order-insensitive policy comparison, the design
 * (held against the documents the components themselves build), the settings and config files,
 * the read-only policy, and the secrets that must never be printed.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { load } from "js-yaml";
import { buildGroupPolicy } from "../components/assumeRoleUsers";
import { BucketAccessRoleArgs, resolveBucketAccessRoleArgs } from "../components/bucketAccessRole";
import { serializePolicy } from "../components/policyDocument";
import { parseAuditArgs, USAGE } from "../scripts/audit/args";
import { AUDIT_CALLS, iamActionsFor } from "../scripts/audit/awsCalls";
import { compareBlue } from "../scripts/audit/compare";
import { buildDesign } from "../scripts/audit/design";
import type { LiveBlue } from "../scripts/audit/liveState";
import { canonicalStatements, comparePolicies, parsePolicyText, samePolicy } from "../scripts/audit/policyComparison";
import { auditReadPolicy } from "../scripts/audit/readOnlyPolicy";
import { renderJson, renderTable, buildReport } from "../scripts/audit/report";
import { resolveSettings, SettingsSources } from "../scripts/audit/settings";
import { parseStackConfig, PROGRAM_CONFIG_KEYS } from "../scripts/audit/stackConfigFile";
import { CouldNotRunError, UsageError } from "../scripts/verify/exitCodes";

const BLUE = "111111111111";
const GREEN = "222222222222";

/** Flags naming everything, no outputs or config. */
function sources(extra: Partial<SettingsSources> = {}): SettingsSources {
    return { flags: { blueAccountId: BLUE, greenAccountId: GREEN, region: "eu-west-1", bucket: "audit-bucket" }, ...extra };
}

describe("audit: command line", () => {
    it("--help documents every flag and the three exit codes", () => {
        for (const flag of [
            "--stack",
            "--outputs",
            "--blue-config",
            "--green-config",
            "--blue-account-id",
            "--green-account-id",
            "--region",
            "--bucket",
            "--role-name",
            "--group-name",
            "--user-names",
            "--blue-profile",
            "--green-profile",
            "--side",
            "--endpoint",
            "--timeout",
            "--json",
            "--help",
        ]) {
            assert.ok(USAGE.includes(flag), `${flag} is documented`);
        }
        assert.match(USAGE, /Exit codes: 0 clean: .*; 1 drift: .*; 2 could not run/s);
        assert.equal(parseAuditArgs(["--help"]).help, true);
    });

    it("refuses a repeated flag, naming it", () => {
        assert.throws(
            () => parseAuditArgs(["--blue-profile", "a", "--blue-profile", "b"]),
            (error: unknown) => error instanceof UsageError && error.message === "--blue-profile was given twice: pass it once",
        );
        assert.throws(() => parseAuditArgs(["--json", "--json"]), /--json was given twice/);
    });

    it("refuses unknown flags, positionals, bad values and --stack with --outputs", () => {
        assert.throws(() => parseAuditArgs(["--bucketname", "x"]), /unknown flag --bucketname/);
        assert.throws(() => parseAuditArgs(["blue"]), /unexpected argument 'blue'/);
        assert.throws(() => parseAuditArgs(["--timeout", "0"]), /--timeout must be a number of seconds above 0/);
        assert.throws(() => parseAuditArgs(["--timeout", "901"]), /at most 900/);
        assert.throws(() => parseAuditArgs(["--side", "red"]), /--side must be one of blue, green, both, got 'red'/);
        assert.throws(() => parseAuditArgs(["--stack", "blue", "--outputs", "f.json"]), /--stack and --outputs both/);
        assert.throws(() => parseAuditArgs(["--endpoint", "ftp://x"]), /--endpoint must be an http\(s\) URL/);
        assert.throws(() => parseAuditArgs(["--user-names", "a,,b"]), /--user-names has an empty name/);
        assert.throws(() => parseAuditArgs(["--blue-profile", "bad profile"]), /--blue-profile/);
    });

    it("defaults: both accounts, 120 s, AWS_ENDPOINT_URL when no --endpoint", () => {
        const flags = parseAuditArgs([], { AWS_ENDPOINT_URL: "http://127.0.0.1:5000/" });
        assert.equal(flags.side, "both");
        assert.equal(flags.timeoutSeconds, 120);
        assert.equal(flags.endpoint, "http://127.0.0.1:5000");
        assert.deepEqual(parseAuditArgs(["--user-names", "a, b"]).userNames, ["a", "b"]);
    });
});

describe("audit: policy comparison", () => {
    const design = {
        Version: "2012-10-17",
        Statement: [
            { Sid: "A", Effect: "Allow", Action: ["s3:PutObject", "s3:GetObject"], Resource: ["arn:aws:s3:::b/*"] },
            {
                Sid: "B",
                Effect: "Allow",
                Principal: { AWS: "arn:aws:iam::222222222222:root" },
                Action: ["sts:AssumeRole"],
                Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } },
            },
        ],
    };

    it("ignores statement order, list order, a string for a one-element list, an empty Condition and white space", () => {
        const respelled = JSON.stringify(
            {
                Statement: [
                    {
                        Action: "sts:AssumeRole",
                        Principal: { AWS: ["arn:aws:iam::222222222222:root"] },
                        Effect: "Allow",
                        Sid: "B",
                        Condition: { Bool: { "aws:MultiFactorAuthPresent": true } },
                    },
                    { Resource: "arn:aws:s3:::b/*", Action: ["s3:GetObject", "s3:PutObject"], Effect: "Allow", Sid: "A", Condition: {} },
                ],
                Version: "2012-10-17",
            },
            null,
            2,
        );
        assert.equal(samePolicy(design, parsePolicyText(respelled)!), true);
    });

    it("reads IAM's URL-encoded documents", () => {
        assert.deepEqual(parsePolicyText(encodeURIComponent(JSON.stringify(design))), design);
        assert.equal(parsePolicyText("not json"), undefined);
    });

    it("names an extra action, a changed resource, a changed Sid and a changed Version", () => {
        const widened = { ...design, Statement: [{ ...design.Statement[0], Action: ["s3:PutObject", "s3:GetObject", "s3:DeleteObject"] }, design.Statement[1]] };
        const difference = comparePolicies(design, widened);
        assert.deepEqual(
            difference.extra.map((s) => s.statement.Action),
            [["s3:DeleteObject", "s3:GetObject", "s3:PutObject"]],
        );
        assert.deepEqual(
            difference.missing.map((s) => s.statement.Sid),
            ["A"],
        );
        assert.equal(samePolicy(design, { ...design, Statement: [{ ...design.Statement[0], Resource: ["arn:aws:s3:::b"] }, design.Statement[1]] }), false);
        assert.equal(samePolicy(design, { ...design, Statement: [{ ...design.Statement[0], Sid: "Z" }, design.Statement[1]] }), false);
        assert.deepEqual(comparePolicies(design, { ...design, Version: "2008-10-17" }).otherFields, ["Version"]);
        assert.equal(canonicalStatements({ Statement: design.Statement[0] }).length, 1, "a single statement object is a list of one");
    });
});

describe("audit: the design is the components' own", () => {
    const cases: Record<string, Partial<BucketAccessRoleArgs>> = {
        defaults: {},
        "every option": {
            externalId: "ext-id-1234",
            requireMfa: true,
            principalOrgId: "o-abcdefghij",
            objectKeyPrefix: "uploads/",
            readOnly: true,
            kmsKeyArn: `arn:aws:kms:eu-west-1:${BLUE}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
            trustedPrincipalArns: [`arn:aws:iam::${GREEN}:user/alice`],
            roleName: "R",
            policyName: "P",
            iamPath: "/team/",
            bucketSecurity: { denyInsecureTransport: true },
        },
        "no bucket policy": { bucketSecurity: { denyInsecureTransport: false } },
        "trust by ARN pattern (keyless SSO)": {
            trustedPrincipalArnPatterns: [`arn:aws:iam::${GREEN}:role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_DataAnalyst_*`],
            trustedPrincipalArns: [`arn:aws:iam::${GREEN}:role/ci-deployer`],
            externalId: "ext-id-1234",
        },
    };
    for (const [name, args] of Object.entries(cases)) {
        it(`${name}: trust, access, bucket and group policies equal what BucketAccessRole and AssumeRoleUsers build`, () => {
            const resolved = resolveBucketAccessRoleArgs({ greenAccountId: GREEN, blueAccountId: BLUE, bucketName: "audit-bucket", ...args });
            const documents = resolved;
            const config: Record<string, unknown> = { ...args, ...(args.bucketSecurity ?? {}) };
            delete config.bucketSecurity;
            const { settings } = resolveSettings(sources({ blueConfig: { label: "--blue-config f", values: config as never, hiddenSecrets: [] } }));
            const design = buildDesign(settings);
            assert.equal(serializePolicy(design.role.trustPolicy), documents.trustPolicy);
            assert.equal(serializePolicy(design.role.attachedPolicies[0].document), documents.accessPolicy);
            assert.equal(design.bucket?.policy === undefined ? undefined : serializePolicy(design.bucket.policy), documents.bucketPolicy);
            assert.equal(serializePolicy(design.group.inlinePolicies[settings.groupPolicyName]), buildGroupPolicy(design.role.arn));
            assert.equal(design.role.arn, `arn:aws:iam::${BLUE}:role${resolved.iamPath}${resolved.roleName}`);
            assert.equal(design.role.attachedPolicies[0].arn, `arn:aws:iam::${BLUE}:policy${resolved.iamPath}${resolved.policyName}`);
        });
    }

    it("the bucket's settings follow the security flags, and are not audited for a bucket the stack did not create", () => {
        const off = buildDesign(
            resolveSettings(
                sources({ blueConfig: parseStackConfig(JSON.stringify({ blockPublicAccess: false, enforceBucketOwner: false, versioning: false, encryption: false }), "f") }),
            ).settings,
        );
        assert.deepEqual(off.bucket?.publicAccessBlock, { BlockPublicAcls: false, IgnorePublicAcls: false, BlockPublicPolicy: false, RestrictPublicBuckets: false });
        assert.equal(off.bucket?.objectOwnership, "BucketOwnerPreferred");
        assert.equal(off.bucket?.versioningEnabled, false);
        assert.equal(off.bucket?.encryption, undefined);
        const existing = buildDesign(resolveSettings(sources({ blueConfig: parseStackConfig(JSON.stringify({ createBucket: "false" }), "f") })).settings);
        assert.equal(existing.bucket, undefined);
    });
});

describe("audit: checks skipped outside the design", () => {
    it("createBucket false skips the bucket's settings, encryption false skips the encryption; both counted as skipped, not drift", () => {
        const liveFor = (design: ReturnType<typeof buildDesign>): LiveBlue => ({
            accountId: BLUE,
            role: {
                name: design.role.name,
                arn: design.role.arn,
                trustPolicy: JSON.parse(serializePolicy(design.role.trustPolicy)),
                maxSessionDurationSeconds: 3600,
                attachedPolicies: [{ name: "P", arn: design.role.attachedPolicies[0].arn, document: JSON.parse(serializePolicy(design.role.attachedPolicies[0].document)) }],
                inlinePolicies: [],
            },
            // Whatever someone else set on a bucket the design does not manage.
            bucket: { name: "audit-bucket", policy: { Version: "2012-10-17", Statement: [] }, versioningStatus: "Suspended" },
        });
        const existing = buildDesign(resolveSettings(sources({ blueConfig: parseStackConfig(JSON.stringify({ createBucket: false }), "f") })).settings);
        const report = buildReport(compareBlue(existing, liveFor(existing)), { blue: BLUE }, "eu-west-1");
        assert.equal(report.exitCode, 0);
        assert.deepEqual(
            report.checks.filter((c) => c.status === "skipped").map((c) => [c.resource, c.check]),
            [["bucket audit-bucket", "bucket settings"]],
        );
        assert.match(renderTable(report), /CLEAN \(exit 0\): 6 checks as designed, 1 skipped \(not part of the design\)/);
        const unencrypted = buildDesign(
            resolveSettings(sources({ blueConfig: parseStackConfig(JSON.stringify({ encryption: false, denyInsecureTransport: false, versioning: false }), "f") })).settings,
        );
        const live = {
            ...liveFor(unencrypted),
            bucket: {
                name: "audit-bucket",
                objectOwnership: ["BucketOwnerEnforced"],
                versioningStatus: "Suspended",
                publicAccessBlock: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true },
            },
        };
        const checks = compareBlue(unencrypted, live);
        assert.deepEqual(
            checks.filter((c) => c.status !== "ok").map((c) => [c.check, c.status]),
            [["default encryption", "skipped"]],
        );
    });
});

describe("audit: settings", () => {
    it("first found wins: flags, then the outputs, then the config, then the defaults", () => {
        const outputs = {
            values: { roleArn: `arn:aws:iam::${BLUE}:role/ops/FromOutputs`, bucketName: "from-outputs", region: "us-east-1", greenAccountId: GREEN, readOnly: true },
            label: "--outputs o.json",
        };
        const blueConfig = parseStackConfig(
            JSON.stringify({ "cross-account-s3:bucketName": { value: "from-config", secret: false }, "cross-account-s3:policyName": { value: "Cfg", secret: false } }),
            "--blue-config c.json",
        );
        const { settings, sources: used } = resolveSettings({ flags: { bucket: "from-flag" }, outputs, blueConfig });
        assert.equal(settings.bucketName, "from-flag");
        assert.equal(settings.blueAccountId, BLUE, "from the role ARN");
        assert.equal(settings.roleName, "FromOutputs");
        assert.equal(settings.iamPath, "/ops/");
        assert.equal(settings.policyArn, `arn:aws:iam::${BLUE}:policy/ops/Cfg`);
        assert.equal(settings.readOnly, true);
        assert.equal(settings.groupName, "prod-s3-users");
        assert.deepEqual(settings.userNames, ["s3-prod-user"]);
        assert.equal(used.bucketName, "--bucket");
        assert.equal(used.roleName, "--outputs o.json (output roleArn)", "no roleName output: the name is read from the ARN");
    });

    it("a green-only audit needs no bucket name; the others do", () => {
        const flags = { blueAccountId: BLUE, greenAccountId: GREEN, region: "eu-west-1" };
        assert.equal(resolveSettings({ flags: { ...flags, side: "green" } }).settings.bucketName, "");
        assert.throws(() => resolveSettings({ flags: { ...flags, side: "blue" } }), /no bucketName: pass --bucket NAME/);
        assert.throws(() => resolveSettings({ flags }), /no bucketName/);
    });

    it("says what is missing, and which source holds a bad value", () => {
        assert.throws(() => resolveSettings({ flags: { greenAccountId: GREEN, region: "eu-west-1", bucket: "b-1-2" } }), /no blueAccountId: pass --blue-account-id ID/);
        assert.throws(
            () => resolveSettings(sources({ flags: { ...sources().flags, bucket: "Bad_Bucket" } })),
            (error: unknown) => error instanceof UsageError && error.message.startsWith('--bucket: "Bad_Bucket" is not'),
        );
        assert.throws(
            () => resolveSettings(sources({ blueConfig: parseStackConfig(JSON.stringify({ readOnly: "yes" }), "--blue-config c.json") })),
            /--blue-config c\.json \(key readOnly\): "yes" is not a boolean/,
        );
        assert.throws(() => resolveSettings(sources({ flags: { ...sources().flags, greenAccountId: BLUE } })), /both 111111111111/);
    });

    it("an ExternalId the outputs require must be at hand, and a hidden one is refused", () => {
        const outputs = (values: Record<string, unknown>) => ({
            values: { blueAccountId: BLUE, greenAccountId: GREEN, region: "eu-west-1", bucketName: "audit-bucket", ...values },
            label: "stack blue",
        });
        assert.throws(() => resolveSettings({ flags: {}, outputs: outputs({ externalIdRequired: true }) }), /requires an ExternalId/);
        assert.throws(() => resolveSettings({ flags: {}, outputs: outputs({ externalIdRequired: true, externalId: "[secret]" }) }), /hidden/);
        assert.equal(resolveSettings({ flags: {}, outputs: outputs({ externalIdRequired: true, externalId: "ext-id-1234" }) }).settings.externalId, "ext-id-1234");
    });

    it("config files: pulumi config --json or plain keys; an unknown key and a secret saved without its value are refused", () => {
        assert.deepEqual(
            parseStackConfig(JSON.stringify({ "cross-account-s3:userNames": { value: '["a"]', objectValue: ["a"], secret: false }, "aws:region": { value: "eu-west-1" } }), "f")
                .values,
            { userNames: ["a"], "aws:region": "eu-west-1" },
        );
        assert.throws(
            () => parseStackConfig(JSON.stringify({ bukcetName: "x" }), "--blue-config c.json"),
            (error: unknown) => error instanceof CouldNotRunError && /--blue-config c\.json: "bukcetName" is not a config key of this program/.test(error.message),
        );
        const hidden = parseStackConfig(JSON.stringify({ "cross-account-s3:externalId": { secret: true } }), "--blue-config c.json");
        assert.throws(() => resolveSettings(sources({ blueConfig: hidden })), /externalId is a secret saved without its value/);
        assert.throws(() => parseStackConfig("{", "--blue-config c.json"), /is not JSON \(1 characters\)/);
    });

    it("knows every config key Pulumi.yaml declares, so a real stack's config is never refused", () => {
        const project = load(readFileSync(join(__dirname, "..", "Pulumi.yaml"), "utf8")) as { config: Record<string, unknown> };
        const declared = Object.keys(project.config);
        assert.ok(declared.length > 20);
        assert.deepEqual(
            declared.filter((key) => !PROGRAM_CONFIG_KEYS.includes(key)),
            [],
        );
    });
});

describe("audit: the read-only policy", () => {
    it("holds exactly the IAM actions of the table's calls, each on the resource it reads", () => {
        const blue = auditReadPolicy("blue", { accountId: BLUE, roleName: "CrossAccountS3Access-Role", bucketName: "audit-bucket" });
        const green = auditReadPolicy("green", { accountId: GREEN, groupName: "prod-s3-users" });
        const actions = (document: typeof blue) => document.Statement.flatMap((s) => s.Action).sort();
        assert.deepEqual(actions(blue), iamActionsFor("blue"));
        assert.deepEqual(actions(green), iamActionsFor("green"));
        const expected = Object.values(AUDIT_CALLS).flatMap((c) => ("iamAction" in c ? [c.iamAction] : []));
        assert.deepEqual([...new Set([...actions(blue), ...actions(green)])].sort(), [...new Set(expected)].sort());
        assert.ok(
            actions(blue).every((a) => /^(iam|s3):(Get|List)/.test(a)),
            "only reads",
        );
        // The action of each call as the Service Authorization Reference names it (S3's differ from the operations for three).
        assert.deepEqual(
            Object.values(AUDIT_CALLS).map((c) => [c.operation, "iamAction" in c ? c.iamAction : "none"]),
            [
                ["GetCallerIdentity", "none"],
                ["GetRole", "iam:GetRole"],
                ["ListAttachedRolePolicies", "iam:ListAttachedRolePolicies"],
                ["ListRolePolicies", "iam:ListRolePolicies"],
                ["GetRolePolicy", "iam:GetRolePolicy"],
                ["GetPolicy", "iam:GetPolicy"],
                ["GetPolicyVersion", "iam:GetPolicyVersion"],
                ["GetBucketPolicy", "s3:GetBucketPolicy"],
                ["GetPublicAccessBlock", "s3:GetBucketPublicAccessBlock"],
                ["GetBucketOwnershipControls", "s3:GetBucketOwnershipControls"],
                ["GetBucketEncryption", "s3:GetEncryptionConfiguration"],
                ["GetBucketVersioning", "s3:GetBucketVersioning"],
                ["GetGroup", "iam:GetGroup"],
                ["ListGroupPolicies", "iam:ListGroupPolicies"],
                ["GetGroupPolicy", "iam:GetGroupPolicy"],
                ["ListAttachedGroupPolicies", "iam:ListAttachedGroupPolicies"],
            ],
        );
        assert.deepEqual(
            blue.Statement.map((s) => [s.Sid, s.Resource]),
            [
                ["AuditReadRole", [`arn:aws:iam::${BLUE}:role/CrossAccountS3Access-Role`]],
                ["AuditReadManagedPolicies", [`arn:aws:iam::${BLUE}:policy/*`, "arn:aws:iam::aws:policy/*"]],
                ["AuditReadBucketSettings", ["arn:aws:s3:::audit-bucket"]],
            ],
        );
        assert.deepEqual(
            green.Statement.map((s) => [s.Sid, s.Resource]),
            [
                ["AuditReadManagedPolicies", [`arn:aws:iam::${GREEN}:policy/*`, "arn:aws:iam::aws:policy/*"]],
                ["AuditReadGroup", [`arn:aws:iam::${GREEN}:group/prod-s3-users`]],
            ],
        );
    });
});

describe("audit: secrets", () => {
    it("an ExternalId in a drifted trust policy is shown as ****, in the table and the JSON", () => {
        const secret = "very-secret-external-id";
        const { settings } = resolveSettings(sources({ blueConfig: parseStackConfig(JSON.stringify({ externalId: secret }), "f") }));
        const design = buildDesign(settings);
        const trust = JSON.parse(serializePolicy(design.role.trustPolicy).replace(secret, "another-external-id"));
        const live: LiveBlue = {
            accountId: BLUE,
            role: {
                name: design.role.name,
                arn: design.role.arn,
                trustPolicy: trust,
                maxSessionDurationSeconds: 3600,
                attachedPolicies: [{ name: "P", arn: settings.policyArn, document: design.role.attachedPolicies[0].document as never }],
                inlinePolicies: [],
            },
            bucket: { name: "audit-bucket" },
        };
        const report = buildReport(compareBlue(design, live), { blue: BLUE }, "eu-west-1");
        const trustCheck = report.checks.find((c) => c.check === "trust policy")!;
        assert.equal(trustCheck.status, "drift");
        assert.equal(trustCheck.findings.length, 2);
        for (const text of [renderTable(report), renderJson(report)]) {
            assert.ok(!text.includes(secret) && !text.includes("another-external-id"), "no ExternalId printed");
            assert.match(text, /\\?"sts:ExternalId\\?":\[?\\?"\*\*\*\*\\?"/);
        }
    });
});
