#!/usr/bin/env bash
# Integration check of the metrics path: starts the standalone platform (all five services in one JVM) and a
# Prometheus on loopback with deploy/prometheus/standalone.yml, then asks Prometheus' HTTP API whether every service
# is scraped and exports tsr_* series with values (the scrape needs no key; everything else does). Installs Debian's prometheus package when none is on the PATH.
#
#   deploy/prometheus/check.sh            # PROM_PORT (19090) for Prometheus, TSR_PORT (18080) for the gateway
#
# The store: SPRING_DATASOURCE_URL (with _USERNAME, _PASSWORD) if set, else a throwaway database on the PostgreSQL at
# 127.0.0.1:5432 (user postgres), dropped at the end. Not part of the Maven build; needs java, curl, jq and psql.
set -euo pipefail
cd "$(dirname "$0")/../.."

prom_port=${PROM_PORT:-19090}
work=$(mktemp -d "${TMPDIR:-/tmp}/tsr-prometheus-check.XXXXXX")
platform_pid=""
prometheus_pid=""
database=""

cleanup() {
  status=$?
  [ -n "$prometheus_pid" ] && kill "$prometheus_pid" 2>/dev/null && wait "$prometheus_pid" 2>/dev/null || true
  [ -n "$platform_pid" ] && kill "$platform_pid" 2>/dev/null && wait "$platform_pid" 2>/dev/null || true
  if [ -n "$database" ]; then
    psql -h 127.0.0.1 -U postgres -d postgres -qc "drop database if exists $database with (force)" || true
  fi
  if [ "$status" -eq 0 ]; then
    rm -rf "$work"
  else
    echo "check failed; logs in $work (platform.log, prometheus.log)" >&2
  fi
}
trap cleanup EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }

# 1. Prometheus: the one on the PATH, else Debian's package (as root, or through passwordless sudo)
if ! command -v prometheus >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ]; then
    sudo=""
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo="sudo -n"
  else
    fail "prometheus is not installed, and installing it needs root or passwordless sudo: apt-get install prometheus"
  fi
  echo "Installing Debian's prometheus package"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends prometheus >/dev/null
fi
prometheus --version 2>&1 | head -1

# 2. the store
if [ -z "${SPRING_DATASOURCE_URL:-}" ]; then
  database="tsr_prometheus_check_$$"
  psql -h 127.0.0.1 -U postgres -d postgres -qc "create database $database"
  export SPRING_DATASOURCE_URL="jdbc:postgresql://127.0.0.1:5432/$database"
  export SPRING_DATASOURCE_USERNAME=postgres
  export SPRING_DATASOURCE_PASSWORD=""
fi

# 3. the platform through `tsr serve` (which builds it when needed), on the store above
mkdir -p "$work/targets"
cp deploy/prometheus/standalone.yml "$work/prometheus.yml"
./tsr serve --data "$work/data" --port "${TSR_PORT:-18080}" \
  --db-url "$SPRING_DATASOURCE_URL" --db-user "${SPRING_DATASOURCE_USERNAME:-postgres}" \
  --db-password "${SPRING_DATASOURCE_PASSWORD:-}" \
  --targets-file="$work/targets/standalone.json" --set tsr.observability.refresh=2s >"$work/platform.log" 2>&1 &
platform_pid=$!
for _ in $(seq 1 180); do
  [ -s "$work/targets/standalone.json" ] && break
  kill -0 "$platform_pid" 2>/dev/null || fail "the platform stopped: $(tail -20 "$work/platform.log")"
  sleep 1
done
[ -s "$work/targets/standalone.json" ] || fail "the platform did not start within 3 minutes"
echo "Platform up:"; jq -r '.[] | "  \(.labels.service) \(.targets[0])"' "$work/targets/standalone.json"

# 4. Prometheus on loopback, scraping the platform
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/data" \
  --web.listen-address="127.0.0.1:$prom_port" >"$work/prometheus.log" 2>&1 &
prometheus_pid=$!

query() {
  curl -fsS "http://127.0.0.1:$prom_port/api/v1/query" --data-urlencode "query=$1"
}

# 5. every service scraped and up, then its tsr_* series
services=5
up=0
for _ in $(seq 1 60); do
  up=$(query 'count(up{job="tsr"} == 1)' 2>/dev/null | jq -r '.data.result[0].value[1] // 0' || echo 0)
  [ "$up" = "$services" ] && break
  sleep 2
done
[ "$up" = "$services" ] || fail "$up of $services services are up in Prometheus: $(query 'up{job="tsr"}')"
echo "All $services services are scraped and up"

check() { # check <PromQL> <minimum number of series> <what>; waits up to 30s for the series to appear
  local result count bad
  for _ in $(seq 1 15); do
    result=$(query "$1")
    count=$(jq '.data.result | length' <<<"$result")
    [ "$count" -ge "$2" ] && break
    sleep 2
  done
  [ "$count" -ge "$2" ] || fail "$3: $count series for $1, expected at least $2: $result"
  bad=$(jq '[.data.result[].value[1] | select(. == "NaN" or . == "+Inf" or . == "-Inf")] | length' <<<"$result")
  [ "$bad" -eq 0 ] || fail "$3: $bad series of $1 have no finite value: $result"
  echo "ok  $3 ($count series)"
}
check 'count by (application) ({job="tsr", __name__=~"tsr_.+"})' 5 "every service exports tsr_* series"
check 'tsr_work_queue_depth{job="tsr"}' 50 "queue depth: 5 stages x 2 states x 5 services"
check 'tsr_work_queue_oldest_age_seconds{job="tsr"}' 25 "oldest pending age: 5 stages x 5 services"
check 'tsr_work_units_completed_total{job="tsr"}' 25 "completed-unit counters"
check 'tsr_runs{job="tsr", application="gateway"}' 12 "run counts: 2 methods x 6 states"
check 'hikaricp_connections_max{job="tsr"}' 5 "connection pools"
check 'sum by (application) (rate(http_server_requests_seconds_count{job="tsr"}[1m]))' 5 "HTTP server meters"
echo "Prometheus check passed"
