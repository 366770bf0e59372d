/**
 * Reads the blue stack's outputs for the green stack, and refuses to go on without them.
 */
import * as pulumi from "@pulumi/pulumi";
import { parseRoleArn } from "../components/arns";
import { checkBucketName, checkRegion, checkRoleArn, InvalidInputError } from "../components/validation";
import { configKey } from "./config";

/** What the green stack needs from the blue stack, as plain values. */
export interface BlueStackValues {
    /** The role to allow `sts:AssumeRole` on. */
    readonly roleArn: string;
    /** The bucket, for the green stack's outputs. */
    readonly bucketName?: string;
    /** The bucket's region, for the CLI profiles. */
    readonly region?: string;
    /** Whether the role requires an ExternalId. */
    readonly externalIdRequired: boolean;
    /** Whether the role requires MFA. */
    readonly mfaRequired: boolean;
}

/**
 * Reads `roleArn` (required), `bucketName` and `region` from the blue stack. The values are awaited
 * before any green resource is registered, so a missing or wrong output fails at preview.
 * @param stackName The blue stack's fully qualified name (config `blueStack`).
 * @param blueAccountId The resource account the role must be in (config `blueAccountId`).
 */
export async function readBlueStack(stackName: string, blueAccountId: string): Promise<BlueStackValues> {
    const reference = new pulumi.StackReference("blue-stack", { name: stackName });
    const key = configKey("blueStack");
    const roleArn = (await reference.getOutputDetails("roleArn")).value;
    if (roleArn === undefined) {
        throw new InvalidInputError(key, `stack ${JSON.stringify(stackName)} has no roleArn output`,
            "Deploy the blue stack first (pulumi up -s blue), and check that blueStack names it as ORG/PROJECT/STACK");
    }
    checkRoleArn(roleArn, `${key} (output roleArn of ${stackName})`);
    const roleAccount = parseRoleArn(roleArn as string)!.accountId;
    if (roleAccount !== blueAccountId) {
        throw new InvalidInputError(key, `the role ${roleArn} of stack ${JSON.stringify(stackName)} is in account ${roleAccount}, not blueAccountId ${blueAccountId}`,
            "Point blueStack at the stack deployed in the resource account, or correct blueAccountId");
    }
    const bucketName = (await reference.getOutputDetails("bucketName")).value;
    const region = (await reference.getOutputDetails("region")).value;
    const externalIdRequired = (await reference.getOutputDetails("externalIdRequired")).value === true;
    const mfaRequired = (await reference.getOutputDetails("mfaRequired")).value === true;
    return {
        externalIdRequired,
        mfaRequired,
        roleArn: roleArn as string,
        bucketName: bucketName === undefined ? undefined : checkBucketName(bucketName, `${key} (output bucketName of ${stackName})`),
        region: region === undefined ? undefined : checkRegion(region, `${key} (output region of ${stackName})`),
    };
}
