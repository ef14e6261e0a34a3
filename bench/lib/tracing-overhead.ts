import { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApi, stopApi } from './api-process';
import { CpuMeter, CpuUsage } from './cpu';
import { emailOf, tenantId } from './dataset';
import { RequestSpec, ScenarioResult, runPaced, runScenario } from './load';
import { LatencySummary, summarize } from './stats';
import { Tokens, authHeaders, registrationBody } from './workload';

/**
 * What tracing costs on the register scenario (issue 16): the same API build with
 * tracing off, sampled at 100 % and at 10 % (Zipkin exporter, TRACING_SAMPLE_RATIO),
 * plus a second tracing-off process as a control (the difference between two
 * identical processes is the noise floor). The four run side by side as API children
 * and are loaded in turn, round after round: drift from other work on a shared
 * machine hits all alike, and the order rotates per round so none always follows
 * the 100 % one while its spans are still being exported and ingested.
 *
 * Two phases: closed loop (throughput, latency at saturation), then open loop at one
 * fixed rate for all (latency and API CPU per request at equal load: per-request CPU
 * measured at different throughputs is not comparable, as batching changes with load).
 * Needs only PostgreSQL and Zipkin: Kafka and Elasticsearch are off in the children.
 */
export interface TracingOverheadOptions {
  appUrl: string;
  ownerUrl: string;
  platformUrl: string;
  basePort: number;
  connections: number;
  password: string;
  tenants: number;
  rounds: number;
  roundSeconds: number;
  warmupSeconds: number;
  /** Requests/s of the open-loop phase, the same for every configuration. */
  pacedRate: number;
  /** Zipkin's base address, e.g. http://127.0.0.1:59411 */
  zipkin: string;
  /** The bench's API settings (pool, rate limits off, quiet logs). */
  apiEnv: Record<string, string>;
  runTag: string;
  log: (line: string) => void;
}

export interface PhaseResult {
  requests: number;
  seconds: number;
  rps: number;
  /** req/s and p50 (ms) of each round, in round order. */
  roundRps: number[];
  roundP50: number[];
  latencyMs: LatencySummary;
  non2xx: number;
  errors: number;
  /** Mean CPU while this configuration was loaded, in cores; machineBusy 1 = every core busy. */
  cpu: { api: number; postgres: number; java: number; other: number; machineBusy: number };
  apiCpuMsPerRequest: number;
}

export interface TracingConfigResult {
  config: string;
  sampleRatio: number | null;
  serviceName: string | null;
  closed: PhaseResult;
  paced: PhaseResult;
  /** Whether Zipkin lists this configuration's service after the run (spans arrived). */
  reachedZipkin: boolean | null;
}

export interface Overhead {
  config: string;
  /** Closed loop, relative to tracing off, in percent (positive = costlier). */
  throughputLossPct: number;
  /** Median over rounds of the loss against tracing off in the same round. */
  pairedThroughputLossPct: number;
  closedP50Pct: number;
  closedP99Pct: number;
  /** Open loop at the same rate. */
  pacedP50Pct: number;
  pacedP95Pct: number;
  pacedP99Pct: number;
  pacedApiCpuPerRequestPct: number;
}

export interface TracingOverheadResult {
  configs: TracingConfigResult[];
  overhead: Overhead[];
  order: string[][];
  pacedRate: number;
}

const CONFIGS = [
  { key: 'off', config: 'tracing off', ratio: null },
  { key: '100', config: 'sampled 100 %', ratio: 1 },
  { key: '10', config: 'sampled 10 %', ratio: 0.1 },
  { key: 'off2', config: 'tracing off (control)', ratio: null },
] as const;

async function login(base: string, tenant: number, password: string): Promise<string> {
  const res = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Tenant-ID': tenantId(tenant) },
    body: JSON.stringify({ email: emailOf(tenant, 'receptionist'), password }),
  });
  const body = (await res.json()) as { accessToken?: string };
  if (res.status !== 200 || !body.accessToken) throw new Error(`login on ${base} answered ${res.status}`);
  return body.accessToken;
}

async function zipkinServices(zipkin: string): Promise<string[] | null> {
  try {
    const res = await fetch(`${zipkin}/api/v2/services`);
    return res.ok ? ((await res.json()) as string[]) : null;
  } catch {
    return null;
  }
}

const pct = (x: number, base: number) => Math.round(((x - base) / base) * 1000) / 10;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : Math.round(((s[m - 1] + s[m]) / 2) * 10) / 10;
};

const GROUPS = ['api', 'postgres', 'java', 'other', 'machineBusy'] as const;

/** Pools the rounds of one configuration in one phase. */
class PhaseAccumulator {
  samples: number[] = [];
  roundRps: number[] = [];
  roundP50: number[] = [];
  requests = 0;
  seconds = 0;
  non2xx = 0;
  errors = 0;
  coreSeconds = { api: 0, postgres: 0, java: 0, other: 0, machineBusy: 0 };

