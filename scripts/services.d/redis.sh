#!/usr/bin/env bash
# Redis 7.0 from Debian's packages, unpacked (not installed) under the services folder, on 127.0.0.1.
#
# `apt-get download` + `dpkg-deb -x` instead of `apt-get install`: no system service is started
# on the default port, nothing outside our folder changes, and no root is needed once apt's
# package lists exist. Debian builds redis-server against two shared libraries it packages
# separately (liblzf, jemalloc); they are unpacked beside it and found through LD_LIBRARY_PATH.
set -euo pipefail
SERVICE_NAME=redis
source "$(dirname "${BASH_SOURCE[0]}")/common.bash"

PINS="redis-server=5:7.0.15- redis-tools=5:7.0.15- liblzf1=3.6- libjemalloc2=5.3.0-"
PORT="${KCP_REDIS_PORT:-63799}"
folder="$KCP_SERVICES_DIR/redis"
root="$folder/root"
data="$folder/data"
url="redis://127.0.0.1:$PORT/0"
export LD_LIBRARY_PATH="$root/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"

install() {
    if [[ -f "$root/.installed" ]] && [[ "$(cat "$root/.installed")" == "$PINS" ]]; then return; fi
    log "unpacking Debian's redis 7.0.15 into $root"
    rm -rf "$root" "$root.debs"
    unpack_debian_packages "$PINS" "$root"
    "$root/usr/bin/redis-server" --version >&2 || die "the unpacked redis-server does not run"
    echo "$PINS" >"$root/.installed"
}

cli() { "$root/usr/bin/redis-cli" -h 127.0.0.1 -p "$PORT" "$@" 2>/dev/null; }
answers() { [[ -x "$root/usr/bin/redis-cli" ]] && [[ "$(cli ping)" == PONG ]]; }
# The server on the port is the one this folder started (not another user's Redis on that port).
ours() { answers && [[ -f "$data/redis.pid" ]] && cli info server | grep -q "^process_id:$(cat "$data/redis.pid")"; }

case "${1:-}" in
up)
    install
    server_folder "$folder"
    server_folder "$data"
    if answers && ! ours; then
        die "another Redis answers on 127.0.0.1:$PORT; stop it or choose another port with KCP_REDIS_PORT"
    fi
    if ! answers; then
        log "starting on 127.0.0.1:$PORT (log: $data/redis.log)"
        # A cache, APQ store and rate counters: losing them on a restart is fine, so no snapshots.
        run_unprivileged env LD_LIBRARY_PATH="$LD_LIBRARY_PATH" "$root/usr/bin/redis-server" \
            --bind 127.0.0.1 --port "$PORT" --dir "$data" --save "" --appendonly no \
            --daemonize yes --pidfile "$data/redis.pid" --logfile "$data/redis.log" ||
            die "redis-server did not start; see $data/redis.log"
    fi
    wait_until 30 ours || die "no answer on 127.0.0.1:$PORT within 30 s; see $data/redis.log"
    log "up: $url"
    echo "export REDIS_URL=$url"
    ;;
down)
    if ours; then
        pid="$(cat "$data/redis.pid")"
        cli shutdown nosave >/dev/null || true
        wait_until 10 bash -c "! kill -0 $pid" || kill -KILL "$pid" 2>/dev/null || true
        log "stopped"
    else
        log "not running"
    fi
    ;;
status)
    if ours; then
        echo "redis: up on 127.0.0.1:$PORT ($url)"
    else
        echo "redis: down"
        exit 1
    fi
    ;;
*)
    echo "usage: $0 up|down|status" >&2
    exit 2
    ;;
esac
