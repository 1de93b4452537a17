#!/usr/bin/env bash
# The production deploy (scripts/deploy/deploy.sh production, blue-green) against the loopback API
# server: a first deploy goes live as blue; a second whose post-deploy health check fails is rolled
# back automatically (Services select blue again, the green Deployments are gone); then a healthy
# one goes live as green. The health endpoint is a local HTTP server the script controls: the API
# server has no kubelet, so no pod ever runs (rollouts are not waited for, KCP_DEPLOY_NO_WAIT=1).
#
#   eval "$(scripts/deploy/apiserver.sh up)" && scripts/deploy/bluegreen-proof.sh
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
: "${KUBECONFIG:?run eval \"\$(scripts/deploy/apiserver.sh up)\" first}" "${KCP_KUBECTL:?run eval \"\$(scripts/deploy/apiserver.sh up)\" first}"
fail() { echo "bluegreen-proof: FAILED: $*" >&2; exit 1; }
ns=soundcore-kcp-prod
kubectl=("$KCP_KUBECTL" --kubeconfig "$KUBECONFIG" -n "$ns")
repo=registry.gitlab.com/soundcore/kcp

web="$(mktemp -d)"
touch "$web/ready"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
python3 -m http.server --bind 127.0.0.1 --directory "$web" "$port" >/dev/null 2>&1 &
web_pid=$!
trap 'kill "$web_pid" 2>/dev/null || true; rm -rf "$web"' EXIT
sleep 1

export KCP_DEPLOY_NO_WAIT=1 KCP_HEALTH_ATTEMPTS=2 DATABASE_URL=postgresql://kcp:proof@postgres:5432/kcp \
    MONGODB_URI=mongodb://mongo-0.mongo:27017/kcp POSTGRES_PASSWORD=proof NEO4J_PASSWORD=proof KCP_IDENTITY_SECRET=proof
"${kubectl[@]}" delete deployments -l app.kubernetes.io/part-of=soundcore-kcp --ignore-not-found >/dev/null
"${kubectl[@]}" delete services -l 'app.kubernetes.io/component in (edge,subgraph)' --ignore-not-found >/dev/null

state() {
    local selectors images
    selectors="$("${kubectl[@]}" get services -l 'app.kubernetes.io/component in (edge,subgraph)' -o jsonpath='{range .items[*]}{.spec.selector.kcp\.soundcore\.com/color}{" "}{end}')"
    images="$("${kubectl[@]}" get deployments -o jsonpath='{range .items[*]}{.metadata.name}={.spec.template.spec.containers[0].image}{" "}{end}')"
    echo "Services select: $selectors| Deployments: $images"
}

echo "-- 1. first deploy of v1, healthy"
KCP_HEALTH_URL="http://127.0.0.1:$port/ready" "$root/scripts/deploy/deploy.sh" production "$repo:v1" || fail "the first deploy failed"
state
[[ "$(state)" == "Services select: blue blue blue blue blue blue | "* ]] || fail "the Services do not all select blue"

echo "-- 2. deploy of v2 whose post-deploy health check fails: automatic rollback"
if KCP_HEALTH_URL="http://127.0.0.1:$port/not-ready" "$root/scripts/deploy/deploy.sh" production "$repo:v2"; then
    fail "a deploy whose health check fails succeeded"
fi
state
[[ "$(state)" == "Services select: blue blue blue blue blue blue | "* ]] || fail "the rollback did not switch the Services back to blue"
[[ "$(state)" != *green* && "$(state)" != *:v2* ]] || fail "the rollback left green Deployments behind"

echo "-- 3. deploy of v3, healthy: green goes live, blue is removed"
KCP_HEALTH_URL="http://127.0.0.1:$port/ready" "$root/scripts/deploy/deploy.sh" production "$repo:v3" || fail "the third deploy failed"
state
[[ "$(state)" == "Services select: green green green green green green | "* && "$(state)" != *-blue* ]] \
    || fail "green is not live alone after the third deploy"
echo "bluegreen-proof: switch, automatic rollback and promotion verified against the loopback API server"
