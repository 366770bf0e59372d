/**
 * The pack's name and arguments, apart from `index.ts` so that tests can read them: creating
 * a `PolicyPack` starts its gRPC server, which only the Pulumi CLI should do.
 */
import { PolicyPackArgs } from "@pulumi/policy";
import { iamRoleTrustGreenAccountOnly } from "./rules/iamRoleTrustGreenAccountOnly";
import { iamRoleTrustNoWildcardPrincipal } from "./rules/iamRoleTrustNoWildcardPrincipal";
import { s3BucketPublicAccessBlocked } from "./rules/s3BucketPublicAccessBlocked";
import { s3BucketTlsOnlyPolicy } from "./rules/s3BucketTlsOnlyPolicy";

/** The pack's rules, each documented where it is defined under `rules/`; exported for the tests. */
export { iamRoleTrustGreenAccountOnly, iamRoleTrustNoWildcardPrincipal, s3BucketPublicAccessBlocked, s3BucketTlsOnlyPolicy };

/** The pack's name, as `pulumi preview` prints it and Pulumi Cloud lists it. */
export const POLICY_PACK_NAME = "s3-cross-account-access";

/** Every rule mandatory: a violation fails the preview or the update. */
export const policyPackArgs: PolicyPackArgs = {
    description: "Invariants of the S3 cross-account access stacks: no public bucket, no wildcard trust, trust of the green account only, TLS-only bucket policy.",
    enforcementLevel: "mandatory",
    policies: [s3BucketPublicAccessBlocked, iamRoleTrustNoWildcardPrincipal, iamRoleTrustGreenAccountOnly, s3BucketTlsOnlyPolicy],
};
