/**
 * Reads the blue stack's outputs for the green stack, and refuses to go on without them.
 */
import * as pulumi from "@pulumi/pulumi";
import { InvalidArgumentsError } from "../components/invalidArgumentsError";
import { BLUE_STACK_OUTPUT, BlueStackOutputValues } from "../components/stackOutputs";
import { checkBucketName, checkRegion, InvalidInputError } from "../components/validation";
import { configKey } from "./config";

/** What the green stack needs from the blue stack. The role ARN is checked by the green component. */
export interface BlueStackValues {
    /** The role to allow `sts:AssumeRole` on, as exported (not yet checked). */
    readonly roleArn: unknown;
    /** The bucket, for the green stack's outputs. */
    readonly bucketName?: string;
    /** The bucket's region, for the CLI profiles. */
    readonly region?: string;
    /** Whether the role requires an ExternalId. */
    readonly externalIdRequired: boolean;
    /** The ExternalId the role requires, a secret output of the blue stack, when it exports one. */
    readonly externalId?: pulumi.Output<string>;
    /** The same, as a plain value, only to compare it with this stack's own; never exported or printed. */
    readonly externalIdValue?: string;
    /** Whether the role requires MFA. */
    readonly mfaRequired: boolean;
    /** The key prefix the role is limited to, if any. */
    readonly objectKeyPrefix?: string;
    /** Whether the role may only read. */
    readonly readOnly: boolean;
}

/**
 * Reads `roleArn` (required) and the role's conditions and scope from the blue stack, by the names of
 * the stack-output contract. The values are awaited before any green resource is registered, so a
 * missing stack or output fails at preview.
 * @param stackName The blue stack's fully qualified name (config `blueStack`).
 */
export async function readBlueStack(stackName: string): Promise<BlueStackValues> {
    const reference = new pulumi.StackReference("blue-stack", { name: stackName });
    const key = configKey("blueStack");
    const refuse = (problem: string, fix: string) => new InvalidArgumentsError("", [{ propertyPath: key, problem, fix }]);
    const output = async (name: keyof BlueStackOutputValues): Promise<unknown> => {
        try {
            const details = await reference.getOutputDetails(BLUE_STACK_OUTPUT[name]);
            return details.value ?? details.secretValue;
        } catch (error) {
            throw refuse(
                `stack ${JSON.stringify(stackName)} could not be read (${error instanceof Error ? error.message : String(error)})`,
                "Check that blueStack names the deployed blue stack as ORG/PROJECT/STACK and that you may read it",
            );
        }
    };
    const outputChecked = <T>(name: keyof BlueStackOutputValues, value: unknown, check: (value: unknown, label: string) => T): T => {
        try {
            return check(value, `${key} (output ${name} of ${stackName})`);
        } catch (error) {
            throw error instanceof InvalidInputError ? new InvalidArgumentsError("", [{ propertyPath: error.label, problem: error.problem, fix: error.fix }]) : error;
        }
    };
    const roleArn = await output("roleArn");
    if (roleArn === undefined) {
        throw refuse(
            `stack ${JSON.stringify(stackName)} has no roleArn output`,
            "Deploy the blue stack first (pulumi up -s blue), and check that blueStack names it as ORG/PROJECT/STACK",
        );
    }
    const bucketName = await output("bucketName");
    const region = await output("region");
    const externalIdValue = await output("externalId");
    const objectKeyPrefix = await output("objectKeyPrefix");
    return {
        roleArn,
        bucketName: bucketName === undefined ? undefined : outputChecked("bucketName", bucketName, checkBucketName),
        region: region === undefined ? undefined : outputChecked("region", region, checkRegion),
        externalIdRequired: (await output("externalIdRequired")) === true,
        // Handed on as the secret output it is; the plain value only serves the comparison.
        externalId: typeof externalIdValue === "string" ? (pulumi.secret(reference.getOutput(BLUE_STACK_OUTPUT.externalId)) as pulumi.Output<string>) : undefined,
        externalIdValue: typeof externalIdValue === "string" ? externalIdValue : undefined,
        mfaRequired: (await output("mfaRequired")) === true,
        objectKeyPrefix: typeof objectKeyPrefix === "string" ? objectKeyPrefix : undefined,
        readOnly: (await output("readOnly")) === true,
    };
}
