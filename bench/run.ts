/**
 * The benchmark suite (issue 6): `npm run bench` after `npm run stack`.
 *
 * 1. loads the synthetic clinics (bench/lib/dataset.ts) and, when
 *    Elasticsearch lacks them, rebuilds the search index from PostgreSQL;
 * 2. starts its own API child process (quiet logs; its RSS and CPU sampled);
 * 3. runs the HTTP scenarios with autocannon (closed loop), then register and
 *    searches again paced at half of their measured maximum;
 * 4. runs the mixed front-desk load while bench/freshness.ts measures
 *    commit-to-searchable latency;
 * 5. runs pgbench with the endpoints' own SQL (bench/pgbench/*.sql) as the
 *    application role under RLS (the ceiling) and as the superuser (RLS off);
 * 6. profiles the API (node --cpu-prof + a round-trip counter) under the
 *    register and name-search loads;
 * 7. writes bench/results/latest.json and latest.md and prints the table.
 *
 * Knobs (environment): BENCH_PATIENTS (1000000), BENCH_TENANTS (20),
 * BENCH_DURATION seconds per scenario (15), BENCH_CONNECTIONS (32),
 * BENCH_POOL_MAX API pool (10, the API default), BENCH_PG_CLIENTS (= pool),
 * BENCH_FRESHNESS_SAMPLES (30), BENCH_API_PORT (3100), BENCH_REINDEX
 * (auto | always | never), BENCH_PROFILE (1), BENCH_PASSWORD,
 * BENCH_SUPERUSER_URL, DATABASE_URL, ELASTICSEARCH_URL, BENCH_PEER (hapi),
 * BENCH_PEER_ROUNDS (2), BENCH_PEER_BUNDLE (500), BENCH_ONLY (roundtrips |
 * pgbench | tracing), BENCH_TRACING_ROUNDS (4), BENCH_TRACING_SECONDS (4), BENCH_TRACING_RATE (30),
 * BENCH_ZIPKIN_URL. See bench/README.md.
 */
import { ChildProcess, execFile, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { startApi, stopApi } from './lib/api-process';
import { CpuMeter } from './lib/cpu';
import {
  ROLES,
  SamplePatient,
  countBenchPatients,
  emailOf,
  ensureDataset,
  samplePatients,
  tenantId,
} from './lib/dataset';
import { RequestSpec, ScenarioResult, runPaced, runPolite, runScenario } from './lib/load';
import {
  HapiLoadReport,
  hapiCreateSpec,
  hapiNameSearchSpec,
  hapiPid,
  loadHapi,
  startHapi,
  stopHapi,
} from './lib/hapi-peer';
import { machineInfo } from './lib/machine';
import { PgbenchResult, pgbench } from './lib/pgbench';
import { PasswordHasher } from '../libs/auth/src/password-hasher';
import { ProfileSummary, summariseCpuProfile } from './lib/profile';
import { renderMarkdown, renderTable } from './lib/report';
import { RssSampler } from './lib/rss';
import { TargetResult, atLeast, below } from './lib/targets';
import { renderTracing, tracingOverhead } from './lib/tracing-overhead';
import {
  TrackedPatients,
  Tokens,
  authHeaders,
  mix,
  nameQueries,
  patchSpec,
  pgTextArray,
  registrationBody,
} from './lib/workload';

const run = promisify(execFile);
const env = process.env;
const num = (name: string, fallback: number) => {
  const v = Number(env[name] ?? fallback);
  if (!Number.isFinite(v) || v <= 0) throw new Error(`${name} must be a positive number`);
  return v;
};

const APP_URL = env.DATABASE_URL || 'postgres://hims_app:hims_app_dev@127.0.0.1:55432/hims';
function superuserUrl(): string {
  if (env.BENCH_SUPERUSER_URL) return env.BENCH_SUPERUSER_URL;
  const u = new URL(APP_URL);
  u.username = 'postgres';
  u.password = env.PG_SUPERUSER_PASSWORD || 'postgres_dev';
  return u.toString();
}

const cfg = {
  patients: num('BENCH_PATIENTS', 1_000_000),
  tenants: num('BENCH_TENANTS', 20),
  duration: num('BENCH_DURATION', 15),
  connections: num('BENCH_CONNECTIONS', 32),
  poolMax: num('BENCH_POOL_MAX', 10),
  pgClients: num('BENCH_PG_CLIENTS', Number(env.BENCH_POOL_MAX ?? 10)),
  freshnessSamples: num('BENCH_FRESHNESS_SAMPLES', 30),
  port: num('BENCH_API_PORT', 3100),
  reindex: (env.BENCH_REINDEX ?? 'auto') as 'auto' | 'always' | 'never',
  profile: env.BENCH_PROFILE !== '0',
  password: env.BENCH_PASSWORD || 'Bench-clinic-password-1',
  superUrl: superuserUrl(),
  appUrl: APP_URL,
  esUrl: env.ELASTICSEARCH_URL || 'http://127.0.0.1:59200',
  esAlias: env.ELASTICSEARCH_PATIENT_ALIAS || 'patients',
  workerPort: Number(env.WORKER_PORT || 3001),
  /** `hapi`: also measure a HAPI FHIR JPA server (infra/scripts/hapi.sh) on the same jobs. */
  peer: env.BENCH_PEER === 'hapi' ? ('hapi' as const) : null,
  peerRounds: num('BENCH_PEER_ROUNDS', 2),
  peerBundle: num('BENCH_PEER_BUNDLE', 500),
  hapiPort: Number(env.HAPI_PORT || 58090),
};
const API = `http://127.0.0.1:${cfg.port}`;
const ROOT = resolve(__dirname, '../..');
const log = (line: string) => process.stderr.write(`${line}\n`);

// ------------------------------------------------------------------ setup

async function preflight(): Promise<string> {
  try {
    const res = await fetch(`http://127.0.0.1:${cfg.workerPort}/health/ready`);
    if (!res.ok) throw new Error(`answered ${res.status}`);
  } catch (err) {
    throw new Error(
      `the stack is not ready (worker http://127.0.0.1:${cfg.workerPort}/health/ready: ${(err as Error).message}); run npm run stack first`,
      { cause: err },
    );
  }
  const db = new Client({ connectionString: cfg.superUrl });
  await db.connect();
  try {
    return `PostgreSQL ${(await db.query(`SHOW server_version`)).rows[0].server_version}`;
  } finally {
    await db.end();
  }
}

async function esCount(tenants: number): Promise<number> {
  const ids = Array.from({ length: tenants }, (_, k) => tenantId(k + 1));
  const res = await fetch(`${cfg.esUrl}/${cfg.esAlias}/_count`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      query: { bool: { filter: [{ terms: { tenantId: ids } }, { term: { active: true } }] } },
    }),
  });
  if (!res.ok) return 0;
  return ((await res.json()) as { count: number }).count;
}

