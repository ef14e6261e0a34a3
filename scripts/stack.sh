#!/usr/bin/env bash
# Brings up the whole local stack from a fresh clone, without Docker:
# PostgreSQL, Kafka, Kafka Connect + Debezium, Elasticsearch, migrations,
# the Debezium connector, a platform operator and a demo clinic onboarded through
# the provisioning saga (both credentials printed),
# then the API and the worker in the background.
#   npm run stack            start (idempotent)
#   npm run stack -- --tls   the same, the API serving HTTPS (HSTS, Secure cookies) with a
#                            self-signed certificate made once by openssl under the state
#                            directory (or TLS_CERT_FILE/TLS_KEY_FILE from .env)
#   npm run stack -- stop    stop everything it started
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
. infra/lib/common.sh
RUN_DIR="$HIMS_STATE_DIR/run"
mkdir -p "$RUN_DIR" "$HIMS_LOG_DIR"
[ -f .env ] && { set -a; . ./.env; set +a; }
export PORT="${PORT:-3000}"
# The full stack runs the pipeline: the API searches Elasticsearch (falling back
# to PostgreSQL) and reports Kafka/Elasticsearch in readiness; the worker consumes.
export KAFKA_ENABLED="${KAFKA_ENABLED:-true}"
export ELASTICSEARCH_ENABLED="${ELASTICSEARCH_ENABLED:-true}"
export WORKER_PORT="${WORKER_PORT:-3001}"
# Tracing: API, worker and CLI export spans to the stack's Zipkin (docs/tracing.md);
# TRACING_ENDPOINT= (empty) in .env turns it off.
export TRACING_ENDPOINT="${TRACING_ENDPOINT-http://127.0.0.1:$ZIPKIN_PORT/api/v2/spans}"

stop_app() {
  local name="$1" pidfile="$RUN_DIR/$1.pid"
  if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    kill -TERM "$(cat "$pidfile")" && say "stopped $name"
  fi
  rm -f "$pidfile"
}

start_app() {
  local name="$1" entry="$2" pidfile="$RUN_DIR/$1.pid"
  stop_app "$name"
  nohup node "$entry" >>"$HIMS_LOG_DIR/$name.log" 2>&1 &
  echo $! >"$pidfile"
}

TLS=false
for arg in "$@"; do [ "$arg" = --tls ] && TLS=true; done
SCHEME=http CURL_TLS=()
if [ "$TLS" = true ]; then
  if [ -z "${TLS_CERT_FILE:-}" ]; then
    TLS_DIR="$HIMS_STATE_DIR/tls"
    if [ ! -f "$TLS_DIR/cert.pem" ]; then
      say "self-signed certificate for localhost (openssl; $TLS_DIR)"
      mkdir -p "$TLS_DIR" && chmod 700 "$TLS_DIR"
      openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 365 -subj /CN=localhost \
        -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout "$TLS_DIR/key.pem" -out "$TLS_DIR/cert.pem" 2>/dev/null
      chmod 600 "$TLS_DIR/key.pem"
    fi
    export TLS_CERT_FILE="$TLS_DIR/cert.pem" TLS_KEY_FILE="$TLS_DIR/key.pem"
  fi
  SCHEME=https CURL_TLS=(--cacert "$TLS_CERT_FILE")
fi

if [ "${1:-start}" = stop ]; then
  stop_app worker; stop_app api
  bash infra/scripts/stack-infra.sh stop || true
  bash infra/postgres/pg.sh stop
  exit 0
fi

START=$SECONDS
ensure_node_modules
build
say "staff console (apps/web, served by the API under /)"
NODE_ENV=production npm run -s build:web >/dev/null
say "PostgreSQL"
bash infra/postgres/pg.sh start
say "Kafka, Kafka Connect + Debezium, Elasticsearch, Zipkin"
bash infra/scripts/stack-infra.sh start
say "migrations"
node dist/apps/cli/src/main.js migrate up
say "backups: a first full pgBackRest backup when the repository has none (docs/operations.md)"
bash infra/postgres/backup.sh ensure
say "Debezium connector, topics and search index"
node dist/apps/cli/src/main.js pipeline setup
say "platform operator, and the demo clinic through the provisioning saga"
DEMO_JSON="$(node dist/apps/cli/src/main.js seed-demo)"
say "API and worker"
start_app api dist/apps/api/src/main.js
DATABASE_APPLICATION_NAME=hims-worker start_app worker dist/apps/worker/src/main.js
wait_for api 60 "$HIMS_LOG_DIR/api.log" curl -sf "${CURL_TLS[@]}" "$SCHEME://localhost:$PORT/health/ready"
wait_for worker 90 "$HIMS_LOG_DIR/worker.log" curl -sf "http://127.0.0.1:$WORKER_PORT/health/ready"

node -e '
  const d = JSON.parse(process.argv[1]); const port = process.argv[2];
  console.log(`
HIMS is up in ${process.argv[3]}s.
  Console     '"$SCHEME"'://localhost:${port}/   (clinic: ${d.tenantSlug}, sign in as the demo admin below)
  API         '"$SCHEME"'://localhost:${port}/api/v1   (OpenAPI: '"$SCHEME"'://localhost:${port}/api/docs)
  Worker      http://127.0.0.1:'"$WORKER_PORT"'/metrics   (pipeline: docs/pipeline.md; search: GET /api/v1/search/patients?q=)
  Zipkin      http://127.0.0.1:'"$ZIPKIN_PORT"'/zipkin/   (traces of API, worker and CLI: docs/tracing.md; tracing '"$([ -n "$TRACING_ENDPOINT" ] && echo on || echo off)"')
  Demo tenant ${d.tenantSlug}  X-Tenant-ID: ${d.tenantId}
  Demo admin  ${d.email}  password: ${d.password}
  Operator    ${d.operatorEmail}  password: ${d.operatorPassword}   (platform routes: docs/onboarding.md)
  Try:  curl -s -X POST '"$SCHEME"'://localhost:${port}/api/v1/auth/login -H "X-Tenant-ID: ${d.tenantId}" \\
          -H "Content-Type: application/json" -d '"'"'{"email":"${d.email}","password":"${d.password}"}'"'"'
        curl -s -X POST '"$SCHEME"'://localhost:${port}/api/v1/platform/auth/login \\
          -H "Content-Type: application/json" -d '"'"'{"email":"${d.operatorEmail}","password":"${d.operatorPassword}"}'"'"'
  Logs  '"$HIMS_LOG_DIR"'   Stop: npm run stack -- stop`);
' "$DEMO_JSON" "$PORT" "$((SECONDS - START))"
