#!/usr/bin/env bash
# A MongoDB wire-protocol server: FerretDB v1.24 (Apache-2.0) on its SQLite backend, on 127.0.0.1.
#
# No registry here serves mongod. FerretDB is a Go module on the Go module proxy. Its own command
# built with `go install github.com/FerretDB/FerretDB/cmd/ferretdb@v1.24.2` panics at start (it
# wants build/version/version.txt, which FerretDB's release tooling generates and the module lacks),
# so scripts/ferretdb wraps FerretDB's embeddable package in a 100-line program, pinned by its
# go.mod/go.sum. `go build` needs the Go toolchain (on PATH or in /usr/local/go/bin). The binary is
# cached in the services folder, rebuilt only when those sources change, so only the first `up`
# compiles (about two minutes on two busy cores). The SQLite backend keeps one file per database
# under the data folder, in WAL mode, and needs no PostgreSQL.
#
#   up      start (or find running), wait for a real wire-protocol ping, print MONGODB_URI
#   down    stop (SIGTERM)
#   status  one line; exit 0 when up
#
# KCP_MONGO_PORT moves it off 27017.
set -euo pipefail
SERVICE_NAME=mongo
source "$(dirname "${BASH_SOURCE[0]}")/common.bash"

FERRETDB_VERSION="v1.24.2"  # pinned in scripts/ferretdb/go.mod; named here for the log lines
PORT="${KCP_MONGO_PORT:-27017}"
sources="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/ferretdb"
folder="${KCP_SERVICES_DIR:-/tmp/kcp-services}/mongo"
binary="$folder/bin/kcp-ferretdb"
data="$folder/data"
pidfile="$folder/ferretdb.pid"
logfile="$folder/ferretdb.log"
url="mongodb://127.0.0.1:$PORT/"

running() { [[ -f "$pidfile" ]] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }
# `kcp-ferretdb ping` is a MongoDB driver's ping over the wire protocol, not just a TCP connect.
answers() { running && "$binary" ping -listen "127.0.0.1:$PORT"; }

build() {
    local stamp go_tool
    stamp="$(cat "$sources/go.mod" "$sources/go.sum" "$sources/main.go" | sha256sum | cut -c1-16)"
    if [[ -x "$binary" && "$(cat "$folder/bin/.stamp" 2>/dev/null)" == "$stamp" ]]; then return; fi
    go_tool="$(command -v go || echo /usr/local/go/bin/go)"
    [[ -x "$go_tool" ]] || die "the Go toolchain is needed to build FerretDB; none on PATH or in /usr/local/go/bin"
    log "building FerretDB $FERRETDB_VERSION from the Go module proxy (first run: a few minutes)"
    mkdir -p "$folder/bin"
    (cd "$sources" && GOFLAGS=-buildvcs=false "$go_tool" build -trimpath -o "$binary.new" .) >&2 ||
        die "go build of $sources failed (see above)"
    mv "$binary.new" "$binary"
    echo "$stamp" >"$folder/bin/.stamp"
}

case "${1:-}" in
up)
    build
    mkdir -p "$data"
    if ! running; then
        log "starting on 127.0.0.1:$PORT (log: $logfile)"
        # The embeddable package opens no debug HTTP listener and sends no telemetry.
        nohup "$binary" serve -listen "127.0.0.1:$PORT" -sqlite-dir "$data" >"$logfile" 2>&1 </dev/null &
        echo $! >"$pidfile"
    fi
    wait_until 60 answers || {
        tail -n 20 "$logfile" >&2 || true
        die "no answer on 127.0.0.1:$PORT within 60 s; see $logfile"
    }
    log "up: $url (FerretDB $FERRETDB_VERSION, SQLite backend in $data)"
    echo "export MONGODB_URI=$url"
    ;;
down)
    if running; then
        pid="$(cat "$pidfile")"
        kill -TERM "$pid"
        wait_until 30 bash -c "! kill -0 $pid" || kill -KILL "$pid" 2>/dev/null || true
        log "stopped"
    else
        log "not running"
    fi
    rm -f "$pidfile"
    ;;
status)
    if answers; then
        echo "mongo: up on 127.0.0.1:$PORT ($url, FerretDB $FERRETDB_VERSION)"
    else
        echo "mongo: down"
        exit 1
    fi
    ;;
*)
    echo "usage: $0 up|down|status" >&2
    exit 2
    ;;
esac
