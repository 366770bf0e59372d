/**
 * Checks 1 and 2: who the source credentials are, and that they reach the role.
 *
 * 1. green identity: GetCallerIdentity with the source credentials; its account is not the role's.
 * 2. assume role: AssumeRole (or the role profile), then GetCallerIdentity shows
 *    `assumed-role/<role name>` in the role's (blue) account.
 *
 * Both wait out IAM's eventual consistency for up to `--wait` seconds, with backoff:
 * - an access key AWS does not know yet (`InvalidClientTokenId`), on GetCallerIdentity and on
 *   AssumeRole: the green stack's key, created seconds ago by `pulumi up`, is unknown to STS for a
 *   few seconds. (The S3 calls are signed with the role's session credentials, which STS has just
 *   issued, never with the green key, so they are not retried for it.)
 * - AccessDenied on AssumeRole: a role, trust policy or group policy created seconds ago. Not with an
 *   MFA code: STS has then judged the code, which is short-lived, so waiting with it cannot help. An
 *   unknown key is still waited for with a code: STS refuses the signature before it looks at the code.
 */
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { isAccessDenied, isUnknownAccessKey } from "./awsErrors";
import { CheckCouldNotRun, CheckFailed } from "./checkRunner";
import type { CheckSession } from "./checkSession";
import type { Identity } from "./checkTypes";
import { createStsClient } from "./clients";
import type { CredentialProvider, ResolvedCredentials } from "./credentials";
import { describeSample, sampleRawResponses } from "./rawResponse";

/** The parts of an STS assumed-role ARN, `arn:PARTITION:sts::ACCOUNT:assumed-role/ROLE/SESSION`. */
export interface AssumedRoleArnParts {
    /** The role's account. */
    readonly accountId: string;
    /** The role's name (STS leaves out its path). */
    readonly roleName: string;
    /** The session name. */
    readonly sessionName: string;
}

const ASSUMED_ROLE_ARN = /^arn:[\w-]+:sts::(\d{12}):assumed-role\/([^/]+)\/(.+)$/;

/**
 * Splits the ARN GetCallerIdentity returns for a role session, or returns `undefined` for any
 * other identity. (components/arns.ts parses IAM role ARNs; a session's STS ARN is only seen here.)
 */
function parseAssumedRoleArn(arn: string): AssumedRoleArnParts | undefined {
    const match = ASSUMED_ROLE_ARN.exec(arn);
    return match ? { accountId: match[1], roleName: match[2], sessionName: match[3] } : undefined;
}

/** Check 1. Resolves with the source credentials, or `undefined` when the check did not pass. */
export async function checkSourceIdentity(session: CheckSession, sourceCredentials: CredentialProvider): Promise<ResolvedCredentials | undefined> {
    const { target, runner } = session;
    let source: ResolvedCredentials | undefined;
    await runner.run(1, "green identity", { ...session.baseContext, step: "source" }, async (count) => {
        const resolved = await sourceCredentials();
        const identity = await runner.retrying(1, "GetCallerIdentity", count, () => callerIdentity(session, resolved), { isRetryable: isUnknownAccessKey });
        session.identities.source = identity;
        const { arn, account } = identity;
        if (target.roleAccountId !== undefined && account === target.roleAccountId) {
            throw new CheckFailed(
                `${arn} is in the role's own account ${account}: this checks nothing cross-account`,
                "use the identity (green) account's credentials: --source-profile green",
            );
        }
        source = resolved;
        return `${arn} (account ${account}${target.roleAccountId ? `, not the role's ${target.roleAccountId}` : ""})`;
    });
    return source;
}

