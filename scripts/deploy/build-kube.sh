#!/usr/bin/env bash
# Build kube-apiserver and kubectl v1.37.2 from the Go module proxy (our own recipe: go mod + go
# build; nothing fetched is committed). Reused when the binaries are already there.
#
#   scripts/deploy/build-kube.sh          prints the folder holding kube-apiserver and kubectl
#
# Cache: $KCP_KUBE_DIR (default ${KCP_SERVICES_DIR:-/tmp/kcp-services}/kube). First build ~6.5 min
# on 2 cores and ~2.9 GB of Go build cache; run it under `nice` on a shared machine.
set -euo pipefail

VERSION="${KCP_KUBE_VERSION:-v1.37.2}"
dir="${KCP_KUBE_DIR:-${KCP_SERVICES_DIR:-/tmp/kcp-services}/kube}"
out="$dir/$VERSION/out"

if [[ -x "$out/kube-apiserver" && -x "$out/kubectl" ]]; then
    echo "$out"
    exit 0
fi
command -v go >/dev/null || { echo "build-kube: go not found: install Go >= 1.25 (https://go.dev/dl) and retry" >&2; exit 1; }

minor="${VERSION#v1.}"; minor="${minor%%.*}"
staging="v0.${VERSION#v1.}"
src="$dir/$VERSION/src"
mkdir -p "$src"
cd "$src"
echo "build-kube: building kube-apiserver and kubectl $VERSION in $src (several minutes) ..." >&2
[[ -f go.mod ]] || go mod init kapi >&2
go mod edit -require="k8s.io/kubernetes@$VERSION"
# k8s.io/kubernetes pins its staging modules at v0.0.0: point each at its published version.
for m in api apiextensions-apiserver apimachinery apiserver cli-runtime client-go cloud-provider \
    cluster-bootstrap code-generator component-base component-helpers controller-manager cri-api \
    cri-client cri-streaming csi-translation-lib dynamic-resource-allocation endpointslice externaljwt \
    kms kube-aggregator kube-controller-manager kube-proxy kube-scheduler kubectl kubelet metrics \
    mount-utils pod-security-admission streaming; do
    go mod edit -replace="k8s.io/$m=k8s.io/$m@$staging"
done
printf '//go:build tools\npackage tools\nimport (_ "k8s.io/kubernetes/cmd/kube-apiserver"; _ "k8s.io/kubernetes/cmd/kubectl")\n' >tools.go
go mod tidy >&2 || { echo "build-kube: go mod tidy failed (is the Go module proxy reachable? GOPROXY=$(go env GOPROXY))" >&2; exit 1; }
ld="-s -w"
for p in component-base/version client-go/pkg/version; do
    ld="$ld -X k8s.io/$p.gitVersion=$VERSION -X k8s.io/$p.gitMajor=1 -X k8s.io/$p.gitMinor=$minor"
done
mkdir -p "$out.tmp"
go build -trimpath -ldflags "$ld" -o "$out.tmp/" k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kubectl >&2 \
    || { echo "build-kube: go build failed (see above); delete $src and retry" >&2; exit 1; }
rm -rf "$out" && mv "$out.tmp" "$out"
echo "build-kube: built $out" >&2
echo "$out"
