#!/usr/bin/env bash
# First start of the postgres:15 image (docker-compose.yml mounts this directory and runs
# this from /docker-entrypoint-initdb.d): the same roles, database, grants and extensions
# as infra/postgres/pg.sh gives the project's own cluster, and Debezium's replication access.
set -euo pipefail
here=/hims-postgres
db="${HIMS_DB_NAME:-hims}"
psql_su() { psql -v ON_ERROR_STOP=1 -q --username "$POSTGRES_USER" "$@"; }

psql_su -d postgres \
  -v owner_password="${HIMS_OWNER_PASSWORD:-hims_owner_dev}" \
  -v app_password="${HIMS_APP_PASSWORD:-hims_app_dev}" \
  -v platform_password="${HIMS_PLATFORM_PASSWORD:-hims_platform_dev}" \
  -v replication_password="${HIMS_REPLICATION_PASSWORD:-hims_replication_dev}" \
  -f "$here/roles.sql"
psql_su -d postgres -c "CREATE DATABASE \"$db\" OWNER hims_owner"
psql_su -d "$db" -v db="$db" -f "$here/database.sql"
psql_su -d "$db" -f "$here/database-extensions.sql"
# Kafka Connect reaches the server from another container: a replication line for its role.
echo "host replication hims_replication all scram-sha-256" >> "$PGDATA/pg_hba.conf"
