#!/usr/bin/env node
/**
 * The installed command `cross-account-s3-verify` (package.json `bin`): runs the verify script's
 * {@link main} with the command line and exits with its code (0 passed, 1 access wrong, 2 could not run).
 * A file of its own so that the shebang, which npm's bin links need, stays out of the importable module.
 */
import { main } from "./cli";

void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
});
