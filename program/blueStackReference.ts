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
    /** The ExternalId the role requires (a secret output of the blue stack), when it exports one. */
    readonly externalId?: string;
    /** Whether the role requires MFA. */
    readonly mfaRequired: boolean;
    /** The key prefix the role is limited to, if any. */
    readonly objectKeyPrefix?: string;
    /** Whether the role may only read. */
    readonly readOnly: boolean;
}

/**
 * Reads `roleArn` (required) and the role's conditions and scope from the blue stack. The values are
 * awaited before any green resource is registered, so a missing stack or output fails at preview.
 * @param stackName The blue stack's fully qualified name (config `blueStack`).
 * @param blueAccountId The resource account the role must be in (config `blueAccountId`).
 */
export async function readBlueStack(stackName: string, blueAccountId: string): Promise<BlueStackValues> {
    const reference = new pulumi.StackReference("blue-stack", { name: stackName });
    const key = configKey("blueStack");
    const output = async (name: string): Promise<unknown> => {
        try {
            const details = await reference.getOutputDetails(name);
            return details.value ?? details.secretValue;
        } catch (error) {
            throw new InvalidInputError(key, `stack ${JSON.stringify(stackName)} could not be read (${error instanceof Error ? error.message : String(error)})`,
                "Check that blueStack names the deployed blue stack as ORG/PROJECT/STACK and that you may read it");
        }
    };
    const roleArn = await output("roleArn");
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
    const bucketName = await output("bucketName");
    const region = await output("region");
    const externalId = await output("externalId");
    const objectKeyPrefix = await output("objectKeyPrefix");
    return {
        roleArn: roleArn as string,
        bucketName: bucketName === undefined ? undefined : checkBucketName(bucketName, `${key} (output bucketName of ${stackName})`),
        region: region === undefined ? undefined : checkRegion(region, `${key} (output region of ${stackName})`),
        externalIdRequired: (await output("externalIdRequired")) === true,
        externalId: typeof externalId === "string" ? externalId : undefined,
        mfaRequired: (await output("mfaRequired")) === true,
        objectKeyPrefix: typeof objectKeyPrefix === "string" ? objectKeyPrefix : undefined,
        readOnly: (await output("readOnly")) === true,
    };
}
