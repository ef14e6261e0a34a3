import { MigrationInterface, QueryRunner } from 'typeorm';
import { tenantIsolation } from './lib/rls';

/**
 * Stored answers to create requests sent with an Idempotency-Key (IETF httpapi
 * draft), per tenant and user, for 24 hours. A stored body can hold patient
 * data, so the table is tenant-isolated like any clinical table and rows are
 * deleted once expired (see libs/idempotency).
 */
export class IdempotencyKeys1763791000000 implements MigrationInterface {
  name = 'IdempotencyKeys1763791000000';

  async up(q: QueryRunner): Promise<void> {
    const statements = [
      `CREATE TABLE core.idempotency_keys (
         tenant_id uuid NOT NULL REFERENCES core.tenants (id),
         user_id uuid NOT NULL,
         key text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
         fingerprint text NOT NULL CHECK (fingerprint ~ '^[0-9a-f]{64}$'),
         status_code smallint NOT NULL CHECK (status_code BETWEEN 200 AND 599),
         headers jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(headers) = 'object'),
         body jsonb,
         created_at timestamptz NOT NULL DEFAULT now(),
         expires_at timestamptz NOT NULL,
         PRIMARY KEY (tenant_id, user_id, key),
         CHECK (expires_at > created_at)
       )`,
      `CREATE INDEX idempotency_keys_tenant_expires_idx ON core.idempotency_keys (tenant_id, expires_at)`,
      ...tenantIsolation('core.idempotency_keys'),
      // DELETE: expired answers are removed, not kept.
      `GRANT SELECT, INSERT, DELETE ON core.idempotency_keys TO hims_app`,
    ];
    for (const sql of statements) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE core.idempotency_keys`);
  }
}
