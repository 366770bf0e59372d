/**
 * The access matrix: who asks for what, and what the design says AWS must answer.
 *
 * The expectations come from the documented behaviour of the components and their options (the
 * scenario), never from the documents themselves; the evaluator answers from the documents the
 * program registered. A cell is green when both agree.
 *
 * Dev and test use only: nothing here is shipped.
 */
import { accountRootArn, bucketArn } from "../components/arns";
import { accountIdOfArn, partitionOfArn } from "./arns";
import { type AccessModel, type BucketModel, type JsonPolicy, type NamedPolicy, type RoleModel, userIdentityPolicies } from "./collectPolicies";
import type { Actor, AccessRequest, RequestContext, Verdict } from "./evaluate";

/** The options of one deployment that shift the matrix, as the stack config sets them. */
export interface Scenario {
    /** The ExternalId the role's trust policy requires (blue config `externalId`); none by default. */
    readonly externalId?: string;
    /** The ExternalId the green users send (green config `externalId`, written to their CLI profile); none when unset. */
    readonly callerExternalId?: string;
    /** `requireMfa`: AssumeRole needs `aws:MultiFactorAuthPresent` = `true`. Default `false`. */
    readonly requireMfa: boolean;
    /** `principalOrgId`: AssumeRole needs `aws:PrincipalOrgID` to be this organization; none by default. */
    readonly principalOrgId?: string;
    /** `objectKeyPrefix`: object access and listing only under this prefix; the whole bucket by default. */
    readonly objectKeyPrefix?: string;
    /** `readOnly`: no `s3:PutObject` (nor `kms:GenerateDataKey`). Default `false`. */
    readonly readOnly: boolean;
    /** `kmsKeyArn`: the role may use this key (`kms:Decrypt`, and `kms:GenerateDataKey` unless read-only); none by default (SSE-S3). */
    readonly kmsKeyArn?: string;
    /** `trustedPrincipalArns`: only these green principals may assume the role; by default the green account (its root). */
    readonly trustedPrincipalArns?: readonly string[];
    /**
     * `trustedPrincipalArnPatterns`: green principals whose ARN matches one of these may assume the role
     * (alone: only they; with `trustedPrincipalArns`: they too). None by default.
     */
    readonly trustedPrincipalArnPatterns?: readonly string[];
    /** The bucket policy denies requests without TLS (`createBucket` and `denyInsecureTransport`, both `true` by default). */
    readonly denyInsecureTransport: boolean;
}

/**
 * Reads a scenario from stack config (project keys, with or without the `cross-account-s3:` namespace;
 * values as Pulumi passes them). `green` defaults to `blue` (a `both` stack); only its `externalId` is read.
 */
export function scenarioFromConfig(blue: Readonly<Record<string, string>>, green: Readonly<Record<string, string>> = blue): Scenario {
    const text = (config: Readonly<Record<string, string>>, key: string) => {
        const value = config[key] ?? config[`cross-account-s3:${key}`];
        return value === undefined || value === "" ? undefined : value;
    };
    const flag = (key: string, fallback: boolean) => {
        const value = text(blue, key);
        return value === undefined ? fallback : value === "true";
    };
    const trusted = text(blue, "trustedPrincipalArns");
    const trustedPrincipalArns = trusted === undefined ? undefined : (JSON.parse(trusted) as string[]);
    const patterns = text(blue, "trustedPrincipalArnPatterns");
    const trustedPrincipalArnPatterns = patterns === undefined ? undefined : (JSON.parse(patterns) as string[]);
    return {
        externalId: text(blue, "externalId"),
        callerExternalId: text(green, "externalId"),
        requireMfa: flag("requireMfa", false),
        principalOrgId: text(blue, "principalOrgId"),
        objectKeyPrefix: text(blue, "objectKeyPrefix"),
        readOnly: flag("readOnly", false),
        kmsKeyArn: text(blue, "kmsKeyArn"),
        trustedPrincipalArns: trustedPrincipalArns && trustedPrincipalArns.length > 0 ? trustedPrincipalArns : undefined,
        trustedPrincipalArnPatterns: trustedPrincipalArnPatterns && trustedPrincipalArnPatterns.length > 0 ? trustedPrincipalArnPatterns : undefined,
        denyInsecureTransport: flag("createBucket", true) && flag("denyInsecureTransport", true),
    };
}

