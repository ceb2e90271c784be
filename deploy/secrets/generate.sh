#!/usr/bin/env bash
# Creates the secret files docker-compose.yml hands to the containers, with random values, unless they exist.
# They stay out of git (.gitignore). hf_token is left empty: put a Hugging Face token there for gated models.
set -euo pipefail
cd "$(dirname "$0")"
umask 077
for name in db_password admin_api_key inference_api_key grafana_admin_password; do
  [ -s "$name" ] || head -c 32 /dev/urandom | base64 | tr -d '/+=\n' > "$name"
done
[ -e hf_token ] || : > hf_token
echo "Secrets in $(pwd): db_password admin_api_key inference_api_key grafana_admin_password hf_token"
