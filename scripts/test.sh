#!/usr/bin/env bash
# `make test` (scripts/test.sh) and `make check` (scripts/test.sh check): then one closing line
# `N passed, N failed`, summed over the suites; exit status 1 when anything failed. A suite that
# cannot run (its build failed, no PostgreSQL) counts as failed; skipped tests never count as
# passed.
#
# make test, going on after failures:
#   setup        missing Debian packages (install-deps.sh --test), a Node.js >= 20
#                (scripts/node.sh), npm ci when node_modules does not match package-lock.json
#   build        build/ (the normal build) and build-asan/ (ASan + UBSan, debug)
#   then two lanes at once (each test mostly waits: on Chromium, on the server, on a database),
#   of about the same length:
#     lane 1     browser   tests/web/browser-*.test.mjs once: SQLite, normal build
#                unit-pg   the unit tests that take KP_TEST_PG_URL, on a throwaway PostgreSQL
#     lane 2     unit      every build-asan/test_* (cmocka) on SQLite
#                web-sqlite, web-postgres, web-asan: every other tests/web/*.test.mjs on SQLite,
#                on PostgreSQL, and on SQLite against the ASan binary
#                (then the fuzz build)
#   fuzz         every libFuzzer target for $FUZZ_SECONDS (default 20) each, two at a time
#
# make check (the edit-test loop, about a minute): setup, the layering check, the normal build,
# its unit tests and the non-browser web files on SQLite, side by side.
#
# Both run `layers` first: scripts/layers.sh on src/ (no lower layer includes a higher one, no
# two folders include each other) and its selftest on made-up trees.
#
# Environment: KP_TEST_CONCURRENCY (web test files at once per suite, default 4),
# KP_BROWSER_CONCURRENCY (browser files at once, default 2), FUZZ_SECONDS,
# KP_SKIP_FUZZ=1 / KP_SKIP_DEPS=1 to leave those out while iterating locally,
# KP_NODE_FETCH=1 to run on the pinned Node.js from scripts/node.sh even when the system's
# is new enough. Logs are kept in test-results/ (one per suite and unit binary).
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
cd "$root" || exit 1

mode=test
case "${1:-}" in
"" | test) mode=test ;;
check) mode=check ;;
*)
    echo "usage: $0 [test|check]" >&2
    exit 2
    ;;
esac

web_conc=${KP_TEST_CONCURRENCY:-4}
browser_conc=${KP_BROWSER_CONCURRENCY:-2}
fuzz_secs=${FUZZ_SECONDS:-20}

logs=$root/test-results
results=$logs/results
rm -rf "$logs"
mkdir -p "$results"
started_at=$(date +%s)

# Suites report into files, since some run in background lanes; the summary reads them in
# this order, and a suite that never reported counts as failed.
if [ "$mode" = check ]; then
    order=(setup layers build unit web-sqlite)
else
    order=(setup layers build unit unit-pg web-sqlite web-postgres web-asan browser fuzz)
fi

record() { # name passed failed [note]
    printf '%s\t%s\t%s\n' "$2" "$3" "${4:-}" >"$results/$1"
}

say() {
    printf '[%4ds] %s\n' "$(($(date +%s) - started_at))" "$*"
}

