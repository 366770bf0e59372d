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
    readonly env?: Record<string, string>;
    readonly if?: string;
}

interface Job {
    readonly if?: string;
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

/** True when the job runs the repository's code: it checks it out. */
function checksOut(job: Job): boolean {
    return stepsUsing(job, "actions/checkout").length > 0;
}

const ON_MAIN = "github.ref == 'refs/heads/main'";

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

        it("deploys only from main: a manual run may name any ref, so every job after the tests checks it", () => {
            const workflow = deploy();
            assert.ok("workflow_dispatch" in workflow.on, "manual runs stay possible");
            for (const [name, job] of Object.entries(workflow.jobs)) {
                if (name !== "test") {
                    assert.strictEqual(job.if, ON_MAIN, `${name}: if`);
                }
            }
            assert.deepStrictEqual(Object.keys(workflow.jobs), ["test", "blue", "green", "verify"]);
        });

        it("runs every main pipeline in one fixed concurrency group, and a run on another ref in a group of its own", () => {
            const { concurrency } = deploy();
            // Not `deploy-${{ github.ref }}`: a group per ref would let a run on another ref deploy beside main's.
            assert.strictEqual(
                concurrency?.group,
                "${{ github.ref == 'refs/heads/main' && 'deploy-main' || format('deploy-not-main-{0}', github.run_id) }}",
            );
            assert.strictEqual(concurrency?.["cancel-in-progress"], false);
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
            const preview = stepsUsing(job, "pulumi/actions").filter((step) => step.with?.["command"] !== undefined);
            assert.strictEqual(preview.length, 1);
            assert.deepStrictEqual(
                { command: preview[0].with?.["command"], comment: preview[0].with?.["comment-on-pr"], packs: preview[0].with?.["policyPacks"] },
                { command: "preview", comment: true, packs: "${{ github.workspace }}/policy" },
            );
            assert.strictEqual(job.permissions?.["pull-requests"], "write");
        });

        it("previews with the preview roles only: no fallback to a deploy role anywhere in the workflow", () => {
            const job = pr().jobs["preview"];
            const include = job.strategy?.matrix?.include ?? [];
            assert.deepStrictEqual(
                include.map((entry) => ({ role: entry["role"], variable: entry["role_variable"] })),
                [
                    { role: "${{ vars.BLUE_PREVIEW_ROLE_ARN }}", variable: "BLUE_PREVIEW_ROLE_ARN" },
                    { role: "${{ vars.GREEN_PREVIEW_ROLE_ARN }}", variable: "GREEN_PREVIEW_ROLE_ARN" },
                ],
            );
            assert.strictEqual(stepsUsing(job, "aws-actions/configure-aws-credentials")[0]?.with?.["role-to-assume"], "${{ matrix.role }}");
            assert.doesNotMatch(fs.readFileSync(path.join(WORKFLOWS, "pull-request.yml"), "utf8"), /DEPLOY_ROLE_ARN/);
        });

        describe("stops a preview whose role is not set, before anything else", () => {
            const check = () => {
                const job = pr().jobs["preview"];
                const index = (job.steps ?? []).findIndex((step) => step.name === "Require the preview role");
                assert.strictEqual(index, 0, "the first step");
                return job.steps![index];
            };
            const run = (role: string) =>
                spawnSync("bash", ["-e", "-c", check().run!], { encoding: "utf8", env: { ...process.env, ROLE: role, ROLE_VARIABLE: "BLUE_PREVIEW_ROLE_ARN" } });

            it("reads the matrix's role and variable name", () => {
                assert.deepStrictEqual(check().env, { ROLE: "${{ matrix.role }}", ROLE_VARIABLE: "${{ matrix.role_variable }}" });
            });

            it("fails with an error annotation naming the variable when the role is empty", () => {
                const result = run("");
                assert.strictEqual(result.status, 1, result.stderr);
                assert.match(result.stdout, /^::error title=No preview role::The repository variable BLUE_PREVIEW_ROLE_ARN is not set\./);
            });

            it("passes when the role is set", () => {
                const result = run("arn:aws:iam::111111111111:role/github-preview");
                assert.deepStrictEqual({ status: result.status, stdout: result.stdout }, { status: 0, stdout: "" });
            });
        });

        it("runs the tests and builds the access report with a read-only token, and uploads the report", () => {
            const job = pr().jobs["test"];
            assert.deepStrictEqual(job.permissions, { contents: "read" });
            const runs = (job.steps ?? []).map((step) => step.run);
            assert.ok(runs.includes("npm test"), JSON.stringify(runs));
            assert.ok(runs.some((run) => run?.startsWith("npm run --silent access-report > \"$RUNNER_TEMP/access-report.md\"")), JSON.stringify(runs));
            const upload = stepsUsing(job, "actions/upload-artifact");
            assert.strictEqual(upload.length, 1);
            assert.deepStrictEqual(
                { name: upload[0].with?.["name"], path: upload[0].with?.["path"] },
                { name: "access-report", path: "${{ runner.temp }}/access-report.md" },
            );
            assert.deepStrictEqual(stepsUsing(job, "marocchino/sticky-pull-request-comment"), []);
        });

        it("posts the access report from a job that runs no code of the pull request", () => {
            const job = pr().jobs["access-report"];
            assert.deepStrictEqual(needsOf(job), ["test"]);
            assert.deepStrictEqual(job.permissions, { "pull-requests": "write" });
            assert.deepStrictEqual((job.steps ?? []).map((step) => step.uses?.split("@")[0]), ["actions/download-artifact", "marocchino/sticky-pull-request-comment"]);
            assert.ok((job.steps ?? []).every((step) => step.run === undefined), "no run step");
            const [download, comment] = job.steps ?? [];
            assert.strictEqual(download.with?.["name"], "access-report");
            assert.strictEqual(comment.with?.["header"], "access-report");
            assert.strictEqual(comment.with?.["path"], `${download.with?.["path"]}/access-report.md`);
        });

        it("gives pull-requests: write only to the comment job and to preview (whose pulumi/actions comments itself)", () => {
            const writers = Object.entries(pr().jobs).filter(([, job]) => job.permissions?.["pull-requests"] === "write").map(([name]) => name);
            assert.deepStrictEqual(writers, ["access-report", "preview"]);
            assert.ok(!checksOut(pr().jobs["access-report"]));
        });

        it("skips what needs secrets or a write token on pull requests from forks", () => {
            const { jobs } = pr();
            const sameRepo = "github.event.pull_request.head.repo.full_name == github.repository";
            assert.strictEqual(jobs["preview"].if, sameRepo);
            assert.strictEqual(jobs["access-report"].if, sameRepo);
            assert.strictEqual(jobs["test"].if, undefined, "the tests run for forks too");
        });
    });

    describe("every workflow", () => {
        it("asks for no permission by default, and each job for what it uses", () => {
            for (const { id, job, workflow } of allJobs()) {
                assert.deepStrictEqual(workflow.permissions, {}, `${id}: workflow permissions`);
                assert.ok(job.permissions, `${id}: permissions`);
                assert.strictEqual(job.permissions["contents"], checksOut(job) ? "read" : undefined, `${id}: contents: read exactly when it checks out`);
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
                assert.ok(file !== "deploy.yml" || name === "test" || needsOf(job).length > 0, `${id}: must wait for the tests`);
                if (!checksOut(job)) {
                    // Works on artifacts only (the access report comment): no Node, no npm.
                    assert.ok(steps.every((step) => step.run === undefined && step.with?.["command"] === undefined), `${id}: runs nothing`);
                    continue;
                }
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
