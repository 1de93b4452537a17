#!/usr/bin/env bash
# Neo4j Community 5.26 LTS, embedded in a small launcher of our own (scripts/neo4j), on Bolt 127.0.0.1.
#
# No registry here serves a Neo4j server package, but the database and its Bolt connector are
# Maven Central artifacts (org.neo4j:neo4j, org.neo4j:neo4j-bolt). Maven resolves them (into
# ~/.m2, once) and prints the classpath; javac compiles scripts/neo4j/Launcher.java against it; the
# launcher builds a DatabaseManagementService with Bolt enabled and auth on. Both are cached in
# the services folder and rebuilt only when the pom or the launcher changes.
#
#   up      start (or find running), wait for Bolt, print NEO4J_URI / NEO4J_USER / NEO4J_PASSWORD
#   down    stop (SIGTERM: the launcher shuts the database down cleanly)
#   status  one line; exit 0 when up
#
# NEO4J_PASSWORD sets the password (at least 8 characters); without it one is generated once and
# kept in the services folder. KCP_NEO4J_PORT moves Bolt off 7687.
set -euo pipefail
SERVICE_NAME=neo4j
source "$(dirname "${BASH_SOURCE[0]}")/common.bash"

PORT="${KCP_NEO4J_PORT:-7687}"
HEAP="${KCP_NEO4J_HEAP:-512m}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
sources="$here/neo4j"
folder="${KCP_SERVICES_DIR:-/tmp/kcp-services}/neo4j"
build="$folder/build"
data="$folder/data"
pidfile="$folder/neo4j.pid"
logfile="$folder/neo4j.log"
url="bolt://127.0.0.1:$PORT"

running() { [[ -f "$pidfile" ]] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }
# Up once the launcher has set the password (it prints neo4j.ready then) and Bolt takes connections.
answers() { running && grep -q '^neo4j.ready' "$logfile" && (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; }

build_launcher() {
    local stamp
    stamp="$(cat "$sources/pom.xml" "$sources/Launcher.java" | sha256sum | cut -c1-16)"
    if [[ -f "$build/.stamp" && "$(cat "$build/.stamp")" == "$stamp" ]]; then return; fi
    command -v mvn >/dev/null || die "Maven (mvn) is needed to resolve Neo4j from Maven Central: apt-get install maven"
    command -v javac >/dev/null || die "a JDK 17+ (javac) is needed: apt-get install openjdk-17-jdk-headless"
    log "resolving Neo4j from Maven Central and compiling the launcher (first run: a few minutes)"
    rm -rf "$build"
    mkdir -p "$build/classes"
    mvn -q -B -Dstyle.color=never -f "$sources/pom.xml" dependency:build-classpath -Dmdep.outputFile="$build/classpath" >&2 ||
        die "Maven could not resolve org.neo4j:neo4j (see the lines above)"
    javac -d "$build/classes" -cp "$(cat "$build/classpath")" "$sources/Launcher.java" >&2 ||
        die "javac could not compile $sources/Launcher.java"
    echo "$stamp" >"$build/.stamp"
}

password() {
    if [[ -n "${NEO4J_PASSWORD:-}" ]]; then
        printf '%s' "$NEO4J_PASSWORD"
    else
        if [[ ! -s "$folder/password" ]]; then
            (umask 077 && head -c 18 /dev/urandom | base64 | tr -d '/+=' >"$folder/password")
        fi
        cat "$folder/password"
    fi
}

case "${1:-}" in
up)
    mkdir -p "$folder" "$data"
    secret="$(password)"
    ((${#secret} >= 8)) || die "NEO4J_PASSWORD must be at least 8 characters (Neo4j's minimum)"
    if running; then
        # The launcher set the password it was started with; a different one now would not log in.
        if [[ "$(cat "$folder/started-password" 2>/dev/null)" != "$secret" ]]; then
            die "already running with another password; run '$0 down' first to change it"
        fi
    else
        build_launcher
        log "starting on 127.0.0.1:$PORT (log: $logfile)"
        (umask 077 && printf '%s' "$secret" >"$folder/started-password")
        # The --add-opens flags are the ones Neo4j's own launch scripts pass on Java 17.
        NEO4J_PASSWORD="$secret" NEO4J_BOLT_PORT="$PORT" nohup java -Xms128m "-Xmx$HEAP" -XX:+UseSerialGC \
            --add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/java.nio=ALL-UNNAMED \
            -cp "$build/classes:$(cat "$build/classpath")" Launcher "$data" >"$logfile" 2>&1 </dev/null &
        echo $! >"$pidfile"
    fi
    # A cold JVM on a busy 2-core machine takes a minute or two to open the stores; a launcher
    # that died (bad password, locked store) fails at once instead of after the whole wait.
    answers_or_died() { answers || ! kill -0 "$(cat "$pidfile")" 2>/dev/null; }
    wait_until 300 answers_or_died && answers || {
        tail -n 20 "$logfile" >&2 || true
        die "no Bolt answer on 127.0.0.1:$PORT within 300 s; see $logfile and $data/logs/debug.log"
    }
    log "up: $url"
    echo "export NEO4J_URI=$url"
    echo "export NEO4J_USER=neo4j"
    echo "export NEO4J_PASSWORD=$secret"
    ;;
down)
    if running; then
        pid="$(cat "$pidfile")"
        kill -TERM "$pid"
        wait_until 60 bash -c "! kill -0 $pid" || {
            log "no clean shutdown within 60 s; killing"
            kill -KILL "$pid" 2>/dev/null || true
        }
        log "stopped"
    else
        log "not running"
    fi
    rm -f "$pidfile"
    ;;
status)
    if answers; then
        echo "neo4j: up on 127.0.0.1:$PORT ($url)"
    else
        echo "neo4j: down"
        exit 1
    fi
    ;;
*)
    echo "usage: $0 up|down|status" >&2
    exit 2
    ;;
esac