/** Rebuilds the patient index from PostgreSQL when it lacks the bench tenants' rows. */
async function ensureSearchIndex(dbCount: number): Promise<Record<string, unknown>> {
  const before = await esCount(cfg.tenants);
  const needed = cfg.reindex === 'always' || (cfg.reindex === 'auto' && before < dbCount * 0.99);
  if (!needed) return { reindexed: false, documents: before, databaseRows: dbCount };
  log(`Elasticsearch holds ${before} of ${dbCount} bench patients: pipeline reindex --all`);
  const t0 = performance.now();
  const { stdout } = await run(
    process.execPath,
    [join(ROOT, 'dist/apps/cli/src/main.js'), 'pipeline', 'reindex', '--all'],
    {
      cwd: ROOT,
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  const seconds = Math.round((performance.now() - t0) / 100) / 10;
  log(stdout.trim().split('\n').slice(-1)[0]);
  const after = await esCount(cfg.tenants);
  return {
    reindexed: true,
    seconds,
    documents: after,
    databaseRows: dbCount,
    output: stdout.trim().split('\n').slice(-1)[0],
  };
}

async function login(tenant: number, role: (typeof ROLES)[number]): Promise<string> {
  const res = await fetch(`${API}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Tenant-ID': tenantId(tenant) },
    body: JSON.stringify({ email: emailOf(tenant, role), password: cfg.password }),
  });
  const body = (await res.json()) as { accessToken?: string };
  if (res.status !== 200 || !body.accessToken)
    throw new Error(`login ${emailOf(tenant, role)} answered ${res.status}`);
  return body.accessToken;
}

async function loginAll(roles: readonly (typeof ROLES)[number][]): Promise<Tokens> {
  const byTenant: string[][] = [];
  for (let i = 1; i <= cfg.tenants; i++) byTenant.push(await Promise.all(roles.map((r) => login(i, r))));
  return { byTenant, ids: Array.from({ length: cfg.tenants }, (_, k) => tenantId(k + 1)) };
}

function apiEnv(): Record<string, string> {
  return {
    LOG_LEVEL: 'warn',
    KAFKA_ENABLED: 'true',
    ELASTICSEARCH_ENABLED: 'true',
    DATABASE_POOL_MAX: String(cfg.poolMax),
    DATABASE_APPLICATION_NAME: 'hims-bench-api',
    // Long enough for the whole run (the default 15 min is shorter than a full bench).
    AUTH_ACCESS_TOKEN_TTL_SECONDS: '14400',
    // Throughput scenarios measure the API, not the per-clinic rate limits (transaction
    // slots stay at their default: half the pool per clinic, as in production).
    TENANT_WRITES_PER_MINUTE: '0',
    TENANT_SEARCHES_PER_MINUTE: '0',
  };
}

// ------------------------------------------------------------------ scenarios

interface Ctx {
  tokens: Tokens;
  samples: SamplePatient[];
  terms: string[];
  runTag: string;
  rss: RssSampler;
  cpu: CpuMeter;
}

const tenantFor = (seq: number) => 1 + (seq % cfg.tenants);

function registerSpec(ctx: Ctx, seq: number, onlyTenant?: number): RequestSpec {
  const tenant = onlyTenant ?? tenantFor(seq);
  return {
    method: 'POST',
    path: '/api/v1/patients',
    headers: authHeaders(ctx.tokens, tenant, seq, true),
    body: JSON.stringify(registrationBody(seq, ctx.runTag)),
    kind: 'register',
  };
}

function nameSearchSpec(ctx: Ctx, seq: number, onlyTenant?: number): RequestSpec {
  const q = ctx.terms[mix(seq) % ctx.terms.length];
  return {
    method: 'GET',
    path: `/api/v1/patients?name=${encodeURIComponent(q)}`,
    headers: authHeaders(ctx.tokens, onlyTenant ?? tenantFor(seq), seq),
    kind: 'search-name',
  };
}

function phoneSearchSpec(ctx: Ctx, seq: number): RequestSpec {
  const withPhone = ctx.samples.filter((s) => s.phone);
  const p = withPhone[mix(seq) % withPhone.length];
  return {
    method: 'GET',
    path: `/api/v1/patients?phone=${encodeURIComponent(p.phone!)}`,
    headers: authHeaders(ctx.tokens, p.tenant, seq),
    kind: 'search-phone',
  };
}

function esSearchSpec(ctx: Ctx, seq: number): RequestSpec {
  const q = ctx.terms[mix(seq + 7) % ctx.terms.length];
  return {
    method: 'GET',
    path: `/api/v1/search/patients?q=${encodeURIComponent(q)}`,
    headers: authHeaders(ctx.tokens, tenantFor(seq), seq),
    kind: 'search-es',
  };
}

function getSpec(ctx: Ctx, seq: number): RequestSpec {
  const p = ctx.samples[mix(seq) % ctx.samples.length];
  return {
    method: 'GET',
    path: `/api/v1/patients/${p.id}`,
    headers: authHeaders(ctx.tokens, p.tenant, seq),
    kind: 'get',
  };
}

/** Counts answers of the Elasticsearch endpoint that came from the PostgreSQL fallback. */
class SourceCounter {
  elasticsearch = 0;
  database = 0;
  observe(status: number, body: string, spec: RequestSpec): void {
    if (spec.kind !== 'search-es' || status !== 200) return;
    if (body.includes('"source":"elasticsearch"')) this.elasticsearch++;
    else if (body.includes('"source":"database"')) this.database++;
  }
}

async function closedLoop(
  ctx: Ctx,
  name: string,
  next: (seq: number) => RequestSpec,
  extra: Partial<Parameters<typeof runScenario>[0]> = {},
): Promise<ScenarioResult> {
  log(
    `scenario ${name}: ${extra.connections ?? cfg.connections} connections, ${extra.durationSeconds ?? cfg.duration} s`,
  );
  const r = await runScenario({
    name,
    url: API,
    connections: cfg.connections,
    durationSeconds: cfg.duration,
    next,
    rss: ctx.rss,
    cpu: ctx.cpu,
    ...extra,
  });
  log(
    `  ${r.rps} req/s, p50 ${r.latencyMs.p50} ms, p99 ${r.latencyMs.p99} ms, non-2xx ${r.non2xx}, errors ${r.errors}`,
  );
  return r;
}

async function paced(
  ctx: Ctx,
  name: string,
  rate: number,
  next: (seq: number) => RequestSpec,
): Promise<ScenarioResult> {
  log(`scenario ${name}: paced at ${rate} req/s, ${cfg.duration} s`);
  const r = await runPaced({
    name,
    url: API,
    rate,
    connections: cfg.connections,
    durationSeconds: cfg.duration,
    next,
    rss: ctx.rss,
    cpu: ctx.cpu,
  });
  log(`  ${r.rps} req/s, p50 ${r.latencyMs.p50} ms, p99 ${r.latencyMs.p99} ms, non-2xx ${r.non2xx}`);
  return r;
}

/** Mixed front desk: 70 % searches and reads, 20 % registrations, 10 % If-Match updates, every tenant. */
function mixedNext(ctx: Ctx, tracked: TrackedPatients) {
  return (seq: number): RequestSpec => {
    const r = mix(seq * 31 + 17) % 100;
    if (r < 25) return nameSearchSpec(ctx, seq);
    if (r < 45) return esSearchSpec(ctx, seq);
    if (r < 55) return phoneSearchSpec(ctx, seq);
    if (r < 70) return getSpec(ctx, seq);
    if (r < 90) return registerSpec(ctx, seq + 2_000_000); // own range: ABHA addresses derive from seq
    const p = tracked.take(seq);
    return p ? patchSpec(p, seq, ctx.tokens) : getSpec(ctx, seq);
  };
}

function mixedOnResponse(tracked: TrackedPatients, sources: SourceCounter) {
  return (status: number, body: string, spec: RequestSpec, headers: Record<string, string>) => {
    sources.observe(status, body, spec);
    if (spec.kind !== 'update') return;
    const p = spec.tag as SamplePatient;
    if (status === 200) {
      const v = /"version":(\d+)/.exec(body);
      if (v) p.version = Number(v[1]);
    } else if (status === 412) {
      const etag = /"(\d+)"/.exec(String(headers.etag ?? headers.ETag ?? ''));
      if (etag) p.version = Number(etag[1]);
    }
    tracked.give(p);
  };
}

function freshnessProbe(tokens: Tokens): { done: Promise<Record<string, unknown>>; child: ChildProcess } {
  const child = spawn(process.execPath, [join(__dirname, 'freshness.js'), String(cfg.freshnessSamples)], {
    env: {
      ...process.env,
      HIMS_API: API,
      HIMS_TENANT: tokens.ids[0],
      HIMS_EMAIL: emailOf(1, 'receptionist'),
      HIMS_PASSWORD: cfg.password,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const done = new Promise<Record<string, unknown>>((resolveDone, reject) => {
    child.on('exit', (code) => {
      if (code === 0) resolveDone(JSON.parse(out) as Record<string, unknown>);
      else reject(new Error(`freshness probe exited ${code}: ${err.trim().split('\n').slice(-1)[0]}`));
    });
  });
  return { done, child };
}

// ------------------------------------------------------------------ noisy neighbour

interface NoisyNeighbour {
  /** Clinic A's paced name searches alone, then while clinic B bursts registrations. */
  alone: ScenarioResult;
  /** B with the default limits (rates off in the bench: only the transaction cap, half the pool). */
  during: ScenarioResult;
  burst: ScenarioResult;
  p99Ratio: number;
  throughputRatio: number;
  /** B again, at the share a platform operator set for it (PUT …/tenants/{id}/limits); B honours Retry-After. */
  share: {
    limits: Record<string, number>;
    during: ScenarioResult;
    burst: ScenarioResult;
    admittedRps: number;
    p99Ratio: number;
    throughputRatio: number;
  };
}

/** A platform operator for the bench (created once, like the stack's seed), signed in. */
async function benchOperatorToken(): Promise<string> {
  const email = 'bench-operator@bench.local';
  const db = new Client({ connectionString: cfg.superUrl, application_name: 'hims-bench-loader' });
  await db.connect();
  try {
    const hash = await new PasswordHasher().hash(cfg.password);
    await db.query(
      `INSERT INTO platform.operators (email, display_name, password_hash) VALUES ($1, 'Bench operator', $2)
       ON CONFLICT (lower(email)) DO UPDATE SET password_hash = EXCLUDED.password_hash`,
      [email, hash],
    );
  } finally {
    await db.end();
  }
  const res = await fetch(`${API}/api/v1/platform/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password: cfg.password }),
  });
  if (!res.ok) throw new Error(`bench operator login answered ${res.status}`);
  return ((await res.json()) as { accessToken: string }).accessToken;
}

