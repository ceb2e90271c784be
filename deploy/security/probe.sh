#!/usr/bin/env bash
# Sends the request-path variants and hostile bodies of docs/security.md to a running gateway, without a key and
# with one, and prints each answer's status. Nothing here should ever be 2xx without a key, or 5xx at all.
#
#   ./tsr serve --port 18080 &            # note the admin key it prints
#   deploy/security/probe.sh http://127.0.0.1:18080 <admin key>
set -euo pipefail
gateway=${1:?usage: probe.sh <gateway url> <admin key>}
key=${2:?usage: probe.sh <gateway url> <admin key>}

status() { # status <curl args...>: the HTTP status only
  curl -s -o /dev/null -w '%{http_code}' --path-as-is "$@"
}

echo "| path | no key | admin key |"
echo "|---|---|---|"
for path in /api/v1/runs '/api;x/v1/runs' '/api/v1;x/runs' '/api/v1/runs;jsessionid=1' /%61pi/v1/runs \
  /api/v1/%72uns /api%2Fv1/runs /api/v1/runs%2F //api/v1/runs /api//v1/runs /api/v1/./runs /api/v1/x/../runs \
  /api/v1/%2e/runs /api/v1/x/%2e%2e/runs /api/v1/runs/ /API/v1/runs /Api/V1/Runs '/api/v1/runs?x=1' \
  /api/v1/runs%00 /api/v1/runs%25 /actuator/health/../../api/v1/runs /actuator/health/%2e%2e/%2e%2e/api/v1/runs \
  '/actuator/health;/../../api/v1/runs' '/v3/api-docs/..;/../api/v1/runs' /swagger-ui/../api/v1/runs \
  /actuator/prometheus/../../api/v1/api-keys /api/v1/api-keys /api/v1/generator/v1/models \
  /api/v1/trainer/trainings/1 /actuator/env /actuator/metrics /actuator/health /actuator/prometheus /v3/api-docs; do
  echo "| \`$path\` | $(status "$gateway$path") | $(status -H "Authorization: Bearer $key" "$gateway$path") |"
done

echo
echo "| hostile request (admin key) | status |"
echo "|---|---|"
post() { # post <label> <path> <body>
  echo "| $1 | $(status -H "Authorization: Bearer $key" -H 'Content-Type: application/json' -d "$3" "$gateway$2") |"
}
post 'misspelt field' /api/v1/runs '{"name": "r", "method": "SR", "promptSetId": 1, "iterations": 1, "samplesPerPromt": 4}'
post 'maxTokens 2000000000' /api/v1/runs '{"name": "r", "method": "SR", "promptSetId": 1, "iterations": 1, "sampling": {"maxTokens": 2000000000}}'
post 'dpo.beta "lots"' /api/v1/runs '{"name": "r", "method": "SR", "promptSetId": 1, "iterations": 1, "dpo": {"beta": "lots"}}'
post 'name with NUL' /api/v1/runs '{"name": "a\u0000b", "method": "SR", "promptSetId": 1, "iterations": 1}'
post 'splits [null]' /api/v1/runs '{"name": "r", "method": "SR", "promptSetId": 1, "iterations": 1, "bootstrap": {"baseGenerationId": 1, "splits": [null]}}'
post 'remote model at 169.254.169.254' /api/v1/generations '{"name": "m", "kind": "BASE", "checkpointFormat": "REMOTE_OPENAI", "checkpointUri": "http://169.254.169.254/latest#x"}'
post 'prompt with NUL' '/api/v1/prompt-sets?name=nul' '{"prompt": "a\u0000b"}'
post 'blank reference' '/api/v1/prompt-sets?name=blank' '{"prompt": "p", "family": "mine", "reference": " "}'
for port in 1 2 3 4; do
  echo "| internal service on port +$port, no credential | $(status "${gateway%:*}:$(( ${gateway##*:} + port ))/actuator/env") |"
done
