# shellcheck shell=bash
# Installing what the scripts need from the system's package manager, so that
# scripts/run and scripts/test work on a bare Debian or Ubuntu machine with Rust.
# Sourced, not executed.

# ensure_packages PACKAGE... : installs the Debian packages given (those found
# missing by the caller) with apt-get, as root or through sudo, saying what it
# installs. Without either, or without apt-get, prints the command to run and exits.
ensure_packages() {
    [ $# -gt 0 ] || return 0
    local install="apt-get install -y --no-install-recommends $*"
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "Liaison needs: $* (not found, and this is not a Debian or Ubuntu system)." >&2
        echo "Install them with your package manager, then run this again." >&2
        exit 1
    fi
    local run=()
    if [ "$(id -u)" = 0 ]; then
        run=()
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        run=(sudo)
    else
        echo "Liaison needs: $*. Install them with:" >&2
        echo "    sudo apt-get update && sudo $install" >&2
        exit 1
    fi
    echo "==> installing $* (apt-get)"
    export DEBIAN_FRONTEND=noninteractive
    "${run[@]}" apt-get update -qq
    "${run[@]}" apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# The PostgreSQL server package when its binaries are missing.
missing_postgres() {
    pg_find_bindir >/dev/null 2>&1 || echo postgresql
}

# Chromium and its driver, for the browser tests.
missing_browser() {
    command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || echo chromium
    command -v chromedriver >/dev/null 2>&1 || echo chromium-driver
}

# HAProxy, the load balancer two instances run behind in the tests and the soak.
missing_balancer() {
    command -v haproxy >/dev/null 2>&1 || [ -x /usr/sbin/haproxy ] || echo haproxy
}

# A Java runtime for the Nu HTML Checker, curl to fetch it, and xmllint to
# check the SEPA files against their XML schema.
missing_checker_tools() {
    command -v java >/dev/null 2>&1 || echo default-jre-headless
    command -v curl >/dev/null 2>&1 || echo curl ca-certificates
    command -v xmllint >/dev/null 2>&1 || echo libxml2-utils
}