async function setTenantLimits(token: string, tenant: number, limits: Record<string, number>): Promise<void> {
  const res = await fetch(`${API}/api/v1/platform/tenants/${tenantId(tenant)}/limits`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify(limits),
  });
  if (!res.ok) throw new Error(`setting tenant ${tenant}'s limits answered ${res.status}`);
}

const ratio = (a: number, b: number) => Math.round((a / Math.max(1, b)) * 100) / 100;

/**
 * Clinic A (tenant 1) searches at a steady rate; clinic B (tenant 2) then bursts
 * registrations with 64 connections. A's p99 during the burst over its p99 alone
 * says whether one clinic can starve another (target ≤ 1.2×, A's rate unchanged).
 * Twice: B with the defaults (the bench switches the rate limits off, so only the
 * transaction cap holds B back), then B at the share an operator gives it
 * (BENCH_NEIGHBOUR_B_LIMITS, through the platform API), its clients honouring Retry-After.
 */
async function noisyNeighbour(ctx: Ctx): Promise<NoisyNeighbour> {
  const rate = num('BENCH_NEIGHBOUR_RATE', 20);
  const alone = await paced(ctx, 'neighbour A alone', rate, (seq) => nameSearchSpec(ctx, seq + 3_000_000, 1));
  log(`scenario neighbour B burst: 64 connections, ${cfg.duration} s, while A keeps its pace`);
  const [during, burst] = await Promise.all([
    paced(ctx, 'neighbour A during B burst', rate, (seq) => nameSearchSpec(ctx, seq + 3_500_000, 1)),
    closedLoop(ctx, 'neighbour B burst', (seq) => registerSpec(ctx, seq + 4_000_000, 2), { connections: 64 }),
  ]);
  const p99Ratio = ratio(during.latencyMs.p99, alone.latencyMs.p99);
  const throughputRatio = ratio(during.rps, alone.rps);
  log(
    `  A's p99 ${alone.latencyMs.p99} ms alone, ${during.latencyMs.p99} ms during the burst (${p99Ratio}×); A's rate ${throughputRatio}×; B non-2xx ${burst.non2xx}`,
  );

  const limits = JSON.parse(
    env.BENCH_NEIGHBOUR_B_LIMITS || '{"maxConcurrentTransactions": 2, "writesPerMinute": 1800}',
  ) as Record<string, number>;
  const operator = await benchOperatorToken();
  await setTenantLimits(operator, 2, limits);
  let share: NoisyNeighbour['share'];
  try {
    log(`scenario neighbour B burst at its share ${JSON.stringify(limits)}: 64 connections honouring Retry-After`);
    const [duringShare, burstShare] = await Promise.all([
      paced(ctx, 'neighbour A during B burst (B at its share)', rate, (seq) =>
        nameSearchSpec(ctx, seq + 5_000_000, 1),
      ),
      runPolite({
        name: 'neighbour B burst (at its share)',
        url: API,
        connections: 64,
        durationSeconds: cfg.duration,
        next: (seq) => registerSpec(ctx, seq + 5_500_000, 2),
        rss: ctx.rss,
        cpu: ctx.cpu,
      }),
    ]);
    const s = burstShare.statuses?.[burstShare.name] ?? {};
    const admitted = Object.entries(s).reduce((n, [k, v]) => n + (k.startsWith('2') ? v : 0), 0);
    share = {
      limits,
      during: duringShare,
      burst: burstShare,
      admittedRps: Math.round(admitted / burstShare.durationSeconds),
      p99Ratio: ratio(duringShare.latencyMs.p99, alone.latencyMs.p99),
      throughputRatio: ratio(duringShare.rps, alone.rps),
    };
    log(
      `  A's p99 ${duringShare.latencyMs.p99} ms (${share.p99Ratio}× alone); B admitted ${share.admittedRps}/s, answers ${JSON.stringify(s)}`,
    );
  } finally {
    await setTenantLimits(operator, 2, {});
  }
  return { alone, during, burst, p99Ratio, throughputRatio, share };
}

// ------------------------------------------------------------------ round trips

/**
 * PostgreSQL round trips per request of each endpoint (BEGIN and COMMIT included),
 * counted in a separate API process with the query counter preloaded and no
 * profiler, over BENCH_ROUNDTRIP_REQUESTS sequential requests each.
 */
