#!/usr/bin/env bash
# `make ci-local`: run .gitlab-ci.yml's lint and test jobs on this machine with gitlab-ci-local
# (pinned in scripts/deploy/ci-local/package.json: 4.73.0, the last version that runs on Node 20),
# in the shell for every job (--force-shell-executor: the jobs run our own commands; no Docker
# engine here). The jobs reuse the checkout's .venv (KCP_BIN) and the test job runs the fast
# deployment tests (KCP_TEST_SELECTION=tests/deploy); CI runs the whole suite.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
tool="$root/scripts/deploy/ci-local"
cd "$root"
command -v npm >/dev/null || { echo "ci-local: npm not found: install Node.js 20 with npm" >&2; exit 1; }
if ! command -v rsync >/dev/null; then
    echo "ci-local: installing rsync (Debian package; gitlab-ci-local needs it) ..." >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq rsync >/dev/null || { echo "ci-local: apt-get install rsync failed" >&2; exit 1; }
fi
if [[ ! -x "$tool/node_modules/.bin/gitlab-ci-local" || "$tool/package-lock.json" -nt "$tool/node_modules/.installed" ]]; then
    npm ci --prefix "$tool" --no-audit --no-fund --loglevel=error || { echo "ci-local: npm ci in $tool failed" >&2; exit 1; }
    touch "$tool/node_modules/.installed"
fi
selection="${KCP_TEST_SELECTION:-tests/deploy}"
for job in lint test; do
    echo "== gitlab-ci-local $job" >&2
    "$tool/node_modules/.bin/gitlab-ci-local" --force-shell-executor --no-color \
        --variable "KCP_BIN=$root/.venv/bin" --variable "KCP_TEST_SELECTION=$selection" "$job" \
        || { echo "ci-local: the $job job failed (output above)" >&2; exit 1; }
done
echo "ci-local: lint and test jobs passed under gitlab-ci-local"
