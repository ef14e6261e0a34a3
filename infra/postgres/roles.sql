-- The project's cluster roles, run as a superuser by infra/postgres/pg.sh (every start) and by
-- the Docker image's first start (docker-init.sh). Idempotent. Passwords come as psql
-- variables: owner_password, app_password, platform_password, replication_password.
-- No role is a superuser or may bypass row-level security; only hims_owner owns objects.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'hims_owner') THEN
    CREATE ROLE hims_owner LOGIN NOSUPERUSER NOCREATEROLE NOCREATEDB NOBYPASSRLS NOREPLICATION;
  END IF;
  -- Tenant routes: owns nothing, every tenant table is FORCE ROW LEVEL SECURITY.
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'hims_app') THEN
    CREATE ROLE hims_app LOGIN NOSUPERUSER NOCREATEROLE NOCREATEDB NOBYPASSRLS NOREPLICATION NOINHERIT;
  END IF;
  -- Platform routes (operators, tenant provisioning): owns nothing, no RLS bypass, like hims_app.
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'hims_platform') THEN
    CREATE ROLE hims_platform LOGIN NOSUPERUSER NOCREATEROLE NOCREATEDB NOBYPASSRLS NOREPLICATION NOINHERIT;
  END IF;
  -- Debezium's logical replication (reads the outbox table only).
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'hims_replication') THEN
    CREATE ROLE hims_replication LOGIN REPLICATION NOSUPERUSER NOCREATEROLE NOCREATEDB NOBYPASSRLS NOINHERIT;
  END IF;
END $$;
ALTER ROLE hims_owner PASSWORD :'owner_password';
ALTER ROLE hims_app PASSWORD :'app_password';
ALTER ROLE hims_platform PASSWORD :'platform_password';
ALTER ROLE hims_replication PASSWORD :'replication_password';
