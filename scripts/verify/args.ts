/**
 * The verify script's command line, parsed with `node:util` `parseArgs`: a repeated flag is refused,
 * and every bad value is named with what is wrong with it and the fix (never a secret flag's value).
 * Pure: takes argv and the environment, returns the parsed flags or throws a {@link UsageError}.
 * The defaults and limits are in flagDefaults.ts, the `--help` text in usage.ts.
 */
import { parseArgs } from "node:util";
import { DEFAULT_ROLE_PROFILE } from "../../components/defaults";
import { checkExternalId, checkMfaSerial, checkObjectKeyPrefix, InvalidInputError } from "../../components/validation";
import { DEFAULT_CALL_TIMEOUT_SECONDS, MAX_CALL_TIMEOUT_SECONDS } from "./clientTimeouts";
import { parseEndpoint } from "./endpointFlag";
import { UsageError } from "./exitCodes";
import { explainParseError } from "./parseArgsErrors";
import { textFlagValue } from "./textFlag";
import { DEFAULT_TIMEOUT_MARGIN_SECONDS, DEFAULT_WAIT_SECONDS, MAX_TIMEOUT_SECONDS, MAX_WAIT_SECONDS, SECRET_FLAGS, VIA_VALUES, type Via } from "./flagDefaults";

export { DEFAULT_CALL_TIMEOUT_SECONDS, MAX_CALL_TIMEOUT_SECONDS } from "./clientTimeouts";
export { DEFAULT_TIMEOUT_MARGIN_SECONDS, DEFAULT_WAIT_SECONDS, MAX_TIMEOUT_SECONDS, MAX_WAIT_SECONDS, SECRET_FLAGS, VIA_VALUES, type Via } from "./flagDefaults";
export { USAGE } from "./usage";

/** The parsed command line. Unset optional flags are `undefined`. */
export interface VerifyArgs {
    /** `--stack NAME`: read the outputs of this Pulumi stack (`pulumi stack output --json --show-secrets`). */
    readonly stack?: string;
    /** `--outputs FILE`: read the same JSON from a file. Exclusive with `--stack`. */
    readonly outputsFile?: string;
    /** `--role-arn ARN`: overrides the `roleArn` output. */
    readonly roleArn?: string;
    /** `--bucket NAME`: overrides the `bucketName` output. */
    readonly bucket?: string;
    /** `--region REGION`: overrides the `region` output (then `AWS_REGION`, `AWS_DEFAULT_REGION`). */
    readonly region?: string;
    /** `--key-prefix PREFIX/`: the role's `objectKeyPrefix`; the probe goes under it. Overrides the `objectKeyPrefix` output. */
    readonly keyPrefix?: string;
    /**
     * `--read-only` (true) or `--no-read-only` (false): run the read-only checks (PutObject must be
     * refused) or the read-write ones. Overrides the `readOnly` output; `undefined` when neither is given.
     */
    readonly readOnly?: boolean;
    /**
     * `--source-profile NAME`: the green identity's profile (the green user's keys, or a role, SSO or
     * web identity profile: role chaining); unset = the SDK's default chain.
     */
    readonly sourceProfile?: string;
    /** `--via assume|profile`: AssumeRole from the source credentials (default), or the role profile. */
    readonly via: Via;
    /** `--role-profile NAME`: the profile with `role_arn` + `source_profile`, used with `--via profile`. Default `blue`. */
    readonly roleProfile: string;
    /** `--external-id ID`: the ExternalId the trust policy requires, with `--via assume`. Overrides the `externalId` output. A secret: never printed. */
    readonly externalId?: string;
    /** `--mfa-serial ARN`: the green user's MFA device, for a role that requires MFA, with `--via assume`. */
    readonly mfaSerial?: string;
    /** `--token-code CODE`: the 6-digit code the MFA device shows now. Never printed. */
    readonly tokenCode?: string;
    /** `--endpoint URL` (or `AWS_ENDPOINT_URL`): send every call to an emulator, S3 path-style. */
    readonly endpoint?: string;
    /** `--wait SECONDS`: the longest wait for IAM to accept a new role, policy or access key. Default 60. */
    readonly waitSeconds: number;
    /** `--call-timeout SECONDS`: the longest one AWS call may take before it fails. Default 30. */
    readonly callTimeoutSeconds: number;
    /** `--timeout SECONDS`: the deadline of the whole run, waits included. Default `--wait` + 120. */
    readonly timeoutSeconds: number;
    /** `--json`: print a JSON report instead of the table. */
    readonly json: boolean;
    /** `--help`. */
    readonly help: boolean;
}

const OPTIONS = {
    stack: { type: "string" },
    outputs: { type: "string" },
    "role-arn": { type: "string" },
    bucket: { type: "string" },
    region: { type: "string" },
    "key-prefix": { type: "string" },
    "source-profile": { type: "string" },
    via: { type: "string" },
    "role-profile": { type: "string" },
    "external-id": { type: "string" },
    "mfa-serial": { type: "string" },
    "token-code": { type: "string" },
    "read-only": { type: "boolean" },
    "no-read-only": { type: "boolean" },
    endpoint: { type: "string" },
    wait: { type: "string" },
    "call-timeout": { type: "string" },
    timeout: { type: "string" },
    json: { type: "boolean" },
    help: { type: "boolean", short: "h" },
} as const;

