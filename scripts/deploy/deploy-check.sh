#!/usr/bin/env bash
# `make deploy-check`: prove the deployment files here, offline but against real tools.
#
#   1. docker-compose.yml   Debian's docker-compose validates it (`config`), secrets as placeholders
#   2. k8s overlays         rendered by the kubectl of scripts/deploy/build-kube.sh (kustomize)
#   3. API server           a real kube-apiserver on loopback (scripts/deploy/apiserver.sh) accepts both
#                           overlays with `kubectl apply --dry-run=server`, namespaces and the Prometheus
#                           Operator CRDs created for real first, and refuses a broken manifest
#   4. scanner              checkov (PyPI, pinned) on the rendered overlays and the Dockerfile; each
#                           skipped check is justified in .checkov.yaml
#   5. blue-green           the production deploy script against the same API server: switch,
#                           automatic rollback on a failed health check, promotion
#                           (scripts/deploy/bluegreen-proof.sh, tests/deploy/test_bluegreen.py)
#
# Exits non-zero on the first failure, naming the step. Output goes to $KCP_DEPLOY_CHECK_OUT
# (default ${KCP_SERVICES_DIR:-/tmp/kcp-services}/deploy-check).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cache="${KCP_SERVICES_DIR:-/tmp/kcp-services}"
out="${KCP_DEPLOY_CHECK_OUT:-$cache/deploy-check}"
CHECKOV_VERSION="${KCP_CHECKOV_VERSION:-3.3.30}"
PROMETHEUS_OPERATOR_VERSION="v0.85.0"
mkdir -p "$out"
cd "$root"

step() { printf '\n== %s\n' "$*"; }
fail() { echo "deploy-check: FAILED: $*" >&2; exit 1; }

step "1/5 docker-compose config"
command -v docker-compose >/dev/null || fail "docker-compose not found: apt-get install -y docker-compose"
envfile="$out/compose.env"
sed -E 's/^([A-Z_0-9]+)=$/\1=placeholder/' .env.example >"$envfile"
docker-compose -f docker-compose.yml --env-file "$envfile" config >"$out/compose.config.yaml" \
    || fail "docker-compose rejected docker-compose.yml (see above)"
docker-compose -f docker-compose.yml --env-file "$envfile" --profile monitoring --profile backup config --services >"$out/compose.services"
echo "accepted: $(wc -l <"$out/compose.services") services ($(tr '\n' ' ' <"$out/compose.services"))"

step "2/5 render the overlays (kubectl kustomize)"
# A fresh API server each run (a new etcd): the dry runs see no objects of an earlier run.
scripts/deploy/apiserver.sh down 2>/dev/null || true
eval "$(scripts/deploy/apiserver.sh up)" || fail "the loopback API server did not start (see above)"
kubectl=("$KCP_KUBECTL" --kubeconfig "$KUBECONFIG")
"${kubectl[@]}" version 2>/dev/null | sed 's/^/  /'
.venv/bin/python scripts/deploy/render_prometheus_rule.py --check || fail "k8s/base/prometheusrule.yaml is stale"
.venv/bin/python scripts/deploy/render_fluent_bit_config.py --check || fail "k8s/base/logging/*.conf are stale"
for overlay in staging production; do
    "$KCP_KUBECTL" kustomize "k8s/overlays/$overlay" >"$out/$overlay.yaml" || fail "kustomize could not render k8s/overlays/$overlay"
    echo "$overlay: $(grep -c '^kind:' "$out/$overlay.yaml") objects -> $out/$overlay.yaml"
done

step "3/5 server-side dry run against kube-apiserver $("${kubectl[@]}" version -o json 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["serverVersion"]["gitVersion"])')"
# The Prometheus Operator's CRDs (ServiceMonitor, PrometheusRule), from its Go module, created for real.
crd_dir="$(cd "$cache" && go mod download -json "github.com/prometheus-operator/prometheus-operator@$PROMETHEUS_OPERATOR_VERSION" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["Dir"])')/example/prometheus-operator-crd" \
    || fail "could not fetch the Prometheus Operator CRDs from the Go module proxy"
