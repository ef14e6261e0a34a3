#!/usr/bin/env bash
# kafka.sh {start|stop|status}
# Single-node Apache Kafka in KRaft mode (broker + controller in one JVM) on
# 127.0.0.1:$KAFKA_PORT, run from a Maven-assembled classpath (see fetch.sh).
set -euo pipefail
SCRIPTS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../lib/common.sh
. "$SCRIPTS_DIR/../lib/common.sh"

KAFKA_HOME="$HIMS_STATE_DIR/dist/kafka-$KAFKA_VERSION"
KAFKA_DIR="$HIMS_STATE_DIR/kafka"
KAFKA_DATA="$KAFKA_DIR/data"
KAFKA_CONF="$KAFKA_DIR/server.properties"
PID_FILE="$KAFKA_DIR/kafka.pid"
LOG_FILE="$HIMS_LOG_DIR/kafka.log"
OUT_FILE="$HIMS_LOG_DIR/kafka.stdout.log"
START_TIMEOUT="${KAFKA_START_TIMEOUT:-120}"
STOP_TIMEOUT="${KAFKA_STOP_TIMEOUT:-60}"
# Absolute path: the server runs as another user whose PATH we don't control.
JAVA_BIN="$(readlink -f "${JAVA_HOME:+$JAVA_HOME/bin/}$(command -v java || echo java)")"
MAIN_CLASS=kafka.Kafka

healthy() { pid_alive && port_open "$KAFKA_PORT"; }

# Runs a Kafka CLI class (as the server user, so files it may create stay theirs).
kafka_tool() {
  as_run_user "$JAVA_BIN" -Xmx256m -Dlog4j.configuration="file:$INFRA_DIR/kafka/tools-log4j.properties" \
    -cp "$KAFKA_HOME/libs/*" "$@"
}
# A real broker API round-trip, not just an open socket.
api_ok() { timeout 30 "$JAVA_BIN" -Xmx128m -Dlog4j.configuration="file:$INFRA_DIR/kafka/tools-log4j.properties" \
  -cp "$KAFKA_HOME/libs/*" org.apache.kafka.tools.TopicCommand --bootstrap-server "127.0.0.1:$KAFKA_PORT" --list; }

render_config() {
  sed -e "s#@KAFKA_PORT@#$KAFKA_PORT#g" \
      -e "s#@KAFKA_CONTROLLER_PORT@#$KAFKA_CONTROLLER_PORT#g" \
      -e "s#@KAFKA_DATA_DIR@#$KAFKA_DATA#g" \
      "$INFRA_DIR/kafka/server.properties.tmpl" >"$KAFKA_CONF"
}

# KRaft needs its log dir formatted once with a cluster id; keep the id so a
# re-format after a partial reset reuses it.
format_storage() {
  [ -f "$KAFKA_DATA/meta.properties" ] && return 0
  if [ ! -s "$KAFKA_DIR/cluster.id" ]; then
    # A Kafka Uuid is 16 random bytes in URL-safe base64 without padding.
    head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n' >"$KAFKA_DIR/cluster.id"
  fi
  log "kafka: formatting KRaft storage in $KAFKA_DATA (cluster id $(cat "$KAFKA_DIR/cluster.id"))"
  kafka_tool kafka.tools.StorageTool format -t "$(cat "$KAFKA_DIR/cluster.id")" -c "$KAFKA_CONF" --ignore-formatted >&2 \
    || die "kafka: storage format failed (config $KAFKA_CONF)"
}

start() {
  if healthy; then log "kafka already running (pid $(cat "$PID_FILE")) on 127.0.0.1:$KAFKA_PORT"; return 0; fi
  if ! pid_alive; then
    if port_open "$KAFKA_PORT" || port_open "$KAFKA_CONTROLLER_PORT"; then
      die "kafka: port $KAFKA_PORT or $KAFKA_CONTROLLER_PORT is taken by a process this script did not start"
    fi
    "$SCRIPTS_DIR/fetch.sh" kafka
    ensure_run_user
    mkdir -p "$KAFKA_DATA"
    [ "$(id -u)" = 0 ] && chown -R "$HIMS_RUN_USER" "$KAFKA_DIR"
    render_config
    format_storage
    log "kafka $KAFKA_VERSION: starting (log $LOG_FILE)"
    rm -f "$PID_FILE"
    local runas=()
    [ "$(id -u)" = 0 ] && runas=(runuser -u "$HIMS_RUN_USER" --)
    # setsid: own session, so the server outlives this shell; the inner bash
    # writes the JVM's own pid (exec keeps it), not runuser's.
    setsid nohup "${runas[@]}" bash -c 'echo $$ >"$0"; exec "$@"' "$PID_FILE" \
      "$JAVA_BIN" -Xms256m -Xmx512m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true \
      -Dlog4j.configuration="file:$INFRA_DIR/kafka/log4j.properties" -Dhims.log.file="$LOG_FILE" \
      -Dkafka.logs.dir="$HIMS_LOG_DIR" \
      -cp "$KAFKA_HOME/libs/*" "$MAIN_CLASS" "$KAFKA_CONF" \
      >>"$OUT_FILE" 2>&1 </dev/null &
    # Give the wrapper a moment to write the pid file.
    wait_for kafka 10 "$OUT_FILE" test -s "$PID_FILE"
  else
    log "kafka: process $(cat "$PID_FILE") is up but not serving yet; waiting"
  fi
  local deadline=$((SECONDS + START_TIMEOUT))
  until port_open "$KAFKA_PORT"; do
    pid_alive || die "kafka exited during startup; read $LOG_FILE (and $OUT_FILE)"
    [ "$SECONDS" -lt "$deadline" ] || die "kafka did not open 127.0.0.1:$KAFKA_PORT within ${START_TIMEOUT}s; read $LOG_FILE"
    sleep 1
  done
  wait_for kafka "$((deadline - SECONDS > 10 ? deadline - SECONDS : 10))" "$LOG_FILE" api_ok
  log "kafka ready on 127.0.0.1:$KAFKA_PORT (pid $(cat "$PID_FILE"))"
}

stop() { stop_server kafka "$LOG_FILE" "$STOP_TIMEOUT"; }

status() {
  if healthy; then log "kafka running (pid $(cat "$PID_FILE")) on 127.0.0.1:$KAFKA_PORT"; return 0; fi
  if pid_alive; then log "kafka process up but port $KAFKA_PORT not open; log $LOG_FILE"; else log "kafka not running"; fi
  return 1
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) die "usage: $0 {start|stop|status}" ;;
esac