/** A flag's name, without the dashes. */
type Flag = keyof typeof OPTIONS;

/**
 * Parses the command line (without `node` and the script path) with `node:util` `parseArgs`.
 * `env` supplies `AWS_ENDPOINT_URL` when `--endpoint` is absent. Throws {@link UsageError} naming
 * the flag, the value (never a secret flag's) and the fix.
 */
export function parseVerifyArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): VerifyArgs {
    let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; tokens: true; strict: true; allowPositionals: false }>>;
    try {
        parsed = parseArgs({ args: joinNegativeNumbers(argv), options: OPTIONS, strict: true, allowPositionals: false, tokens: true });
    } catch (error) {
        throw new UsageError(explainParseError(error, holdsSecretFlag(argv)));
    }
    refuseRepeatedFlags(parsed.tokens);
    const { values } = parsed;
    const text = (flag: Flag): string | undefined => textFlagValue(flag, values[flag], isSecret(flag));

    const stack = text("stack");
    const outputsFile = text("outputs");
    if (stack !== undefined && outputsFile !== undefined) {
        throw new UsageError("--stack and --outputs both name the outputs to read: pass one of them");
    }

    const viaText = text("via") ?? "assume";
    if (!(VIA_VALUES as readonly string[]).includes(viaText)) {
        throw new UsageError(`--via must be one of ${VIA_VALUES.join(", ")}, got '${viaText}'`);
    }
    const via = viaText as Via;
    const externalId = checked(text("external-id"), "--external-id", checkExternalId);
    if (externalId !== undefined && via === "profile") {
        throw new UsageError("--external-id applies to --via assume; with --via profile, put external_id in the role profile");
    }
    const mfaSerial = checked(text("mfa-serial"), "--mfa-serial", checkMfaSerial);
    if (mfaSerial !== undefined && via === "profile") {
        throw new UsageError("--mfa-serial applies to --via assume; with --via profile, the role profile's mfa_serial names the device (pass only --token-code)");
    }
    const tokenCode = parseTokenCode(values["token-code"]);
    if (tokenCode !== undefined && via === "assume" && mfaSerial === undefined) {
        throw new UsageError(
            "--token-code needs --mfa-serial ARN with --via assume: the ARN of the green user's MFA device that shows the code",
            "e.g. --mfa-serial arn:aws:iam::222222222222:mfa/s3-prod-user --token-code 123456",
        );
    }
    if (mfaSerial !== undefined && tokenCode === undefined) {
        throw new UsageError("--mfa-serial needs --token-code CODE: the 6-digit code the device shows now");
    }
    if (values["read-only"] === true && values["no-read-only"] === true) {
        throw new UsageError("--read-only and --no-read-only contradict each other: pass one of them");
    }
    const readOnly = values["read-only"] === true ? true : values["no-read-only"] === true ? false : undefined;

    const waitSeconds = parseSeconds("wait", text("wait"), { min: 0, max: MAX_WAIT_SECONDS }) ?? DEFAULT_WAIT_SECONDS;
    const callTimeoutSeconds = parseSeconds("call-timeout", text("call-timeout"), { min: 0, minExclusive: true, max: MAX_CALL_TIMEOUT_SECONDS }) ?? DEFAULT_CALL_TIMEOUT_SECONDS;
    const timeoutSeconds =
        parseSeconds("timeout", text("timeout"), { min: 0, minExclusive: true, max: MAX_TIMEOUT_SECONDS }) ??
        Math.min(MAX_TIMEOUT_SECONDS, waitSeconds + DEFAULT_TIMEOUT_MARGIN_SECONDS);
    if (timeoutSeconds < waitSeconds) {
        throw new UsageError(
            `--timeout ${timeoutSeconds} is shorter than --wait ${waitSeconds}: the run would stop before it had waited that long`,
            `raise --timeout to at least ${waitSeconds} (better ${waitSeconds + DEFAULT_TIMEOUT_MARGIN_SECONDS}), or lower --wait`,
        );
    }

    return {
        stack,
        outputsFile,
        roleArn: text("role-arn"),
        bucket: text("bucket"),
        region: text("region"),
        keyPrefix: checked(text("key-prefix"), "--key-prefix", checkObjectKeyPrefix),
        readOnly,
        sourceProfile: text("source-profile"),
        via,
        roleProfile: text("role-profile") ?? DEFAULT_ROLE_PROFILE,
        externalId,
        mfaSerial,
        tokenCode,
        endpoint: parseEndpoint(text("endpoint"), env.AWS_ENDPOINT_URL),
        waitSeconds,
        callTimeoutSeconds,
        timeoutSeconds,
        json: values.json === true,
        help: values.help === true,
    };
}

function isSecret(flag: string): boolean {
    return (SECRET_FLAGS as readonly string[]).includes(flag);
}

