/**
 * The `blue` stack: the resource account's bucket, policy and role.
 */
import { BucketAccessRole, ResolvedBucketAccessRoleArgs } from "../components/bucketAccessRole";
import { definedOnly, StackConfig } from "./config";
import { accountProvider } from "./providers";
import { BlueStackOutputs } from "./stackOutputs";

/**
 * The outputs that describe the role's conditions and scope, shared by the blue and both stacks. The
 * ExternalId is exported as read from config (a secret), and only when it is set; so is the key prefix.
 */
export function roleConditionOutputs(
    args: ResolvedBucketAccessRoleArgs,
    config: StackConfig,
): Pick<BlueStackOutputs, "externalIdRequired" | "mfaRequired" | "externalId" | "objectKeyPrefix" | "readOnly"> {
    return definedOnly({
        externalIdRequired: config.externalId !== undefined,
        mfaRequired: args.requireMfa,
        externalId: config.externalId,
        objectKeyPrefix: args.objectKeyPrefix,
        readOnly: args.readOnly,
    });
}

/** Deploys the resource account's side with an explicit provider pinned to that account. */
export function deployBlueSide(config: StackConfig): BlueStackOutputs {
    const args = config.blueArgs!;
    const provider = accountProvider("blue", config.blue);
    // The arguments were resolved with the config: the component does not check them again.
    const blue = new BucketAccessRole("cross-account", args, { provider });
    return {
        roleArn: blue.roleArn,
        roleName: blue.roleName,
        bucketName: blue.bucketName,
        bucketArn: blue.bucketArn,
        policyArn: blue.policyArn,
        region: config.blue.region,
        blueAccountId: config.blue.accountId,
        greenAccountId: config.green.accountId,
        ...roleConditionOutputs(args, config),
    };
}
