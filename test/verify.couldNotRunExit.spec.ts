/**
 * How the verify and audit tools end when they cannot run (scripts/verify/couldNotRunExit.ts):
 * a could-not-run error is printed as it is, anything else as an "unexpected error" with only its
 * name and message, and the exit code is always 2.
 */
import assert from "node:assert/strict";
import { exitCouldNotRun } from "../scripts/verify/couldNotRunExit";
import { CouldNotRunError, EXIT_COULD_NOT_RUN } from "../scripts/verify/exitCodes";

describe("exitCouldNotRun", () => {
    it("prints a CouldNotRunError unchanged and exits 2", () => {
        const printed: CouldNotRunError[] = [];
        const thrown = new CouldNotRunError("--outputs FILE could not be read", "check the path");
        assert.equal(
            exitCouldNotRun(thrown, (error) => printed.push(error)),
            EXIT_COULD_NOT_RUN,
        );
        assert.deepEqual(printed, [thrown]);
    });

    it("prints any other error as an unexpected error, by name and message only, and exits 2", () => {
        const printed: CouldNotRunError[] = [];
        const bug = Object.assign(new TypeError("x is undefined"), { credentials: { secretAccessKey: "do-not-print" } });
        assert.equal(
            exitCouldNotRun(bug, (error) => printed.push(error)),
            EXIT_COULD_NOT_RUN,
        );
        assert.equal(printed.length, 1);
        assert.ok(printed[0] instanceof CouldNotRunError);
        assert.equal(printed[0].message, "unexpected error: TypeError: x is undefined");
        assert.equal(printed[0].hint, "please report it with the command line you ran");
        assert.doesNotMatch(JSON.stringify({ message: printed[0].message, hint: printed[0].hint }), /do-not-print/);
    });

    it("prints a thrown non-error as its text", () => {
        const printed: CouldNotRunError[] = [];
        exitCouldNotRun("boom", (error) => printed.push(error));
        assert.equal(printed[0].message, "unexpected error: boom");
    });
});
