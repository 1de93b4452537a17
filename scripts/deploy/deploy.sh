#!/usr/bin/env bash
# Deploy KCP to a Kubernetes environment (the pipeline's deploy-staging and deploy-prod jobs).
#
#   scripts/deploy/deploy.sh staging    IMAGE            rolling update of k8s/overlays/staging
#   scripts/deploy/deploy.sh production IMAGE [blue-green|canary]
#                                                        scripts/deploy/bluegreen.py, automatic rollback
#
# Reads: KUBE_CONFIG_STAGING / KUBE_CONFIG_PRODUCTION (base64 kubeconfig; or an existing KUBECONFIG),
# the secrets' variables (DATABASE_URL, MONGODB_URI, POSTGRES_PASSWORD, NEO4J_PASSWORD,
# KCP_IDENTITY_SECRET; optional OPENAI_API_KEY, ANTHROPIC_API_KEY, PINECONE_API_KEY, SENTRY_DSN; for the
# kcp-backup CronJob S3_BACKUP_BUCKET, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and optional
# S3_ENDPOINT_URL, AWS_DEFAULT_REGION: without the first three its runs fail, the services deploy;
# optional ELASTICSEARCH_USER, ELASTICSEARCH_PASSWORD for fluent-bit),
# KCP_HEALTH_URL (default: the environment's public /ready), KCP_HEALTH_ATTEMPTS (default 5, six
# seconds apart), KCP_CANARY_PERCENT (default 10).
# KCP_DEPLOY_NO_WAIT=1 skips waiting for rollouts (an API server without nodes, as in tests).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
env_name="${1:?usage: deploy.sh staging|production IMAGE [blue-green|canary]}"
image="${2:?usage: deploy.sh staging|production IMAGE [blue-green|canary]}"
strategy="${3:-blue-green}"
kubectl="${KCP_KUBECTL:-kubectl}"
fail() { echo "deploy: $*" >&2; exit 1; }

case "$env_name" in
staging) ns=soundcore-kcp-staging; host=staging-kcp.soundcore.com; config_var=KUBE_CONFIG_STAGING ;;
production) ns=soundcore-kcp-prod; host=kcp.soundcore.com; config_var=KUBE_CONFIG_PRODUCTION ;;
*) fail "unknown environment '$env_name': staging or production" ;;
esac

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
if [[ -n "${!config_var:-}" ]]; then
    echo "${!config_var}" | base64 -d >"$work/kubeconfig" || fail "$config_var is not base64 of a kubeconfig"
    export KUBECONFIG="$work/kubeconfig"
elif [[ -z "${KUBECONFIG:-}" ]]; then
    fail "set $config_var (base64 of the $env_name kubeconfig) in the CI/CD variables"
fi

missing=()
for var in DATABASE_URL MONGODB_URI POSTGRES_PASSWORD NEO4J_PASSWORD KCP_IDENTITY_SECRET; do
    [[ -n "${!var:-}" ]] || missing+=("$var")
done
((${#missing[@]} == 0)) || fail "missing CI/CD variable(s) for the kcp-secrets Secret: ${missing[*]}"

# The Namespace first (the overlay has it too), then the Secret from the variables: never from a file.
"$kubectl" create namespace "$ns" --dry-run=client -o yaml | "$kubectl" apply -f - >/dev/null
secret_args=(
    --from-literal=database-url="$DATABASE_URL" --from-literal=database-password="$POSTGRES_PASSWORD"
    --from-literal=mongodb-uri="$MONGODB_URI" --from-literal=neo4j-password="$NEO4J_PASSWORD"
    --from-literal=neo4j-auth="neo4j/$NEO4J_PASSWORD" --from-literal=kcp-identity-secret="$KCP_IDENTITY_SECRET"
)
for pair in openai-api-key:OPENAI_API_KEY anthropic-api-key:ANTHROPIC_API_KEY pinecone-api-key:PINECONE_API_KEY sentry-dsn:SENTRY_DSN \
    s3-backup-bucket:S3_BACKUP_BUCKET s3-endpoint-url:S3_ENDPOINT_URL aws-access-key-id:AWS_ACCESS_KEY_ID \
    aws-secret-access-key:AWS_SECRET_ACCESS_KEY aws-default-region:AWS_DEFAULT_REGION \
    elasticsearch-user:ELASTICSEARCH_USER elasticsearch-password:ELASTICSEARCH_PASSWORD; do
    var="${pair#*:}"
    [[ -z "${!var:-}" ]] || secret_args+=(--from-literal="${pair%%:*}=${!var}")
done
"$kubectl" -n "$ns" create secret generic kcp-secrets "${secret_args[@]}" --dry-run=client -o yaml \
    | "$kubectl" apply -f - >/dev/null || fail "could not write the kcp-secrets Secret in $ns"

# auth's signing keys (KCP_SIGNING_KEYS_DIR in k8s/base/services/auth.yaml): created once with one new
# Ed25519 key when missing, never replaced here, since replacing would end every session; rotation is
# an operator's Secret update (docs/operations.md "Rotating auth's signing keys").
if ! "$kubectl" -n "$ns" get secret kcp-auth-signing-keys >/dev/null 2>&1; then
    key_dir="$(mktemp -d)"
    openssl genpkey -algorithm ed25519 -out "$key_dir/000001.pem" 2>/dev/null \
        || { rm -rf "$key_dir"; fail "openssl could not make auth's first signing key"; }
    "$kubectl" -n "$ns" create secret generic kcp-auth-signing-keys --from-file="$key_dir/000001.pem" >/dev/null \
        || { rm -rf "$key_dir"; fail "could not create the kcp-auth-signing-keys Secret in $ns"; }
    rm -rf "$key_dir"
fi

"$kubectl" kustomize "$root/k8s/overlays/$env_name" >"$work/rendered.yaml" || fail "kustomize could not render k8s/overlays/$env_name"
health_url="${KCP_HEALTH_URL:-https://$host/ready}"

if [[ "$env_name" == staging ]]; then
    # Staging: a plain rolling update of the overlay with the new image.
    sed "s#image: registry.gitlab.com/soundcore/kcp:[^[:space:]]*#image: $image#" "$work/rendered.yaml" >"$work/staging.yaml"
    "$kubectl" apply -f "$work/staging.yaml" || fail "kubectl apply of the staging overlay failed"
    if [[ -z "${KCP_DEPLOY_NO_WAIT:-}" ]]; then
        for deployment in router knowledge-service content-service support-service analytics-service auth-service; do
            "$kubectl" -n "$ns" rollout status "deployment/$deployment" --timeout=300s \
                || fail "deployment/$deployment did not become ready in $ns; kubectl -n $ns describe deployment/$deployment"
        done
    fi
    echo "deploy: staging runs $image"
    exit 0
fi

"$kubectl" create -f "$work/rendered.yaml" --dry-run=client -o json >"$work/rendered.json"
args=(deploy --manifests "$work/rendered.json" --namespace "$ns" --image "$image" --strategy "$strategy"
    --canary-percent "${KCP_CANARY_PERCENT:-10}" --health-url "$health_url" --health-attempts "${KCP_HEALTH_ATTEMPTS:-5}")
[[ -z "${KCP_DEPLOY_NO_WAIT:-}" ]] || args+=(--no-wait)
KCP_KUBECTL="$kubectl" python3 "$root/scripts/deploy/bluegreen.py" "${args[@]}"
