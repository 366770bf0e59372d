/**
 * Mutations of the deployed documents: the mistakes a change could introduce. Each one is applied to
 * a copy of the collected documents and the whole matrix is evaluated again; the cells whose verdict
 * then differs from the expectation are the ones that mistake turns red. A cell that no mutation can
 * turn red would prove nothing, so the suite requires every cell to be turned red by at least one.
 *
 * Used by the access-proof suites only (the access report does not mutate), so it lives with the tests.
 */
import { accountRootArn } from "../../components/arns";
import { partitionOfArn } from "../../accessproof/arns";
import type { AccessModel, JsonPolicy, JsonStatement, NamedPolicy } from "../../accessproof/collectPolicies";
import { evaluateRequest, type Actor, type Verdict } from "../../accessproof/evaluate";
import { buildActors, type Cell, type Matrix, OUTSIDER_ACCOUNT_ID, requestOf } from "../../accessproof/matrix";

/** The documents and actors a matrix is evaluated against. */
export interface World {
    /** The documents and the principals that carry them. */
    readonly model: AccessModel;
    /** The matrix's actors by id; a mutation may change their identity policies. */
    readonly actors: Record<string, Actor>;
}

/** A deliberate mistake in the documents. */
export interface Mutation {
    /** Stable id, e.g. `trust-any-principal`. */
    readonly id: string;
    /** What it changes, in the words of a reviewer. */
    readonly description: string;
    /** Returns a changed copy; never changes its argument. */
    apply(world: World): World;
}

/** A writable deep copy's type: what a mutation (or a test) may edit of a copy of the documents. */
export type Draft<T> = { -readonly [K in keyof T]: T[K] extends object ? Draft<T[K]> : T[K] };

/** Copies the model, lets `change` edit the copy, and rebuilds the deployed actors from it (stand-ins are kept). */
function editModel(world: World, change: (model: Draft<AccessModel>) => void): World {
    const model = structuredClone(world.model) as Draft<AccessModel>;
    change(model);
    const frozen = model as AccessModel;
    const greenAccountId = world.actors.nonMember.accountId!;
    const rebuilt = buildActors(frozen, frozen.roles[0], greenAccountId);
    const actors: Record<string, Actor> = { ...world.actors };
    for (const actor of Object.values(rebuilt)) {
        if (actor.deployed) {
            actors[actor.id] = actor;
        }
    }
    return { model: frozen, actors };
}

