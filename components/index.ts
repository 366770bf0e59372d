/**
 * The public surface of the S3 cross-account access components. Importing it creates no
 * resources and reads no config; only constructing a component does.
 */
export { CrossAccountBucketAccess } from "./crossAccountBucketAccess";
export type { CrossAccountBucketAccessArgs, BlueSideSettings, GreenSideSettings } from "./crossAccountBucketAccess";
export { BucketAccessRole, resolveBucketAccessRoleArgs, buildBucketAccessDocuments } from "./bucketAccessRole";
export type { BucketAccessRoleArgs, BucketSecurityArgs, BucketAccessDocuments, ResolvedBucketAccessRoleArgs } from "./bucketAccessRole";
export { AssumeRoleUsers, resolveAssumeRoleUsersArgs, buildGroupPolicy, checkAssumableRoleArn } from "./assumeRoleUsers";
export type { AssumeRoleUsersArgs, CliProfileArgs, ResolvedAssumeRoleUsersArgs } from "./assumeRoleUsers";
export * from "./policies";
export * from "./policyDocument";
export * from "./permissions";
export * from "./arns";
export * from "./defaults";
export * from "./cliProfiles";
export * from "./validation";
export * from "./typeTokens";
export * from "./versioning";
export * from "./adoption";
