/**
 * The components' Pulumi type tokens. They are part of every resource's URN in every stack that uses
 * the components: never change one without passing the old token as an alias (a major version).
 */
export const TYPE_TOKENS = {
    /** Both sides, two providers. */
    CrossAccountBucketAccess: "cross-account-s3:index:CrossAccountBucketAccess",
    /** The resource (blue) account's side. */
    BucketAccessRole: "cross-account-s3:index:BucketAccessRole",
    /** The identity (green) account's side. */
    AssumeRoleUsers: "cross-account-s3:index:AssumeRoleUsers",
} as const;
