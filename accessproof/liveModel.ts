/**
 * The access model of what the audit read live (`npm run access-report -- --live`), and of the
 * audit's design for the same settings: the same matrix then runs on both, so a reviewer sees who
 * can do what today, and where it differs from the design.
 *
 * Live, the role's identity policies are its attached managed policies (each one's default
 * version) and its inline policies; the group's are its inline and attached policies; the users
 * are the group's members as read. What the audit does not read (the members' own policies, their
 * other groups) is not in the model: the report lists it among its limits.
 *
 * Dev and test use only: nothing here is shipped (it feeds the AGPL evaluator).
 */
import { bucketArn, groupArn as groupArnOf, userArn } from "../components/arns";
import type { AuditRun } from "../scripts/audit/cli";
import type { AuditDesign, AuditSettings } from "../scripts/audit/design";
import type { LiveBlue, LiveGreen, LivePolicy } from "../scripts/audit/liveState";
import type { AccessModel, JsonPolicy, NamedPolicy, PolicyKind } from "./collectPolicies";
import type { Scenario } from "./matrix";

/** What the audit cannot see, for the report's limits. */
export const LIVE_LIMITS: readonly string[] = [
    "Live: the group's members are evaluated with the group's policies only; their own policies and other groups are not read by the audit.",
    "Live: only the audited role, group and bucket are read; other principals of either account appear as the report's stand-ins.",
];

/** The design's options as the matrix takes them: its expected verdicts. The green users are taken to send the ExternalId the role requires. */
export function scenarioOfSettings(settings: AuditSettings): Scenario {
    return {
        externalId: settings.externalId,
        callerExternalId: settings.externalId,
        requireMfa: settings.requireMfa,
        principalOrgId: settings.principalOrgId,
        objectKeyPrefix: settings.objectKeyPrefix,
        readOnly: settings.readOnly,
        kmsKeyArn: settings.kmsKeyArn,
        trustedPrincipalArns: settings.trustedPrincipalArns,
        denyInsecureTransport: settings.createBucket && settings.bucketSecurity.denyInsecureTransport,
    };
}

function named(name: string, kind: PolicyKind, source: string, document: unknown, guards?: string): NamedPolicy {
    const parsed = document as JsonPolicy | undefined;
    if (!parsed || parsed.Version !== "2012-10-17" || parsed.Statement === undefined) {
        throw new Error(`access report --live: ${source} is not a policy document of version 2012-10-17 the evaluator can read`);
    }
    // A single statement object is a list of one to IAM; the evaluator wants the list, and no undefined fields
    // (the design's documents come from the builders, which leave an absent Condition undefined).
    const statements = Array.isArray(parsed.Statement) ? parsed.Statement : [parsed.Statement];
    const plain = JSON.parse(JSON.stringify({ ...parsed, Statement: statements })) as JsonPolicy;
    return { name, kind, source, document: plain, ...(guards ? { guards } : {}) };
}

function identity(policies: readonly LivePolicy[], owner: string, how: string): NamedPolicy[] {
    return policies.map((p) => named(p.arn ? p.name : `${p.name} (inline)`, "identity", `live: ${owner} ${how} ${p.arn ?? p.name}`, p.document));
}

/** The model of what the audit read in both accounts. */
export function liveAccessModel(run: Pick<AuditRun, "live" | "settings">): AccessModel {
    const { blue, green } = run.live;
    if (!blue || !green) {
        throw new Error("access report --live needs both accounts: do not pass --side");
    }
    return accessModel(blue, green, run.settings, "live");
}

/** The model of the design, built as if the design were what is live: the reference the live model is held against. */
export function designAccessModel(design: AuditDesign, settings: AuditSettings): AccessModel {
    const blue: LiveBlue = {
        accountId: settings.blueAccountId,
        role: {
            name: design.role.name,
            arn: design.role.arn,
            trustPolicy: design.role.trustPolicy as never,
            permissionsBoundaryArn: design.role.permissionsBoundaryArn,
            attachedPolicies: design.role.attachedPolicies.map((p) => ({ name: p.arn.split("/").pop() ?? p.arn, arn: p.arn, document: p.document as never })),
            inlinePolicies: Object.entries(design.role.inlinePolicies).map(([name, document]) => ({ name, document: document as never })),
        },
        bucket: {
            name: settings.bucketName,
            policy: design.bucket?.policy as never,
            publicAccessBlock: design.bucket?.publicAccessBlock,
            encryption: design.bucket?.encryption ? [{ algorithm: design.bucket.encryption.algorithm, kmsKeyArn: design.bucket.encryption.kmsKeyArn }] : undefined,
        },
    };
    const groupArn = groupArnOf(settings.greenAccountId, design.group.name, settings.iamPath, settings.partition);
    const green: LiveGreen = {
        accountId: settings.greenAccountId,
        group: {
            name: design.group.name,
            arn: groupArn,
            members: design.group.members.map((name) => ({ name, arn: userArn(settings.greenAccountId, name, settings.iamPath, settings.partition) })),
            inlinePolicies: Object.entries(design.group.inlinePolicies).map(([name, document]) => ({ name, document: document as never })),
            attachedPolicies: [],
        },
    };
    return accessModel(blue, green, settings, "design");
}

function accessModel(blue: LiveBlue, green: LiveGreen, settings: AuditSettings, label: string): AccessModel {
    const role = blue.role;
    const group = green.group;
    const kmsKeyArn = blue.bucket.encryption?.map((rule) => rule.kmsKeyArn).find((key) => key !== undefined);
    return {
        stacks: [label],
        roles: [
            {
                name: role.name,
                arn: role.arn,
                accountId: blue.accountId,
                trustPolicy: named(`${role.name} trust policy`, "trust", `${label}: role ${role.name} (trust policy)`, role.trustPolicy, role.arn),
                attachedPolicies: [...identity(role.attachedPolicies, `role ${role.name}`, "attached"), ...identity(role.inlinePolicies, `role ${role.name}`, "inline")],
                unresolvedPolicyArns: [],
                permissionsBoundaryArn: role.permissionsBoundaryArn,
            },
        ],
        groups: [
            {
                name: group.name,
                arn: group.arn,
                accountId: green.accountId,
                inlinePolicies: [...identity(group.inlinePolicies, `group ${group.name}`, "inline"), ...identity(group.attachedPolicies, `group ${group.name}`, "attached")],
            },
        ],
        users: group.members.map((member) => ({ name: member.name, arn: member.arn, accountId: green.accountId, groups: [group.name] })),
        buckets: [
            {
                name: blue.bucket.name,
                arn: bucketArn(blue.bucket.name, settings.partition),
                accountId: blue.accountId,
                region: settings.region,
                policy: blue.bucket.policy
                    ? named(`${blue.bucket.name} bucket policy`, "resource", `${label}: bucket ${blue.bucket.name} (bucket policy)`, blue.bucket.policy)
                    : undefined,
                restrictPublicBuckets: blue.bucket.publicAccessBlock?.RestrictPublicBuckets === true,
                kmsKeyArn,
            },
        ],
        // The audit reads the walkthrough's group and users; roles and groups granted by a keyless green
        // stack are not read yet (docs/audit.md), so the live matrix has no grant rows.
        grants: [],
        unmodelled: [],
    };
}
