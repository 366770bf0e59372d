/**
 * The `--endpoint` flag shared by the verify and audit tools: an emulator's URL, from the flag or
 * else `AWS_ENDPOINT_URL`. One parser so both tools accept and refuse the same values.
 */
import { UsageError } from "./exitCodes";

/**
 * The endpoint every AWS call goes to, or `undefined` for AWS itself.
 * @param flag The trimmed `--endpoint` value, `undefined` when the flag is absent.
 * @param fromEnv `AWS_ENDPOINT_URL`; used only when the flag is absent, and ignored when blank.
 * @returns The URL without trailing slashes (the SDK appends paths to it).
 * @throws {@link UsageError} naming the source (flag or variable) when the value is not an http(s) URL.
 */
export function parseEndpoint(flag: string | undefined, fromEnv: string | undefined): string | undefined {
    const value = flag ?? (fromEnv?.trim() ? fromEnv.trim() : undefined);
    if (value === undefined) {
        return undefined;
    }
    const source = flag !== undefined ? "--endpoint" : "AWS_ENDPOINT_URL";
    let url: URL | undefined;
    try {
        url = new URL(value);
    } catch {
        url = undefined;
    }
    if (url === undefined || (url.protocol !== "http:" && url.protocol !== "https:")) {
        throw new UsageError(`${source} must be an http(s) URL such as http://127.0.0.1:5000, got '${value}'`);
    }
    return value.replace(/\/+$/, "");
}
