import { MigrationInterface, QueryRunner } from 'typeorm';
import { tenantIsolation } from './lib/rls';

/**
 * One-time invitations for staff created without a password: the token is
 * returned once to the inviting tenant_admin; only its SHA-256 is stored.
 * Accepting sets the password and ends the user's other sessions, so
 * refresh tokens gain the revoke reason 'password_changed'.
 */
export class UserInvitations1763791100000 implements MigrationInterface {
  name = 'UserInvitations1763791100000';

  async up(q: QueryRunner): Promise<void> {
    const statements = [
      `CREATE TABLE core.user_invitations (
         tenant_id uuid NOT NULL REFERENCES core.tenants (id),
         id uuid NOT NULL DEFAULT gen_random_uuid(),
         user_id uuid NOT NULL,
         token_hash bytea NOT NULL CHECK (length(token_hash) = 32),
         created_at timestamptz NOT NULL DEFAULT now(),
         expires_at timestamptz NOT NULL,
         accepted_at timestamptz,
         created_by uuid,
         PRIMARY KEY (tenant_id, id),
         FOREIGN KEY (tenant_id, user_id) REFERENCES core.users (tenant_id, id) ON DELETE CASCADE,
         CHECK (expires_at > created_at),
         CHECK (accepted_at IS NULL OR accepted_at >= created_at)
       )`,
      `CREATE UNIQUE INDEX user_invitations_tenant_token_key ON core.user_invitations (tenant_id, token_hash)`,
      `CREATE INDEX user_invitations_tenant_user_idx ON core.user_invitations (tenant_id, user_id)`,
      ...tenantIsolation('core.user_invitations'),
      // Row changes land in the audit chain; the token hash never does.
      `CREATE TRIGGER user_invitations_audit AFTER INSERT OR UPDATE OR DELETE ON core.user_invitations
         FOR EACH ROW EXECUTE FUNCTION audit.capture_row_change('tenant_id', 'token_hash')`,
      `GRANT SELECT, INSERT ON core.user_invitations TO hims_app`,
      `GRANT UPDATE (accepted_at) ON core.user_invitations TO hims_app`,
      `ALTER TABLE core.refresh_tokens DROP CONSTRAINT refresh_tokens_revoked_reason_check`,
      `ALTER TABLE core.refresh_tokens ADD CONSTRAINT refresh_tokens_revoked_reason_check
         CHECK (revoked_reason IN ('logout', 'reuse', 'user_disabled', 'user_inactive', 'password_changed'))`,
    ];
    for (const sql of statements) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE core.refresh_tokens DROP CONSTRAINT refresh_tokens_revoked_reason_check`);
    await q.query(
      `UPDATE core.refresh_tokens SET revoked_reason = 'logout' WHERE revoked_reason = 'password_changed'`,
    );
    await q.query(`ALTER TABLE core.refresh_tokens ADD CONSTRAINT refresh_tokens_revoked_reason_check
         CHECK (revoked_reason IN ('logout', 'reuse', 'user_disabled', 'user_inactive'))`);
    await q.query(`DROP TABLE core.user_invitations`);
  }
}
