/**
 * Renders the AWS CLI profile pair of the setup: a source profile holding the identity
 * account user's keys, and a role profile that assumes the bucket role through it.
 */

/** What goes into the two profiles. */
export interface CliProfilesOptions {
    /** The source profile's name. Default `green`. */
    readonly sourceProfileName?: string;
    /** The role profile's name. Default `blue`. */
    readonly roleProfileName?: string;
    /** The identity account user's access key id; none (keyless): the source profile is the user's own and is not written. */
    readonly accessKeyId?: string;
    /** The identity account user's secret access key; with `accessKeyId`. */
    readonly secretAccessKey?: string;
    /** The ARN of the role in the resource account. */
    readonly roleArn: string;
    /** The region both profiles use. */
    readonly region: string;
    /** The ExternalId the role's trust policy requires, if any. */
    readonly externalId?: string;
    /** The ARN of the user's MFA device, when the trust policy requires MFA. */
    readonly mfaSerial?: string;
}

/**
 * The text of an AWS CLI config file (`~/.aws/config`) with both profiles. It holds a secret
 * key: keep it a Pulumi secret and write it with mode 0600. Without a key (keyless), only the role
 * profile, whose `source_profile` is a profile the user already has (an SSO profile, a CI role).
 */
export function renderCliProfiles(options: CliProfilesOptions): string {
    const source = options.sourceProfileName ?? "green";
    const role = options.roleProfileName ?? "blue";
    const sourceLines =
        options.accessKeyId === undefined
            ? []
            : [`[profile ${source}]`, `aws_access_key_id = ${options.accessKeyId}`, `aws_secret_access_key = ${options.secretAccessKey}`, `region = ${options.region}`, ""];
    const lines = [...sourceLines, `[profile ${role}]`, `role_arn = ${options.roleArn}`, `source_profile = ${source}`, `region = ${options.region}`];
    if (options.externalId !== undefined) {
        lines.push(`external_id = ${options.externalId}`);
    }
    if (options.mfaSerial !== undefined) {
        lines.push(`mfa_serial = ${options.mfaSerial}`);
    }
    return lines.join("\n") + "\n";
}
