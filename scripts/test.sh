#!/usr/bin/env bash
# `make test`: everything, in order, going on after failures, then one closing line
# `N passed, N failed` (exit status 1 when anything failed).
#
#   1. setup     missing Debian packages (scripts/install-deps.sh), npm ci when needed
#   2. build     build/ (the normal build) and build-asan/ (ASan + UBSan, debug)
#   3. unit      every build-asan/test_* (cmocka), on SQLite
#   4. unit-pg   build-asan/test_db and test_outbox again with KP_TEST_PG_URL on a throwaway
#                PostgreSQL
#   5. web       node --test tests/web/*.test.mjs on SQLite, on PostgreSQL, and on SQLite
#                against the ASan binary
#   6. fuzz      every libFuzzer target for $FUZZ_SECONDS (default 20) each
#
# Environment: FUZZ_SECONDS, KP_TEST_CONCURRENCY (node --test files at once, default 1),
# KP_SKIP_FUZZ=1 / KP_SKIP_DEPS=1 to leave those out while iterating locally.
# Logs are kept in test-results/.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
cd "$root" || exit 1

logs=$root/test-results
rm -rf "$logs"
mkdir -p "$logs"

suite_names=()
suite_pass=()
suite_fail=()
suite_note=()

record() { # name passed failed [note]
    suite_names+=("$1")
    suite_pass+=("$2")
    suite_fail+=("$3")
    suite_note+=("${4:-}")
}

section() {
    printf '\n==== %s ====\n' "$*"
}

