#!/usr/bin/env bash
# connect.sh {start|stop|status}
# One Kafka Connect worker in distributed mode (group hims-connect), REST on
# 127.0.0.1:$CONNECT_PORT, with the Debezium PostgreSQL connector on plugin.path.
# Needs Kafka running (infra/scripts/kafka.sh start).
set -euo pipefail
SCRIPTS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../lib/common.sh
. "$SCRIPTS_DIR/../lib/common.sh"

KAFKA_HOME="$HIMS_STATE_DIR/dist/kafka-$KAFKA_VERSION"
PLUGIN_DIR="$HIMS_STATE_DIR/dist/connect-plugins"
CONNECT_DIR="$HIMS_STATE_DIR/connect"
CONNECT_CONF="$CONNECT_DIR/connect-distributed.properties"
PID_FILE="$CONNECT_DIR/connect.pid"
LOG_FILE="$HIMS_LOG_DIR/connect.log"
OUT_FILE="$HIMS_LOG_DIR/connect.stdout.log"
REST="http://127.0.0.1:$CONNECT_PORT"
START_TIMEOUT="${CONNECT_START_TIMEOUT:-180}"
STOP_TIMEOUT="${CONNECT_STOP_TIMEOUT:-60}"
JAVA_BIN="$(readlink -f "${JAVA_HOME:+$JAVA_HOME/bin/}$(command -v java || echo java)")"
MAIN_CLASS=org.apache.kafka.connect.cli.ConnectDistributed
PG_CONNECTOR=io.debezium.connector.postgresql.PostgresConnector
OUTBOX_SMT=io.debezium.transforms.outbox.EventRouter

# Healthy = the REST API answers and the Debezium connector was loaded.
plugins_ok() { curl -fsS --max-time 5 "$REST/connector-plugins" 2>/dev/null | grep -q "$PG_CONNECTOR"; }
healthy() { pid_alive && plugins_ok; }

render_config() {
  sed -e "s#@KAFKA_PORT@#$KAFKA_PORT#g" \
      -e "s#@CONNECT_PORT@#$CONNECT_PORT#g" \
      -e "s#@CONNECT_PLUGIN_PATH@#$PLUGIN_DIR#g" \
      "$INFRA_DIR/kafka/connect-distributed.properties.tmpl" >"$CONNECT_CONF"
}

start() {
  if healthy; then log "connect already running (pid $(cat "$PID_FILE")) on $REST"; return 0; fi
  if ! pid_alive; then
    port_open "$CONNECT_PORT" && die "connect: port $CONNECT_PORT is taken by a process this script did not start"
    "$SCRIPTS_DIR/kafka.sh" status >/dev/null 2>&1 \
      || die "connect: kafka is not running on 127.0.0.1:$KAFKA_PORT; run infra/scripts/kafka.sh start first"
    "$SCRIPTS_DIR/fetch.sh" connect
    ensure_run_user
    mkdir -p "$CONNECT_DIR"
    [ "$(id -u)" = 0 ] && chown -R "$HIMS_RUN_USER" "$CONNECT_DIR"
    render_config
    log "connect (kafka $KAFKA_VERSION, debezium $DEBEZIUM_VERSION): starting (log $LOG_FILE)"
    rm -f "$PID_FILE"
    local runas=()
    [ "$(id -u)" = 0 ] && runas=(runuser -u "$HIMS_RUN_USER" --)
    # See kafka.sh: own session; the pid file holds the JVM's pid.
    setsid nohup "${runas[@]}" bash -c 'echo $$ >"$0"; exec "$@"' "$PID_FILE" \
      "$JAVA_BIN" -Xms256m -Xmx512m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true \
      -Dlog4j.configuration="file:$INFRA_DIR/kafka/log4j.properties" -Dhims.log.file="$LOG_FILE" \
      -Dkafka.logs.dir="$HIMS_LOG_DIR" \
      -cp "$KAFKA_HOME/libs/*" "$MAIN_CLASS" "$CONNECT_CONF" \
      >>"$OUT_FILE" 2>&1 </dev/null &
    wait_for connect 10 "$OUT_FILE" test -s "$PID_FILE"
  else
    log "connect: process $(cat "$PID_FILE") is up but REST not ready yet; waiting"
  fi
  local deadline=$((SECONDS + START_TIMEOUT))
  until plugins_ok; do
    pid_alive || die "connect exited during startup; read $LOG_FILE (and $OUT_FILE)"
    [ "$SECONDS" -lt "$deadline" ] \
      || die "connect did not list $PG_CONNECTOR on $REST/connector-plugins within ${START_TIMEOUT}s; read $LOG_FILE"
    sleep 2
  done
  # The outbox SMT lives in debezium-core inside the same plugin directory.
  curl -fsS --max-time 5 "$REST/connector-plugins?connectorsOnly=false" | grep -q "$OUTBOX_SMT" \
    || die "connect: $OUTBOX_SMT is not listed as a transformation; read $LOG_FILE"
  log "connect ready on $REST (pid $(cat "$PID_FILE")); $PG_CONNECTOR and $OUTBOX_SMT loaded"
}

stop() { stop_server connect "$LOG_FILE" "$STOP_TIMEOUT"; }

status() {
  if healthy; then log "connect running (pid $(cat "$PID_FILE")) on $REST"; return 0; fi
  if pid_alive; then log "connect process up but $REST/connector-plugins not answering; log $LOG_FILE"; else log "connect not running"; fi
  return 1
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) die "usage: $0 {start|stop|status}" ;;
esac
