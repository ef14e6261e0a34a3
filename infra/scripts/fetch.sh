#!/usr/bin/env bash
# fetch.sh [all|kafka|connect|elasticsearch|zipkin]
# Fetches the pinned Kafka classpath, the Debezium PostgreSQL plugin and the
# Elasticsearch distribution and the Zipkin server jar through Maven (never by URL) and unpacks them under
# $HIMS_STATE_DIR/dist. Idempotent: each part is skipped when its ".complete"
# marker for the pinned version is present.
set -euo pipefail
# shellcheck source=../lib/common.sh
. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/../lib/common.sh"

DIST_DIR="$HIMS_STATE_DIR/dist"
KAFKA_HOME="$DIST_DIR/kafka-$KAFKA_VERSION"
PLUGIN_DIR="$DIST_DIR/connect-plugins"
DBZ_DIR="$PLUGIN_DIR/debezium-connector-postgres"
ES_HOME="$DIST_DIR/elasticsearch-$ELASTICSEARCH_VERSION"
ZIPKIN_HOME="$DIST_DIR/zipkin-$ZIPKIN_VERSION"
DL_DIR="$DIST_DIR/downloads"
DEP_PLUGIN="org.apache.maven.plugins:maven-dependency-plugin:3.8.1"

# mvn must not pick up a pom.xml from wherever the caller stands.
mkdir -p "$DIST_DIR" "$DL_DIR"
cd "$DIST_DIR"

fetch_kafka() {
  if [ -f "$KAFKA_HOME/.complete" ]; then
    log "kafka $KAFKA_VERSION classpath already present ($KAFKA_HOME/libs)"; return 0
  fi
  log "fetching kafka_$KAFKA_SCALA $KAFKA_VERSION + connect runtime via maven -> $KAFKA_HOME/libs"
  # Build in a temp dir and rename, so an interrupted fetch never looks complete.
  local tmp="$KAFKA_HOME.tmp"
  rm -rf "$tmp"; mkdir -p "$tmp/libs"
  mvn -q -B -f "$INFRA_DIR/kafka/pom.xml" \
    -Dkafka.version="$KAFKA_VERSION" -Dkafka.scala="$KAFKA_SCALA" \
    "$DEP_PLUGIN:copy-dependencies" -DincludeScope=runtime -DoutputDirectory="$tmp/libs" >&2 \
    || die "maven could not resolve the kafka classpath (infra/kafka/pom.xml, kafka $KAFKA_VERSION)"
  ls "$tmp/libs/kafka_$KAFKA_SCALA-$KAFKA_VERSION.jar" >/dev/null \
    || die "kafka classpath incomplete: kafka_$KAFKA_SCALA-$KAFKA_VERSION.jar missing"
  rm -rf "$KAFKA_HOME"; mv "$tmp" "$KAFKA_HOME"
  touch "$KAFKA_HOME/.complete"
  log "kafka: $(find "$KAFKA_HOME/libs" -name '*.jar' | wc -l) jars installed"
}

fetch_debezium() {
  if [ -f "$DBZ_DIR/.complete" ] && [ "$(cat "$DBZ_DIR/.complete")" = "$DEBEZIUM_VERSION" ]; then
    log "debezium postgres connector $DEBEZIUM_VERSION already present ($DBZ_DIR)"; return 0
  fi
  log "fetching io.debezium:debezium-connector-postgres:$DEBEZIUM_VERSION:tar.gz:plugin via maven"
  maven_fetch "io.debezium:debezium-connector-postgres:$DEBEZIUM_VERSION:tar.gz:plugin" "$DL_DIR"
  local archive="$DL_DIR/debezium-connector-postgres-$DEBEZIUM_VERSION-plugin.tar.gz"
  local tmp="$PLUGIN_DIR.tmp"
  rm -rf "$tmp"; mkdir -p "$tmp"
  tar -xzf "$archive" -C "$tmp"
  [ -d "$tmp/debezium-connector-postgres" ] || die "unexpected layout in $archive"
  # Only one Debezium version may sit on plugin.path, so replace, never add.
  mkdir -p "$PLUGIN_DIR"; rm -rf "$DBZ_DIR"
  mv "$tmp/debezium-connector-postgres" "$DBZ_DIR"
  rm -rf "$tmp" "$archive"
  printf '%s\n' "$DEBEZIUM_VERSION" >"$DBZ_DIR/.complete"
  log "debezium: unpacked into $DBZ_DIR"
}

