/**
 * Billing throughput (issue 29): invoice finalisation (the numbered, gapless step) and payment
 * capture, through the built API on this machine. Self-contained: it provisions its own clinic
 * (fresh slug each run) in the database the API child uses, with a price list, patients,
 * visits and draft bills made through the API, then measures
 *   1. finalisation: BENCH_BILLING_CONCURRENCY clients finalise the drafts of one clinic (one
 *      number series, so they queue on its counter row) and the numbers are checked gapless;
 *   2. payment: the same concurrency takes a split payment (UPI + card, Idempotency-Key) on
 *      each finalised invoice.
 * Traffic goes to 127.0.0.1 only, bounded by BENCH_BILLING_INVOICES requests per scenario.
 *
 *   npm run build && node dist/bench/billing.js
 * Knobs: BENCH_BILLING_INVOICES (200), BENCH_BILLING_CONCURRENCY (8), BENCH_API_PORT (3100),
 * DATABASE_URL / DATABASE_OWNER_URL / DATABASE_PLATFORM_URL (the API child's; default: the stack's).
 * Results: bench/results/billing.json and billing.md.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { PasswordHasher } from '../libs/auth/src/password-hasher';
import { createDataSource } from '../libs/database/src/data-source';
import { provisionTenant } from '../libs/tenancy/src/tenant-provisioning';
import { startApi, stopApi } from './lib/api-process';
import { summarize } from './lib/stats';

const INVOICES = Number(process.env.BENCH_BILLING_INVOICES ?? 200);
const CONCURRENCY = Number(process.env.BENCH_BILLING_CONCURRENCY ?? 8);
const PORT = Number(process.env.BENCH_API_PORT ?? 3100);
const OWNER_URL =
  process.env.DATABASE_OWNER_URL ?? 'postgres://hims_owner:hims_owner_dev@127.0.0.1:55432/hims';
const PASSWORD = 'Bench-billing-password-1';
const base = `http://127.0.0.1:${PORT}`;
const log = (line: string) => process.stdout.write(`${line}\n`);

interface Session {
  tenantId: string;
  token: string;
}

async function call(
  s: Session,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      'content-type': 'application/json',
      'X-Tenant-ID': s.tenantId,
      Authorization: `Bearer ${s.token}`,
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json()) as Record<string, unknown>;
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

async function user(
  owner: DataSource,
  tenantId: string,
  roles: string[],
  hash: string,
): Promise<{ id: string; email: string }> {
  const email = `${roles[0]}-${randomUUID().slice(0, 8)}@bench.test`;
  const rows: { id: string }[] = await owner.transaction(async (tx) => {
    await tx.query(`SELECT set_config('app.current_tenant', $1, true)`, [tenantId]);
    return tx.query(
      `INSERT INTO core.users (tenant_id, email, display_name, password_hash, roles, status)
       VALUES ($1, $2, $3, $4, $5, 'active') RETURNING id`,
      [tenantId, email, `Bench ${roles[0]}`, hash, roles],
    );
  });
  return { id: rows[0].id, email };
}

async function login(tenantId: string, email: string): Promise<Session> {
  const res = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'X-Tenant-ID': tenantId },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  const json = (await res.json()) as { accessToken: string };
  return { tenantId, token: json.accessToken };
}

/** Runs `work(i)` for i < n with `concurrency` workers; per-request latencies in ms. */
async function pool(n: number, concurrency: number, work: (i: number) => Promise<void>) {
  const latencies: number[] = [];
  let next = 0;
  let failed = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        const i = next++;
        const t0 = process.hrtime.bigint();
        try {
          await work(i);
          latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
        } catch (err) {
          failed++;
          if (failed <= 3) log(`  failed: ${(err as Error).message.slice(0, 200)}`);
        }
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return {
    requests: latencies.length,
    failed,
    seconds,
    perSecond: latencies.length / seconds,
    latencyMs: summarize(latencies.sort((a, b) => a - b)),
  };
}

