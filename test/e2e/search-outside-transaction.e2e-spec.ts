/**
 * Needs: the project's PostgreSQL 15 and a built API (`npm run build`; npm test does it).
 * While the API waits on Elasticsearch, the request holds no transaction and no pooled
 * connection: a slow cluster cannot tie up the database for anyone. Elasticsearch here is
 * an HTTP peer that holds each search until the test lets it answer (an unresponsive
 * cluster), so the moment is observed, not timed.
 */
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { rmSync } from 'node:fs';
import { DataSource } from 'typeorm';
import { createDataSource } from '../../libs/database/src/data-source';
import { freePort, signInThroughApi, startApiProcess } from '../support/api-process';
import { createUser } from '../support/auth';
import { ownerUrl } from '../support/env';
import { newTenant } from '../support/fixtures';

describe('search asks Elasticsearch outside the transaction', () => {
  let owner: DataSource;
  let api: Awaited<ReturnType<typeof startApiProcess>>;
  let es: Server;
  const held: ServerResponse[] = [];
  let headers: Record<string, string>;

  beforeAll(async () => {
    owner = await createDataSource(ownerUrl(), 2).initialize();
    const tenant = await newTenant(owner, 'search-no-tx');
    const user = await createUser(owner, tenant.id, { roles: ['receptionist'] });
    // Holds every search; anything else (a product check) gets a plain 503.
    es = createServer((req: IncomingMessage, res: ServerResponse) => {
      req.resume();
      if (req.url?.includes('/_search')) held.push(res);
      else res.writeHead(503).end();
    });
    const esPort = await freePort();
    await new Promise<void>((r) => es.listen(esPort, '127.0.0.1', r));
    api = await startApiProcess({
      LOG_LEVEL: 'silent',
      ELASTICSEARCH_ENABLED: 'true',
      ELASTICSEARCH_URL: `http://127.0.0.1:${esPort}`,
    });
    headers = await signInThroughApi(api.port, tenant.id, user);
  });

  afterAll(async () => {
    held.forEach((res) => res.destroy());
    if (api?.child.exitCode === null) api.child.kill('SIGKILL');
    if (api) rmSync(api.keyDir, { recursive: true, force: true });
    await new Promise((r) => es?.close(r));
    await owner?.destroy();
  });

  it('no transaction is open while Elasticsearch is asked; the answer then comes from PostgreSQL', async () => {
    const search = fetch(`http://127.0.0.1:${api.port}/api/v1/search/patients?q=asha`, { headers });
    for (const deadline = Date.now() + 15000; held.length === 0;) {
      if (Date.now() > deadline) throw new Error('the API never asked Elasticsearch');
      await new Promise((r) => setImmediate(r));
    }
    // Every open transaction holds the lock on its own virtual transaction id (pg_locks is
    // readable by any role, unlike another role's pg_stat_activity.xact_start).
    const [{ open }] = await owner.query(
      `SELECT count(*)::int AS open
         FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
        WHERE a.application_name = $1 AND l.locktype = 'virtualxid' AND l.granted`,
      [`hims-test-${api.port}`],
    );
    expect(open).toBe(0);

    held.shift()!.writeHead(503, { 'content-type': 'application/json' }).end('{"error":"unavailable"}');
    const res = await search;
    expect(res.status).toBe(200);
    expect(((await res.json()) as { source: string }).source).toBe('database');
  });
});
