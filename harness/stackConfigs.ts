/**
 * Stack configs used across the suites and the benchmarks: the walkthrough's two accounts and stacks.
 */

/** The resource (blue) account used in tests. */
export const BLUE_ACCOUNT = "111111111111";

/** The identity (green) account used in tests. */
export const GREEN_ACCOUNT = "222222222222";

/** A third account that must never get access. */
export const OTHER_ACCOUNT = "333333333333";

/** The bucket name used in tests. */
export const BUCKET = "example-cross-account-s3-bucket";

/** The region used in tests. */
export const REGION = "eu-west-1";

/** The blue stack's fully qualified name, as the green stack's `blueStack` config gives it. */
export const BLUE_STACK = "organization/cross-account-s3/blue";

/** Config of a `blue` stack, with overrides. */
export function blueConfig(overrides: Record<string, string> = {}): Record<string, string> {
    return { side: "blue", blueAccountId: BLUE_ACCOUNT, greenAccountId: GREEN_ACCOUNT, bucketName: BUCKET, "aws:region": REGION, ...overrides };
}

/** Config of a `green` stack, with overrides. */
export function greenConfig(overrides: Record<string, string> = {}): Record<string, string> {
    return { side: "green", blueAccountId: BLUE_ACCOUNT, greenAccountId: GREEN_ACCOUNT, blueStack: BLUE_STACK, "aws:region": REGION, ...overrides };
}

/** Config of a `both` stack, with overrides. */
export function bothConfig(overrides: Record<string, string> = {}): Record<string, string> {
    return { side: "both", blueAccountId: BLUE_ACCOUNT, greenAccountId: GREEN_ACCOUNT, bucketName: BUCKET, "aws:region": REGION, greenProfile: "green-admin", ...overrides };
}
