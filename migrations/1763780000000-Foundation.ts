import { MigrationInterface, QueryRunner } from 'typeorm';
import { tenantIsolation } from './lib/rls';

/**
 * Extensions, schemas, tenants, users, the event outbox, and the grants of the
 * application role. Roles themselves are cluster-wide and created by
 * infra/postgres/pg.sh; this migration runs as the owner role (hims_owner).
 */
export class Foundation1763780000000 implements MigrationInterface {
  name = 'Foundation1763780000000';

  async up(q: QueryRunner): Promise<void> {
    const statements = [
      `CREATE EXTENSION IF NOT EXISTS pgcrypto`,
      `CREATE EXTENSION IF NOT EXISTS "uuid-ossp"`,
      `CREATE EXTENSION IF NOT EXISTS pg_trgm`,
      `CREATE EXTENSION IF NOT EXISTS btree_gist`,
      `CREATE SCHEMA core`,
      `CREATE SCHEMA clinical`,
      `CREATE SCHEMA audit`,
      `CREATE SCHEMA events`,
      `REVOKE ALL ON SCHEMA core, clinical, audit, events FROM PUBLIC`,
      `GRANT USAGE ON SCHEMA core, clinical, audit, events TO hims_app`,

      // The tenant registry. Its own id is the tenant id.
      `CREATE TABLE core.tenants (
         id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
         slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
         name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
         status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
         settings jsonb NOT NULL DEFAULT '{}'::jsonb,
         created_at timestamptz NOT NULL DEFAULT now(),
         updated_at timestamptz NOT NULL DEFAULT now()
       )`,
      ...tenantIsolation('core.tenants', 'id'),
      // Operators (the owner role, never the API) list and create tenants.
      `CREATE POLICY core_tenants_operator ON core.tenants TO hims_owner USING (true) WITH CHECK (true)`,

      // Reference list of roles; their permissions are written in code (libs/auth).
      `CREATE TABLE core.roles (name text PRIMARY KEY, description text NOT NULL)`,
      `INSERT INTO core.roles (name, description) VALUES
         ('tenant_admin', 'Administers the clinic: users, audit, deactivation'),
         ('doctor', 'Registers, reads and updates patients'),
         ('nurse', 'Registers, reads and updates patients'),
         ('receptionist', 'Registers, reads and updates patients at the front desk')`,

      `CREATE TABLE core.users (
         tenant_id uuid NOT NULL REFERENCES core.tenants (id),
         id uuid NOT NULL DEFAULT gen_random_uuid(),
         email text NOT NULL CHECK (length(email) BETWEEN 3 AND 320),
         display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
         password_hash text,
         status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
         roles text[] NOT NULL DEFAULT '{}'
           CHECK (roles <@ ARRAY['tenant_admin', 'doctor', 'nurse', 'receptionist']::text[]),
         version integer NOT NULL DEFAULT 1,
         created_at timestamptz NOT NULL DEFAULT now(),
         updated_at timestamptz NOT NULL DEFAULT now(),
         created_by uuid,
         updated_by uuid,
         PRIMARY KEY (tenant_id, id)
       )`,
      `CREATE UNIQUE INDEX users_tenant_email_key ON core.users (tenant_id, lower(email))`,
      ...tenantIsolation('core.users'),

      // Transactional outbox: written in the same transaction as the change it
      // describes; Debezium reads inserts from the WAL (publication below).
      `CREATE TABLE events.outbox (
         tenant_id uuid NOT NULL,
         id uuid NOT NULL DEFAULT gen_random_uuid(),
         aggregate_type text NOT NULL CHECK (aggregate_type ~ '^[a-z][a-z_]*$'),
         aggregate_id uuid NOT NULL,
         event_type text NOT NULL CHECK (event_type ~ '^[a-z][a-z_]*\\.[a-z_]+$'),
         payload jsonb NOT NULL,
         occurred_at timestamptz NOT NULL DEFAULT clock_timestamp(),
         request_id text,
         actor_id uuid,
         schema_version integer NOT NULL DEFAULT 1,
         PRIMARY KEY (tenant_id, id)
       )`,
      `CREATE INDEX outbox_occurred_at_idx ON events.outbox (occurred_at)`,
      ...tenantIsolation('events.outbox'),
      `CREATE PUBLICATION hims_outbox FOR TABLE events.outbox WITH (publish = 'insert')`,

      // Least privilege for the API's role.
      `GRANT SELECT ON core.tenants, core.roles TO hims_app`,
      `GRANT SELECT, INSERT, UPDATE ON core.users TO hims_app`,
      `GRANT SELECT, INSERT ON events.outbox TO hims_app`,
      // Debezium's role reads only the captured table.
      `GRANT USAGE ON SCHEMA events TO hims_replication`,
      `GRANT SELECT ON events.outbox TO hims_replication`,
    ];
    for (const sql of statements) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const sql of [
      `DROP PUBLICATION IF EXISTS hims_outbox`,
      `DROP SCHEMA events CASCADE`,
      `DROP SCHEMA audit CASCADE`,
      `DROP SCHEMA clinical CASCADE`,
      `DROP SCHEMA core CASCADE`,
      // Extensions stay: the cluster set-up (infra/postgres/database-extensions.sql) installs them as a
      // superuser and marks pg_trgm's operators LEAKPROOF, which the owner role could not redo.
    ]) {
      await q.query(sql);
    }
  }
}
