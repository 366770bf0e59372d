// Lint rules: typescript-eslint's recommended set, plus the project's own boundaries.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
    { ignores: ["dist/**", "node_modules/**", "docs/**", ".tmp/**", "**/*.js", "**/*.mjs"] },
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
        // What ships must not reach the AGPL-licensed IAM evaluator (dev and test use only).
        files: ["components/**/*.ts", "program/**/*.ts", "index.ts", "scripts/verify/**/*.ts"],
        rules: {
            "no-restricted-imports": ["error", { patterns: [{ group: ["@cloud-copilot/*"], message: "AGPL: dev scripts and tests only" }] }],
        },
    },
    {
        // The library and the program never print: a log line could carry a secret.
        files: ["components/**/*.ts", "program/**/*.ts", "index.ts"],
        rules: { "no-console": "error" },
    },
);
