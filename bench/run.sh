#!/usr/bin/env bash
# `make bench`: throughput and latency of the public catalog pages on a large
# generated catalog, next to nginx serving the same agenda bytes as a static
# file, plus the server's peak RSS. Reports; does not fail on missed goals.
# See bench/README.md for the knobs.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
cd "$root"

seconds=${BENCH_SECONDS:-20}
conns=${BENCH_CONNECTIONS:-64}
wrk_threads=${BENCH_WRK_THREADS:-2}
warmup=${BENCH_WARMUP:-2}
timeout=${BENCH_TIMEOUT:-10} # wrk counts slower answers as errors, without their latency
search_word=${BENCH_QUERY:-heftruck}
keep=${BENCH_KEEP:-0}

# goals
goal_ratio=30 # agenda req/s as % of nginx
goal_p99=20   # ms
goal_rss=64   # MB

say() { printf 'bench: %s\n' "$*" >&2; }
die() {
    say "$*"
    exit 1
}

find_tool() { # name -> path (nginx lives in /usr/sbin, often not on a user's PATH)
    local p
    p=$(command -v "$1" 2>/dev/null || true)
    if [[ -z $p && -x /usr/sbin/$1 ]]; then p=/usr/sbin/$1; fi
    [[ -n $p ]] || die "$1 not found (Debian package: $2)"
    printf '%s\n' "$p"
}
sqlite=$(find_tool sqlite3 sqlite3)
wrk=$(find_tool wrk wrk)
nginx=$(find_tool nginx nginx-light)
curl=$(find_tool curl curl)

tmp=$(mktemp -d "${TMPDIR:-/tmp}/klantportal-bench.XXXXXX")
server_pid=
nginx_pid=

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
    if [[ -n $nginx_pid ]]; then stop_pid "$nginx_pid"; fi
    if [[ $keep == 1 ]]; then
        say "kept $tmp"
    else
        rm -rf "$tmp"
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

now_ms() { date +%s%3N; }

# ---- 1. build, database, catalog ------------------------------------------

bin=$root/build/klantportal
if [[ ${BENCH_NO_BUILD:-0} == 1 ]]; then
    say "BENCH_NO_BUILD=1: using the existing $bin"
else
    say "build"
    make --no-print-directory build >"$tmp/build.log" 2>&1 || {
        cat "$tmp/build.log" >&2
        die "make build failed (BENCH_NO_BUILD=1 benchmarks the binary already there)"
    }
fi
[[ -x $bin ]] || die "no $bin (make build)"

db=$tmp/bench.db
mkdir -p "$tmp/mail"
export KLANTPORTAL_DB="sqlite:$db"
export KLANTPORTAL_MAIL_DIR="$tmp/mail"
export KLANTPORTAL_BASE_URL="http://127.0.0.1"
export KLANTPORTAL_QUIET=1

"$bin" migrate >"$tmp/migrate.log" 2>&1 || {
    cat "$tmp/migrate.log" >&2
    die "klantportal migrate failed"
}

