/**
 * Asks an independent IAM evaluator, `@cloud-copilot/iam-simulate`, whether one request is allowed,
 * with the policies AWS would consult for it:
 *
 * - the caller's identity policies (a green user's: its groups' inline policies; a role session's:
 *   the role's attached policies; none for an anonymous caller or one from an account we do not manage);
 * - the resource policy of the target: the role's trust policy for `sts:AssumeRole`, the bucket policy
 *   for S3, an assumed default key policy for KMS (the key is not created here), none for IAM.
 *
 * The evaluator applies AWS's rules: an explicit Deny anywhere wins; across accounts both the identity
 * policy and the resource policy must allow; within an account either suffices (except for a role's
 * trust policy, which must always allow). A request the evaluator cannot run (unknown action, a
 * resource of the wrong type, an invalid document, a context key it would silently drop) throws, so
 * a cell can never pass by accident.
 *
 * AGPL: dev and test use only. Nothing in `components/` or anything shipped may import this.
 */
import { anonymousPrincipal, runSimulation, type Simulation } from "@cloud-copilot/iam-simulate";
import { accountRootArn, type Partition } from "../components/arns";
import { accountIdOfArn, partitionOfArn } from "./arns";
import type { AccessModel, BucketModel, JsonPolicy, NamedPolicy } from "./collectPolicies";

/** The evaluator's verdict, AWS's three outcomes. */
export type Verdict = "Allowed" | "ImplicitlyDenied" | "ExplicitlyDenied";

/** Who makes a request. */
export interface Actor {
    /** Stable id used in cell ids, e.g. `member`, `session`. */
    readonly id: string;
    /** How the report names it, e.g. `green user s3-prod-user (in group prod-s3-users)`. */
    readonly label: string;
    /** `user`/`role`: an IAM principal; `session`: an assumed-role session; `anonymous`: an unsigned request. */
    readonly kind: "user" | "role" | "session" | "anonymous";
    /** The principal ARN the request is signed with (for a session: the `sts` assumed-role ARN). */
    readonly arn?: string;
    /** For a session: the role's ARN (`aws:PrincipalArn`). */
    readonly roleArn?: string;
    /** Its account. */
    readonly accountId?: string;
    /** The identity policies AWS evaluates for it. */
    readonly identityPolicies: NamedPolicy[];
    /** Whether the stacks create it (`true`) or it stands for someone else in the matrix (`false`). */
    readonly deployed: boolean;
}

/** A request context: condition key to value(s). `undefined` removes a key set by default. */
export type RequestContext = Record<string, string | string[] | undefined>;

/** One request to evaluate. */
export interface AccessRequest {
    /** Who asks, with the identity policies AWS evaluates for it. */
    readonly actor: Actor;
    /** An exact action, e.g. `s3:GetObject`. */
    readonly action: string;
    /** An exact resource ARN, e.g. `arn:aws:s3:::bucket/key`. */
    readonly resource: string;
    /** The account owning the resource when the ARN does not say (S3) and the bucket is not in the model. */
    readonly resourceAccountId?: string;
    /** Condition keys on top of the defaults (`aws:SecureTransport` = `true`, `aws:PrincipalArn`, `aws:PrincipalAccount`). */
    readonly context?: RequestContext;
}

/** A statement that decided the outcome. */
export interface DecisiveStatement {
    /** `identity` or `resource`. */
    readonly layer: "identity" | "resource";
    /** The statement's effect. */
    readonly effect: "Allow" | "Deny";
    /** The policy's name. */
    readonly policy: string;
    /** The statement's Sid, or its index. */
    readonly statement: string;
}

