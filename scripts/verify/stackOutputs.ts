/**
 * Where the verify script finds the role ARN, bucket and region: a Pulumi stack's outputs
 * (`--stack`, through the `pulumi` CLI on PATH), the same JSON in a file (`--outputs`), and
 * explicit flags that override both.
 *
 * The outputs JSON is read with `--show-secrets` (as the issue asks) and holds secret values (the
 * green stack's keys, the blue stack's `externalId`): nothing here ever prints an output's value.
 * The ExternalId is kept apart from the target ({@link resolveRoleAccess}), so a printed or
 * serialised target cannot hold it.
 */
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { parseRoleArn, RoleArnParts } from "../../components/arns";
import { checkExternalId, checkObjectKeyPrefix } from "../../components/validation";
import type { VerifyArgs } from "./args";
import { CouldNotRunError, UsageError } from "./exitCodes";

/** A stack's outputs, as `pulumi stack output --json` prints them: output name to value. */
export type StackOutputs = Readonly<Record<string, unknown>>;

/** Where a value of the target came from, for messages: a flag, a stack, a file or a variable. */
export type ValueSource = string;

/** What the checks run against. */
export interface VerifyTarget {
    /** The role's ARN; absent only with `--via profile` and no ARN anywhere (then nothing to compare). */
    readonly roleArn?: string;
    /** The role ARN's parts, when there is one. */
    readonly role?: RoleArnParts;
    /** The account the role lives in: from the ARN, else the `blueAccountId` output. */
    readonly roleAccountId?: string;
    /** The bucket's name. */
    readonly bucket: string;
    /** The region of the bucket and of every client. */
    readonly region: string;
    /** The role's object key prefix (`uploads/`), or `""` for the whole bucket: the probe keys go under it. */
    readonly keyPrefix: string;
    /** The role may only read: run the read-only checks (PutObject must be refused). */
    readonly readOnly: boolean;
    /** What the outputs say the role's trust policy requires (`false` when they do not say). */
    readonly conditions: { readonly externalIdRequired: boolean; readonly mfaRequired: boolean };
    /** Where each value came from, e.g. `{ roleArn: "stack blue", bucket: "--bucket" }`. */
    readonly sources: Readonly<Record<"roleArn" | "bucket" | "region" | "readOnly", ValueSource | undefined>>;
}

/** What AssumeRole must carry to meet the trust policy's conditions. Holds secrets: never print it. */
export interface RoleAccess {
    /** The ExternalId (from `--external-id`, else the `externalId` output), with `--via assume`. */
    readonly externalId?: string;
    /** Where the ExternalId came from (`--external-id`, or `stack blue (output externalId)`); not secret. */
    readonly externalIdSource?: ValueSource;
    /** The MFA device (`--mfa-serial`; `undefined` with `--via profile`, whose profile names it) and the code. */
    readonly mfa?: { readonly serialNumber?: string; readonly tokenCode: string };
}

/** Options of {@link readStackOutputsFromPulumi}, for tests and unusual setups. */
export interface PulumiCliOptions {
    /** The environment of the `pulumi` process (its PATH decides which `pulumi` runs). Default `process.env`. */
    readonly env?: NodeJS.ProcessEnv;
    /** The folder it runs in (the Pulumi project). Default `process.cwd()`. */
    readonly cwd?: string;
    /** How long to wait for it, in ms. Default 120,000. */
    readonly timeoutMs?: number;
}

/**
 * Runs `pulumi stack output --json --show-secrets --stack NAME` and parses its JSON. Throws a
 * {@link CouldNotRunError} when the CLI is missing, fails (no such stack, not logged in), or
 * prints something other than a JSON object. Never includes the printed outputs in an error.
 */