async function roundTrips(base: Ctx): Promise<Record<string, number | null>> {
  const n = num('BENCH_ROUNDTRIP_REQUESTS', 100);
  const dir = mkdtempSync(join(tmpdir(), 'hims-bench-rt-'));
  const countFile = join(dir, 'queries');
  const child = await startApi({ ...apiEnv(), BENCH_QUERY_COUNT_FILE: countFile }, cfg.port, [
    '-r',
    join(__dirname, 'lib/query-counter.js'),
  ]);
  const out: Record<string, number | null> = {};
  try {
    const ctx: Ctx = { ...base, tokens: await loginAll(ROLES), rss: new RssSampler(child.pid!) };
    const tracked = new TrackedPatients(ctx.samples);
    const endpoints: [string, (seq: number) => RequestSpec][] = [
      ['register', (seq) => registerSpec(ctx, seq + 6_000_000)],
      ['get by id', (seq) => getSpec(ctx, seq)],
      ['update (If-Match)', (seq) => patchSpec(tracked.take(seq)!, seq, ctx.tokens)],
      ['search name (db)', (seq) => nameSearchSpec(ctx, seq)],
      ['search phone (db)', (seq) => phoneSearchSpec(ctx, seq)],
      ['search (elasticsearch)', (seq) => esSearchSpec(ctx, seq)],
    ];
    for (const [name, build] of endpoints) {
      const before = await queryCount(child, countFile);
      let ok = 0;
      for (let seq = 0; seq < n; seq++) {
        const spec = build(seq);
        const res = await fetch(`${API}${spec.path}`, {
          method: spec.method,
          headers: spec.headers,
          body: spec.body,
        });
        const body = await res.text();
        if (res.ok) ok++;
        if (spec.kind === 'update') {
          const p = spec.tag as SamplePatient;
          const v = /"version":(\d+)/.exec(body);
          if (v) p.version = Number(v[1]);
          tracked.give(p);
        }
      }
      const after = await queryCount(child, countFile);
      out[name] =
        before !== null && after !== null && ok === n ? Math.round(((after - before) / n) * 10) / 10 : null;
      log(`  round trips: ${name} ${out[name] ?? '?'} per request (${ok}/${n} ok)`);
    }
  } finally {
    await stopApi(child).catch(() => undefined);
  }
  return out;
}

// ------------------------------------------------------------------ audit sealing delay

/**
 * How long audit rows appended during the mixed load waited for the worker's sealer
 * (sealed_at − occurred_at), read as the superuser once the rows are sealed.
 */
