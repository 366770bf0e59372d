/**
 * The stack-output contract of the program: the names and value types of what the blue stack exports
 * (read by the green stack's StackReference, the verify script and the access report) and of what the
 * green stack exports. Pure: no Pulumi, so the verify script can import it. Internal to this project.
 */

/** The blue stack's outputs. A value that is not set is left out, never exported as `undefined`. */
export interface BlueStackOutputValues {
    /** The role the green account assumes. */
    readonly roleArn: string;
    /** The role's name. */
    readonly roleName: string;
    /** The bucket's name. */
    readonly bucketName: string;
    /** The bucket's ARN. */
    readonly bucketArn: string;
    /** The managed policy's ARN. */
    readonly policyArn: string;
    /** The bucket's region. */
    readonly region: string;
    /** The resource (blue) account. */
    readonly blueAccountId: string;
    /** The identity (green) account the role trusts. */
    readonly greenAccountId: string;
    /** Whether AssumeRole needs an ExternalId. */
    readonly externalIdRequired: boolean;
    /** Whether AssumeRole needs MFA: the green stack's CLI profile then needs config `mfaSerial`. */
    readonly mfaRequired: boolean;
    /** The ExternalId AssumeRole needs, only when one is set: a Pulumi secret. */
    readonly externalId?: string;
    /** The key prefix the role is limited to, only when one is set. */
    readonly objectKeyPrefix?: string;
    /** Whether the role may only read. */
    readonly readOnly: boolean;
}

/** The green stack's outputs. A value that is not set is left out. */
export interface GreenStackOutputValues {
    /** The role the users may assume (read from the blue stack). */
    readonly roleArn: string;
    /** The bucket (read from the blue stack), when the blue stack exports it. */
    readonly bucketName?: string;
    /** The region of the CLI profiles. */
    readonly region: string;
    /** Whether the role requires an ExternalId (read from the blue stack). */
    readonly externalIdRequired: boolean;
    /** Whether the role requires MFA (read from the blue stack). */
    readonly mfaRequired: boolean;
    /** The key prefix the role is limited to, only when one is set (read from the blue stack). */
    readonly objectKeyPrefix?: string;
    /** Whether the role may only read (read from the blue stack). */
    readonly readOnly: boolean;
    /** The group's name; left out without users (keyless). */
    readonly groupName?: string;
    /** The users' names (`[]` keyless). */
    readonly userNames: string[];
    /** Access key id of each user, by user name; left out without users (keyless). */
    readonly accessKeyIds?: Record<string, string>;
    /** Secret access key of each user, by user name: a Pulumi secret; left out without users (keyless). */
    readonly secretAccessKeys?: Record<string, string>;
    /** With `pgpKey`: the encrypted secret keys, by user name; left out without users (keyless). */
    readonly encryptedSecretAccessKeys?: Record<string, string>;
    /** The existing green roles granted `sts:AssumeRole` on the role (config `greenRoleNames`), only when there are any. */
    readonly greenRoleNames?: string[];
    /** The existing green groups granted (config `greenGroupNames`), only when there are any. */
    readonly greenGroupNames?: string[];
    /** The IAM Identity Center permission sets that should reference the grant policy (config `permissionSetNames`), only when there are any. */
    readonly permissionSetNames?: string[];
    /** The managed policy that grants them, only when a role, group or permission set is granted. */
    readonly grantPolicyArn?: string;
    /**
     * AWS CLI config text: with users, the `green` profile (the first user's key) and the `blue` role
     * profile, a Pulumi secret; keyless, the `blue` role profile only (`source_profile` = config
     * `sourceProfileName`), plain unless it holds an ExternalId.
     */
    readonly cliConfig: string;
}

/** Every output name, spelled once: `{ roleArn: "roleArn", ... }`. */
type NamesOf<T> = { readonly [K in keyof T]-?: K };

/** The blue stack's output names. */
export const BLUE_STACK_OUTPUT: NamesOf<BlueStackOutputValues> = {
    roleArn: "roleArn",
    roleName: "roleName",
    bucketName: "bucketName",
    bucketArn: "bucketArn",
    policyArn: "policyArn",
    region: "region",
    blueAccountId: "blueAccountId",
    greenAccountId: "greenAccountId",
    externalIdRequired: "externalIdRequired",
    mfaRequired: "mfaRequired",
    externalId: "externalId",
    objectKeyPrefix: "objectKeyPrefix",
    readOnly: "readOnly",
};

/** The green stack's output names. */
export const GREEN_STACK_OUTPUT: NamesOf<GreenStackOutputValues> = {
    roleArn: "roleArn",
    bucketName: "bucketName",
    region: "region",
    externalIdRequired: "externalIdRequired",
    mfaRequired: "mfaRequired",
    objectKeyPrefix: "objectKeyPrefix",
    readOnly: "readOnly",
    groupName: "groupName",
    userNames: "userNames",
    accessKeyIds: "accessKeyIds",
    secretAccessKeys: "secretAccessKeys",
    encryptedSecretAccessKeys: "encryptedSecretAccessKeys",
    greenRoleNames: "greenRoleNames",
    greenGroupNames: "greenGroupNames",
    permissionSetNames: "permissionSetNames",
    grantPolicyArn: "grantPolicyArn",
    cliConfig: "cliConfig",
};
