// @ts-check
/**
 * Preloaded (`node -r`) into the program's process in place of the Pulumi engine, the way
 * `bench/coldStart.ts` and `bench/deploymentDepth.ts` start the program: `cmd/run --monitor mock`
 * then uses these mocks. Plain JavaScript, so that measuring a TypeScript loader does not need one
 * for the harness itself.
 *
 * Environment:
 * - MOCK_ENGINE_STACK_OUTPUTS: a JSON file `{ "ORG/PROJECT/STACK": { output: value } }` that the
 *   program's StackReferences read.
 * - MOCK_ENGINE_RECORD: a file to write, at exit, every registration the program sent (type, name,
 *   URN, custom, parent, provider, dependencies, property dependencies, inputs with secrets
 *   unwrapped), the stack's outputs and the process's CPU time.
 *
 * Mocks answer like AWS would, enough for the program to run: ids and ARNs in the account of the
 * provider that made the resource (its `allowedAccountIds`).
 */
"use strict";
const { readFileSync, writeFileSync } = require("node:fs");
const path = require("node:path");

// The program's own copy of the SDK: the one cmd/run (started from the same node_modules) uses.
const root = process.cwd();
const pulumi = require(require.resolve("@pulumi/pulumi", { paths: [root] }));
const rpc = require(require.resolve("@pulumi/pulumi/runtime/rpc", { paths: [root] }));
const settings = require(require.resolve("@pulumi/pulumi/runtime/settings", { paths: [root] }));

const SECRET_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** @param {unknown} value */
function unwrapSecrets(value) {
    if (Array.isArray(value)) {
        return value.map(unwrapSecrets);
    }
    if (value && typeof value === "object") {
        const record = /** @type {Record<string, unknown>} */ (value);
        if (record[SECRET_KEY] === SECRET_SIG) {
            return unwrapSecrets(record.value);
        }
        return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, unwrapSecrets(v)]));
    }
    return value;
}

const stackOutputs = process.env.MOCK_ENGINE_STACK_OUTPUTS ? JSON.parse(readFileSync(process.env.MOCK_ENGINE_STACK_OUTPUTS, "utf8")) : {};
/** @type {Map<string, { account: string, region: string }>} provider id -> its account and region */
const providers = new Map();
let keys = 0;

/** @param {string | undefined} reference a provider reference, `URN::ID` */
function providerOf(reference) {
    const id = reference ? reference.split("::").pop() : undefined;
    return (id && providers.get(id)) || { account: "000000000000", region: "us-east-1" };
}

/** @type {import("@pulumi/pulumi").runtime.Mocks} */
const mocks = {
    newResource(args) {
        const inputs = unwrapSecrets(args.inputs || {});
        if (args.type === "pulumi:providers:aws") {
            const allowed = typeof inputs.allowedAccountIds === "string" ? JSON.parse(inputs.allowedAccountIds) : inputs.allowedAccountIds;
            providers.set(`${args.name}-id`, { account: (allowed && allowed[0]) || "000000000000", region: inputs.region || "us-east-1" });
            return { id: `${args.name}-id`, state: inputs };
        }
        if (args.type === "pulumi:pulumi:StackReference") {
            const name = inputs.name || args.name;
            if (!stackOutputs[name]) {
                throw new Error(`mock engine: no outputs for stack ${name} (MOCK_ENGINE_STACK_OUTPUTS)`);
            }
            return { id: name, state: { name, outputs: stackOutputs[name], secretOutputNames: [] } };
        }
        const { account, region } = providerOf(args.provider);
        const iamArn = (/** @type {string} */ kind) => `arn:aws:iam::${account}:${kind}${inputs.path || "/"}${inputs.name}`;
        switch (args.type) {
            case "aws:s3/bucket:Bucket":
                return { id: inputs.bucket, state: { ...inputs, arn: `arn:aws:s3:::${inputs.bucket}`, region } };
            case "aws:iam/role:Role":
                return { id: inputs.name, state: { ...inputs, arn: iamArn("role"), uniqueId: "AROAMOCK" } };
            case "aws:iam/policy:Policy":
                return { id: iamArn("policy"), state: { ...inputs, arn: iamArn("policy") } };
            case "aws:iam/group:Group":
                return { id: inputs.name, state: { ...inputs, arn: iamArn("group") } };
            case "aws:iam/user:User":
                return { id: inputs.name, state: { ...inputs, arn: iamArn("user") } };
            case "aws:iam/accessKey:AccessKey":
                keys += 1;
                return { id: `AKIAMOCK${String(keys).padStart(12, "0")}`, state: { ...inputs, secret: `mock-secret-${keys}`, status: "Active" } };
            default:
                return { id: `${args.name}-id`, state: inputs };
        }
    },
    call(args) {
        const { account, region } = providerOf(args.provider);
        switch (args.token) {
            case "aws:index/getRegion:getRegion":
                return { region, name: region, id: region };
            case "aws:index/getCallerIdentity:getCallerIdentity":
                return { accountId: account, arn: `arn:aws:iam::${account}:user/mock`, userId: "AIDAMOCK", id: account };
            case "aws:index/getPartition:getPartition":
                return { partition: "aws", dnsSuffix: "amazonaws.com", id: "aws" };
            default:
                throw new Error(`mock engine: no answer for invoke ${args.token}`);
        }
    },
};

