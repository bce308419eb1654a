#!/usr/bin/env bash
# The enrolment part of `make bench` (bench/run.sh calls it last; it also runs
# alone): enrolments per second through HTTP, on SQLite and on PostgreSQL,
# next to the raw rate of the enrolment page's exact transaction without HTTP
# (build/bench_enrol run) on the same database in the same run, and a count
# of the seats after it all. Reports; does not fail on missed goals, only when
# something broke or an event was overbooked. See bench/README.md.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
cd "$root"

seconds=${BENCH_SECONDS:-20}          # per side (raw, HTTP) and database, split over the rounds
rounds=${BENCH_ENROL_ROUNDS:-4}       # raw and HTTP take turns, so a busy neighbour hits both
warmup=${BENCH_WARMUP:-2}
timeout=${BENCH_TIMEOUT:-10}
keep=${BENCH_KEEP:-0}
conns=${BENCH_ENROL_CONNECTIONS:-4}  # twice the server's default threads on 2 cores
wrk_threads=${BENCH_ENROL_WRK_THREADS:-2}
raw_threads=${BENCH_ENROL_THREADS:-$(nproc)}
persons=${BENCH_ENROL_PERSONS:-1000}
events=${BENCH_ENROL_EVENTS:-200}
dbs=${BENCH_ENROL_DBS:-sqlite postgres}

# goals
goal_ratio=60 # HTTP enrolments/s as % of the raw rate
goal_p99=50   # ms, HTTP

say() { printf 'bench: %s\n' "$*" >&2; }
die() {
    say "$*"
    exit 1
}
find_tool() { # name package -> path
    local p
    p=$(command -v "$1" 2>/dev/null || true)
    if [[ -z $p && -x /usr/sbin/$1 ]]; then p=/usr/sbin/$1; fi
    [[ -n $p ]] || die "$1 not found (Debian package: $2)"
    printf '%s\n' "$p"
}
wrk=$(find_tool wrk wrk)
((rounds >= 1)) || die "BENCH_ENROL_ROUNDS must be 1 or more"
slice=$(awk -v s="$seconds" -v r="$rounds" 'BEGIN { v = s / r; printf "%d", (v < 1 ? 1 : v) }')

bin=$root/build/klantportal
benrol=$root/build/bench_enrol
if [[ ${BENCH_NO_BUILD:-0} != 1 ]]; then
    say "build"
    make --no-print-directory build >/dev/null || die "make build failed"
fi
[[ -x $bin && -x $benrol ]] || die "no $bin or $benrol (make build)"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/klantportal-bench-enrol.XXXXXX")
server_pid=
pg_started=0
export KP_PG_STATE=$tmp/pg.env

