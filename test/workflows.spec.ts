/**
 * The GitHub Actions workflows: valid for the `action-validator` schema check (the installed
 * @action-validator/cli), and holding the invariants of the CI/CD design (docs/ci-cd.md).
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import { load } from "js-yaml";
import * as os from "os";
import * as path from "path";

const ROOT = path.join(__dirname, "..");
const WORKFLOWS = path.join(ROOT, ".github", "workflows");
const VALIDATOR = path.join(ROOT, "node_modules", ".bin", "action-validator");

interface Step {
    readonly name?: string;
    readonly uses?: string;
    readonly run?: string;
    readonly with?: Record<string, unknown>;
    readonly if?: string;
}

interface Job {
    readonly needs?: string | string[];
    readonly environment?: string | { name: string };
    readonly permissions?: Record<string, string>;
    readonly concurrency?: { group: string; "cancel-in-progress"?: boolean };
    readonly strategy?: { matrix?: { include?: Record<string, string>[] } };
    readonly env?: Record<string, string>;
    readonly steps?: Step[];
}

interface Workflow {
    readonly on: Record<string, unknown>;
    readonly permissions?: Record<string, string>;
    readonly concurrency?: { group: string; "cancel-in-progress"?: boolean };
    readonly jobs: Record<string, Job>;
}

function workflowFiles(): string[] {
    return fs.readdirSync(WORKFLOWS).filter((file) => /\.ya?ml$/.test(file)).sort();
}

function readWorkflow(file: string): Workflow {
    return load(fs.readFileSync(path.join(WORKFLOWS, file), "utf8")) as Workflow;
}

function validate(file: string): { status: number | null; output: string } {
    const result = spawnSync(VALIDATOR, [file], { encoding: "utf8" });
    return { status: result.status, output: `${result.stdout}${result.stderr}${result.error ?? ""}` };
}

function needsOf(job: Job): string[] {
    return job.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs];
}

function stepsUsing(job: Job, action: string): Step[] {
    return (job.steps ?? []).filter((step) => step.uses?.split("@")[0] === action);
}

/** Every job of every workflow, as `file: job`. */
function allJobs(): { id: string; file: string; name: string; job: Job; workflow: Workflow }[] {
    return workflowFiles().flatMap((file) => {
        const workflow = readWorkflow(file);
        return Object.entries(workflow.jobs).map(([name, job]) => ({ id: `${file}: ${name}`, file, name, job, workflow }));
    });
}

