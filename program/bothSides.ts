/**
 * A stack that deploys both sides with two providers: one `pulumi up` for a team with access to both accounts.
 */
import { CrossAccountBucketAccess } from "../components/crossAccountBucketAccess";
import { BlueStackOutputs, roleConditionOutputs } from "./blueSide";
import { StackConfig } from "./config";
import { GreenStackOutputs } from "./greenSide";
import { accountProvider } from "./providers";

/** The outputs of both sides. `secretAccessKeys` and `cliConfig` are secrets. */
export type BothStackOutputs = BlueStackOutputs & Omit<GreenStackOutputs, "roleArn" | "bucketName" | "externalIdRequired" | "mfaRequired" | "objectKeyPrefix" | "readOnly">;

/** Deploys both sides, each with its own provider pinned to its account. */
export function deployBothSides(config: StackConfig): BothStackOutputs {
    const blueProvider = accountProvider("blue", config.blue);
    const greenProvider = accountProvider("green", config.green);
    const access = new CrossAccountBucketAccess("cross-account", {
        blueAccountId: config.blue.accountId,
        greenAccountId: config.green.accountId,
        blueProvider,
        greenProvider,
        blue: config.blueSettings,
        green: { ...config.greenSettings, cliProfiles: { ...config.greenSettings.cliProfiles, region: config.blue.region } },
    });
    return {
        roleArn: access.roleArn,
        roleName: access.roleName,
        bucketName: access.bucketName,
        bucketArn: access.bucketArn,
        policyArn: access.policyArn,
        region: config.blue.region,
        blueAccountId: config.blue.accountId,
        greenAccountId: config.green.accountId,
        ...roleConditionOutputs(config),
        groupName: access.groupName,
        userNames: access.userNames,
        accessKeyIds: access.accessKeyIds,
        secretAccessKeys: access.secretAccessKeys,
        encryptedSecretAccessKeys: access.encryptedSecretAccessKeys,
        cliConfig: access.cliConfig,
    };
}
