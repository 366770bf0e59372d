/**
 * Runs the real program and components under Pulumi mocks and records every resource registered,
 * with its inputs and its provider. Mocks answer with realistic ids and ARNs, in the account of the
 * provider that made the resource (from its `allowedAccountIds`).
 *
 * Shared by the tests, the access report (accessproof/) and the benchmarks (bench/): tooling never
 * imports from test/ (a lint rule enforces it), so the harness they share lives here.
 */
import * as pulumi from "@pulumi/pulumi";

/** The project name the mocks run under (as in Pulumi.yaml). */
export const PROJECT = "cross-account-s3";

/** The account mocks use for a resource whose provider names no account (the default provider). */
export const UNPINNED_ACCOUNT = "000000000000";

/** One resource (or component) the program registered. */
export interface RecordedResource {
    /** The type token, e.g. `aws:iam/role:Role`. */
    readonly type: string;
    /** The resource name. */
    readonly name: string;
    /** The inputs as the provider would receive them, with secrets unwrapped. */
    readonly inputs: Record<string, any>;
    /** The top-level inputs that arrived as Pulumi secrets. */
    readonly secretInputs: string[];
    /** The provider reference (`URN::ID`) for custom resources, `undefined` for the default provider. */
    readonly provider?: string;
    /** Whether it is a custom resource (`false` for components). */
    readonly custom: boolean;
    /** The id the mock gave it. */
    readonly id: string;
    /** The state the mock returned. */
    readonly state: Record<string, any>;
}

/** One invoke the program made. */
export interface RecordedCall {
    /** The function token, e.g. `aws:index/getRegion:getRegion`. */
    readonly token: string;
    /** The invoke's arguments. */
    readonly inputs: Record<string, any>;
    /** The provider reference the invoke used. */
    readonly provider?: string;
}

/** The mocks: record registrations and answer like AWS would. */
export class RecordingMocks implements pulumi.runtime.Mocks {
    /** Every registration, in order. */
    readonly resources: RecordedResource[] = [];
    /** Every invoke, in order. */
    readonly calls: RecordedCall[] = [];
    private readonly providers = new Map<string, { account: string; region: string }>();
    private keyCounter = 0;

    /**
     * @param stackOutputs Outputs of other stacks by fully qualified name, for StackReferences.
     */
    constructor(private readonly stackOutputs: Record<string, Record<string, unknown>> = {}) {}

    newResource(args: pulumi.runtime.MockResourceArgs): { id: string | undefined; state: Record<string, any> } {
        const secretInputs = Object.keys(args.inputs ?? {}).filter((key) => isSecretValue(args.inputs[key]));
        args = { ...args, inputs: unwrapSecrets(args.inputs ?? {}) };
        const { id, state } = this.answer(args);
        this.resources.push({
            type: args.type,
            name: args.name,
            inputs: args.inputs,
            secretInputs,
            provider: args.provider,
            custom: args.custom !== false,
            id,
            state,
        });
        return { id, state };
    }

    call(args: pulumi.runtime.MockCallArgs): Record<string, any> {
        this.calls.push({ token: args.token, inputs: args.inputs, provider: args.provider });
        const { account, region } = this.providerOf(args.provider);
        switch (args.token) {
            case "aws:index/getRegion:getRegion":
                return { region, name: region, id: region, endpoint: `ec2.${region}.amazonaws.com`, description: region };
            case "aws:index/getCallerIdentity:getCallerIdentity":
                return { accountId: account, arn: `arn:aws:iam::${account}:user/mock`, userId: "AIDAMOCK", id: account };
            case "aws:index/getPartition:getPartition":
                return { partition: "aws", dnsSuffix: "amazonaws.com", id: "aws" };
            default:
                throw new Error(`mocks: no answer for invoke ${args.token}`);
        }
    }

    /** The account and region of a provider reference (`URN::ID`). */
    providerOf(reference: string | undefined): { account: string; region: string } {
        const id = reference?.split("::").pop();
        return (id && this.providers.get(id)) || { account: UNPINNED_ACCOUNT, region: "us-east-1" };
    }