/** The part of the matrix a cell belongs to. */
export type Section = "assume" | "s3" | "kms" | "iam" | "tls" | "direct";

/** One request with its expected verdict. */
export interface Cell {
    /** Stable id, e.g. `assume.outsider` or `s3.deleteObject`. */
    readonly id: string;
    /** The part of the matrix (and the report's table) it belongs to. */
    readonly section: Section;
    /** The actor's id (see {@link Matrix.actors}). */
    readonly actor: string;
    /** The exact action asked for, e.g. `s3:GetObject`. */
    readonly action: string;
    /** The exact resource ARN it is asked on. */
    readonly resource: string;
    /** The owner of a resource the model does not hold (another bucket). */
    readonly resourceAccountId?: string;
    /** Condition keys beyond the defaults. */
    readonly context: RequestContext;
    /** What AWS must answer if the deployment does what it documents. */
    readonly expected: Verdict;
    /** Why, in a few words, for the report and for failing assertions. */
    readonly intent: string;
}

/** The matrix of one deployment: its actors and cells. */
export interface Matrix {
    /** The options the expectations were derived from. */
    readonly scenario: Scenario;
    /** The role the green users assume. */
    readonly role: RoleModel;
    /** The bucket it grants access to. */
    readonly bucket: BucketModel;
    /** Everyone who makes a request, by id. */
    readonly actors: Record<string, Actor>;
    /** The requests with their expected verdicts, in section order. */
    readonly cells: Cell[];
}

/** A third account, trusted by nobody: home of the outsider. */
export const OUTSIDER_ACCOUNT_ID = "333333333333";

/** Allows everything: what an administrator of some account has. */
const ADMIN_POLICY: JsonPolicy = { Version: "2012-10-17", Statement: [{ Sid: "AdministratorAccess", Effect: "Allow", Action: "*", Resource: "*" }] };

/** A green application with broad S3 rights but no right to assume the role. */
const BROAD_S3_POLICY: JsonPolicy = {
    Version: "2012-10-17",
    Statement: [{ Sid: "BroadS3", Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject", "s3:ListBucket"], Resource: "*" }],
};

/** The actors of the matrix: the deployed users and role session, and stand-ins for everyone else. */
export function buildActors(model: AccessModel, role: RoleModel, greenAccountId: string): Record<string, Actor> {
    const partition = partitionOfArn(role.arn);
    const actors: Record<string, Actor> = {};
    for (const user of model.users.filter((u) => u.groups.length > 0)) {
        actors[`member:${user.name}`] = {
            id: `member:${user.name}`,
            label: `green user ${user.name} (in ${user.groups.join(", ")})`,
            kind: "user",
            arn: user.arn,
            accountId: user.accountId,
            identityPolicies: userIdentityPolicies(model, user),
            deployed: true,
        };
    }
    // Existing green roles the program grants (keyless): deployed policies, on principals it does not create.
    for (const grant of model.grants.filter((g) => g.kind === "role")) {
        actors[`granted:${grant.name}`] = {
            id: `granted:${grant.name}`,
            label: `existing green role ${grant.name} (granted ${grant.policies.map((p) => p.name).join(", ")})`,
            kind: "role",
            arn: `arn:${partition}:iam::${grant.accountId}:role/${grant.name}`,
            accountId: grant.accountId,
            identityPolicies: grant.policies,
            deployed: true,
        };
    }
    const standIn = (id: string, label: string, kind: "user" | "role", arn: string, accountId: string, policy?: { name: string; document: JsonPolicy }): Actor => ({
        id,
        label,
        kind,
        arn,
        accountId,
        identityPolicies: policy ? [{ name: policy.name, kind: "identity", source: "stand-in", document: policy.document }] : [],
        deployed: false,
    });
    const green = (path: string) => `arn:${partition}:iam::${greenAccountId}:${path}`;
    actors.nonMember = standIn("nonMember", "green user not in the group", "user", green("user/not-in-group"), greenAccountId);
    actors.otherGreenRole = standIn("otherGreenRole", "another green role (S3 rights on *, no AssumeRole grant)", "role", green("role/other-green-app"), greenAccountId, {
        name: "BroadS3",
        document: BROAD_S3_POLICY,
    });
    actors.greenAdmin = standIn("greenAdmin", "green administrator (Action * on *)", "role", green("role/green-admin"), greenAccountId, {
        name: "AdministratorAccess",
        document: ADMIN_POLICY,
    });
    actors.outsider = standIn(
        "outsider",
        `administrator of a third account ${OUTSIDER_ACCOUNT_ID}`,
        "user",
        `arn:${partition}:iam::${OUTSIDER_ACCOUNT_ID}:user/outsider`,
        OUTSIDER_ACCOUNT_ID,
        { name: "AdministratorAccess", document: ADMIN_POLICY },
    );
    actors.anonymous = {
        id: "anonymous",
        label: "anonymous (unsigned request)",
        kind: "anonymous",
        identityPolicies: [],
        deployed: false,
    };
    actors.session = {
        id: "session",
        label: `session of role ${role.name}`,
        kind: "session",
        arn: `arn:${partition}:sts::${role.accountId}:assumed-role/${role.name}/access-proof`,
        roleArn: role.arn,
        accountId: role.accountId,
        identityPolicies: role.attachedPolicies,
        deployed: true,
    };
    return actors;
}

/**
 * Whether an ARN matches an `ArnLike` pattern as documented: `*` any run of characters, `?` one, within
 * the resource field (the only field the program lets a pattern have wildcards in).
 */
export function arnMatches(pattern: string, arn: string): boolean {
    const expression = pattern
        .split("")
        .map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[.+^${}()|[\]\\]/g, "\\$&")))
        .join("");
    return new RegExp(`^${expression}$`).test(arn);
}

