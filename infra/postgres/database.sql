-- Connect rights and the public schema of one project database (psql variable db), run as a
-- superuser in that database by pg.sh (start, createdb) and docker-init.sh. Idempotent.
-- The database itself is created OWNER hims_owner by the caller; database-extensions.sql follows.
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
GRANT CONNECT ON DATABASE :"db" TO hims_app, hims_platform, hims_replication;
GRANT CONNECT, TEMPORARY ON DATABASE :"db" TO hims_owner;
REVOKE ALL ON SCHEMA public FROM PUBLIC;
ALTER SCHEMA public OWNER TO hims_owner;
