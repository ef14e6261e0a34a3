#!/usr/bin/env bash
# Shared helpers for the infra scripts: where state lives, which OS user runs
# the servers (PostgreSQL and Elasticsearch refuse root), and waiting.
set -euo pipefail

INFRA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REPO_DIR="$(cd "$INFRA_DIR/.." && pwd)"
# shellcheck source=../versions.env
set -a; . "$INFRA_DIR/versions.env"; set +a

# State (data dirs, logs, unpacked distributions) lives outside the repo.
if [ "$(id -u)" = 0 ]; then
  HIMS_STATE_DIR="${HIMS_STATE_DIR:-/var/lib/hims-dev}"
  HIMS_RUN_USER="${HIMS_RUN_USER:-hims}"
else
  HIMS_STATE_DIR="${HIMS_STATE_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/hims-dev}"
  HIMS_RUN_USER="$(id -un)"
fi
HIMS_LOG_DIR="$HIMS_STATE_DIR/logs"
export HIMS_STATE_DIR HIMS_RUN_USER HIMS_LOG_DIR

log() { printf '[infra] %s\n' "$*" >&2; }
die() { printf '[infra] ERROR: %s\n' "$*" >&2; exit 1; }

# Create the unprivileged user the servers run as (only when we are root).
ensure_run_user() {
  if [ "$(id -u)" = 0 ] && ! id "$HIMS_RUN_USER" >/dev/null 2>&1; then
    useradd --system --create-home --home-dir "/home/$HIMS_RUN_USER" --shell /bin/bash "$HIMS_RUN_USER"
  fi
  mkdir -p "$HIMS_STATE_DIR" "$HIMS_LOG_DIR"
  if [ "$(id -u)" = 0 ]; then chown "$HIMS_RUN_USER" "$HIMS_STATE_DIR" "$HIMS_LOG_DIR"; fi
}

# Run a command as the unprivileged user (a no-op wrapper when not root).
as_run_user() {
  if [ "$(id -u)" = 0 ]; then runuser -u "$HIMS_RUN_USER" -- "$@"; else "$@"; fi
}

# wait_for NAME TIMEOUT_SECONDS LOGFILE CMD...: poll CMD until it succeeds.
wait_for() {
  local name="$1" timeout="$2" logfile="$3"; shift 3
  local deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      die "$name did not become healthy within ${timeout}s; read $logfile"
    fi
    sleep 1
  done
}

# maven_fetch GROUP:ARTIFACT:VERSION[:PACKAGING[:CLASSIFIER]] DEST_DIR
# Downloads through the machine's Maven client (never by URL) into ~/.m2 and
# copies the artifact to DEST_DIR. Maven verifies the repository checksums.
maven_fetch() {
  local coords="$1" dest="$2"
  mkdir -p "$dest"
  mvn -q -B -C dependency:copy -Dartifact="$coords" -DoutputDirectory="$dest" -Dmdep.overWriteIfNewer=true >&2 \
    || die "maven could not fetch $coords"
}

# Create files/dirs owned by the run user (so a server started as that user can write them).
own_by_run_user() {
  local p
  for p in "$@"; do
    [ -e "$p" ] || { case "$p" in */) mkdir -p "$p" ;; *) mkdir -p "$(dirname "$p")"; touch "$p" ;; esac; }
    if [ "$(id -u)" = 0 ]; then chown -R "$HIMS_RUN_USER" "$p"; fi
  done
}

# The Java servers (Kafka, Connect, Elasticsearch) share these. Each script
# sets PID_FILE and MAIN_CLASS before calling them.

# True when PID_FILE names a live process running MAIN_CLASS (guards against pid reuse).
pid_alive() {
  local pid
  pid="$(cat "$PID_FILE" 2>/dev/null)" || return 1
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null \
    && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "$MAIN_CLASS"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# stop_server NAME LOGFILE TIMEOUT: SIGTERM, wait, then SIGKILL; a no-op when not running.
stop_server() {
  local name="$1" logfile="$2" timeout="$3" pid
  if ! pid_alive; then rm -f "$PID_FILE"; log "$name not running"; return 0; fi
  pid="$(cat "$PID_FILE")"
  log "$name: stopping pid $pid"
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + timeout))
  while kill -0 "$pid" 2>/dev/null; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      log "$name: still alive after ${timeout}s, killing (see $logfile)"; kill -KILL "$pid" 2>/dev/null || true; break
    fi
    sleep 1
  done
  rm -f "$PID_FILE"
  log "$name stopped"
}
