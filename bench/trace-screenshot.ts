/**
 * The screenshot in docs/tracing.md: one registration's trace in Zipkin's UI.
 *
 * Against a running API and worker that export to Zipkin (`npm run stack` sets
 * TRACING_ENDPOINT to its Zipkin): signs in, registers one made-up demo patient
 * with a fresh `traceparent` (so the trace id is known), polls Zipkin's API until
 * the trace holds the worker's "index patient" and the Elasticsearch index call
 * (or TRACE_WAIT_SECONDS pass: then the API's part is shown and the missing spans
 * are named), opens /zipkin/traces/<id> in Debian's chromium through
 * playwright-core and saves a PNG.
 *
 *   node dist/bench/trace-screenshot.js
 *   env: HIMS_API (http://127.0.0.1:3000), HIMS_TENANT, HIMS_EMAIL, HIMS_PASSWORD (as
 *        bench/freshness.ts), ZIPKIN_URL (http://127.0.0.1:59411), TRACE_SCREENSHOT
 *        (docs/images/registration-trace.png), TRACE_WAIT_SECONDS (60), CHROMIUM_PATH
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { chromium } from 'playwright-core';

const ROOT = resolve(__dirname, '../..');
const API = process.env.HIMS_API ?? 'http://127.0.0.1:3000';
const ZIPKIN = (process.env.ZIPKIN_URL ?? 'http://127.0.0.1:59411').replace(/\/$/, '');
const OUT = resolve(ROOT, process.env.TRACE_SCREENSHOT ?? 'docs/images/registration-trace.png');
const WAIT_MS = Number(process.env.TRACE_WAIT_SECONDS ?? 60) * 1000;

interface ZipkinSpan {
  id: string;
  name?: string;
  tags?: Record<string, string>;
}

async function signIn(): Promise<Record<string, string>> {
  const tenant = process.env.HIMS_TENANT;
  const email = process.env.HIMS_EMAIL ?? 'admin@demo-clinic.local';
  const password = process.env.HIMS_PASSWORD ?? process.env.HIMS_DEMO_PASSWORD;
  if (!tenant || !password) {
    throw new Error('set HIMS_TENANT and HIMS_PASSWORD (the demo tenant id and admin password printed by npm run stack)');
  }
  const res = await fetch(`${API}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Tenant-ID': tenant },
    body: JSON.stringify({ email, password }),
  });
  const body = (await res.json()) as { accessToken?: string };
  if (res.status !== 200 || !body.accessToken) throw new Error(`sign-in answered ${res.status}`);
  return { 'X-Tenant-ID': tenant, Authorization: `Bearer ${body.accessToken}`, 'Content-Type': 'application/json' };
}

async function trace(traceId: string): Promise<ZipkinSpan[]> {
  const res = await fetch(`${ZIPKIN}/api/v2/trace/${traceId}`);
  return res.ok ? ((await res.json()) as ZipkinSpan[]) : [];
}

const WANTED: [string, (s: ZipkinSpan) => boolean][] = [
  ['register patient', (s) => s.name === 'register patient'],
  ['outbox write', (s) => s.name === 'outbox write'],
  ['index patient (worker)', (s) => s.name === 'index patient'],
  ['Elasticsearch index call', (s) => s.name === 'index' && s.tags?.['db.system'] === 'elasticsearch'],
];

/** Polls Zipkin until every wanted span is there and a further poll finds no new span, or the deadline passes. */
async function settledTrace(traceId: string): Promise<{ spans: ZipkinSpan[]; missing: string[] }> {
  const deadline = Date.now() + WAIT_MS;
  let previous = -1;
  for (;;) {
    const spans = await trace(traceId);
    const missing = WANTED.filter(([, has]) => !spans.some(has)).map(([what]) => what);
    if ((missing.length === 0 && spans.length === previous) || Date.now() > deadline) return { spans, missing };
    previous = spans.length;
    await new Promise((r) => setTimeout(r, 500)); // poll interval, not a synchronisation
  }
}

async function main(): Promise<void> {
  const headers = await signIn();
  const traceId = randomBytes(16).toString('hex');
  // Demo data: a made-up person.
  const res = await fetch(`${API}/api/v1/patients`, {
    method: 'POST',
    headers: { ...headers, traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` },
    body: JSON.stringify({
      name: { given: ['Demo'], family: 'Tracewell' },
      gender: 'female',
      birthDate: '1990-01-01',
      phones: ['09000012345'],
      allowDuplicate: true,
    }),
  });
  if (res.status !== 201) throw new Error(`registration answered ${res.status}`);
  const { spans, missing } = await settledTrace(traceId);
  if (spans.length === 0) throw new Error(`Zipkin has no trace ${traceId}: is the API's TRACING_ENDPOINT set?`);
  if (missing.length) process.stderr.write(`trace ${traceId} lacks: ${missing.join(', ')} (shown as it is)\n`);

  const executablePath = execFileSync('bash', [resolve(ROOT, 'scripts/ensure-chromium.sh')], {
    encoding: 'utf8',
  }).trim();
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 }, deviceScaleFactor: 1 });
    await page.goto(`${ZIPKIN}/zipkin/traces/${traceId}`, { waitUntil: 'networkidle' });
    await page.getByText('register patient', { exact: false }).first().waitFor({ timeout: 30000 });
    mkdirSync(dirname(OUT), { recursive: true });
    await page.screenshot({ path: OUT, fullPage: true });
  } finally {
    await browser.close();
  }
  process.stdout.write(`trace ${traceId}: ${spans.length} spans; screenshot ${OUT}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`trace screenshot failed: ${(err as Error).message}\n`);
  process.exit(1);
});