fetch_elasticsearch() {
  if [ -f "$ES_HOME/.complete" ]; then
    log "elasticsearch $ELASTICSEARCH_VERSION already present ($ES_HOME)"; return 0
  fi
  log "fetching org.elasticsearch.distribution.integ-test-zip:elasticsearch:$ELASTICSEARCH_VERSION:zip via maven"
  maven_fetch "org.elasticsearch.distribution.integ-test-zip:elasticsearch:$ELASTICSEARCH_VERSION:zip" "$DL_DIR"
  local archive="$DL_DIR/elasticsearch-$ELASTICSEARCH_VERSION.zip"
  local tmp="$DIST_DIR/es.tmp"
  if ! command -v unzip >/dev/null; then
    [ "$(id -u)" = 0 ] || die "unzip not found: install it (apt-get install unzip)"
    log "installing unzip from Debian"; apt-get install -y -q unzip >&2 || { apt-get update -q >&2 && apt-get install -y -q unzip >&2; }
  fi
  rm -rf "$tmp"; mkdir -p "$tmp"
  unzip -q "$archive" -d "$tmp"
  [ -x "$tmp/elasticsearch-$ELASTICSEARCH_VERSION/bin/elasticsearch" ] || die "unexpected layout in $archive"
  # ES refuses to start without a plugins directory; the test zip ships none.
  mkdir -p "$tmp/elasticsearch-$ELASTICSEARCH_VERSION/plugins"
  rm -rf "$ES_HOME"; mv "$tmp/elasticsearch-$ELASTICSEARCH_VERSION" "$ES_HOME"
  rm -rf "$tmp" "$archive"
  touch "$ES_HOME/.complete"
  log "elasticsearch: unpacked into $ES_HOME"
}

fetch_zipkin() {
  if [ -f "$ZIPKIN_HOME/.complete" ]; then
    log "zipkin $ZIPKIN_VERSION already present ($ZIPKIN_HOME)"; return 0
  fi
  log "fetching io.zipkin:zipkin-server:$ZIPKIN_VERSION:jar:exec via maven"
  local tmp="$ZIPKIN_HOME.tmp"
  rm -rf "$tmp"; mkdir -p "$tmp"
  maven_fetch "io.zipkin:zipkin-server:$ZIPKIN_VERSION:jar:exec" "$tmp"
  [ -f "$tmp/zipkin-server-$ZIPKIN_VERSION-exec.jar" ] || die "zipkin: exec jar missing after the fetch"
  rm -rf "$ZIPKIN_HOME"; mv "$tmp" "$ZIPKIN_HOME"
  touch "$ZIPKIN_HOME/.complete"
  log "zipkin: $ZIPKIN_HOME/zipkin-server-$ZIPKIN_VERSION-exec.jar"
}

command -v mvn >/dev/null || die "mvn not found: install Maven (apt-get install maven)"
case "${1:-all}" in
  kafka) fetch_kafka ;;
  connect) fetch_kafka; fetch_debezium ;;
  elasticsearch|es) fetch_elasticsearch ;;
  zipkin) fetch_zipkin ;;
  all) fetch_kafka; fetch_debezium; fetch_elasticsearch; fetch_zipkin ;;
  *) die "usage: $0 [all|kafka|connect|elasticsearch|zipkin]" ;;
esac
