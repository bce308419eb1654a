#!/usr/bin/env bash
# Install the Debian packages Klantportal needs, and only those that are missing.
#
#   scripts/install-deps.sh            everything: build, libraries, test, bench and dev tools
#   scripts/install-deps.sh --runtime  only what `make run` needs (build tools, libraries and
#                                      what `serve` reads at run time)
#   scripts/install-deps.sh --test     what `make test` and `make check` need (runtime + test)
#   scripts/install-deps.sh --bench    what `make bench` needs (runtime + bench)
#
# As root it also creates the system user `klantportal` (no login shell, no home) that the
# server, `make run` and the tests switch to; nothing is done when it exists.
# Idempotent: when everything is installed it does not touch apt at all.
# As root it runs apt-get directly, otherwise through `sudo -n`; when neither is possible it
# prints the apt-get line to run and exits 1.
set -euo pipefail

mode=full
for arg in "$@"; do
    case "$arg" in
    --runtime) mode=runtime ;;
    --test) mode=test ;;
    --bench) mode=bench ;;
    -h | --help)
        sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'
        exit 0
        ;;
    *)
        echo "install-deps: unknown option: $arg" >&2
        exit 2
        ;;
    esac
done

# Build tools and the libraries the server links against.
runtime_pkgs=(
    build-essential meson ninja-build pkg-config
    libmicrohttpd-dev libsqlite3-dev sqlite3 libpq-dev libsodium-dev libcmark-dev
    libcurl4-openssl-dev libhpdf-dev liboath-dev libqrencode-dev
    # read by `serve` at run time: the common-password list, the business time zone
    # (Europe/Amsterdam), the CA certificates for SMTP over TLS, the typeface the pages
    # are set in (served by the portal itself) and the one embedded in PDF documents
    john-data tzdata ca-certificates fonts-inter fonts-dejavu-core
)
# What `make test` uses besides: the fuzz build (clang and its runtime), the unit tests
# (cmocka; john-data's list for the password policy; pdftotext and pdfinfo to read PDF files
# back), the throwaway PostgreSQL, the browser tests, and Saxon on a Java runtime for the
# EN 16931 rules that every e-invoice the tests make is checked against.
test_pkgs=(
    clang libclang-rt-14-dev libcmocka-dev poppler-utils
    postgresql chromium john-data
    libsaxonhe-java default-jre-headless
)
# Only `make bench` (bench/run.sh) uses these; postgresql for the enrolments on PostgreSQL.
bench_pkgs=(wrk nginx curl postgresql)
# Only `make format`.
dev_pkgs=(clang-format)

wanted=("${runtime_pkgs[@]}")
case "$mode" in
full) wanted+=("${test_pkgs[@]}" "${bench_pkgs[@]}" "${dev_pkgs[@]}") ;;
test) wanted+=("${test_pkgs[@]}") ;;
bench) wanted+=("${bench_pkgs[@]}") ;;
esac
if [ "$mode" = full ] || [ "$mode" = test ]; then
    # Node.js and npm only when there is no node at all (it may come from elsewhere). Debian 12's
    # is 18, too old for the tests: scripts/node.sh then fetches a newer one into build-node/.
    if ! command -v node >/dev/null 2>&1; then
        wanted+=(nodejs npm)
    fi
fi

# The unprivileged user every command switches to when started as root.
run_user=klantportal
if [ "$(id -u)" -eq 0 ] && ! getent passwd "$run_user" >/dev/null; then
    useradd --system --user-group --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin "$run_user"
    echo "install-deps: created system user $run_user"
fi

missing=()
for pkg in "${wanted[@]}"; do
    case " ${missing[*]} " in *" $pkg "*) continue ;; esac
    status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
    if [ "$status" != installed ]; then
        missing+=("$pkg")
    fi
done

if [ "${#missing[@]}" -eq 0 ]; then
    echo "install-deps: all ${#wanted[@]} packages present ($mode)"
    exit 0
fi

echo "install-deps: missing: ${missing[*]}"

if [ "$(id -u)" -eq 0 ]; then
    as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    as_root=(sudo -n)
else
    echo "install-deps: not root and no password-less sudo; run this as root:" >&2
    echo "  apt-get update && apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
fi

export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y --no-install-recommends "${missing[@]}"
echo "install-deps: installed ${missing[*]}"