  add(r: ScenarioResult): void {
    this.requests += r.requests;
    this.seconds += r.durationSeconds;
    this.roundRps.push(r.rps);
    this.roundP50.push(r.latencyMs.p50);
    this.non2xx += r.non2xx;
    this.errors += r.errors + r.timeouts;
    const c = r.cpu as CpuUsage;
    for (const g of GROUPS) this.coreSeconds[g] += c[g] * r.durationSeconds;
  }

  result(): PhaseResult {
    const core = (g: (typeof GROUPS)[number]) => Math.round((this.coreSeconds[g] / this.seconds) * 100) / 100;
    return {
      requests: this.requests,
      seconds: Math.round(this.seconds * 10) / 10,
      rps: Math.round((this.requests / this.seconds) * 10) / 10,
      roundRps: this.roundRps,
      roundP50: this.roundP50,
      latencyMs: summarize(this.samples),
      non2xx: this.non2xx,
      errors: this.errors,
      cpu: { api: core('api'), postgres: core('postgres'), java: core('java'), other: core('other'), machineBusy: core('machineBusy') },
      apiCpuMsPerRequest: Math.round(((this.coreSeconds.api * 1000) / Math.max(1, this.requests)) * 100) / 100,
    };
  }
}

export async function tracingOverhead(o: TracingOverheadOptions): Promise<TracingOverheadResult> {
  if ((await zipkinServices(o.zipkin)) === null) {
    throw new Error(`Zipkin does not answer at ${o.zipkin} (infra/scripts/zipkin.sh start)`);
  }
  const keyDir = mkdtempSync(join(tmpdir(), 'hims-bench-tracing-keys-'));
  const children: ChildProcess[] = [];
  const order: string[][] = [];
  const states = CONFIGS.map((c, k) => ({
    ...c,
    port: o.basePort + k,
    service: c.ratio === null ? null : `hims-bench-api-${c.key}-${o.runTag}`,
    closed: new PhaseAccumulator(),
    paced: new PhaseAccumulator(),
    tokens: undefined as Tokens | undefined,
    child: undefined as ChildProcess | undefined,
  }));
  try {
    // One after another: Node processes booting at once on two shared cores are slow to answer.
    for (const s of states) {
      s.child = await startApi(
        {
          ...o.apiEnv,
          DATABASE_URL: o.appUrl,
          DATABASE_OWNER_URL: o.ownerUrl,
          DATABASE_PLATFORM_URL: o.platformUrl,
          // One key directory for all (created here, not raced by parallel start-ups).
          AUTH_KEY_DIR: keyDir,
          KAFKA_ENABLED: 'false',
          ELASTICSEARCH_ENABLED: 'false',
          DATABASE_APPLICATION_NAME: `hims-bench-tracing-${s.key}`,
          TRACING_ENDPOINT: s.ratio === null ? '' : `${o.zipkin}/api/v2/spans`,
          TRACING_EXPORTER: 'zipkin',
          TRACING_SAMPLE_RATIO: s.ratio === null ? '' : String(s.ratio),
          OTEL_SERVICE_NAME: s.service ?? `hims-bench-api-${s.key}`,
        },
        s.port,
      );
      children.push(s.child);
      const base = `http://127.0.0.1:${s.port}`;
      const byTenant: string[][] = [];
      for (let i = 1; i <= o.tenants; i++) byTenant.push([await login(base, i, o.password)]);
      s.tokens = { byTenant, ids: Array.from({ length: o.tenants }, (_, k) => tenantId(k + 1)) };
      o.log(`  API ${s.config} on port ${s.port} (pid ${s.child.pid})`);
    }

    let scenario = 0;
    const load = async (s: (typeof states)[number], phase: 'closed' | 'paced' | 'warm-up', seconds: number) => {
      const offset = ++scenario * 1_000_000; // run-unique bodies (ABHA addresses derive from the number)
      const next = (seq: number): RequestSpec => ({
        method: 'POST',
        path: '/api/v1/patients',
        headers: authHeaders(s.tokens!, 1 + (seq % o.tenants), seq, true),
        body: JSON.stringify(registrationBody(offset + seq, o.runTag)),
        kind: 'register',
      });
      const acc = phase === 'warm-up' ? undefined : s[phase];
      const common = {
        name: `register, ${s.config}`,
        url: `http://127.0.0.1:${s.port}`,
        connections: o.connections,
        durationSeconds: seconds,
        cpu: new CpuMeter(() => s.child!.pid),
        next,
        onSample: acc ? (ms: number) => acc.samples.push(ms) : undefined,
      };
      const r = phase === 'paced' ? await runPaced({ ...common, rate: o.pacedRate }) : await runScenario(common);
      if (!acc) return;
      acc.add(r);
      o.log(
        `    ${s.config}: ${r.rps} req/s, p50 ${r.latencyMs.p50} ms, p99 ${r.latencyMs.p99} ms, api ${r.cpu?.api} cores`,
      );
    };

    o.log(`warm-up: ${o.warmupSeconds} s each (not counted)`);
    for (const s of states) await load(s, 'warm-up', o.warmupSeconds);
    for (const phase of ['closed', 'paced'] as const) {
      o.log(phase === 'closed' ? 'closed loop' : `open loop at ${o.pacedRate} req/s`);
      for (let round = 0; round < o.rounds; round++) {
        const turn = states.map((_, k) => states[(k + round) % states.length]);
        if (phase === 'closed') order.push(turn.map((s) => s.key));
        o.log(`  round ${round + 1}/${o.rounds}: ${turn.map((s) => s.config).join(', ')}`);
        for (const s of turn) await load(s, phase, o.roundSeconds);
      }
    }
  } finally {
    for (const c of children) await stopApi(c).catch(() => undefined);
    rmSync(keyDir, { recursive: true, force: true });
  }

  const services = await zipkinServices(o.zipkin);
  const configs: TracingConfigResult[] = states.map((s) => ({
    config: s.config,
    sampleRatio: s.ratio,
    serviceName: s.service,
    closed: s.closed.result(),
    paced: s.paced.result(),
    reachedZipkin: s.service === null ? null : !!services?.includes(s.service),
  }));
  const off = configs[0];
  const paired = (x: number[], base: number[]) => median(x.map((v, k) => pct(v, base[k])));
  const overhead = configs.slice(1).map((c) => ({
    config: c.config,
    throughputLossPct: -pct(c.closed.rps, off.closed.rps),
    pairedThroughputLossPct: -paired(c.closed.roundRps, off.closed.roundRps),
    closedP50Pct: pct(c.closed.latencyMs.p50, off.closed.latencyMs.p50),
    closedP99Pct: pct(c.closed.latencyMs.p99, off.closed.latencyMs.p99),
    pacedP50Pct: pct(c.paced.latencyMs.p50, off.paced.latencyMs.p50),
    pacedP95Pct: pct(c.paced.latencyMs.p95, off.paced.latencyMs.p95),
    pacedP99Pct: pct(c.paced.latencyMs.p99, off.paced.latencyMs.p99),
    pacedApiCpuPerRequestPct: pct(c.paced.apiCpuMsPerRequest, off.paced.apiCpuMsPerRequest),
  }));
  return { configs, overhead, order, pacedRate: o.pacedRate };
}

