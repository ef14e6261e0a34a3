import { Injectable } from '@nestjs/common';
import { TxRepository } from '@hims/database';

export interface RefreshTokenRow {
  id: string;
  familyId: string;
  userId: string;
  live: boolean;
  rotatedAt: Date | null;
  revokedAt: Date | null;
}

export type RevokeReason =
  'logout' | 'logout_all' | 'mfa_reset' | 'reuse' | 'user_disabled' | 'user_inactive' | 'password_changed';

@Injectable()
export class RefreshTokensRepository extends TxRepository {
  async insert(input: {
    tenantId: string;
    familyId: string;
    userId: string;
    hash: Buffer;
    ttlSeconds: number;
  }): Promise<string> {
    const rows: { id: string }[] = await this.tx.query(
      `INSERT INTO core.refresh_tokens (tenant_id, family_id, user_id, token_hash, expires_at)
       VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5))
       RETURNING id`,
      [input.tenantId, input.familyId, input.userId, input.hash, input.ttlSeconds],
    );
    return rows[0].id;
  }

  /** Locks the row so two concurrent refreshes with one token cannot both rotate it. */
  async findByHashForUpdate(hash: Buffer): Promise<RefreshTokenRow | undefined> {
    const rows: RefreshTokenRow[] = await this.tx.query(
      `SELECT id, family_id AS "familyId", user_id AS "userId", expires_at > now() AS live,
              rotated_at AS "rotatedAt", revoked_at AS "revokedAt"
         FROM core.refresh_tokens WHERE token_hash = $1 FOR UPDATE`,
      [hash],
    );
    return rows[0];
  }

  async markRotated(id: string, replacedBy: string): Promise<void> {
    await this.tx.query(`UPDATE core.refresh_tokens SET rotated_at = now(), replaced_by = $2 WHERE id = $1`, [
      id,
      replacedBy,
    ]);
  }

  async revokeFamily(familyId: string, reason: RevokeReason): Promise<number> {
    // TypeORM answers an UPDATE with [rows, rowCount].
    const [, count]: [unknown[], number] = await this.tx.query(
      `UPDATE core.refresh_tokens SET revoked_at = now(), revoked_reason = $2
        WHERE family_id = $1 AND revoked_at IS NULL`,
      [familyId, reason],
    );
    return count;
  }

  /** Every live token of the user; answers how many sessions (families) that ended. */
  async revokeAllForUser(userId: string, reason: RevokeReason): Promise<number> {
    const rows: { sessions: number }[] = await this.tx.query(
      `WITH revoked AS (
         UPDATE core.refresh_tokens SET revoked_at = now(), revoked_reason = $2
          WHERE user_id = $1 AND revoked_at IS NULL
          RETURNING family_id)
       SELECT count(DISTINCT family_id)::int AS sessions FROM revoked`,
      [userId, reason],
    );
    return rows[0].sessions;
  }
}
