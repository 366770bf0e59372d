// @ts-check
/**
 * How `pulumi preview` and `pulumi up` start this program fast. Pulumi.yaml turns the SDK's own
 * TypeScript support off (`typescript: false`: no ts-node, no type check at start) and preloads this
 * file (`nodeargs: --require ./program/fastStart.js`), which does two things before the SDK loads:
 *
 * 1. It compiles each of the project's own `.ts` files, as Node loads it, with Sucrase (TypeScript
 *    syntax and ES imports to CommonJS, nothing else). Files under node_modules are never touched,
 *    so the SDK and the AWS provider load as the plain JavaScript they are. Sucrase keeps every line
 *    where it was, so an error's stack trace names the right line of the .ts file without source maps.
 *    The type check runs once, in `npm test` (`tsc --noEmit`), which CI runs before any preview or
 *    deploy; the SDK's ts-node would repeat it, the AWS provider's declarations included, on every
 *    preview (CI is always cold; BENCHMARKS.md has the figures).
 *
 * 2. It keeps V8's own stack-trace formatting. The SDK's cmd/run installs source-map-support, which
 *    formats every stack trace through source maps, and the SDK captures a stack trace for each of
 *    its internal promises and each resource: formatting them was most of this program's start-up.
 *    Installing source-map-support here first, without its formatter, makes cmd/run's install leave
 *    the formatter alone (source-map-support installs it once per process). What changes: a frame
 *    inside the SDK shows the SDK's compiled .js line instead of its .ts source; this project's
 *    frames are unchanged (see 1).
 */
"use strict";
const { readFileSync } = require("node:fs");
const Module = require("node:module");
const path = require("node:path");
const { transform } = require("sucrase");

/** The project's folder (this file is in program/), with a trailing separator. */
const projectRoot = path.resolve(__dirname, "..") + path.sep;
const vendored = `${path.sep}node_modules${path.sep}`;

// 1. The project's TypeScript, compiled by Sucrase.
/** @type {Record<string, (module: NodeJS.Module, filename: string) => void>} */
const extensions = /** @type {any} */ (Module)._extensions;
// Node lists no `.ts` loader: it sends a required .ts file to its `.js` loader, which strips types
// (Node 22.18+ and 24; no import conversion) and refuses files under node_modules. TypeScript outside
// this project keeps exactly that. Listing `.ts` also lets `require("./main")` find main.ts.
const nodeOwnLoader = extensions[".ts"] ?? extensions[".js"];

extensions[".ts"] = function compileProjectTypeScript(module, filename) {
    if (!filename.startsWith(projectRoot) || filename.includes(vendored)) {
        return nodeOwnLoader(module, filename);
    }
    const { code } = transform(readFileSync(filename, "utf8"), {
        transforms: ["typescript", "imports"],
        // Class fields, optional chaining and the like stay native, as tsc emits them for ES2022.
        disableESTransforms: true,
        filePath: filename,
    });
    /** @type {any} */ (module)._compile(code, filename);
};

// 2. V8's stack-trace formatting: the SDK's own copy of source-map-support, installed without its formatter.
const sdkFolder = path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [projectRoot] }));
const sourceMapSupport = require(require.resolve("source-map-support", { paths: [sdkFolder] }));
const v8Formatter = Error.prepareStackTrace;
// cmd/run's own install still adds the handler that prints an uncaught exception with its source line.
sourceMapSupport.install({ handleUncaughtExceptions: false });
Error.prepareStackTrace = v8Formatter;
