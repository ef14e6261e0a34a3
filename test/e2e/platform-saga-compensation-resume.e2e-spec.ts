/**
 * Needs: the project's PostgreSQL 15 (test/global-setup.ts starts it).
 * A saga whose driver lost its session mid-run (the lock connection is
 * terminated, as when a process dies or is cut off) stops driving at once,
 * and a saga left `compensating` is compensated by the resumer: nothing
 * half-made remains and tenant.provisioning_failed is published once.
 */
import { randomUUID } from 'node:crypto';
import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createDataSource } from '../../libs/database/src/data-source';
import { FAULT_ENV, SagaResumer } from '../../libs/platform/src';
import { createTestApp } from '../support/app';
import { ownerUrl, TEST_DB } from '../support/env';
import { pg } from '../support/infra';
import { asTenant } from '../support/fixtures';
import { operatorToken, provisioningBody } from '../support/platform';

jest.setTimeout(60_000);

async function poll<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  for (const deadline = Date.now() + timeoutMs; ;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('a saga left compensating', () => {
  let app: NestExpressApplication;
  let owner: DataSource;

  beforeAll(async () => {
    owner = await createDataSource(ownerUrl(), 2).initialize();
    app = await createTestApp({ platform: { sagaInlineWaitMs: 200, sagaResumeIntervalMs: 0 } });
  });
  afterAll(async () => {
    delete process.env[FAULT_ENV];
    await app?.close();
    await owner?.destroy();
  });

  it('is compensated by the resumer after its driver lost the lock; the old driver records nothing more', async () => {
    const token = await operatorToken(app, owner);
    const body = provisioningBody('comp');
    process.env[FAULT_ENV] = 'search_readiness:block';
    const res = await request(app.getHttpServer())
      .post('/api/v1/platform/tenants')
      .set({ Authorization: `Bearer ${token}`, 'Idempotency-Key': randomUUID() })
      .send(body);
    expect(res.status).toBe(202);
    const sagaId = res.body.saga.id as string;
    const tenantId = res.body.id as string;
    await poll('the blocked step', async () => {
      const rows = await owner.query(
        `SELECT status FROM platform.saga_steps WHERE saga_id = $1 AND step = 'search_readiness'`,
        [sagaId],
      );
      return rows[0]?.status === 'running' ? true : undefined;
    });

    // The driver's session dies (its lock with it); the saga had been judged failed before the crash.
    // (Terminating another role's session takes the superuser: pg.sh psql.)
    const terminated = pg(
      'psql',
      '-d',
      TEST_DB,
      '-c',
      `SELECT count(pg_terminate_backend(pid)) FROM pg_locks
        WHERE locktype = 'advisory' AND granted
          AND ((classid::bigint << 32) | objid::bigint) = hashtextextended('platform-saga:${sagaId}', 0)`,
    );
    expect(terminated.trim()).toBe('1');
    await owner.query(
      `UPDATE platform.sagas SET status = 'compensating', failed_step = 'search_readiness', error = 'simulated crash' WHERE id = $1`,
      [sagaId],
    );
    // The old driver wakes up, finds its lock gone, and stops without touching the log.
    delete process.env[FAULT_ENV];

    await app.get(SagaResumer).kick();
    const [saga] = await owner.query(`SELECT status FROM platform.sagas WHERE id = $1`, [sagaId]);
    expect(saga.status).toBe('failed');
    const steps = await owner.query(
      `SELECT step, status FROM platform.saga_steps WHERE saga_id = $1 ORDER BY started_at`,
      [sagaId],
    );
    expect(steps).toEqual([
      { step: 'reserve_slug', status: 'compensated' },
      { step: 'create_tenant', status: 'compensated' },
      { step: 'configure_tenant', status: 'compensated' },
      { step: 'create_first_admin', status: 'compensated' },
      { step: 'search_readiness', status: 'compensated' },
    ]);
    expect(
      await owner.query(`SELECT 1 FROM core.tenants WHERE id = $1 OR slug = $2`, [tenantId, body.slug]),
    ).toEqual([]);
    expect(
      await owner.query(`SELECT 1 FROM platform.slug_reservations WHERE slug = $1`, [body.slug]),
    ).toEqual([]);
    const events = await asTenant(owner, tenantId, (tx) =>
      tx.query(`SELECT event_type FROM events.outbox WHERE tenant_id = $1`, [tenantId]),
    );
    expect(events).toEqual([{ event_type: 'tenant.provisioning_failed' }]);
    // Give the old driver's wake-up a chance to misbehave, then check it did not (polled: the log stays as it is).
    const stable = await poll('the log to stay settled', async () => {
      const [again] = await owner.query(`SELECT status, updated_at FROM platform.sagas WHERE id = $1`, [
        sagaId,
      ]);
      const activity = await owner.query(
        `SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND ((classid::bigint << 32) | objid::bigint) = hashtextextended('platform-saga:' || $1, 0)`,
        [sagaId],
      );
      return activity.length === 0 ? again : undefined;
    });
    expect(stable.status).toBe('failed');
    expect(await owner.query(`SELECT 1 FROM core.tenants WHERE id = $1`, [tenantId])).toEqual([]);
  });
});
