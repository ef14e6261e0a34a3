#!/usr/bin/env bash
# zipkin.sh {start|stop|status}
# Zipkin (io.zipkin:zipkin-server exec jar from Maven Central, run on the
# machine's JDK) on 127.0.0.1:$ZIPKIN_PORT with in-memory storage: the
# development and test tracing backend (docs/tracing.md). Spans are lost when
# it stops; MEM_MAX_SPANS bounds its memory.
set -euo pipefail
SCRIPTS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../lib/common.sh
. "$SCRIPTS_DIR/../lib/common.sh"

ZIPKIN_JAR="$HIMS_STATE_DIR/dist/zipkin-$ZIPKIN_VERSION/zipkin-server-$ZIPKIN_VERSION-exec.jar"
ZIPKIN_DIR="$HIMS_STATE_DIR/zipkin"
PID_FILE="$ZIPKIN_DIR/zipkin.pid"
OUT_FILE="$HIMS_LOG_DIR/zipkin.stdout.log"
START_TIMEOUT="${ZIPKIN_START_TIMEOUT:-120}"
ZIPKIN_HEAP="${ZIPKIN_HEAP:-512m}"
JAVA_BIN="$(readlink -f "${JAVA_HOME:+$JAVA_HOME/bin/}$(command -v java || echo java)")"
MAIN_CLASS="zipkin-server-$ZIPKIN_VERSION-exec.jar"   # pid_alive matches the command line against it
HEALTH_URL="http://127.0.0.1:$ZIPKIN_PORT/health"

health_ok() { local body; body="$(curl -fsS --max-time 5 "$HEALTH_URL" 2>/dev/null)" && [[ "$body" == *'"UP"'* ]]; }
healthy() { pid_alive && health_ok; }

start() {
  if healthy; then log "zipkin already running (pid $(cat "$PID_FILE")) on http://127.0.0.1:$ZIPKIN_PORT"; return 0; fi
  # Up but not answering after its start-up: in-memory storage holds nothing worth waiting for
  # (e.g. a heap filled by a benchmark's spans), so it is restarted rather than waited on.
  if pid_alive && process_age_over 120; then
    log "zipkin: process $(cat "$PID_FILE") is up but not healthy; restarting it"
    stop
  fi
  if ! pid_alive; then
    port_open "$ZIPKIN_PORT" && die "zipkin: port $ZIPKIN_PORT is taken by a process this script did not start"
    "$SCRIPTS_DIR/fetch.sh" zipkin
    ensure_run_user
    own_by_run_user "$ZIPKIN_DIR/" "$OUT_FILE"
    log "zipkin $ZIPKIN_VERSION: starting on 127.0.0.1:$ZIPKIN_PORT, in-memory storage (log $OUT_FILE)"
    # Bound to loopback only (Armeria port list); no self-tracing, no collectors but HTTP.
    ( cd "$ZIPKIN_DIR"; setsid nohup "${RUNAS[@]}" env STORAGE_TYPE=mem MEM_MAX_SPANS="${ZIPKIN_MEM_MAX_SPANS:-50000}" \
        SELF_TRACING_ENABLED=false COLLECTOR_ACTIVEMQ_ENABLED=false COLLECTOR_RABBITMQ_ENABLED=false \
        "$JAVA_BIN" -Xms64m -Xmx"$ZIPKIN_HEAP" -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError -jar "$ZIPKIN_JAR" \
        --armeria.ports[0].ip=127.0.0.1 --armeria.ports[0].port="$ZIPKIN_PORT" --armeria.ports[0].protocols[0]=http \
        >>"$OUT_FILE" 2>&1 </dev/null & echo $! >"$PID_FILE" )
  else
    log "zipkin: process $(cat "$PID_FILE") is up but not healthy yet; waiting"
  fi
  local deadline=$((SECONDS + START_TIMEOUT))
  until health_ok; do
    pid_alive || die "zipkin exited during startup; read $OUT_FILE"
    [ "$SECONDS" -lt "$deadline" ] || die "zipkin not healthy within ${START_TIMEOUT}s; read $OUT_FILE"
    sleep 1
  done
  log "zipkin ready: UI http://127.0.0.1:$ZIPKIN_PORT/zipkin/ (spans: http://127.0.0.1:$ZIPKIN_PORT/api/v2/spans)"
}

stop() { stop_server zipkin "$OUT_FILE" 30; }

# True when the recorded process has been running longer than $1 seconds.
process_age_over() {
  local age
  age="$(ps -o etimes= -p "$(cat "$PID_FILE")" 2>/dev/null | tr -d ' ')" || return 1
  [ -n "$age" ] && [ "$age" -gt "$1" ]
}

status() {
  if healthy; then log "zipkin running (pid $(cat "$PID_FILE")) on http://127.0.0.1:$ZIPKIN_PORT/zipkin/"; return 0; fi
  if pid_alive; then log "zipkin process up, /health not UP; log $OUT_FILE"; else log "zipkin not running"; fi
  return 1
}

RUNAS=()
[ "$(id -u)" = 0 ] && RUNAS=(runuser -u "$HIMS_RUN_USER" --)

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) die "usage: $0 {start|stop|status}" ;;
esac
