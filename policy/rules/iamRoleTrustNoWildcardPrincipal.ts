import { ReportViolation, ResourceValidation, ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { describeStatement, hasEffect, isWildcardPrincipal, parsePolicy } from "../policyDocuments";
import { ROLE_TYPES } from "../resources";

/**
 * `iam-role-trust-no-wildcard-principal`: no role's trust policy (`assumeRolePolicy`) has an
 * `Allow` whose principal is everyone (`"*"`, `{"AWS": "*"}`, `"*"` in a list) or an `Allow`
 * with `NotPrincipal` (everyone but a few). Conditions do not excuse a wildcard here: the role
 * should name the account(s) it trusts.
 *
 * A resource rule: it runs on the role's inputs before the engine creates or updates the role, in
 * `pulumi preview` and in `pulumi up` (advisory in a preview where the trust policy is unknown).
 */
export const iamRoleTrustNoWildcardPrincipal: ResourceValidationPolicy & { validateResource: ResourceValidation } = {
    name: "iam-role-trust-no-wildcard-principal",
    description: "No IAM role trust policy allows sts:AssumeRole (or anything) to a wildcard principal.",
    validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation): void => {
        if (!ROLE_TYPES.includes(args.type)) {
            return;
        }
        const parsed = parsePolicy(args.props["assumeRolePolicy"]);
        if (parsed.kind === "absent") {
            reportViolation(`Role "${args.name}" has no trust policy.`);
            return;
        }
        if (parsed.kind === "invalid") {
            reportViolation(`The trust policy of role "${args.name}" cannot be read: ${parsed.reason}.`);
            return;
        }
        parsed.statements.forEach((statement, index) => {
            if (!hasEffect(statement, "Allow")) {
                return;
            }
            if (isWildcardPrincipal(statement.Principal)) {
                reportViolation(`The trust policy of role "${args.name}" allows a wildcard principal in ${describeStatement(statement, index)}.`);
            } else if (statement.NotPrincipal !== undefined) {
                reportViolation(`The trust policy of role "${args.name}" uses NotPrincipal in an Allow (${describeStatement(statement, index)}), which trusts everyone else.`);
            }
        });
    },
};
