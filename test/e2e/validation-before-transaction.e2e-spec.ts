/**
 * Needs: the project's PostgreSQL 15 and a built API and bench (`npm run build`; npm test does it).
 * A request the API refuses for its input (400) costs no database work: validation runs before
 * the tenant boundary opens the request's transaction. Counted, not timed: the API child runs
 * with the bench's node-postgres round-trip counter preloaded.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ChildProcess } from 'node:child_process';
import { DataSource } from 'typeorm';
import { createDataSource } from '../../libs/database/src/data-source';
import { signInThroughApi, startApiProcess } from '../support/api-process';
import { createUser } from '../support/auth';
import { ownerUrl } from '../support/env';
import { newTenant } from '../support/fixtures';

const COUNTER = resolve(__dirname, '../../dist/bench/lib/query-counter.js');

describe('validation runs before the transaction', () => {
  let owner: DataSource;
  let api: Awaited<ReturnType<typeof startApiProcess>>;
  let dir: string;
  let headers: Record<string, string>;

  /** The API's running total of PostgreSQL round trips (the counter writes it on SIGUSR2). */
  async function roundTrips(child: ChildProcess): Promise<number> {
    const file = join(dir, 'queries');
    rmSync(file, { force: true });
    child.kill('SIGUSR2');
    // The counter renames a finished file into place, so once it exists it is whole.
    for (const deadline = Date.now() + 10000; !existsSync(file);) {
      if (Date.now() > deadline) throw new Error('the API did not report its round trips');
      await new Promise((r) => setImmediate(r));
    }
    const text = readFileSync(file, 'utf8');
    if (!/^\d+$/.test(text)) throw new Error(`the round-trip count is not a number: ${JSON.stringify(text)}`);
    return Number(text);
  }

  const call = (method: string, path: string, body?: unknown) =>
    fetch(`http://127.0.0.1:${api.port}${path}`, {
      method,
      headers: { ...headers, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  beforeAll(async () => {
    owner = await createDataSource(ownerUrl(), 2).initialize();
    const tenant = await newTenant(owner, 'validate-first');
    const user = await createUser(owner, tenant.id, { roles: ['tenant_admin'] });
    dir = mkdtempSync(join(tmpdir(), 'hims-test-rt-'));
    api = await startApiProcess({
      LOG_LEVEL: 'silent',
      NODE_OPTIONS: `--require=${COUNTER}`,
      BENCH_QUERY_COUNT_FILE: join(dir, 'queries'),
    });
    headers = await signInThroughApi(api.port, tenant.id, user);
  });

  afterAll(async () => {
    if (api?.child.exitCode === null) api.child.kill('SIGKILL');
    if (api) rmSync(api.keyDir, { recursive: true, force: true });
    if (dir) rmSync(dir, { recursive: true, force: true });
    await owner?.destroy();
  });

  it('a 400 for a bad body, query or path parameter costs no round trip; a good request does', async () => {
    const before = await roundTrips(api.child);
    const refused = [
      await call('POST', '/api/v1/patients', { name: { given: [] }, gender: 'x', birthDate: '2024-13-45' }),
      await call('POST', '/api/v1/patients', { unknownField: true }),
      await call('GET', '/api/v1/patients?limit=100000'),
      await call('GET', '/api/v1/users/not-a-uuid'),
      await call('POST', '/api/v1/users', { email: 'not an email', roles: ['wizard'] }),
    ];
    for (const res of refused) {
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    }
    expect(await roundTrips(api.child)).toBe(before);

    // Control: an accepted request does reach the database (the counter counts).
    expect((await call('GET', '/api/v1/users?limit=1')).status).toBe(200);
    expect(await roundTrips(api.child)).toBeGreaterThan(before);
  });
});
