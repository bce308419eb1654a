#!/usr/bin/env bash
# Layers point down only: checks the #include "..." lines under src/.
#
#   scripts/layers.sh [SRC]     check SRC (default src/); exit 1 and one line per offence
#   scripts/layers.sh selftest  run the check on small made-up trees: a tree with offences
#                               must fail with each of them named, a clean one must pass
#
# The order is core < db < http < web < auth < every other folder (the features) < the files
# directly in src/ (app, main: the composition root). A file in core, db, http, web or auth may
# include headers of its own folder and of the folders below it only; a header without a folder
# ("app.h") counts as the root. Besides, no two folders include each other (web must not use
# auth while auth uses web; no feature uses a feature that uses it back); the root is left out
# of that rule, since the features may still reach the process state through app.h.
set -uo pipefail

rank() { # folder -> number
    case "$1" in
    core) echo 0 ;;
    db) echo 1 ;;
    http) echo 2 ;;
    web) echo 3 ;;
    auth) echo 4 ;;
    /) echo 6 ;;
    *) echo 5 ;;
    esac
}

# Prints "from-folder to-folder file:line header" for every quoted include; "/" is the root.
edges() { # src
    local src=$1
    find "$src" -type f \( -name '*.c' -o -name '*.h' \) -print0 | sort -z |
        xargs -0 -r grep -HnE '^[[:space:]]*#[[:space:]]*include[[:space:]]*"[^"]+"' |
        while IFS=: read -r file line text; do
            local hdr rel from to
            hdr=$(sed -E 's/^[^"]*"([^"]+)".*/\1/' <<<"$text")
            rel=${file#"$src"/}
            if [[ $rel == */* ]]; then from=${rel%%/*}; else from=/; fi
            if [[ $hdr == */* ]]; then to=${hdr%%/*}; else to=/; fi
            printf '%s %s %s:%s %s\n' "$from" "$to" "${file}" "$line" "$hdr"
        done
}

check() { # src
    local src=${1%/} bad=0 all from to where hdr
    [ -d "$src" ] || {
        echo "layers: no folder $src" >&2
        return 2
    }
    all=$(edges "$src")
    while read -r from to where hdr; do
        [ -n "$from" ] || continue
        [ "$from" = "$to" ] && continue
        local rf rt
        rf=$(rank "$from")
        rt=$(rank "$to")
        if [ "$rf" -le 4 ] && [ "$rt" -gt "$rf" ]; then
            echo "layers: $where: $from/ includes \"$hdr\", a layer above it"
            bad=$((bad + 1))
        fi
    done <<<"$all"
    # folders that include each other
    local pairs
    pairs=$(awk '$1 != $2 && $1 != "/" && $2 != "/" {print $1, $2}' <<<"$all" | sort -u)
    while read -r from to; do
        [ -n "$from" ] || continue
        [[ $from < $to ]] || continue
        if grep -qx "$to $from" <<<"$pairs"; then
            echo "layers: $from/ and $to/ include each other:"
            awk -v a="$from" -v b="$to" '($1 == a && $2 == b) || ($1 == b && $2 == a) {print "  " $3 " " $4}' <<<"$all"
            bad=$((bad + 1))
        fi
    done <<<"$pairs"
    if [ "$bad" -gt 0 ]; then
        echo "layers: $bad offence(s); the order is core < db < http < web < auth < features < app"
        return 1
    fi
    echo "layers: $src: every include points down"
    return 0
}

# A made-up tree: file path -> its include lines.
tree() { # dir path include...
    local dir=$1 path=$2
    shift 2
    mkdir -p "$dir/$(dirname "$path")"
    : >"$dir/$path"
    local h
    for h in "$@"; do printf '#include "%s"\n' "$h" >>"$dir/$path"; done
}

selftest() {
    local tmp fail=0 out
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' RETURN
    # clean: down the order, own folder, features using the root
    tree "$tmp/good" core/a.c core/a.h
    tree "$tmp/good" http/b.c core/a.h http/b.h
    tree "$tmp/good" web/c.c http/b.h db/d.h
    tree "$tmp/good" auth/e.c web/c.h
    tree "$tmp/good" profile/f.c auth/e.h app.h mail/g.h
    tree "$tmp/good" mail/g.c auth/e.h
    tree "$tmp/good" app.c profile/f.h
    if ! out=$(check "$tmp/good"); then
        echo "layers selftest: a clean tree was refused:"
        echo "$out"
        fail=$((fail + 1))
    fi
    # each offence on its own, each must be named
    local cases=(
        "http/server.c app.h|http/ includes \"app.h\""
        "web/page.c auth/session.h|web/ includes \"auth/session.h\""
        "auth/session.c people/people.h|auth/ includes \"people/people.h\""
        "web/mailtmpl.h mail/mail.h|web/ includes \"mail/mail.h\""
        "core/x.c db/db.h|core/ includes \"db/db.h\""
        "db/y.c   http/http.h|db/ includes \"http/http.h\""
    )
    local i=0 c spec expect
    for c in "${cases[@]}"; do
        i=$((i + 1))
        spec=${c%%|*}
        expect=${c#*|}
        rm -rf "$tmp/bad$i"
        cp -r "$tmp/good" "$tmp/bad$i"
        # shellcheck disable=SC2086
        tree "$tmp/bad$i" $spec
        if out=$(check "$tmp/bad$i"); then
            echo "layers selftest: not refused: $spec"
            fail=$((fail + 1))
        elif ! grep -qF "$expect" <<<"$out"; then
            echo "layers selftest: $spec refused without naming it:"
            echo "$out"
            fail=$((fail + 1))
        fi
    done
    # a cycle between two features, and auth <-> web (also caught by the order)
    rm -rf "$tmp/cycle"
    cp -r "$tmp/good" "$tmp/cycle"
    tree "$tmp/cycle" mail/h.c profile/f.h
    if out=$(check "$tmp/cycle") || ! grep -qF "mail/ and profile/ include each other" <<<"$out"; then
        echo "layers selftest: the cycle mail <-> profile was not named:"
        echo "$out"
        fail=$((fail + 1))
    fi
    rm -rf "$tmp/cycle2"
    cp -r "$tmp/good" "$tmp/cycle2"
    tree "$tmp/cycle2" web/i.c auth/e.h
    if out=$(check "$tmp/cycle2") || ! grep -qF "auth/ and web/ include each other" <<<"$out"; then
        echo "layers selftest: the cycle auth <-> web was not named:"
        echo "$out"
        fail=$((fail + 1))
    fi
    if [ "$fail" -gt 0 ]; then
        echo "layers selftest: $fail failed"
        return 1
    fi
    echo "layers selftest: $((i + 3)) trees judged right"
    return 0
}

case "${1:-}" in
selftest) selftest ;;
"") cd "$(dirname "${BASH_SOURCE[0]}")/.." && check src ;;
*) check "$1" ;;
esac