/** The evaluator's answer and why. */
export interface Evaluation {
    /** The overall answer, as AWS would give it. */
    readonly verdict: Verdict;
    /** Whether caller and resource are in one account (then one Allow suffices). */
    readonly sameAccount: boolean;
    /** The identity policies' own result. */
    readonly identityResult: string;
    /** The resource policy's own result (`NotApplicable` without one; `AllowedForAccount` when it trusts the caller's account). */
    readonly resourceResult: string;
    /** The statements behind the verdict: the Denies for an explicit deny, the Allows for an allow, none for an implicit deny. */
    readonly decisive: DecisiveStatement[];
    /** The resource policy that was evaluated, by name; `undefined` when there was none. */
    readonly resourcePolicy?: string;
    /** What the evaluation assumed about things the stacks do not create. */
    readonly assumptions: string[];
    /** What blocked an otherwise allowed request (`s3-bpa` for S3 Block Public Access), when anything did. */
    readonly blockedBy?: string[];
}

/**
 * The AWS default key policy: it delegates the key's use to the IAM policies of the key's account.
 * The program does not create the KMS key, so this is what the evaluation assumes for its policy.
 * `partition` defaults to `aws`.
 */
export function defaultKeyPolicy(accountId: string, partition: Partition = "aws"): JsonPolicy {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "Enable IAM User Permissions",
                Effect: "Allow",
                Principal: { AWS: accountRootArn(accountId, partition) },
                Action: "kms:*",
                Resource: "*",
            },
        ],
    };
}

/** The resource policy, owner account and settings AWS consults for a request's target. */
export interface Target {
    /** The account that owns the resource. */
    readonly accountId: string;
    /** Its resource policy (trust policy, bucket policy, assumed key policy); none for IAM or a bucket not in the model. */
    readonly policy?: NamedPolicy;
    /** The bucket, for an S3 request on a bucket of the model (its Block Public Access setting applies). */
    readonly bucket?: BucketModel;
    /** What the evaluation assumes about a target the stacks do not create. */
    readonly assumptions: string[];
}

function bucketNameOf(resource: string): string | undefined {
    return /^arn:[\w-]+:s3:::([^/]+)/.exec(resource)?.[1];
}

function targetOf(model: AccessModel, request: AccessRequest): Target {
    const [service] = request.action.toLowerCase().split(":");
    if (service === "s3") {
        const name = bucketNameOf(request.resource);
        const bucket = model.buckets.find((b) => b.name === name);
        if (bucket) {
            return { accountId: bucket.accountId, policy: bucket.policy, bucket, assumptions: [] };
        }
        if (!request.resourceAccountId) {
            throw new Error(`accessproof: bucket ${name} is not in the model; give resourceAccountId`);
        }
        return { accountId: request.resourceAccountId, assumptions: [`bucket ${name} has no bucket policy`] };
    }
    if (service === "sts") {
        const role = model.roles.find((r) => r.arn === request.resource);
        return role
            ? { accountId: role.accountId, policy: role.trustPolicy, assumptions: [] }
            : { accountId: accountIdOfArn(request.resource), assumptions: [`role ${request.resource} is not in the model: no trust policy`] };
    }
    if (service === "kms") {
        const accountId = accountIdOfArn(request.resource);
        const partition = partitionOfArn(request.resource);
        return {
            accountId,
            policy: { name: "default key policy (assumed)", kind: "resource", source: "assumed: the AWS default key policy", document: defaultKeyPolicy(accountId, partition) },
            assumptions: ["the KMS key has the AWS default key policy (delegates to the account's IAM policies)"],
        };
    }
    return { accountId: request.resourceAccountId ?? accountIdOfArn(request.resource), assumptions: [] };
}

/** The request context AWS would send, with the request's own keys on top. */
function contextOf(request: AccessRequest): Record<string, string | string[]> {
    const actor = request.actor;
    const context: RequestContext = { "aws:SecureTransport": "true" };
    if (actor.kind !== "anonymous") {
        context["aws:PrincipalArn"] = actor.kind === "session" ? actor.roleArn : actor.arn;
        context["aws:PrincipalAccount"] = actor.accountId;
    }
    Object.assign(context, request.context ?? {});
    const defined: Record<string, string | string[]> = {};
    for (const [key, value] of Object.entries(context)) {
        if (value !== undefined) {
            defined[key] = value;
        }
    }
    return defined;
}

