/**
 * Reads the project's Pulumi.yaml and stack files the way the Pulumi CLI combines them: the stack's
 * values over the project's declared defaults.
 */
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";

/** The repository root. */
export const ROOT = path.resolve(__dirname, "..", "..");

/** One config key declared in Pulumi.yaml. */
export interface DeclaredKey {
    /** `string`, `boolean`, `integer` or `array`. */
    readonly type: string;
    /** What it is for. */
    readonly description?: string;
    /** The default, if any. */
    readonly default?: unknown;
}

/** The project file, parsed. */
export function readProject(): { name: string; config: Record<string, DeclaredKey> } {
    return yaml.load(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")) as { name: string; config: Record<string, DeclaredKey> };
}

/** A stack file's config, parsed (keys as written, e.g. `cross-account-s3:side`). */
export function readStackFile(stack: string): Record<string, unknown> {
    const parsed = yaml.load(fs.readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8")) as { config: Record<string, unknown> };
    return parsed.config;
}

/** Serialises a config value as the CLI hands it to the program: strings as they are, the rest as JSON. */
function configString(value: unknown): string {
    return typeof value === "string" ? value : JSON.stringify(value);
}

/** The config the program sees for a stack: Pulumi.yaml defaults, then the stack file's values. */
export function effectiveStackConfig(stack: string): Record<string, string> {
    const project = readProject();
    const config: Record<string, string> = {};
    for (const [key, declared] of Object.entries(project.config)) {
        if (declared.default !== undefined) {
            config[`${project.name}:${key}`] = configString(declared.default);
        }
    }
    for (const [key, value] of Object.entries(readStackFile(stack))) {
        if (!key.startsWith("pulumi:")) {
            config[key] = configString(value);
        }
    }
    return config;
}
