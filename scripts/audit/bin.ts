#!/usr/bin/env node
/**
 * The audit's only entry point: the installed command `cross-account-s3-audit` (package.json `bin`)
 * and `npm run audit` (through tsx). Runs {@link main} with the command line and exits with its code
 * (0 clean, 1 drift, 2 could not run). A file of its own so that the shebang stays out of the
 * importable module (cli.ts runs nothing when imported).
 */
import { main } from "./cli";

void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
});
