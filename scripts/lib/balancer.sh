# shellcheck shell=bash
# HAProxy on loopback in front of several Liaison instances, for the tests of
# two instances and for scripts/soak. Sourced, not executed.

# shellcheck source=scripts/lib/packages.sh
source "$(dirname "${BASH_SOURCE[0]}")/packages.sh"

lb_require() {
    # shellcheck disable=SC2046
    ensure_packages $(missing_balancer)
    LB_BIN=$(command -v haproxy || echo /usr/sbin/haproxy)
    export LB_BIN
}

# lb_start DIR PORT BACKEND_PORT... : balances requests round-robin over the
# instances on the backend ports, each request on its own (a keep-alive
# connection is not tied to one instance), checking /readyz every second; a
# connection an instance refuses (stopping, restarting) is tried on the other.
lb_start() {
    local dir=$1 port=$2 n=0
    shift 2
    lb_require
    mkdir -p "$dir"
    {
        cat <<CFG
global
    maxconn 4096
    pidfile $dir/haproxy.pid

defaults
    mode http
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    timeout http-keep-alive 10s
    option forwardfor
    # A connection an instance refuses (it is stopping, or not started yet)
    # is tried on the other: the request never reached it. Nothing retries a
    # request an instance received, which might have acted on it.
    retries 3
    option redispatch 1
    retry-on conn-failure

frontend liaison
    bind 127.0.0.1:$port
    default_backend instances

backend instances
    balance roundrobin
    option httpchk GET /readyz
    http-check expect status 200
    default-server inter 1s fall 2 rise 1
CFG
        for backend in "$@"; do
            n=$((n + 1))
            echo "    server instance$n 127.0.0.1:$backend check"
        done
    } >"$dir/haproxy.cfg"
    "$LB_BIN" -c -q -f "$dir/haproxy.cfg" || return 1
    "$LB_BIN" -D -f "$dir/haproxy.cfg" || return 1
}

lb_stop() {
    local dir=$1
    [ -s "$dir/haproxy.pid" ] && kill "$(cat "$dir/haproxy.pid")" 2>/dev/null || true
    rm -f "$dir/haproxy.pid"
}