# Our own cluster (its own state file), so a developer's running one is neither used nor stopped.
export KP_PG_STATE=$root/build/pg-test.env
pg_started=0
lane_pids=()
cleanup() {
    local p
    for p in "${lane_pids[@]}"; do
        kill -- "$p" 2>/dev/null || true
    done
    if [ "$pg_started" -eq 1 ]; then
        bash "$root/scripts/pg.sh" stop >/dev/null 2>&1 || true
        pg_started=0
    fi
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT TERM

# ---------------------------------------------------------------------------------------------
# setup

# Exit 0 when every package in package-lock.json is in node_modules at its locked version.
node_modules_current() {
    node -e '
        const fs = require("fs");
        const lock = JSON.parse(fs.readFileSync("package-lock.json", "utf8"));
        for (const [p, meta] of Object.entries(lock.packages || {})) {
            if (!p.startsWith("node_modules/")) continue;
            let v;
            try { v = JSON.parse(fs.readFileSync(p + "/package.json", "utf8")).version; } catch { v = null; }
            if (v === null && meta.optional) continue; // for other platforms only
            if (v !== meta.version) { console.error(`node_modules: ${p} is ${v}, package-lock.json wants ${meta.version}`); process.exit(1); }
        }' 2>&1
}

setup() {
    local fail=0 dir
    if [ "${KP_SKIP_DEPS:-0}" != 1 ]; then
        bash "$root/scripts/install-deps.sh" --test || {
            echo "test.sh: installing packages failed" >&2
            fail=$((fail + 1))
        }
    fi
    if dir=$(bash "$root/scripts/node.sh" dir); then
        export PATH="$dir:$PATH"
        say "node $(node --version) ($dir)"
    else
        echo "test.sh: no Node.js 20 or newer" >&2
        fail=$((fail + 1))
    fi
    if node_modules_current; then
        say "node_modules matches package-lock.json"
    elif [ -L node_modules ]; then
        # npm ci empties node_modules first: through a link that would be another checkout's.
        echo "test.sh: node_modules is a link and out of date; run npm ci where it points" >&2
        fail=$((fail + 1))
    else
        say "npm ci"
        npm ci --no-audit --no-fund || {
            echo "test.sh: npm ci failed" >&2
            fail=$((fail + 1))
        }
    fi
    record setup 0 "$fail"
}

# ---------------------------------------------------------------------------------------------
# layers

layers() {
    local pass=0 fail=0 out arg
    for arg in "" selftest; do
        if out=$(bash "$root/scripts/layers.sh" ${arg:+"$arg"} 2>&1); then
            pass=$((pass + 1))
        else
            fail=$((fail + 1))
        fi
        printf '%s\n' "$out"
    done
    record layers "$pass" "$fail" "include order and its selftest"
}

# ---------------------------------------------------------------------------------------------
# build

build_ok=0
asan_ok=0
build() {
    local fail=0
    say "build/"
    if { [ -f build/build.ninja ] || meson setup build; } >"$logs/build.log" 2>&1 &&
        ninja -k 0 -C build >>"$logs/build.log" 2>&1; then
        build_ok=1
    else
        tail -n 40 "$logs/build.log"
        echo "test.sh: the normal build failed (log: test-results/build.log)" >&2
        fail=$((fail + 1))
    fi
    if [ "$mode" = test ]; then
        say "build-asan/"
        if { [ -f build-asan/build.ninja ] || meson setup build-asan -Db_sanitize=address,undefined \
            -Db_lundef=false -Dbuildtype=debug; } >"$logs/build-asan.log" 2>&1 &&
            ninja -k 0 -C build-asan >>"$logs/build-asan.log" 2>&1; then
            asan_ok=1
        else
            tail -n 40 "$logs/build-asan.log"
            echo "test.sh: the ASan+UBSan build failed (log: test-results/build-asan.log)" >&2
            fail=$((fail + 1))
        fi
    fi
    record build 0 "$fail" "a failed build counts 1"
}

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

# ---------------------------------------------------------------------------------------------
# unit tests

# Runs one cmocka binary; adds to $u_pass / $u_fail / $u_skip.
run_cmocka() { # binary log [env...]
    local bin=$1 log=$2
    shift 2
    local rc=0 p f s
    env CMOCKA_MESSAGE_OUTPUT=stdout "$@" timeout --kill-after=10 600 "$bin" >"$log" 2>&1 || rc=$?
    p=$(sed -n 's/^\[  PASSED  \] \([0-9]\+\) test(s)\..*/\1/p' "$log" | awk '{s += $1} END {print s + 0}')
    f=$(sed -n 's/^\[  FAILED  \] \([0-9]\+\) test(s), listed below:.*/\1/p' "$log" | awk '{s += $1} END {print s + 0}')
    s=$(sed -n 's/^\[  SKIPPED \] \([0-9]\+\) test(s), listed below:.*/\1/p' "$log" | awk '{s += $1} END {print s + 0}')
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        echo "test.sh: $bin exited with $rc without a cmocka FAILED line: counted as 1 failed" >&2
        f=1
    fi
    if [ "$rc" -eq 0 ] && [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
        echo "test.sh: warning: $bin printed no cmocka results (placeholder?): counted as 0 tests" >&2
    fi
    if [ "$f" -ne 0 ]; then
        echo "---- $bin failed (log: ${log#"$root"/}):"
        grep -E '^\[  (FAILED|ERROR) |^\[  FAILED  \]|Sanitizer|runtime error' "$log" | head -n 40
    fi
    u_pass=$((u_pass + p))
    u_fail=$((u_fail + f))
    u_skip=$((u_skip + s))
}

unit() { # build folder
    local dir=$1 bin found=0
    u_pass=0 u_fail=0 u_skip=0
    say "unit: $dir/test_*"
    for bin in "$dir"/test_*; do
        if [ ! -f "$bin" ] || [ ! -x "$bin" ]; then continue; fi
        found=1
        run_cmocka "$bin" "$logs/unit-$(basename "$bin").log"
    done
    [ "$found" -eq 1 ] || echo "test.sh: warning: no $dir/test_* binaries (is libcmocka-dev installed?)" >&2
    record unit "$u_pass" "$u_fail" "$u_skip skipped"
    say "unit: $u_pass passed, $u_fail failed, $u_skip skipped"
}

unit_pg() {
    local url=${pg_admin%/*}/kp_unit
    u_pass=0 u_fail=0 u_skip=0
    # every unit test that runs again on PostgreSQL when given KP_TEST_PG_URL
    local names=() n
    for n in $(grep -l KP_TEST_PG_URL tests/unit/test_*.c); do
        names+=("$(basename "$n" .c)")
    done
    say "unit-pg: ${names[*]} on PostgreSQL"
    if [ ! -x build-asan/test_db ]; then
        echo "test.sh: warning: no build-asan/test_db" >&2
    elif PGOPTIONS='-c client_min_messages=warning' psql "$pg_admin" -X -q -v ON_ERROR_STOP=1 -c 'DROP DATABASE IF EXISTS kp_unit' -c 'CREATE DATABASE kp_unit'; then
        for n in "${names[@]}"; do
            run_cmocka "build-asan/$n" "$logs/unit-pg-$n.log" "KP_TEST_PG_URL=$url"
        done
    else
        echo "test.sh: could not create database kp_unit" >&2
        u_fail=1
    fi
    record unit-pg "$u_pass" "$u_fail" "$u_skip skipped"
    say "unit-pg: $u_pass passed, $u_fail failed, $u_skip skipped"
}

# ---------------------------------------------------------------------------------------------
# web tests

browser_files=()
http_files=()
for f in tests/web/*.test.mjs; do
    [ -f "$f" ] || continue
    case "$(basename "$f")" in
    browser-*) browser_files+=("$f") ;;
    *) http_files+=("$f") ;;
    esac
done

# One node --test run over some files, `concurrency` of them at once; the TAP output goes to
# test-results/NAME.tap and the failing tests' blocks to the terminal.
run_web() { # name concurrency env... -- files...
    local name=$1 conc=$2
    shift 2
    local envs=()
    while [ $# -gt 0 ] && [ "$1" != -- ]; do
        envs+=("$1")
        shift
    done
    shift
    local log=$logs/$name.tap rc=0 p f c s t0=$SECONDS
    if [ $# -eq 0 ]; then
        echo "test.sh: warning: no test files for $name: counts 0" >&2
        record "$name" 0 0 "no test files yet"
        return
    fi
    say "$name: $# files, $conc at once"
    env "${envs[@]}" timeout --kill-after=30 2400 node --test --test-reporter=tap \
        --test-concurrency="$conc" "$@" >"$log" 2>&1 || rc=$?
    p=$(sed -n 's/^# pass \([0-9]\+\)$/\1/p' "$log" | tail -n 1)
    f=$(sed -n 's/^# fail \([0-9]\+\)$/\1/p' "$log" | tail -n 1)
    c=$(sed -n 's/^# cancelled \([0-9]\+\)$/\1/p' "$log" | tail -n 1)
    s=$(sed -n 's/^# skipped \([0-9]\+\)$/\1/p' "$log" | tail -n 1)
    p=${p:-0} s=${s:-0} f=$((${f:-0} + ${c:-0}))
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        echo "test.sh: $name: node --test exited with $rc and no failed test: counted as 1 failed" >&2
        tail -n 30 "$log"
        f=1
    elif [ "$rc" -eq 0 ] && [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
        echo "test.sh: $name: no test ran: counted as 1 failed" >&2
        f=1
    fi
    if [ "$f" -ne 0 ]; then
        echo "---- $name: failing tests (whole log: ${log#"$root"/}):"
        awk '/^ *not ok /{n = 40} n > 0 {print; n--}' "$log" | head -n 300
    fi
    record "$name" "$p" "$f" "$s skipped"
    say "$name: $p passed, $f failed, $s skipped ($((SECONDS - t0)) s)"
}

web_sqlite() {
    if [ "$build_ok" -eq 1 ]; then
        run_web web-sqlite "$web_conc" KP_TEST_DB=sqlite KP_BIN="$root/build/klantportal" -- "${http_files[@]}"
    else
        record web-sqlite 0 1 "build failed"
    fi
}

lane_browser() {
    if [ "$build_ok" -eq 1 ]; then
        run_web browser "$browser_conc" KP_TEST_DB=sqlite KP_BIN="$root/build/klantportal" -- "${browser_files[@]}"
    else
        record browser 0 1 "build failed"
    fi
    if [ -z "$pg_admin" ]; then
        record unit-pg 0 1 "no PostgreSQL"
    elif [ "$asan_ok" -ne 1 ]; then
        record unit-pg 0 0 "ASan build failed"
    else
        unit_pg
    fi
}

pg_admin=
lane_main() {
    if [ "$asan_ok" -eq 1 ]; then
        unit build-asan
    else
        record unit 0 0 "ASan build failed"
    fi
    web_sqlite
    if [ "$build_ok" -eq 1 ] && [ -n "$pg_admin" ]; then
        run_web web-postgres "$web_conc" KP_TEST_DB=postgres KP_TEST_PG_ADMIN="$pg_admin" \
            KP_BIN="$root/build/klantportal" -- "${http_files[@]}"
    else
        record web-postgres 0 1 "build or PostgreSQL failed"
    fi
    if [ "$asan_ok" -eq 1 ]; then
        run_web web-asan "$web_conc" KP_TEST_DB=sqlite KP_BIN="$root/build-asan/klantportal" \
            KP_TEST_STRICT_EXIT=1 -- "${http_files[@]}"
    else
        record web-asan 0 1 "ASan build failed"
    fi
    fuzz_build
}

# ---------------------------------------------------------------------------------------------
# fuzz

fuzz_build() {
    [ "${KP_SKIP_FUZZ:-0}" = 1 ] && return 0
    say "fuzz build (build-fuzz/)"
    if bash "$root/scripts/fuzz.sh" build >"$logs/fuzz-build.log" 2>&1; then
        touch "$logs/fuzz-built"
    else
        tail -n 40 "$logs/fuzz-build.log"
        echo "test.sh: the fuzz build failed (log: test-results/fuzz-build.log)" >&2
    fi
}

fuzz() {
    if [ "${KP_SKIP_FUZZ:-0}" = 1 ]; then
        echo "test.sh: warning: KP_SKIP_FUZZ=1: fuzzing left out"
        record fuzz 0 0 "skipped (KP_SKIP_FUZZ=1)"
        return
    fi
    if [ ! -f "$logs/fuzz-built" ]; then
        record fuzz 0 1 "fuzz build failed"
        return
    fi
    say "fuzz: each target ${fuzz_secs}s, two at a time"
    local t n=0
    mkdir -p "$logs/fuzz"
    for t in $(bash "$root/scripts/fuzz.sh" list); do
        # One core each: libFuzzer stops on wall time, so two at once halve the wait.
        if [ "$n" -ge 2 ]; then
            wait -n 2>/dev/null || true
            n=$((n - 1))
        fi
        (
            if bash "$root/scripts/fuzz.sh" one "$t" "$fuzz_secs" >"$logs/fuzz/$t.out" 2>&1; then
                echo ok >"$logs/fuzz/$t.status"
            else
                echo failed >"$logs/fuzz/$t.status"
            fi
            cat "$logs/fuzz/$t.out"
        ) &
        n=$((n + 1))
    done
    wait
    local z_pass z_fail
    z_pass=$(grep -lx ok "$logs"/fuzz/*.status 2>/dev/null | wc -l)
    z_fail=$(grep -lx failed "$logs"/fuzz/*.status 2>/dev/null | wc -l)
    if [ $((z_pass + z_fail)) -eq 0 ]; then
        echo "test.sh: warning: no fuzz targets were built" >&2
    fi
    record fuzz "$z_pass" "$z_fail"
}

# ---------------------------------------------------------------------------------------------
# the runs

setup
layers
build

if [ "$mode" = check ]; then
    if [ "$build_ok" -eq 1 ]; then
        unit build >"$logs/unit.out" 2>&1 &
        lane_pids+=($!)
    else
        record unit 0 0 "build failed"
    fi
    web_sqlite
    wait
    lane_pids=()
    cat "$logs/unit.out" 2>/dev/null
else
    if pg_admin=$(bash "$root/scripts/pg.sh" start 2>"$logs/pg.log"); then
        pg_started=1
        say "PostgreSQL at $pg_admin"
    else
        pg_admin=
        cat "$logs/pg.log" >&2
        echo "test.sh: could not start PostgreSQL" >&2
    fi
    lane_browser &
    lane_pids+=($!)
    lane_main
    wait
    lane_pids=()
    cleanup
    fuzz
fi

# ---------------------------------------------------------------------------------------------
printf '\n==== summary (%s, %d s) ====\n' "make $mode" "$(($(date +%s) - started_at))"
total_pass=0
total_fail=0
for name in "${order[@]}"; do
    p=0 f=1 note="did not report"
    if [ -f "$results/$name" ]; then
        IFS=$'\t' read -r p f note <"$results/$name"
    fi
    printf '  %-14s passed %4d   failed %4d   %s\n' "$name" "$p" "$f" "$note"
    total_pass=$((total_pass + p))
    total_fail=$((total_fail + f))
done
echo "  (logs in test-results/)"
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
