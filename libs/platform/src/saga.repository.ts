import type { Sql } from './platform-database';

export type SagaStatus = 'running' | 'compensating' | 'completed' | 'failed';
export type StepStatus = 'running' | 'done' | 'failed' | 'compensated';

export interface ProvisioningInput {
  slug: string;
  name: string;
  settings: { defaultPhoneRegion: string; mrnPrefix: string; timeZone: string };
  firstAdmin: { email: string; displayName: string; userId: string };
}

export interface SagaRow {
  id: string;
  operatorId: string | null;
  idempotencyKey: string | null;
  fingerprint: string | null;
  tenantId: string;
  slug: string;
  input: ProvisioningInput;
  status: SagaStatus;
  failedStep: string | null;
  error: string | null;
  createdAt: Date;
  updatedAt: Date;
  finishedAt: Date | null;
}

export interface StepRow {
  step: string;
  status: StepStatus;
  attempts: number;
  error: string | null;
  detail: Record<string, unknown>;
  startedAt: Date | null;
  finishedAt: Date | null;
  compensatedAt: Date | null;
}

const SAGA = `id, operator_id AS "operatorId", idempotency_key AS "idempotencyKey", fingerprint,
  tenant_id AS "tenantId", slug, input, status, failed_step AS "failedStep", error,
  created_at AS "createdAt", updated_at AS "updatedAt", finished_at AS "finishedAt"`;

/** platform.sagas and platform.saga_steps: the saga log (SQL only). */
export const SagaRepository = {
  /** Inserts unless this operator already used the key; answers whether it did. */
  async insert(
    sql: Sql,
    s: {
      id: string;
      operatorId: string | null;
      idempotencyKey: string | null;
      fingerprint: string | null;
      tenantId: string;
      input: ProvisioningInput;
    },
  ): Promise<boolean> {
    const rows = await sql.query(
      `INSERT INTO platform.sagas (id, kind, operator_id, idempotency_key, fingerprint, tenant_id, slug, input)
       VALUES ($1, 'tenant_provisioning', $2, $3, $4, $5, $6, $7)
       ON CONFLICT (operator_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
       RETURNING id`,
      [
        s.id,
        s.operatorId,
        s.idempotencyKey,
        s.fingerprint,
        s.tenantId,
        s.input.slug,
        JSON.stringify(s.input),
      ],
    );
    return rows.length === 1;
  },

  async find(sql: Sql, id: string): Promise<SagaRow | undefined> {
    return (await sql.query(`SELECT ${SAGA} FROM platform.sagas WHERE id = $1`, [id]))[0];
  },

  async findByKey(sql: Sql, operatorId: string, key: string): Promise<SagaRow | undefined> {
    return (
      await sql.query(`SELECT ${SAGA} FROM platform.sagas WHERE operator_id = $1 AND idempotency_key = $2`, [
        operatorId,
        key,
      ])
    )[0];
  },

  /** The newest saga of a tenant. */
  async findByTenant(sql: Sql, tenantId: string): Promise<SagaRow | undefined> {
    return (
      await sql.query(
        `SELECT ${SAGA} FROM platform.sagas WHERE tenant_id = $1 ORDER BY created_at DESC LIMIT 1`,
        [tenantId],
      )
    )[0];
  },

  async unfinishedIds(sql: Sql, limit = 50): Promise<string[]> {
    const rows: { id: string }[] = await sql.query(
      `SELECT id FROM platform.sagas WHERE status IN ('running', 'compensating') ORDER BY created_at LIMIT $1`,
      [limit],
    );
    return rows.map((r) => r.id);
  },

  async steps(sql: Sql, sagaId: string): Promise<StepRow[]> {
    return sql.query(
      `SELECT step, status, attempts, error, detail, started_at AS "startedAt", finished_at AS "finishedAt",
              compensated_at AS "compensatedAt"
         FROM platform.saga_steps WHERE saga_id = $1 ORDER BY started_at NULLS LAST, step`,
      [sagaId],
    );
  },

  async stepStarted(sql: Sql, sagaId: string, step: string): Promise<void> {
    await sql.query(
      `INSERT INTO platform.saga_steps (saga_id, step, status, attempts, started_at)
       VALUES ($1, $2, 'running', 1, clock_timestamp())
       ON CONFLICT (saga_id, step) DO UPDATE
         SET status = 'running', attempts = platform.saga_steps.attempts + 1, error = NULL`,
      [sagaId, step],
    );
  },

  async stepDone(sql: Sql, sagaId: string, step: string, detail: Record<string, unknown>): Promise<void> {
    await sql.query(
      `UPDATE platform.saga_steps SET status = 'done', detail = $3, finished_at = clock_timestamp()
        WHERE saga_id = $1 AND step = $2`,
      [sagaId, step, JSON.stringify(detail)],
    );
  },

  async stepFailed(sql: Sql, sagaId: string, step: string, error: string): Promise<void> {
    await sql.query(
      `UPDATE platform.saga_steps SET status = 'failed', error = $3, finished_at = clock_timestamp()
        WHERE saga_id = $1 AND step = $2`,
      [sagaId, step, error],
    );
  },

  async stepCompensated(sql: Sql, sagaId: string, step: string): Promise<void> {
    await sql.query(
      `UPDATE platform.saga_steps SET status = 'compensated', compensated_at = clock_timestamp()
        WHERE saga_id = $1 AND step = $2`,
      [sagaId, step],
    );
  },

  async setStatus(
    sql: Sql,
    id: string,
    status: SagaStatus,
    failure?: { step: string; error: string },
  ): Promise<void> {
    await sql.query(
      `UPDATE platform.sagas
          SET status = $2, updated_at = clock_timestamp(),
              failed_step = coalesce($3, failed_step), error = coalesce($4, error),
              finished_at = CASE WHEN $2 IN ('completed', 'failed') THEN clock_timestamp() END
        WHERE id = $1`,
      [id, status, failure?.step ?? null, failure?.error ?? null],
    );
  },
};