export function readStackOutputsFromPulumi(stack: string, options: PulumiCliOptions = {}): Promise<StackOutputs> {
    const args = ["stack", "output", "--json", "--show-secrets", "--stack", stack];
    return new Promise((resolve, reject) => {
        execFile(
            "pulumi",
            args,
            {
                env: options.env ?? process.env,
                cwd: options.cwd ?? process.cwd(),
                timeout: options.timeoutMs ?? 120_000,
                maxBuffer: 16 * 1024 * 1024,
                windowsHide: true,
            },
            (error, stdout, stderr) => {
                if (error) {
                    // A string (ENOENT) when pulumi could not start; its exit code (a number) when it failed.
                    const code: unknown = (error as { code?: unknown }).code;
                    if (code === "ENOENT") {
                        reject(new CouldNotRunError(
                            "--stack needs the pulumi CLI, and `pulumi` was not found on PATH",
                            "install it (https://www.pulumi.com/docs/iac/download-install/), or pass --outputs FILE " +
                            "(saved from `pulumi stack output --json`), or --role-arn, --bucket and --region",
                        ));
                        return;
                    }
                    if ((error as { killed?: boolean }).killed) {
                        reject(new CouldNotRunError(`\`pulumi stack output --stack ${stack}\` did not finish within ${(options.timeoutMs ?? 120_000) / 1000} s`,
                            "check that the Pulumi backend is reachable (`pulumi whoami`), or pass --outputs FILE"));
                        return;
                    }
                    reject(new CouldNotRunError(
                        `--stack ${stack}: \`pulumi stack output\` failed (exit ${typeof code === "number" ? code : "?"}): ${firstLines(stderr) || "no message"}`,
                        "check the stack name (`pulumi stack ls`) and that you are logged in to its backend (`pulumi whoami`)",
                    ));
                    return;
                }
                try {
                    resolve(parseOutputsJson(stdout, `the outputs of stack ${stack}`));
                } catch (parseError) {
                    reject(parseError);
                }
            },
        );
    });
}

/** Reads the outputs JSON from a file (`--outputs FILE`), e.g. saved by `pulumi stack output --json > FILE`. */
export async function readStackOutputsFromFile(path: string): Promise<StackOutputs> {
    let text: string;
    try {
        text = await readFile(path, "utf8");
    } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? "error";
        throw new CouldNotRunError(`--outputs ${path}: cannot read the file (${code})`,
            "save it with `pulumi stack output --json --stack blue > FILE`, or pass --stack NAME");
    }
    return parseOutputsJson(text, `--outputs ${path}`);
}

/** Reads the outputs named by `--stack` or `--outputs`, or returns `undefined` when neither is given. */
export async function readStackOutputs(args: Pick<VerifyArgs, "stack" | "outputsFile">, options: PulumiCliOptions = {}): Promise<StackOutputs | undefined> {
    if (args.stack !== undefined) {
        return readStackOutputsFromPulumi(args.stack, options);
    }
    if (args.outputsFile !== undefined) {
        return readStackOutputsFromFile(args.outputsFile);
    }
    return undefined;
}

/**
 * Combines flags, outputs and environment into the target: flags first, then the outputs
 * (`roleArn`, `bucketName`, `region`, `objectKeyPrefix`, `readOnly`, `blueAccountId`, and the
 * `externalIdRequired`/`mfaRequired` conditions), then `AWS_REGION`/`AWS_DEFAULT_REGION` for the region. The role ARN is required with `--via assume` and checked with
 * {@link parseRoleArn}; the bucket and region are always required.
 */