pg_started=0
cleanup() {
    if [ "$pg_started" -eq 1 ]; then
        bash "$root/scripts/pg.sh" stop >/dev/null 2>&1 || true
        pg_started=0
    fi
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT TERM

# ---------------------------------------------------------------------------------------------
section "setup"
setup_fail=0
if [ "${KP_SKIP_DEPS:-0}" != 1 ]; then
    bash "$root/scripts/install-deps.sh" || {
        echo "test.sh: installing packages failed" >&2
        setup_fail=$((setup_fail + 1))
    }
fi
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    echo "test.sh: npm ci"
    npm ci --no-audit --no-fund || {
        echo "test.sh: npm ci failed" >&2
        setup_fail=$((setup_fail + 1))
    }
else
    echo "test.sh: node_modules is up to date"
fi
record setup 0 "$setup_fail"

# ---------------------------------------------------------------------------------------------
section "build"
build_fail=0
build_ok=0
if { [ -f build/build.ninja ] || meson setup build; } && ninja -k 0 -C build; then
    build_ok=1
else
    echo "test.sh: the normal build failed" >&2
    build_fail=$((build_fail + 1))
fi
asan_ok=0
if { [ -f build-asan/build.ninja ] || meson setup build-asan -Db_sanitize=address,undefined \
    -Db_lundef=false -Dbuildtype=debug; } && ninja -k 0 -C build-asan; then
    asan_ok=1
else
    echo "test.sh: the ASan+UBSan build failed" >&2
    build_fail=$((build_fail + 1))
fi
record build 0 "$build_fail" "build/ and build-asan/ (a failed build counts 1)"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

# Runs one cmocka binary; adds to $u_pass / $u_fail.
run_cmocka() { # binary log [env...]
    local bin=$1 log=$2
    shift 2
    local rc=0 p f s
    echo "-- $bin"
    env CMOCKA_MESSAGE_OUTPUT=stdout "$@" timeout --kill-after=10 600 "$bin" >"$log" 2>&1 || rc=$?
    cat "$log"
    p=$(sed -n 's/^\[  PASSED  \] \([0-9]\+\) test(s)\..*/\1/p' "$log" | awk '{s += $1} END {print s + 0}')
    f=$(sed -n 's/^\[  FAILED  \] \([0-9]\+\) test(s), listed below:.*/\1/p' "$log" | awk '{s += $1} END {print s + 0}')
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        echo "test.sh: $bin exited with $rc without a cmocka FAILED line: counted as 1 failed" >&2
        f=1
    fi
    if [ "$rc" -eq 0 ] && [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
        echo "test.sh: warning: $bin printed no cmocka results (placeholder?): counted as 0 tests" >&2
    fi
    s=$(sed -n 's/^\[  SKIPPED \] \([0-9]\+\) test(s), listed below:.*/\1/p' "$log" | awk '{s += $1} END {print s + 0}')
    u_pass=$((u_pass + p))
    u_fail=$((u_fail + f))
    u_skip=$((u_skip + s))
}

# ---------------------------------------------------------------------------------------------
section "unit tests (build-asan, SQLite)"
u_pass=0 u_fail=0 u_skip=0
if [ "$asan_ok" -eq 1 ]; then
    found=0
    for bin in build-asan/test_*; do
        if [ ! -f "$bin" ] || [ ! -x "$bin" ]; then continue; fi
        found=1
        run_cmocka "$bin" "$logs/unit-$(basename "$bin").log"
    done
    [ "$found" -eq 1 ] || echo "test.sh: warning: no build-asan/test_* binaries (is libcmocka-dev installed?)" >&2
else
    echo "test.sh: skipped: the ASan build failed"
fi
record unit "$u_pass" "$u_fail" "$u_skip skipped"

# ---------------------------------------------------------------------------------------------
section "PostgreSQL"
pg_admin=
if pg_admin=$(bash "$root/scripts/pg.sh" start); then
    pg_started=1
    echo "test.sh: PostgreSQL at $pg_admin"
else
    pg_admin=
    echo "test.sh: could not start PostgreSQL" >&2
fi

section "unit tests (build-asan, PostgreSQL: test_db, test_outbox)"
u_pass=0 u_fail=0 u_skip=0
if [ -z "$pg_admin" ]; then
    u_fail=1
elif [ "$asan_ok" -ne 1 ]; then
    echo "test.sh: skipped: the ASan build failed"
elif [ ! -x build-asan/test_db ]; then
    echo "test.sh: warning: no build-asan/test_db" >&2
elif psql "$pg_admin" -X -q -v ON_ERROR_STOP=1 -c 'DROP DATABASE IF EXISTS kp_unit' -c 'CREATE DATABASE kp_unit'; then
    run_cmocka build-asan/test_db "$logs/unit-pg-test_db.log" "KP_TEST_PG_URL=${pg_admin%/*}/kp_unit"
    run_cmocka build-asan/test_outbox "$logs/unit-pg-test_outbox.log" "KP_TEST_PG_URL=${pg_admin%/*}/kp_unit"
else
    echo "test.sh: could not create database kp_unit" >&2
    u_fail=1
fi
record unit-pg "$u_pass" "$u_fail" "$u_skip skipped"

# ---------------------------------------------------------------------------------------------
web_files=()
for f in tests/web/*.test.mjs; do
    [ -f "$f" ] && web_files+=("$f")
done

run_web() { # name log [env...]
    local name=$1 log=$2
    shift 2
    local rc=0 p f c
    section "web tests: $name"
    if [ "${#web_files[@]}" -eq 0 ]; then
        echo "test.sh: warning: no tests/web/*.test.mjs yet: suite $name counts 0" >&2
        record "web-$name" 0 0 "no test files yet"
        return
    fi
    env "$@" timeout --kill-after=30 2400 node --test --test-reporter=tap \
        --test-concurrency="${KP_TEST_CONCURRENCY:-1}" "${web_files[@]}" 2>&1 | tee "$log"
    rc=${PIPESTATUS[0]}
    p=$(sed -n 's/^# pass \([0-9]\+\)$/\1/p' "$log" | tail -n 1)
    f=$(sed -n 's/^# fail \([0-9]\+\)$/\1/p' "$log" | tail -n 1)
    c=$(sed -n 's/^# cancelled \([0-9]\+\)$/\1/p' "$log" | tail -n 1)
    p=${p:-0} f=$((${f:-0} + ${c:-0}))
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        echo "test.sh: node --test exited with $rc and no failed test: counted as 1 failed" >&2
        f=1
    fi
    record "web-$name" "$p" "$f"
}

if [ "$build_ok" -eq 1 ]; then
    run_web sqlite "$logs/web-sqlite.tap" KP_TEST_DB=sqlite KP_BIN="$root/build/klantportal"
else
    record web-sqlite 0 1 "build failed"
fi
if [ "$build_ok" -eq 1 ] && [ -n "$pg_admin" ]; then
    run_web postgres "$logs/web-postgres.tap" KP_TEST_DB=postgres KP_TEST_PG_ADMIN="$pg_admin" \
        KP_BIN="$root/build/klantportal"
else
    record web-postgres 0 1 "build or PostgreSQL failed"
fi
if [ "$asan_ok" -eq 1 ]; then
    run_web asan "$logs/web-asan.tap" KP_TEST_DB=sqlite KP_BIN="$root/build-asan/klantportal" \
        KP_TEST_STRICT_EXIT=1
else
    record web-asan 0 1 "ASan build failed"
fi

cleanup

# ---------------------------------------------------------------------------------------------
section "fuzz smoke (${FUZZ_SECONDS:-20}s per target)"
if [ "${KP_SKIP_FUZZ:-0}" = 1 ]; then
    echo "test.sh: warning: KP_SKIP_FUZZ=1: fuzzing left out"
    record fuzz 0 0 "skipped (KP_SKIP_FUZZ=1)"
elif bash "$root/scripts/fuzz.sh" build >"$logs/fuzz-build.log" 2>&1; then
    z_pass=0 z_fail=0
    for t in $(bash "$root/scripts/fuzz.sh" list); do
        if bash "$root/scripts/fuzz.sh" one "$t" "${FUZZ_SECONDS:-20}"; then
            z_pass=$((z_pass + 1))
        else
            z_fail=$((z_fail + 1))
        fi
    done
    if [ $((z_pass + z_fail)) -eq 0 ]; then
        echo "test.sh: warning: no fuzz targets were built" >&2
    fi
    record fuzz "$z_pass" "$z_fail"
else
    tail -n 40 "$logs/fuzz-build.log"
    echo "test.sh: the fuzz build failed (log: $logs/fuzz-build.log)" >&2
    record fuzz 0 1 "fuzz build failed"
fi

# ---------------------------------------------------------------------------------------------
section "summary"
total_pass=0
total_fail=0
for i in "${!suite_names[@]}"; do
    printf '  %-14s passed %4d   failed %4d   %s\n' "${suite_names[$i]}" "${suite_pass[$i]}" \
        "${suite_fail[$i]}" "${suite_note[$i]}"
    total_pass=$((total_pass + suite_pass[i]))
    total_fail=$((total_fail + suite_fail[i]))
done
echo "  (logs in test-results/)"
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