for crd in servicemonitors prometheusrules; do
    "${kubectl[@]}" apply --server-side -f "$crd_dir/monitoring.coreos.com_$crd.yaml" >/dev/null \
        || fail "could not create the $crd CRD"
done
"${kubectl[@]}" wait --for condition=established --timeout=60s crd/servicemonitors.monitoring.coreos.com crd/prometheusrules.monitoring.coreos.com >/dev/null
for overlay in staging production; do
    ns="$(grep -m1 '^namespace:' "k8s/overlays/$overlay/kustomization.yaml" | awk '{print $2}')"
    "${kubectl[@]}" create namespace "$ns" --dry-run=client -o yaml | "${kubectl[@]}" apply -f - >/dev/null
    echo "-- $overlay ($ns)"
    "${kubectl[@]}" apply --dry-run=server -f "$out/$overlay.yaml" | tee "$out/$overlay.dry-run.txt" \
        || fail "the API server refused the $overlay overlay (see above)"
done
echo "-- a deliberately broken manifest (replicas as a string, a misspelt field) must be refused"
broken="$out/broken.yaml"
cat >"$broken" <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: broken-router
  namespace: soundcore-kcp-staging
spec:
  replicas: "three"
  selector:
    matchLabels: {app.kubernetes.io/name: broken-router}
  template:
    metadata:
      labels: {app.kubernetes.io/name: broken-router}
    spec:
      containers:
        - name: router
          image: registry.gitlab.com/soundcore/kcp:latest-main
          imagePullPolcy: IfNotPresent
YAML
# The same with a valid replicas: the misspelt field alone must be refused too (strict decoding).
sed 's/replicas: "three"/replicas: 3/' "$broken" >"$out/broken-field.yaml"
for manifest in "$broken" "$out/broken-field.yaml"; do
    if "${kubectl[@]}" apply --dry-run=server -f "$manifest" >"$manifest.txt" 2>&1; then
        cat "$manifest.txt"
        fail "the API server accepted $manifest, which must be refused"
    fi
    sed 's/^/  refused: /' "$manifest.txt"
done

step "4/5 checkov $CHECKOV_VERSION (offline misconfiguration scan)"
venv="$cache/checkov-$CHECKOV_VERSION"
if [[ ! -x "$venv/bin/checkov" ]]; then
    echo "installing checkov $CHECKOV_VERSION into $venv ..."
    { python3 -m venv "$venv" && "$venv/bin/pip" install --quiet "checkov==$CHECKOV_VERSION"; } \
        || fail "could not install checkov $CHECKOV_VERSION from PyPI into $venv"
fi
scan=(--config-file .checkov.yaml --compact --quiet --skip-download)
"$venv/bin/checkov" "${scan[@]}" --framework kubernetes -f "$out/staging.yaml" -f "$out/production.yaml" | tee "$out/checkov-k8s.txt" \
    || fail "checkov found misconfigurations in the rendered overlays (see above; fix them or justify a skip in .checkov.yaml)"
"$venv/bin/checkov" "${scan[@]}" --framework dockerfile -f Dockerfile | tee "$out/checkov-dockerfile.txt" \
    || fail "checkov found misconfigurations in the Dockerfile (see above)"
grep -h "Passed checks" "$out"/checkov-*.txt || true

step "5/5 blue-green deploys against the loopback API server"
scripts/deploy/bluegreen-proof.sh || fail "the blue-green proof (see above)"
.venv/bin/pytest -q -p no:cacheprovider tests/deploy/test_bluegreen.py || fail "tests/deploy/test_bluegreen.py against the loopback API server"

printf '\ndeploy-check: compose accepted; both overlays accepted server-side; broken manifest refused; checkov passed; blue-green switch and rollback verified\n'
