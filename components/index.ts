/**
 * The public surface of the S3 cross-account access components: the three components, their argument
 * and output types, the error they throw for bad input, and their type tokens. Everything else in this
 * folder is internal and may change in any release. Importing this module creates no resources and
 * reads no config; only constructing a component does.
 */
export { CrossAccountBucketAccess } from "./crossAccountBucketAccess";
export type { CrossAccountBucketAccessArgs, BlueSideSettings, GreenSideSettings } from "./crossAccountBucketAccess";
export { BucketAccessRole } from "./bucketAccessRole";
export type { BucketAccessRoleArgs, BucketSecurityArgs } from "./bucketAccessRole";
export type { VersioningSetting } from "./versioning";
export { AssumeRoleUsers } from "./assumeRoleUsers";
export type { AssumeRoleUsersArgs, CliProfileArgs } from "./assumeRoleUsers";
export type { Partition } from "./arns";
export { InvalidArgumentsError } from "./invalidArgumentsError";
export type { InputProblem } from "./invalidArgumentsError";
export { TYPE_TOKENS } from "./typeTokens";
