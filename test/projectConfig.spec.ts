/**
 * Pulumi.yaml and the stack files agree with the program: every key the program reads is declared
 * with a type and description, declared defaults are the components' defaults, and the shipped
 * stack files evaluate cleanly.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import * as defaults from "../components/defaults";
import { effectiveStackConfig, readProject, readStackFile, ROOT } from "./support/stackFiles";
import { runProgram } from "../harness/pulumiMocks";
import { CONFIG_KEY_OF_PROPERTY } from "../program/config";

/** The project keys program/config.ts reads, found in its source. */
function keysReadByProgram(): string[] {
    const source = fs.readFileSync(path.join(ROOT, "program", "config.ts"), "utf8");
    return [...new Set([...source.matchAll(/read\.(?:string|secret|boolean|versioning|integer|stringList)\("([A-Za-z]+)"\)/g)].map((m) => m[1]))].sort();
}

describe("project config: Pulumi.yaml and the stack files", () => {
    const project = readProject();

    it("declares exactly the keys the program reads, each with a type and a description", () => {
        const read = keysReadByProgram();
        assert.ok(read.length > 20, `found only ${read.length} keys in program/config.ts`);
        assert.deepEqual(Object.keys(project.config).sort(), read);
        for (const [key, declared] of Object.entries(project.config)) {
            assert.ok(["string", "boolean", "integer", "array"].includes(declared.type), `${key} has type ${declared.type}`);
            assert.ok((declared.description ?? "").length > 20, `${key} needs a description`);
        }
    });

    it("gives every optional key a default: the Pulumi CLI refuses a stack that leaves a key without one unset", () => {
        const withoutDefault = Object.entries(project.config)
            .filter(([, declared]) => !("default" in declared))
            .map(([key]) => key)
            .sort();
        assert.deepEqual(withoutDefault, ["blueAccountId", "greenAccountId", "side"], "only the required keys may lack a default");
    });

    it("maps every component argument the program passes to a declared config key, through one table", () => {
        const source = fs.readFileSync(path.join(ROOT, "program", "config.ts"), "utf8");
        const settings = source.slice(source.indexOf("const blueSettings"), source.indexOf("// Each component argument is checked once"));
        const passed = [...settings.matchAll(/^\s+(\w+)(?:,|:)/gm)].map((m) => m[1]).filter((name) => name !== "bucketSecurity" && name !== "cliProfiles");
        assert.ok(passed.length > 20, `found ${passed.length} arguments`);
        const mapped = new Set(Object.keys(CONFIG_KEY_OF_PROPERTY).map((p) => p.split(".").pop()));
        for (const argument of passed) {
            assert.ok(mapped.has(argument), `${argument} is not in CONFIG_KEY_OF_PROPERTY`);
        }
        for (const key of Object.values(CONFIG_KEY_OF_PROPERTY)) {
            assert.ok(project.config[key], `${key} is not declared in Pulumi.yaml`);
        }
    });

    it("runs index.ts as the program, not package.json's main (the component library)", () => {
        assert.equal((project as { main?: string }).main, "index.ts");
        assert.ok(fs.existsSync(path.join(ROOT, "index.ts")));
    });

    it("declares the same defaults as the components", () => {
        const declared = (key: string) => project.config[key].default;
        assert.equal(declared("roleName"), defaults.DEFAULT_ROLE_NAME);
        assert.equal(declared("policyName"), defaults.DEFAULT_POLICY_NAME);
        assert.equal(declared("groupName"), defaults.DEFAULT_GROUP_NAME);
        assert.equal(declared("groupPolicyName"), defaults.DEFAULT_GROUP_POLICY_NAME);
        assert.equal(declared("grantPolicyName"), defaults.DEFAULT_GRANT_POLICY_NAME);
        assert.equal(declared("sourceProfileName"), defaults.DEFAULT_SOURCE_PROFILE);
        for (const list of ["greenRoleNames", "greenGroupNames", "permissionSetNames", "trustedPrincipalArnPatterns"]) {
            assert.deepEqual(declared(list), [], `${list}: empty by default (the walkthrough's users and trust)`);
        }
        assert.deepEqual(declared("userNames"), defaults.DEFAULT_USER_NAMES);
        assert.equal(declared("iamPath"), defaults.DEFAULT_IAM_PATH);
        assert.equal(declared("maxSessionDurationSeconds"), defaults.DEFAULT_MAX_SESSION_DURATION_SECONDS);
        for (const secure of ["blockPublicAccess", "enforceBucketOwner", "encryption", "denyInsecureTransport", "retainBucketOnDelete", "createBucket"]) {
            assert.equal(declared(secure), true, `${secure} must default to true`);
        }
        // A string, so that it can also be "suspended" (S3 cannot unversion a bucket).
        assert.equal(declared("versioning"), "true");
    });

    it("sets only declared keys in the stack files, and turns off the default aws provider", () => {
        for (const stack of ["blue", "green"]) {
            const config = readStackFile(stack);
            for (const key of Object.keys(config).filter((k) => k.startsWith(`${project.name}:`))) {
                assert.ok(project.config[key.slice(project.name.length + 1)], `Pulumi.${stack}.yaml sets undeclared ${key}`);
            }
            assert.deepEqual(config["pulumi:disable-default-providers"], ["aws"], `Pulumi.${stack}.yaml`);
        }
    });

    it("evaluates the shipped blue stack file and then the green one, chained by StackReference", async () => {
        const blue = await runProgram(effectiveStackConfig("blue"), { stack: "blue" });
        const blueStack = readStackFile("green")[`${project.name}:blueStack`] as string;
        const blueOutputs = Object.fromEntries(Object.entries(blue.outputs).map(([k, o]) => [k, o.value]));
        const green = await runProgram(effectiveStackConfig("green"), { stack: "green", stackOutputs: { [blueStack]: blueOutputs } });
        assert.equal(blue.outputs.bucketName.value, readStackFile("blue")[`${project.name}:bucketName`]);
        assert.equal(green.outputs.roleArn.value, blue.outputs.roleArn.value);
        assert.equal(green.outputs.cliConfig.secret, true);
    });
});
