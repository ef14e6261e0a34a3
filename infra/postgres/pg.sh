#!/usr/bin/env bash
# Project-owned PostgreSQL 15 cluster: own data dir (outside the repo), own
# port, wal_level=logical for Debezium. Usage: pg.sh start|stop|status|createdb NAME|dropdb NAME
# Idempotent: start on a healthy cluster only re-applies roles and grants.
#   pg.sh psql -d hims -c 'SQL'   runs SQL as the cluster superuser
. "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

PG_BIN="/usr/lib/postgresql/${POSTGRES_MAJOR}/bin"
# HIMS_PG_PORT (with HIMS_STATE_DIR) starts a second, throw-away cluster from this same code:
# the restore drill and the lost-slot test do, never touching the shared one.
PG_PORT="${HIMS_PG_PORT:-$PG_PORT}"
PG_ROOT="$HIMS_STATE_DIR/postgres"
PGDATA="$PG_ROOT/data"
PG_SOCKET_DIR="$PG_ROOT/run"
PG_LOG="$HIMS_LOG_DIR/postgres.log"

# Local development credentials; override them through the environment or .env.
[ -f "$REPO_DIR/.env" ] && { set -a; . "$REPO_DIR/.env"; set +a; }
PG_SUPERUSER_PASSWORD="${PG_SUPERUSER_PASSWORD:-postgres_dev}"
HIMS_DB_NAME="${HIMS_DB_NAME:-hims}"
HIMS_OWNER_PASSWORD="${HIMS_OWNER_PASSWORD:-hims_owner_dev}"
HIMS_APP_PASSWORD="${HIMS_APP_PASSWORD:-hims_app_dev}"
HIMS_REPLICATION_PASSWORD="${HIMS_REPLICATION_PASSWORD:-hims_replication_dev}"
HIMS_PLATFORM_PASSWORD="${HIMS_PLATFORM_PASSWORD:-hims_platform_dev}"
PG_SQL_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BACKUP_SH="$PG_SQL_DIR/backup.sh"

install_postgres() {
  [ -x "$PG_BIN/initdb" ] && return 0
  [ "$(id -u)" = 0 ] || die "PostgreSQL $POSTGRES_MAJOR is not installed; run: sudo apt-get install postgresql-$POSTGRES_MAJOR"
  log "installing PostgreSQL $POSTGRES_MAJOR from Debian packages"
  # Stop the package from creating and starting its own machine-wide cluster.
  mkdir -p /etc/postgresql-common/createcluster.d
  echo "create_main_cluster = false" > /etc/postgresql-common/createcluster.d/hims.conf
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "postgresql-$POSTGRES_MAJOR" >&2
}

psql_super() { as_run_user "$PG_BIN/psql" -h "$PG_SOCKET_DIR" -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1 -qAt "$@"; }
is_ready() { "$PG_BIN/pg_isready" -h 127.0.0.1 -p "$PG_PORT" -q; }

init_cluster() {
  [ -f "$PGDATA/PG_VERSION" ] && return 0
  log "initialising cluster in $PGDATA"
  mkdir -p "$PG_ROOT" "$PG_SOCKET_DIR"
  [ "$(id -u)" = 0 ] && chown -R "$HIMS_RUN_USER" "$PG_ROOT"
  local pwfile; pwfile="$(mktemp)"; echo "$PG_SUPERUSER_PASSWORD" > "$pwfile"
  [ "$(id -u)" = 0 ] && chown "$HIMS_RUN_USER" "$pwfile"
  as_run_user "$PG_BIN/initdb" -D "$PGDATA" -U postgres --pwfile="$pwfile" -E UTF8 --locale=C.UTF-8 \
    --auth-local=trust --auth-host=scram-sha-256 >>"$PG_LOG" 2>&1 || die "initdb failed; read $PG_LOG"
  rm -f "$pwfile"
  echo "include_if_exists = 'hims.conf'" | as_run_user tee -a "$PGDATA/postgresql.conf" >/dev/null
}

