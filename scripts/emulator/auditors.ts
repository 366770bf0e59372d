/**
 * Read-only auditors for the emulated accounts: one IAM user per account whose only policy is the
 * audit's read-only policy (scripts/audit/readOnlyPolicy.ts), with an access key, and an AWS config
 * file with the profiles `audit-blue` and `audit-green`. Runs while IAM enforcement is off (it uses
 * the bootstrap clients), like the rest of the emulated setup.
 *
 * Two moto 5.2.1 limits shape the policy given here (what AWS needs is the policy as rendered):
 * - moto authorizes IAM actions against `*`, not the resource's ARN (see emulatedAccounts.ts,
 *   `createGreenAdmin`), so every statement's resource is widened to `*`: the actions stay exact;
 * - moto authorizes GetPublicAccessBlock, GetBucketEncryption and GetBucketOwnershipControls as
 *   `s3:ListBucket` (its S3 ACTION_MAP has no entry for their query strings), so the blue auditor
 *   also gets `s3:ListBucket`, which AWS does not need for them.
 */
import { CreateAccessKeyCommand, CreateUserCommand, PutUserPolicyCommand } from "@aws-sdk/client-iam";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PolicyDocument, serializePolicy } from "../../components/policyDocument";
import type { AuditAccount } from "../audit/awsCalls";
import { auditReadPolicy } from "../audit/readOnlyPolicy";
import { bootstrapIamClient, EmulatedAccounts } from "./emulatedAccounts";

/** The auditor user's name in each account. */
export const AUDITOR_USER_NAME = "cross-account-auditor";

/** The profiles the auditors' keys are written under. */
export const AUDITOR_PROFILES: Readonly<Record<AuditAccount, string>> = { blue: "audit-blue", green: "audit-green" };

/** The auditors' AWS files. Call {@link AuditorFiles.cleanup} when done. */
export interface AuditorFiles {
    /** `AWS_CONFIG_FILE` and `AWS_SHARED_CREDENTIALS_FILE` pointing at the files (holds secrets: never print). */
    readonly env: Readonly<Record<string, string>>;
    /** The folder holding them. */
    readonly dir: string;
    /** Each account's policy as given to its auditor. */
    readonly policies: Readonly<Record<AuditAccount, PolicyDocument>>;
    /** Removes the folder. */
    cleanup(): Promise<void>;
}

/** The audit's read-only policy for an account, widened as moto needs it (see the module note). */
export function emulatorAuditPolicy(account: AuditAccount, accounts: Pick<EmulatedAccounts, "blue" | "green">): PolicyDocument {
    const rendered = auditReadPolicy(
        account,
        account === "blue"
            ? { accountId: accounts.blue.accountId, roleName: accounts.blue.roleName, bucketName: accounts.blue.bucketName }
            : { accountId: accounts.green.accountId, groupName: accounts.green.groupName },
    );
    const statements = rendered.Statement.map((s) => ({ ...s, Resource: ["*"] }));
    if (account === "blue") {
        statements.push({ Sid: "MotoAuthorizesBucketSettingReadsAsListBucket", Effect: "Allow", Action: ["s3:ListBucket"], Resource: ["*"] });
    }
    return { Version: "2012-10-17", Statement: statements };
}

/** Creates both auditors (enforcement must be off) and writes their profiles. */
export async function createAuditors(accounts: EmulatedAccounts): Promise<AuditorFiles> {
    const policies = { blue: emulatorAuditPolicy("blue", accounts), green: emulatorAuditPolicy("green", accounts) };
    const sections: string[] = [];
    for (const account of ["blue", "green"] as const) {
        const iam = bootstrapIamClient(accounts.endpoint, accounts.region, accounts[account].accountId);
        try {
            await iam.send(new CreateUserCommand({ UserName: AUDITOR_USER_NAME }));
            await iam.send(
                new PutUserPolicyCommand({ UserName: AUDITOR_USER_NAME, PolicyName: "cross-account-s3-audit-read-only", PolicyDocument: serializePolicy(policies[account]) }),
            );
            const key = await iam.send(new CreateAccessKeyCommand({ UserName: AUDITOR_USER_NAME }));
            sections.push(
                `[profile ${AUDITOR_PROFILES[account]}]`,
                `aws_access_key_id = ${key.AccessKey?.AccessKeyId}`,
                `aws_secret_access_key = ${key.AccessKey?.SecretAccessKey}`,
                `region = ${accounts.region}`,
                "",
            );
        } finally {
            iam.destroy();
        }
    }
    const dir = await mkdtemp(join(tmpdir(), "cross-account-audit-"));
    const configFile = join(dir, "config");
    const credentialsFile = join(dir, "credentials");
    await writeFile(configFile, sections.join("\n"), { mode: 0o600 });
    await writeFile(credentialsFile, "", { mode: 0o600 });
    return {
        env: { AWS_CONFIG_FILE: configFile, AWS_SHARED_CREDENTIALS_FILE: credentialsFile },
        dir,
        policies,
        cleanup: () => rm(dir, { recursive: true, force: true }),
    };
}
