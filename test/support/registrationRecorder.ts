/**
 * Records what the SDK sends the engine for each resource registration: the URN, the dependencies
 * (explicit `dependsOn` and those carried by inputs) and the import id. Mocks see neither the
 * dependencies nor the URN, so the recorder wraps the mock monitor's `registerResource`: what it
 * records is exactly what `pulumi up` would get.
 */
import { getMonitor } from "@pulumi/pulumi/runtime/settings";

/** One registration as the engine would receive it. */
export interface Registration {
    /** The type token. */
    readonly type: string;
    /** The resource name. */
    readonly name: string;
    /** The URN the monitor gave it. */
    urn?: string;
    /** URNs of every resource it depends on (explicit `dependsOn` and input dependencies). */
    readonly dependencies: readonly string[];
    /** URNs it depends on through its inputs, by input name. */
    readonly inputDependencies: Readonly<Record<string, readonly string[]>>;
    /** The `import` resource option's id, `""` when not importing. */
    readonly importId: string;
}

interface RegisterRequest {
    getType(): string;
    getName(): string;
    getDependenciesList(): string[];
    getPropertydependenciesMap(): { forEach(callback: (value: { getUrnsList(): string[] }, key: string) => void): void };
    getImportid(): string;
}

type Callback = (error: unknown, response?: { getUrn(): string }) => void;

/**
 * Starts recording on the monitor installed by the last `setMocks` (call it right after
 * `installMocks`). Returns the list the registrations are appended to.
 */
export function recordRegistrations(): Registration[] {
    const monitor = getMonitor() as unknown as { registerResource(req: RegisterRequest, callback: Callback): void };
    if (!monitor || typeof monitor.registerResource !== "function") {
        throw new Error("recordRegistrations: no mock monitor installed; call installMocks first");
    }
    const registrations: Registration[] = [];
    const original = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, callback) => {
        const inputDependencies: Record<string, string[]> = {};
        req.getPropertydependenciesMap().forEach((value, key) => (inputDependencies[key] = value.getUrnsList()));
        const registration: Registration = {
            type: req.getType(),
            name: req.getName(),
            dependencies: req.getDependenciesList(),
            inputDependencies,
            importId: req.getImportid(),
        };
        registrations.push(registration);
        original(req, (error, response) => {
            registration.urn = response?.getUrn();
            callback(error, response);
        });
    };
    return registrations;
}

/** The one registration of that name; fails when there is none or several. */
export function registrationNamed(registrations: readonly Registration[], name: string): Registration {
    const found = registrations.filter((r) => r.name === name);
    if (found.length !== 1) {
        throw new Error(`expected one registration named ${name}, found ${found.length}: ${registrations.map((r) => r.name).join(", ")}`);
    }
    return found[0];
}

/**
 * The names of the resources a registration depends on, among those recorded. Components are
 * included; a dependency on a component stands for its children.
 */
export function dependencyNames(registrations: readonly Registration[], name: string): string[] {
    const byUrn = new Map(registrations.filter((r) => r.urn).map((r) => [r.urn!, r.name]));
    return registrationNamed(registrations, name)
        .dependencies.map((urn) => byUrn.get(urn) ?? urn)
        .sort();
}
