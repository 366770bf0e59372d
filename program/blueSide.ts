/**
 * The `blue` stack: the resource account's bucket, policy and role.
 */
import * as pulumi from "@pulumi/pulumi";
import { BucketAccessRole } from "../components/bucketAccessRole";
import { StackConfig } from "./config";
import { accountProvider } from "./providers";

/** The blue stack's outputs: what the green stack and the verify script read. */
export interface BlueStackOutputs {
    /** The role the identity account assumes. */
    readonly roleArn: pulumi.Output<string>;
    /** The role's name. */
    readonly roleName: pulumi.Output<string>;
    /** The bucket's name. */
    readonly bucketName: pulumi.Output<string>;
    /** The bucket's ARN. */
    readonly bucketArn: pulumi.Output<string>;
    /** The managed policy's ARN. */
    readonly policyArn: pulumi.Output<string>;
    /** The bucket's region. */
    readonly region: string;
    /** The resource account. */
    readonly blueAccountId: string;
    /** The identity account the role trusts. */
    readonly greenAccountId: string;
    /** Whether AssumeRole needs an ExternalId: the green stack then needs config `externalId` too. */
    readonly externalIdRequired: boolean;
    /** Whether AssumeRole needs MFA: the green stack's CLI profile then needs config `mfaSerial`. */
    readonly mfaRequired: boolean;
    /** The ExternalId AssumeRole needs, when one is set: a secret, handed to the green stack and the verify script. */
    readonly externalId?: pulumi.Output<string>;
    /** The key prefix the role is limited to, when one is set (for the verify script's probe key). */
    readonly objectKeyPrefix?: string;
    /** Whether the role may only read (the verify script then expects PutObject to be refused). */
    readonly readOnly: boolean;
}

/** The outputs that describe the role's conditions and scope, shared by the blue and both stacks. */
export function roleConditionOutputs(config: StackConfig): Pick<BlueStackOutputs, "externalIdRequired" | "mfaRequired" | "externalId" | "objectKeyPrefix" | "readOnly"> {
    const settings = config.blueSettings;
    return {
        externalIdRequired: settings.externalId !== undefined,
        mfaRequired: settings.requireMfa === true,
        externalId: settings.externalId === undefined ? undefined : pulumi.secret(settings.externalId),
        objectKeyPrefix: settings.objectKeyPrefix,
        readOnly: settings.readOnly === true,
    };
}

/** Deploys the resource account's side with an explicit provider pinned to that account. */
export function deployBlueSide(config: StackConfig): BlueStackOutputs {
    const provider = accountProvider("blue", config.blue);
    const blue = new BucketAccessRole("cross-account", {
        ...config.blueSettings,
        trustedAccountId: config.green.accountId,
        resourceAccountId: config.blue.accountId,
    }, { provider });
    return {
        roleArn: blue.roleArn,
        roleName: blue.roleName,
        bucketName: blue.bucketName,
        bucketArn: blue.bucketArn,
        policyArn: blue.policyArn,
        region: config.blue.region,
        blueAccountId: config.blue.accountId,
        greenAccountId: config.green.accountId,
        ...roleConditionOutputs(config),
    };
}
