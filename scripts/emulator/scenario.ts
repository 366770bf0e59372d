/**
 * One emulated setup, ready for the verify script: moto wiped, both accounts created from the
 * components' own documents, the `green`/`blue` profiles and the blue stack's outputs written to
 * a temporary folder, and IAM enforcement switched on. Used by the end-to-end tests (once per
 * case) and by the demo.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { AwsConfigFiles, writeAwsConfigFiles } from "./awsConfigFiles";
import { blueStackOutputs, createEmulatedAccounts, EmulatedAccounts, EmulatedAccountsOptions } from "./emulatedAccounts";
import type { MotoServer } from "./motoServer";
import { hermeticAwsEnv } from "./verifyProcess";

/** A prepared setup. Call {@link Scenario.cleanup} when done (it removes the temporary files). */
export interface Scenario {
    /** What was created in moto (holds the green secret key: never print it). */
    readonly accounts: EmulatedAccounts;
    /** The AWS config and credentials files. */
    readonly files: AwsConfigFiles;
    /** The blue stack's outputs as `pulumi stack output --json` would print them, in a file. */
    readonly outputsFile: string;
    /** A hermetic environment for the verify script: only these AWS files, no inherited AWS variables. */
    readonly env: NodeJS.ProcessEnv;
    /** Removes the temporary files. */
    cleanup(): Promise<void>;
}

/**
 * Wipes moto (enforcement off first, since the setup uses bootstrap keys), creates both
 * accounts, writes the files, then turns IAM enforcement on.
 */
export async function prepareScenario(moto: MotoServer, options: Omit<EmulatedAccountsOptions, "endpoint"> = {}): Promise<Scenario> {
    await moto.disableIamEnforcement();
    await moto.reset();
    const accounts = await createEmulatedAccounts({ ...options, endpoint: moto.endpoint });
    const files = await writeAwsConfigFiles(accounts);
    const outputsFile = join(files.dir, "blue-stack-outputs.json");
    await writeFile(outputsFile, JSON.stringify(blueStackOutputs(accounts), null, 2) + "\n", { mode: 0o600 });
    await moto.enableIamEnforcement();
    return { accounts, files, outputsFile, env: hermeticAwsEnv(files.env), cleanup: files.cleanup };
}