// cmd/run reads the project, stack and preview flag from its arguments; the mocks take the same.
const argv = process.argv;
const flag = (/** @type {string} */ name) => {
    const at = argv.indexOf(`--${name}`);
    return at >= 0 ? argv[at + 1] : undefined;
};
pulumi.runtime.setMocks(mocks, flag("project"), flag("stack"), argv.includes("--dry-run"));
// cmd/run tells the engine it is done before exiting; the SDK's MockMonitor has no such call.
const mockMonitor = settings.getMonitor();
if (typeof mockMonitor.signalAndWaitForShutdown !== "function") {
    mockMonitor.signalAndWaitForShutdown = (/** @type {unknown} */ _request, /** @type {(e: null, r: object) => void} */ callback) => callback(null, {});
}

const record = process.env.MOCK_ENGINE_RECORD;
if (record) {
    /** @type {object[]} */
    const registrations = [];
    /** @type {Record<string, unknown>} */
    let outputs = {};
    const monitor = mockMonitor;
    const registerResource = monitor.registerResource.bind(monitor);
    monitor.registerResource = (/** @type {any} */ req, /** @type {any} */ callback) => {
        /** @type {Record<string, string[]>} */
        const propertyDependencies = {};
        req.getPropertydependenciesMap().forEach((/** @type {any} */ deps, /** @type {string} */ key) => {
            propertyDependencies[key] = deps.getUrnsList();
        });
        const entry = {
            type: req.getType(),
            name: req.getName(),
            urn: "",
            custom: req.getCustom(),
            parent: req.getParent() || undefined,
            provider: req.getProvider() || undefined,
            dependencies: req.getDependenciesList(),
            propertyDependencies,
            inputs: unwrapSecrets(rpc.deserializeProperties(req.getObject())),
        };
        registrations.push(entry);
        return registerResource(req, (/** @type {any} */ error, /** @type {any} */ response) => {
            if (response) {
                entry.urn = response.getUrn();
            }
            callback(error, response);
        });
    };
    const registerResourceOutputs = monitor.registerResourceOutputs.bind(monitor);
    monitor.registerResourceOutputs = (/** @type {any} */ req, /** @type {any} */ callback) => {
        if (req.getUrn().split("::")[2] === "pulumi:pulumi:Stack") {
            outputs = unwrapSecrets(rpc.deserializeProperties(req.getOutputs()));
        }
        return registerResourceOutputs(req, callback);
    };
    process.on("exit", () => {
        // CPU time of the whole process (every thread), which a busy machine does not inflate as it does wall time.
        const cpu = process.cpuUsage();
        writeFileSync(path.resolve(record), JSON.stringify({ registrations, outputs, cpuMs: (cpu.user + cpu.system) / 1000 }, null, 2) + "\n");
    });
}
