/**
 * bench/deploymentDepth.ts: the longest chain of AWS resources created one after another, computed
 * from registrations as the mock engine records them. Synthetic graphs, so each rule is seen alone.
 */
import { strict as assert } from "assert";
import { dependencyEdges, deploymentDepth, describeChain } from "../bench/deploymentDepth";
import type { Registration } from "../bench/engine/languageHost";

const STACK = "urn:pulumi:s::p::pulumi:pulumi:Stack::p-s";
const urn = (type: string, name: string) => `urn:pulumi:s::p::${type}::${name}`;

/** A registration with defaults: custom, no dependencies. */
function reg(type: string, name: string, extra: Partial<Registration> = {}): Registration {
    return { type, name, urn: urn(type, name), custom: true, dependencies: [], propertyDependencies: {}, inputs: {}, ...extra };
}

const provider = reg("pulumi:providers:aws", "blue", { parent: STACK });
const providerRef = `${provider.urn}::blue-id`;
const aws = (type: string, name: string, extra: Partial<Registration> = {}) => reg(`aws:${type}`, name, { provider: providerRef, ...extra });

describe("bench: deployment depth from registered dependencies", () => {
    it("follows inputs and dependsOn, counts AWS resources only, and names why each step waits", () => {
        const bucket = aws("s3/bucket:Bucket", "bucket");
        const block = aws("s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "block", {
            dependencies: [bucket.urn],
            propertyDependencies: { bucket: [bucket.urn] },
        });
        const policy = aws("s3/bucketPolicy:BucketPolicy", "policy", {
            dependencies: [bucket.urn, block.urn],
            propertyDependencies: { bucket: [bucket.urn] },
        });
        const role = aws("iam/role:Role", "role");
        const depth = deploymentDepth([reg("pulumi:pulumi:Stack", "p-s", { custom: false }), provider, bucket, block, policy, role]);
        assert.equal(depth.depth, 3);
        assert.equal(depth.resources, 4);
        assert.deepEqual(describeChain(depth.chain), [
            "pulumi:providers:aws blue",
            "aws:s3/bucket:Bucket bucket: waits for its provider",
            "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock block: waits for the previous step's output, its input `bucket`",
            "aws:s3/bucketPolicy:BucketPolicy policy: waits for the previous step by `dependsOn`, an ordering the program asks for (no value passes)",
        ]);
        assert.deepEqual(
            depth.chain.map((step) => step.counted),
            [false, true, true, true],
        );
    });

    it("reads a dependency on a component as a dependency on each of its resources", () => {
        const component = reg("acme:index:Side", "side", { custom: false });
        const first = aws("iam/policy:Policy", "first", { parent: component.urn });
        const second = aws("iam/role:Role", "second", { parent: component.urn, dependencies: [first.urn], propertyDependencies: { managedPolicyArns: [first.urn] } });
        const after = aws("iam/group:Group", "after", { dependencies: [component.urn] });
        const edges = dependencyEdges([provider, component, first, second, after]);
        const into = edges
            .filter((e) => e.to === after.urn && e.kind === "dependsOn")
            .map((e) => e.from)
            .sort();
        assert.deepEqual(into, [first.urn, second.urn].sort());
        assert.equal(deploymentDepth([provider, component, first, second, after]).depth, 3);
    });

    it("refuses a cycle instead of reporting a depth", () => {
        const a = aws("iam/role:Role", "a", { dependencies: [urn("aws:iam/role:Role", "b")] });
        const b = aws("iam/role:Role", "b", { dependencies: [a.urn] });
        assert.throws(() => deploymentDepth([provider, a, b]), /dependency cycle/);
    });
});
