import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The platform realm: operators who onboard and suspend clinics. Their tables
 * live in the `platform` schema, outside every tenant schema, reachable only by
 * the hims_platform role (created by infra/postgres/pg.sh beside hims_app, a
 * non-owner without RLS bypass). hims_app has no USAGE on `platform`, so tenant
 * routes cannot even name these tables.
 */
export class PlatformOperators1763799000000 implements MigrationInterface {
  name = 'PlatformOperators1763799000000';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of [
      `DO $$ BEGIN EXECUTE format('GRANT CONNECT ON DATABASE %I TO hims_platform', current_database()); END $$`,
      `CREATE SCHEMA platform`,
      `REVOKE ALL ON SCHEMA platform FROM PUBLIC`,
      `GRANT USAGE ON SCHEMA platform TO hims_platform`,
      `CREATE TABLE platform.operators (
         id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
         email text NOT NULL CHECK (length(email) BETWEEN 3 AND 320),
         display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
         password_hash text NOT NULL,
         status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
         created_at timestamptz NOT NULL DEFAULT now(),
         updated_at timestamptz NOT NULL DEFAULT now()
       )`,
      `CREATE UNIQUE INDEX operators_email_key ON platform.operators (lower(email))`,
      `CREATE TABLE platform.operator_login_attempts (
         id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
         email text NOT NULL,
         client_address inet,
         operator_id uuid REFERENCES platform.operators (id),
         succeeded boolean NOT NULL,
         at timestamptz NOT NULL DEFAULT clock_timestamp()
       )`,
      `CREATE INDEX operator_login_attempts_email_idx ON platform.operator_login_attempts (email, at)`,
      `CREATE INDEX operator_login_attempts_address_idx ON platform.operator_login_attempts (client_address, at)`,
      // Everything an operator does (sign-in, provisioning, suspension): append-only for the platform role.
      `CREATE TABLE platform.audit (
         id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
         at timestamptz NOT NULL DEFAULT clock_timestamp(),
         operator_id uuid REFERENCES platform.operators (id),
         action text NOT NULL CHECK (action ~ '^[a-z][a-z_.]*$'),
         target_type text,
         target_id uuid,
         outcome text NOT NULL CHECK (outcome IN ('succeeded', 'failed', 'refused')),
         detail jsonb NOT NULL DEFAULT '{}'::jsonb,
         request_id text
       )`,
      `CREATE INDEX platform_audit_target_idx ON platform.audit (target_id, at)`,
      `GRANT SELECT ON platform.operators TO hims_platform`,
      `GRANT SELECT, INSERT ON platform.operator_login_attempts TO hims_platform`,
      `GRANT SELECT, INSERT ON platform.audit TO hims_platform`,
    ]) {
      await q.query(sql);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP SCHEMA platform CASCADE`);
  }
}
