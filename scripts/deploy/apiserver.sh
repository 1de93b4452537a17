#!/usr/bin/env bash
# A real Kubernetes API server on loopback (etcd from Debian + kube-apiserver built by
# scripts/deploy/build-kube.sh), for server-side dry runs and the deploy scripts' tests.
#
#   scripts/deploy/apiserver.sh up      start (or find running); prints `export KUBECONFIG=... KCP_KUBECTL=...`
#   scripts/deploy/apiserver.sh down    stop it (idempotent)
#   scripts/deploy/apiserver.sh status  one line; exit 0 when up
#
# No kubelet, scheduler or controllers run: objects are stored and validated, pods never start.
# State under $KCP_APISERVER_DIR (default ${KCP_SERVICES_DIR:-/tmp/kcp-services}/kube-apiserver).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
dir="${KCP_APISERVER_DIR:-${KCP_SERVICES_DIR:-/tmp/kcp-services}/kube-apiserver}"
kubeconfig="$dir/kubeconfig"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
alive() { [[ -f "$dir/$1.pid" ]] && kill -0 "$(cat "$dir/$1.pid")" 2>/dev/null; }
answering() { [[ -f "$kubeconfig" ]] && "$bin/kubectl" --kubeconfig "$kubeconfig" get --raw /readyz >/dev/null 2>&1; }
exports() { echo "export KUBECONFIG=$kubeconfig KCP_KUBECTL=$bin/kubectl"; }

stop() {
    local name
    for name in kube-apiserver etcd; do
        if alive "$name"; then
            kill "$(cat "$dir/$name.pid")" 2>/dev/null || true
            for _ in $(seq 50); do alive "$name" || break; sleep 0.1; done
        fi
        rm -f "$dir/$name.pid"
    done
}

case "${1:-}" in
up)
    bin="$(nice -n 10 "$here/build-kube.sh")"
    if alive kube-apiserver && answering; then exports; exit 0; fi
    stop
    command -v etcd >/dev/null || { echo "apiserver: etcd not found: apt-get install -y etcd-server" >&2; exit 1; }
    command -v openssl >/dev/null || { echo "apiserver: openssl not found: apt-get install -y openssl" >&2; exit 1; }
    rm -rf "$dir/etcd-data"
    mkdir -p "$dir/certs"
    [[ -f "$dir/sa.key" ]] || openssl genrsa -out "$dir/sa.key" 2048 2>/dev/null
    openssl rsa -in "$dir/sa.key" -pubout -out "$dir/sa.pub" 2>/dev/null
    token="$(openssl rand -hex 24)"
    echo "$token,admin,admin-uid,system:masters" >"$dir/tokens.csv"
    ec="$(free_port)"; ep="$(free_port)"; ap="$(free_port)"
    etcd --data-dir "$dir/etcd-data" --listen-client-urls "http://127.0.0.1:$ec" --advertise-client-urls "http://127.0.0.1:$ec" \
        --listen-peer-urls "http://127.0.0.1:$ep" --initial-advertise-peer-urls "http://127.0.0.1:$ep" \
        --initial-cluster "default=http://127.0.0.1:$ep" >"$dir/etcd.log" 2>&1 &
    echo $! >"$dir/etcd.pid"
    "$bin/kube-apiserver" --etcd-servers="http://127.0.0.1:$ec" --bind-address=127.0.0.1 --advertise-address=127.0.0.1 \
        --secure-port="$ap" --cert-dir="$dir/certs" --service-account-issuer=https://kubernetes.default.svc \
        --service-account-key-file="$dir/sa.pub" --service-account-signing-key-file="$dir/sa.key" \
        --service-cluster-ip-range=10.96.0.0/16 --token-auth-file="$dir/tokens.csv" --authorization-mode=RBAC \
        --endpoint-reconciler-type=none >"$dir/kube-apiserver.log" 2>&1 &
    echo $! >"$dir/kube-apiserver.pid"
    cat >"$kubeconfig" <<KUBECONFIG
apiVersion: v1
kind: Config
clusters:
  - name: loopback
    cluster: {server: "https://127.0.0.1:$ap", insecure-skip-tls-verify: true}
users:
  - name: admin
    user: {token: "$token"}
contexts:
  - name: loopback
    context: {cluster: loopback, user: admin}
current-context: loopback
KUBECONFIG
    chmod 600 "$kubeconfig"
    for _ in $(seq 120); do
        if answering; then exports; exit 0; fi
        alive kube-apiserver || break
        sleep 0.5
    done
    echo "apiserver: kube-apiserver did not become ready; see $dir/kube-apiserver.log and $dir/etcd.log" >&2
    tail -5 "$dir/kube-apiserver.log" >&2 || true
    stop
    exit 1
    ;;
down)
    stop
    echo "apiserver: stopped" >&2
    ;;
status)
    bin="$(dirname "$(find "${KCP_KUBE_DIR:-${KCP_SERVICES_DIR:-/tmp/kcp-services}/kube}" -name kubectl -path '*/out/*' 2>/dev/null | head -1)")"
    if alive kube-apiserver && answering; then echo "apiserver: up ($kubeconfig)"; else echo "apiserver: down"; exit 1; fi
    ;;
*)
    echo "usage: scripts/deploy/apiserver.sh up|down|status" >&2
    exit 2
    ;;
esac
