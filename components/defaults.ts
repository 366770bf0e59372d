/**
 * The names the setup uses when none are given: those of the classic S3 cross-account walkthrough.
 */

/** Name of the managed policy that grants the bucket access. */
export const DEFAULT_POLICY_NAME = "CrossAccountS3Access";

/** Name of the role the identity account assumes. */
export const DEFAULT_ROLE_NAME = "CrossAccountS3Access-Role";

/** Name of the identity account's group. */
export const DEFAULT_GROUP_NAME = "prod-s3-users";

/** Name of the group's inline policy that allows `sts:AssumeRole` on the role. */
export const DEFAULT_GROUP_POLICY_NAME = "AssumeCrossAccountS3AccessRole";

/** Name of the customer managed policy that grants existing green roles and groups (keyless). */
export const DEFAULT_GRANT_POLICY_NAME = "AssumeCrossAccountS3AccessRole";

/** The identity account's user(s). */
export const DEFAULT_USER_NAMES: readonly string[] = ["s3-prod-user"];

/** The IAM path of every role, policy, group and user. */
export const DEFAULT_IAM_PATH = "/";

/** The AWS CLI profile that holds the user's keys. */
export const DEFAULT_SOURCE_PROFILE = "green";

/** The AWS CLI profile that assumes the role. */
export const DEFAULT_ROLE_PROFILE = "blue";

/** The role's maximum session, in seconds (the IAM default). */
export const DEFAULT_MAX_SESSION_DURATION_SECONDS = 3600;
