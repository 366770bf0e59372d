/**
 * The parts of docs/audit.md that are generated from the code, so the documentation cannot drift
 * from it: the table of calls and IAM actions, and the two read-only policies for the default names.
 * test/audit.docs.spec.ts checks that the document holds exactly these texts.
 */
import { AUDIT_CALLS, AuditCall } from "../../scripts/audit/awsCalls";
import { auditReadPolicy } from "../../scripts/audit/readOnlyPolicy";

/** The Markdown table of every call the audit makes, the IAM action it needs and what it reads. */
export function callTableMarkdown(): string {
    const calls: readonly AuditCall[] = Object.values(AUDIT_CALLS);
    return [
        "| call | IAM action | account | reads |",
        "| --- | --- | --- | --- |",
        ...calls.map((c) => `| ${c.operation} | ${c.iamAction ? `\`${c.iamAction}\`` : "none"} | ${c.accounts.join(", ")} | ${c.reads} |`),
    ].join("\n");
}

/** The read-only policies for the documentation's example: accounts 111111111111 and 222222222222, the default names, bucket `BUCKET`. */
export function examplePoliciesJson(): { blue: string; green: string } {
    return {
        blue: JSON.stringify(auditReadPolicy("blue", { accountId: "111111111111", roleName: "CrossAccountS3Access-Role", bucketName: "BUCKET" }), null, 2),
        green: JSON.stringify(auditReadPolicy("green", { accountId: "222222222222", groupName: "prod-s3-users" }), null, 2),
    };
}
