/**
 * The program the CDK comparison (bench/cdkPeer.ts) evaluates on this project's side: `SETUPS`
 * (environment variable, default 1) copies of the whole setup, each a `CrossAccountBucketAccess`
 * with its own blue and green provider, as the CDK app in bench/cdk builds a blue and a green stack
 * per setup. Started like the real program (engine/languageHost.ts, Pulumi.yaml's runtime options).
 */
import { Provider } from "@pulumi/aws/provider";
import { CrossAccountBucketAccess } from "../components";

const BLUE = "111111111111";
const GREEN = "222222222222";
const setups = Number(process.env.SETUPS ?? "1");
if (!Number.isInteger(setups) || setups < 1) {
    throw new Error(`SETUPS must be a whole number from 1, not ${JSON.stringify(process.env.SETUPS)}`);
}

for (let i = 0; i < setups; i++) {
    const suffix = setups === 1 ? "" : `-${i}`;
    const blueProvider = new Provider(`blue${suffix}`, { region: "eu-west-1", allowedAccountIds: [BLUE] });
    const greenProvider = new Provider(`green${suffix}`, { region: "eu-west-1", allowedAccountIds: [GREEN] });
    new CrossAccountBucketAccess(`setup${suffix}`, {
        blueAccountId: BLUE,
        greenAccountId: GREEN,
        blueProvider,
        greenProvider,
        blue: { bucketName: `example-cross-account-s3-bucket${suffix}`, roleName: `CrossAccountS3Access-Role${suffix}`, policyName: `CrossAccountS3Access${suffix}` },
        green: { groupName: `prod-s3-users${suffix}`, userNames: [`s3-prod-user${suffix}`] },
    });
}
