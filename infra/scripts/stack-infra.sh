#!/usr/bin/env bash
# stack-infra.sh {start|stop|status}
# Kafka, Kafka Connect (Debezium), Elasticsearch and Zipkin together. PostgreSQL is not
# managed here (infra/postgres/ owns it).
set -euo pipefail
SCRIPTS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../lib/common.sh
. "$SCRIPTS_DIR/../lib/common.sh"

start() {
  # Fetch once, serially: parallel Maven runs would race on ~/.m2.
  "$SCRIPTS_DIR/fetch.sh" all
  # ES does not depend on Kafka, so it boots alongside Kafka + Connect.
  "$SCRIPTS_DIR/elasticsearch.sh" start &
  local es_job=$!
  # Zipkin (the tracing backend) depends on nothing either.
  "$SCRIPTS_DIR/zipkin.sh" start &
  local zipkin_job=$!
  local rc=0
  "$SCRIPTS_DIR/kafka.sh" start && "$SCRIPTS_DIR/connect.sh" start || rc=$?
  wait "$es_job" || rc=$?
  wait "$zipkin_job" || rc=$?
  [ "$rc" = 0 ] || die "infra stack did not come up (see the messages above)"
  log "infra stack up: kafka 127.0.0.1:$KAFKA_PORT, connect http://127.0.0.1:$CONNECT_PORT, elasticsearch http://127.0.0.1:$ES_PORT, zipkin http://127.0.0.1:$ZIPKIN_PORT/zipkin/"
}

stop() {
  # Connect first: it would otherwise spin on a vanished broker.
  "$SCRIPTS_DIR/connect.sh" stop
  "$SCRIPTS_DIR/elasticsearch.sh" stop &
  local es_job=$!
  "$SCRIPTS_DIR/zipkin.sh" stop
  "$SCRIPTS_DIR/kafka.sh" stop
  wait "$es_job"
}

status() {
  local rc=0
  "$SCRIPTS_DIR/kafka.sh" status || rc=1
  "$SCRIPTS_DIR/connect.sh" status || rc=1
  "$SCRIPTS_DIR/elasticsearch.sh" status || rc=1
  "$SCRIPTS_DIR/zipkin.sh" status || rc=1
  return "$rc"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) die "usage: $0 {start|stop|status}" ;;
esac
