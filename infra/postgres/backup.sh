#!/usr/bin/env bash
# Backups of the project's PostgreSQL cluster with pgBackRest (Debian package): full,
# differential and incremental backups, continuous WAL archiving (pg.sh sets archive_command
# to `archive-push` here), retention, an AES-256-CBC encrypted repository, local by default
# and S3-compatible by configuration. docs/operations.md explains the choices.
#   backup.sh install                 the pgbackrest package when missing
#   backup.sh configure               writes the pgBackRest configuration (pg.sh calls it)
#   backup.sh stanza                  creates the stanza when the server archives (idempotent)
#   backup.sh now [full|diff|incr]    a backup (default incr; the first one is always full)
#   backup.sh ensure                  a full backup when the repository has none (npm run stack)
#   backup.sh list                    backups and WAL archive range, as JSON
#   backup.sh verify                  archiving works (check) and every file's checksum (verify)
#   backup.sh restore --to TIME --target-dir DIR --port PORT
#                                     a NEW cluster in DIR recovered to TIME, started on PORT
# Settings (environment or .env): HIMS_BACKUP=off disables archiving; HIMS_BACKUP_CIPHER_PASS
# (else a key generated once in $HIMS_STATE_DIR/backup/cipher.key); HIMS_BACKUP_RETENTION_FULL
# (2); HIMS_BACKUP_REPO_TYPE=posix|s3 with HIMS_BACKUP_S3_* (see write_conf).
. "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"
[ -f "$REPO_DIR/.env" ] && { set -a; . "$REPO_DIR/.env"; set +a; }

PG_BIN="/usr/lib/postgresql/${POSTGRES_MAJOR}/bin"
PG_PORT="${HIMS_PG_PORT:-$PG_PORT}"
PG_ROOT="$HIMS_STATE_DIR/postgres"
PGDATA="$PG_ROOT/data"
PG_SOCKET_DIR="$PG_ROOT/run"
BACKUP_DIR="$HIMS_STATE_DIR/backup"
BACKUP_CONF="$BACKUP_DIR/pgbackrest.conf"
STANZA=hims

pgbr() { as_run_user pgbackrest --config="$BACKUP_CONF" --stanza="$STANZA" "$@"; }

install() {
  command -v pgbackrest >/dev/null && return 0
  [ "$(id -u)" = 0 ] || die "pgBackRest is not installed; run: sudo apt-get install pgbackrest"
  log "installing pgBackRest from Debian packages"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq pgbackrest >&2
}

# The repository key: from configuration, else generated once and kept beside the state.
# Losing it makes every backup unreadable, so production sets it from a secret store.
cipher_pass() {
  if [ -n "${HIMS_BACKUP_CIPHER_PASS:-}" ]; then printf '%s' "$HIMS_BACKUP_CIPHER_PASS"; return; fi
  local keyfile="$BACKUP_DIR/cipher.key"
  if [ ! -s "$keyfile" ]; then
    local tmp; tmp="$(mktemp "$BACKUP_DIR/.key.XXXXXX")"
    head -c 48 /dev/urandom | base64 -w0 >"$tmp"
    # No clobbering: two starts at once must not end with two keys.
    mv -n "$tmp" "$keyfile" && rm -f "$tmp"
    log "repository key in $keyfile (set HIMS_BACKUP_CIPHER_PASS to choose one)"
  fi
  cat "$keyfile"
}

repo_section() {
  local type="${HIMS_BACKUP_REPO_TYPE:-posix}"
  echo "repo1-type=$type"
  echo "repo1-cipher-type=aes-256-cbc"
  echo "repo1-cipher-pass=$(cipher_pass)"
  echo "repo1-retention-full=${HIMS_BACKUP_RETENTION_FULL:-2}"
  echo "repo1-retention-full-type=count"
  if [ "$type" = s3 ]; then
    echo "repo1-path=${HIMS_BACKUP_REPO_PATH:-/hims}"
    echo "repo1-s3-bucket=${HIMS_BACKUP_S3_BUCKET:?HIMS_BACKUP_S3_BUCKET}"
    echo "repo1-s3-endpoint=${HIMS_BACKUP_S3_ENDPOINT:?HIMS_BACKUP_S3_ENDPOINT}"
    echo "repo1-s3-region=${HIMS_BACKUP_S3_REGION:-us-east-1}"
    echo "repo1-s3-key=${HIMS_BACKUP_S3_KEY:?HIMS_BACKUP_S3_KEY}"
    echo "repo1-s3-key-secret=${HIMS_BACKUP_S3_KEY_SECRET:?HIMS_BACKUP_S3_KEY_SECRET}"
    echo "repo1-s3-uri-style=${HIMS_BACKUP_S3_URI_STYLE:-host}"
    if [ -n "${HIMS_BACKUP_S3_PORT:-}" ]; then echo "repo1-storage-port=$HIMS_BACKUP_S3_PORT"; fi
    if [ -n "${HIMS_BACKUP_S3_CA_FILE:-}" ]; then echo "repo1-storage-ca-file=$HIMS_BACKUP_S3_CA_FILE"; fi
    if [ "${HIMS_BACKUP_S3_VERIFY_TLS:-y}" = n ]; then echo "repo1-storage-verify-tls=n"; fi
  else
    echo "repo1-path=${HIMS_BACKUP_REPO_PATH:-$BACKUP_DIR/repo}"
  fi
}