write_config() {
  # Rewritten on every start so the repo is the single source of settings.
  as_run_user tee "$PGDATA/hims.conf" >/dev/null <<CONF
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$PG_SOCKET_DIR'
max_connections = 200
shared_buffers = 512MB
work_mem = 8MB
maintenance_work_mem = 256MB
effective_cache_size = 4GB
# Logical decoding for Debezium (change-data-capture issue): slots and senders.
wal_level = logical
max_replication_slots = 10
max_wal_senders = 10
# WAL a stalled change-capture slot may hold before PostgreSQL invalidates it (docs/operations.md:
# sized for a day of writes at the bench's rate; the worker alerts at CDC_SLOT_MAX_LAG_BYTES first).
max_slot_wal_keep_size = ${HIMS_PG_SLOT_KEEP:-2GB}
password_encryption = scram-sha-256
log_min_duration_statement = 1000
# Patient data never reaches a log, PostgreSQL's included: slow statements are logged
# without their bind parameters (names, phones, identifiers); a failing statement's
# error is not logged here at all (its message can quote a value: the application logs
# it by SQLSTATE, constraint and request id), nor its DETAIL or text.
log_min_messages = log
log_parameter_max_length = 0
log_parameter_max_length_on_error = 0
log_error_verbosity = terse
log_min_error_statement = panic
$(bash "$BACKUP_SH" archive-settings)
CONF
  as_run_user tee "$PGDATA/pg_hba.conf" >/dev/null <<HBA
# Socket: only the OS user that owns the cluster can reach it (dir is 0700).
local   all          all                       trust
host    all          all          127.0.0.1/32 scram-sha-256
host    replication  all          127.0.0.1/32 scram-sha-256
HBA
}

# Roles are cluster-wide; the database and its grants are per database. The SQL is shared
# with the Docker image's first start (docker-init.sh), so both set-ups grant the same.
bootstrap_roles() {
  psql_super -d postgres \
    -v owner_password="$HIMS_OWNER_PASSWORD" -v app_password="$HIMS_APP_PASSWORD" \
    -v platform_password="$HIMS_PLATFORM_PASSWORD" -v replication_password="$HIMS_REPLICATION_PASSWORD" \
    <"$PG_SQL_DIR/roles.sql"
}

create_database() {
  local db="$1"
  if [ "$(psql_super -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$db'")" != 1 ]; then
    psql_super -d postgres -c "CREATE DATABASE \"$db\" OWNER hims_owner"
  fi
  psql_super -d "$db" -v db="$db" <"$PG_SQL_DIR/database.sql"
  # Extensions, and pg_trgm's comparison operators marked LEAKPROOF (needs a superuser).
  psql_super -d "$db" <"$PG_SQL_DIR/database-extensions.sql"
}

start() {
  install_postgres
  ensure_run_user
  own_by_run_user "$PG_LOG"
  init_cluster
  [ "${HIMS_BACKUP:-on}" = off ] || bash "$BACKUP_SH" configure
  write_config
  if ! as_run_user "$PG_BIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; then
    log "starting PostgreSQL on 127.0.0.1:$PG_PORT"
    as_run_user "$PG_BIN/pg_ctl" -D "$PGDATA" -l "$PG_LOG" -w -t 60 start >/dev/null \
      || die "PostgreSQL did not start; read $PG_LOG"
  fi
  wait_for postgres 60 "$PG_LOG" is_ready
  # A running server picks up hims.conf (rewritten above) without a restart.
  as_run_user "$PG_BIN/pg_ctl" -D "$PGDATA" reload >/dev/null
  bootstrap_roles
  create_database "$HIMS_DB_NAME"
  [ "${HIMS_BACKUP:-on}" = off ] || bash "$BACKUP_SH" stanza
  log "PostgreSQL ready on 127.0.0.1:$PG_PORT (database $HIMS_DB_NAME)"
}

stop() {
  [ -f "$PGDATA/PG_VERSION" ] || return 0
  if as_run_user "$PG_BIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; then
    as_run_user "$PG_BIN/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null
    log "PostgreSQL stopped"
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) is_ready ;;
  createdb) create_database "${2:?database name}" ;;
  psql) shift; psql_super "$@" ;;  # superuser shell over the socket (bench data loading, diagnostics)
  dropdb) psql_super -d postgres -c "DROP DATABASE IF EXISTS \"${2:?database name}\" WITH (FORCE)" ;;
  *) echo "usage: $0 start|stop|status|createdb NAME|dropdb NAME|psql [ARGS]" >&2; exit 2 ;;
esac
