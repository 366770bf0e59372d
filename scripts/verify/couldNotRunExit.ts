/**
 * How the verify and audit tools end when they cannot run: whatever was thrown is printed as a
 * could-not-run report and the exit code is {@link EXIT_COULD_NOT_RUN}. Shared so both tools treat
 * an unexpected error the same way.
 */
import { CouldNotRunError, EXIT_COULD_NOT_RUN } from "./exitCodes";

/**
 * Prints `error` as a could-not-run report and returns {@link EXIT_COULD_NOT_RUN}.
 * @param error What the run threw. A {@link CouldNotRunError} is printed as it is; anything else is a
 *   bug rather than a condition, printed as "unexpected error" with its name and message only.
 * @param print Renders and writes the report (each tool has its own text and JSON shape).
 */
export function exitCouldNotRun(error: unknown, print: (error: CouldNotRunError) => void): typeof EXIT_COULD_NOT_RUN {
    if (error instanceof CouldNotRunError) {
        print(error);
        return EXIT_COULD_NOT_RUN;
    }
    // Name and message only: never dump an object that could hold credentials.
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    print(new CouldNotRunError(`unexpected error: ${message}`, "please report it with the command line you ran"));
    return EXIT_COULD_NOT_RUN;
}