# Rewritten on every start, like hims.conf: the repo is the single source of settings.
# Mode 0600, owned by the server's user: it holds the repository key.
configure() {
  ensure_run_user
  mkdir -p "$BACKUP_DIR"/{repo,log,lock,spool}
  [ "$(id -u)" = 0 ] && chown "$HIMS_RUN_USER" "$BACKUP_DIR" "$BACKUP_DIR"/{repo,log,lock,spool}
  local tmp; tmp="$(mktemp)"
  {
    echo "[global]"
    repo_section
    # lz4: cheap on 2 cores; the archive is mostly WAL, compressed per segment.
    echo "compress-type=lz4"
    echo "start-fast=y"
    echo "process-max=${HIMS_BACKUP_PROCESS_MAX:-2}"
    echo "log-path=$BACKUP_DIR/log"
    echo "lock-path=$BACKUP_DIR/lock"
    echo "spool-path=$BACKUP_DIR/spool"
    echo "log-level-console=warn"
    echo "log-level-file=info"
    # Asynchronous archiving: a background process pushes queued segments in parallel batches.
    # One synchronous archive-push per segment fell behind a bulk update on 2 cores (a backup's
    # wait for its last segment timed out); PostgreSQL still counts a segment archived only
    # once it is in the repository.
    echo "archive-async=${HIMS_BACKUP_ARCHIVE_ASYNC:-y}"
    # archive-push and a backup's wait for WAL give up after this long (PostgreSQL retries).
    echo "archive-timeout=300"
    echo
    echo "[$STANZA]"
    echo "pg1-path=$PGDATA"
    echo "pg1-port=$PG_PORT"
    echo "pg1-socket-path=$PG_SOCKET_DIR"
    echo "pg1-user=postgres"
  } >"$tmp"
  chmod 600 "$tmp"
  [ "$(id -u)" = 0 ] && chown "$HIMS_RUN_USER" "$tmp"
  mv "$tmp" "$BACKUP_CONF"
}

# The settings pg.sh appends to hims.conf (archive_command runs this configuration).
archive_settings() {
  if [ "${HIMS_BACKUP:-on}" = off ]; then echo "archive_mode = off"; return; fi
  cat <<CONF
# Continuous WAL archiving to the pgBackRest repository (infra/postgres/backup.sh).
archive_mode = on
archive_command = 'pgbackrest --config=$BACKUP_CONF --stanza=$STANZA archive-push %p'
# A partly filled WAL segment is archived after at most this long: the RPO when the disk is lost.
# Not 1 s by default: every forced switch costs a whole 16 MB segment of LSN, so a busy second
# would eat max_slot_wal_keep_size (2 GB) in two minutes of a stalled connector, and the
# archive would get 86,400 files a day (docs/operations.md: RPO, measured at 1 s and 60 s).
archive_timeout = ${HIMS_BACKUP_ARCHIVE_TIMEOUT:-60s}
CONF
}

archiving() {
  [ "$(as_run_user "$PG_BIN/psql" -h "$PG_SOCKET_DIR" -p "$PG_PORT" -U postgres -qAt -d postgres -c 'SHOW archive_mode')" = on ]
}

