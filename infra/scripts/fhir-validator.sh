#!/usr/bin/env bash
# fhir-validator.sh {install|classpath}
# The FHIR document validator of the tests (docs/fhir-documents.md): HAPI FHIR's validator
# (org.hl7.fhir.validation engine) with the R4 core definitions, resolved from Maven Central
# by infra/fhir-validator/pom.xml into $HIMS_STATE_DIR/dist (outside the repo), and
# infra/fhir-validator/src compiled against it. Offline once installed.
#   install    fetch and compile when missing or when the sources changed (idempotent)
#   classpath  install, then print the java classpath on stdout
set -euo pipefail
# shellcheck source=../lib/common.sh
. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/../lib/common.sh"

SRC_DIR="$INFRA_DIR/fhir-validator"
HOME_DIR="$HIMS_STATE_DIR/dist/fhir-validator-$FHIR_VALIDATOR_HAPI_VERSION"
DEP_PLUGIN="org.apache.maven.plugins:maven-dependency-plugin:3.8.1"

install() {
  if [ -f "$HOME_DIR/.complete" ] && [ -z "$(find "$SRC_DIR" -newer "$HOME_DIR/.complete" -type f -print -quit)" ]; then
    return 0
  fi
  command -v javac >/dev/null || die "fhir-validator: a JDK (javac) is needed"
  log "fhir-validator: resolving HAPI FHIR $FHIR_VALIDATOR_HAPI_VERSION validation via maven -> $HOME_DIR"
  local tmp="$HOME_DIR.tmp"
  rm -rf "$tmp"; mkdir -p "$tmp/libs" "$tmp/classes"
  # mvn must not pick up a pom.xml from wherever the caller stands.
  (cd "$tmp" && mvn -q -B -f "$SRC_DIR/pom.xml" -Dhapi.version="$FHIR_VALIDATOR_HAPI_VERSION" \
    "$DEP_PLUGIN:copy-dependencies" -DincludeScope=runtime -DoutputDirectory="$tmp/libs") >&2 \
    || die "maven could not resolve infra/fhir-validator/pom.xml"
  javac -nowarn -encoding UTF-8 -cp "$tmp/libs/*" -d "$tmp/classes" "$SRC_DIR"/src/*.java >&2 \
    || die "fhir-validator: javac failed"
  rm -rf "$HOME_DIR"; mv "$tmp" "$HOME_DIR"
  touch "$HOME_DIR/.complete"
  log "fhir-validator: $(find "$HOME_DIR/libs" -name '*.jar' | wc -l) jars installed"
}

case "${1:-}" in
  install) install ;;
  classpath) install; printf '%s\n' "$HOME_DIR/classes:$HOME_DIR/libs/*" ;;
  *) die "usage: $0 {install|classpath}" ;;
esac
