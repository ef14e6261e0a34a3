import { Injectable } from '@nestjs/common';
import { TxRepository } from '@hims/database';

export interface StoredAnswer {
  fingerprint: string;
  statusCode: number;
  headers: Record<string, string>;
  body: unknown;
}

export interface KeyOwner {
  tenantId: string;
  userId: string;
  key: string;
}

/** core.idempotency_keys, always inside the request's tenant transaction (RLS applies). */
@Injectable()
export class IdempotencyRepository extends TxRepository {
  /**
   * A transaction-scoped advisory lock on the key: false while another
   * transaction holds it, i.e. the first request with this key still runs.
   * A hash collision between two keys only costs a spurious 409.
   */
  async tryLock(owner: KeyOwner): Promise<boolean> {
    const rows: { locked: boolean }[] = await this.tx.query(
      `SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0)) AS locked`,
      [`idempotency:${owner.tenantId}:${owner.userId}:${owner.key}`],
    );
    return rows[0].locked;
  }

  /** The unexpired answer stored for the key, if any. */
  async find(owner: KeyOwner): Promise<StoredAnswer | undefined> {
    const rows: StoredAnswer[] = await this.tx.query(
      `SELECT fingerprint, status_code AS "statusCode", headers, body
         FROM core.idempotency_keys
        WHERE tenant_id = $1 AND user_id = $2 AND key = $3 AND expires_at > now()`,
      [owner.tenantId, owner.userId, owner.key],
    );
    return rows[0];
  }

  /** Stores the answer, replacing an expired one under the same key; drops the tenant's other expired answers. */
  async save(owner: KeyOwner, answer: StoredAnswer, ttlSeconds: number): Promise<void> {
    await this.tx.query(`DELETE FROM core.idempotency_keys WHERE tenant_id = $1 AND expires_at <= now()`, [
      owner.tenantId,
    ]);
    await this.tx.query(
      `INSERT INTO core.idempotency_keys (tenant_id, user_id, key, fingerprint, status_code, headers, body, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb, now() + make_interval(secs => $8))`,
      [
        owner.tenantId,
        owner.userId,
        owner.key,
        answer.fingerprint,
        answer.statusCode,
        JSON.stringify(answer.headers),
        answer.body === undefined ? null : JSON.stringify(answer.body),
        ttlSeconds,
      ],
    );
  }
}
