/**
 * One explicit `aws` provider per account, pinned to that account.
 */
import * as pulumi from "@pulumi/pulumi";
import { Provider } from "@pulumi/aws/provider";
import { AccountAccess } from "./config";

/**
 * An `aws` provider for one account. `allowedAccountIds` makes it refuse to act with credentials
 * of any other account, so a wrong `aws:profile` fails at preview instead of creating the resources
 * in the wrong account.
 * @param name The provider's resource name, e.g. `blue`.
 * @param access The account, region and credentials.
 */
export function accountProvider(name: string, access: AccountAccess): Provider {
    return new Provider(name, {
        region: access.region,
        profile: access.profile,
        allowedAccountIds: [access.accountId],
        assumeRoles: access.assumeRoleArn ? [{ roleArn: access.assumeRoleArn, sessionName: `pulumi-${pulumi.getProject()}-${pulumi.getStack()}`.slice(0, 64) }] : undefined,
        defaultTags: { tags: { "pulumi:project": pulumi.getProject(), "pulumi:stack": pulumi.getStack() } },
    });
}
