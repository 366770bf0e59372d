/**
 * The audit's command line: flags, defaults, and errors that name the flag and the fix. Pure:
 * takes argv and the environment, returns the parsed flags or throws a {@link UsageError}.
 * A flag given twice is refused (the second would silently win).
 */
import { parseArgs } from "node:util";
import { checkProfileName } from "../../components/validation";
import { parseEndpoint } from "../verify/endpointFlag";
import { EXIT_ACCESS_WRONG, EXIT_COULD_NOT_RUN, EXIT_OK, UsageError } from "../verify/exitCodes";
import { explainParseError } from "../verify/parseArgsErrors";
import { textFlagValue } from "../verify/textFlag";

/** Which accounts to audit. */
export type AuditSide = "blue" | "green" | "both";

/** The values `--side` takes. */
const AUDIT_SIDES: readonly AuditSide[] = ["blue", "green", "both"];

/** The default of `--timeout`, in seconds: the whole audit's deadline. */
const DEFAULT_TIMEOUT_SECONDS = 120;

/** The largest `--timeout` accepted, in seconds. */
export const MAX_TIMEOUT_SECONDS = 900;

/** The parsed command line. Unset optional flags are `undefined`. */
export interface AuditFlags {
    /** `--stack NAME`: read the blue stack's outputs with the Pulumi CLI. */
    readonly stack?: string;
    /** `--outputs FILE`: the same JSON, saved in a file. Exclusive with `--stack`. */
    readonly outputsFile?: string;
    /** `--blue-config FILE`: the blue stack's config (`pulumi config --json --show-secrets`). */
    readonly blueConfigFile?: string;
    /** `--green-config FILE`: the green stack's config. */
    readonly greenConfigFile?: string;
    /** `--blue-account-id ID`: overrides the `blueAccountId` output. */
    readonly blueAccountId?: string;
    /** `--green-account-id ID`: overrides the `greenAccountId` output. */
    readonly greenAccountId?: string;
    /** `--region REGION`: overrides the `region` output. */
    readonly region?: string;
    /** `--bucket NAME`: overrides the `bucketName` output. */
    readonly bucket?: string;
    /** `--role-name NAME`: overrides the `roleName` output. */
    readonly roleName?: string;
    /** `--group-name NAME`: overrides the green config's `groupName`. */
    readonly groupName?: string;
    /** `--user-names A,B`: the group's members by design; overrides the green config's `userNames`. */
    readonly userNames?: string[];
    /** `--blue-profile NAME`: read-only credentials of the blue account; unset = the SDK's default chain. */
    readonly blueProfile?: string;
    /** `--green-profile NAME`: read-only credentials of the green account; unset = the SDK's default chain. */
    readonly greenProfile?: string;
    /** `--side blue|green|both`: which accounts to audit. Default `both`. */
    readonly side: AuditSide;
    /** `--endpoint URL` (or `AWS_ENDPOINT_URL`): send every call to an emulator, S3 path-style. */
    readonly endpoint?: string;
    /** `--timeout SECONDS`: the whole audit's deadline. Default 120. */
    readonly timeoutSeconds: number;
    /** `--print-policy blue|green`: print that account's read-only policy for the audited names, and stop. */
    readonly printPolicy?: "blue" | "green";
    /** `--json`: print a JSON report instead of the table. */
    readonly json: boolean;
    /** `--help`. */
    readonly help: boolean;
}

/** The `--help` text. */
export const USAGE = `Usage: npm run audit -- [--stack NAME | --outputs FILE] [flags]
       cross-account-s3-audit [--stack NAME | --outputs FILE] [flags]

Reads the live configuration of both accounts with read-only credentials and compares it with
the design the components build for the same settings. Policy documents are compared as IAM reads
them (statement and list order, a string against a one-element list, an empty Condition make no
difference). Every difference and every extra is reported:
  blue:  the role's trust policy, attached managed policies (each one's default version), inline
         policies, permissions boundary and maximum session; the bucket policy, public access
         block, object ownership, default encryption and versioning (when the stack created the bucket)
  green: the group's inline and attached policies, and its members

What to look at (first found wins: flags, blue stack outputs, config files, the components' defaults):
  --stack NAME            the blue stack's outputs (runs: pulumi stack output --json --show-secrets)
  --outputs FILE          the same JSON, saved in a file
  --blue-config FILE      the blue stack's config: pulumi config --json --show-secrets --stack blue > FILE
                          (bucket security flags, trustedPrincipalArns, kmsKeyArn, permissionsBoundaryArn...)
  --green-config FILE     the green stack's config (groupName, groupPolicyName, userNames)
  --blue-account-id ID    the resource account (output blueAccountId)
  --green-account-id ID   the identity account (output greenAccountId)
  --region REGION         the bucket's region (output region; else AWS_REGION, AWS_DEFAULT_REGION)
  --bucket NAME           the bucket (output bucketName)
  --role-name NAME        the role (output roleName; default CrossAccountS3Access-Role)
  --group-name NAME       the green group (default prod-s3-users)
  --user-names A,B        the group's members by design (default s3-prod-user)

Credentials (read-only; the policy each account needs is in docs/audit.md):
  --blue-profile NAME     profile of the blue account (default: the SDK's default chain)
  --green-profile NAME    profile of the green account (default: the SDK's default chain)
  --side blue|green|both  audit only one account (default: both)
  --print-policy blue|green
                          print that account's read-only policy for these names (no AWS call), and stop

Other:
  --endpoint URL          send every call to this endpoint (an emulator), S3 path-style
                          (default: AWS_ENDPOINT_URL, else AWS)
  --timeout SECONDS       the whole audit's deadline (default: ${DEFAULT_TIMEOUT_SECONDS}, max ${MAX_TIMEOUT_SECONDS}); each
                          connection must open within 5 s and each request answer within 30 s
  --json                  print a JSON report (for tools) instead of the table
  --help                  this text

Exit codes: ${EXIT_OK} clean: the live setup is exactly the design; ${EXIT_ACCESS_WRONG} drift: at least one difference
or extra; ${EXIT_COULD_NOT_RUN} could not run: bad flags, unreadable outputs or config, no credentials, credentials
of the wrong account, a read refused, the role, group or bucket missing, endpoint unreachable, timeout.
`;

