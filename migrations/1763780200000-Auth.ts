import { MigrationInterface, QueryRunner } from 'typeorm';
import { tenantIsolation } from './lib/rls';

/**
 * Auth: rotating refresh tokens, per-tenant external identity providers, the
 * links from external subjects to users, and the login attempts the lockout
 * counts. Every table is tenant-scoped by RLS with tenant_id leading the key.
 */
export class Auth1763780200000 implements MigrationInterface {
  name = 'Auth1763780200000';

  async up(q: QueryRunner): Promise<void> {
    const statements = [
      // Refresh tokens are stored only as sha256(token). A family is one login
      // session: every rotation adds a row to it, and reuse revokes all of it.
      `CREATE TABLE core.refresh_tokens (
         tenant_id uuid NOT NULL,
         id uuid NOT NULL DEFAULT gen_random_uuid(),
         family_id uuid NOT NULL,
         user_id uuid NOT NULL,
         token_hash bytea NOT NULL CHECK (length(token_hash) = 32),
         issued_at timestamptz NOT NULL DEFAULT now(),
         expires_at timestamptz NOT NULL,
         rotated_at timestamptz,
         replaced_by uuid,
         revoked_at timestamptz,
         revoked_reason text CHECK (revoked_reason IN ('logout', 'reuse', 'user_disabled', 'user_inactive')),
         PRIMARY KEY (tenant_id, id),
         FOREIGN KEY (tenant_id, user_id) REFERENCES core.users (tenant_id, id) ON DELETE CASCADE
       )`,
      `CREATE UNIQUE INDEX refresh_tokens_hash_key ON core.refresh_tokens (token_hash)`,
      `CREATE INDEX refresh_tokens_family_idx ON core.refresh_tokens (tenant_id, family_id)`,
      `CREATE INDEX refresh_tokens_user_idx ON core.refresh_tokens (tenant_id, user_id) WHERE revoked_at IS NULL`,
      `CREATE INDEX refresh_tokens_expires_idx ON core.refresh_tokens (expires_at)`,
      ...tenantIsolation('core.refresh_tokens'),

      // A clinic's own OpenID Connect provider. Configured by operators (owner
      // role); the API only reads it.
      `CREATE TABLE core.identity_providers (
         tenant_id uuid NOT NULL REFERENCES core.tenants (id),
         id uuid NOT NULL DEFAULT gen_random_uuid(),
         name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
         issuer text NOT NULL CHECK (length(issuer) BETWEEN 1 AND 2000),
         jwks_uri text NOT NULL CHECK (jwks_uri ~ '^https?://'),
         audience text NOT NULL CHECK (length(audience) BETWEEN 1 AND 2000),
         enabled boolean NOT NULL DEFAULT true,
         created_at timestamptz NOT NULL DEFAULT now(),
         updated_at timestamptz NOT NULL DEFAULT now(),
         PRIMARY KEY (tenant_id, id),
         UNIQUE (tenant_id, issuer)
       )`,
      ...tenantIsolation('core.identity_providers'),

      `CREATE TABLE core.user_identities (
         tenant_id uuid NOT NULL,
         issuer text NOT NULL,
         subject text NOT NULL CHECK (length(subject) BETWEEN 1 AND 255),
         id uuid NOT NULL DEFAULT gen_random_uuid(),
         user_id uuid NOT NULL,
         linked_at timestamptz NOT NULL DEFAULT now(),
         PRIMARY KEY (tenant_id, issuer, subject),
         FOREIGN KEY (tenant_id, user_id) REFERENCES core.users (tenant_id, id) ON DELETE CASCADE,
         FOREIGN KEY (tenant_id, issuer) REFERENCES core.identity_providers (tenant_id, issuer) ON UPDATE CASCADE
       )`,
      // One identity per user and provider: a second subject with the same email cannot take over.
      `CREATE UNIQUE INDEX user_identities_user_issuer_key ON core.user_identities (tenant_id, user_id, issuer)`,
      ...tenantIsolation('core.user_identities'),

      // Lockout windows count failures per account (email as typed, lower-cased,
      // known or not) and per client address.
      `CREATE TABLE core.login_attempts (
         tenant_id uuid NOT NULL REFERENCES core.tenants (id),
         id uuid NOT NULL DEFAULT gen_random_uuid(),
         email text NOT NULL CHECK (length(email) <= 320),
         client_address inet,
         user_id uuid,
         succeeded boolean NOT NULL,
         at timestamptz NOT NULL DEFAULT now(),
         PRIMARY KEY (tenant_id, id)
       )`,
      `CREATE INDEX login_attempts_email_idx ON core.login_attempts (tenant_id, email, at DESC)`,
      `CREATE INDEX login_attempts_address_idx ON core.login_attempts (tenant_id, client_address, at DESC)
         WHERE NOT succeeded`,
      ...tenantIsolation('core.login_attempts'),

      // Row changes land in the audit chain; the token hash never does.
      `CREATE TRIGGER refresh_tokens_audit AFTER INSERT OR UPDATE OR DELETE ON core.refresh_tokens
         FOR EACH ROW EXECUTE FUNCTION audit.capture_row_change('tenant_id', 'token_hash')`,
      `CREATE TRIGGER identity_providers_audit AFTER INSERT OR UPDATE OR DELETE ON core.identity_providers
         FOR EACH ROW EXECUTE FUNCTION audit.capture_row_change('tenant_id')`,
      `CREATE TRIGGER user_identities_audit AFTER INSERT OR UPDATE OR DELETE ON core.user_identities
         FOR EACH ROW EXECUTE FUNCTION audit.capture_row_change('tenant_id')`,
      `CREATE TRIGGER login_attempts_audit AFTER INSERT OR UPDATE OR DELETE ON core.login_attempts
         FOR EACH ROW EXECUTE FUNCTION audit.capture_row_change('tenant_id')`,

      // Least privilege: tokens are revoked (UPDATE), never deleted by the API;
      // providers are operator-managed; attempts and links are append-only.
      `GRANT SELECT, INSERT ON core.refresh_tokens TO hims_app`,
      `GRANT UPDATE (rotated_at, replaced_by, revoked_at, revoked_reason) ON core.refresh_tokens TO hims_app`,
      `GRANT SELECT ON core.identity_providers TO hims_app`,
      `GRANT SELECT, INSERT ON core.user_identities, core.login_attempts TO hims_app`,
    ];
    for (const sql of statements) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const sql of [
      `DROP TABLE IF EXISTS core.login_attempts`,
      `DROP TABLE IF EXISTS core.user_identities`,
      `DROP TABLE IF EXISTS core.identity_providers`,
      `DROP TABLE IF EXISTS core.refresh_tokens`,
    ]) {
      await q.query(sql);
    }
  }
}
