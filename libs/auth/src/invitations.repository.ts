import { Injectable } from '@nestjs/common';
import { TxRepository } from '@hims/database';

export interface InvitationRow {
  id: string;
  userId: string;
  expiresAt: Date;
  acceptedAt: Date | null;
}

/** core.user_invitations, inside the request's tenant transaction (RLS applies). */
@Injectable()
export class InvitationsRepository extends TxRepository {
  async insert(input: {
    tenantId: string;
    userId: string;
    tokenHash: Buffer;
    ttlSeconds: number;
  }): Promise<InvitationRow> {
    const rows: InvitationRow[] = await this.tx.query(
      `INSERT INTO core.user_invitations (tenant_id, user_id, token_hash, expires_at, created_by)
       VALUES ($1, $2, $3, now() + make_interval(secs => $4), NULLIF(current_setting('app.current_user', true), '')::uuid)
       RETURNING id, user_id AS "userId", expires_at AS "expiresAt", accepted_at AS "acceptedAt"`,
      [input.tenantId, input.userId, input.tokenHash, input.ttlSeconds],
    );
    return rows[0];
  }

  /** Locks the invitation so two accepts of one token cannot both succeed. */
  async findByHashForUpdate(tokenHash: Buffer): Promise<InvitationRow | undefined> {
    const rows: InvitationRow[] = await this.tx.query(
      `SELECT id, user_id AS "userId", expires_at AS "expiresAt", accepted_at AS "acceptedAt"
         FROM core.user_invitations WHERE token_hash = $1 FOR UPDATE`,
      [tokenHash],
    );
    return rows[0];
  }

  async markAccepted(id: string): Promise<void> {
    await this.tx.query(`UPDATE core.user_invitations SET accepted_at = now() WHERE id = $1`, [id]);
  }

  async setPasswordHash(userId: string, passwordHash: string): Promise<void> {
    await this.tx.query(
      `UPDATE core.users SET password_hash = $2, version = version + 1, updated_at = now() WHERE id = $1`,
      [userId, passwordHash],
    );
  }
}