describe("GitHub Actions workflows", function () {
    this.timeout(60_000);

    it("exist: a pull request workflow and a deploy workflow", () => {
        assert.deepStrictEqual(workflowFiles(), ["deploy.yml", "pull-request.yml"]);
    });

    describe("action-validator", () => {
        for (const file of workflowFiles()) {
            it(`accepts ${file}`, () => {
                const { status, output } = validate(path.join(WORKFLOWS, file));
                assert.strictEqual(status, 0, output);
            });
        }

        it("rejects a broken workflow (so the check can fail)", () => {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "workflow-"));
            try {
                const broken = path.join(dir, "broken.yml");
                // `needs` names a job that does not exist, and `id-token` has no such level.
                fs.writeFileSync(broken, [
                    "name: broken",
                    "on: push",
                    "jobs:",
                    "  green:",
                    "    needs: bleu",
                    "    runs-on: ubuntu-latest",
                    "    permissions:",
                    "      id-token: writ",
                    "    steps:",
                    "      - run: echo hi",
                    "",
                ].join("\n"));
                const { status, output } = validate(broken);
                assert.notStrictEqual(status, 0, output);
                assert.match(output, /unresolved job bleu/);
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        });
    });

    describe("deploy.yml", () => {
        const deploy = () => readWorkflow("deploy.yml");

        it("runs on pushes to main", () => {
            assert.deepStrictEqual((deploy().on["push"] as { branches: string[] }).branches, ["main"]);
        });

        it("orders the jobs test -> blue -> green -> verify", () => {
            const { jobs } = deploy();
            assert.deepStrictEqual(needsOf(jobs["blue"]), ["test"]);
            assert.deepStrictEqual(needsOf(jobs["green"]), ["blue"]);
            assert.deepStrictEqual(needsOf(jobs["verify"]), ["green"]);
        });

        it("deploys each stack with pulumi up, the policy pack, in its own environment, one deploy at a time", () => {
            const workflow = deploy();
            assert.strictEqual(workflow.concurrency?.["cancel-in-progress"], false, "workflow concurrency");
            for (const side of ["blue", "green"]) {
                const job = workflow.jobs[side];
                assert.strictEqual(job.environment, side);
                assert.match(job.concurrency?.group ?? "", new RegExp(`PULUMI_STACK_${side.toUpperCase()}`));
                assert.strictEqual(job.concurrency?.["cancel-in-progress"], false, `${side} concurrency`);
                const up = stepsUsing(job, "pulumi/actions").filter((step) => step.with?.["command"] !== undefined);
                assert.strictEqual(up.length, 1, `${side}: one pulumi/actions command`);
                assert.strictEqual(up[0].with?.["command"], "up");
                assert.strictEqual(up[0].with?.["policyPacks"], "${{ github.workspace }}/policy");
                assert.match(String(job.env?.["STACK"]), new RegExp(`vars\\.PULUMI_STACK_${side.toUpperCase()} \\|\\| '${side}'`));
                const credentials = stepsUsing(job, "aws-actions/configure-aws-credentials");
                assert.strictEqual(credentials[0]?.with?.["role-to-assume"], `\${{ vars.${side.toUpperCase()}_DEPLOY_ROLE_ARN }}`);
            }
        });

        it("verifies with the green user's keys read from the green stack and masked, without an OIDC token", () => {
            const job = deploy().jobs["verify"];
            const script = (job.steps ?? []).map((step) => step.run ?? "").join("\n");
            assert.match(script, /pulumi stack output secretAccessKeys --stack "\$GREEN_STACK" --show-secrets --json/);
            assert.match(script, /::add-mask::/);
            assert.ok(script.indexOf("::add-mask::") < script.indexOf("pulumi stack output cliConfig"), "keys are masked before the config holding them is read");
            assert.match(script, /npm run verify -- --stack "\$BLUE_STACK" --source-profile green/);
            assert.strictEqual(job.permissions?.["id-token"], undefined);
            const cleanup = (job.steps ?? []).at(-1);
            assert.strictEqual(cleanup?.if, "always()");
            assert.match(cleanup?.run ?? "", /rm -rf/);
        });
    });

    describe("pull-request.yml", () => {
        const pr = () => readWorkflow("pull-request.yml");

        it("previews blue and green with pulumi/actions, commenting on the PR, with the policy pack", () => {
            const job = pr().jobs["preview"];
            const include = job.strategy?.matrix?.include ?? [];
            assert.deepStrictEqual(include.map((entry) => entry["side"]), ["blue", "green"]);
            assert.match(include[0]["role"], /vars\.BLUE_PREVIEW_ROLE_ARN \|\| vars\.BLUE_DEPLOY_ROLE_ARN/);
            assert.match(include[1]["role"], /vars\.GREEN_PREVIEW_ROLE_ARN \|\| vars\.GREEN_DEPLOY_ROLE_ARN/);
            const preview = stepsUsing(job, "pulumi/actions").filter((step) => step.with?.["command"] !== undefined);
            assert.strictEqual(preview.length, 1);
            assert.deepStrictEqual(
                { command: preview[0].with?.["command"], comment: preview[0].with?.["comment-on-pr"], packs: preview[0].with?.["policyPacks"] },
                { command: "preview", comment: true, packs: "${{ github.workspace }}/policy" },
            );
            assert.strictEqual(job.permissions?.["pull-requests"], "write");
        });

        it("runs the tests and posts the access report as a sticky comment", () => {
            const job = pr().jobs["test"];
            const runs = (job.steps ?? []).map((step) => step.run);
            assert.ok(runs.includes("npm test"), JSON.stringify(runs));
            assert.ok(runs.some((run) => run?.startsWith("npm run --silent access-report")), JSON.stringify(runs));
            const comment = stepsUsing(job, "marocchino/sticky-pull-request-comment");
            assert.strictEqual(comment.length, 1);
            assert.strictEqual(comment[0].with?.["header"], "access-report");
        });

        it("skips what needs secrets or a write token on pull requests from forks", () => {
            const { jobs } = pr();
            const sameRepo = "github.event.pull_request.head.repo.full_name == github.repository";
            assert.strictEqual((jobs["preview"] as { if?: string }).if, sameRepo);
            assert.strictEqual(stepsUsing(jobs["test"], "marocchino/sticky-pull-request-comment")[0].if, sameRepo);
        });
    });

    describe("every workflow", () => {
        it("asks for no permission by default, and each job for what it uses", () => {
            for (const { id, job, workflow } of allJobs()) {
                assert.deepStrictEqual(workflow.permissions, {}, `${id}: workflow permissions`);
                assert.ok(job.permissions && job.permissions["contents"] === "read", `${id}: contents: read`);
                for (const [scope, level] of Object.entries(job.permissions)) {
                    assert.ok(["contents", "id-token", "pull-requests"].includes(scope), `${id}: unexpected permission ${scope}`);
                    if (scope === "contents") {
                        assert.strictEqual(level, "read", `${id}: contents`);
                    }
                }
            }
        });

        it("sets id-token: write exactly on the jobs that reach AWS through OIDC, and passes them a role", () => {
            const oidcJobs: string[] = [];
            for (const { id, job } of allJobs()) {
                const credentials = stepsUsing(job, "aws-actions/configure-aws-credentials");
                assert.strictEqual(job.permissions?.["id-token"] === "write", credentials.length > 0, `${id}: id-token`);
                for (const step of credentials) {
                    assert.match(String(step.with?.["role-to-assume"]), /^\$\{\{ .*(vars\.[A-Z_]+_ROLE_ARN|matrix\.role).* \}\}$/, `${id}: role-to-assume`);
                    assert.match(String(step.with?.["aws-region"]), /vars\.AWS_REGION/, `${id}: aws-region`);
                }
                if (credentials.length > 0) {
                    oidcJobs.push(id);
                }
            }
            assert.deepStrictEqual(oidcJobs, ["deploy.yml: blue", "deploy.yml: green", "pull-request.yml: preview"]);
        });

        it("passes no AWS keys: no aws-access-key-id / aws-secret-access-key inputs, and no secret but PULUMI_ACCESS_TOKEN", () => {
            for (const { id, job } of allJobs()) {
                for (const step of job.steps ?? []) {
                    for (const input of ["aws-access-key-id", "aws-secret-access-key", "aws-session-token"]) {
                        assert.strictEqual(step.with?.[input], undefined, `${id}: ${input}`);
                    }
                }
            }
            for (const file of workflowFiles()) {
                const text = fs.readFileSync(path.join(WORKFLOWS, file), "utf8");
                const secrets = new Set([...text.matchAll(/secrets\.([A-Za-z0-9_]+)/g)].map((match) => match[1]));
                assert.deepStrictEqual([...secrets], ["PULUMI_ACCESS_TOKEN"], file);
            }
        });

        it("pins every action to a major version or a commit SHA", () => {
            for (const { id, job } of allJobs()) {
                for (const step of job.steps ?? []) {
                    if (step.uses) {
                        assert.match(step.uses, /^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@(v\d+|[0-9a-f]{40})$/, `${id}: ${step.uses}`);
                    }
                }
            }
        });

        it("sets up Node 20 with the npm cache, installs with npm ci before any npm run or Pulumi command, and tests on every path to a deploy", () => {
            for (const { id, name, job, file } of allJobs()) {
                const steps = job.steps ?? [];
                const node = stepsUsing(job, "actions/setup-node");
                assert.strictEqual(node.length, 1, `${id}: setup-node`);
                assert.deepStrictEqual({ version: node[0].with?.["node-version"], cache: node[0].with?.["cache"] }, { version: 20, cache: "npm" }, id);
                const install = steps.findIndex((step) => step.run === "npm ci");
                // The Pulumi program and the policy pack run from node_modules too.
                const firstNpmRun = steps.findIndex((step) => /\bnpm (test|run)\b/.test(step.run ?? "") || step.with?.["command"] !== undefined);
                assert.ok(install >= 0, `${id}: npm ci`);
                assert.ok(firstNpmRun === -1 || install < firstNpmRun, `${id}: npm ci before npm run`);
                if (name === "test") {
                    assert.ok(steps.some((step) => step.run === "npm test"), `${id}: npm test`);
                }
                assert.ok(file !== "deploy.yml" || name === "test" || needsOf(job).length > 0, `${id}: must wait for the tests`);
            }
        });

        it("runs only npm scripts that package.json has", () => {
            const scripts = (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
            for (const { id, job } of allJobs()) {
                for (const step of job.steps ?? []) {
                    for (const match of (step.run ?? "").matchAll(/\bnpm run (?:--silent )?([\w:-]+)/g)) {
                        assert.ok(match[1] in scripts, `${id}: npm run ${match[1]}`);
                    }
                }
            }
        });
    });
});
