import { MigrationInterface, QueryRunner } from 'typeorm';
import { tenantIsolation } from './lib/rls';

/**
 * Second factor (TOTP, RFC 6238) for staff and platform operators (docs/auth.md "Two-step
 * sign-in"). Per person: one factor (the shared secret, encrypted by the API with
 * AUTH_MFA_KEY, never readable in the audit trail), hashed one-time recovery codes, and the
 * short-lived challenges that bridge the password step and the code step. Per clinic: which
 * roles besides tenant_admin must use it.
 */
export class Mfa1765600000000 implements MigrationInterface {
  name = 'Mfa1765600000000';

  async up(q: QueryRunner): Promise<void> {
    const userFk = `FOREIGN KEY (tenant_id, user_id) REFERENCES core.users (tenant_id, id) ON DELETE CASCADE`;
    const statements = [
      `CREATE TABLE core.mfa_factors (
         tenant_id uuid NOT NULL REFERENCES core.tenants (id),
         user_id uuid NOT NULL,
         secret_ciphertext bytea NOT NULL,
         confirmed_at timestamptz,
         last_step bigint,
         created_at timestamptz NOT NULL DEFAULT now(),
         PRIMARY KEY (tenant_id, user_id),
         ${userFk}
       )`,
      `CREATE TABLE core.mfa_recovery_codes (
         tenant_id uuid NOT NULL REFERENCES core.tenants (id),
         id uuid NOT NULL DEFAULT gen_random_uuid(),
         user_id uuid NOT NULL,
         code_hash bytea NOT NULL CHECK (length(code_hash) = 32),
         used_at timestamptz,
         PRIMARY KEY (tenant_id, id),
         UNIQUE (tenant_id, user_id, code_hash),
         ${userFk}
       )`,
      `CREATE TABLE core.mfa_challenges (
         tenant_id uuid NOT NULL REFERENCES core.tenants (id),
         id uuid NOT NULL DEFAULT gen_random_uuid(),
         user_id uuid NOT NULL,
         token_hash bytea NOT NULL CHECK (length(token_hash) = 32),
         expires_at timestamptz NOT NULL,
         attempts int NOT NULL DEFAULT 0 CHECK (attempts >= 0),
         completed_at timestamptz,
         PRIMARY KEY (tenant_id, id),
         UNIQUE (tenant_id, token_hash),
         ${userFk}
       )`,
      `CREATE TABLE core.mfa_policies (
         tenant_id uuid NOT NULL REFERENCES core.tenants (id),
         required_roles text[] NOT NULL DEFAULT '{}'
           CHECK (required_roles <@ ARRAY['tenant_admin', 'doctor', 'nurse', 'receptionist']),
         updated_at timestamptz NOT NULL DEFAULT now(),
         PRIMARY KEY (tenant_id)
       )`,
      ...tenantIsolation('core.mfa_factors'),
      ...tenantIsolation('core.mfa_recovery_codes'),
      ...tenantIsolation('core.mfa_challenges'),
      ...tenantIsolation('core.mfa_policies'),
      // Enrolment, confirmation, reset and policy changes land in the audit chain; secrets and hashes never do.
      `CREATE TRIGGER mfa_factors_audit AFTER INSERT OR UPDATE OR DELETE ON core.mfa_factors
         FOR EACH ROW EXECUTE FUNCTION audit.capture_row_change('tenant_id', 'secret_ciphertext', 'last_step')`,
      `CREATE TRIGGER mfa_recovery_codes_audit AFTER INSERT OR UPDATE OR DELETE ON core.mfa_recovery_codes
         FOR EACH ROW EXECUTE FUNCTION audit.capture_row_change('tenant_id', 'code_hash')`,
      `CREATE TRIGGER mfa_policies_audit AFTER INSERT OR UPDATE OR DELETE ON core.mfa_policies
         FOR EACH ROW EXECUTE FUNCTION audit.capture_row_change('tenant_id')`,
      `GRANT SELECT, INSERT, DELETE ON core.mfa_factors TO hims_app`,
      `GRANT UPDATE (confirmed_at, last_step) ON core.mfa_factors TO hims_app`,
      `GRANT SELECT, INSERT, DELETE ON core.mfa_recovery_codes TO hims_app`,
      `GRANT UPDATE (used_at) ON core.mfa_recovery_codes TO hims_app`,
      `GRANT SELECT, INSERT ON core.mfa_challenges TO hims_app`,
      `GRANT UPDATE (attempts, completed_at) ON core.mfa_challenges TO hims_app`,
      `GRANT SELECT, INSERT ON core.mfa_policies TO hims_app`,
      `GRANT UPDATE (required_roles, updated_at) ON core.mfa_policies TO hims_app`,
      // Operators: the same three tables in the platform schema (no tenant; hims_platform only).
      `CREATE TABLE platform.operator_mfa_factors (
         operator_id uuid PRIMARY KEY REFERENCES platform.operators (id) ON DELETE CASCADE,
         secret_ciphertext bytea NOT NULL,
         confirmed_at timestamptz,
         last_step bigint,
         created_at timestamptz NOT NULL DEFAULT now()
       )`,
      `CREATE TABLE platform.operator_mfa_recovery_codes (
         id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
         operator_id uuid NOT NULL REFERENCES platform.operators (id) ON DELETE CASCADE,
         code_hash bytea NOT NULL CHECK (length(code_hash) = 32),
         used_at timestamptz,
         UNIQUE (operator_id, code_hash)
       )`,
      `CREATE TABLE platform.operator_mfa_challenges (
         id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
         operator_id uuid NOT NULL REFERENCES platform.operators (id) ON DELETE CASCADE,
         token_hash bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
         expires_at timestamptz NOT NULL,
         attempts int NOT NULL DEFAULT 0 CHECK (attempts >= 0),
         completed_at timestamptz
       )`,
      `GRANT SELECT, INSERT, DELETE ON platform.operator_mfa_factors, platform.operator_mfa_recovery_codes TO hims_platform`,
      `GRANT UPDATE (confirmed_at, last_step) ON platform.operator_mfa_factors TO hims_platform`,
      `GRANT UPDATE (used_at) ON platform.operator_mfa_recovery_codes TO hims_platform`,
      `GRANT SELECT, INSERT ON platform.operator_mfa_challenges TO hims_platform`,
      `GRANT UPDATE (attempts, completed_at) ON platform.operator_mfa_challenges TO hims_platform`,
      // A reset authenticator ends the user's sessions (whoever holds the lost device may hold one).
      `ALTER TABLE core.refresh_tokens DROP CONSTRAINT refresh_tokens_revoked_reason_check`,
      `ALTER TABLE core.refresh_tokens ADD CONSTRAINT refresh_tokens_revoked_reason_check
         CHECK (revoked_reason IN ('logout', 'reuse', 'user_disabled', 'user_inactive', 'password_changed', 'logout_all', 'mfa_reset'))`,
    ];
    for (const sql of statements) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE core.refresh_tokens DROP CONSTRAINT refresh_tokens_revoked_reason_check`);
    await q.query(`UPDATE core.refresh_tokens SET revoked_reason = 'logout' WHERE revoked_reason = 'mfa_reset'`);
    await q.query(`ALTER TABLE core.refresh_tokens ADD CONSTRAINT refresh_tokens_revoked_reason_check
         CHECK (revoked_reason IN ('logout', 'reuse', 'user_disabled', 'user_inactive', 'password_changed', 'logout_all'))`);
    for (const t of [
      'platform.operator_mfa_challenges',
      'platform.operator_mfa_recovery_codes',
      'platform.operator_mfa_factors',
      'core.mfa_policies',
      'core.mfa_challenges',
      'core.mfa_recovery_codes',
      'core.mfa_factors',
    ]) {
      await q.query(`DROP TABLE ${t}`);
    }
  }
}
