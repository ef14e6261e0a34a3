/**
 * Commit-to-searchable latency of the change-data-capture pipeline.
 *
 * Against a running stack (`npm run stack`: API, worker, Kafka, Connect +
 * Debezium, Elasticsearch): signs in as a user of the demo tenant, registers
 * N patients one after another through POST /api/v1/patients, and for each
 * one measures from the moment the 201 arrives (the transaction, outbox row
 * included, has committed) until GET /api/v1/search/patients finds it with
 * source "elasticsearch" (polled every POLL_MS). That covers WAL → Debezium
 * → Kafka → worker (row read + index) → Elasticsearch refresh (1 s) → query.
 *
 *   node dist/bench/freshness.js [count=50]
 *   env: HIMS_API (http://127.0.0.1:3000), HIMS_TENANT, HIMS_EMAIL, HIMS_PASSWORD
 *        (default: the demo tenant/admin; the password is printed by `npm run stack`
 *        or fixed with HIMS_DEMO_PASSWORD), POLL_MS (20)
 */
import { randomInt } from 'node:crypto';
import { writeFileSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { summarize } from './lib/stats';

const API = process.env.HIMS_API ?? 'http://127.0.0.1:3000';
const POLL_MS = Number(process.env.POLL_MS ?? 20);
const TIMEOUT_MS = 60000;

interface Body {
  accessToken?: string;
  id?: string;
  source?: string;
  items?: { id: string }[];
}

async function json(
  path: string,
  init: RequestInit & { headers?: Record<string, string> } = {},
): Promise<{ status: number; body: Body }> {
  const res = await fetch(`${API}${path}`, {
    ...init,
    headers: { 'Content-Type': 'application/json', ...(init.headers ?? {}) },
  });
  const body = (await res.json().catch(() => ({}))) as Body;
  return { status: res.status, body };
}

function surname(): string {
  const letters = 'bcdfghjklmnprstvz';
  let s = 'F';
  for (let i = 0; i < 8; i++) s += letters[randomInt(letters.length)];
  return s;
}

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 50);
  const tenant = process.env.HIMS_TENANT;
  const email = process.env.HIMS_EMAIL ?? 'admin@demo-clinic.local';
  const password = process.env.HIMS_PASSWORD ?? process.env.HIMS_DEMO_PASSWORD;
  if (!tenant || !password) {
    throw new Error(
      'set HIMS_TENANT and HIMS_PASSWORD (the demo tenant id and admin password printed by npm run stack)',
    );
  }
  const login = await json('/api/v1/auth/login', {
    method: 'POST',
    headers: { 'X-Tenant-ID': tenant },
    body: JSON.stringify({ email, password }),
  });
  if (login.status !== 200) throw new Error(`login answered ${login.status}: ${JSON.stringify(login.body)}`);
  const headers = { Authorization: `Bearer ${login.body.accessToken}`, 'X-Tenant-ID': tenant };

  const samples: number[] = [];
  const fallbacks: Record<string, number> = {};
  for (let i = 0; i < count; i++) {
    const family = surname();
    const created = await json('/api/v1/patients', {
      method: 'POST',
      headers,
      body: JSON.stringify({ name: { given: ['Bench'], family }, gender: 'other', birthDate: '1970' }),
    });
    const committedAt = performance.now();
    if (created.status !== 201)
      throw new Error(`registration answered ${created.status}: ${JSON.stringify(created.body)}`);
    for (;;) {
      const res = await json(`/api/v1/search/patients?q=${encodeURIComponent(family)}&limit=5`, { headers });
      if (
        res.status === 200 &&
        res.body.source === 'elasticsearch' &&
        res.body.items?.some((x) => x.id === created.body.id)
      ) {
        samples.push(performance.now() - committedAt);
        break;
      }
      if (res.status === 200 && res.body.source === 'database')
        fallbacks.database = (fallbacks.database ?? 0) + 1;
      if (performance.now() - committedAt > TIMEOUT_MS)
        throw new Error(`patient ${created.body.id} not searchable after ${TIMEOUT_MS} ms`);
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
    process.stderr.write(`\r${i + 1}/${count}`);
  }
  process.stderr.write('\n');
  const summary = summarize(samples);
  const report = {
    measured: new Date().toISOString(),
    what: 'commit (201 received) → found by GET /api/v1/search/patients with source=elasticsearch',
    pollMs: POLL_MS,
    latencyMs: summary,
    pollsAnsweredByDatabase: fallbacks.database ?? 0,
  };
  mkdirSync(resolve(__dirname, '../../bench/results'), { recursive: true });
  writeFileSync(
    resolve(__dirname, '../../bench/results/freshness.json'),
    `${JSON.stringify(report, null, 2)}\n`,
  );
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exit(1);
});