    private answer(args: pulumi.runtime.MockResourceArgs): { id: string; state: Record<string, any> } {
        const inputs = args.inputs ?? {};
        if (args.type === "pulumi:providers:aws") {
            const id = `${args.name}-provider-id`;
            const allowed = typeof inputs.allowedAccountIds === "string" ? JSON.parse(inputs.allowedAccountIds) : inputs.allowedAccountIds;
            this.providers.set(id, { account: allowed?.[0] ?? UNPINNED_ACCOUNT, region: inputs.region ?? "us-east-1" });
            return { id, state: inputs };
        }
        if (args.type === "pulumi:pulumi:StackReference") {
            const name = inputs.name ?? args.name;
            const outputs = this.stackOutputs[name];
            if (!outputs) {
                throw new Error(`mocks: no stack named ${name}`);
            }
            return { id: name, state: { name, outputs, secretOutputNames: [] } };
        }
        const { account, region } = this.providerOf(args.provider);
        const path = inputs.path ?? "/";
        const iamArn = (kind: string, name: string) => `arn:aws:iam::${account}:${kind}${path}${name}`;
        switch (args.type) {
            case "aws:s3/bucket:Bucket":
                return { id: inputs.bucket, state: { ...inputs, arn: `arn:aws:s3:::${inputs.bucket}`, region } };
            case "aws:iam/role:Role":
                return { id: inputs.name, state: { ...inputs, arn: iamArn("role", inputs.name), uniqueId: "AROAMOCK" + inputs.name.length } };
            case "aws:iam/policy:Policy":
                return { id: iamArn("policy", inputs.name), state: { ...inputs, arn: iamArn("policy", inputs.name), policyId: "ANPAMOCK" } };
            case "aws:iam/group:Group":
                return { id: inputs.name, state: { ...inputs, arn: iamArn("group", inputs.name), uniqueId: "AGPAMOCK" } };
            case "aws:iam/user:User":
                return { id: inputs.name, state: { ...inputs, arn: iamArn("user", inputs.name), uniqueId: "AIDAMOCK" } };
            case "aws:iam/accessKey:AccessKey": {
                this.keyCounter += 1;
                const keyId = `AKIAMOCK${String(this.keyCounter).padStart(12, "0")}`;
                return {
                    id: keyId,
                    state: {
                        ...inputs,
                        secret: inputs.pgpKey ? undefined : `mock-secret-${this.keyCounter}-${"x".repeat(24)}`,
                        encryptedSecret: inputs.pgpKey ? `wcBMA-mock-encrypted-${this.keyCounter}` : undefined,
                        status: "Active",
                    },
                };
            }
            default:
                return { id: `${args.name}-id`, state: inputs };
        }
    }
}

/** The marker the SDK puts on a serialised secret value (`sig` of the Pulumi RPC protocol). */
const SECRET_SIGNATURE = "1b47061264138c4ac30d75fd1eb44270";
const SIGNATURE_KEY = "4dabf18193072939515e22adb298388d";

function isSecretValue(value: unknown): value is { value: unknown } {
    return value !== null && typeof value === "object" && (value as Record<string, unknown>)[SIGNATURE_KEY] === SECRET_SIGNATURE;
}

/** Replaces every serialised secret with its value, so tests read inputs as the provider would. */
function unwrapSecrets(value: any): any {
    if (isSecretValue(value)) {
        return unwrapSecrets(value.value);
    }
    if (Array.isArray(value)) {
        return value.map(unwrapSecrets);
    }
    if (value !== null && typeof value === "object") {
        return Object.fromEntries(Object.entries(value).map(([key, field]) => [key, unwrapSecrets(field)]));
    }
    return value;
}

/** Resolves an output's value in a test (an assertion inside `apply` would not reach mocha). */
export function valueOf<T>(output: pulumi.Input<T>): Promise<T> {
    return new Promise((resolve) =>
        pulumi.output(output).apply((value) => {
            resolve(value as T);
            return value;
        }),
    );
}

/** Installs fresh mocks for one run; the last `setMocks` wins process-wide, so every run calls this. */
export function installMocks(stack: string, stackOutputs: Record<string, Record<string, unknown>> = {}): RecordingMocks {
    const mocks = new RecordingMocks(stackOutputs);
    pulumi.runtime.setMocks(mocks, PROJECT, stack, false);
    return mocks;
}

/** Waits until no new registration arrives for a few turns of the event loop. */
export async function settled(mocks: RecordingMocks): Promise<void> {
    let stableTurns = 0;
    let count = -1;
    for (let turn = 0; turn < 1000 && stableTurns < 10; turn++) {
        await new Promise((resolve) => setImmediate(resolve));
        stableTurns = mocks.resources.length === count ? stableTurns + 1 : 0;
        count = mocks.resources.length;
    }
}

/** A stack output as the test sees it: the value and whether it is a secret. */
export interface ResolvedOutput {
    /** The resolved value. */
    readonly value: unknown;
    /** Whether Pulumi would store it as a secret. */
    readonly secret: boolean;
}

