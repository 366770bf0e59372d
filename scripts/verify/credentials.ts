/**
 * The two sets of credentials the checks use: the source (green) identity, and the role's.
 *
 * - Source: the profile named by `--source-profile` through `fromIni`, or the SDK's default
 *   chain (environment, `AWS_PROFILE`, SSO, instance roles...).
 * - Role, `--via assume` (default): `fromTemporaryCredentials` calls AssumeRole on the role ARN
 *   with the source credentials, and the ExternalId and MFA device and code when given.
 * - Role, `--via profile`: `fromIni` on the role profile (`blue`), which follows `role_arn` and
 *   `source_profile` by itself, exactly as the AWS CLI does with the profiles the component renders
 *   (its `external_id` and `mfa_serial` included; the MFA code comes from `--token-code`).
 *
 * Both providers call STS through the SDK's nested client, which takes the same region,
 * endpoint and timeouts as every other client here.
 */
import { getDefaultRoleAssumerWithWebIdentity } from "@aws-sdk/client-sts";
import { fromIni, fromNodeProviderChain, fromTemporaryCredentials } from "@aws-sdk/credential-providers";
import type { Via } from "./args";
import { baseClientConfig, ClientTarget } from "./clients";

/** A credential provider, as `fromIni` returns it. */
export type CredentialProvider = ReturnType<typeof fromIni>;

/** Resolved credentials (access key id, secret, session token): never print them. */
export type ResolvedCredentials = Awaited<ReturnType<CredentialProvider>>;

/** The prefix of the role session name with `--via assume`; CloudTrail shows it in the blue account. */
const ROLE_SESSION_NAME_PREFIX = "cross-account-verify";

/**
 * `fromIni`'s options for every profile it may meet on the way: a profile with keys, a role profile
 * (`role_arn` + `source_profile`, chained as deep as the profiles go), a web identity profile
 * (`role_arn` + `web_identity_token_file`, as a CI job's OIDC role) or an SSO profile. `fromIni`
 * hands `clientConfig` to its AssumeRole calls, but not to AssumeRoleWithWebIdentity, which would
 * then ignore `--endpoint` and the timeouts: its role assumer is built here from the same configuration.
 */
function iniOptions(target: ClientTarget): {
    clientConfig: ReturnType<typeof baseClientConfig>;
    roleAssumerWithWebIdentity: ReturnType<typeof getDefaultRoleAssumerWithWebIdentity>;
    ignoreCache: true;
} {
    const clientConfig = baseClientConfig(target);
    return { clientConfig, roleAssumerWithWebIdentity: getDefaultRoleAssumerWithWebIdentity(clientConfig), ignoreCache: true };
}

/**
 * The source identity's provider: `fromIni({ profile })` when a profile is named (keys, a role
 * profile, a web identity or an SSO profile: the green identity may itself be a role session), else
 * the default chain.
 */
export function sourceCredentialProvider(sourceProfile: string | undefined, target: ClientTarget): CredentialProvider {
    return sourceProfile !== undefined ? fromIni({ profile: sourceProfile, ...iniOptions(target) }) : fromNodeProviderChain({ clientConfig: baseClientConfig(target) });
}

/** How to reach the role. */
export interface RoleCredentialOptions {
    /** `assume` or `profile`. */
    readonly via: Via;
    /** The role's ARN; required with `assume`. */
    readonly roleArn?: string;
    /** The role profile; used with `profile`. */
    readonly roleProfile: string;
    /** The ExternalId for AssumeRole, if the trust policy requires one (`assume` only). A secret. */
    readonly externalId?: string;
    /**
     * The MFA device and its current code, if the trust policy requires MFA. With `assume` both are
     * sent; with `profile` the profile's `mfa_serial` names the device and only the code is used.
     */
    readonly mfa?: { readonly serialNumber?: string; readonly tokenCode: string };
    /** The session name with `assume`. Default `cross-account-verify-<epoch ms>`. */
    readonly sessionName?: string;
}

/**
 * A provider that yields the role's credentials. Each call makes one AssumeRole call (nothing is
 * cached), so a retry after AccessDenied really asks STS again.
 */
export function roleCredentialProvider(options: RoleCredentialOptions, source: ResolvedCredentials, target: ClientTarget): CredentialProvider {
    const clientConfig = baseClientConfig(target);
    const tokenCode = options.mfa?.tokenCode;
    // Both providers ask this callback for the code of the device they name; it answers the given code.
    const mfaCodeProvider = tokenCode !== undefined ? async (): Promise<string> => tokenCode : undefined;
    if (options.via === "profile") {
        return fromIni({ profile: options.roleProfile, ...iniOptions(target), ...(mfaCodeProvider ? { mfaCodeProvider } : {}) });
    }
    if (options.roleArn === undefined) {
        throw new Error("--via assume needs the role ARN");
    }
    const serialNumber = options.mfa?.serialNumber;
    return fromTemporaryCredentials({
        params: {
            RoleArn: options.roleArn,
            RoleSessionName: options.sessionName ?? `${ROLE_SESSION_NAME_PREFIX}-${Date.now()}`,
            ...(options.externalId !== undefined ? { ExternalId: options.externalId } : {}),
            ...(serialNumber !== undefined && tokenCode !== undefined ? { SerialNumber: serialNumber, TokenCode: tokenCode } : {}),
        },
        // With a SerialNumber, fromTemporaryCredentials insists on this callback and sends its answer as TokenCode.
        ...(serialNumber !== undefined && mfaCodeProvider ? { mfaCodeProvider } : {}),
        masterCredentials: source,
        clientConfig,
    });
}