const list = (value: string | string[] | undefined): string[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

function statementsOf(policies: Array<Draft<NamedPolicy>>): Array<Draft<JsonStatement>> {
    return policies.flatMap((p) => p.document.Statement);
}

function touches(statement: JsonStatement, service: string): boolean {
    return list(statement.Action).some((a) => a.toLowerCase().startsWith(`${service}:`));
}

function newPolicy(name: string, statements: JsonStatement[]): NamedPolicy {
    const document: JsonPolicy = { Version: "2012-10-17", Statement: statements };
    return { name, kind: "identity", source: "mutation", document };
}

/**
 * A public bucket policy: everyone may do anything in the bucket. With `keepBlockPublicAccess`, the
 * deployed public access block stays on (S3 then refuses the public grant to anonymous and other accounts).
 */
export function bucketPublic(keepBlockPublicAccess: boolean): Mutation {
    return {
        id: keepBlockPublicAccess ? "bucket-public-bpa-on" : "bucket-public",
        description: `bucket policy allows Principal * s3:* on the bucket${keepBlockPublicAccess ? " (public access block kept)" : " and the public access block is off"}`,
        apply: (world) =>
            editModel(world, (model) => {
                for (const bucket of model.buckets) {
                    const statement: JsonStatement = { Sid: "Public", Effect: "Allow", Principal: "*", Action: ["s3:*"], Resource: [bucket.arn, `${bucket.arn}/*`] };
                    bucket.policy = bucket.policy
                        ? { ...bucket.policy, document: { ...bucket.policy.document, Statement: [...bucket.policy.document.Statement, statement] } }
                        : { name: `${bucket.name} bucket policy`, kind: "resource", source: "mutation", document: { Version: "2012-10-17", Statement: [statement] } };
                    bucket.restrictPublicBuckets = keepBlockPublicAccess && bucket.restrictPublicBuckets;
                }
            }),
    };
}

/** The mutations every matrix is checked against. */
export const MUTATIONS: readonly Mutation[] = [
    {
        id: "trust-any-principal",
        description: 'trust policy Principal {"AWS": "*"} instead of the green account',
        apply: (world) =>
            editModel(world, (model) => {
                model.roles.forEach((r) =>
                    r.trustPolicy.document.Statement.forEach((s) => {
                        s.Principal = { AWS: "*" };
                    }),
                );
            }),
    },
    {
        id: "trust-wrong-account",
        description: `trust policy trusts account ${OUTSIDER_ACCOUNT_ID} instead of green`,
        apply: (world) =>
            editModel(world, (model) => {
                model.roles.forEach((r) =>
                    r.trustPolicy.document.Statement.forEach((s) => {
                        s.Principal = { AWS: accountRootArn(OUTSIDER_ACCOUNT_ID, partitionOfArn(r.arn)) };
                    }),
                );
            }),
    },
    {
        id: "trust-conditions-dropped",
        description: "trust policy without its conditions (ExternalId, MFA, organization)",
        apply: (world) =>
            editModel(world, (model) => {
                model.roles.forEach((r) =>
                    r.trustPolicy.document.Statement.forEach((s) => {
                        delete s.Condition;
                    }),
                );
            }),
    },
    {
        id: "group-policy-dropped",
        description: "the group's inline policy is missing",
        apply: (world) =>
            editModel(world, (model) => {
                model.groups.forEach((g) => {
                    g.inlinePolicies = [];
                });
            }),
    },
    {
        id: "everyone-in-group",
        description: "the group's policy also reaches the other green principals (membership or attachment too wide)",
        apply: (world) => {
            const granted = world.model.groups.flatMap((g) => g.inlinePolicies);
            const actors = { ...world.actors };
            for (const id of ["nonMember", "otherGreenRole"]) {
                actors[id] = { ...actors[id], identityPolicies: [...actors[id].identityPolicies, ...granted] };
            }
            return { model: world.model, actors };
        },
    },
    {
        id: "grant-dropped",
        description: "the managed policy granting existing green roles and groups is missing (keyless)",
        apply: (world) =>
            editModel(world, (model) => {
                model.grants.forEach((g) => {
                    g.policies = [];
                });
            }),
    },
    {
        id: "grant-too-wide",
        description: "the grant policy also reaches green roles that were not named (keyless)",
        apply: (world) => {
            const granted = world.model.grants.flatMap((g) => g.policies);
            if (granted.length === 0) {
                return world;
            }
            const actors = { ...world.actors };
            for (const id of ["notGrantedRole", "otherGreenRole", "nonMember"].filter((a) => actors[a])) {
                actors[id] = { ...actors[id], identityPolicies: [...actors[id].identityPolicies, ...granted] };
            }
            return { model: world.model, actors };
        },
    },
    {
        id: "trust-pattern-wrong",
        description: "the trust policy's ArnLike aws:PrincipalArn names another permission set than the one meant",
        apply: (world) =>
            editModel(world, (model) => {
                model.roles.forEach((r) =>
                    r.trustPolicy.document.Statement.forEach((s) => {
                        const arnLike = s.Condition?.ArnLike as Record<string, string | string[]> | undefined;
                        if (arnLike?.["aws:PrincipalArn"] !== undefined) {
                            arnLike["aws:PrincipalArn"] = list(arnLike["aws:PrincipalArn"]).map((p) => p.replace(/AWSReservedSSO_[^_*?]+_/, "AWSReservedSSO_SomeoneElse_"));
                        }
                    }),
                );
            }),
    },
    {
        id: "access-policy-s3-all",
        description: "role policy grants s3:* instead of the exact actions",
        apply: (world) =>
            editModel(world, (model) => {
                statementsOf(model.roles.flatMap((r) => r.attachedPolicies))
                    .filter((s) => touches(s, "s3"))
                    .forEach((s) => {
                        s.Action = ["s3:*"];
                    });
            }),
    },
    {
        id: "access-policy-any-bucket",
        description: "role policy on every bucket (Resource arn:aws:s3:::* and */*, no prefix condition)",
        apply: (world) =>
            editModel(world, (model) => {
                statementsOf(model.roles.flatMap((r) => r.attachedPolicies))
                    .filter((s) => touches(s, "s3"))
                    .forEach((s) => {
                        s.Resource = ["arn:aws:s3:::*", "arn:aws:s3:::*/*"];
                        delete s.Condition;
                    });
            }),
    },
    {
        id: "access-policy-missing-slash",
        description: "role policy object ARN BUCKET* instead of BUCKET/* (also matches other buckets)",
        apply: (world) =>
            editModel(world, (model) => {
                statementsOf(model.roles.flatMap((r) => r.attachedPolicies)).forEach((s) => {
                    s.Resource = list(s.Resource).map((arn) => arn.replace(/^(arn:[\w-]+:s3:::[^/]+)\/.*$/, "$1*"));
                });
            }),
    },
    {
        id: "access-policy-typo",
        description: "role policy says s3:PutObjekt",
        apply: (world) =>
            editModel(world, (model) => {
                statementsOf(model.roles.flatMap((r) => r.attachedPolicies)).forEach((s) => {
                    s.Action = list(s.Action).map((a) => (a === "s3:PutObject" ? "s3:PutObjekt" : a));
                });
            }),
    },
    {
        id: "access-policy-detached",
        description: "the role's policy is not attached",
        apply: (world) =>
            editModel(world, (model) => {
                model.roles.forEach((r) => {
                    r.attachedPolicies = [];
                });
            }),
    },
    {
        id: "role-admin",
        description: "the role also gets AdministratorAccess",
        apply: (world) =>
            editModel(world, (model) => {
                model.roles.forEach((r) => {
                    r.attachedPolicies.push(newPolicy("AdministratorAccess", [{ Sid: "Admin", Effect: "Allow", Action: "*", Resource: "*" }]) as Draft<NamedPolicy>);
                });
            }),
    },
    {
        id: "tls-deny-dropped",
        description: "no TLS-only bucket policy",
        apply: (world) =>
            editModel(world, (model) => {
                model.buckets.forEach((b) => {
                    delete b.policy;
                });
            }),
    },
    bucketPublic(false),
    {
        id: "bypass-role",
        description: "green's group may use S3 directly and the bucket policy trusts green (the role is bypassed)",
        apply: (world) =>
            editModel(world, (model) => {
                model.groups.forEach((g) => {
                    g.inlinePolicies.push(newPolicy("DirectS3", [{ Sid: "DirectS3", Effect: "Allow", Action: ["s3:*"], Resource: "*" }]) as Draft<NamedPolicy>);
                });
                const green = world.actors.nonMember.accountId!;
                for (const bucket of model.buckets) {
                    const statement: JsonStatement = {
                        Sid: "TrustGreen",
                        Effect: "Allow",
                        Principal: { AWS: accountRootArn(green, partitionOfArn(bucket.arn)) },
                        Action: ["s3:*"],
                        Resource: [bucket.arn, `${bucket.arn}/*`],
                    };
                    bucket.policy = bucket.policy
                        ? { ...bucket.policy, document: { ...bucket.policy.document, Statement: [...bucket.policy.document.Statement, statement] } }
                        : { name: `${bucket.name} bucket policy`, kind: "resource", source: "mutation", document: { Version: "2012-10-17", Statement: [statement] } };
                }
            }),
    },
    {
        id: "kms-any-key",
        description: "role policy's KMS statement on every key (Resource *)",
        apply: (world) =>
            editModel(world, (model) => {
                statementsOf(model.roles.flatMap((r) => r.attachedPolicies))
                    .filter((s) => touches(s, "kms"))
                    .forEach((s) => {
                        s.Resource = ["*"];
                    });
            }),
    },
];

/** One cell's verdict. */
export interface CellResult {
    /** The cell asked. */
    readonly cell: Cell;
    /** What the evaluator answered. */
    readonly verdict: Verdict;
}

/** Evaluates every cell of a matrix against a world (the deployed one, or a mutated copy). */
export async function evaluateCells(matrix: Matrix, world: World): Promise<CellResult[]> {
    const results: CellResult[] = [];
    for (const cell of matrix.cells) {
        const evaluation = await evaluateRequest(world.model, requestOf(world, cell));
        results.push({ cell, verdict: evaluation.verdict });
    }
    return results;
}

/** The deployed world of a matrix: the collected model and the matrix's actors. */
export function worldOf(matrix: Matrix, model: AccessModel): World {
    return { model, actors: matrix.actors };
}

/** A cell a mutation turns red: its verdict no longer matches the expectation. */
export interface RedCell {
    /** The cell's id. */
    readonly id: string;
    /** What the design says AWS must answer. */
    readonly expected: Verdict;
    /** What the evaluator answered under the mutation. */
    readonly verdict: Verdict;
}

/** What one mutation does to a matrix. */
export interface MutationOutcome {
    /** The mutation applied. */
    readonly mutation: Mutation;
    /** Whether it changed anything at all (a KMS mutation changes nothing without a key). */
    readonly applies: boolean;
    /** The cells it turns red, with the verdict they then get. */
    readonly red: RedCell[];
}

/** Applies each mutation (default: {@link MUTATIONS}) to a copy of the world and lists the cells it turns red. */
export async function runMutations(matrix: Matrix, world: World, mutations: readonly Mutation[] = MUTATIONS): Promise<MutationOutcome[]> {
    const outcomes: MutationOutcome[] = [];
    const before = JSON.stringify(world);
    for (const mutation of mutations) {
        const mutated = mutation.apply(world);
        if (JSON.stringify(world) !== before) {
            throw new Error(`accessproof: mutation ${mutation.id} changed its input`);
        }
        const applies = JSON.stringify(mutated) !== before;
        const red = applies
            ? (await evaluateCells(matrix, mutated)).filter((r) => r.verdict !== r.cell.expected).map((r) => ({ id: r.cell.id, expected: r.cell.expected, verdict: r.verdict }))
            : [];
        outcomes.push({ mutation, applies, red });
    }
    return outcomes;
}

/** How each cell can be turned red: by one mutation, or (defence in depth) only by two together. */
export interface CellCoverage {
    /** The cell's id. */
    readonly id: string;
    /** The mutations that turn it red together: one id, two ids, or none when nothing could. */
    readonly by: string[];
}

/**
 * Proves that every cell can fail: for each cell, a mutation (or, where two independent controls
 * guard it, a pair of mutations applied together) under which its verdict no longer matches.
 * `mutations` defaults to {@link MUTATIONS}.
 */
export async function proveCellsCanFail(
    matrix: Matrix,
    world: World,
    mutations: readonly Mutation[] = MUTATIONS,
): Promise<{ outcomes: MutationOutcome[]; coverage: CellCoverage[] }> {
    const outcomes = await runMutations(matrix, world, mutations);
    const by = new Map<string, string[]>();
    for (const outcome of outcomes) {
        for (const red of outcome.red) {
            if (!by.has(red.id)) {
                by.set(red.id, [outcome.mutation.id]);
            }
        }
    }
    const uncovered = () => matrix.cells.filter((c) => !by.has(c.id));
    const applicable = outcomes.filter((o) => o.applies).map((o) => o.mutation);
    for (let i = 0; i < applicable.length && uncovered().length > 0; i++) {
        for (let j = i + 1; j < applicable.length && uncovered().length > 0; j++) {
            const pair = applicable[j].apply(applicable[i].apply(world));
            const cells = uncovered();
            const results = await evaluateCells({ ...matrix, cells }, pair);
            for (const result of results.filter((r) => r.verdict !== r.cell.expected)) {
                by.set(result.cell.id, [applicable[i].id, applicable[j].id]);
            }
        }
    }
    return { outcomes, coverage: matrix.cells.map((c) => ({ id: c.id, by: by.get(c.id) ?? [] })) };
}
