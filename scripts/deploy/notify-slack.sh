#!/usr/bin/env bash
# Post one line to Slack: scripts/deploy/notify-slack.sh success|failure "message"
# Uses SLACK_WEBHOOK_URL; without it, prints the message and says so (a notification is never the
# reason a pipeline fails).
set -euo pipefail
status="${1:?usage: notify-slack.sh success|failure MESSAGE}"
message="${2:?usage: notify-slack.sh success|failure MESSAGE}"
icon=":white_check_mark:"; [[ "$status" == success ]] || icon=":rotating_light:"
text="$icon KCP ${CI_PROJECT_PATH:-soundcore/kcp} ${CI_COMMIT_REF_NAME:-local}@${CI_COMMIT_SHORT_SHA:-unknown}: $message ${CI_PIPELINE_URL:-}"
if [[ -z "${SLACK_WEBHOOK_URL:-}" ]]; then
    echo "notify-slack: SLACK_WEBHOOK_URL is not set; would have posted: $text"
    exit 0
fi
payload="$(python3 -c 'import json,sys; print(json.dumps({"text": sys.argv[1]}))' "$text")"
if ! curl -fsS -m 10 -X POST -H 'content-type: application/json' --data "$payload" "$SLACK_WEBHOOK_URL" >/dev/null; then
    echo "notify-slack: posting to Slack failed (check SLACK_WEBHOOK_URL); message was: $text" >&2
fi