const signed = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x)} %`;

/** The result as two tables (closed loop, open loop), text for stdout or markdown for bench/results/tracing.md. */
export function renderTracing(r: TracingOverheadResult, markdown: boolean): string {
  const vs = (c: TracingConfigResult, f: (o: Overhead) => string) => {
    const o = r.overhead.find((x) => x.config === c.config);
    return o ? f(o) : 'baseline';
  };
  const closedHead = [
    'closed loop',
    'req/s',
    'req/s per round',
    'p50 ms',
    'p95 ms',
    'p99 ms',
    'API CPU ms/req',
    'CPU api / pg / java / other',
    'errors',
    'vs off',
  ];
  const closed = r.configs.map((c) => [
    c.config,
    c.closed.rps,
    `${Math.min(...c.closed.roundRps)}–${Math.max(...c.closed.roundRps)}`,
    c.closed.latencyMs.p50,
    c.closed.latencyMs.p95,
    c.closed.latencyMs.p99,
    c.closed.apiCpuMsPerRequest,
    `${c.closed.cpu.api} / ${c.closed.cpu.postgres} / ${c.closed.cpu.java} / ${c.closed.cpu.other}`,
    c.closed.non2xx + c.closed.errors,
    vs(
      c,
      (o) =>
        `req/s ${signed(-o.throughputLossPct)} (paired median ${signed(-o.pairedThroughputLossPct)}), p50 ${signed(o.closedP50Pct)}, p99 ${signed(o.closedP99Pct)}`,
    ),
  ]);
  const pacedHead = [`open loop at ${r.pacedRate}/s`, 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'API CPU ms/req', 'machine busy', 'errors', 'vs off'];
  const paced = r.configs.map((c) => [
    c.config,
    c.paced.rps,
    c.paced.latencyMs.p50,
    c.paced.latencyMs.p95,
    c.paced.latencyMs.p99,
    c.paced.apiCpuMsPerRequest,
    c.paced.cpu.machineBusy,
    c.paced.non2xx + c.paced.errors,
    vs(
      c,
      (o) =>
        `p50 ${signed(o.pacedP50Pct)}, p95 ${signed(o.pacedP95Pct)}, p99 ${signed(o.pacedP99Pct)}, API CPU/request ${signed(o.pacedApiCpuPerRequestPct)}`,
    ),
  ]);
  const table = (head: string[], rows: (string | number)[][]) =>
    markdown
      ? [`| ${head.join(' | ')} |`, `|---|${head.slice(1).map(() => '--:').join('|')}|`, ...rows.map((x) => `| ${x.join(' | ')} |`)].join('\n')
      : [head, ...rows].map((x) => x.map(String).join('  ')).join('\n');
  return `${table(closedHead, closed)}\n\n${table(pacedHead, paced)}`;
}
