#!/usr/bin/env bash
# `make containers-smoke`: build the image with Podman on a locally made Debian base, run the router
# and the five subgraphs as containers (host network) against the real servers of scripts/services,
# and ask the router container the README's product query; then `kcp drill` in the image against the
# PostgreSQL of scripts/services (the image's own pg_dump/pg_restore). The last two lines say how each went.
#
# Needs root (Podman with runc, as on this workplace's machines; see FACTS.md "Containers").
# Ports: free loopback ports are chosen, so a `make dev` already on 4000/8001-8005 is not disturbed.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
IMAGE="${KCP_SMOKE_IMAGE:-localhost/soundcore-kcp:smoke}"
PREFIX="kcp-smoke"
SUBGRAPHS=(knowledge content support analytics auth)
verdict() { echo "containers-smoke: $*"; }
fail() { echo "containers-smoke: step failed: $*" >&2; verdict "NOT answered (the product query did not run: $1)"; exit 1; }

missing=()
for tool in podman runc debootstrap; do command -v "$tool" >/dev/null || missing+=("$tool"); done
if ((${#missing[@]})); then
    echo "installing ${missing[*]} (Debian packages) ..." >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null \
        || fail "apt-get install ${missing[*]} (run as root, or install them yourself)"
fi
podman_run=(podman --runtime runc --cgroup-manager=cgroupfs)

base="$(scripts/deploy/base-image.sh)" || fail "making the Debian base image"
echo "base image: $base" >&2

# Docker format: the OCI format has no HEALTHCHECK, and the image's health check is part of the proof.
build_args=(--format docker --network host --build-arg "BASE_IMAGE=$base" -t "$IMAGE")
# This machine's index is reached through a TLS-inspecting proxy: hand its CA bundle in as a build secret.
ca="${PIP_CERT:-/etc/ssl/certs/ca-certificates.crt}"
[[ -s "$ca" ]] && build_args+=(--secret "id=ca,src=$ca")
started=$(date +%s)
nice -n 10 "${podman_run[@]}" build "${build_args[@]}" . >&2 || fail "podman build (see above)"
build_seconds=$(($(date +%s) - started))
size="$(podman image inspect "$IMAGE" --format '{{.Size}}' | awk '{printf "%.0f MB", $1 / 1000000}')"
echo "image: $IMAGE, $size, built in ${build_seconds} s" >&2

# The real servers (idempotent: running ones are found, not restarted).
scripts/services up >/dev/null || fail "scripts/services up (see above)"
eval "$(scripts/services env)"
for var in DATABASE_URL MONGODB_URI NEO4J_URI REDIS_URL; do
    [[ -n "${!var:-}" ]] || fail "scripts/services gave no $var (is that server's plug-in working? scripts/services status)"
done

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
declare -A port
for name in "${SUBGRAPHS[@]}" router; do port[$name]="$(free_port)"; done
secret="$(python3 -c 'import secrets; print(secrets.token_hex(24))')"
common=(
    -e KCP_HOST=127.0.0.1 -e KCP_IDENTITY_SECRET="$secret" -e KCP_LOG_JSON=true
    -e DATABASE_URL -e MONGODB_URI -e NEO4J_URI -e NEO4J_USER -e NEO4J_PASSWORD -e REDIS_URL
)
for name in "${SUBGRAPHS[@]}"; do
    common+=(-e "${name^^}_SERVICE_URL=http://127.0.0.1:${port[$name]}/graphql")
done
# Read-only root file system, as in Kubernetes: /tmp is a tmpfs and /data a named volume per container
# (a new volume takes the image's /data, owned by the image's user).
run=("${podman_run[@]}" run --network host --ulimit nofile=20000:20000 --ulimit nproc=4096:4096
    --read-only --tmpfs /tmp --cap-drop ALL --security-opt no-new-privileges "${common[@]}")

cleanup() {
    local name
    for name in "${SUBGRAPHS[@]}" router seed; do
        podman rm -f "$PREFIX-$name" >/dev/null 2>&1 || true
        podman volume rm -f "$PREFIX-$name" >/dev/null 2>&1 || true
    done
}
trap cleanup EXIT
cleanup

echo "seeding the real servers with the demo data (idempotent), from the image ..." >&2
"${run[@]}" --rm --name "$PREFIX-seed" -v "$PREFIX-seed:/data" "$IMAGE" seed >&2 || fail "kcp seed in a container (see above)"

for name in "${SUBGRAPHS[@]}"; do
    "${run[@]}" -d --name "$PREFIX-$name" -v "$PREFIX-$name:/data" "$IMAGE" serve "$name" --port "${port[$name]}" >/dev/null \
        || fail "starting the $name container"
done
"${run[@]}" -d --name "$PREFIX-router" -v "$PREFIX-router:/data" "$IMAGE" router --port "${port[router]}" >/dev/null || fail "starting the router container"

router="http://127.0.0.1:${port[router]}"
for _ in $(seq 180); do
    if curl -fsS "$router/ready" >/dev/null 2>&1; then break; fi
    sleep 1
done
if ! curl -fsS "$router/ready" >/dev/null 2>&1; then
    for name in "${SUBGRAPHS[@]}" router; do echo "--- $name" >&2; podman logs --tail 5 "$PREFIX-$name" >&2 || true; done
    fail "the router container did not become ready on $router/ready within 180 s"
fi
for name in "${SUBGRAPHS[@]}" router; do
    state="$(podman healthcheck run "$PREFIX-$name" >/dev/null 2>&1 && echo healthy || echo unhealthy)"
    echo "container $PREFIX-$name: $(podman inspect "$PREFIX-$name" --format '{{.State.Status}}'), HEALTHCHECK $state" >&2
done

query='{ productBySlug(slug: "liberty-4-nc") { name category { name } features { name } knownIssues { title } content { kind title } openTicketCount analytics { pageViews } } }'
body="$(python3 -c 'import json,sys; print(json.dumps({"query": sys.argv[1]}))' "$query")"
answer="$(curl -sS -H 'content-type: application/json' --data "$body" "$router/graphql")" || fail "POST $router/graphql"
echo "$answer" | head -c 600 >&2; echo >&2
name="$(python3 -c 'import json,sys; d=json.loads(sys.argv[1]); p=(d.get("data") or {}).get("productBySlug") or {}; print(p.get("name") or "") if not d.get("errors") else print("")' "$answer")"
echo "image $IMAGE: $size, built in ${build_seconds} s" >&2
if [[ -z "$name" ]]; then
    verdict "product query NOT answered: $answer"
    exit 1
fi
verdict "product query answered through the router container: productBySlug(liberty-4-nc) = $name (router + 5 subgraphs on PostgreSQL, MongoDB, Neo4j, Redis)"

# The image's own pg_dump/pg_restore against the PostgreSQL of scripts/services: `kcp drill` in a container
# seeds a scratch database of its own on that server (created and dropped by the drill; the shared
# databases are not touched), backs it up to S3 (moto's server from the dev virtualenv, on loopback),
# wipes, restores and compares every record. Mongo and Neo4j stay embedded here: the drill would wipe them.
s3_port="$(free_port)"
.venv/bin/moto_server -H 127.0.0.1 -p "$s3_port" >/dev/null 2>&1 &
moto_pid=$!
trap 'kill "$moto_pid" 2>/dev/null || true; cleanup' EXIT
export AWS_ACCESS_KEY_ID=drill AWS_SECRET_ACCESS_KEY=drill AWS_DEFAULT_REGION=us-east-1
.venv/bin/python - "http://127.0.0.1:$s3_port" <<'PY' || fail "starting moto's S3 server for the drill"
import sys, time
import boto3, botocore.exceptions
for _ in range(100):
    try:
        boto3.client("s3", endpoint_url=sys.argv[1]).create_bucket(Bucket="kcp-drill")
        break
    except botocore.exceptions.EndpointConnectionError:
        time.sleep(0.2)
else:
    sys.exit(1)
PY
drill_log="$(mktemp)"
drill=("${podman_run[@]}" run --rm --network host --ulimit nofile=20000:20000 --ulimit nproc=4096:4096
    --read-only --tmpfs /tmp --cap-drop ALL --security-opt no-new-privileges -e KCP_LOG_JSON=true -e DATABASE_URL
    -e S3_ENDPOINT_URL="http://127.0.0.1:$s3_port" -e AWS_ACCESS_KEY_ID -e AWS_SECRET_ACCESS_KEY -e AWS_DEFAULT_REGION)
"${drill[@]}" --name "$PREFIX-drill" -v "$PREFIX-drill:/data" "$IMAGE" drill >"$drill_log" 2>&1 \
    || { tail -5 "$drill_log" >&2; fail "kcp drill in a container (see above)"; }
podman volume rm -f "$PREFIX-drill" >/dev/null 2>&1 || true
drilled="$(grep '^drill: ' "$drill_log" | tail -1)"
rm -f "$drill_log"
pg_version="$("${drill[@]}" --entrypoint pg_dump "$IMAGE" --version)"
verdict "the image's $pg_version, kcp drill on scripts/services' PostgreSQL: $drilled"
[[ "$drilled" == *" 0 mismatches"* ]] || exit 1
