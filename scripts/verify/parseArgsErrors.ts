/**
 * Turns a `node:util` `parseArgs` error into a message that names the flag and the fix. Shared by
 * the verify and audit command lines; Node's own message names the flag, never a value.
 */

/**
 * The message for a `parseArgs` error.
 * @param error What `parseArgs` threw.
 * @param secretOnCommandLine The command line holds a secret flag, so a stray argument may be part
 *   of its value and is not shown. Default `false` (the audit has no secret flag).
 */
export function explainParseError(error: unknown, secretOnCommandLine = false): string {
    const message = error instanceof Error ? error.message : String(error);
    const code = (error as { code?: string }).code;
    if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
        const flag = /'([^']+)'/.exec(message)?.[1] ?? message;
        return `unknown flag ${flag}`;
    }
    if (code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL") {
        if (secretOnCommandLine) {
            // e.g. --external-id with a value holding a space and no quotes: the stray word is part of a secret.
            return "unexpected argument (not shown: it may be part of the --external-id or --token-code value): every input is a flag; quote a value that holds spaces";
        }
        const arg = /'([^']+)'/.exec(message)?.[1];
        return `unexpected argument '${arg ?? message}': every input is a flag, e.g. --stack ${arg ?? "NAME"}`;
    }
    if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
        // "Option '--stack <value>' argument missing", "... argument is ambiguous", or a value given to a boolean flag.
        const flag = /'(-[^' ]+)/.exec(message)?.[1];
        if (!flag) {
            return message;
        }
        if (message.includes("does not take an argument")) {
            return `${flag} takes no value`;
        }
        return `${flag} needs a value`;
    }
    return message;
}
