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
 *    Each output is kept in node_modules/.cache/, named by the SHA-256 of the Sucrase version, its
 *    options and the file's exact text: a changed file is compiled again, so the cache can never run
 *    old code, and a file found there costs no Sucrase at all. `npm ci` and `npm install` fill it
 *    (the `prepare` script runs this file with `--fill-cache`).
 *    The type check runs once, in `npm test` (`tsc --noEmit`), which CI runs before any preview or
 *    deploy; the SDK's ts-node would repeat it, the AWS provider's declarations included, on every
 *    preview (CI is always cold; BENCHMARKS.md has the figures).
 *
 * 2. It keeps Node's own stack-trace formatting. The SDK's cmd/run installs source-map-support, which
 *    formats every stack trace through source maps, and the SDK captures a stack trace for each of
 *    its internal promises and each resource: formatting them was most of this program's start-up.
 *    Installing source-map-support here first, without its formatter, makes cmd/run's install leave
 *    the formatter alone (source-map-support installs it once per process). What changes: a frame
 *    inside the SDK shows the SDK's compiled .js line instead of its .ts source; this project's
 *    frames are unchanged (see 1).
 */
"use strict";
const { createHash } = require("node:crypto");
const { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } = require("node:fs");
const Module = require("node:module");
const path = require("node:path");

/** The project's folder (this file is in program/), with a trailing separator. */
const projectRoot = path.resolve(__dirname, "..") + path.sep;
const vendored = `${path.sep}node_modules${path.sep}`;
/** Where compiled files are kept; FAST_START_CACHE only lets the benchmark and tests start empty. */
const cacheDir = process.env.FAST_START_CACHE || path.join(projectRoot, "node_modules", ".cache", "cross-account-s3-fast-start");
/** Sucrase's options, part of every cache key. Class fields and the like stay native, as tsc emits them for ES2022. */
const SUCRASE_OPTIONS = { transforms: /** @type {const} */ (["typescript", "imports"]), disableESTransforms: true };

/** Sucrase's version and options, the part of every cache key that is the same for each file: read once. */
let compilerIdentity = /** @type {string | undefined} */ (undefined);

/** The cache key of a source text: Sucrase's version, its options and the text. */
function cacheKey(/** @type {string} */ source) {
    compilerIdentity ??= JSON.stringify([JSON.parse(readFileSync(require.resolve("sucrase/package.json"), "utf8")).version, SUCRASE_OPTIONS]);
    return createHash("sha256").update(compilerIdentity).update("\0").update(source).digest("hex");
}

/** The CommonJS of a project .ts file: from the cache, or compiled by Sucrase (then kept, best effort). */
function compile(/** @type {string} */ source, /** @type {string} */ filename) {
    const cached = path.join(cacheDir, `${cacheKey(source)}.js`);
    try {
        return readFileSync(cached, "utf8");
    } catch {
        // Not compiled yet: Sucrase is loaded only now.
    }
    const { transform } = require("sucrase");
    const { code } = transform(source, { ...SUCRASE_OPTIONS, filePath: filename });
    try {
        mkdirSync(cacheDir, { recursive: true });
        const partial = `${cached}.${process.pid}`;
        writeFileSync(partial, code);
        renameSync(partial, cached); // whole or not at all, even with two previews at once
    } catch {
        // A read-only node_modules: compile again next time.
    }
    return code;
}

/** Every .ts file of the program: index.ts, program/ and components/ (what `--fill-cache` compiles). */
function programFiles() {
    const inFolder = (/** @type {string} */ folder) =>
        readdirSync(path.join(projectRoot, folder), { recursive: true, encoding: "utf8" })
            .filter((file) => file.endsWith(".ts") && !file.endsWith(".d.ts"))
            .map((file) => path.join(projectRoot, folder, file));
    return [path.join(projectRoot, "index.ts"), ...inFolder("program"), ...inFolder("components")];
}

if (require.main === module) {
    // `node program/fastStart.js --fill-cache` (npm's prepare script): compile every program file now.
    if (process.argv[2] !== "--fill-cache") {
        console.error("usage: node program/fastStart.js --fill-cache (Pulumi.yaml preloads this file with --require)");
        process.exit(2);
    }
    try {
        require.resolve("sucrase");
    } catch {
        // An install without dev dependencies (npm ci --omit=dev): there is nothing to compile with,
        // and nothing is lost: a preview compiles on demand once Sucrase is installed.
        console.log("fast start: sucrase is not installed (dev dependencies omitted): compile cache not filled");
        process.exit(0);
    }
    const files = programFiles();
    for (const file of files) {
        compile(readFileSync(file, "utf8"), file);
    }
    console.log(`fast start: ${files.length} program files compiled into ${path.relative(process.cwd(), cacheDir) || cacheDir}`);
} else {
    // 1. The project's TypeScript, compiled by Sucrase. Node lists no `.ts` loader: it sends a required
    // .ts file to its `.js` loader, which strips types (Node 22.18+ and 24; no import conversion) and
    // refuses files under node_modules. TypeScript outside this project keeps exactly that. Listing
    // `.ts` also lets `require("./main")` find main.ts.
    /** @type {Record<string, (module: NodeJS.Module, filename: string) => void>} */
    const extensions = /** @type {any} */ (Module)._extensions;
    const nodeOwnLoader = extensions[".ts"] ?? extensions[".js"];
    extensions[".ts"] = function compileProjectTypeScript(module, filename) {
        if (!filename.startsWith(projectRoot) || filename.includes(vendored)) {
            return nodeOwnLoader(module, filename);
        }
        /** @type {any} */ (module)._compile(compile(readFileSync(filename, "utf8"), filename), filename);
    };

    // 2. Node's own stack-trace formatting: the SDK's own copy of source-map-support, installed without its formatter.
    const sdkFolder = path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [projectRoot] }));
    const sourceMapSupport = require(require.resolve("source-map-support", { paths: [sdkFolder] }));
    const nodeFormatter = Error.prepareStackTrace;
    // cmd/run's own install still adds the handler that prints an uncaught exception with its source line.
    sourceMapSupport.install({ handleUncaughtExceptions: false });
    Error.prepareStackTrace = nodeFormatter;
}