export function resolveTarget(
    args: Pick<VerifyArgs, "roleArn" | "bucket" | "region" | "via" | "stack" | "outputsFile"> & Partial<Pick<VerifyArgs, "keyPrefix" | "readOnly">>,
    outputs: StackOutputs | undefined,
    env: NodeJS.ProcessEnv = process.env,
): VerifyTarget {
    const outputsName = outputsLabel(args);
    const pick = (flag: string | undefined, flagName: string, output: string): { value?: string; source?: string } => {
        if (flag !== undefined) {
            return { value: flag, source: flagName };
        }
        if (outputs && outputsName) {
            return { value: outputString(outputs, output, outputsName), source: `${outputsName} (output ${output})` };
        }
        return {};
    };

    const roleArn = pick(args.roleArn, "--role-arn", "roleArn");
    const bucket = pick(args.bucket, "--bucket", "bucketName");
    let region = pick(args.region, "--region", "region");
    if (region.value === undefined) {
        const fromEnv = env.AWS_REGION?.trim() ? "AWS_REGION" : env.AWS_DEFAULT_REGION?.trim() ? "AWS_DEFAULT_REGION" : undefined;
        region = fromEnv ? { value: env[fromEnv]?.trim(), source: fromEnv } : {};
    }

    const missing = (what: string, flag: string, output: string): CouldNotRunError => outputsName
        ? new CouldNotRunError(`${outputsName} has no output ${output}${listOutputs(outputs)}`,
            `pass ${flag}, or point --stack/--outputs at the stack that exports ${output} (the blue or green stack)`)
        : new UsageError(`no ${what}: pass ${flag}, or --stack NAME / --outputs FILE to read it from the stack outputs`);

    let role: RoleArnParts | undefined;
    if (roleArn.value !== undefined) {
        role = parseRoleArn(roleArn.value);
        if (!role) {
            throw new CouldNotRunError(`${roleArn.source} is not an IAM role ARN: '${roleArn.value}'`,
                "expected arn:aws:iam::123456789012:role/NAME (the blue stack's roleArn output)");
        }
    } else if (args.via === "assume") {
        throw missing("role ARN", "--role-arn", "roleArn");
    }
    if (bucket.value === undefined) {
        throw missing("bucket", "--bucket", "bucketName");
    }
    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket.value)) {
        throw new CouldNotRunError(`${bucket.source} is not a valid S3 bucket name: '${bucket.value}'`,
            "bucket names are 3 to 63 characters of a-z, 0-9, '.' and '-' (the blue stack's bucketName output)");
    }
    if (region.value === undefined) {
        throw outputsName
            ? missing("region", "--region", "region")
            : new UsageError("no region: pass --region (e.g. us-east-1), or set AWS_REGION, or read it with --stack/--outputs");
    }
    if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region.value)) {
        throw new CouldNotRunError(`${region.source} is not an AWS region: '${region.value}'`, "e.g. us-east-1, eu-west-1 (the stack's region output)");
    }

    // A prefix from the outputs gets the same check as the flag's (the component's objectKeyPrefix rule).
    const keyPrefix = pick(args.keyPrefix, "--key-prefix", "objectKeyPrefix");
    if (keyPrefix.value !== undefined && keyPrefix.source !== "--key-prefix") {
        try {
            checkObjectKeyPrefix(keyPrefix.value, keyPrefix.source ?? "objectKeyPrefix");
        } catch (error) {
            throw new CouldNotRunError(error instanceof Error ? error.message : String(error));
        }
    }

    let roleAccountId = role?.accountId;
    if (roleAccountId === undefined && outputs && typeof outputs.blueAccountId === "string" && /^\d{12}$/.test(outputs.blueAccountId)) {
        roleAccountId = outputs.blueAccountId;
    }

    // Booleans: the flag, else the output, else false (an output from before the stack exported it).
    const fromOutputs = (name: string): boolean | undefined => outputs && outputsName ? outputBoolean(outputs, name, outputsName) : undefined;
    const readOnlyOutput = fromOutputs("readOnly");
    const readOnly = args.readOnly !== undefined
        ? { value: args.readOnly, source: args.readOnly ? "--read-only" : "--no-read-only" }
        : readOnlyOutput !== undefined ? { value: readOnlyOutput, source: `${outputsName} (output readOnly)` } : { value: false, source: undefined };
    return {
        roleArn: roleArn.value,
        role,
        roleAccountId,
        bucket: bucket.value,
        region: region.value,
        keyPrefix: keyPrefix.value ?? "",
        readOnly: readOnly.value,
        conditions: { externalIdRequired: fromOutputs("externalIdRequired") ?? false, mfaRequired: fromOutputs("mfaRequired") ?? false },
        sources: { roleArn: roleArn.source, bucket: bucket.source, region: region.source, readOnly: readOnly.source },
    };
}

/** What `pulumi stack output --json` prints for a secret without `--show-secrets`. */
export const HIDDEN_SECRET = "[secret]";

/**
 * What AssumeRole must carry: the ExternalId (`--external-id`, else the blue stack's secret
 * `externalId` output) and the MFA device and code. Stops the script at once, before any AWS call,
 * when the outputs say the role needs what is missing: waiting out `--wait` could not help.
 */
