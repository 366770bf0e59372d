/**
 * Which of the principals a program creates are named in the role's trust policy: the role must wait
 * for those, because IAM refuses a trust policy that names a principal that does not exist yet.
 */
import type * as pulumi from "@pulumi/pulumi";
import { Partition, userArn } from "./arns";

/**
 * The users, of those a program creates, that `trustedPrincipalArns` names. IAM user names are unique
 * ignoring case, so the names are compared that way (waiting for one user too many costs nothing).
 * @param trustedPrincipalArns The role's trusted principals; none: nothing to wait for.
 * @param users The users the program creates, by user name.
 * @param accountId The users' account.
 * @param path The users' IAM path.
 * @param partition The partition of the ARNs.
 */
export function usersNamedInTrust(
    trustedPrincipalArns: readonly string[] | undefined,
    users: Readonly<Record<string, pulumi.Resource>>,
    accountId: string,
    path: string,
    partition: Partition,
): pulumi.Resource[] {
    const named = new Set((trustedPrincipalArns ?? []).map((arn) => arn.toLowerCase()));
    return Object.entries(users)
        .filter(([userName]) => named.has(userArn(accountId, userName, path, partition).toLowerCase()))
        .map(([, user]) => user);
}