/**
 * `parseArgs` takes `--wait -1` for a flag without its value (`-1` looks like a flag) and says only
 * that the value is missing. No flag here starts with a digit, so a negative number after a flag
 * that takes a value is that value: joined as `--wait=-1`, it reaches the flag's own check, which
 * says what is wrong with it.
 */
function joinNegativeNumbers(argv: readonly string[]): string[] {
    const joined: string[] = [];
    for (let index = 0; index < argv.length; index++) {
        const arg = argv[index];
        const next = argv[index + 1];
        const flag = arg.startsWith("--") ? arg.slice(2) : undefined;
        if (flag !== undefined && flag in OPTIONS && OPTIONS[flag as Flag].type === "string" && next !== undefined && /^-\d/.test(next)) {
            joined.push(`${arg}=${next}`);
            index++;
        } else {
            joined.push(arg);
        }
    }
    return joined;
}

/** A flag given twice is refused: which value was meant is anyone's guess (`--outputs A --outputs B`). */
function refuseRepeatedFlags(tokens: readonly { kind: string; name?: string; value?: string }[]): void {
    const seen = new Map<string, (string | undefined)[]>();
    for (const token of tokens) {
        if (token.kind === "option" && token.name !== undefined) {
            seen.set(token.name, [...(seen.get(token.name) ?? []), token.value]);
        }
    }
    for (const [name, given] of seen) {
        if (given.length > 1) {
            const values = OPTIONS[name as Flag].type === "boolean" || isSecret(name) ? "" : `: ${given.map((value) => `'${value ?? ""}'`).join(", ")}`;
            throw new UsageError(
                `--${name} was given ${given.length} times${values}${isSecret(name) ? " (values not shown)" : ""}`,
                `pass --${name} once: a repeated flag is refused rather than one of its values picked`,
            );
        }
    }
}

/** The bounds of a number of seconds. */
interface SecondsRange {
    readonly min: number;
    /** The minimum itself is refused (the flag must be more than it). */
    readonly minExclusive?: boolean;
    readonly max: number;
}

/** A number of seconds within its range, or `undefined` when the flag is absent; every other value is refused with what is wrong with it. */
function parseSeconds(flag: Flag, value: string | undefined, range: SecondsRange): number | undefined {
    if (value === undefined) {
        return undefined;
    }
    const expected = `--${flag} must be a number of seconds ${range.minExclusive ? `more than ${range.min}` : `from ${range.min}`} to ${range.max}`;
    if (!/^-?\d+(\.\d+)?$/.test(value)) {
        throw new UsageError(`${expected}, got '${value}'`, `e.g. --${flag} ${range.minExclusive ? Math.min(30, range.max) : Math.min(60, range.max)}`);
    }
    const seconds = Number(value);
    if (seconds < 0) {
        throw new UsageError(`${expected}, got ${value}: the value is negative`, `pass a number of seconds of ${range.min}${range.minExclusive ? "" : " or more"}`);
    }
    if (range.minExclusive && seconds <= range.min) {
        throw new UsageError(`${expected}, got ${value}: it must be more than ${range.min}`, `pass a positive number of seconds, e.g. --${flag} 30`);
    }
    if (seconds > range.max) {
        throw new UsageError(`${expected}, got ${value}: more than the largest accepted, ${range.max}`, `pass at most --${flag} ${range.max}`);
    }
    return seconds;
}

/**
 * Checks a flag's value with the component's own rule for the same input (objectKeyPrefix,
 * externalId, mfaSerial), so the two cannot disagree. The rules' messages never show an ExternalId.
 */
function checked(value: string | undefined, flag: string, check: (value: unknown, label: string) => string): string | undefined {
    if (value === undefined) {
        return undefined;
    }
    try {
        return check(value, flag);
    } catch (error) {
        throw new UsageError(error instanceof InvalidInputError ? error.message : String(error));
    }
}

/** `--token-code`: six digits, as STS requires. The value is never echoed (it is a live credential). */
function parseTokenCode(value: string | boolean | undefined): string | undefined {
    if (typeof value !== "string") {
        return undefined;
    }
    const code = value.trim();
    if (!/^\d{6}$/.test(code)) {
        throw new UsageError(`--token-code must be the 6-digit code the MFA device shows now, got ${code.length} character${code.length === 1 ? "" : "s"} (not shown)`);
    }
    return code;
}

/**
 * The values given to the secret flags ({@link SECRET_FLAGS}), read straight from argv before any
 * parsing, so that the output's masking backstop knows them even when the command line is refused.
 */
export function secretFlagValues(argv: readonly string[]): string[] {
    const values: string[] = [];
    argv.forEach((arg, index) => {
        for (const flag of SECRET_FLAGS) {
            if (arg === `--${flag}` && index + 1 < argv.length) {
                values.push(argv[index + 1]);
            } else if (arg.startsWith(`--${flag}=`)) {
                values.push(arg.slice(flag.length + 3));
            }
        }
    });
    return values;
}

/** The command line names a secret flag, so a stray argument may be part of its value. */
function holdsSecretFlag(argv: readonly string[]): boolean {
    return argv.some((arg) => SECRET_FLAGS.some((flag) => arg === `--${flag}` || arg.startsWith(`--${flag}=`)));
}
