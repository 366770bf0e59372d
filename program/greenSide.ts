/**
 * The `green` stack: the identity account's group, users and keys, for the role the blue stack made.
 */
import * as pulumi from "@pulumi/pulumi";
import { AssumeRoleUsers } from "../components/assumeRoleUsers";
import { BlueStackValues, readBlueStack } from "./blueStackReference";
import { InvalidInputError } from "../components/validation";
import { configKey, StackConfig } from "./config";
import { accountProvider } from "./providers";

/** The green stack's outputs. `secretAccessKeys` and `cliConfig` are secrets. */
export interface GreenStackOutputs {
    /** The role the users may assume (read from the blue stack). */
    readonly roleArn: string;
    /** The bucket (read from the blue stack), when the blue stack exports it. */
    readonly bucketName?: string;
    /** The region of the CLI profiles. */
    readonly region: string;
    /** Whether the role requires an ExternalId (read from the blue stack; the CLI profile carries it). */
    readonly externalIdRequired: boolean;
    /** Whether the role requires MFA (read from the blue stack). */
    readonly mfaRequired: boolean;
    /** The key prefix the role is limited to, if any (read from the blue stack). */
    readonly objectKeyPrefix?: string;
    /** Whether the role may only read (read from the blue stack). */
    readonly readOnly: boolean;
    /** The group's name. */
    readonly groupName: pulumi.Output<string>;
    /** The users' names. */
    readonly userNames: pulumi.Output<string[]>;
    /** Access key id of each user, by user name. */
    readonly accessKeyIds: pulumi.Output<Record<string, string>>;
    /** Secret access key of each user, by user name (secret). */
    readonly secretAccessKeys: pulumi.Output<Record<string, string>>;
    /** With `pgpKey`: the encrypted secret keys, by user name. */
    readonly encryptedSecretAccessKeys: pulumi.Output<Record<string, string>>;
    /** AWS CLI config text with the `green` and `blue` profiles (secret). */
    readonly cliConfig: pulumi.Output<string>;
}

/** Deploys the identity account's side with an explicit provider pinned to that account. */
export async function deployGreenSide(config: StackConfig): Promise<GreenStackOutputs> {
    const blue = await readBlueStack(config.blueStack!, config.blue.accountId);
    const externalId = externalIdForUsers(config, blue);
    if (blue.mfaRequired && config.greenSettings.cliProfiles?.mfaSerial === undefined) {
        throw new InvalidInputError(configKey("mfaSerial"), `the role of stack ${JSON.stringify(config.blueStack)} requires MFA, and this stack names no MFA device`,
            "Set the user's MFA device ARN: pulumi config set mfaSerial arn:aws:iam::GREEN:mfa/USER");
    }
    const region = blue.region ?? config.green.region;
    const provider = accountProvider("green", config.green);
    const green = new AssumeRoleUsers("cross-account", {
        ...config.greenSettings,
        roleArn: blue.roleArn,
        identityAccountId: config.green.accountId,
        cliProfiles: { ...config.greenSettings.cliProfiles, externalId, region },
    }, { provider });
    return {
        roleArn: blue.roleArn,
        bucketName: blue.bucketName,
        region,
        externalIdRequired: blue.externalIdRequired,
        mfaRequired: blue.mfaRequired,
        objectKeyPrefix: blue.objectKeyPrefix,
        readOnly: blue.readOnly,
        groupName: green.groupName,
        userNames: green.userNames,
        accessKeyIds: green.accessKeyIds,
        secretAccessKeys: green.secretAccessKeys,
        encryptedSecretAccessKeys: green.encryptedSecretAccessKeys,
        cliConfig: green.cliConfig,
    };
}

/**
 * The ExternalId the users' CLI profile sends: the blue stack's (a secret output), unless this stack
 * sets its own, which must then be the same. Values are never printed.
 */
function externalIdForUsers(config: StackConfig, blue: BlueStackValues): string | undefined {
    const own = config.greenSettings.cliProfiles?.externalId;
    if (own !== undefined && blue.externalId !== undefined && own !== blue.externalId) {
        throw new InvalidInputError(configKey("externalId"), `it differs from the ExternalId the role of stack ${JSON.stringify(config.blueStack)} requires (values not shown)`,
            "Remove it from this stack (the blue stack's value is used), or set the same value");
    }
    const externalId = own ?? blue.externalId;
    if (blue.externalIdRequired && externalId === undefined) {
        throw new InvalidInputError(configKey("externalId"), `the role of stack ${JSON.stringify(config.blueStack)} requires an ExternalId, and this stack sets none`,
            "Set the same externalId as the blue stack: pulumi config set --secret externalId VALUE (or update the blue stack, which then exports it)");
    }
    return externalId;
}