const cache = new Map<string, Evaluation>();

/** Builds the simulation the evaluator runs for a request; exposed for the report's JSON and for tests. */
export function simulationOf(model: AccessModel, request: AccessRequest): { simulation: Simulation; target: Target } {
    const target = targetOf(model, request);
    const actor = request.actor;
    if (actor.kind !== "anonymous" && !actor.arn) {
        throw new Error(`accessproof: actor ${actor.id} has no ARN`);
    }
    const simulation: Simulation = {
        request: {
            principal: actor.kind === "anonymous" ? anonymousPrincipal : actor.arn!,
            action: request.action,
            resource: { resource: request.resource, accountId: target.accountId },
            contextVariables: contextOf(request),
        },
        identityPolicies: actor.identityPolicies.map((p) => ({ name: p.name, policy: p.document })),
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        resourcePolicy: target.policy?.document,
        additionalSettings: target.bucket ? { s3: { blockPublicAccess: target.bucket.restrictPublicBuckets } } : undefined,
    };
    return { simulation, target };
}

/**
 * Evaluates one request with `@cloud-copilot/iam-simulate` in strict mode. Throws when the evaluator
 * rejects the input or would ignore a context key given for the request.
 */
export async function evaluateRequest(model: AccessModel, request: AccessRequest): Promise<Evaluation> {
    const { simulation, target } = simulationOf(model, request);
    const key = JSON.stringify(simulation);
    const cached = cache.get(key);
    if (cached) {
        return { ...cached, assumptions: [...target.assumptions] };
    }
    const response = await runSimulation(simulation, { simulationMode: "Strict" });
    if (response.resultType === "error") {
        throw new Error(`accessproof: the evaluator refused ${request.action} on ${request.resource} by ${request.actor.id}: ${JSON.stringify(response.errors)}`);
    }
    if (response.resultType !== "single") {
        throw new Error(`accessproof: ${request.resource} has a wildcard; evaluate exact resources only`);
    }
    const ignored = response.result.ignoredContextKeys ?? [];
    if (ignored.length > 0) {
        throw new Error(`accessproof: the evaluator ignores ${ignored.join(", ")} for ${request.action} on ${request.resource}; AWS does not send it there`);
    }
    const analysis = response.result.analysis;
    const verdict = response.overallResult;
    const statementsOf = (
        layer: "identity" | "resource",
        list: Array<{ policyId?: string; statement: { sid(): string | undefined; index(): number; effect(): string } }> | undefined,
    ) =>
        (list ?? []).map((s): DecisiveStatement => ({
            layer,
            effect: s.statement.effect() as "Allow" | "Deny",
            policy: s.policyId ?? target.policy?.name ?? "resource policy",
            statement: s.statement.sid() ?? `#${s.statement.index()}`,
        }));
    const decisive =
        verdict === "ExplicitlyDenied"
            ? [...statementsOf("identity", analysis.identityAnalysis?.denyStatements), ...statementsOf("resource", analysis.resourceAnalysis?.denyStatements)]
            : verdict === "Allowed"
              ? [...statementsOf("identity", analysis.identityAnalysis?.allowStatements), ...statementsOf("resource", analysis.resourceAnalysis?.allowStatements)]
              : [];
    const evaluation: Evaluation = {
        verdict,
        sameAccount: analysis.sameAccount,
        identityResult: analysis.identityAnalysis?.result ?? "NotApplicable",
        resourceResult: analysis.resourceAnalysis?.result ?? "NotApplicable",
        decisive,
        resourcePolicy: target.policy?.name,
        assumptions: [...target.assumptions],
        blockedBy: analysis.blockedBy && analysis.blockedBy.length > 0 ? [...analysis.blockedBy] : undefined,
    };
    cache.set(key, evaluation);
    return evaluation;
}
