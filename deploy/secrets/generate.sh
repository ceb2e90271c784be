#!/usr/bin/env bash
# Creates the secret files docker-compose.yml hands to the containers, with random values, unless they exist.
# They stay out of git (.gitignore). hf_token is left empty: put a Hugging Face token there for gated models.
# Compose bind-mounts each file with its permissions on this host, and the services run as uid 10001, so the files
# are world-readable (0644) inside this folder, which only its owner may enter (0700).
set -euo pipefail
cd "$(dirname "$0")"
umask 077
for name in db_password admin_api_key inference_api_key service_auth_token grafana_admin_password; do
  [ -s "$name" ] || head -c 32 /dev/urandom | base64 | tr -d '/+=\n' > "$name"
done
[ -e hf_token ] || : > hf_token
chmod 0700 .
chmod 0644 db_password admin_api_key inference_api_key service_auth_token grafana_admin_password hf_token
echo "Secrets in $(pwd): db_password admin_api_key inference_api_key service_auth_token grafana_admin_password hf_token"