async function main(): Promise<void> {
  const owner = await createDataSource(OWNER_URL, 2).initialize();
  const slug = `bench-billing-${randomUUID().slice(0, 8)}`;
  const { id: tenantId } = await provisionTenant(owner, {
    slug,
    name: `Bench billing ${slug}`,
    status: 'active',
  });
  const hash = await new PasswordHasher().hash(PASSWORD);
  const desk = await user(owner, tenantId, ['receptionist'], hash);
  const admin = await user(owner, tenantId, ['tenant_admin'], hash);
  const doctor = await user(owner, tenantId, ['doctor'], hash);
  const api = await startApi(
    {
      AUTH_KEY_DIR: mkdtempSync(join(tmpdir(), 'bench-billing-keys-')),
      TENANT_WRITES_PER_MINUTE: '0',
      TENANT_SEARCHES_PER_MINUTE: '0',
    },
    PORT,
  );
  try {
    const adminS = await login(tenantId, admin.email);
    const deskS = await login(tenantId, desk.email);
    await call(adminS, 'POST', '/api/v1/billing/price-items', {
      code: 'CONS',
      name: 'Consultation',
      kind: 'consultation',
      pricePaise: 50000,
      gstExempt: true,
      effectiveFrom: '2020-04-01',
    });
    await call(adminS, 'POST', '/api/v1/billing/price-items', {
      code: 'CERT',
      name: 'Certificate',
      kind: 'other',
      pricePaise: 33333,
      gstExempt: false,
      gstRateBp: 1800,
      hsnSac: '999312',
      effectiveFrom: '2020-04-01',
    });

    log(`setup: ${INVOICES} patients, visits and draft bills (consultation + certificate) in ${slug}`);
    const drafts: { id: string; total: number }[] = [];
    await pool(INVOICES, CONCURRENCY, async () => {
      const p = await call(deskS, 'POST', '/api/v1/patients', {
        name: { given: ['Bench'], family: 'Billing' },
        gender: 'other',
        birthDate: '1990-01-01',
        allowDuplicate: true,
      });
      const v = await call(deskS, 'POST', `/api/v1/patients/${p.id}/visits`, {
        attendingDoctorId: doctor.id,
        department: 'General',
        scheduledAt: new Date().toISOString(),
      });
      const d = await call(deskS, 'POST', `/api/v1/visits/${v.id}/bill`);
      const withCert = await call(
        deskS,
        'POST',
        `/api/v1/invoices/${d.id}/lines`,
        { code: 'CERT' },
        { 'If-Match': `"${d.version}"` },
      );
      drafts.push({ id: d.id as string, total: withCert.totalPaise as number });
    });

    const atStart = loadavg()[0];
    log(`scenario finalise: ${drafts.length} drafts, ${CONCURRENCY} concurrent clients, one number series`);
    const finalise = await pool(drafts.length, CONCURRENCY, async (i) => {
      await call(deskS, 'POST', `/api/v1/invoices/${drafts[i].id}/finalise`);
    });
    const seqs: { seq: number }[] = await owner.transaction(async (tx) => {
      await tx.query(`SELECT set_config('app.current_tenant', $1, true)`, [tenantId]);
      return tx.query(`SELECT seq FROM billing.invoices WHERE series = 'INV' ORDER BY seq`);
    });
    const gapless = seqs.every((r, i) => r.seq === i + 1);

    log(`scenario pay: split UPI + card on each invoice, ${CONCURRENCY} concurrent clients, Idempotency-Key`);
    const pay = await pool(drafts.length, CONCURRENCY, async (i) => {
      const half = Math.floor(drafts[i].total / 2);
      await call(
        deskS,
        'POST',
        `/api/v1/invoices/${drafts[i].id}/payments`,
        {
          tenders: [
            { mode: 'upi', amountPaise: half, reference: `UPI-BENCH-${i}` },
            { mode: 'card', amountPaise: drafts[i].total - half, reference: `CARD-${i}-OK` },
          ],
        },
        { 'Idempotency-Key': `bench-pay-${i}` },
      );
    });
    const [{ ledger, paid }] = await owner.transaction(async (tx) => {
      await tx.query(`SELECT set_config('app.current_tenant', $1, true)`, [tenantId]);
      return tx.query(
        `SELECT (SELECT sum(amount_paise) FROM billing.ledger)::bigint::text AS ledger, (SELECT sum(paid_paise) FROM billing.invoices)::bigint::text AS paid`,
      );
    });

    const result = {
      at: new Date().toISOString(),
      invoices: INVOICES,
      concurrency: CONCURRENCY,
      loadAverage1m: { atStart, atEnd: loadavg()[0] },
      finalise: { ...finalise, gapless, numbers: seqs.length },
      pay: { ...pay, ledgerSumPaise: Number(ledger), paidSumPaise: Number(paid) },
    };
    const out = resolve(__dirname, '../../bench/results');
    writeFileSync(join(out, 'billing.json'), JSON.stringify(result, null, 2) + '\n');
    const row = (name: string, r: typeof finalise) =>
      `| ${name} | ${r.requests} | ${r.failed} | ${r.perSecond.toFixed(1)} | ${r.latencyMs.p50.toFixed(1)} | ${r.latencyMs.p95.toFixed(1)} | ${r.latencyMs.p99.toFixed(1)} |`;
    const md = [
      `# Billing throughput (${result.at})`,
      '',
      `${INVOICES} invoices, ${CONCURRENCY} concurrent clients, one clinic (one number series), API child with the default pool, this machine.`,
      '',
      '| scenario | requests | failed | per second | p50 ms | p95 ms | p99 ms |',
      '|---|---|---|---|---|---|---|',
      row('finalise (numbered)', finalise),
      row('pay (UPI + card, idempotent)', pay),
      '',
      `Machine load average (1 min) ${atStart.toFixed(1)} at the start, ${result.loadAverage1m.atEnd.toFixed(1)} at the end (2 cores).`,
      '',
      `Numbers gapless: ${gapless} (${seqs.length} numbers). Ledger sum ${ledger} paise = invoices' paid sum ${paid} paise.`,
      '',
    ].join('\n');
    writeFileSync(join(out, 'billing.md'), md);
    log(md);
  } finally {
    await stopApi(api);
    await owner.destroy();
  }
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
});
