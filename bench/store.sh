#!/usr/bin/env bash
# Store benchmark: bulk response inserts of one paper-scale TSR iteration and work-queue throughput.
# Uses TEST_DB_URL if set; else a local PostgreSQL on 127.0.0.1:5432 if one answers; else embedded PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ -z "${TEST_DB_URL:-}" ]] && command -v pg_isready >/dev/null && pg_isready -q -h 127.0.0.1 -p 5432; then
  export TEST_DB_URL="jdbc:postgresql://127.0.0.1:5432/postgres"
  export TEST_DB_USER="${TEST_DB_USER:-postgres}"
fi
./mvnw -B -q -ntp -pl store -am install -DskipTests
./mvnw -B -q -ntp -pl store exec:java -Dexec.mainClass=org.tsr.store.bench.StoreBenchmark \
  -Dexec.classpathScope=test -Dexec.cleanupDaemonThreads=false
