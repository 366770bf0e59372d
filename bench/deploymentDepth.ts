/**
 * Deployment depth: from the dependency graph a program registers (read off the mock engine, so
 * what the real engine would get: each registration's `dependencies`, its property dependencies and
 * its provider), the longest chain of AWS resources that must be created one after another. The
 * engine starts a resource only when everything it depends on exists, so this chain, not the number
 * of resources, bounds how fast `pulumi up` can go.
 *
 * Components are not created (they only group); a dependency on a component stands for its
 * resources. Providers and stack references are steps too, but make no AWS resource: they are kept
 * in a chain, and count zero.
 */
import type { Registration } from "./engine/languageHost";

/** Why one resource waits for another. */
export interface DependencyEdge {
    /** The URN waited for. */
    readonly from: string;
    /** The URN that waits. */
    readonly to: string;
    /** The input properties whose values come from `from` (empty for dependsOn or a provider). */
    readonly properties: string[];
    /** `input` (a property needs a value of `from`), `dependsOn` (ordering only), or `provider`. */
    readonly kind: "input" | "dependsOn" | "provider";
}

/** One step of the longest chain. */
export interface ChainStep {
    /** `type name` of the resource. */
    readonly resource: string;
    /** Whether it is an AWS resource (counted in the depth). */
    readonly counted: boolean;
    /** How this step waits for the one before it (absent on the first step). */
    readonly edge?: DependencyEdge;
}

/** The depth of one stack. */
export interface DeploymentDepth {
    /** AWS resources on the longest chain. */
    readonly depth: number;
    /** The chain, first created first. */
    readonly chain: ChainStep[];
    /** AWS resources the stack creates. */
    readonly resources: number;
    /** Every edge between resources (for the record). */
    readonly edges: DependencyEdge[];
}

const providerUrn = (reference: string | undefined): string | undefined => (reference ? reference.split("::").slice(0, -1).join("::") : undefined);

/** Whether a registration makes an AWS resource (not a provider, component or stack reference). */
function isAwsResource(registration: Registration): boolean {
    return registration.custom && registration.type.startsWith("aws:");
}

/** The dependency graph between custom resources, with components expanded into their resources. */
export function dependencyEdges(registrations: Registration[]): DependencyEdge[] {
    const byUrn = new Map(registrations.map((r) => [r.urn, r]));
    const children = new Map<string, string[]>();
    for (const r of registrations) {
        if (r.parent) {
            children.set(r.parent, [...(children.get(r.parent) ?? []), r.urn]);
        }
    }
    // A dependency on a component is a dependency on every custom resource below it.
    const expand = (urn: string): string[] => {
        const registration = byUrn.get(urn);
        if (!registration || registration.custom) {
            return registration ? [urn] : [];
        }
        return (children.get(urn) ?? []).flatMap(expand);
    };
    const edges: DependencyEdge[] = [];
    for (const r of registrations.filter((x) => x.custom)) {
        const properties = new Map<string, Set<string>>();
        for (const [property, urns] of Object.entries(r.propertyDependencies)) {
            for (const from of urns.flatMap(expand)) {
                properties.set(from, (properties.get(from) ?? new Set()).add(property));
            }
        }
        const all = new Set([...r.dependencies.flatMap(expand), ...properties.keys()]);
        const provider = providerUrn(r.provider);
        for (const from of all) {
            if (from === r.urn) {
                continue;
            }
            const props = [...(properties.get(from) ?? [])].sort();
            edges.push({ from, to: r.urn, properties: props, kind: props.length > 0 ? "input" : "dependsOn" });
        }
        if (provider && byUrn.has(provider) && !all.has(provider)) {
            edges.push({ from: provider, to: r.urn, properties: [], kind: "provider" });
        }
    }
    return edges;
}

/** The longest chain of AWS resources created one after another, from a program's registrations. */
export function deploymentDepth(registrations: Registration[]): DeploymentDepth {
    const custom = registrations.filter((r) => r.custom && r.type !== "pulumi:pulumi:Stack");
    const byUrn = new Map(custom.map((r) => [r.urn, r]));
    const edges = dependencyEdges(registrations).filter((e) => byUrn.has(e.from) && byUrn.has(e.to));
    const incoming = new Map<string, DependencyEdge[]>();
    for (const edge of edges) {
        incoming.set(edge.to, [...(incoming.get(edge.to) ?? []), edge]);
    }
    // Longest path in a DAG, memoised; a cycle would be an engine error, so it is one here too.
    const best = new Map<string, { depth: number; via?: DependencyEdge }>();
    const visiting = new Set<string>();
    const solve = (urn: string): number => {
        const known = best.get(urn);
        if (known) {
            return known.depth;
        }
        if (visiting.has(urn)) {
            throw new Error(`dependency cycle through ${urn}`);
        }
        visiting.add(urn);
        let depth = 0;
        let via: DependencyEdge | undefined;
        for (const edge of incoming.get(urn) ?? []) {
            const before = solve(edge.from);
            // Prefer the chain through counted resources, then the one naming properties (for the record).
            if (before > depth || (before === depth && via === undefined)) {
                depth = before;
                via = edge;
            }
        }
        visiting.delete(urn);
        const own = isAwsResource(byUrn.get(urn)!) ? 1 : 0;
        best.set(urn, { depth: depth + own, via });
        return depth + own;
    };
    let end: string | undefined;
    for (const urn of byUrn.keys()) {
        if (end === undefined || solve(urn) > solve(end)) {
            end = urn;
        }
    }
    const chain: ChainStep[] = [];
    for (let urn = end; urn !== undefined;) {
        const r = byUrn.get(urn)!;
        const via = best.get(urn)!.via;
        chain.unshift({ resource: `${r.type} ${r.name}`, counted: isAwsResource(r), edge: via });
        urn = via?.from;
    }
    return { depth: end ? best.get(end)!.depth : 0, chain, resources: custom.filter(isAwsResource).length, edges };
}

/** One line per step: `type name`, and how it waits for the step before. */
export function describeChain(chain: ChainStep[]): string[] {
    return chain.map((step) => {
        if (!step.edge) {
            return step.resource;
        }
        const why =
            step.edge.kind === "input"
                ? `waits for the previous step's output, its input ${step.edge.properties.map((p) => `\`${p}\``).join(", ")}`
                : step.edge.kind === "dependsOn"
                  ? "waits for the previous step by `dependsOn`, an ordering the program asks for (no value passes)"
                  : "waits for its provider";
        return `${step.resource}: ${why}`;
    });
}
