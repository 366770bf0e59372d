// Lint rules: typescript-eslint's recommended set, plus the project's own boundaries.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

/** What ships must not reach the AGPL-licensed IAM evaluator (dev and test use only). */
const AGPL_EVALUATOR = { group: ["@cloud-copilot/*"], message: "AGPL: dev scripts and tests only" };

/**
 * Nothing outside test/ imports from it (a relative path into the top-level test/ folder): code the
 * tools share with the tests (the mocks harness, stack configs) lives in harness/.
 */
const TEST_CODE = {
    regex: "^(\\.\\.?/)+test(/|$)",
    message: "tooling and shipped code never import tests: move what both need to harness/ (test-only code stays under test/)",
};

export default tseslint.config(
    { ignores: ["dist/**", "node_modules/**", "docs/**", ".tmp/**", "**/*.js", "**/*.mjs", "**/*.cjs"] },
    js.configs.recommended,
    ...tseslint.configs.recommended,
    {
        rules: {
            "@typescript-eslint/no-explicit-any": "off",
            "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
            eqeqeq: ["error", "always"],
            "no-console": "off",
        },
    },
    {
        files: ["**/*.ts"],
        ignores: ["test/**"],
        rules: { "no-restricted-imports": ["error", { patterns: [TEST_CODE] }] },
    },
    {
        // Listed again with both patterns: a later config's options replace an earlier one's.
        files: ["components/**/*.ts", "program/**/*.ts", "index.ts", "scripts/verify/**/*.ts"],
        rules: { "no-restricted-imports": ["error", { patterns: [AGPL_EVALUATOR, TEST_CODE] }] },
    },
    {
        // The library and the program never print: a log line could carry a secret.
        files: ["components/**/*.ts", "program/**/*.ts", "index.ts"],
        rules: { "no-console": "error" },
    },
);
