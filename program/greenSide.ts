/**
 * The `green` stack: the identity account's group, users and keys, for the role the blue stack made.
 */
import * as pulumi from "@pulumi/pulumi";
import { ArgumentCheck } from "../components/argumentCheck";
import { AssumeRoleUsers, ResolvedAssumeRoleUsersArgs, withRoleArn } from "../components/assumeRoleUsers";
import { parseRoleArn } from "../components/arns";
import { readBlueStack } from "./blueStackReference";
import { configKey, definedOnly, StackConfig, throwConfigProblems } from "./config";
import { accountProvider } from "./providers";
import { GreenStackOutputs } from "./stackOutputs";

/** Resolves an output's value (config secrets are known at once); only to compare, never to export. */
function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) =>
        output.apply((value) => {
            resolve(value);
            return value;
        }),
    );
}

/**
 * The green side's outputs about who may assume the role: the group and keys only when there are users,
 * the granted roles, groups and their policy only when there are any. A keyless stack (no users) so
 * exports no secret at all, not even an empty map of keys (a secret output is shown as [secret]).
 */
export function identityOutputs(
    args: ResolvedAssumeRoleUsersArgs,
    green: AssumeRoleUsers,
): Pick<
    GreenStackOutputs,
    "groupName" | "accessKeyIds" | "secretAccessKeys" | "encryptedSecretAccessKeys" | "greenRoleNames" | "greenGroupNames" | "permissionSetNames" | "grantPolicyArn"
> {
    const withUsers = args.userNames.length > 0;
    const granted = args.greenRoleNames.length + args.greenGroupNames.length + args.permissionSetNames.length > 0;
    return definedOnly({
        groupName: withUsers ? (green.groupName as pulumi.Output<string>) : undefined,
        accessKeyIds: withUsers ? green.accessKeyIds : undefined,
        secretAccessKeys: withUsers ? green.secretAccessKeys : undefined,
        encryptedSecretAccessKeys: withUsers ? green.encryptedSecretAccessKeys : undefined,
        greenRoleNames: args.greenRoleNames.length > 0 ? args.greenRoleNames : undefined,
        greenGroupNames: args.greenGroupNames.length > 0 ? args.greenGroupNames : undefined,
        permissionSetNames: args.permissionSetNames.length > 0 ? args.permissionSetNames : undefined,
        grantPolicyArn: granted ? (green.grantPolicyArn as pulumi.Output<string>) : undefined,
    });
}

/** Deploys the identity account's side with an explicit provider pinned to that account. */
export async function deployGreenSide(config: StackConfig): Promise<GreenStackOutputs> {
    const stack = config.blueStack!;
    const blue = await readBlueStack(stack);
    const check = ArgumentCheck.start();
    // The role ARN the blue stack exported, checked once, by the green component's own rule.
    const resolved = withRoleArn(config.greenArgs, blue.roleArn, check);
    const roleAccount = typeof blue.roleArn === "string" ? parseRoleArn(blue.roleArn)?.accountId : undefined;
    if (resolved && roleAccount !== config.blue.accountId) {
        check.add(
            configKey("blueStack"),
            `the role ${blue.roleArn} of stack ${JSON.stringify(stack)} is in account ${roleAccount}, not blueAccountId ${config.blue.accountId}`,
            "Point blueStack at the stack deployed in the resource account, or correct blueAccountId",
        );
    }
    const own = config.greenArgs!.checkedExternalId;
    const ownValue = own === undefined ? undefined : (await valueOf(own)).value;
    if (ownValue !== undefined && blue.externalIdValue !== undefined && ownValue !== blue.externalIdValue) {
        check.add(
            configKey("externalId"),
            `it differs from the ExternalId the role of stack ${JSON.stringify(stack)} requires (values not shown)`,
            "Remove it from this stack (the blue stack's value is used), or set the same value",
        );
    }
    if (blue.externalIdRequired && own === undefined && blue.externalId === undefined) {
        check.add(
            configKey("externalId"),
            `the role of stack ${JSON.stringify(stack)} requires an ExternalId, and this stack sets none`,
            "Set the same externalId as the blue stack: pulumi config set --secret externalId VALUE (or update the blue stack, which then exports it)",
        );
    }
    if (blue.mfaRequired && config.greenArgs!.cliProfiles.mfaSerial === undefined) {
        check.add(
            configKey("mfaSerial"),
            `the role of stack ${JSON.stringify(stack)} requires MFA, and this stack names no MFA device`,
            "Set the user's MFA device ARN: pulumi config set mfaSerial arn:aws:iam::GREEN:mfa/USER",
        );
    }
    throwConfigProblems(check, stack);

    const region = blue.region ?? config.green.region;
    const provider = accountProvider("green", config.green);
    const args: ResolvedAssumeRoleUsersArgs = {
        ...resolved!,
        // This stack's own ExternalId (checked with the config) wins; else the blue stack's secret output.
        checkedExternalId: own ?? blue.externalId?.apply((value) => ({ value })),
        cliProfiles: { ...resolved!.cliProfiles, externalId: config.externalId ?? blue.externalId, region },
    };
    // Resolved: the component does not check the arguments again.
    const green = new AssumeRoleUsers("cross-account", args, { provider });
    return {
        roleArn: blue.roleArn as string,
        ...definedOnly({ bucketName: blue.bucketName, objectKeyPrefix: blue.objectKeyPrefix }),
        region,
        externalIdRequired: blue.externalIdRequired,
        mfaRequired: blue.mfaRequired,
        readOnly: blue.readOnly,
        userNames: green.userNames,
        ...identityOutputs(args, green),
        cliConfig: green.cliConfig,
    };
}