async function auditSealDelay(window: {
  from: Date;
  to: Date;
}): Promise<{ p50: number | null; p99: number | null; rows: number }> {
  const db = new Client({ connectionString: cfg.superUrl });
  await db.connect();
  try {
    const deadline = Date.now() + 60000;
    for (;;) {
      const { rows } = await db.query(
        `SELECT count(*) FILTER (WHERE seq IS NULL)::int AS unsealed, count(*)::int AS n,
                percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM sealed_at - occurred_at) * 1000) AS p50,
                percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM sealed_at - occurred_at) * 1000) AS p99
           FROM audit.audit_log WHERE occurred_at BETWEEN $1 AND $2`,
        [window.from, window.to],
      );
      const r = rows[0];
      if (r.unsealed === 0 || Date.now() > deadline) {
        const round = (x: unknown) => (x === null ? null : Math.round(Number(x)));
        log(
          `audit sealing delay during the mixed load: p50 ${round(r.p50)} ms, p99 ${round(r.p99)} ms over ${r.n} rows (${r.unsealed} unsealed)`,
        );
        return { p50: round(r.p50), p99: round(r.p99), rows: r.n };
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  } finally {
    await db.end();
  }
}

// ------------------------------------------------------------------ pgbench

async function pgbenchSuite(ctx: Ctx): Promise<PgbenchResult[]> {
  const withPhone = ctx.samples.filter((s) => s.phone);
  const vars = {
    ntenants: String(cfg.tenants),
    session: randomUUID(),
    nterms: String(ctx.terms.length),
    terms: pgTextArray(ctx.terms),
    nphones: String(withPhone.length),
    phones: pgTextArray(withPhone.map((s) => s.phone!)),
    result_ids: JSON.stringify(ctx.samples.slice(0, 20).map((s) => s.id)),
  };
  const out: PgbenchResult[] = [];
  const scripts = [
    ['register', 'register.sql'],
    ['search-name', 'search-name.sql'],
    ['search-phone', 'search-phone.sql'],
  ];
  // A-B-B-A per script (RLS on, off, off, on), averaged per role: each run's
  // registrations keep the pipeline (Debezium → worker → Elasticsearch) busy
  // for a while afterwards, which would otherwise penalise whichever role runs second.
  const seconds = Math.max(2, Math.round(cfg.duration / 2));
  for (const [name, file] of scripts) {
    const runs: Record<string, PgbenchResult[]> = { app: [], superuser: [] };
    for (const who of ['app', 'superuser', 'superuser', 'app'] as const) {
      log(`pgbench ${name} as ${who}: ${cfg.pgClients} clients, ${seconds} s`);
      const r = await pgbench({
        name: `${name} (${who === 'app' ? 'RLS on' : 'RLS off'})`,
        script: join(ROOT, 'bench/pgbench', file),
        url: who === 'app' ? cfg.appUrl : cfg.superUrl,
        clients: cfg.pgClients,
        durationSeconds: seconds,
        vars,
      });
      log(`  ${r.tps} tps, ${r.latencyAvgMs} ms avg`);
      runs[who].push(r);
    }
    for (const who of ['app', 'superuser'] as const) {
      const [a, b] = runs[who];
      out.push({
        ...a,
        durationSeconds: a.durationSeconds + b.durationSeconds,
        tps: Math.round((a.tps + b.tps) / 2),
        latencyAvgMs: Math.round(((a.latencyAvgMs + b.latencyAvgMs) / 2) * 100) / 100,
        failed: a.failed + b.failed,
      });
    }
  }
  return out;
}

// ------------------------------------------------------------------ profile

interface ProfileResult {
  scenario: string;
  rps: number;
  requests: number;
  queriesPerRequest: number | null;
  cpu: ProfileSummary;
}

async function queryCount(child: ChildProcess, file: string): Promise<number | null> {
  child.kill('SIGUSR2');
  await new Promise((r) => setTimeout(r, 300));
  try {
    return Number(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

async function profileRuns(base: Ctx): Promise<ProfileResult[]> {
  const results: ProfileResult[] = [];
  for (const [scenario, build] of [
    ['register', registerSpec],
    ['search-name', nameSearchSpec],
  ] as const) {
    const dir = mkdtempSync(join(tmpdir(), 'hims-bench-prof-'));
    const countFile = join(dir, 'queries');
    const child = await startApi({ ...apiEnv(), BENCH_QUERY_COUNT_FILE: countFile }, cfg.port, [
      '--cpu-prof',
      '--cpu-prof-dir',
      dir,
      '-r',
      join(__dirname, 'lib/query-counter.js'),
    ]);
    try {
      const ctx: Ctx = { ...base, tokens: await loginAll(['receptionist']), rss: new RssSampler(child.pid!) };
      const before = await queryCount(child, countFile);
      const from = Number(process.hrtime.bigint() / 1000n);
      const r = await closedLoop(ctx, `${scenario} (profiled)`, (seq) => build(ctx, seq + 5_000_000));
      const to = Number(process.hrtime.bigint() / 1000n);
      const after = await queryCount(child, countFile);
      await stopApi(child);
      const prof = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
      if (!prof) throw new Error('no .cpuprofile written');
      const cpu = summariseCpuProfile(join(dir, prof), 20, { from, to });
      const qpr =
        before !== null && after !== null && r.requests > 0
          ? Math.round(((after - before) / r.requests) * 10) / 10
          : null;
      log(
        `  profile: ${qpr ?? '?'} queries/request; busy ${cpu.busyPercent} %; top ${cpu.byArea
          .slice(0, 4)
          .map((a) => `${a.area} ${a.percent}%`)
          .join(', ')}`,
      );
      results.push({ scenario, rps: r.rps, requests: r.requests, queriesPerRequest: qpr, cpu });
    } finally {
      await stopApi(child).catch(() => undefined);
    }
  }
  return results;
}

// ------------------------------------------------------------------ main

// ------------------------------------------------------------------ peer (BENCH_PEER=hapi)

interface PeerComparison {
  job: string;
  api: { rps: number; p50: number; p99: number };
  peer: { rps: number; p50: number; p99: number };
  /** API req/s ÷ peer req/s (above 1: the API is faster). */
  rpsRatio: number;
}

interface PeerResult {
  name: 'hapi';
  url: string;
  load: HapiLoadReport;
  rounds: number;
  runs: ScenarioResult[];
  comparison: PeerComparison[];
}

const HAPI_BASE = () => `http://127.0.0.1:${cfg.hapiPort}`;
/** The peer's own database on the same cluster, as the superuser. */
const hapiDatabaseUrl = () => {
  const u = new URL(cfg.superUrl);
  u.pathname = '/hapi';
  return u.toString();
};

/** Starts HAPI and tops it up to the same number of patients (before the API child runs, so loading is not measured against it). */
async function preparePeer(patients: number): Promise<HapiLoadReport> {
  log(`peer: starting HAPI FHIR (infra/scripts/hapi.sh; the first start builds it with maven)`);
  await startHapi(ROOT);
  log(`peer: loading ${patients} patients into HAPI, ${cfg.peerBundle} per transaction Bundle`);
  const load = await loadHapi(
    `${HAPI_BASE()}/fhir`,
    cfg.superUrl,
    cfg.tenants,
    patients,
    cfg.peerBundle,
    log,
  );
  log(`  hapi: ${load.patientsTotal} patients (${load.loaded} loaded now) in ${load.loadSeconds} s`);
  if (load.loaded > 0) {
    // Otherwise autovacuum works through the peer's freshly loaded tables (8M index rows at
    // 1M patients) during the first API scenarios, on the same two cores.
    log('  peer: VACUUM (ANALYZE) of its database before anything is measured');
    const db = new Client({ connectionString: hapiDatabaseUrl(), application_name: 'hims-bench-loader' });
    await db.connect();
    try {
      await db.query('VACUUM (ANALYZE)');
    } finally {
      await db.end();
    }
  }
  return load;
}

/**
 * The two jobs, API and HAPI alternately (API create, HAPI create, API search,
 * HAPI search; BENCH_PEER_ROUNDS times) so load-generator and machine noise hits
 * both. Each side's figures are pooled over its rounds: req/s = requests ÷
 * seconds, p50/p99 = mean of the rounds'.
 */
async function peerRuns(ctx: Ctx, load: HapiLoadReport): Promise<PeerResult> {
  const pid = await hapiPid(ROOT);
  const hapiCtx = { rss: new RssSampler(pid), cpu: new CpuMeter(() => pid) };
  const runs: ScenarioResult[] = [];
  const jobs = [
    {
      job: 'create patient',
      api: (seq: number) => registerSpec(ctx, seq + 20_000_000),
      peer: (seq: number) => hapiCreateSpec(seq + 20_000_000, ctx.runTag),
    },
    {
      job: 'search name (20 results)',
      api: (seq: number) => nameSearchSpec(ctx, seq),
      peer: (seq: number) => hapiNameSearchSpec(ctx.terms, seq),
    },
  ];
  const comparison: PeerComparison[] = [];
  const apiRuns: Record<string, ScenarioResult[]> = {};
  const peerRunsByJob: Record<string, ScenarioResult[]> = {};
  for (let round = 1; round <= cfg.peerRounds; round++) {
    for (const j of jobs) {
      const offset = round * 1_000_000;
      const a = await closedLoop(ctx, `${j.job}: API (round ${round})`, (seq) => j.api(seq + offset));
      const h = await closedLoop(ctx, `${j.job}: HAPI (round ${round})`, (seq) => j.peer(seq + offset), {
        url: HAPI_BASE(),
        ...hapiCtx,
      });
      runs.push(a, h);
      (apiRuns[j.job] ??= []).push(a);
      (peerRunsByJob[j.job] ??= []).push(h);
    }
  }
  const pooled = (rs: ScenarioResult[]) => {
    const seconds = rs.reduce((t, r) => t + r.durationSeconds, 0);
    const mean = (f: (r: ScenarioResult) => number) =>
      Math.round((rs.reduce((t, r) => t + f(r), 0) / rs.length) * 10) / 10;
    return {
      rps: Math.round((rs.reduce((t, r) => t + r.requests, 0) / seconds) * 10) / 10,
      p50: mean((r) => r.latencyMs.p50),
      p99: mean((r) => r.latencyMs.p99),
    };
  };
  for (const j of jobs) {
    const api = pooled(apiRuns[j.job]);
    const peer = pooled(peerRunsByJob[j.job]);
    comparison.push({
      job: j.job,
      api,
      peer,
      rpsRatio: Math.round((api.rps / Math.max(peer.rps, 0.1)) * 100) / 100,
    });
  }
  return { name: 'hapi', url: `${HAPI_BASE()}/fhir`, load, rounds: cfg.peerRounds, runs, comparison };
}

function peerMarkdown(p: PeerResult): string[] {
  return [
    '',
    `## Peer: HAPI FHIR JPA server (${p.url}, same box and PostgreSQL cluster, database \`hapi\`)`,
    '',
    `Loaded ${p.load.patientsTotal} patients (${p.load.loaded} now, ${p.load.bundleSize} per transaction Bundle) in ${p.load.loadSeconds} s` +
      (p.load.patientsPerSecond ? ` (${p.load.patientsPerSecond} patients/s).` : '.'),
    `API and HAPI alternate, ${p.rounds} rounds per job; req/s pooled over the rounds, p50/p99 their mean.`,
    "HAPI holds every bench patient in one server; the API searches one clinic's share (row-level security).",
    '',
    '| job | API req/s | API p50 ms | API p99 ms | HAPI req/s | HAPI p50 ms | HAPI p99 ms | API / HAPI req/s |',
    '|---|--:|--:|--:|--:|--:|--:|--:|',
    ...p.comparison.map(
      (c) =>
        `| ${c.job} | ${c.api.rps} | ${c.api.p50} | ${c.api.p99} | ${c.peer.rps} | ${c.peer.p50} | ${c.peer.p99} | ${c.rpsRatio} |`,
    ),
  ];
}

// ------------------------------------------------------------------ tracing overhead

/** The database URL of another role on the same database as DATABASE_URL (the children must not mix databases). */
function roleUrl(user: string, password: string): string {
  const u = new URL(cfg.appUrl);
  u.username = user;
  u.password = password;
  return u.toString();
}

/**
 * BENCH_ONLY=tracing: tracing off vs sampled 100 % vs 10 % on the register scenario
 * (bench/lib/tracing-overhead.ts). Needs only PostgreSQL (migrated) and Zipkin; a small
 * dataset (BENCH_PATIENTS, default 20,000 here) is enough for the duplicate check.
 */
async function tracingOnly(): Promise<void> {
  const db = new Client({ connectionString: cfg.superUrl });
  await db.connect();
  let pgVersion: string;
  try {
    pgVersion = `PostgreSQL ${(await db.query(`SHOW server_version`)).rows[0].server_version}`;
    const migrated = (await db.query(`SELECT to_regclass('clinical.patients') AS t`)).rows[0].t;
    if (!migrated) throw new Error(`${new URL(cfg.superUrl).pathname.slice(1)} is not migrated (node dist/apps/cli/src/main.js migrate up)`);
  } finally {
    await db.end();
  }
  const machine = await machineInfo(undefined, pgVersion);
  const patients = env.BENCH_PATIENTS ? cfg.patients : 20_000;
  log(`dataset: ${patients} patients over ${cfg.tenants} tenants`);
  const dataset = await ensureDataset(cfg.superUrl, {
    tenants: cfg.tenants,
    patients,
    password: cfg.password,
    log,
  });
  const rounds = num('BENCH_TRACING_ROUNDS', 4);
  const roundSeconds = num('BENCH_TRACING_SECONDS', 4);
  const zipkin = (env.BENCH_ZIPKIN_URL || `http://127.0.0.1:${env.ZIPKIN_PORT || 59411}`).replace(/\/$/, '');
  const pacedRate = num('BENCH_TRACING_RATE', 30);
  log(
    `tracing overhead: register, 4 API processes (off, 100 %, 10 %, off again), ${rounds} rounds × ${roundSeconds} s closed loop (${cfg.connections} connections), then at ${pacedRate} req/s`,
  );
  const result = await tracingOverhead({
    appUrl: cfg.appUrl,
    ownerUrl: env.DATABASE_OWNER_URL || roleUrl('hims_owner', env.HIMS_OWNER_PASSWORD || 'hims_owner_dev'),
    platformUrl: env.DATABASE_PLATFORM_URL || roleUrl('hims_platform', env.HIMS_PLATFORM_PASSWORD || 'hims_platform_dev'),
    basePort: cfg.port,
    connections: cfg.connections,
    password: cfg.password,
    tenants: cfg.tenants,
    rounds,
    roundSeconds,
    warmupSeconds: Math.min(2, roundSeconds),
    pacedRate,
    zipkin,
    apiEnv: apiEnv(),
    runTag: Date.now().toString(36).slice(-6),
    log,
  });
  const machineLine = `${machine.cores} cores (${machine.cpuModel}), ${machine.memoryGiB} GiB RAM, Node ${machine.node}, ${machine.postgres}, ${machine.date.slice(0, 10)}`;
  const config = {
    patients: dataset.patientsTotal,
    tenants: cfg.tenants,
    rounds,
    roundSeconds,
    pacedRate,
    connections: cfg.connections,
    apiPoolMax: cfg.poolMax,
    exporter: `zipkin ${zipkin}/api/v2/spans`,
  };
  const dir = join(ROOT, 'bench/results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'tracing.json'), `${JSON.stringify({ machine, config, ...result }, null, 2)}\n`);
  writeFileSync(
    join(dir, 'tracing.md'),
    [
      '# Tracing overhead (register, BENCH_ONLY=tracing)',
      '',
      `Machine: ${machineLine}. Config: ${JSON.stringify(config)}.`,
      `Rounds (order rotates): ${result.order.map((o) => o.join(',')).join(' / ')}.`,
      '',
      renderTracing(result, true),
      '',
    ].join('\n'),
  );
  process.stdout.write(
    [
      '',
      `machine: ${machineLine}`,
      `data: ${dataset.patientsTotal} patients over ${cfg.tenants} tenants; per phase ${rounds} rounds of ${roundSeconds} s per configuration`,
      '',
      renderTracing(result, false),
      '',
      `spans reached Zipkin: ${result.configs.filter((c) => c.serviceName).map((c) => `${c.config} ${c.reachedZipkin ? 'yes' : 'NO'}`).join(', ')}`,
      'written: bench/results/tracing.json, bench/results/tracing.md',
      '',
    ].join('\n'),
  );
}

async function main(): Promise<void> {
  if (env.BENCH_ONLY === 'tracing') return tracingOnly();
  const pgVersion = await preflight();
  const machine = await machineInfo(cfg.esUrl, pgVersion);
  log(
    `machine: ${machine.cores} cores (${machine.cpuModel}), ${machine.memoryGiB} GiB, node ${machine.node}, ${machine.postgres}, Elasticsearch ${machine.elasticsearch}`,
  );

  log(`dataset: ${cfg.patients} patients over ${cfg.tenants} tenants`);
  const dataset = await ensureDataset(cfg.superUrl, {
    tenants: cfg.tenants,
    patients: cfg.patients,
    password: cfg.password,
    log,
  });
  log(`  ${dataset.patientsTotal} patients (${dataset.loaded} loaded now) in ${dataset.loadSeconds} s`);
  const search = await ensureSearchIndex(await countBenchPatients(cfg.superUrl, cfg.tenants));
  const samples = await samplePatients(cfg.superUrl, cfg.tenants, 150);
  const terms = nameQueries(samples);
  const runTag = Date.now().toString(36).slice(-6);
  if (env.BENCH_ONLY === 'pgbench') {
    // The database's ceilings for the endpoints' own SQL alone (bench/pgbench/*.sql).
    const ceilings = await pgbenchSuite({ tokens: {} as Tokens, samples, terms, runTag, rss: null!, cpu: null! });
    log(`pgbench: ${JSON.stringify(ceilings.map((c) => ({ name: c.name, tps: c.tps, avgMs: c.latencyAvgMs })))}`);
    return;
  }
  if (env.BENCH_ONLY === 'roundtrips') {
    // Counts, not timings: the same on a busy machine as on a quiet one.
    const trips = await roundTrips({ tokens: {} as Tokens, samples, terms, runTag, rss: null!, cpu: null! });
    log(`round trips per request: ${JSON.stringify(trips)}`);
    return;
  }
  const peerLoad = cfg.peer ? await preparePeer(dataset.patientsTotal) : null;
  let peer: PeerResult | null = null;

  const child = await startApi(apiEnv(), cfg.port);
  const scenarios: ScenarioResult[] = [];
  let freshness: Record<string, unknown> | { error: string };
  let neighbour!: NoisyNeighbour;
  const mixedWindow = { from: new Date(), to: new Date() };
  const sources: Record<string, { elasticsearch: number; database: number }> = {};
  let ctx!: Ctx;
  try {
    const rss = new RssSampler(child.pid!);
    const cpu = new CpuMeter(() => child.pid);
    log('signing in every bench user');
    ctx = { tokens: await loginAll(ROLES), samples, terms, runTag, rss, cpu };

    scenarios.push(
      await closedLoop(ctx, 'login', (seq) => {
        const tenant = tenantFor(seq);
        const role = ROLES[Math.floor(seq / cfg.tenants) % ROLES.length];
        return {
          method: 'POST',
          path: '/api/v1/auth/login',
          headers: { 'Content-Type': 'application/json', 'X-Tenant-ID': tenantId(tenant) },
          body: JSON.stringify({ email: emailOf(tenant, role), password: cfg.password }),
          kind: 'login',
        };
      }),
    );
    const c = ctx;
    const register = await closedLoop(c, 'register', (seq) => registerSpec(c, seq));
    scenarios.push(register);
    scenarios.push(
      await closedLoop(c, 'register (one tenant)', (seq) => registerSpec(c, seq + 7_000_000, 1)),
    );
    scenarios.push(await closedLoop(c, 'get by id', (seq) => getSpec(c, seq)));
    const byName = await closedLoop(c, 'search name (db)', (seq) => nameSearchSpec(c, seq));
    scenarios.push(byName);
    const byPhone = await closedLoop(c, 'search phone (db)', (seq) => phoneSearchSpec(c, seq));
    scenarios.push(byPhone);
    const esSources = new SourceCounter();
    const es = await closedLoop(c, 'search (elasticsearch)', (seq) => esSearchSpec(c, seq), {
      onResponse: (status, body, spec) => esSources.observe(status, body, spec),
    });
    es.notes = [
      `answered by elasticsearch ${esSources.elasticsearch}, by the database fallback ${esSources.database}`,
    ];
    sources.es = { ...esSources };
    scenarios.push(es);

    const half = (r: ScenarioResult) => Math.max(1, Math.round(r.rps / 2));
    scenarios.push(await paced(c, 'register', half(register), (seq) => registerSpec(c, seq + 1_000_000)));
    scenarios.push(
      await paced(c, 'search name (db)', half(byName), (seq) => nameSearchSpec(c, seq + 1_000_000)),
    );
    scenarios.push(
      await paced(c, 'search (elasticsearch)', half(es), (seq) => esSearchSpec(c, seq + 1_000_000)),
    );

    const tracked = new TrackedPatients(samples);
    const mixedSources = new SourceCounter();
    log(`freshness probe: ${cfg.freshnessSamples} samples while the mixed load runs`);
    const probe = freshnessProbe(c.tokens);
    const settled = probe.done.then(
      (r) => r,
      (e: Error) => ({ error: e.message }),
    );
    mixedWindow.from = new Date();
    const mixed = await closedLoop(c, 'mixed front desk', mixedNext(c, tracked), {
      durationSeconds: Math.max(cfg.duration * 8, 120),
      until: settled,
      onResponse: mixedOnResponse(tracked, mixedSources),
    });
    mixed.notes = [
      `elasticsearch endpoint answered by elasticsearch ${mixedSources.elasticsearch}, by the database fallback ${mixedSources.database}`,
      'runs until the freshness probe has its samples (or 8 × BENCH_DURATION, at least 120 s)',
    ];
    mixedWindow.to = new Date();
    sources.mixed = { ...mixedSources };
    scenarios.push(mixed);
    if (probe.child.exitCode === null) probe.child.kill('SIGTERM');
    freshness = await settled;
    if (probe.child.exitCode === null)
      freshness = { error: 'probe did not finish within the mixed scenario' };
    neighbour = await noisyNeighbour(c);
    scenarios.push(
      neighbour.alone,
      neighbour.during,
      neighbour.burst,
      neighbour.share.during,
      neighbour.share.burst,
    );
    if (peerLoad) peer = await peerRuns(c, peerLoad);
  } finally {
    await stopApi(child);
    if (cfg.peer) await stopHapi(ROOT);
  }
  const trips = await roundTrips(ctx);
  const sealDelay = await auditSealDelay(mixedWindow);

  const ceilings = await pgbenchSuite(ctx);
  const profiles = cfg.profile ? await profileRuns(ctx) : [];

  // ---------------------------------------------------------- targets
  const find = (name: string, paced = false) =>
    scenarios.find((s) => s.name === name && !!s.targetRps === paced)!;
  const tps = (name: string) => ceilings.find((c) => c.name === name)!.tps;
  // Issue 14's targets (issue 6's were lower for throughput, wider for latency).
  const targets: TargetResult[] = [
    atLeast('pgbench ceiling: register SQL (RLS on)', tps('register (RLS on)'), 1000, 'tps'),
    atLeast('pgbench ceiling: name search SQL (RLS on)', tps('search-name (RLS on)'), 1500, 'tps'),
    atLeast('register, API, all tenants', find('register').rps, 500, 'req/s'),
    atLeast('register, API, one tenant', find('register (one tenant)').rps, 500, 'req/s'),
    atLeast('get by id (audited), API', find('get by id').rps, 1200, 'req/s'),
    atLeast('name search (database), API', find('search name (db)').rps, 600, 'req/s'),
    atLeast('search (Elasticsearch), API', find('search (elasticsearch)').rps, 500, 'req/s'),
    below('p99 at half max: register', find('register', true).latencyMs.p99, 50, 'ms'),
    below('p99 at half max: search name (database)', find('search name (db)', true).latencyMs.p99, 50, 'ms'),
    below(
      'p99 at half max: search (Elasticsearch)',
      find('search (elasticsearch)', true).latencyMs.p99,
      50,
      'ms',
    ),
    atLeast('API vs pgbench: register', (find('register').rps / tps('register (RLS on)')) * 100, 60, '%'),
    atLeast(
      'API vs pgbench: search name',
      (find('search name (db)').rps / tps('search-name (RLS on)')) * 100,
      60,
      '%',
    ),
    atLeast(
      'API vs pgbench: search phone',
      (find('search phone (db)').rps / tps('search-phone (RLS on)')) * 100,
      60,
      '%',
    ),
    below("clinic A's p99 during clinic B's burst / alone (B unlimited)", neighbour.p99Ratio, 1.2, '×'),
    atLeast(
      "clinic A's throughput during clinic B's burst / alone (B unlimited)",
      neighbour.throughputRatio * 100,
      95,
      '%',
    ),
    below("clinic A's p99 during clinic B's burst / alone (B at its share)", neighbour.share.p99Ratio, 1.2, '×'),
    atLeast(
      "clinic A's throughput during clinic B's burst / alone (B at its share)",
      neighbour.share.throughputRatio * 100,
      95,
      '%',
    ),
  ];
  for (const [endpoint, goal] of [
    ['get by id', 4],
    ['search name (db)', 4],
    ['search phone (db)', 4],
    ['search (elasticsearch)', 4],
    ['register', 5],
  ] as const) {
    const measured = trips[endpoint];
    targets.push(
      measured === null || measured === undefined
        ? {
            target: `round trips per request: ${endpoint}`,
            goal: `≤ ${goal}`,
            measured: 'not measured',
            met: false,
          }
        : { ...below(`round trips per request: ${endpoint}`, measured, goal + 0.5, ''), goal: `≤ ${goal}` },
    );
  }
  targets.push(
    sealDelay.p99 === null
      ? {
          target: 'audit sealing delay p99 (under mixed load)',
          goal: '< 2000 ms',
          measured: 'not measured',
          met: false,
        }
      : below('audit sealing delay p99 (under mixed load)', sealDelay.p99, 2000, 'ms'),
  );
  const fp95 = (freshness as { latencyMs?: { p95: number } }).latencyMs?.p95;
  targets.push(
    fp95 !== undefined
      ? below('commit-to-searchable p95 (under mixed load)', fp95, 1500, 'ms')
      : { target: 'commit-to-searchable p95', goal: '< 1500 ms', measured: 'not measured', met: false },
  );
  for (const s of ['register', 'search-name', 'search-phone']) {
    const on = tps(`${s} (RLS on)`);
    const off = tps(`${s} (RLS off)`);
    const t = below(`RLS cost: ${s} (1 − tps RLS on / RLS off)`, (1 - on / off) * 100, 10, '%');
    if (on > off * 1.1)
      t.note = 'inconclusive: the RLS-off run was slower than the RLS-on run (noise larger than the effect)';
    targets.push(t);
  }
  const peakRss = Math.max(...scenarios.map((s) => s.peakRssMb ?? 0));
  targets.push(below('API peak resident memory', peakRss, 250, 'MB'));

  // ---------------------------------------------------------- output
  const rls = ['register', 'search-name', 'search-phone'].map((s) => ({
    script: s,
    tpsRlsOn: tps(`${s} (RLS on)`),
    tpsRlsOff: tps(`${s} (RLS off)`),
    ratio: Math.round((tps(`${s} (RLS on)`) / tps(`${s} (RLS off)`)) * 1000) / 1000,
  }));
  const ceiling = [
    ['register', 'register', 'register (RLS on)'],
    ['search name (db)', 'search name (db)', 'search-name (RLS on)'],
    ['search phone (db)', 'search phone (db)', 'search-phone (RLS on)'],
  ].map(([label, scen, pg]) => ({
    endpoint: label,
    apiRps: find(scen).rps,
    pgbenchTps: tps(pg),
    fraction: Math.round((find(scen).rps / tps(pg)) * 1000) / 1000,
  }));
  const result = {
    machine,
    config: {
      patients: cfg.patients,
      tenants: cfg.tenants,
      durationSeconds: cfg.duration,
      connections: cfg.connections,
      apiPoolMax: cfg.poolMax,
      pgbenchClients: cfg.pgClients,
      pgbenchMode: 'extended (unnamed statements, planned per execution, like node-postgres)',
      freshnessSamples: cfg.freshnessSamples,
    },
    dataset: { ...dataset, tenants: dataset.tenants.length, search },
    scenarios,
    freshness,
    searchSources: sources,
    noisyNeighbour: {
      p99Ratio: neighbour.p99Ratio,
      throughputRatio: neighbour.throughputRatio,
      share: {
        limits: neighbour.share.limits,
        p99Ratio: neighbour.share.p99Ratio,
        throughputRatio: neighbour.share.throughputRatio,
        admittedRps: neighbour.share.admittedRps,
      },
    },
    roundTrips: trips,
    auditSealDelayMs: sealDelay,
    pgbench: ceilings,
    rlsCost: rls,
    ceiling,
    targets,
    profiles,
    peer,
  };
  const machineLine = `${machine.cores} cores (${machine.cpuModel}), ${machine.memoryGiB} GiB RAM, Node ${machine.node}, ${machine.postgres}, Elasticsearch ${machine.elasticsearch}, ${machine.date.slice(0, 10)}`;
  const dir = join(ROOT, 'bench/results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'latest.json'), `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(join(dir, 'latest.md'), markdown(result, machineLine));

  const f = freshness as { latencyMs?: { p50: number; p95: number; p99: number; count: number } };
  process.stdout.write(
    [
      '',
      `machine: ${machineLine}`,
      `data: ${dataset.patientsTotal} patients over ${dataset.tenants.length} tenants`,
      '',
      renderTable(scenarios, ceilings),
      '',
      f.latencyMs
        ? `freshness (commit → searchable, under mixed load): p50 ${f.latencyMs.p50.toFixed(0)} ms, p95 ${f.latencyMs.p95.toFixed(0)} ms, p99 ${f.latencyMs.p99.toFixed(0)} ms (n=${f.latencyMs.count})`
        : `freshness: ${JSON.stringify(freshness)}`,
      `RLS on/off tps ratio: ${rls.map((r) => `${r.script} ${r.ratio}`).join(', ')}`,
      `API / pgbench ceiling: ${ceiling.map((c) => `${c.endpoint} ${Math.round(c.fraction * 100)} %`).join(', ')}`,
      ...(peer
        ? peer.comparison.map(
            (x) =>
              `API vs HAPI, ${x.job}: ${x.api.rps} vs ${x.peer.rps} req/s (×${x.rpsRatio}), p50 ${x.api.p50} vs ${x.peer.p50} ms, p99 ${x.api.p99} vs ${x.peer.p99} ms`,
          )
        : []),
      '',
      ...targets.map(
        (t) =>
          `${t.met ? 'met   ' : 'MISSED'} ${t.target}: ${t.measured} (goal ${t.goal})${t.missedBy ? `, off by ${t.missedBy}` : ''}${t.note ? ` (${t.note})` : ''}`,
      ),
      '',
      `written: bench/results/latest.json, bench/results/latest.md`,
      '',
    ].join('\n'),
  );
}

type Result = {
  scenarios: ScenarioResult[];
  pgbench: PgbenchResult[];
  freshness: Record<string, unknown>;
  targets: TargetResult[];
  profiles: ProfileResult[];
  rlsCost: { script: string; tpsRlsOn: number; tpsRlsOff: number; ratio: number }[];
  ceiling: { endpoint: string; apiRps: number; pgbenchTps: number; fraction: number }[];
  dataset: { patientsTotal: number; tenants: number; search: Record<string, unknown> };
  config: Record<string, unknown>;
  peer: PeerResult | null;
};

function markdown(r: Result, machineLine: string): string {
  const f = r.freshness as {
    latencyMs?: { p50: number; p95: number; p99: number; count: number };
    error?: string;
  };
  const lines = [
    '# Benchmark results (latest run)',
    '',
    `Machine: ${machineLine}.`,
    `Data: ${r.dataset.patientsTotal} patients over ${r.dataset.tenants} tenants. Config: ${JSON.stringify(r.config)}.`,
    '',
    renderMarkdown(r.scenarios, r.pgbench),
    '',
    ...r.scenarios.filter((s) => s.notes?.length).map((s) => `- ${s.name}: ${s.notes!.join('; ')}`),
    '',
    '## Freshness (commit → searchable in Elasticsearch, under the mixed load)',
    '',
    f.latencyMs
      ? `p50 ${f.latencyMs.p50.toFixed(0)} ms, p95 ${f.latencyMs.p95.toFixed(0)} ms, p99 ${f.latencyMs.p99.toFixed(0)} ms (${f.latencyMs.count} samples)`
      : `not measured: ${f.error ?? 'unknown'}`,
    '',
    '## RLS cost and the database ceiling',
    '',
    '| script | tps RLS on (hims_app) | tps RLS off (superuser) | on/off |',
    '|---|--:|--:|--:|',
    ...r.rlsCost.map((x) => `| ${x.script} | ${x.tpsRlsOn} | ${x.tpsRlsOff} | ${x.ratio} |`),
    '',
    '| endpoint | API req/s | pgbench tps (same SQL, RLS on) | API / pgbench |',
    '|---|--:|--:|--:|',
    ...r.ceiling.map(
      (x) => `| ${x.endpoint} | ${x.apiRps} | ${x.pgbenchTps} | ${Math.round(x.fraction * 100)} % |`,
    ),
    '',
    '## Targets (reported, not asserted)',
    '',
    '| target | goal | measured | met | missed by |',
    '|---|---|---|---|---|',
    ...r.targets.map(
      (t) =>
        `| ${t.target} | ${t.goal} | ${t.measured} | ${t.met ? 'yes' : '**no**'} | ${t.missedBy ?? t.note ?? ''} |`,
    ),
    ...(r.peer ? peerMarkdown(r.peer) : []),
  ];
  if (r.profiles.length) {
    lines.push('', '## Where the API time goes (node --cpu-prof, one run per scenario)', '');
    for (const p of r.profiles) {
      lines.push(
        `### ${p.scenario}: ${p.rps} req/s profiled, ${p.queriesPerRequest ?? '?'} PostgreSQL round trips per request, main thread busy ${p.cpu.busyPercent} % of ${p.cpu.totalMs} ms sampled${p.cpu.windowed ? ' (load window only)' : ' (whole process, start-up included)'}`,
        '',
        `By area (self time, share of busy): ${p.cpu.byArea.map((a) => `${a.area} ${a.percent} %`).join(', ')}.`,
        '',
        '| function | where | self % |',
        '|---|---|--:|',
        ...p.cpu.topFunctions.map((t) => `| \`${t.fn}\` | ${t.where} | ${t.percent} |`),
        '',
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