export function resolveRoleAccess(
    args: Pick<VerifyArgs, "via" | "stack" | "outputsFile" | "roleProfile"> & Partial<Pick<VerifyArgs, "externalId" | "mfaSerial" | "tokenCode">>,
    outputs: StackOutputs | undefined,
    target: Pick<VerifyTarget, "conditions">,
): RoleAccess {
    const outputsName = outputsLabel(args);
    const mfa = args.tokenCode !== undefined ? { serialNumber: args.mfaSerial, tokenCode: args.tokenCode } : undefined;
    if (target.conditions.mfaRequired && mfa === undefined) {
        throw new CouldNotRunError(`${outputsName ?? "the outputs"} says the role requires MFA (output mfaRequired), and no --token-code was given`,
            args.via === "assume"
                ? "pass --mfa-serial ARN (the green user's MFA device) and --token-code CODE (the 6-digit code it shows now)"
                : `pass --token-code CODE: the 6-digit code of the device named by mfa_serial in profile ${args.roleProfile}`);
    }
    if (args.via === "profile") {
        // The role profile carries external_id and mfa_serial itself, as the AWS CLI reads them.
        return { mfa };
    }
    if (args.externalId !== undefined) {
        return { externalId: args.externalId, externalIdSource: "--external-id", mfa };
    }
    const output = outputs && outputsName ? outputString(outputs, "externalId", outputsName) : undefined;
    if (output === HIDDEN_SECRET) {
        throw new CouldNotRunError(`${outputsName}: output externalId is hidden (${HIDDEN_SECRET}): the outputs were saved without --show-secrets`,
            "save them with `pulumi stack output --json --show-secrets --stack blue > FILE` (mode 0600), read them with --stack blue, or pass --external-id ID");
    }
    if (output !== undefined) {
        try {
            checkExternalId(output, `${outputsName} (output externalId)`);
        } catch (error) {
            throw new CouldNotRunError(error instanceof Error ? error.message : String(error), "check the blue stack's config externalId");
        }
        return { externalId: output, externalIdSource: `${outputsName} (output externalId)`, mfa };
    }
    if (target.conditions.externalIdRequired) {
        throw new CouldNotRunError(`${outputsName ?? "the outputs"} says the role requires an ExternalId (output externalIdRequired), and there is none: no --external-id, no externalId output`,
            "pass --external-id ID (the blue stack's config externalId), or read the blue stack, which exports it as the secret output externalId: --stack blue");
    }
    return { mfa };
}

/** How messages name the outputs: `stack blue`, `--outputs FILE`, or `undefined` without either. */
function outputsLabel(args: Pick<VerifyArgs, "stack" | "outputsFile">): string | undefined {
    return args.stack !== undefined ? `stack ${args.stack}` : args.outputsFile !== undefined ? `--outputs ${args.outputsFile}` : undefined;
}

function outputBoolean(outputs: StackOutputs, name: string, outputsName: string): boolean | undefined {
    const value = outputs[name];
    if (value === undefined || value === null) {
        return undefined;
    }
    if (typeof value !== "boolean") {
        throw new CouldNotRunError(`${outputsName}: output ${name} is not a boolean (it is ${Array.isArray(value) ? "an array" : typeof value})`,
            `check what the stack exports as ${name}`);
    }
    return value;
}

function outputString(outputs: StackOutputs, name: string, outputsName: string): string | undefined {
    const value = outputs[name];
    if (value === undefined || value === null) {
        return undefined;
    }
    if (typeof value !== "string" || value.trim() === "") {
        // Say what is wrong without echoing the value: an output may be a secret.
        throw new CouldNotRunError(`${outputsName}: output ${name} is not a non-empty string (it is ${Array.isArray(value) ? "an array" : typeof value})`,
            `check what the stack exports as ${name}`);
    }
    return value.trim();
}

function parseOutputsJson(text: string, what: string): StackOutputs {
    let parsed: unknown;
    try {
        parsed = JSON.parse(text);
    } catch {
        // Never echo the text: it holds every output, secrets included.
        throw new CouldNotRunError(`${what} is not JSON (${text.length} characters)`,
            "expected the object printed by `pulumi stack output --json`");
    }
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
        throw new CouldNotRunError(`${what} is not a JSON object of outputs`, "expected the object printed by `pulumi stack output --json`");
    }
    return parsed as StackOutputs;
}

function listOutputs(outputs: StackOutputs | undefined): string {
    const names = outputs ? Object.keys(outputs).sort() : [];
    return names.length > 0 ? ` (it has: ${names.join(", ")})` : " (it has no outputs)";
}

function firstLines(text: string): string {
    return text.split("\n").map((line) => line.trim()).filter((line) => line.length > 0).slice(0, 3).join(" / ").slice(0, 400);
}
