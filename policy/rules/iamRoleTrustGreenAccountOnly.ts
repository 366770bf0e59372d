import { ReportViolation, ResourceValidation, ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { describeStatement, hasEffect, isRecord, isWildcardPrincipal, parsePolicy, stringList } from "../policyDocuments";
import { ROLE_TYPES } from "../resources";

/** The rule's config: the identity (green) account the roles may trust. */
export interface GreenAccountConfig {
    /** The identity (green) account's 12-digit id. */
    readonly greenAccountId?: string;
}

/** `arn:PARTITION:iam::ACCOUNT:root`, a user or a role of ACCOUNT, or the bare account id (IAM reads it as the root). */
const AWS_PRINCIPAL = /^(?:arn:aws(?:-cn|-us-gov)?:iam::(\d{12}):(?:root|(?:user|role)\/[\x21-\x7E]+)|(\d{12}))$/;

/** The account an `AWS` principal belongs to, or `undefined` when it is not an IAM principal of one account. */
function accountOf(principal: string): string | undefined {
    const match = AWS_PRINCIPAL.exec(principal);
    return match ? (match[1] ?? match[2]) : undefined;
}

/**
 * `iam-role-trust-green-account-only`: every principal an `Allow` of a role's trust policy names is
 * in the configured green account: its root (`arn:aws:iam::GREEN:root`, or the bare id), or a user or
 * role of it. A principal of any other account, a service (`Service`), a federation (`Federated`) or
 * a canonical user fails. Conditions are not read: a root trust narrowed by `ArnLike aws:PrincipalArn`
 * (how IAM Identity Center roles are trusted) passes, because the principal is the green root.
 * Wildcards and `NotPrincipal` are `iam-role-trust-no-wildcard-principal`'s, reported once there.
 *
 * Config (required): `{"iam-role-trust-green-account-only": {"greenAccountId": "222222222222"}}`,
 * given with `--policy-pack-config`. A resource rule, like the wildcard rule.
 */
export const iamRoleTrustGreenAccountOnly: ResourceValidationPolicy & { validateResource: ResourceValidation } = {
    name: "iam-role-trust-green-account-only",
    description: "IAM role trust policies trust principals of the configured green (identity) account only.",
    configSchema: {
        properties: { greenAccountId: { type: "string", pattern: "^[0-9]{12}$", description: "The identity (green) account the roles may trust." } },
        required: ["greenAccountId"],
    },
    validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation): void => {
        if (!ROLE_TYPES.includes(args.type)) {
            return;
        }
        const { greenAccountId } = args.getConfig<GreenAccountConfig>();
        if (typeof greenAccountId !== "string" || !/^\d{12}$/.test(greenAccountId)) {
            reportViolation(
                `No green account is configured, so the trust of role "${args.name}" cannot be checked: give the pack's config {"iam-role-trust-green-account-only": {"greenAccountId": "GREEN"}} with --policy-pack-config.`,
            );
            return;
        }
        // A missing or unreadable trust policy is reported by the wildcard rule.
        const parsed = parsePolicy(args.props["assumeRolePolicy"]);
        if (parsed.kind !== "document") {
            return;
        }
        parsed.statements.forEach((statement, index) => {
            const principal = statement.Principal;
            if (!hasEffect(statement, "Allow") || principal === undefined || isWildcardPrincipal(principal)) {
                return;
            }
            const entries = isRecord(principal) ? Object.entries(principal) : [["(not an object)", principal] as const];
            for (const [kind, value] of entries) {
                for (const name of stringList(value).length > 0 ? stringList(value) : [JSON.stringify(value)]) {
                    const account = kind === "AWS" ? accountOf(name) : undefined;
                    if (account !== greenAccountId) {
                        const where = account === undefined ? `${kind} principal ${name}` : `${name} (account ${account})`;
                        reportViolation(
                            `The trust policy of role "${args.name}" trusts ${where} in ${describeStatement(statement, index)}; only principals of the green account ${greenAccountId} may be trusted.`,
                        );
                    }
                }
            }
        });
    },
};