/** Whether the trust policy, as documented, admits this principal (by ARN, the whole green account, or an ARN pattern). */
function trusts(scenario: Scenario, principalArn: string, greenAccountId: string): boolean {
    const list = scenario.trustedPrincipalArns;
    const patterns = scenario.trustedPrincipalArnPatterns;
    if (!list && !patterns) {
        return true;
    }
    const root = accountRootArn(greenAccountId, partitionOfArn(principalArn));
    const byArn = list ? list.includes(principalArn) || list.includes(root) : false;
    const byPattern = (patterns ?? []).some((pattern) => arnMatches(pattern, principalArn));
    return byArn || byPattern;
}

/** Another bucket's name that starts with this one's: catches a missing `/` in an object ARN. */
export function otherBucketName(bucketName: string): string {
    return `${bucketName.slice(0, 57)}-other`;
}

/**
 * The matrix of one deployment: the role the group may assume, the bucket it reaches, and every cell
 * with its expected verdict under the scenario's options.
 */
export function buildMatrix(model: AccessModel, scenario: Scenario): Matrix {
    if (model.roles.length !== 1 || model.buckets.length !== 1) {
        throw new Error(`accessproof: expected one role and one bucket, found ${model.roles.length} role(s) and ${model.buckets.length} bucket(s) in ${model.stacks.join(" + ")}`);
    }
    const role = model.roles[0];
    const bucket = model.buckets[0];
    const partition = partitionOfArn(role.arn);
    const greenAccountId = model.users[0]?.accountId ?? model.groups[0]?.accountId ?? model.grants[0]?.accountId;
    if (!greenAccountId) {
        throw new Error(`accessproof: no green user or group in ${model.stacks.join(" + ")}; evaluate the green stack with the blue one`);
    }
    const actors = { ...buildActors(model, role, greenAccountId), ...keylessStandIns(model, scenario, greenAccountId, partition) };
    const cells: Cell[] = [];
    const cell = (c: Omit<Cell, "context"> & { context?: RequestContext }) => cells.push({ ...c, context: c.context ?? {} });
    const allow = (yes: boolean): Verdict => (yes ? "Allowed" : "ImplicitlyDenied");

    // AssumeRole: the caller's identity policy and the role's trust policy must both allow (cross-account).
    const satisfying: RequestContext = {};
    if (scenario.externalId !== undefined) {
        satisfying["sts:ExternalId"] = scenario.callerExternalId;
    }
    if (scenario.requireMfa) {
        satisfying["aws:MultiFactorAuthPresent"] = "true";
    }
    if (scenario.principalOrgId !== undefined) {
        satisfying["aws:PrincipalOrgID"] = scenario.principalOrgId;
    }
    const assume = (id: string, actor: string, expected: Verdict, intent: string, context: RequestContext = satisfying) =>
        cell({ id, section: "assume", actor, action: "sts:AssumeRole", resource: role.arn, context, expected, intent });
    const members = Object.values(actors).filter((a) => a.id.startsWith("member:"));
    for (const member of members) {
        const trusted = trusts(scenario, member.arn!, greenAccountId);
        assume(
            `assume.${member.id}`,
            member.id,
            allow(trusted),
            trusted ? "group policy allows AssumeRole on the role, trust policy trusts green" : "not among trustedPrincipalArns",
        );
        if (scenario.externalId !== undefined) {
            assume(`assume.${member.id}.withoutExternalId`, member.id, "ImplicitlyDenied", "trust policy requires sts:ExternalId", { ...satisfying, "sts:ExternalId": undefined });
            assume(`assume.${member.id}.wrongExternalId`, member.id, "ImplicitlyDenied", "trust policy requires the configured ExternalId", {
                ...satisfying,
                "sts:ExternalId": "not-the-external-id",
            });
        }
        if (scenario.requireMfa) {
            assume(`assume.${member.id}.withoutMfa`, member.id, "ImplicitlyDenied", "trust policy requires MFA; long-term keys send no MFA key", {
                ...satisfying,
                "aws:MultiFactorAuthPresent": undefined,
            });
            assume(`assume.${member.id}.mfaFalse`, member.id, "ImplicitlyDenied", "trust policy requires aws:MultiFactorAuthPresent = true", {
                ...satisfying,
                "aws:MultiFactorAuthPresent": "false",
            });
        }
        if (scenario.principalOrgId !== undefined) {
            assume(`assume.${member.id}.withoutOrgId`, member.id, "ImplicitlyDenied", "trust policy requires aws:PrincipalOrgID", {
                ...satisfying,
                "aws:PrincipalOrgID": undefined,
            });
            assume(`assume.${member.id}.otherOrgId`, member.id, "ImplicitlyDenied", "trust policy requires the configured organization", {
                ...satisfying,
                "aws:PrincipalOrgID": "o-zzzzzzzzzz",
            });
        }
    }
    assume("assume.nonMember", "nonMember", "ImplicitlyDenied", "no identity policy allows AssumeRole");
    assume("assume.otherGreenRole", "otherGreenRole", "ImplicitlyDenied", "its identity policy does not allow AssumeRole");
    const adminTrusted = trusts(scenario, actors.greenAdmin.arn!, greenAccountId);
    assume(
        "assume.greenAdmin",
        "greenAdmin",
        allow(adminTrusted),
        adminTrusted
            ? "trusting the green account root delegates to green's IAM: any green principal allowed sts:AssumeRole may assume"
            : "trustedPrincipalArns names only the chosen principals",
    );
    // Keyless: existing green roles granted by the program, and IAM Identity Center roles by ARN pattern.
    for (const granted of Object.values(actors).filter((a) => a.id.startsWith("granted:"))) {
        const trusted = trusts(scenario, granted.arn!, greenAccountId);
        assume(
            `assume.${granted.id}`,
            granted.id,
            allow(trusted),
            trusted ? "granted by the managed policy, admitted by the trust policy" : "granted, but the trust policy does not admit it",
        );
    }
    if (actors.notGrantedRole) {
        assume("assume.notGrantedRole", "notGrantedRole", "ImplicitlyDenied", "an existing green role the program does not grant: no identity policy allows AssumeRole");
        assume("assume.grantedNameThirdAccount", "grantedNameThirdAccount", "ImplicitlyDenied", "the same role name in a third account: the trust policy trusts green only");
    }
    if (actors.ssoMatching) {
        const matching = trusts(scenario, actors.ssoMatching.arn!, greenAccountId);
        assume("assume.ssoMatching", "ssoMatching", allow(matching), matching ? "its ARN matches trustedPrincipalArnPatterns" : "not admitted by the trust policy");
        const other = trusts(scenario, actors.ssoNotMatching.arn!, greenAccountId);
        assume("assume.ssoNotMatching", "ssoNotMatching", allow(other), other ? "admitted by the trust policy" : "its ARN matches no trustedPrincipalArnPatterns");
        assume("assume.ssoThirdAccount", "ssoThirdAccount", "ImplicitlyDenied", "the same SSO role ARN in a third account: the pattern names the green account");
    }
    assume("assume.outsider", "outsider", "ImplicitlyDenied", "trust policy trusts green only");
    assume("assume.anonymous", "anonymous", "ImplicitlyDenied", "trust policy trusts green only");

    // The role session in the bucket (same account: the session's identity policy, no Deny in the bucket policy).
    const prefix = scenario.objectKeyPrefix ?? "";
    const key = `${prefix}data/report.csv`;
    const outsideKey = `${prefix === "outside/" ? "elsewhere/" : "outside/"}data/report.csv`;
    const objectArn = (name: string, k: string) => `${bucketArn(name, partition)}/${k}`;
    const listContext: RequestContext = scenario.objectKeyPrefix ? { "s3:prefix": prefix } : {};
    const other = otherBucketName(bucket.name);
    const s3 = (id: string, action: string, resource: string, expected: Verdict, intent: string, extra: Partial<Cell> = {}) =>
        cell({ id, section: "s3", actor: "session", action, resource, expected, intent, ...extra });
    s3("s3.putObject", "s3:PutObject", objectArn(bucket.name, key), allow(!scenario.readOnly), scenario.readOnly ? "read-only: no PutObject" : "granted: PutObject on the objects");
    s3("s3.getObject", "s3:GetObject", objectArn(bucket.name, key), "Allowed", "granted: GetObject on the objects");
    s3("s3.listBucket", "s3:ListBucket", bucketArn(bucket.name, partition), "Allowed", "granted: ListBucket on the bucket", { context: listContext });
    if (scenario.objectKeyPrefix) {
        s3("s3.putObject.outsidePrefix", "s3:PutObject", objectArn(bucket.name, outsideKey), "ImplicitlyDenied", "objects only under the prefix");
        s3("s3.getObject.outsidePrefix", "s3:GetObject", objectArn(bucket.name, outsideKey), "ImplicitlyDenied", "objects only under the prefix");
        s3("s3.listBucket.withoutPrefix", "s3:ListBucket", bucketArn(bucket.name, partition), "ImplicitlyDenied", "listing only with s3:prefix under the prefix", { context: {} });
        s3("s3.listBucket.otherPrefix", "s3:ListBucket", bucketArn(bucket.name, partition), "ImplicitlyDenied", "listing only under the prefix", {
            context: { "s3:prefix": outsideKey.split("/")[0] + "/" },
        });
    }
    s3("s3.deleteObject", "s3:DeleteObject", objectArn(bucket.name, key), "ImplicitlyDenied", "not granted");
    s3("s3.putObjectAcl", "s3:PutObjectAcl", objectArn(bucket.name, key), "ImplicitlyDenied", "not granted");
    s3("s3.putBucketPolicy", "s3:PutBucketPolicy", bucketArn(bucket.name, partition), "ImplicitlyDenied", "not granted");
    s3("s3.getObject.otherBucket", "s3:GetObject", objectArn(other, key), "ImplicitlyDenied", "only this bucket", { resourceAccountId: bucket.accountId });
    s3("s3.listBucket.otherBucket", "s3:ListBucket", bucketArn(other, partition), "ImplicitlyDenied", "only this bucket", {
        resourceAccountId: bucket.accountId,
        context: listContext,
    });

    // KMS, when the bucket encrypts with a customer key.
    if (scenario.kmsKeyArn) {
        const keyAccount = accountIdOfArn(scenario.kmsKeyArn);
        const otherKey = scenario.kmsKeyArn.replace(/key\/.*$/, "key/00000000-0000-0000-0000-000000000000");
        const kms = (id: string, action: string, resource: string, expected: Verdict, intent: string) =>
            cell({ id, section: "kms", actor: "session", action, resource, expected, intent, resourceAccountId: keyAccount });
        kms(
            "kms.generateDataKey",
            "kms:GenerateDataKey",
            scenario.kmsKeyArn,
            allow(!scenario.readOnly),
            scenario.readOnly ? "read-only: no GenerateDataKey" : "granted: writes encrypt with the bucket key",
        );
        kms("kms.decrypt", "kms:Decrypt", scenario.kmsKeyArn, "Allowed", "granted: reads decrypt with the bucket key");
        kms("kms.decrypt.otherKey", "kms:Decrypt", otherKey, "ImplicitlyDenied", "only the bucket's key");
    }

    // IAM: the session cannot change IAM, least of all its own role.
    const iam = (id: string, action: string, resource: string) =>
        cell({ id, section: "iam", actor: "session", action, resource, expected: "ImplicitlyDenied", intent: "no IAM rights" });
    iam("iam.createUser", "iam:CreateUser", `arn:${partition}:iam::${role.accountId}:user/backdoor`);
    iam("iam.attachRolePolicy", "iam:AttachRolePolicy", role.arn);
    iam("iam.updateAssumeRolePolicy", "iam:UpdateAssumeRolePolicy", role.arn);

    // Requests without TLS: the bucket policy's explicit Deny, whoever asks.
    const insecure: RequestContext = { "aws:SecureTransport": "false" };
    const tls = scenario.denyInsecureTransport;
    const tlsCell = (id: string, actor: string, action: string, resource: string, securely: Verdict, context: RequestContext = {}) =>
        cell({
            id,
            section: "tls",
            actor,
            action,
            resource,
            context: { ...context, ...insecure },
            expected: tls ? "ExplicitlyDenied" : securely,
            intent: tls ? "bucket policy denies aws:SecureTransport = false" : "no TLS-only bucket policy: same as with TLS",
        });
    tlsCell("tls.session.putObject", "session", "s3:PutObject", objectArn(bucket.name, key), allow(!scenario.readOnly));
    tlsCell("tls.session.getObject", "session", "s3:GetObject", objectArn(bucket.name, key), "Allowed");
    tlsCell("tls.session.listBucket", "session", "s3:ListBucket", bucketArn(bucket.name, partition), "Allowed", listContext);
    for (const member of members) {
        tlsCell(`tls.${member.id}.getObject`, member.id, "s3:GetObject", objectArn(bucket.name, key), "ImplicitlyDenied");
    }
    tlsCell("tls.outsider.getObject", "outsider", "s3:GetObject", objectArn(bucket.name, key), "ImplicitlyDenied");
    tlsCell("tls.anonymous.getObject", "anonymous", "s3:GetObject", objectArn(bucket.name, key), "ImplicitlyDenied");

    // Straight to the bucket, not through the role: the bucket policy grants no one.
    const direct = (id: string, actor: string, action: string, resource: string, intent: string) =>
        cell({ id, section: "direct", actor, action, resource, expected: "ImplicitlyDenied", intent, context: action === "s3:ListBucket" ? listContext : {} });
    for (const member of members) {
        direct(`direct.${member.id}.getObject`, member.id, "s3:GetObject", objectArn(bucket.name, key), "green users reach the bucket only through the role");
    }
    direct("direct.otherGreenRole.getObject", "otherGreenRole", "s3:GetObject", objectArn(bucket.name, key), "cross-account: the bucket policy grants green nothing");
    direct("direct.outsider.putObject", "outsider", "s3:PutObject", objectArn(bucket.name, key), "cross-account: the bucket policy grants no one");
    direct("direct.anonymous.getObject", "anonymous", "s3:GetObject", objectArn(bucket.name, key), "not public");
    direct("direct.anonymous.listBucket", "anonymous", "s3:ListBucket", bucketArn(bucket.name, partition), "not public");

    return { scenario, role, bucket, actors, cells };
}