# Only once the running server archives: a server started before archiving was configured
# (archive_mode needs a restart) is left alone.
stanza() {
  archiving || { log "archive_mode is off on this server (HIMS_BACKUP=off, or it needs a restart): no stanza"; return 0; }
  if ! pgbr stanza-create >&2; then
    # A local repository of another cluster (the data directory was deleted and initdb ran
    # again): keep it aside rather than refuse to start; a remote one is the operator's call.
    local repo="${HIMS_BACKUP_REPO_PATH:-$BACKUP_DIR/repo}"
    [ "${HIMS_BACKUP_REPO_TYPE:-posix}" = posix ] && [ -d "$repo/archive/$STANZA" ] \
      || die "stanza-create failed: archiving cannot work until the repository matches this cluster (docs/operations.md)"
    local aside; aside="$repo.other-cluster-$(date -u +%Y%m%dT%H%M%SZ)"
    mv "$repo" "$aside" && mkdir -p "$repo"
    # The async archiver's status files name segments of the other cluster (same names again).
    rm -rf "$BACKUP_DIR/spool/archive"
    [ "$(id -u)" = 0 ] && chown "$HIMS_RUN_USER" "$repo"
    log "WARNING: the backup repository belonged to another cluster; kept as $aside, starting a new one"
    pgbr stanza-create >&2
  fi
  log "pgBackRest stanza $STANZA ready (repository: ${HIMS_BACKUP_REPO_TYPE:-posix})"
}

now() {
  local type="${1:-incr}"
  case "$type" in full|diff|incr) ;; *) die "backup type must be full, diff or incr" ;; esac
  pgbr backup --type="$type" >&2
  pgbr info --output=json
}

ensure() {
  archiving || { log "archive_mode is off on this server: no backup taken (restart it to archive)"; return 0; }
  if pgbr info --output=json | grep -q '"backup":\[\]'; then
    log "no backup yet: taking a full one"
    pgbr backup --type=full >&2
  fi
}

list() { pgbr info --output=json; }

verify() {
  pgbr check >&2
  pgbr verify >&2
  log "archive reachable and every backup and WAL file matches its checksum"
}

restore() {
  local to="" dir="" port=""
  while [ $# -gt 0 ]; do
    case "$1" in
      --to) to="$2"; shift 2 ;;
      --target-dir) dir="$2"; shift 2 ;;
      --port) port="$2"; shift 2 ;;
      *) die "restore: unknown argument $1" ;;
    esac
  done
  [ -n "$to" ] && [ -n "$dir" ] && [ -n "$port" ] || die "usage: restore --to TIME --target-dir DIR --port PORT"
  [ -e "$dir/PG_VERSION" ] && die "$dir already holds a cluster: restore into a new directory"
  mkdir -p "$dir" "$dir.run"
  chmod 700 "$dir"
  [ "$(id -u)" = 0 ] && chown "$HIMS_RUN_USER" "$dir" "$dir.run"
  # A new cluster beside the old one, never over it: the recovered copy must not archive
  # into the same repository (it is a new timeline someone may throw away).
  pgbr restore --pg1-path="$dir" --type=time --target="$to" --target-action=promote --archive-mode=off >&2
  as_run_user "$PG_BIN/pg_ctl" -D "$dir" -l "$dir.log" -w -t 600 \
    -o "-c port=$port -c unix_socket_directories=$dir.run -c archive_mode=off" start >/dev/null \
    || die "the restored cluster did not start; read $dir.log"
  # It accepts read-only connections while it still replays WAL: ready once promoted.
  local deadline=$((SECONDS + 3600))
  until [ "$(as_run_user "$PG_BIN/psql" -h "$dir.run" -p "$port" -U postgres -qAt -d postgres -c 'SELECT pg_is_in_recovery()' 2>/dev/null)" = f ]; do
    [ "$SECONDS" -ge "$deadline" ] && die "the restored cluster is still recovering; read $dir.log"
    sleep 0.2
  done
  log "restored to $to: cluster $dir on 127.0.0.1:$port (stop: $PG_BIN/pg_ctl -D $dir stop)"
}

cmd="${1:-}"; [ $# -gt 0 ] && shift
case "$cmd" in
  install) install ;;
  configure) install; configure ;;
  archive-settings) archive_settings ;;
  stanza) stanza ;;
  now) now "$@" ;;
  ensure) ensure ;;
  list) list ;;
  verify) verify ;;
  restore) restore "$@" ;;
  *) echo "usage: $0 install|configure|stanza|now [full|diff|incr]|ensure|list|verify|restore --to TIME --target-dir DIR --port PORT" >&2; exit 2 ;;
esac
