/**
 * Slot search and token issue (issue 24) through the API, on a clinic of 20 doctors (4
 * departments) with a month of schedules (Mon–Sat 09:00–13:00 and 14:00–18:00, 15-minute slots,
 * 2 places) a third of whose places are booked. Scenarios (closed loop, autocannon):
 * - slots: a month for one doctor; a month for one department (5 doctors); a month for the
 *   whole clinic (20 doctors, limit 1000);
 * - token issue: walk-ins spread over the 20 doctors (each one a visit, its check-in and the
 *   doctor's next token: the request path a token takes).
 * Prints a table and writes bench/results/queue.json and queue.md. Asserts nothing.
 *
 *   npm run -s build && BENCH_QUEUE_DB=hims_test_queue node dist/bench/queue.js
 *   env: BENCH_QUEUE_DB (hims: a migrated database of the project's cluster), BENCH_DURATION (10 s),
 *        BENCH_CONNECTIONS (8), BENCH_API_PORT (3110)
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createDataSource } from '@hims/database';
import { provisionTenant } from '@hims/tenancy';
import { appUrl, ownerUrl, platformUrl } from '../test/support/env';
import { createUser } from '../test/support/auth';
import { asTenant } from '../test/support/fixtures';
import { startApi, stopApi } from './lib/api-process';
import { runScenario, ScenarioResult } from './lib/load';
import { machineInfo } from './lib/machine';

const DB = process.env.BENCH_QUEUE_DB ?? 'hims';
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 8);
const PORT = Number(process.env.BENCH_API_PORT ?? 3110);
const DOCTORS = 20;
const DEPARTMENTS = ['General Medicine', 'Paediatrics', 'ENT', 'Dermatology'];

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

async function setUp() {
  const owner = await createDataSource(ownerUrl(DB), 2).initialize();
  const slug = `bench-queue-${randomUUID().slice(0, 8)}`;
  const { id: tenantId } = await provisionTenant(owner, { slug, name: 'Bench Queue Clinic', status: 'active' });
  const desk = await createUser(owner, tenantId, { roles: ['receptionist'] });
  const doctors: string[] = [];
  for (let i = 0; i < DOCTORS; i++) doctors.push((await createUser(owner, tenantId, { roles: ['doctor'], displayName: `Dr Bench ${i}` })).id);
  await asTenant(owner, tenantId, async (tx) => {
    for (const [i, doctorId] of doctors.entries()) {
      await tx.query(
        `INSERT INTO clinical.doctor_schedules (tenant_id, doctor_id, department, slot_minutes, capacity) VALUES ($1, $2, $3, 15, 2)`,
        [tenantId, doctorId, DEPARTMENTS[i % DEPARTMENTS.length]],
      );
      await tx.query(
        `INSERT INTO clinical.schedule_periods (tenant_id, doctor_id, weekday, starts, ends)
         SELECT $1, $2, w, p.s::time, p.e::time FROM generate_series(1, 6) w, (VALUES ('09:00', '13:00'), ('14:00', '18:00')) p(s, e)`,
        [tenantId, doctorId],
      );
    }
    // A third of the month's places booked (counter rows as bookings leave them).
    await tx.query(
      `INSERT INTO clinical.slot_bookings (tenant_id, doctor_id, slot_start, booked)
       SELECT $1, d, (g AT TIME ZONE 'Asia/Kolkata'), 1 + (random() < 0.5)::int
         FROM unnest($2::uuid[]) d,
              generate_series(current_date::timestamp + time '09:00', current_date::timestamp + interval '31 days', interval '15 minutes') g
        WHERE g::time >= '09:00' AND g::time < '18:00' AND random() < 0.33`,
      [tenantId, doctors],
    );
  });
  await owner.destroy();
  return { tenantId, desk, doctors };
}

async function main(): Promise<void> {
  const { tenantId, desk, doctors } = await setUp();
  const child = await startApi(
    {
      DATABASE_URL: appUrl(DB),
      DATABASE_OWNER_URL: ownerUrl(DB),
      DATABASE_PLATFORM_URL: platformUrl(DB),
      DATABASE_APPLICATION_NAME: 'hims-bench-queue',
      KAFKA_ENABLED: 'false',
      ELASTICSEARCH_ENABLED: 'false',
      TENANT_WRITES_PER_MINUTE: '0',
      TENANT_SEARCHES_PER_MINUTE: '0',
      AUTH_ACCESS_TOKEN_TTL_SECONDS: '3600',
    },
    PORT,
  );
  const base = `http://127.0.0.1:${PORT}`;
  const results: ScenarioResult[] = [];
  try {
    const login = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'X-Tenant-ID': tenantId, 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: desk.email, password: desk.password }),
    });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const headers = { Authorization: `Bearer ${accessToken}`, 'X-Tenant-ID': tenantId, 'Content-Type': 'application/json' };
    const patients: string[] = [];
    for (let i = 0; i < 100; i++) {
      const res = await fetch(`${base}/api/v1/patients`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ name: { given: ['Bench'], family: `Queue${'abcdefghij'[i % 10]}${'abcdefghij'[Math.floor(i / 10)]}` }, gender: 'male', birthDate: '1980', allowDuplicate: true }),
      });
      if (res.status !== 201) throw new Error(`registration answered ${res.status}`);
      patients.push(((await res.json()) as { id: string }).id);
    }
    const month = `from=${day(0)}&to=${day(30)}`;
    const get = (path: string) => () => ({ method: 'GET' as const, path, headers });
    const scenarios: [string, (seq: number) => ReturnType<ReturnType<typeof get>>][] = [
      ['slots: one doctor, a month', (seq) => get(`/api/v1/slots?doctorId=${doctors[seq % DOCTORS]}&${month}&limit=1000`)()],
      ['slots: one department (5 doctors), a month', (seq) => get(`/api/v1/slots?department=${encodeURIComponent(DEPARTMENTS[seq % 4])}&${month}&limit=1000`)()],
      ['slots: whole clinic (20 doctors), a month', () => get(`/api/v1/slots?${month}&limit=1000`)()],
    ];
    for (const [name, next] of scenarios) {
      results.push(await runScenario({ name, url: base, connections: CONNECTIONS, durationSeconds: DURATION, next }));
    }
    results.push(
      await runScenario({
        name: 'token issue: walk-ins over 20 doctors',
        url: base,
        connections: CONNECTIONS,
        durationSeconds: DURATION,
        next: (seq) => ({
          method: 'POST',
          path: '/api/v1/queue/walk-ins',
          headers,
          body: JSON.stringify({ doctorId: doctors[seq % DOCTORS], patientId: patients[seq % patients.length], department: 'General Medicine' }),
        }),
      }),
    );
  } finally {
    await stopApi(child);
  }

  const owner = await createDataSource(ownerUrl(DB), 1).initialize();
  const dupes = await asTenant(owner, tenantId, (tx) =>
    tx.query(`SELECT count(*)::int AS n FROM (SELECT lane, token FROM clinical.queue_entries GROUP BY 1, 2 HAVING count(*) > 1) d`),
  );
  await owner.destroy();

  const rows = results.map((r) => ({
    scenario: r.name,
    rps: Math.round(r.rps * 10) / 10,
    p50: r.latencyMs.p50,
    p95: r.latencyMs.p95,
    p99: r.latencyMs.p99,
    requests: r.requests,
    non2xx: r.non2xx,
  }));
  console.table(rows);
  console.log(`duplicate tokens after the run: ${dupes[0].n}`);
  const dir = resolve(__dirname, '../../bench/results');
  mkdirSync(dir, { recursive: true });
  const stamp = { machine: await machineInfo(), connections: CONNECTIONS, durationSeconds: DURATION, doctors: DOCTORS };
  writeFileSync(resolve(dir, 'queue.json'), JSON.stringify({ ...stamp, results, duplicateTokens: dupes[0].n }, null, 2) + '\n');
  writeFileSync(
    resolve(dir, 'queue.md'),
    [
      `# Slot search and token issue (${new Date().toISOString().slice(0, 10)}, ${CONNECTIONS} connections, ${DURATION} s each)`,
      '',
      '| scenario | req/s | p50 ms | p95 ms | p99 ms | requests | non-2xx |',
      '|---|---|---|---|---|---|---|',
      ...rows.map((r) => `| ${r.scenario} | ${r.rps} | ${r.p50} | ${r.p95} | ${r.p99} | ${r.requests} | ${r.non2xx} |`),
      '',
      `Duplicate tokens after the run: ${dupes[0].n}.`,
      '',
    ].join('\n'),
  );
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