/** An SSO role ARN of the green account built from a pattern: each `*` and `?` filled in. */
function filledIn(pattern: string): string {
    return pattern.replace(/\*/g, "x1").replace(/\?/g, "y");
}

/**
 * The stand-ins of a keyless deployment: with granted roles, a green role that is not granted and the
 * same name in a third account; with ARN patterns, an IAM Identity Center role matching the first
 * pattern, one matching none, and the matching ARN in a third account. The SSO roles carry the grant
 * policy, as Identity Center attaches it when the permission set references it by name (an assumption:
 * the permission set is not created here).
 */
function keylessStandIns(model: AccessModel, scenario: Scenario, greenAccountId: string, partition: string): Record<string, Actor> {
    const actors: Record<string, Actor> = {};
    const grantPolicies = model.grants.flatMap((g) => g.policies).filter((p, i, all) => all.indexOf(p) === i);
    const standIn = (id: string, label: string, arn: string, accountId: string, identityPolicies: NamedPolicy[]): Actor => ({
        id,
        label,
        kind: "role",
        arn,
        accountId,
        identityPolicies,
        deployed: false,
    });
    const grantedRole = model.grants.find((g) => g.kind === "role");
    if (grantedRole) {
        actors.notGrantedRole = standIn(
            "notGrantedRole",
            "existing green role not granted (ci-other)",
            `arn:${partition}:iam::${greenAccountId}:role/ci-other`,
            greenAccountId,
            [],
        );
        actors.grantedNameThirdAccount = standIn(
            "grantedNameThirdAccount",
            `role ${grantedRole.name} of a third account ${OUTSIDER_ACCOUNT_ID} (administrator)`,
            `arn:${partition}:iam::${OUTSIDER_ACCOUNT_ID}:role/${grantedRole.name}`,
            OUTSIDER_ACCOUNT_ID,
            [{ name: "AdministratorAccess", kind: "identity", source: "stand-in", document: ADMIN_POLICY }],
        );
    }
    const pattern = scenario.trustedPrincipalArnPatterns?.[0];
    // Only with a grant policy: it is what the permission set would reference.
    if (pattern && grantPolicies.length > 0) {
        const matching = filledIn(pattern);
        const notMatching = `arn:${partition}:iam::${greenAccountId}:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_NotThePermissionSet_0123456789abcdef`;
        if (!arnMatches(pattern, matching) || (scenario.trustedPrincipalArnPatterns ?? []).some((p) => arnMatches(p, notMatching))) {
            throw new Error(`accessproof: pattern ${pattern} does not give one matching and one non-matching SSO role`);
        }
        const permissionSet = grantPolicies;
        actors.ssoMatching = standIn(
            "ssoMatching",
            "IAM Identity Center role matching the pattern (permission set references the grant policy)",
            matching,
            greenAccountId,
            permissionSet,
        );
        actors.ssoNotMatching = standIn("ssoNotMatching", "IAM Identity Center role of another permission set (same grant policy)", notMatching, greenAccountId, permissionSet);
        actors.ssoThirdAccount = standIn(
            "ssoThirdAccount",
            `the matching SSO role ARN in a third account ${OUTSIDER_ACCOUNT_ID} (administrator)`,
            matching.replace(`:${greenAccountId}:`, `:${OUTSIDER_ACCOUNT_ID}:`),
            OUTSIDER_ACCOUNT_ID,
            [{ name: "AdministratorAccess", kind: "identity", source: "stand-in", document: ADMIN_POLICY }],
        );
    }
    return actors;
}

/** The request of a cell, with the matrix's actors. */
export function requestOf(matrix: Pick<Matrix, "actors">, cell: Cell): AccessRequest {
    const actor = matrix.actors[cell.actor];
    if (!actor) {
        throw new Error(`accessproof: cell ${cell.id} names unknown actor ${cell.actor}`);
    }
    return { actor, action: cell.action, resource: cell.resource, resourceAccountId: cell.resourceAccountId, context: cell.context };
}
