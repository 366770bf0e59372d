/**
 * Writes a temporary AWS shared config file holding the `green` and `blue` profiles exactly as
 * the component renders them ({@link renderCliProfiles}), and an empty shared credentials file,
 * both with mode 0600 in a fresh `mkdtemp` folder. Pointing `AWS_CONFIG_FILE` and
 * `AWS_SHARED_CREDENTIALS_FILE` at them keeps the user's own `~/.aws` out of a test or demo.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { renderCliProfiles } from "../../components/cliProfiles";
import type { EmulatedAccounts } from "./emulatedAccounts";

/** The files written by {@link writeAwsConfigFiles}. */
export interface AwsConfigFiles {
    /** The temporary folder holding both files. */
    readonly dir: string;
    /** The shared config file (both profiles; holds the green secret key). */
    readonly configFile: string;
    /** The shared credentials file (empty). */
    readonly credentialsFile: string;
    /** The rendered config text (holds a secret: never print it unmasked). */
    readonly configText: string;
    /** `AWS_CONFIG_FILE` and `AWS_SHARED_CREDENTIALS_FILE` for a child process. */
    readonly env: Readonly<Record<string, string>>;
    /** Removes the folder. */
    cleanup(): Promise<void>;
}

/** Writes both files for the emulated accounts (the component's profile names: `green` and `blue` by default). */
export async function writeAwsConfigFiles(accounts: EmulatedAccounts): Promise<AwsConfigFiles> {
    const dir = await mkdtemp(join(tmpdir(), "cross-account-aws-"));
    const configFile = join(dir, "config");
    const credentialsFile = join(dir, "credentials");
    const configText = renderCliProfiles({
        sourceProfileName: accounts.green.sourceProfileName,
        roleProfileName: accounts.green.roleProfileName,
        accessKeyId: accounts.green.accessKeyId,
        secretAccessKey: accounts.green.secretAccessKey,
        roleArn: accounts.blue.roleArn,
        region: accounts.region,
        externalId: accounts.blue.role.externalId,
        mfaSerial: accounts.green.mfaSerial,
    });
    await writeFile(configFile, configText, { mode: 0o600 });
    await writeFile(credentialsFile, "", { mode: 0o600 });
    return {
        dir,
        configFile,
        credentialsFile,
        configText,
        env: { AWS_CONFIG_FILE: configFile, AWS_SHARED_CREDENTIALS_FILE: credentialsFile },
        cleanup: () => rm(dir, { recursive: true, force: true }),
    };
}

/**
 * The config text safe to print: every `aws_secret_access_key`, `aws_session_token` and
 * `external_id` value replaced by asterisks, and every `aws_access_key_id` cut to its first four characters.
 */
export function maskSecrets(configText: string): string {
    return configText
        .replace(/^(aws_secret_access_key|aws_session_token|external_id)(\s*=\s*)(.+)$/gm, (_line, name: string, equals: string) => `${name}${equals}****************`)
        .replace(/^(aws_access_key_id\s*=\s*)(.{0,4})(.*)$/gm, (_line, name: string, head: string, rest: string) => `${name}${head}${"*".repeat(rest.length)}`);
}
