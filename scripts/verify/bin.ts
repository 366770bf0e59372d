#!/usr/bin/env node
/**
 * The verify script's only entry point: the installed command `cross-account-s3-verify` (package.json
 * `bin`), `npm run verify` (through tsx) and the child process of the tests and the demo
 * (scripts/emulator/verifyProcess.ts). Runs {@link main} with the command line and exits with its
 * code (0 passed, 1 access wrong, 2 could not run). A file of its own so that the shebang, which
 * npm's bin links need, stays out of the importable module (cli.ts runs nothing when imported).
 *
 * It exits explicitly once the report is written: after a run stopped by its deadline, a call that
 * could not be aborted may still hold a socket open, which would keep Node running.
 */
import { main } from "./cli";

void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
    // Exit once both streams have written everything queued so far.
    process.stdout.write("", () => process.stderr.write("", () => process.exit(code)));
});
