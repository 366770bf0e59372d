/**
 * The one error a component (or the program) throws for bad input: every problem at once.
 */
import * as pulumi from "@pulumi/pulumi";

/** One bad argument: where it is, what is wrong with its value and what to do instead. */
export interface InputProblem {
    /**
     * The property path of the argument, relative to the component's arguments (`blue.bucketName`,
     * `trustedPrincipalArns[0]`), or the config key (`cross-account-s3:bucketName`) for the program.
     */
    readonly propertyPath: string;
    /** What is wrong, naming the value (never a secret's). */
    readonly problem: string;
    /** What to do instead. */
    readonly fix: string;
}

/**
 * Every problem found in a component's arguments (or a stack's config), thrown before anything is
 * registered. It is a `pulumi.InputPropertiesError`: its `errors` hold each property path with the
 * reason, as Pulumi reports them for components served to other languages. The message lists
 * every problem as `ARGUMENT: PROBLEM. FIX`, one per line (one problem: just that line); the stack
 * trace is left out of what is printed, since the message says where the mistake is.
 */
export class InvalidArgumentsError extends pulumi.InputPropertiesError {
    /** Each problem, with its property path, as found. */
    readonly problems: readonly InputProblem[];

    /**
     * Builds the message from the problems: one line each, `ARGUMENT: PROBLEM. FIX`.
     * @param subject What the property paths are relative to, e.g. `BucketAccessRoleArgs`; empty when they are config keys.
     * @param problems The problems found, at least one.
     */
    constructor(subject: string, problems: readonly InputProblem[]) {
        const label = (problem: InputProblem) => (subject ? `${subject}.${problem.propertyPath}` : problem.propertyPath);
        const line = (problem: InputProblem) => `${label(problem)}: ${problem.problem}. ${problem.fix}`;
        const message =
            problems.length === 1
                ? line(problems[0])
                : `${problems.length} problems in ${subject || "the stack's config"} (fix them all, then run again):\n${problems.map((p) => `  - ${line(p)}`).join("\n")}`;
        super({ message, errors: problems.map((p) => ({ propertyPath: p.propertyPath, reason: `${p.problem}. ${p.fix}` })) });
        this.name = "InvalidArgumentsError";
        this.problems = problems;
        // The program's runner prints errors with util.inspect: print the message once, without stack frames.
        this.stack = `${this.name}: ${message}`;
    }

    /** What Node's `util.inspect` (and so the Pulumi program runner) prints: the name and the message. */
    [Symbol.for("nodejs.util.inspect.custom")](): string {
        return `${this.name}: ${this.message}`;
    }
}
