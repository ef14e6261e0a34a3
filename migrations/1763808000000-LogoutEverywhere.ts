import { MigrationInterface, QueryRunner } from 'typeorm';

const REASONS = `'logout', 'reuse', 'user_disabled', 'user_inactive', 'password_changed'`;

/**
 * "Sign out everywhere" revokes every session of a user with its own reason,
 * so the audit trail tells it apart from ending one session.
 */
export class LogoutEverywhere1763808000000 implements MigrationInterface {
  name = 'LogoutEverywhere1763808000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE core.refresh_tokens DROP CONSTRAINT refresh_tokens_revoked_reason_check`);
    await q.query(`ALTER TABLE core.refresh_tokens ADD CONSTRAINT refresh_tokens_revoked_reason_check
         CHECK (revoked_reason IN (${REASONS}, 'logout_all'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE core.refresh_tokens DROP CONSTRAINT refresh_tokens_revoked_reason_check`);
    await q.query(`UPDATE core.refresh_tokens SET revoked_reason = 'logout' WHERE revoked_reason = 'logout_all'`);
    await q.query(`ALTER TABLE core.refresh_tokens ADD CONSTRAINT refresh_tokens_revoked_reason_check
         CHECK (revoked_reason IN (${REASONS}))`);
  }
}
