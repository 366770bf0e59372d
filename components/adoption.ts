/**
 * Adopting a setup made by hand (the console walkthrough): the id under which the provider imports
 * each resource, built from the names and account ids the components are given, never looked up.
 * Each format is the one `@pulumi/aws` documents under "Import" for the type.
 *
 * Not imported, on purpose:
 * - the TLS-only bucket policy: the walkthrough makes none, and an import of a policy that does not
 *   exist fails; it is created (S3 replaces any bucket policy the bucket had);
 * - the access keys: AWS never returns an existing key's secret, so an imported key could give no
 *   `secretAccessKeys` or CLI config. A new key is created next to the hand-made one (IAM allows two
 *   per user); the user switches to it and deletes the old one, or sets `createAccessKeys: false`;
 * - the keyless grant (`greenRoleNames`, `greenGroupNames`): the walkthrough has no such policy, and
 *   the granted roles and groups are not managed here at all; the grant policy and its attachments
 *   are created.
 */
import { managedPolicyArn, Partition } from "./arns";

/** Import ids of the blue side's resources. */
export interface BlueImportIds {
    /** `aws.s3.Bucket`: the bucket's name. */
    readonly bucket: string;
    /** `aws.s3.BucketPublicAccessBlock`: the bucket's name. */
    readonly publicAccessBlock: string;
    /** `aws.s3.BucketOwnershipControls`: the bucket's name. */
    readonly ownershipControls: string;
    /** `aws.s3.BucketServerSideEncryptionConfiguration`: the bucket's name. */
    readonly encryption: string;
    /** `aws.s3.BucketVersioning`: the bucket's name (an unversioned bucket imports as `Disabled`). */
    readonly versioning: string;
    /** `aws.iam.Policy`: the policy's ARN. */
    readonly policy: string;
    /** `aws.iam.Role`: the role's name. */
    readonly role: string;
    /** `aws.iam.RolePolicyAttachment`: `ROLE/POLICY_ARN`. */
    readonly rolePolicyAttachment: string;
}

/** What the blue side's import ids are built from. */
export interface BlueNames {
    /** The resource (blue) account. */
    readonly blueAccountId: string;
    /** The bucket's name. */
    readonly bucketName: string;
    /** The role's name. */
    readonly roleName: string;
    /** The managed policy's name. */
    readonly policyName: string;
    /** The IAM path of the policy. */
    readonly iamPath: string;
    /** The partition of the policy's ARN. */
    readonly partition: Partition;
}

/** The import id of every blue resource, from names and the blue account id. */
export function blueImportIds(names: BlueNames): BlueImportIds {
    const policyArn = managedPolicyArn(names.blueAccountId, names.policyName, names.iamPath, names.partition);
    return {
        bucket: names.bucketName,
        publicAccessBlock: names.bucketName,
        ownershipControls: names.bucketName,
        encryption: names.bucketName,
        versioning: names.bucketName,
        policy: policyArn,
        role: names.roleName,
        rolePolicyAttachment: `${names.roleName}/${policyArn}`,
    };
}

/** Import ids of one green user's resources. */
export interface GreenUserImportIds {
    /** `aws.iam.User`: the user's name. */
    readonly user: string;
    /** `aws.iam.UserGroupMembership`: `USER/GROUP`. */
    readonly membership: string;
}

/** Import ids of the green side's resources. */
export interface GreenImportIds {
    /** `aws.iam.Group`: the group's name. */
    readonly group: string;
    /** `aws.iam.GroupPolicy`: `GROUP:POLICY`, the inline policy's name as it was typed in the console. */
    readonly groupPolicy: string;
    /** Each user's, by user name. */
    readonly users: Readonly<Record<string, GreenUserImportIds>>;
}

/** What the green side's import ids are built from. */
export interface GreenNames {
    /** The group's name. */
    readonly groupName: string;
    /** The group's inline policy's name. */
    readonly groupPolicyName: string;
    /** The users' names. */
    readonly userNames: readonly string[];
}

/** The import id of every green resource (access keys excepted), from names. */
export function greenImportIds(names: GreenNames): GreenImportIds {
    return {
        group: names.groupName,
        groupPolicy: `${names.groupName}:${names.groupPolicyName}`,
        users: Object.fromEntries(names.userNames.map((userName) => [userName, { user: userName, membership: `${userName}/${names.groupName}` }])),
    };
}
