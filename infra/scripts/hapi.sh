#!/usr/bin/env bash
# hapi.sh {build|start|stop|status|pid}
# The benchmark's peer: a HAPI FHIR JPA server (R4) built from infra/hapi (Maven
# Central artifacts only) into $HIMS_STATE_DIR/dist, on the stack's PostgreSQL in
# its own database `hapi` owned by its own role, on 127.0.0.1:$HAPI_PORT/fhir.
# Never started by the stack or the tests; bench/run.ts starts it for BENCH_PEER=hapi.
set -euo pipefail
SCRIPTS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../lib/common.sh
. "$SCRIPTS_DIR/../lib/common.sh"

HAPI_SRC="$INFRA_DIR/hapi"
HAPI_HOME="$HIMS_STATE_DIR/dist/hapi-$HAPI_VERSION"
HAPI_JAR="$HAPI_HOME/hims-hapi-peer.jar"
HAPI_DIR="$HIMS_STATE_DIR/hapi"
PID_FILE="$HAPI_DIR/hapi.pid"
OUT_FILE="$HIMS_LOG_DIR/hapi.stdout.log"
HAPI_DB="${HAPI_DB:-hapi}"
HAPI_DB_USER="${HAPI_DB_USER:-hapi}"
HAPI_DB_PASSWORD="${HAPI_DB_PASSWORD:-hapi_dev}"
HAPI_HEAP="${HAPI_HEAP:-1g}"
HAPI_POOL_MAX="${HAPI_POOL_MAX:-10}"
START_TIMEOUT="${HAPI_START_TIMEOUT:-300}"
MAIN_CLASS="$HAPI_JAR"   # pid_alive matches the command line against it
METADATA_URL="http://127.0.0.1:$HAPI_PORT/fhir/metadata"
PG_SH="$INFRA_DIR/postgres/pg.sh"

# The first /metadata builds the capability statement (~40 s on a busy 2-core box).
metadata_ok() { curl -fsS --max-time 90 "$METADATA_URL" >/dev/null 2>&1; }

# Rebuilt when the sources are newer than the jar (or the version changed: new dir).
build() {
  if [ -f "$HAPI_JAR" ] && [ -z "$(find "$HAPI_SRC" -newer "$HAPI_JAR" -type f -print -quit)" ]; then return 0; fi
  log "hapi $HAPI_VERSION: building $HAPI_SRC with maven (first build downloads ~300 MB into ~/.m2)"
  mkdir -p "$HAPI_HOME"
  mvn -q -B -f "$HAPI_SRC/pom.xml" -Dhapi.version="$HAPI_VERSION" \
    package -DskipTests >&2 || die "hapi: maven build failed"
  cp "$HAPI_SRC/target/hims-hapi-peer.jar" "$HAPI_JAR"
  rm -rf "$HAPI_SRC/target"
}

# The database and its owner role, through the cluster superuser (idempotent).
ensure_database() {
  "$PG_SH" psql -d postgres <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$HAPI_DB_USER') THEN
    CREATE ROLE "$HAPI_DB_USER" LOGIN NOSUPERUSER NOCREATEROLE NOCREATEDB NOBYPASSRLS;
  END IF;
END \$\$;
ALTER ROLE "$HAPI_DB_USER" PASSWORD '$HAPI_DB_PASSWORD';
SQL
  if [ "$("$PG_SH" psql -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$HAPI_DB'")" != 1 ]; then
    "$PG_SH" psql -d postgres -c "CREATE DATABASE \"$HAPI_DB\" OWNER \"$HAPI_DB_USER\""
  fi
}

start() {
  if pid_alive && metadata_ok; then log "hapi already running (pid $(cat "$PID_FILE")) on $METADATA_URL"; return 0; fi
  if ! pid_alive; then
    port_open "$HAPI_PORT" && die "hapi: port $HAPI_PORT is taken by a process this script did not start"
    build
    "$PG_SH" start >/dev/null
    ensure_database
    mkdir -p "$HAPI_DIR" "$HIMS_LOG_DIR"
    log "hapi $HAPI_VERSION: starting on 127.0.0.1:$HAPI_PORT (log $OUT_FILE)"
    setsid nohup java -Xmx"$HAPI_HEAP" -jar "$HAPI_JAR" \
      --server.address=127.0.0.1 --server.port="$HAPI_PORT" \
      --spring.datasource.url="jdbc:postgresql://127.0.0.1:$PG_PORT/$HAPI_DB" \
      --spring.datasource.username="$HAPI_DB_USER" --spring.datasource.password="$HAPI_DB_PASSWORD" \
      --spring.datasource.hikari.maximum-pool-size="$HAPI_POOL_MAX" \
      >>"$OUT_FILE" 2>&1 </dev/null &
    echo $! >"$PID_FILE"
  fi
  local deadline=$((SECONDS + START_TIMEOUT))
  until metadata_ok; do
    pid_alive || die "hapi exited during startup; read $OUT_FILE"
    [ "$SECONDS" -lt "$deadline" ] || die "hapi: no /fhir/metadata within ${START_TIMEOUT}s; read $OUT_FILE"
    sleep 2
  done
  log "hapi ready on http://127.0.0.1:$HAPI_PORT/fhir (pid $(cat "$PID_FILE"))"
}

stop() { stop_server hapi "$OUT_FILE" 60; }

status() {
  if pid_alive && metadata_ok; then log "hapi running (pid $(cat "$PID_FILE")) on http://127.0.0.1:$HAPI_PORT/fhir"; return 0; fi
  if pid_alive; then log "hapi process up, /fhir/metadata not answering; log $OUT_FILE"; else log "hapi not running"; fi
  return 1
}

case "${1:-}" in
  build) build ;;
  start) start ;;
  stop) stop ;;
  status) status ;;
  pid) pid_alive && cat "$PID_FILE" ;;   # for the bench's CPU and memory sampling
  *) die "usage: $0 {build|start|stop|status|pid}" ;;
esac
