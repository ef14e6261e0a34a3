/**
 * Needs: the project's PostgreSQL 15 and a built API (`npm run build`; npm test does it).
 * SIGTERM lets in-flight requests finish, then closes the pool and exits 0.
 */
import { once } from 'node:events';
import { connect } from 'node:net';
import { rmSync } from 'node:fs';
import { DataSource } from 'typeorm';
import { createDataSource } from '../../libs/database/src/data-source';
import { startApiProcess } from '../support/api-process';
import { ownerUrl } from '../support/env';
import { createUser } from '../support/auth';
import { newTenant } from '../support/fixtures';

describe('graceful shutdown', () => {
  let owner: DataSource;
  let tenant: { id: string };

  beforeAll(async () => {
    owner = await createDataSource(ownerUrl(), 2).initialize();
    tenant = await newTenant(owner, 'shutdown');
  });
  afterAll(() => owner?.destroy());

  it('drains an in-flight request on SIGTERM, refuses new ones, and exits 0', async () => {
    const { child, port, keyDir } = await startApiProcess({
      LOG_LEVEL: 'silent',
      // The grace period is a bound, not what is tested: on a loaded machine the drain below
      // can take longer than the default 10 s, and then the request would be cut off.
      SHUTDOWN_GRACE_MS: '60000',
    });
    try {
      const user = await createUser(owner, tenant.id, { roles: ['nurse'] });
      const login = await fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'X-Tenant-ID': tenant.id, 'Content-Type': 'application/json' },
        body: JSON.stringify({ email: user.email, password: user.password }),
      });
      expect(login.status).toBe(200);
      const { accessToken } = (await login.json()) as { accessToken: string };
      // Hold a lock that the request's tenant lookup must wait for, so it is in flight.
      const locker = owner.createQueryRunner();
      await locker.connect();
      await locker.startTransaction();
      await locker.query('LOCK TABLE core.tenants IN ACCESS EXCLUSIVE MODE');
      const [{ pid }] = await locker.query('SELECT pg_backend_pid() AS pid');
      const inFlight = fetch(`http://127.0.0.1:${port}/api/v1/tenancy/context`, {
        headers: { 'X-Tenant-ID': tenant.id, Authorization: `Bearer ${accessToken}` },
      });
      // In flight = waiting on our lock (polled, not slept on).
      for (const deadline = Date.now() + 30000; ;) {
        const [{ blocked }] = await owner.query(
          'SELECT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE $1::int = ANY (pg_blocking_pids(a.pid))) AS blocked',
          [pid],
        );
        if (blocked) break;
        if (Date.now() > deadline) throw new Error('the request never reached the lock');
        await new Promise((r) => setImmediate(r));
      }
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      // Draining = no longer accepting connections (polled): only then let the request finish.
      for (const deadline = Date.now() + 30000; ;) {
        // A new TCP connection each time (no keep-alive pool): the question is whether the
        // listener still accepts, not whether an open connection still answers.
        const refused = await new Promise<boolean>((done) => {
          const probe = connect(port, '127.0.0.1');
          probe.once('connect', () => {
            probe.destroy();
            done(false);
          });
          probe.once('error', () => done(true));
        });
        if (refused) break;
        if (Date.now() > deadline) throw new Error('the API kept accepting connections after SIGTERM');
        await new Promise((r) => setImmediate(r));
      }
      await locker.rollbackTransaction();
      await locker.release();

      const res = await inFlight;
      expect(res.status).toBe(200);
      expect(((await res.json()) as { tenantId: string }).tenantId).toBe(tenant.id);
      const [code] = await exited;
      expect(code).toBe(0);
      await expect(fetch(`http://127.0.0.1:${port}/health/live`)).rejects.toMatchObject({
        cause: { code: 'ECONNREFUSED' },
      });
      // The pool was closed: no connection from this API remains.
      const [{ n }] = await owner.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1`,
        [`hims-test-${port}`],
      );
      expect(n).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(keyDir, { recursive: true, force: true });
    }
  });
});
