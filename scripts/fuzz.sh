#!/usr/bin/env bash
# libFuzzer targets (tests/fuzz/fuzz_*.c), built with clang + ASan + UBSan in build-fuzz/.
#
#   scripts/fuzz.sh build            set up (once) and build build-fuzz/
#   scripts/fuzz.sh list             print the built targets' names (fuzz_form, …)
#   scripts/fuzz.sh one NAME SECONDS run one target; exit status 0 when it found nothing
#   scripts/fuzz.sh smoke [SECONDS]  build, then run every target (default $FUZZ_SECONDS or 20)
#   scripts/fuzz.sh run [SECONDS]    the same, default $FUZZ_SECONDS or 300 (`make fuzz`)
#
# Each target keeps its corpus in build-fuzz/corpus/NAME/ and also reads the committed seeds in
# tests/fuzz/seeds/NAME/ (or tests/fuzz/seeds/NAME-without-fuzz_/) and a dictionary
# tests/fuzz/NAME.dict when there is one. Crashes land in build-fuzz/artifacts/.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
cd "$root"
out=build-fuzz

cmd_build() {
    if [ ! -f "$out/build.ninja" ]; then
        CC=clang meson setup "$out" -Dfuzz=true -Db_sanitize=address,undefined -Db_lundef=false \
            -Dbuildtype=debugoptimized -Dc_args=-fsanitize=fuzzer-no-link
    fi
    # Regenerate first so targets added to meson.build since setup are known.
    ninja -C "$out" build.ninja >/dev/null
    # Build only the fuzz targets when ninja knows them; everything otherwise.
    local targets
    targets=$(ninja -C "$out" -t targets all 2>/dev/null | sed -n 's/^\(fuzz_[A-Za-z0-9_]*\): .*/\1/p' | sort -u)
    if [ -n "$targets" ]; then
        # shellcheck disable=SC2086 # one word per target
        ninja -C "$out" $targets
    else
        ninja -C "$out"
    fi
}

cmd_list() {
    local f
    for f in "$out"/fuzz_*; do
        [ -f "$f" ] && [ -x "$f" ] && basename "$f"
    done
    return 0
}

cmd_one() {
    local name=$1 secs=$2
    local bin="$out/$name" corpus="$out/corpus/$name" log="$out/logs/$name.log"
    [ -x "$bin" ] || {
        echo "fuzz: no target $bin" >&2
        return 1
    }
    mkdir -p "$corpus" "$out/artifacts" "$out/logs"
    local args=(-max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
        -artifact_prefix="$out/artifacts/$name-")
    local dict
    for dict in "tests/fuzz/$name.dict" "tests/fuzz/${name#fuzz_}.dict"; do
        if [ -f "$dict" ]; then
            args+=(-dict="$dict")
            break
        fi
    done
    local dirs=("$corpus") seeds
    for seeds in "tests/fuzz/seeds/$name" "tests/fuzz/seeds/${name#fuzz_}"; do
        [ -d "$seeds" ] && dirs+=("$seeds")
    done
    echo "fuzz: $name for ${secs}s (log: $log)"
    local rc=0
    # Our own sanitizer options (not the caller's: abort_on_error would hide libFuzzer's report).
    ASAN_OPTIONS=${KP_FUZZ_ASAN_OPTIONS:-detect_leaks=1} \
        UBSAN_OPTIONS=${KP_FUZZ_UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
        timeout --kill-after=30 "$((secs + 300))" "$bin" "${args[@]}" "${dirs[@]}" >"$log" 2>&1 || rc=$?
    if [ "$rc" -eq 0 ]; then
        echo "fuzz: $name ok ($(find "$corpus" -type f | wc -l) inputs in corpus; $(grep -m1 -o 'stat::number_of_executed_units: [0-9]*' "$log" || echo 'no stats'))"
    else
        echo "fuzz: $name FAILED (exit $rc); its report:"
        # From the first error line on, without the shadow-byte table; the whole log otherwise.
        if grep -q 'ERROR: \|runtime error:\|deadly signal\|out-of-memory\|timeout after' "$log"; then
            sed -n '/ERROR: \|runtime error:\|deadly signal\|out-of-memory\|timeout after/,$p' "$log" |
                grep -v '^ *0x[0-9a-f]*: \|^  [A-Z][a-z /-]*: *[0-9a-f ]*$' | head -n 80 | sed 's/^/    /'
        else
            tail -n 40 "$log" | sed 's/^/    /'
        fi
        find "$out/artifacts" -name "$name-*" | sed 's/^/    artifact: /'
    fi
    return "$rc"
}

cmd_all() {
    local secs=$1 pass=0 fail=0 t
    cmd_build
    local targets
    targets=$(cmd_list)
    if [ -z "$targets" ]; then
        echo "fuzz: no targets were built" >&2
        return 1
    fi
    for t in $targets; do
        if cmd_one "$t" "$secs"; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
    done
    echo "fuzz: $pass target(s) clean, $fail with findings"
    [ "$fail" -eq 0 ]
}

case "${1:-}" in
build) cmd_build ;;
list) cmd_list ;;
one)
    [ $# -eq 3 ] || {
        echo "usage: $0 one NAME SECONDS" >&2
        exit 2
    }
    cmd_one "$2" "$3"
    ;;
smoke) cmd_all "${2:-${FUZZ_SECONDS:-20}}" ;;
run) cmd_all "${2:-${FUZZ_SECONDS:-300}}" ;;
*)
    echo "usage: $0 build|list|one NAME SECONDS|smoke [SECONDS]|run [SECONDS]" >&2
    exit 2
    ;;
esac
