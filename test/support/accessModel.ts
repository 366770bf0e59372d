/**
 * Test helpers for the access proof: the configurations the suites evaluate, and runs of the real
 * program for them (split blue + green stacks chained through the StackReference, or one `both` stack),
 * collected into an access model. Runs are sequential (`setMocks` is process-global) and shared: the
 * access-proof and policy-validation suites evaluate many of the same stacks.
 */
import { collectAccessModel, type AccessModel, type StackRun } from "../../accessproof/collectPolicies";
import { buildMatrix, scenarioFromConfig, type Matrix } from "../../accessproof/matrix";
import { worldOf, type World } from "./mutations";
import { greenConfigAsSent } from "../../accessproof/stacks";
import { BLUE_ACCOUNT, GREEN_ACCOUNT, REGION } from "../../harness/stackConfigs";
import { sharedProgramRun } from "../../harness/pulumiMocks";

/** The accounts and region every configuration uses. */
export const ACCOUNTS = { blueAccountId: BLUE_ACCOUNT, greenAccountId: GREEN_ACCOUNT, "aws:region": REGION } as const;

/** The blue stack's fully qualified name, as the green stack's config names it. */
export const BLUE_STACK = "org/cross-account-s3/blue";

/** The bucket of the test configurations. */
export const BUCKET = "my-bucket-blue";

/** A KMS key in the blue account. */
export const KMS_KEY_ARN = "arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";

/** The green user the default configuration creates. */
export const MEMBER = "member:s3-prod-user";

/** One configuration under test: the options on top of the defaults, and how it is deployed. */
export interface AccessConfiguration {
    /** How the tests name it. */
    readonly name: string;
    /** `split`: a blue and a green stack; `both`: one stack with both sides. */
    readonly mode: "split" | "both";
    /** Options for the blue side (and for the `both` stack). */
    readonly options: Readonly<Record<string, string>>;
    /**
     * Options for the green stack in split mode. Default: what the blue options require of green:
     * an `mfaSerial` when `requireMfa` is set (the ExternalId comes from the blue stack's output).
     */
    readonly greenOptions?: Readonly<Record<string, string>>;
    /** Changes to the blue stack's outputs before green reads them (e.g. an older blue stack). */
    readonly blueOutputOverrides?: Readonly<Record<string, unknown>>;
}

/** The program's runs for a configuration, the access model and its matrix. */
export interface EvaluatedConfiguration {
    /** The configuration evaluated. */
    readonly configuration: AccessConfiguration;
    /** The program's runs: blue's then green's (split), or the one `both` run. */
    readonly runs: StackRun[];
    /** The access model collected from the runs. */
    readonly model: AccessModel;
    /** The matrix of requests, expected verdicts from the configuration's options. */
    readonly matrix: Matrix;
    /** The deployed world the matrix is evaluated against (mutations take copies of it). */
    readonly world: World;
}

/** Runs the program for a configuration (sequentially) and builds its access model and matrix. */
export async function evaluateConfiguration(configuration: AccessConfiguration): Promise<EvaluatedConfiguration> {
    const { mode, options } = configuration;
    let runs: StackRun[];
    let blueConfig: Record<string, string>;
    let greenConfig: Record<string, string>;
    if (mode === "both") {
        const mfaSerial: Record<string, string> = options.requireMfa === "true" ? { mfaSerial: `arn:aws:iam::${ACCOUNTS.greenAccountId}:mfa/s3-prod-user` } : {};
        blueConfig = greenConfig = { side: "both", ...ACCOUNTS, bucketName: BUCKET, greenProfile: "green-admin", ...mfaSerial, ...options };
        runs = [{ stack: "both", run: await sharedProgramRun(blueConfig, { stack: "both" }) }];
        greenConfig = greenConfigAsSent(greenConfig, runs[0].run);
    } else {
        blueConfig = { side: "blue", ...ACCOUNTS, bucketName: BUCKET, ...options };
        const blue = await sharedProgramRun(blueConfig, { stack: "blue" });
        const greenOptions = configuration.greenOptions ?? {
            ...(options.requireMfa === "true" ? { mfaSerial: `arn:aws:iam::${ACCOUNTS.greenAccountId}:mfa/s3-prod-user` } : {}),
        };
        greenConfig = { side: "green", ...ACCOUNTS, blueStack: BLUE_STACK, ...greenOptions };
        // The green stack reads what the blue run exported, not hand-written values.
        const blueOutputs = { ...Object.fromEntries(Object.entries(blue.outputs).map(([key, output]) => [key, output.value])), ...configuration.blueOutputOverrides };
        const green = await sharedProgramRun(greenConfig, { stack: "green", stackOutputs: { [BLUE_STACK]: blueOutputs } });
        runs = [
            { stack: "blue", run: blue },
            { stack: "green", run: green },
        ];
        greenConfig = greenConfigAsSent(greenConfig, green);
    }
    const model = collectAccessModel(runs);
    const matrix = buildMatrix(model, scenarioFromConfig(blueConfig, greenConfig));
    return { configuration, runs, model, matrix, world: worldOf(matrix, model) };
}
