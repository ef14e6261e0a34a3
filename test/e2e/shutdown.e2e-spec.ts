/**
 * Needs: the project's PostgreSQL 15 and a built API (`npm run build`; npm test does it).
 * SIGTERM lets in-flight requests finish, then closes the pool and exits 0.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { DataSource } from 'typeorm';
import { createDataSource } from '../../libs/database/src/data-source';
import { appUrl, ownerUrl } from '../support/env';
import { createUser } from '../support/auth';
import { newTenant } from '../support/fixtures';

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as { port: number };
  await new Promise((r) => srv.close(r));
  return port;
}

async function waitForHealth(port: number, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 150; i++) {
    if (child.exitCode !== null) throw new Error(`API exited early with ${child.exitCode}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health/live`)).ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('API did not become healthy');
}

describe('graceful shutdown', () => {
  let owner: DataSource;
  let tenant: { id: string };

  beforeAll(async () => {
    owner = await createDataSource(ownerUrl(), 2).initialize();
    tenant = await newTenant(owner, 'shutdown');
  });
  afterAll(() => owner?.destroy());

  it('drains an in-flight request on SIGTERM, refuses new ones, and exits 0', async () => {
    const port = await freePort();
    const keyDir = mkdtempSync(join(tmpdir(), 'hims-shutdown-keys-'));
    const child = spawn(process.execPath, [resolve(__dirname, '../../dist/apps/api/src/main.js')], {
      env: {
        ...process.env,
        PORT: String(port),
        DATABASE_URL: appUrl(),
        DATABASE_OWNER_URL: ownerUrl(),
        AUTH_KEY_DIR: keyDir,
        DATABASE_APPLICATION_NAME: `hims-shutdown-${port}`,
        LOG_LEVEL: 'silent',
      },
      stdio: 'ignore',
    });
    try {
      await waitForHealth(port, child);
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
      const inFlight = fetch(`http://127.0.0.1:${port}/api/v1/tenancy/context`, {
        headers: { 'X-Tenant-ID': tenant.id, Authorization: `Bearer ${accessToken}` },
      });
      await new Promise((r) => setTimeout(r, 300));
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 300));
      await locker.rollbackTransaction();
      await locker.release();

      const res = await inFlight;
      expect(res.status).toBe(200);
      expect((await res.json()).tenantId).toBe(tenant.id);
      const [code] = await exited;
      expect(code).toBe(0);
      await expect(fetch(`http://127.0.0.1:${port}/health/live`)).rejects.toThrow();
      // The pool was closed: no connection from this API remains.
      const [{ n }] = await owner.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1`,
        [`hims-shutdown-${port}`],
      );
      expect(n).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(keyDir, { recursive: true, force: true });
    }
  });
});
