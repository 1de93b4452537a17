#!/usr/bin/env bash
# End-to-end check of a deployed environment through its public URL (test-e2e and monitor jobs):
#   scripts/deploy/e2e.sh https://staging-kcp.soundcore.com
# /health and /ready answer 200, and the README's product query returns the product.
set -euo pipefail
base="${1:?usage: e2e.sh BASE_URL}"
fail() { echo "e2e: $*" >&2; exit 1; }
for path in /health /ready; do
    curl -fsS -m 10 "$base$path" >/dev/null || fail "$base$path did not answer 200"
done
query='{ productBySlug(slug: "liberty-4-nc") { name features { name } knownIssues { title } } }'
body="$(python3 -c 'import json,sys; print(json.dumps({"query": sys.argv[1]}))' "$query")"
answer="$(curl -fsS -m 20 -H 'content-type: application/json' --data "$body" "$base/graphql")" || fail "POST $base/graphql failed"
name="$(python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print(((d.get("data") or {}).get("productBySlug") or {}).get("name") or "")' "$answer")"
[[ -n "$name" ]] || fail "the product query was not answered: $answer"
echo "e2e: $base answered the product query ($name)"