const OPTIONS = {
    stack: { type: "string" },
    outputs: { type: "string" },
    "blue-config": { type: "string" },
    "green-config": { type: "string" },
    "blue-account-id": { type: "string" },
    "green-account-id": { type: "string" },
    region: { type: "string" },
    bucket: { type: "string" },
    "role-name": { type: "string" },
    "group-name": { type: "string" },
    "user-names": { type: "string" },
    "blue-profile": { type: "string" },
    "green-profile": { type: "string" },
    side: { type: "string" },
    "print-policy": { type: "string" },
    endpoint: { type: "string" },
    timeout: { type: "string" },
    json: { type: "boolean" },
    help: { type: "boolean", short: "h" },
} as const;

/** Parses the command line (without `node` and the script path). Throws {@link UsageError} naming the flag. */
export function parseAuditArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): AuditFlags {
    let parsed: ReturnType<typeof parseArgs<{ args: string[]; options: typeof OPTIONS; strict: true; allowPositionals: false; tokens: true }>>;
    try {
        parsed = parseArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: false, tokens: true });
    } catch (error) {
        throw new UsageError(explainParseError(error));
    }
    const seen = new Set<string>();
    for (const token of parsed.tokens ?? []) {
        if (token.kind === "option") {
            if (seen.has(token.name)) {
                throw new UsageError(`--${token.name} was given twice: pass it once`);
            }
            seen.add(token.name);
        }
    }
    const values = parsed.values as Record<string, string | boolean | undefined>;
    const text = (flag: keyof typeof OPTIONS): string | undefined => textFlagValue(flag, values[flag]);

    const stack = text("stack");
    const outputsFile = text("outputs");
    if (stack !== undefined && outputsFile !== undefined) {
        throw new UsageError("--stack and --outputs both name the outputs to read: pass one of them");
    }
    const side = text("side") ?? "both";
    if (!(AUDIT_SIDES as readonly string[]).includes(side)) {
        throw new UsageError(`--side must be one of ${AUDIT_SIDES.join(", ")}, got '${side}'`);
    }
    const printPolicy = text("print-policy");
    if (printPolicy !== undefined && printPolicy !== "blue" && printPolicy !== "green") {
        throw new UsageError(`--print-policy must be blue or green, got '${printPolicy}'`);
    }
    const profile = (flag: "blue-profile" | "green-profile"): string | undefined => {
        const value = text(flag);
        if (value === undefined) {
            return undefined;
        }
        try {
            return checkProfileName(value, `--${flag}`);
        } catch (error) {
            throw new UsageError((error as Error).message);
        }
    };
    const userNames = text("user-names")
        ?.split(",")
        .map((name) => name.trim());
    if (userNames?.some((name) => name === "")) {
        throw new UsageError("--user-names has an empty name: give names separated by commas, e.g. --user-names s3-prod-user,s3-batch");
    }
    return {
        stack,
        outputsFile,
        blueConfigFile: text("blue-config"),
        greenConfigFile: text("green-config"),
        blueAccountId: text("blue-account-id"),
        greenAccountId: text("green-account-id"),
        region: text("region"),
        bucket: text("bucket"),
        roleName: text("role-name"),
        groupName: text("group-name"),
        userNames,
        blueProfile: profile("blue-profile"),
        greenProfile: profile("green-profile"),
        side: side as AuditSide,
        endpoint: parseEndpoint(text("endpoint"), env.AWS_ENDPOINT_URL),
        timeoutSeconds: parseTimeout(text("timeout")),
        printPolicy,
        json: values.json === true,
        help: values.help === true,
    };
}

function parseTimeout(value: string | undefined): number {
    if (value === undefined) {
        return DEFAULT_TIMEOUT_SECONDS;
    }
    const seconds = Number(value);
    if (!/^\d+(\.\d+)?$/.test(value) || seconds <= 0 || seconds > MAX_TIMEOUT_SECONDS) {
        throw new UsageError(`--timeout must be a number of seconds above 0 and at most ${MAX_TIMEOUT_SECONDS}, got '${value}'`);
    }
    return seconds;
}
