#!/usr/bin/env bash
# `make bench`: throughput and latency of the public catalog pages on a large
# generated catalog, next to nginx serving the same agenda bytes as a static
# file, plus the server's peak RSS; then logins (Argon2id) against the raw
# Argon2id rate of this machine, and the agenda during a login flood; last,
# enrolments through HTTP next to the raw rate of their transaction
# (bench/enrol.sh). Reports; does not fail on missed goals. See bench/README.md for the knobs.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
cd "$root"

# wrk, nginx and curl are only the bench's: `make test` does not install them.
bash "$root/scripts/install-deps.sh" --bench >&2

seconds=${BENCH_SECONDS:-20}
conns=${BENCH_CONNECTIONS:-64}
wrk_threads=${BENCH_WRK_THREADS:-2}
warmup=${BENCH_WARMUP:-2}
timeout=${BENCH_TIMEOUT:-10} # wrk counts slower answers as errors, without their latency
search_word=${BENCH_QUERY:-heftruck}
keep=${BENCH_KEEP:-0}
login=${BENCH_LOGIN:-1}                       # 0 skips the login section
login_conns=${BENCH_LOGIN_CONNECTIONS:-8}     # each login is ~20 ms of CPU
login_threads=${BENCH_LOGIN_WRK_THREADS:-2}
login_accounts=${BENCH_LOGIN_ACCOUNTS:-8}     # the logins take the accounts in turn (one account allows 5 checks at once)
flood_conns=${BENCH_FLOOD_CONNECTIONS:-$conns} # agenda during the login flood
flood_threads=${BENCH_FLOOD_WRK_THREADS:-$wrk_threads}
pwhash_seconds=${BENCH_PWHASH_SECONDS:-10}

# goals
goal_ratio=30       # agenda req/s as % of nginx
goal_p99=20         # ms
goal_rss=64         # MB
goal_login_ratio=90 # logins/s as % of the raw Argon2id rate
goal_flood_p99=50   # ms, agenda during the login flood

# The bench accounts (created through the activation link, see section 6):
# bench@example.nl, bench2@example.nl, ... all with this password.
login_password='Kievit!Zwaluw27'

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
if [[ $login == 1 ]]; then cc=$(find_tool cc gcc); fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/klantportal-bench.XXXXXX")
server_pid=
nginx_pid=
flood_pid=

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
    if [[ -n $flood_pid ]]; then stop_pid "$flood_pid"; fi
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

pwhash=$tmp/pwhash_rate
if [[ $login == 1 ]]; then
    "$cc" -std=c17 -O2 -Wall -Wextra -o "$pwhash" "$here/pwhash_rate.c" -lsodium -lpthread \
        >"$tmp/pwhash-build.log" 2>&1 || {
        cat "$tmp/pwhash-build.log" >&2
        die "cannot compile bench/pwhash_rate.c (Debian packages: gcc, libsodium-dev)"
    }
fi

db=$tmp/bench.db
mkdir -p "$tmp/mail"
# As root the program runs as KLANTPORTAL_USER (scripts/install-deps.sh creates
# klantportal); it needs the bench folder for the database and the mail.
if [[ $(id -u) == 0 ]]; then
    export KLANTPORTAL_USER=${KLANTPORTAL_USER:-klantportal}
    getent passwd "$KLANTPORTAL_USER" >/dev/null ||
        die "no user $KLANTPORTAL_USER to run the server as (scripts/install-deps.sh creates it)"
    chown -R "$KLANTPORTAL_USER:" "$tmp"
fi
export KLANTPORTAL_DB="sqlite:$db"
export KLANTPORTAL_MAIL_DIR="$tmp/mail"
export KLANTPORTAL_BASE_URL="http://127.0.0.1"
export KLANTPORTAL_QUIET=1
# every wrk connection comes from 127.0.0.1: lift the per-address limit (default 64)
export KLANTPORTAL_CONNECTIONS_PER_ADDRESS=100000

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
# Reads $tmp/wrk-<name>.txt into rps/p50/p99/errs[name].
read_wrk() { # name
    local n=$1 out
    out=$(parse_wrk "$tmp/wrk-$n.txt") || {
        cat "$tmp/wrk-$n.txt" >&2
        die "cannot read wrk's output for $n"
    }
    read -r "rps[$n]" "p50[$n]" "p99[$n]" "errs[$n]" _ <<<"$out"
}