/** What one run of the program produced. */
export interface ProgramRun {
    /** The mocks, with every registration and invoke. */
    readonly mocks: RecordingMocks;
    /** The stack outputs, resolved. */
    readonly outputs: Record<string, ResolvedOutput>;
}

/** Options of {@link runProgram}. */
export interface RunProgramOptions {
    /** The stack name. Default `test`. */
    readonly stack?: string;
    /** Outputs of other stacks, by fully qualified name. */
    readonly stackOutputs?: Record<string, Record<string, unknown>>;
    /** Called with the fresh mocks before the program runs. */
    readonly onMocks?: (mocks: RecordingMocks) => void;
}

/**
 * Runs `index.ts` (the real program) with the given config under fresh mocks and returns what it registered
 * and exported. Config keys without a namespace get the project's.
 */
export async function runProgram(config: Record<string, string>, options: RunProgramOptions = {}): Promise<ProgramRun> {
    const mocks = installMocks(options.stack ?? "test", options.stackOutputs);
    options.onMocks?.(mocks);
    const namespaced: Record<string, string> = {};
    for (const [key, value] of Object.entries(config)) {
        namespaced[key.includes(":") ? key : `${PROJECT}:${key}`] = value;
    }
    pulumi.runtime.setAllConfig(namespaced);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const program: () => Promise<Record<string, unknown>> = require("../index");
    const exported = await program();
    const outputs: Record<string, ResolvedOutput> = {};
    for (const [key, value] of Object.entries(exported)) {
        const output = pulumi.output(value);
        outputs[key] = { value: await valueOf(output), secret: await pulumi.isSecret(output) };
    }
    await settled(mocks);
    return { mocks, outputs };
}

/** The runs {@link sharedProgramRun} made, by config and options. */
const sharedRuns = new Map<string, Promise<ProgramRun>>();

/**
 * The program's run for this config and these options, made once per process and shared by every
 * caller that asks for the same (a run under these mocks is deterministic): suites that only read a
 * run need not pay for it again. The run is deeply frozen, so a caller that changed it would throw
 * instead of changing it for the others. Use {@link runProgram} for a run of one's own (e.g. to
 * compare two evaluations).
 */
export function sharedProgramRun(config: Record<string, string>, options: Omit<RunProgramOptions, "onMocks"> = {}): Promise<ProgramRun> {
    const key = JSON.stringify([config, options.stack ?? "test", options.stackOutputs ?? {}]);
    let run = sharedRuns.get(key);
    if (!run) {
        run = runProgram(config, options).then(deepFreeze);
        // A failed run is not kept: the next caller gets the error again from a fresh attempt.
        run.catch(() => sharedRuns.delete(key));
        sharedRuns.set(key, run);
    }
    return run;
}

/** Freezes a value and everything reachable from it through own properties. */
function deepFreeze<T>(value: T): T {
    if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
        Object.freeze(value);
        for (const key of Reflect.ownKeys(value)) {
            deepFreeze((value as Record<string | symbol, unknown>)[key]);
        }
    }
    return value;
}

/** What a rejected run left behind: the error and what was registered before it. */
export interface RejectedRun {
    /** The error the program threw. */
    readonly error: Error;
    /** The mocks, to check that nothing was registered. */
    readonly mocks: RecordingMocks;
}

/** Runs the program expecting it to throw; fails if it does not. */
export async function runProgramExpectingError(config: Record<string, string>, options: RunProgramOptions = {}): Promise<RejectedRun> {
    let mocks: RecordingMocks | undefined;
    const capture = (m: RecordingMocks) => (mocks = m);
    try {
        await runProgram(config, { ...options, onMocks: capture });
    } catch (error) {
        await settled(mocks!);
        return { error: error as Error, mocks: mocks! };
    }
    throw new Error(`the program accepted config ${JSON.stringify(config)}`);
}

/** The one recorded resource of that type and name; fails the test when there is none or several. */
export function resourceNamed(mocks: RecordingMocks, type: string, name: string): RecordedResource {
    const found = mocks.resources.filter((r) => r.type === type && r.name === name);
    if (found.length !== 1) {
        throw new Error(`expected one ${type} named ${name}, found ${found.length}: ${mocks.resources.map((r) => `${r.type}/${r.name}`).join(", ")}`);
    }
    return found[0];
}

/** The provider resource's name behind a provider reference, e.g. `blue`. */
export function providerName(reference: string | undefined): string | undefined {
    // URN::ID, and the URN ends with ::NAME
    if (!reference) {
        return undefined;
    }
    const parts = reference.split("::");
    return parts[parts.length - 2];
}