say "generating the catalog"
t0=$(now_ms)
"$sqlite" -bail "$db" <"$here/generate.sql" >"$tmp/generate.log" 2>&1 || {
    cat "$tmp/generate.log" >&2
    die "bench/generate.sql failed"
}
gen_ms=$(($(now_ms) - t0))
counts=$("$sqlite" "$db" "SELECT (SELECT count(*) FROM categories) || ' categories, ' ||
    (SELECT count(*) FROM courses WHERE maatwerk_org_id IS NULL) || ' public + ' ||
    (SELECT count(*) FROM courses WHERE maatwerk_org_id IS NOT NULL) || ' maatwerk courses, ' ||
    (SELECT count(*) FROM events) || ' events, ' || (SELECT count(*) FROM persons) || ' persons, ' ||
    (SELECT count(*) FROM organisations) || ' organisations, ' ||
    (SELECT count(*) FROM registrations) || ' registrations'")
say "generated in ${gen_ms} ms: $counts"

# What the filtered agenda and the course page ask for.
top_id=$("$sqlite" "$db" "SELECT id FROM categories WHERE parent_id IS NULL ORDER BY sort_order, name LIMIT 1")
next_month=$("$sqlite" "$db" "SELECT strftime('%Y-%m', 'now', 'localtime', 'start of month', '+1 month')")
course_path=$("$sqlite" "$db" "SELECT '/aanbod/' || cat.slug_path || '/' || c.slug
    FROM courses c JOIN categories cat ON cat.id = c.category_id JOIN events e ON e.course_id = c.id
    WHERE c.maatwerk_org_id IS NULL AND c.active = 1 AND e.cancelled = 0
      AND e.starts_on >= date('now', 'localtime')
    GROUP BY c.id ORDER BY count(*) DESC, c.id LIMIT 1")
[[ -n $top_id && -n $next_month && -n $course_path ]] || die "could not pick the targets"

# ---- 2. the server ----------------------------------------------------------

# Dies with the server's exit status (and its stderr) when it is gone.
check_server() { # when
    kill -0 "$server_pid" 2>/dev/null && return 0
    local st=0
    wait "$server_pid" 2>/dev/null || st=$?
    server_pid=
    tail -n 20 "$tmp/server.err" >&2 2>/dev/null || true
    if ((st > 128)); then
        die "klantportal serve died $1: killed by signal $((st - 128)) ($(kill -l $((st - 128)) 2>/dev/null || echo '?'))"
    fi
    die "klantportal serve exited $1 with status $st"
}

say "starting klantportal serve"
KLANTPORTAL_LISTEN=127.0.0.1:0 "$bin" serve >"$tmp/server.out" 2>"$tmp/server.err" &
server_pid=$!
port=
for ((i = 0; i < 200; i++)); do
    port=$(sed -n 's|^listening http://127\.0\.0\.1:\([0-9][0-9]*\)$|\1|p' "$tmp/server.out" 2>/dev/null || true)
    [[ -n $port ]] && break
    check_server "at start"
    sleep 0.05
done
[[ -n $port ]] || die "klantportal serve did not say where it listens"
base="http://127.0.0.1:$port"

names=(agenda agenda_filter agenda_search course home)
declare -A path=(
    [agenda]="/cursusagenda"
    [agenda_filter]="/cursusagenda?categorie=$top_id&maand=$next_month"
    [agenda_search]="/cursusagenda?q=$search_word"
    [course]="$course_path"
    [home]="/"
)

mkdir -p "$tmp/www"
for n in "${names[@]}"; do
    code=$("$curl" -sS -o "$tmp/body-$n.html" -w '%{http_code}' "$base${path[$n]}") ||
        die "GET ${path[$n]} failed"
    [[ $code == 200 ]] || die "GET ${path[$n]} answered $code"
done
# The agenda's exact bytes, for nginx.
cp "$tmp/body-agenda.html" "$tmp/www/cursusagenda.html"
agenda_bytes=$(wc -c <"$tmp/www/cursusagenda.html")

# ---- 3. nginx with the same bytes --------------------------------------------

port_free() { # true when nothing accepts on 127.0.0.1:$1
    ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

start_nginx() { # port
    local np=$1
    mkdir -p "$tmp/nginx"
    {
        if ((EUID == 0)); then echo "user root;"; fi
        cat <<EOF
worker_processes 2;
daemon off;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_timeout 65;
    keepalive_requests 1000000;
    client_body_temp_path $tmp/nginx/client_body;
    proxy_temp_path $tmp/nginx/proxy;
    fastcgi_temp_path $tmp/nginx/fastcgi;
    uwsgi_temp_path $tmp/nginx/uwsgi;
    scgi_temp_path $tmp/nginx/scgi;
    server {
        listen 127.0.0.1:$np;
        root $tmp/www;
        location / {
            default_type "text/html; charset=utf-8";
            try_files /cursusagenda.html =404;
        }
    }
}
EOF
    } >"$tmp/nginx/nginx.conf"
    "$nginx" -p "$tmp/nginx" -e "$tmp/nginx/error.log" -c "$tmp/nginx/nginx.conf" \
        >"$tmp/nginx/stdout.log" 2>&1 &
    nginx_pid=$!
    local i
    for ((i = 0; i < 100; i++)); do
        if "$curl" -s -o /dev/null "http://127.0.0.1:$np/cursusagenda" 2>/dev/null; then return 0; fi
        kill -0 "$nginx_pid" 2>/dev/null || break
        sleep 0.05
    done
    stop_pid "$nginx_pid"
    nginx_pid=
    return 1
}

say "starting nginx"
nport=
for ((try = 0; try < 20; try++)); do
    p=$((20000 + RANDOM % 40000))
    [[ $p == "$port" ]] && continue
    port_free "$p" || continue
    if start_nginx "$p"; then
        nport=$p
        break
    fi
done
[[ -n $nport ]] || {
    cat "$tmp/nginx/error.log" >&2 2>/dev/null || true
    die "nginx did not start"
}
"$curl" -sS -o "$tmp/body-nginx.html" "http://127.0.0.1:$nport/cursusagenda"
cmp -s "$tmp/body-nginx.html" "$tmp/www/cursusagenda.html" || die "nginx does not serve the same bytes"

# ---- 4. wrk --------------------------------------------------------------------

# wrk prints latencies as 812.00us, 1.23ms, 1.05s, 1.50m.
parse_wrk() { # file -> "rps p50_ms p99_ms errors requests"
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
        /requests in/ { reqs = $1 }
        /^Requests\/sec:/ { rps = $2 }
        /Socket errors:/ {
            line = $0; gsub(/[^0-9 ]/, " ", line); n = split(line, f, " ")
            for (i = 1; i <= n; i++) errs += f[i]
        }
        /Non-2xx or 3xx responses:/ { errs += $NF }
        END {
            if (rps == "") exit 1
            printf "%.2f %.3f %.3f %d %d\n", rps, p50, p99, errs, reqs
        }' "$1"
}

cpu_ticks() { # pid -> utime + stime
    local s
    s=$(<"/proc/$1/stat") || return 1
    s=${s##*) }
    awk '{ print $12 + $13 }' <<<"$s"
}

# wrk stops sending when its time is up, but requests already queued in the
# server (slow pages x 64 connections) still run and would eat into the next
# target's time: wait until the server has been idle for 0.3 s (at most 60 s).
settle() { # when
    local a b i when=$1
    a=$(cpu_ticks "$server_pid" 2>/dev/null) || check_server "$when"
    for ((i = 0; i < 200; i++)); do
        sleep 0.3
        b=$(cpu_ticks "$server_pid" 2>/dev/null) || check_server "$when"
        ((b - a <= 1)) && return 0
        a=$b
    done
    say "server still busy after 60 s; going on"
}

declare -A rps p50 p99 errs
run_wrk() { # name url
    local n=$1 url=$2 out
    settle "before $n"
    if ((warmup > 0)); then
        "$wrk" -t"$wrk_threads" -c"$conns" -d"${warmup}s" --timeout "${timeout}s" "$url" >/dev/null 2>&1 ||
            die "wrk warm-up against $url failed"
    fi
    say "wrk $n: $url (${seconds}s)"
    "$wrk" -t"$wrk_threads" -c"$conns" -d"${seconds}s" --timeout "${timeout}s" --latency "$url" \
        >"$tmp/wrk-$n.txt" 2>&1 || {
        cat "$tmp/wrk-$n.txt" >&2
        die "wrk against $url failed"
    }
    out=$(parse_wrk "$tmp/wrk-$n.txt") || {
        cat "$tmp/wrk-$n.txt" >&2
        die "cannot read wrk's output for $n"
    }
    read -r "rps[$n]" "p50[$n]" "p99[$n]" "errs[$n]" _ <<<"$out"
    check_server "during $n"
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
# nginx first, the agenda right after it: the two the ratio compares run
# under the same conditions as far as this machine allows.
run_wrk nginx "http://127.0.0.1:$nport/cursusagenda"
for n in "${names[@]}"; do
    run_wrk "$n" "$base${path[$n]}"
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# ---- 5. peak RSS -------------------------------------------------------------

check_server "after the runs"
hwm_kb=$(awk '/^VmHWM:/ { print $2 }' "/proc/$server_pid/status")
rss_kb=$(awk '/^VmRSS:/ { print $2 }' "/proc/$server_pid/status")
[[ -n $hwm_kb ]] || die "no VmHWM for pid $server_pid"

# ---- 6. report -----------------------------------------------------------------

threads=${KLANTPORTAL_THREADS:-$(nproc) (default)}
echo
echo "Klantportal benchmark  $(date '+%Y-%m-%d %H:%M')  $(uname -m), $(nproc) CPUs"
echo "  catalog:  $counts"
echo "  wrk -t$wrk_threads -c$conns -d${seconds}s --timeout ${timeout}s --latency, ${warmup}s warm-up per target;" \
    "server threads: $threads; agenda body $agenda_bytes bytes"
echo "  load average before/after: $load_before / $load_after"
echo "  targets:"
printf '    %-14s %s\n' nginx "http://127.0.0.1:$nport/cursusagenda (static copy of the agenda)"
for n in "${names[@]}"; do printf '    %-14s %s\n' "$n" "${path[$n]}"; done
echo
printf '%-14s %10s %9s %9s %7s %9s\n' target req/s "p50 ms" "p99 ms" errors "vs nginx"
printf '%s\n' "$(printf '%.0s-' {1..63})"
row() { # name ratio-text
    printf '%-14s %10.0f %9.2f %9.2f %7d %9s\n' "$1" "${rps[$1]}" "${p50[$1]}" "${p99[$1]}" \
        "${errs[$1]}" "$2"
}
row nginx "100 %"
for n in "${names[@]}"; do
    ratio=$(awk -v a="${rps[$n]}" -v b="${rps[nginx]}" 'BEGIN { printf "%.1f %%", (b > 0 ? 100 * a / b : 0) }')
    row "$n" "$ratio"
done
echo
awk -v h="$hwm_kb" -v r="$rss_kb" 'BEGIN { printf "klantportal peak RSS (VmHWM) %.1f MB, RSS now %.1f MB\n", h / 1024, r / 1024 }'

# Goals: reported, never fatal.
worst=agenda
for n in "${names[@]}"; do
    if awk -v a="${p99[$n]}" -v b="${p99[$worst]}" 'BEGIN { exit !(a > b) }'; then worst=$n; fi
done
fmt2() { awk -v v="$1" 'BEGIN { printf "%.2f", v }'; }
verdict() { if awk "BEGIN { exit !($1) }"; then echo "met"; else echo "MISSED"; fi; }
ratio_agenda=$(awk -v a="${rps[agenda]}" -v b="${rps[nginx]}" 'BEGIN { printf "%.1f", (b > 0 ? 100 * a / b : 0) }')
hwm_mb=$(awk -v h="$hwm_kb" 'BEGIN { printf "%.1f", h / 1024 }')
echo
echo "Goals"
printf '  %-44s %-22s %s\n' "agenda >= ${goal_ratio} % of nginx req/s" "${ratio_agenda} %" \
    "$(verdict "$ratio_agenda >= $goal_ratio")"
printf '  %-44s %-22s %s\n' "agenda p99 < ${goal_p99} ms" "$(fmt2 "${p99[agenda]}") ms" \
    "$(verdict "${p99[agenda]} < $goal_p99")"
printf '  %-44s %-22s %s\n' "every portal target p99 < ${goal_p99} ms" "worst: $worst $(fmt2 "${p99[$worst]}") ms" \
    "$(verdict "${p99[$worst]} < $goal_p99")"
printf '  %-44s %-22s %s\n' "peak RSS < ${goal_rss} MB" "${hwm_mb} MB" "$(verdict "$hwm_mb < $goal_rss")"
total_errs=0
for n in nginx "${names[@]}"; do total_errs=$((total_errs + errs[$n])); done
if ((total_errs > 0)); then
    echo
    echo "note: $total_errs socket errors / non-2xx answers (see the errors column); their latencies are not in p50/p99"
fi
if awk -v l="${load_before%% *}" -v c="$(nproc)" 'BEGIN { exit !(l > c / 2) }'; then
    echo
    echo "note: the machine was busy before the run (load $load_before on $(nproc) CPUs): figures are noisy"
fi
