/**
 * Collects every problem of one set of arguments, so that one error can report them all. Internal:
 * not exported from the package.
 */
import * as pulumi from "@pulumi/pulumi";
import { InputProblem, InvalidArgumentsError } from "./invalidArgumentsError";
import { InvalidInputError } from "./validation";

let checkListener: ((propertyPath: string) => void) | undefined;

/**
 * Calls `listener` with the property path of every field check until the returned function is
 * called: how a test proves that each field is checked once. Internal.
 */
export function listenToFieldChecks(listener: (propertyPath: string) => void): () => void {
    checkListener = listener;
    return () => {
        checkListener = undefined;
    };
}

/** The problems found so far in one set of arguments, and the path prefix of a nested part of them. */
export class ArgumentCheck {
    private constructor(
        private readonly prefix: string,
        private readonly found: InputProblem[],
        private readonly pending: pulumi.Output<LaterCheckResult<unknown>>[],
    ) {}

    /** A new, empty collection. */
    static start(): ArgumentCheck {
        return new ArgumentCheck("", [], []);
    }

    /** The same collection, for the arguments under `path` (e.g. `blue`): property paths get `path.` in front. */
    under(path: string): ArgumentCheck {
        return new ArgumentCheck(`${this.prefix}${path}.`, this.found, this.pending);
    }

    /** The full property path of a field of this part. */
    pathOf(path: string): string {
        return `${this.prefix}${path}`;
    }

    /**
     * Runs one check of one field, which throws {@link InvalidInputError} for a bad value; records the
     * problem (under the label it names, e.g. `userNames[1]`) and returns `undefined` instead of throwing.
     */
    field<T>(path: string, check: (label: string) => T): T | undefined {
        const full = this.pathOf(path);
        checkListener?.(full);
        try {
            return check(full);
        } catch (error) {
            if (error instanceof InvalidInputError) {
                this.found.push({ propertyPath: error.label, problem: error.problem, fix: error.fix });
                return undefined;
            }
            throw error;
        }
    }

    /**
     * Runs a check across several fields (two accounts that must differ, a policy's size), reported
     * under `path`; like {@link field}, but not counted as a check of that field.
     */
    across<T>(path: string, check: (label: string) => T): T | undefined {
        try {
            return check(this.pathOf(path));
        } catch (error) {
            if (error instanceof InvalidInputError) {
                this.found.push({ propertyPath: error.label, problem: error.problem, fix: error.fix });
                return undefined;
            }
            throw error;
        }
    }

    /** Records a problem that is not one field's check, e.g. two arguments that contradict each other. */
    add(path: string, problem: string, fix: string): void {
        this.found.push({ propertyPath: this.pathOf(path), problem, fix });
    }

    /**
     * Checks a field whose value is an output (such as a secret from config) once, when it resolves.
     * The result holds the checked value or the problem; {@link settle} adds the problems to this
     * collection, and {@link checkedValue} turns the result back into the value for a resource.
     */
    later<T>(path: string, input: pulumi.Input<unknown>, check: (value: unknown, label: string) => T): pulumi.Output<LaterCheckResult<T>> {
        const full = this.pathOf(path);
        checkListener?.(full);
        const result = (pulumi.output(input) as pulumi.Output<unknown>).apply((value): LaterCheckResult<T> => {
            try {
                return { value: check(value, full) };
            } catch (error) {
                if (error instanceof InvalidInputError) {
                    return { problem: { propertyPath: error.label, problem: error.problem, fix: error.fix } };
                }
                throw error;
            }
        });
        this.pending.push(result);
        return result;
    }

    /**
     * Waits for the checks of outputs ({@link later}) and adds their problems. Only for outputs whose
     * value is known at preview, such as config secrets: the program awaits this before registering anything.
     */
    async settle(): Promise<void> {
        for (const result of this.pending.splice(0)) {
            const { problem } = await new Promise<LaterCheckResult<unknown>>((resolve) =>
                result.apply((r) => {
                    resolve(r);
                    return r;
                }),
            );
            if (problem) {
                this.found.push(problem);
            }
        }
    }

    /** Every problem found so far, in order. */
    get problems(): readonly InputProblem[] {
        return this.found;
    }

    /** Throws one {@link InvalidArgumentsError} listing every problem, if there is any. */
    throwIfAny(subject: string): void {
        if (this.found.length > 0) {
            throw new InvalidArgumentsError(subject, [...this.found]);
        }
    }
}

/** Marks arguments a component resolved, so a child given them does not check them again. Internal. */
export const RESOLVED = Symbol("cross-account-s3:resolved-arguments");

/** Arguments that went through a component's checks. */
export interface Resolved {
    /** Set only by the components' resolvers. */
    readonly [RESOLVED]: true;
}

/** Whether `args` were resolved by a component's resolver (and so are checked and complete). */
export function isResolved<T>(args: unknown): args is T & Resolved {
    return typeof args === "object" && args !== null && (args as Partial<Resolved>)[RESOLVED] === true;
}

/** What a check of an output found: the checked value, or the problem. */
export interface LaterCheckResult<T> {
    /** The checked value, when it passed. */
    readonly value?: T;
    /** What was wrong, when it did not. */
    readonly problem?: InputProblem;
}

/** The checked value of a {@link ArgumentCheck.later} result; throws the problem, reported for `subject`, when it failed. */
export function checkedValue<T>(result: pulumi.Output<LaterCheckResult<T>>, subject: string): pulumi.Output<T> {
    return result.apply((r) => {
        if (r.problem) {
            throw new InvalidArgumentsError(subject, [r.problem]);
        }
        return r.value as T;
    });
}

/** Whether a value is an output or a promise: checked when it resolves, not now. */
export function isDeferred(value: unknown): value is pulumi.Output<string> | Promise<string> {
    return pulumi.Output.isInstance(value) || value instanceof Promise;
}
