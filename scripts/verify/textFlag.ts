/**
 * A flag's text value as the verify and audit command lines take it: trimmed, and refused when
 * empty or when it looks like the next flag (`--stack --json` means the value was forgotten).
 */
import { UsageError } from "./exitCodes";

/**
 * The trimmed value of a text flag, or `undefined` when the flag is absent.
 * @param flag The flag's name, without the dashes (named in the error).
 * @param value What `parseArgs` gave for it.
 * @param secret The value is a secret: a refused one is not shown. Default `false`.
 * @throws {@link UsageError} when the value is empty or starts with `--`.
 */
export function textFlagValue(flag: string, value: string | boolean | undefined, secret = false): string | undefined {
    if (typeof value !== "string") {
        return undefined;
    }
    if (value.trim() === "" || value.startsWith("--")) {
        const got = value.trim() === "" ? "an empty string" : secret ? "one that starts with '--' (not shown)" : `'${value}'`;
        throw new UsageError(`--${flag} needs a value, got ${got}`);
    }
    return value.trim();
}
