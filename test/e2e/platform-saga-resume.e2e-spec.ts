/**
 * Needs: the project's PostgreSQL 15 and a built API (`npm run build`; npm test does it).
 * A provisioning saga survives its process: the API is killed (SIGKILL) while
 * a step is blocked by the test-only fault hook; while it lived, nobody else
 * could drive the saga (advisory lock); after a restart the new process
 * resumes the saga from its log and completes it; the operator then issues the
 * first admin a new invitation (the resumed step's secret was never shown).
 */
import { completeSignIn, fetchPost } from '../support/mfa';
import { once } from 'node:events';
import { rmSync } from 'node:fs';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DataSource } from 'typeorm';
import { createDataSource } from '../../libs/database/src/data-source';
import { FAULT_ENV, SagaRunner, STEP_NAMES } from '../../libs/platform/src';
import { startApiProcess } from '../support/api-process';
import { createTestApp } from '../support/app';
import { ownerUrl } from '../support/env';
import { asTenant } from '../support/fixtures';
import { newOperator, provisioningBody } from '../support/platform';

async function poll<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  for (const deadline = Date.now() + timeoutMs; ;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// Two cold starts of the built API in one test (up to 60 s each on a loaded machine): a wider bound.
jest.setTimeout(180_000);

describe('provisioning saga across a crash', () => {
  let owner: DataSource;

  beforeAll(async () => {
    owner = await createDataSource(ownerUrl(), 2).initialize();
  });
  afterAll(() => owner?.destroy());

  it('is resumed from its log after the API is killed mid-saga, and completes', async () => {
    const op = await newOperator(owner);
    const body = provisioningBody('crash');
    const first = await startApiProcess({
      LOG_LEVEL: 'silent',
      NODE_ENV: 'test',
      [FAULT_ENV]: 'create_first_admin:block',
      PLATFORM_SAGA_INLINE_WAIT_MS: '200',
    });
    let tenantId: string;
    let sagaId: string;
    try {
      const base = `http://127.0.0.1:${first.port}`;
      // Operators sign in with a second factor (docs/auth.md): enrol on the first, a code each time.
      const post = fetchPost(first.port);
      const login = await completeSignIn(
        post,
        '/api/v1/platform/auth',
        op.email,
        await post('/api/v1/platform/auth/login', { email: op.email, password: op.password }),
      );
      const accessToken = login.body.accessToken as string;
      const res = await fetch(`${base}/api/v1/platform/tenants`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Authorization: `Bearer ${accessToken}`,
          'Idempotency-Key': 'crash-1',
        },
        body: JSON.stringify(body),
      });
      expect(res.status).toBe(202);
      const answer = (await res.json()) as { id: string; saga: { id: string } };
      tenantId = answer.id;
      sagaId = answer.saga.id;
      // The step is running (blocked) in the first process.
      await poll('the blocked step', async () => {
        const rows = await owner.query(
          `SELECT status, attempts FROM platform.saga_steps WHERE saga_id = $1 AND step = 'create_first_admin'`,
          [sagaId],
        );
        return rows[0]?.status === 'running' ? rows[0] : undefined;
      });

      // While its process lives, no other process can drive the saga.
      const other: NestExpressApplication = await createTestApp({ platform: { sagaResumeIntervalMs: 0 } });
      try {
        expect(await other.get(SagaRunner).run(sagaId)).toEqual({ kind: 'busy' });
      } finally {
        await other.close();
      }

      const exited = once(first.child, 'exit');
      first.child.kill('SIGKILL');
      await exited;
    } finally {
      if (first.child.exitCode === null && first.child.signalCode === null) first.child.kill('SIGKILL');
      rmSync(first.keyDir, { recursive: true, force: true });
    }

    const [half] = await owner.query(`SELECT status FROM core.tenants WHERE id = $1`, [tenantId!]);
    expect(half.status).toBe('provisioning');

    // Restart without the fault: start-up resumes the saga.
    const second = await startApiProcess({
      LOG_LEVEL: 'silent',
      NODE_ENV: 'test',
      [FAULT_ENV]: '',
      PLATFORM_SAGA_RESUME_INTERVAL_MS: '200',
    });
    try {
      const saga = await poll('the saga to complete', async () => {
        const rows = await owner.query(`SELECT status FROM platform.sagas WHERE id = $1`, [sagaId!]);
        return rows[0]?.status === 'completed' || rows[0]?.status === 'failed' ? rows[0] : undefined;
      });
      expect(saga.status).toBe('completed');

      // The invitation made by the resumed step was never shown to anyone: the operator issues a new one.
      const base = `http://127.0.0.1:${second.port}`;
      // Operators sign in with a second factor (docs/auth.md): enrol on the first, a code each time.
      const post = fetchPost(second.port);
      const login = await completeSignIn(
        post,
        '/api/v1/platform/auth',
        op.email,
        await post('/api/v1/platform/auth/login', { email: op.email, password: op.password }),
      );
      const accessToken = login.body.accessToken as string;
      const reissue = () =>
        fetch(`${base}/api/v1/platform/tenants/${tenantId!}/first-admin/invitation`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${accessToken}` },
        });
      const issued = await reissue();
      expect(issued.status).toBe(201);
      const { token } = (await issued.json()) as { token: string };
      const accepted = await fetch(`${base}/api/v1/auth/invitations/accept`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Tenant-ID': tenantId! },
        body: JSON.stringify({ token, password: 'amber-kettle-monsoon-42' }),
      });
      expect(accepted.status).toBe(204);
      expect((await reissue()).status).toBe(409); // the admin has a password now
    } finally {
      const exited = once(second.child, 'exit');
      second.child.kill('SIGTERM');
      await exited;
      rmSync(second.keyDir, { recursive: true, force: true });
    }
    const steps = await owner.query(
      `SELECT step, status, attempts FROM platform.saga_steps WHERE saga_id = $1 ORDER BY started_at`,
      [sagaId!],
    );
    expect(steps.map((s: { step: string }) => s.step)).toEqual(STEP_NAMES);
    expect(steps.every((s: { status: string }) => s.status === 'done')).toBe(true);
    expect(steps.find((s: { step: string }) => s.step === 'create_first_admin').attempts).toBe(2);
    const [tenant] = await owner.query(`SELECT status FROM core.tenants WHERE id = $1`, [tenantId!]);
    expect(tenant.status).toBe('active');
    const events = await asTenant(owner, tenantId!, (tx) =>
      tx.query(`SELECT event_type FROM events.outbox WHERE tenant_id = $1`, [tenantId!]),
    );
    expect(events.map((e: { event_type: string }) => e.event_type).sort()).toEqual([
      'tenant.provisioned',
      'user.invitation_accepted',
      'user.invited',
      'user.invited',
    ]);
    // One invitation left: the reissued one, accepted (the saga's own was replaced).
    const invitations = await asTenant(owner, tenantId!, (tx) =>
      tx.query(`SELECT accepted_at FROM core.user_invitations WHERE tenant_id = $1`, [tenantId!]),
    );
    expect(invitations).toHaveLength(1);
    expect(invitations[0].accepted_at).not.toBeNull();
    const audit = await owner.query(`SELECT action FROM platform.audit WHERE target_id = $1 ORDER BY at`, [
      tenantId!,
    ]);
    expect(audit.map((a: { action: string }) => a.action)).toEqual([
      'tenant.provision',
      'tenant.first_admin_invitation',
    ]);
  });
});
