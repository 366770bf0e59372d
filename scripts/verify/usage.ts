/**
 * The verify script's `--help` text, built from the same defaults, limits and probe set the script
 * uses, so it cannot drift from them.
 */
import { DEFAULT_ROLE_PROFILE } from "../../components/defaults";
import { CONNECT_TIMEOUT_CAP_SECONDS, DEFAULT_CALL_TIMEOUT_SECONDS, MAX_CALL_TIMEOUT_SECONDS, SDK_MAX_ATTEMPTS } from "./clientTimeouts";
import { DEFAULT_TIMEOUT_MARGIN_SECONDS, DEFAULT_WAIT_SECONDS, MAX_TIMEOUT_SECONDS, MAX_WAIT_SECONDS } from "./flagDefaults";
import { REFUSED_ACTION_PROBES } from "./refusedActionProbes";

/** The `--help` text. */
export const USAGE = `Usage: npm run verify -- [--stack NAME | --outputs FILE] [flags]

Checks the S3 cross-account access from the identity (green) account through the role in
the resource (blue) account: who you are, AssumeRole, PutObject, ListObjectsV2, GetObject,
and that ${REFUSED_ACTION_PROBES.length} actions the role must not have are refused, each probed with a request that
changes nothing even if allowed (docs/verify.md says why for each):
  ${REFUSED_ACTION_PROBES.filter((probe) => probe.action.startsWith("s3:"))
      .map((probe) => probe.action)
      .join(", ")},
  ${REFUSED_ACTION_PROBES.filter((probe) => !probe.action.startsWith("s3:"))
      .map((probe) => probe.action)
      .join(", ")}.
It reports exactly what it probed ("refused: N probed actions"), not that the role can do
nothing more. For a read-only role, PutObject must be refused and GetObject of a
missing key answer NoSuchKey (with a key prefix, a 403 there is reported as UNDECIDED: S3 may
answer it to a role that may read).

Where the role, bucket and region come from (flags override outputs):
  --stack NAME            outputs of this Pulumi stack (runs: pulumi stack output --json --show-secrets)
  --outputs FILE          the same JSON, saved in a file
  --role-arn ARN          the role to assume (output roleArn)
  --bucket NAME           the bucket (output bucketName)
  --region REGION         the bucket's region (output region; else AWS_REGION, AWS_DEFAULT_REGION)
  --key-prefix PREFIX/    the role's objectKeyPrefix, if it is limited to one (output objectKeyPrefix)
  --read-only             the role may only read: PutObject must be refused, ListObjectsV2 and
                          GetObject allowed (output readOnly); --no-read-only: the role must write

Credentials:
  --source-profile NAME   the green identity's profile: the green user's keys, or a role, SSO or
                          web identity (CI) profile, whose session then assumes the role (role
                          chaining: AWS caps the chained session at 1 hour, so a role profile's
                          duration_seconds must be 3600 or less) (default: the SDK's default chain)
  --via assume|profile    assume: AssumeRole on the role ARN with the source credentials (default)
                          profile: use the role profile (role_arn + source_profile) as the CLI does
  --role-profile NAME     the role profile for --via profile (default: ${DEFAULT_ROLE_PROFILE})
  --external-id ID        ExternalId for AssumeRole, if the trust policy requires one (--via assume;
                          default: the blue stack's secret output externalId). Never printed.
  --mfa-serial ARN        the green user's MFA device, if the role requires MFA (--via assume;
                          with --via profile the role profile's mfa_serial names it)
  --token-code CODE       the 6-digit code the MFA device shows now (both --via). Never printed.

Other:
  --endpoint URL          send every call to this endpoint (an emulator), S3 path-style
                          (default: AWS_ENDPOINT_URL, else AWS)
  --wait SECONDS          how long to wait for IAM to propagate (default: ${DEFAULT_WAIT_SECONDS}, max ${MAX_WAIT_SECONDS}):
                          retry an access key AWS does not know yet (InvalidClientTokenId: a key
                          created seconds ago) on GetCallerIdentity and AssumeRole, and AccessDenied
                          on AssumeRole (not with an MFA code) and on the first S3 call that must
                          be allowed
  --call-timeout SECONDS  how long one AWS call may take, and its connection stay silent, before it
                          fails (default: ${DEFAULT_CALL_TIMEOUT_SECONDS}, max ${MAX_CALL_TIMEOUT_SECONDS}; connecting: at most ${CONNECT_TIMEOUT_CAP_SECONDS}); the SDK
                          tries each call up to ${SDK_MAX_ATTEMPTS} times (network errors, throttling, 5xx)
  --timeout SECONDS       the deadline of the whole run, waits included (default: --wait + ${DEFAULT_TIMEOUT_MARGIN_SECONDS},
                          max ${MAX_TIMEOUT_SECONDS}); at least --wait. Past it the run stops with exit 2
  --json                  print a JSON report (for CI) instead of the table
  --help                  this text

Exit codes: 0 every check passed (or one could not decide, said as UNDECIDED, and none failed);
1 access wrong; 2 could not run.
`;