stop_pid() { # pid: TERM, wait up to 5 s, then KILL
    local pid=$1 i
    kill -TERM "$pid" 2>/dev/null || return 0
    for ((i = 0; i < 50; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}
cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    if [[ -n $server_pid ]]; then stop_pid "$server_pid"; fi
    if ((pg_started)); then bash "$root/scripts/pg.sh" stop >/dev/null 2>&1 || true; fi
    if [[ $keep == 1 ]]; then say "kept $tmp"; else rm -rf "$tmp"; fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# As root the program (and bench_enrol) runs as KLANTPORTAL_USER.
if [[ $(id -u) == 0 ]]; then
    export KLANTPORTAL_USER=${KLANTPORTAL_USER:-klantportal}
    chown "$KLANTPORTAL_USER:" "$tmp"
fi
export KLANTPORTAL_BASE_URL="http://127.0.0.1"
export KLANTPORTAL_QUIET=1
export KLANTPORTAL_CONNECTIONS_PER_ADDRESS=100000

# wrk latencies: 812.00us, 1.23ms, 1.05s, 1.50m.
parse_wrk() { # file -> "p50_ms p99_ms socket_errors seconds"
    awk '
        function ms(v) {
            if (sub(/us$/, "", v)) return v / 1000
            if (sub(/ms$/, "", v)) return v + 0
            if (sub(/s$/, "", v)) return v * 1000
            if (sub(/m$/, "", v)) return v * 60000
            return v + 0
        }
        /Latency Distribution/ { dist = 1 }
        dist && $1 == "50%" { p50 = ms($2) }
        dist && $1 == "99%" { p99 = ms($2) }
        /Socket errors:/ {
            line = $0; gsub(/[^0-9 ]/, " ", line); n = split(line, f, " ")
            for (i = 1; i <= n; i++) errs += f[i]
        }
        / requests in / { d = $4; sub(/,$/, "", d); secs = ms(d) / 1000 }
        /^Requests\/sec:/ { seen = 1 }
        END { if (!seen) exit 1; printf "%.3f %.3f %d %.3f\n", p50, p99, errs, secs }' "$1"
}
field() { # "k=v k=v" key -> v
    sed -n "s/.*\\b$2=\\([^ ]*\\).*/\\1/p" <<<"$1"
}
max() { awk -v a="$1" -v b="$2" 'BEGIN { print (a > b ? a : b) }'; }

start_server() { # dir
    local d=$1 port='' i
    KLANTPORTAL_LISTEN=127.0.0.1:0 "$bin" serve --no-migrate >"$d/server.out" 2>"$d/server.err" &
    server_pid=$!
    for ((i = 0; i < 200; i++)); do
        port=$(sed -n 's|^listening http://127\.0\.0\.1:\([0-9][0-9]*\)$|\1|p' "$d/server.out" 2>/dev/null || true)
        [[ -n $port ]] && break
        kill -0 "$server_pid" 2>/dev/null || {
            cat "$d/server.err" >&2
            die "klantportal serve did not start"
        }
        sleep 0.05
    done
    [[ -n $port ]] || die "klantportal serve did not say where it listens"
    base="http://127.0.0.1:$port"
}

# The server may still work off requests wrk sent before its time was up:
# wait until it has been idle for 0.3 s (at most 60 s), so they do not count
# against what runs next.
cpu_ticks() { # pid -> utime + stime
    local s
    s=$(<"/proc/$1/stat") || return 1
    s=${s##*) }
    awk '{ print $12 + $13 }' <<<"$s"
}
settle() {
    local a b i
    a=$(cpu_ticks "$server_pid") || die "klantportal serve is gone"
    for ((i = 0; i < 200; i++)); do
        sleep 0.3
        b=$(cpu_ticks "$server_pid") || die "klantportal serve is gone"
        ((b - a <= 1)) && return 0
        a=$b
    done
    say "server still busy after 60 s; going on"
}

# wrk with bench/enrol.lua on the events of one group (warm, http), from
# pair number START on; wrk's output goes to $d/wrk-<name>.txt.
run_wrk() { # dir name group seconds start
    local d=$1 n=$2 g=$3 s=$4 start=$5
    settle
    "$wrk" -t"$wrk_threads" -c"$conns" -d"${s}s" --timeout "${timeout}s" --latency \
        -s "$here/enrol.lua" "$base" -- "$d/sessions.txt" "$d/events-$g.txt" "$wrk_threads" "$start" \
        >"$d/wrk-$n.txt" 2>&1 || {
        cat "$d/wrk-$n.txt" >&2
        die "wrk $n failed"
    }
    kill -0 "$server_pid" 2>/dev/null || {
        tail -n 20 "$d/server.err" >&2
        die "klantportal serve died during $n"
    }
}
lua_figure() { # file key -> value
    awk -v k="enrol $2:" 'index($0, k) == 1 { print $NF }' "$1"
}

declare -A raw_rate raw_p99 http_rate http_p99 http_p50 http_bad checks
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

bench_db() { # sqlite|postgres
    local kind=$1 d=$tmp/$1 r out ok=0 took=0 hok=0 hsecs=0 p50=0 p99=0 rp99=0 bad=0
    mkdir -p "$d/mail"
    if [[ $(id -u) == 0 ]]; then chown -R "$KLANTPORTAL_USER:" "$d"; fi
    if [[ $kind == sqlite ]]; then
        export KLANTPORTAL_DB="sqlite:$d/enrol.db"
    else
        local admin
        admin=$(bash "$root/scripts/pg.sh" start 2>"$d/pg.err") || {
            cat "$d/pg.err" >&2
            die "no PostgreSQL (scripts/pg.sh start; BENCH_ENROL_DBS=sqlite leaves it out)"
        }
        pg_started=1
        psql "$admin" -X -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE kp_bench_enrol" >/dev/null
        export KLANTPORTAL_DB="${admin%/*}/kp_bench_enrol"
    fi
    export KLANTPORTAL_MAIL_DIR="$d/mail"
    "$bin" migrate >"$d/migrate.log" 2>&1 || {
        cat "$d/migrate.log" >&2
        die "klantportal migrate ($kind) failed"
    }
    "$benrol" setup "$d" "$persons" "$events" || die "bench_enrol setup ($kind) failed"
    say "$kind: enrolments, $rounds rounds of ${slice}s raw (bench_enrol, $raw_threads threads," \
        "no server running) then ${slice}s HTTP (wrk -c$conns)"
    # each round takes its own block of (person, event) pairs: wrk's threads
    # do not keep in step, so where one run stopped is not known exactly
    local block=$((persons * events / rounds))
    for ((r = 1; r <= rounds; r++)); do
        out=$("$benrol" run "$d" "$raw_threads" "$slice") || die "bench_enrol run ($kind) failed: $out"
        say "  raw:  $out"
        ok=$((ok + $(field "$out" ok)))
        took=$(awk -v a="$took" -v b="$(field "$out" seconds)" 'BEGIN { print a + b }')
        rp99=$(max "$rp99" "$(field "$out" p99_ms)")
        start_server "$d"
        if ((warmup > 0)); then run_wrk "$d" "warmup$r" warm "$warmup" $(((r - 1) * block)); fi
        run_wrk "$d" "http$r" http "$slice" $(((r - 1) * block))
        local f=$d/wrk-http$r.txt p q e secs n
        read -r p q e secs < <(parse_wrk "$f") || {
            cat "$f" >&2
            die "cannot read wrk's output ($kind, round $r)"
        }
        n=$(awk '/^enrol status 303:/ { print $NF }' "$f")
        p50=$(max "$p50" "$p")
        p99=$(max "$p99" "$q")
        bad=$((bad + e + $(lua_figure "$f" not-303)))
        hok=$((hok + ${n:-0}))
        hsecs=$(awk -v a="$hsecs" -v b="$secs" 'BEGIN { print a + b }')
        say "  http: $(lua_figure "$f" ok/s) enrolments/s, p50 $p ms, p99 $q ms; $(grep '^enrol status' "$f" | tr '\n' ' ')"
        # the sender delivers the round's last mails before the next raw run
        settle
        stop_pid "$server_pid"
        server_pid=
    done
    checks[$kind]=$("$benrol" check) || true
    say "  $kind: ${checks[$kind]}"
    raw_rate[$kind]=$(awk -v n="$ok" -v s="$took" 'BEGIN { printf "%.1f", (s > 0 ? n / s : 0) }')
    raw_p99[$kind]=$rp99
    http_rate[$kind]=$(awk -v n="$hok" -v s="$hsecs" 'BEGIN { printf "%.1f", (s > 0 ? n / s : 0) }')
    http_p50[$kind]=$p50
    http_p99[$kind]=$p99
    http_bad[$kind]=$bad
    if [[ $kind == postgres ]]; then
        bash "$root/scripts/pg.sh" stop >/dev/null 2>&1 || true
        pg_started=0
    fi
}

for kind in $dbs; do
    case $kind in
    sqlite | postgres) bench_db "$kind" ;;
    *) die "BENCH_ENROL_DBS: sqlite and/or postgres, not $kind" ;;
    esac
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# ---- report ---------------------------------------------------------------------

verdict() { if awk "BEGIN { exit !($1) }"; then echo "met"; else echo "MISSED"; fi; }
echo
echo "Enrolments: POST /evenementen/<id>/inschrijven as $persons persons into ${events} free events each"
echo "  (person, event) pairs in turn, nobody refused; raw = bench_enrol run, the page's transaction"
echo "  (seat, registration, audit line, mail) in db_tx without HTTP, $raw_threads threads;"
echo "  HTTP = wrk -t$wrk_threads -c$conns -s bench/enrol.lua, ${warmup}s warm-up; $rounds rounds of ${slice}s each, taking turns"
echo "  p50/p99: the highest of the rounds; load average before/after: $load_before / $load_after"
echo
printf '%-10s %10s %9s %10s %9s %9s %7s %8s\n' database "raw/s" "raw p99" "HTTP/s" "p50 ms" "p99 ms" errors "vs raw"
printf '%s\n' "$(printf '%.0s-' {1..80})"
for kind in $dbs; do
    printf '%-10s %10.1f %9.2f %10.1f %9.2f %9.2f %7d %7.1f%%\n' "$kind" "${raw_rate[$kind]}" "${raw_p99[$kind]}" \
        "${http_rate[$kind]}" "${http_p50[$kind]}" "${http_p99[$kind]}" "${http_bad[$kind]}" \
        "$(awk -v a="${http_rate[$kind]}" -v b="${raw_rate[$kind]}" 'BEGIN { print (b > 0 ? 100 * a / b : 0) }')"
done
echo
echo "Goals (enrolments)"
over=0
for kind in $dbs; do
    ratio=$(awk -v a="${http_rate[$kind]}" -v b="${raw_rate[$kind]}" 'BEGIN { printf "%.1f", (b > 0 ? 100 * a / b : 0) }')
    printf '  %-44s %-22s %s\n' "$kind: HTTP >= ${goal_ratio} % of the raw rate" "$ratio %" "$(verdict "$ratio >= $goal_ratio")"
    printf '  %-44s %-22s %s\n' "$kind: HTTP p99 < ${goal_p99} ms" "${http_p99[$kind]} ms" "$(verdict "${http_p99[$kind]} < $goal_p99")"
    printf '  %-44s %-22s %s\n' "$kind: every enrolment answered 303" "${http_bad[$kind]} errors" "$(verdict "${http_bad[$kind]} == 0")"
    o=$(field "${checks[$kind]}" overbooked) m=$(field "${checks[$kind]}" mismatched)
    printf '  %-44s %-22s %s\n' "$kind: no event overbooked, seats = registrations" \
        "$(field "${checks[$kind]}" events) events: $o over, $m off" "$(verdict "${o:-1} == 0 && ${m:-1} == 0")"
    if [[ ${o:-1} != 0 || ${m:-1} != 0 ]]; then over=1; fi
done
if awk -v l="${load_before%% *}" -v c="$(nproc)" 'BEGIN { exit !(l > c / 2) }'; then
    echo
    echo "note: the machine was busy before the run (load $load_before on $(nproc) CPUs): figures are noisy"
fi
if ((over)); then die "an event has more registrations holding a seat than places, or seats_taken is off"; fi
