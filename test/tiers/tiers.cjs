/**
 * Which specs run in which test tier. One list, so that every test is in exactly one tier:
 *
 * - unit (`npm run test:unit`): the pure and mocks suites, one mocha process, no child process worth
 *   waiting for (the stand-in `pulumi` is a shell script);
 * - e2e (`npm run test:e2e`): moto, fake AWS endpoints behind the verify CLI, the policy pack over
 *   gRPC, action-validator: suites that start processes or servers. Whole files by name, plus
 *   suites inside unit files picked by title (the unit tier runs the same files without them);
 * - package (`npm run test:package`): what ships (manifest, AGPL boundary, API docs), next to the
 *   consumer test (test/package/consumerTest.ts).
 *
 * The base options (tsx, timeout, reporter) are .mocharc.json's, which `npx mocha FILE` uses alone.
 */
const base = require("../../.mocharc.json");

/** Whole files of the e2e tier. New end-to-end files: name them `*.e2e.spec.ts`. */
const E2E_FILES = ["test/*.e2e.spec.ts", "test/verify.roleConditions.spec.ts", "test/workflows.spec.ts"];

/** Suites of unit-tier files that start child processes, by the start of their full title. */
const E2E_SUITES = [
    "policy pack served over gRPC",
    "readPort ",
    "verify script: waiting for IAM \\(AccessDenied, an access key not known yet\\) .* the CLI, run as a user runs it",
];

const UNIT_FILES = { spec: ["test/*.spec.ts"], ignore: E2E_FILES };
const E2E_SUITES_GREP = `^(${E2E_SUITES.join("|")})`;

module.exports = {
    E2E_SUITES,
    unit: { ...base, ...UNIT_FILES, grep: E2E_SUITES_GREP, invert: true },
    e2eFiles: { ...base, spec: E2E_FILES },
    e2eSuites: { ...base, ...UNIT_FILES, grep: E2E_SUITES_GREP },
    package: { ...base, spec: ["test/package/*.spec.ts"] },
};
