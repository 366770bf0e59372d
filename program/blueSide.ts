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
        externalIdRequired: config.blueSettings.externalId !== undefined,
        mfaRequired: config.blueSettings.requireMfa === true,
    };
}