/** Check 2. Resolves with the role's credentials, or `undefined` when the check did not pass (or was skipped). */
export async function checkAssumeRole(
    session: CheckSession,
    source: ResolvedCredentials | undefined,
    roleCredentials: (source: ResolvedCredentials) => CredentialProvider,
): Promise<ResolvedCredentials | undefined> {
    const { target, runner, via, roleProfile } = session;
    let role: ResolvedCredentials | undefined;
    await runner.run(2, "assume role", { ...session.baseContext, step: "assume" }, async (count) => {
        const resolvedSource = source as ResolvedCredentials; // check 1 passed, or this one is skipped
        const call = via === "profile" ? `AssumeRole (profile ${roleProfile})` : "AssumeRole";
        // A refusal with an MFA code is final for that code (see the module note); an unknown key is not.
        const isRetryable = session.assumeWith.mfaCode ? isUnknownAccessKey : (error: unknown) => isAccessDenied(error) || isUnknownAccessKey(error);
        const credentials = await runner.retrying(2, call, count, () => roleCredentials(resolvedSource)(), { isRetryable });
        count();
        const identity = await callerIdentity(session, credentials);
        session.identities.role = identity;
        const { arn } = identity;
        const parsed = parseAssumedRoleArn(arn);
        if (!parsed) {
            throw new CheckFailed(`the role credentials are ${arn}, not an assumed role`, via === "profile" ? `check role_arn in profile ${roleProfile}` : "check --role-arn");
        }
        const { accountId, roleName } = parsed;
        if (target.role && roleName !== target.role.roleName) {
            throw new CheckFailed(
                `assumed role ${roleName}, expected ${target.role.roleName}`,
                via === "profile" ? `profile ${roleProfile} names another role than ${target.roleArn}: fix its role_arn` : "check --role-arn",
            );
        }
        if (target.roleAccountId !== undefined && accountId !== target.roleAccountId) {
            throw new CheckFailed(
                `assumed a role in account ${accountId}, expected the blue account ${target.roleAccountId}`,
                via === "profile" ? `fix role_arn in profile ${roleProfile}` : "check --role-arn",
            );
        }
        if (session.identities.source && accountId === session.identities.source.account) {
            throw new CheckFailed(
                `the role is in the source identity's own account ${accountId}: not cross-account`,
                "the role must live in the resource (blue) account and be assumed from the identity (green) account",
            );
        }
        role = credentials;
        return `${arn} (blue account ${accountId})`;
    });
    return role;
}

/**
 * One GetCallerIdentity call with these credentials (the caller counts it). An answer without an ARN
 * and a 12-digit account is not STS's (a proxy's login page answers 200 too): the check cannot run,
 * and says what came back.
 */
async function callerIdentity(session: CheckSession, credentials: ResolvedCredentials): Promise<Identity> {
    const sts = createStsClient(session.clientTarget, credentials);
    const lastAnswer = sampleRawResponses(sts);
    const notSts = (missing: string): CheckCouldNotRun =>
        new CheckCouldNotRun(
            `GetCallerIdentity answered ${describeSample(lastAnswer())}, ${missing}: not an answer of AWS STS`,
            session.clientTarget.endpoint
                ? `something other than STS answers at ${session.clientTarget.endpoint} (a proxy, a web server?): check --endpoint / AWS_ENDPOINT_URL`
                : "something between this machine and AWS answered in STS's place (a proxy's or captive portal's login page?): check HTTPS_PROXY / NO_PROXY and the network, and --region",
            "NotAnStsAnswer",
        );
    let identity: { Arn?: string; Account?: string };
    try {
        identity = await sts.send(new GetCallerIdentityCommand({}), session.callOptions);
    } catch (error) {
        // STS answers its errors with 4xx or 5xx: a success status whose body failed to parse is not STS.
        const status = lastAnswer()?.status;
        if (status !== undefined && status >= 200 && status < 300) {
            throw notSts("which could not be read as STS's XML");
        }
        throw error;
    } finally {
        sts.destroy();
    }
    if (identity.Arn?.startsWith("arn:") && identity.Account !== undefined && /^\d{12}$/.test(identity.Account)) {
        return { arn: identity.Arn, account: identity.Account };
    }
    throw notSts(`without ${identity.Arn ? "a 12-digit Account" : identity.Account ? "an Arn" : "an Arn or Account"}`);
}
