#!/usr/bin/env bash
# elasticsearch.sh {start|stop|status}
# Single-node Elasticsearch 8 (integ-test-zip from Maven Central, no bundled
# JDK: runs on the machine's JDK 17) on 127.0.0.1:$ES_PORT, security off.
set -euo pipefail
SCRIPTS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../lib/common.sh
. "$SCRIPTS_DIR/../lib/common.sh"

ES_HOME="$HIMS_STATE_DIR/dist/elasticsearch-$ELASTICSEARCH_VERSION"
ES_DIR="$HIMS_STATE_DIR/elasticsearch"
ES_CONF="$ES_DIR/config"
ES_DATA="$ES_DIR/data"
ES_LOGS="$ES_DIR/logs"
PID_FILE="$ES_DIR/elasticsearch.pid"
LOG_FILE="$ES_LOGS/hims-dev.log"          # ES names its main log after cluster.name
OUT_FILE="$HIMS_LOG_DIR/elasticsearch.stdout.log"
# Not in versions.env; kept next to the HTTP port so it never hits a system ES on 9300.
ES_TRANSPORT_PORT=$((ES_PORT + 100))
START_TIMEOUT="${ES_START_TIMEOUT:-180}"
STOP_TIMEOUT="${ES_STOP_TIMEOUT:-60}"
JAVA_BIN="$(readlink -f "${JAVA_HOME:+$JAVA_HOME/bin/}$(command -v java || echo java)")"
ES_JAVA_HOME="${ES_JAVA_HOME:-$(dirname "$(dirname "$JAVA_BIN")")}"
MAIN_CLASS=org.elasticsearch.bootstrap.Elasticsearch
HEALTH_URL="http://127.0.0.1:$ES_PORT/_cluster/health?wait_for_status=yellow&timeout=2s"

# curl -f fails on the 408 ES returns while the status is still red.
health_ok() { curl -fsS --max-time 5 "$HEALTH_URL" >/dev/null 2>&1; }
healthy() { pid_alive && health_ok; }

prepare_config() {
  mkdir -p "$ES_CONF/jvm.options.d" "$ES_DATA" "$ES_LOGS" "$ES_DIR/tmp"
  # Distribution defaults first, then ours; re-copied each start so a version bump takes effect.
  cp "$ES_HOME/config/jvm.options" "$ES_HOME/config/log4j2.properties" "$ES_CONF/"
  cp "$INFRA_DIR/elasticsearch/jvm.options.d/"*.options "$ES_CONF/jvm.options.d/"
  sed -e "s#@ES_PORT@#$ES_PORT#g" \
      -e "s#@ES_TRANSPORT_PORT@#$ES_TRANSPORT_PORT#g" \
      -e "s#@ES_DATA_DIR@#$ES_DATA#g" \
      -e "s#@ES_LOGS_DIR@#$ES_LOGS#g" \
      "$INFRA_DIR/elasticsearch/elasticsearch.yml.tmpl" >"$ES_CONF/elasticsearch.yml"
  # ES writes its keystore into the config dir, so the server user must own it.
  [ "$(id -u)" = 0 ] && chown -R "$HIMS_RUN_USER" "$ES_DIR"
  return 0
}

start() {
  if healthy; then log "elasticsearch already running (pid $(cat "$PID_FILE")) on 127.0.0.1:$ES_PORT"; return 0; fi
  local launcher=""
  if ! pid_alive; then
    if port_open "$ES_PORT" || port_open "$ES_TRANSPORT_PORT"; then
      die "elasticsearch: port $ES_PORT or $ES_TRANSPORT_PORT is taken by a process this script did not start"
    fi
    "$SCRIPTS_DIR/fetch.sh" elasticsearch
    ensure_run_user
    prepare_config
    log "elasticsearch $ELASTICSEARCH_VERSION: starting on JDK $ES_JAVA_HOME (log $LOG_FILE)"
    rm -f "$PID_FILE"
    local runas=()
    [ "$(id -u)" = 0 ] && runas=(runuser -u "$HIMS_RUN_USER" --)
    # -d -p: the launcher daemonizes the server JVM and writes its pid. cwd =
    # logs dir because the stock jvm.options writes gc.log / hs_err relative to it.
    ( cd "$ES_LOGS" && setsid nohup "${runas[@]}" env \
        ES_HOME="$ES_HOME" ES_PATH_CONF="$ES_CONF" ES_JAVA_HOME="$ES_JAVA_HOME" ES_TMPDIR="$ES_DIR/tmp" \
        "$ES_HOME/bin/elasticsearch" -d -p "$PID_FILE" \
        >>"$OUT_FILE" 2>&1 </dev/null ) &
    launcher=$!
  else
    log "elasticsearch: process $(cat "$PID_FILE") is up but not healthy yet; waiting"
  fi
  local deadline=$((SECONDS + START_TIMEOUT))
  until health_ok; do
    # Alive = the launcher is still bringing the node up, or the daemon runs.
    if ! pid_alive && ! { [ -n "$launcher" ] && kill -0 "$launcher" 2>/dev/null; }; then
      die "elasticsearch exited during startup; read $LOG_FILE and $OUT_FILE"
    fi
    [ "$SECONDS" -lt "$deadline" ] || die "elasticsearch not yellow/green within ${START_TIMEOUT}s; read $LOG_FILE"
    sleep 2
  done
  wait_for elasticsearch 30 "$OUT_FILE" pid_alive
  log "elasticsearch ready on http://127.0.0.1:$ES_PORT (pid $(cat "$PID_FILE"))"
}

stop() { stop_server elasticsearch "$LOG_FILE" "$STOP_TIMEOUT"; }

status() {
  if healthy; then log "elasticsearch running (pid $(cat "$PID_FILE")) on http://127.0.0.1:$ES_PORT"; return 0; fi
  if pid_alive; then log "elasticsearch process up but cluster not yellow/green; log $LOG_FILE"; else log "elasticsearch not running"; fi
  return 1
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) die "usage: $0 {start|stop|status}" ;;
esac