run_wrk() { # name url
    local n=$1 url=$2
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
    read_wrk "$n"
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

# ---- 6. logins -------------------------------------------------------------------

# The bench account: `staff add --print-link` prints an activation link (and
# mails nothing), and the password
# is set through it the way a browser does (GET the form for its csrf field
# and cookie, POST), so the hash in the database is the server's own.
make_account() { # email
    local email=$1 out token url code csrf jar=$tmp/activation-cookies.txt
    out=$("$bin" staff add --print-link --email "$email" --name "Bench Gebruiker" 2>"$tmp/staff.err") || {
        cat "$tmp/staff.err" >&2
        die "klantportal staff add failed"
    }
    token=$(awk 'match($0, /\/wachtwoord-instellen\?token=[A-Za-z0-9_-]+/) {
        print substr($0, RSTART + 28, RLENGTH - 28); exit }' <<<"$out")
    [[ -n $token ]] || die "no activation link in what staff add printed: $out"
    url="$base/wachtwoord-instellen?token=$token"
    code=$("$curl" -sS -c "$jar" -o "$tmp/activation.html" -w '%{http_code}' "$url") ||
        die "GET the activation link failed"
    [[ $code == 200 ]] || die "the activation link answered $code"
    csrf=$(awk 'match($0, /name="csrf" value="[A-Za-z0-9_-]+"/) {
        print substr($0, RSTART + 19, RLENGTH - 20); exit }' "$tmp/activation.html")
    [[ ${#csrf} == 43 ]] || die "no csrf field on the activation page"
    code=$("$curl" -sS -b "$jar" -c "$jar" -o "$tmp/activated.html" -w '%{http_code} %{redirect_url}' \
        --data-urlencode "csrf=$csrf" --data-urlencode "wachtwoord=$login_password" \
        --data-urlencode "wachtwoord_bevestiging=$login_password" "$url") ||
        die "POST the activation form failed"
    [[ $code == "303 $base/mijn" ]] ||
        die "setting the password of $email answered '$code', not a 303 to /mijn (BENCH_KEEP=1 keeps activated.html)"
}

# One login by hand, exactly as login.lua sends it: a wrong password would
# trip the brake (5 failures per account per 15 minutes) during the runs.
check_login() { # email
    local email=$1 code
    code=$("$curl" -sS -o "$tmp/login-check.html" -w '%{http_code} %{redirect_url}' \
        -H "Cookie: kp_csrf=$login_csrf" --data-urlencode "csrf=$login_csrf" \
        --data-urlencode "gebruikersnaam=$email" --data-urlencode "wachtwoord=$login_password" \
        "$base/inloggen") || die "POST /inloggen failed"
    [[ $code == "303 "* ]] || die "a login as $email answered '$code', not a 303"
}

# wrk with bench/login.lua: its done() adds "login not-303: N" (wrk's own
# non-2xx/3xx count misses a failed login: 200, the form again) and
# "login ok/s: R", the successful logins per second.
login_wrk=()
lua_figure() { # name key -> value
    local v
    v=$(awk -v k="login $2:" 'index($0, k) == 1 { print $NF }' "$tmp/wrk-$1.txt")
    [[ -n $v ]] || {
        cat "$tmp/wrk-$1.txt" >&2
        die "no '$2' from login.lua in wrk's output for $1"
    }
    printf '%s\n' "$v"
}
# req/s of a login run: successful logins only; errors: socket errors plus
# every answer that is not a 303
read_login() { # name
    local n=$1 non2xx bad
    read_wrk "$n"
    non2xx=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$tmp/wrk-$n.txt")
    bad=$(lua_figure "$n" not-303)
    errs[$n]=$((errs[$n] - ${non2xx:-0} + bad))
    rps[$n]=$(lua_figure "$n" ok/s)
    statuses[$n]=$(awk '/^login status/ { sub(/:$/, "", $3); s = s (s ? ", " : "") $4 " x " $3 } END { print s }' \
        "$tmp/wrk-$n.txt")
}
declare -A statuses

if [[ $login == 1 ]]; then
    ((login_accounts >= 1)) || die "BENCH_LOGIN_ACCOUNTS must be 1 or more"
    login_emails=()
    for ((i = 1; i <= login_accounts; i++)); do
        if ((i == 1)); then login_emails+=(bench@example.nl); else login_emails+=("bench$i@example.nl"); fi
    done
    say "bench accounts: ${login_emails[*]}"
    login_csrf=$(head -c 32 /dev/urandom | base64 -w 0 | tr '+/' '-_')
    login_csrf=${login_csrf:0:43}
    for e in "${login_emails[@]}"; do
        make_account "$e"
        check_login "$e"
    done
    login_list=$(IFS=,; echo "${login_emails[*]}")
    login_wrk=(-t"$login_threads" -c"$login_conns" --timeout "${timeout}s" --latency
        -s "$here/login.lua" "$base/inloggen" -- "$login_list" "$login_password" "$login_csrf")

    # the ceiling: the same Argon2id work without a server around it
    settle "before pwhash_rate"
    say "raw Argon2id rate: $(nproc) threads, ${pwhash_seconds}s"
    raw_out=$("$pwhash" "$(nproc)" "$pwhash_seconds") || die "bench/pwhash_rate failed"
    raw_rate=$(sed -n 's/.*hashes_per_s=\([0-9.]*\).*/\1/p' <<<"$raw_out")
    raw_ms=$(sed -n 's/.*ms_per_hash=\([0-9.]*\).*/\1/p' <<<"$raw_out")
    [[ -n $raw_rate && -n $raw_ms ]] || die "cannot read pwhash_rate's output: $raw_out"

    settle "before login"
    if ((warmup > 0)); then
        "$wrk" -d"${warmup}s" "${login_wrk[@]}" >"$tmp/wrk-login_warmup.txt" 2>&1 ||
            die "wrk login warm-up failed"
    fi
    say "wrk login: POST /inloggen (${seconds}s)"
    "$wrk" -d"${seconds}s" "${login_wrk[@]}" >"$tmp/wrk-login.txt" 2>&1 || {
        cat "$tmp/wrk-login.txt" >&2
        die "wrk login failed"
    }
    read_login login
    check_server "during login"

    # The flood: logins for the whole agenda run and 2 s on either side.
    settle "before the login flood"
    flood_seconds=$((seconds + 4))
    say "wrk login_flood: POST /inloggen (${flood_seconds}s), from 2 s in wrk agenda_flood: /cursusagenda (${seconds}s)"
    "$wrk" -d"${flood_seconds}s" "${login_wrk[@]}" >"$tmp/wrk-login_flood.txt" 2>&1 &
    flood_pid=$!
    sleep 2
    "$wrk" -t"$flood_threads" -c"$flood_conns" -d"${seconds}s" --timeout "${timeout}s" --latency \
        "$base${path[agenda]}" >"$tmp/wrk-agenda_flood.txt" 2>&1 || {
        cat "$tmp/wrk-agenda_flood.txt" >&2
        die "wrk against ${path[agenda]} during the login flood failed"
    }
    st=0
    wait "$flood_pid" || st=$?
    flood_pid=
    ((st == 0)) || {
        cat "$tmp/wrk-login_flood.txt" >&2
        die "wrk login_flood failed (status $st)"
    }
    read_login login_flood
    read_wrk agenda_flood
    check_server "during the login flood"
    load_after=$(cut -d' ' -f1-3 /proc/loadavg)
    hwm_login_kb=$(awk '/^VmHWM:/ { print $2 }' "/proc/$server_pid/status")
    rss_login_kb=$(awk '/^VmRSS:/ { print $2 }' "/proc/$server_pid/status")
fi

# ---- 7. report -----------------------------------------------------------------

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
header() { # last column
    printf '%-14s %10s %9s %9s %7s %14s\n' target req/s "p50 ms" "p99 ms" errors "$1"
    printf '%s\n' "$(printf '%.0s-' {1..68})"
}
header "vs nginx"
row() { # name ratio-text
    printf '%-14s %10.0f %9.2f %9.2f %7d %14s\n' "$1" "${rps[$1]}" "${p50[$1]}" "${p99[$1]}" \
        "${errs[$1]}" "$2"
}
row nginx "100 %"
for n in "${names[@]}"; do
    ratio=$(awk -v a="${rps[$n]}" -v b="${rps[nginx]}" 'BEGIN { printf "%.1f %%", (b > 0 ? 100 * a / b : 0) }')
    row "$n" "$ratio"
done
echo
awk -v h="$hwm_kb" -v r="$rss_kb" 'BEGIN { printf "klantportal peak RSS (VmHWM) %.1f MB, RSS now %.1f MB\n", h / 1024, r / 1024 }'

pct() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", (b > 0 ? 100 * a / b : 0) }'; }
if [[ $login == 1 ]]; then
    login_ratio=$(pct "${rps[login]}" "$raw_rate")
    echo
    if ((login_accounts == 1)); then who=${login_emails[0]}; else who="$login_accounts accounts in turn (${login_emails[0]} ...)"; fi
    echo "Logins: POST /inloggen as $who (Argon2id t=2, 19 MiB, on the server's worker pool)"
    echo "  raw Argon2id rate (bench/pwhash_rate, $(nproc) threads, ${pwhash_seconds}s):" \
        "$raw_rate hashes/s, $raw_ms ms per hash per thread"
    echo "  login:  wrk -t$login_threads -c$login_conns -d${seconds}s -s bench/login.lua, ${warmup}s warm-up;" \
        "req/s = successful logins (303) per second;" \
        "errors = socket errors + answers other than 303; p50/p99 over all answers"
    echo "  flood:  the same logins for ${flood_seconds}s; from 2 s in, agenda_flood" \
        "= wrk -t$flood_threads -c$flood_conns -d${seconds}s ${path[agenda]}"
    echo
    header "vs"
    row login "$login_ratio % raw"
    row login_flood "$(pct "${rps[login_flood]}" "$raw_rate") % raw"
    row agenda_flood "$(pct "${rps[agenda_flood]}" "${rps[agenda]}") % alone"
    echo "  answers: login ${statuses[login]}; login_flood ${statuses[login_flood]}"
    echo
    awk -v h="$hwm_login_kb" -v r="$rss_login_kb" 'BEGIN {
        printf "klantportal peak RSS (VmHWM) after the logins %.1f MB, RSS now %.1f MB" \
            " (Argon2id takes 19 MiB per hash in flight)\n", h / 1024, r / 1024 }'
fi

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
all=(nginx "${names[@]}")
if [[ $login == 1 ]]; then
    all+=(login login_flood agenda_flood)
    printf '  %-44s %-22s %s\n' "logins >= ${goal_login_ratio} % of the raw Argon2id rate" \
        "${login_ratio} %" "$(verdict "$login_ratio >= $goal_login_ratio")"
    login_errs=$((errs[login] + errs[login_flood]))
    printf '  %-44s %-22s %s\n' "every login answered 303" "$login_errs errors" \
        "$(verdict "$login_errs == 0")"
    printf '  %-44s %-22s %s\n' "agenda p99 < ${goal_flood_p99} ms during the login flood" \
        "$(fmt2 "${p99[agenda_flood]}") ms" "$(verdict "${p99[agenda_flood]} < $goal_flood_p99")"
fi
total_errs=0
for n in "${all[@]}"; do total_errs=$((total_errs + errs[$n])); done
if ((total_errs > 0)); then
    echo
    echo "note: $total_errs errors (socket errors, non-2xx answers, logins not answered 303; see the errors columns); socket errors are not in p50/p99"
fi
if awk -v l="${load_before%% *}" -v c="$(nproc)" 'BEGIN { exit !(l > c / 2) }'; then
    echo
    echo "note: the machine was busy before the run (load $load_before on $(nproc) CPUs): figures are noisy"
fi

# ---- 8. enrolments -------------------------------------------------------------------

# bench/enrol.sh: enrolments/s through HTTP on SQLite and PostgreSQL next to the
# raw rate of the same transaction, on databases of its own; the catalog's
# server and nginx make room first. BENCH_ENROL=0 leaves it out.
if [[ ${BENCH_ENROL:-1} == 1 ]]; then
    stop_pid "$server_pid"
    server_pid=
    stop_pid "$nginx_pid"
    nginx_pid=
    BENCH_NO_BUILD=1 bash "$here/enrol.sh"
fi
