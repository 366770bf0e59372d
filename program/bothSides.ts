/**
 * A stack that deploys both sides with two providers: one `pulumi up` for a team with access to both accounts.
 */
import { CrossAccountBucketAccess } from "../components/crossAccountBucketAccess";
import { roleConditionOutputs } from "./blueSide";
import { StackConfig } from "./config";
import { identityOutputs } from "./greenSide";
import { accountProvider } from "./providers";
import { BothStackOutputs } from "./stackOutputs";

/** Deploys both sides, each with its own provider pinned to its account. */
export function deployBothSides(config: StackConfig): BothStackOutputs {
    const args = config.bothArgs!;
    const blueProvider = accountProvider("blue", config.blue);
    const greenProvider = accountProvider("green", config.green);
    // Both sides' arguments were resolved with the config: the component checks only the providers.
    const access = new CrossAccountBucketAccess("cross-account", {
        ...args,
        green: { ...args.green, cliProfiles: { ...args.green.cliProfiles, region: config.blue.region } },
        blueProvider,
        greenProvider,
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
        ...roleConditionOutputs(args.blue, config),
        userNames: access.userNames,
        ...identityOutputs(args.green, access.greenSide),
        cliConfig: access.cliConfig,
    };
}
