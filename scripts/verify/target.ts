/**
 * Decides what the checks run against, from the flags, the stack outputs and the environment:
 * the role, bucket, region, key prefix and mode ({@link resolveTarget}), and what AssumeRole must
 * carry to meet the trust policy's conditions ({@link resolveRoleAccess}). Flags override outputs.
 *
 * The ExternalId is kept apart from the target, in {@link RoleAccess}, so a printed or serialised
 * target cannot hold it. Values are checked with the components' own rules (components/validation.ts).
 */
import { parseRoleArn, RoleArnParts } from "../../components/arns";
import { BLUE_STACK_OUTPUT as OUTPUT } from "../../components/stackOutputs";
import { checkBucketName, checkExternalId, checkObjectKeyPrefix, checkRegion } from "../../components/validation";
import type { VerifyArgs } from "./args";
import { CouldNotRunError, UsageError } from "./exitCodes";
import { HIDDEN_SECRET, listOutputs, outputBoolean, outputsLabel, outputString, StackOutputs } from "./stackOutputs";

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

    const roleArn = pick(args.roleArn, "--role-arn", OUTPUT.roleArn);
    const bucket = pick(args.bucket, "--bucket", OUTPUT.bucketName);
    let region = pick(args.region, "--region", OUTPUT.region);
    if (region.value === undefined) {
        const fromEnv = env.AWS_REGION?.trim() ? "AWS_REGION" : env.AWS_DEFAULT_REGION?.trim() ? "AWS_DEFAULT_REGION" : undefined;
        region = fromEnv ? { value: env[fromEnv]?.trim(), source: fromEnv } : {};
    }

    const missing = (what: string, flag: string, output: string): CouldNotRunError =>
        outputsName
            ? new CouldNotRunError(
                  `${outputsName} has no output ${output}${listOutputs(outputs)}`,
                  `pass ${flag}, or point --stack/--outputs at the stack that exports ${output} (the blue or green stack)`,
              )
            : new UsageError(`no ${what}: pass ${flag}, or --stack NAME / --outputs FILE to read it from the stack outputs`);

    let role: RoleArnParts | undefined;
    if (roleArn.value !== undefined) {
        role = parseRoleArn(roleArn.value);
        if (!role) {
            throw new CouldNotRunError(
                `${roleArn.source} is not an IAM role ARN: '${roleArn.value}'`,
                "expected arn:aws:iam::123456789012:role/NAME (the blue stack's roleArn output)",
            );
        }
    } else if (args.via === "assume") {
        throw missing("role ARN", "--role-arn", OUTPUT.roleArn);
    }
    if (bucket.value === undefined) {
        throw missing("bucket", "--bucket", OUTPUT.bucketName);
    }
    withComponentRule(checkBucketName, bucket.value, bucket.source, "check the blue stack's bucketName output");
    if (region.value === undefined) {
        throw outputsName
            ? missing("region", "--region", OUTPUT.region)
            : new UsageError("no region: pass --region (e.g. us-east-1), or set AWS_REGION, or read it with --stack/--outputs");
    }
    withComponentRule(checkRegion, region.value, region.source, "check the stack's region output");

    // A prefix from the outputs gets the same check as the flag's (the component's objectKeyPrefix rule).
    const keyPrefix = pick(args.keyPrefix, "--key-prefix", OUTPUT.objectKeyPrefix);
    if (keyPrefix.value !== undefined && keyPrefix.source !== "--key-prefix") {
        withComponentRule(checkObjectKeyPrefix, keyPrefix.value, keyPrefix.source);
    }

    let roleAccountId = role?.accountId;
    if (roleAccountId === undefined && outputs && typeof outputs[OUTPUT.blueAccountId] === "string" && /^\d{12}$/.test(outputs[OUTPUT.blueAccountId] as string)) {
        roleAccountId = outputs[OUTPUT.blueAccountId] as string;
    }

    // Booleans: the flag, else the output, else false (an output from before the stack exported it).
    const fromOutputs = (name: string): boolean | undefined => (outputs && outputsName ? outputBoolean(outputs, name, outputsName) : undefined);
    const readOnlyOutput = fromOutputs(OUTPUT.readOnly);
    const readOnly =
        args.readOnly !== undefined
            ? { value: args.readOnly, source: args.readOnly ? "--read-only" : "--no-read-only" }
            : readOnlyOutput !== undefined
              ? { value: readOnlyOutput, source: `${outputsName} (output readOnly)` }
              : { value: false, source: undefined };
    return {
        roleArn: roleArn.value,
        role,
        roleAccountId,
        bucket: bucket.value,
        region: region.value,
        keyPrefix: keyPrefix.value ?? "",
        readOnly: readOnly.value,
        conditions: { externalIdRequired: fromOutputs(OUTPUT.externalIdRequired) ?? false, mfaRequired: fromOutputs(OUTPUT.mfaRequired) ?? false },
        sources: { roleArn: roleArn.source, bucket: bucket.source, region: region.source, readOnly: readOnly.source },
    };
}

/**
 * Checks a value with the component's own rule for the same input (components/validation.ts), so
 * the script and the component cannot disagree; the label is where the value came from (`--bucket`,
 * `stack blue (output bucketName)`). The rules' messages name the value, never a secret.
 */
function withComponentRule(rule: (value: unknown, label: string) => unknown, value: string, source: string | undefined, hint?: string): void {
    try {
        rule(value, source ?? "the value");
    } catch (error) {
        throw new CouldNotRunError(error instanceof Error ? error.message : String(error), hint);
    }
}

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
        throw new CouldNotRunError(
            `${outputsName ?? "the outputs"} says the role requires MFA (output mfaRequired), and no --token-code was given`,
            args.via === "assume"
                ? "pass --mfa-serial ARN (the green user's MFA device) and --token-code CODE (the 6-digit code it shows now)"
                : `pass --token-code CODE: the 6-digit code of the device named by mfa_serial in profile ${args.roleProfile}`,
        );
    }
    if (args.via === "profile") {
        // The role profile carries external_id and mfa_serial itself, as the AWS CLI reads them.
        return { mfa };
    }
    if (args.externalId !== undefined) {
        return { externalId: args.externalId, externalIdSource: "--external-id", mfa };
    }
    const output = outputs && outputsName ? outputString(outputs, OUTPUT.externalId, outputsName) : undefined;
    if (output === HIDDEN_SECRET) {
        throw new CouldNotRunError(
            `${outputsName}: output externalId is hidden (${HIDDEN_SECRET}): the outputs were saved without --show-secrets`,
            "save them with `pulumi stack output --json --show-secrets --stack blue > FILE` (mode 0600), read them with --stack blue, or pass --external-id ID",
        );
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
        throw new CouldNotRunError(
            `${outputsName ?? "the outputs"} says the role requires an ExternalId (output externalIdRequired), and there is none: no --external-id, no externalId output`,
            "pass --external-id ID (the blue stack's config externalId), or read the blue stack, which exports it as the secret output externalId: --stack blue",
        );
    }
    return { mfa };
}
