/**
 * Needs: the pipeline tier's servers (test/support/stack.ts: PostgreSQL, Kafka,
 * Connect + Debezium, Elasticsearch, Zipkin) and a built API and worker
 * (`npm run build`; npm test does it). The API and the worker run as real
 * processes from dist/, because OpenTelemetry's instrumentation patches pg,
 * express and kafkajs as Node loads them (Jest's module loader bypasses that).
 *
 * One registration is followed through Zipkin's API: the API request, its
 * PostgreSQL statements and the outbox write, then (through Debezium and Kafka)
 * the worker's consume, "index patient" and the Elasticsearch index call, all in
 * one trace; a request that fails inside PostgreSQL is marked as an error; no
 * exported span holds the patient's name or phone; with tracing off nothing is
 * exported and outbox rows carry no trace context.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../../libs/database/src/data-source';
import { freePort, startApiProcess } from '../support/api-process';
import { createUser } from '../support/auth';
import { appUrl, ownerUrl } from '../support/env';
import { asTenant, newTenant } from '../support/fixtures';
import { infra } from '../support/infra';
import { PATIENT_ALIAS, PIPELINE_NAMESPACE, TopicReader, eventually, topology } from '../support/stack';

jest.setTimeout(240000);

const ZIPKIN = `http://127.0.0.1:${process.env.ZIPKIN_PORT ?? 59411}`;
const RUN = randomBytes(3).toString('hex');
const API_SERVICE = `hims-api-test-${RUN}`;
const WORKER_SERVICE = `hims-worker-test-${RUN}`;
const OFF_SERVICE = `hims-api-off-${RUN}`;

interface ZipkinSpan {
  traceId: string;
  id: string;
  parentId?: string;
  name?: string;
  kind?: 'SERVER' | 'CLIENT' | 'PRODUCER' | 'CONSUMER';
  timestamp: number;
  duration?: number;
  localEndpoint?: { serviceName?: string };
  tags?: Record<string, string>;
}

const pipelineEnv = (service: string, tracing: boolean): Record<string, string> => ({
  DATABASE_URL: appUrl(),
  DATABASE_OWNER_URL: ownerUrl(),
  PIPELINE_NAMESPACE,
  ELASTICSEARCH_PATIENT_ALIAS: PATIENT_ALIAS,
  KAFKA_ENABLED: 'true',
  ELASTICSEARCH_ENABLED: 'true',
  OUTBOX_PURGE_INTERVAL_SECONDS: '0',
  LOG_LEVEL: 'info',
  OTEL_SERVICE_NAME: service,
  TRACING_ENDPOINT: tracing ? `${ZIPKIN}/api/v2/spans` : '',
  TRACING_SAMPLE_RATIO: '1',
});

/** The built worker as a child process; ready once both consumer groups have their partitions. */
async function startWorkerProcess(
  env: Record<string, string>,
): Promise<{ child: ChildProcess; port: number; output: () => string }> {
  const port = await freePort();
  const child = spawn(process.execPath, [resolve(__dirname, '../../dist/apps/worker/src/main.js')], {
    env: {
      ...process.env,
      ...env,
      WORKER_PORT: String(port),
      DATABASE_APPLICATION_NAME: `hims-test-worker-${port}`,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  await eventually(
    async () => {
      if (child.exitCode !== null)
        throw new Error(`worker exited with ${child.exitCode}: ${out.slice(-2000)}`);
      return (await fetch(`http://127.0.0.1:${port}/health/ready`)).ok;
    },
    'the worker process ready (consumer groups joined)',
    120000,
  );
  return { child, port, output: () => out };
}

async function stop(child?: ChildProcess): Promise<void> {
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

async function zipkinTrace(traceId: string): Promise<ZipkinSpan[]> {
  const res = await fetch(`${ZIPKIN}/api/v2/trace/${traceId}`);
  return res.ok ? ((await res.json()) as ZipkinSpan[]) : [];
}

const newTraceId = () => randomBytes(16).toString('hex');
const traceparentFor = (traceId: string) => `00-${traceId}-${randomBytes(8).toString('hex')}-01`;
const service = (s: ZipkinSpan) => s.localEndpoint?.serviceName;

describe('tracing: API → PostgreSQL → outbox → Debezium → Kafka → worker → Elasticsearch, in Zipkin', () => {
  let owner: DataSource;
  let api: Awaited<ReturnType<typeof startApiProcess>> | undefined;
  let apiOff: Awaited<ReturnType<typeof startApiProcess>> | undefined;
  let worker: Awaited<ReturnType<typeof startWorkerProcess>> | undefined;
  let reader: TopicReader;
  let tenantId: string;
  let auth: Record<string, string>;
  let authOff: Record<string, string>;

  const login = async (port: number, email: string, password: string) => {
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'X-Tenant-ID': tenantId, 'Content-Type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    const { accessToken } = (await res.json()) as { accessToken: string };
    return {
      'X-Tenant-ID': tenantId,
      Authorization: `Bearer ${accessToken}`,
      'Content-Type': 'application/json',
    };
  };

  const register = (port: number, headers: Record<string, string>, patient: object) =>
    fetch(`http://127.0.0.1:${port}/api/v1/patients`, {
      method: 'POST',
      headers,
      body: JSON.stringify(patient),
    });

  beforeAll(async () => {
    // The stack's Zipkin (stack-infra.sh starts it too); idempotent.
    infra('infra/scripts/zipkin.sh', 'start');
    owner = await createDataSource(ownerUrl(), 2).initialize();
    // A fault only this test's "Faultlinewala" trips; PostgreSQL's message then quotes the name.
    await owner.query(`CREATE OR REPLACE FUNCTION clinical.test_trace_fault() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.name_family = 'Faultlinewala' THEN
          RAISE EXCEPTION 'fault for %', NEW.name_text USING ERRCODE = 'XX000', DETAIL = 'row ' || NEW.phones::text;
        END IF;
        RETURN NEW;
      END $$`);
    await owner.query(`DROP TRIGGER IF EXISTS test_trace_fault ON clinical.patients`);
    await owner.query(`CREATE TRIGGER test_trace_fault BEFORE INSERT ON clinical.patients
      FOR EACH ROW EXECUTE FUNCTION clinical.test_trace_fault()`);
    tenantId = (await newTenant(owner, 'trace')).id;
    const user = await createUser(owner, tenantId, { roles: ['doctor'] });
    reader = await new TopicReader([topology().topic('patient')]).start();
    // One after another: three Node processes booting at once on two shared cores miss the health deadline.
    api = await startApiProcess(pipelineEnv(API_SERVICE, true));
    apiOff = await startApiProcess(pipelineEnv(OFF_SERVICE, false));
    worker = await startWorkerProcess(pipelineEnv(WORKER_SERVICE, true));
    auth = await login(api.port, user.email, user.password);
    authOff = await login(apiOff.port, user.email, user.password);
  });

  afterAll(async () => {
    await Promise.all([stop(api?.child), stop(apiOff?.child), stop(worker?.child)]);
    await reader?.stop();
    await owner?.query(`DROP TRIGGER IF EXISTS test_trace_fault ON clinical.patients`);
    await owner?.query(`DROP FUNCTION IF EXISTS clinical.test_trace_fault()`);
    await owner?.destroy();
  });

  it('one registration is one trace: request, statements, outbox write, then the worker consume and the index call', async () => {
    const traceId = newTraceId();
    const secret = { given: 'Tracewenna', family: 'Zipkinowska', phone: '9812077341' };
    const res = await register(
      api!.port,
      { ...auth, traceparent: traceparentFor(traceId) },
      {
        name: { given: [secret.given], family: secret.family },
        gender: 'female',
        birthDate: '1984-04-04',
        phones: [secret.phone],
      },
    );
    expect(res.status).toBe(201);
    const { id: patientId } = (await res.json()) as { id: string };

    // The outbox row carries the trace context, and Debezium passes it on as a Kafka header.
    const [row] = await asTenant(owner, tenantId, (tx) =>
      tx.query(`SELECT id, traceparent FROM events.outbox WHERE aggregate_id = $1`, [patientId]),
    );
    expect(row.traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
    const message = await reader.find((m) => m.headers.id === row.id, 'the registered event on Kafka');
    expect(message.headers.traceparent).toBe(row.traceparent);

    // Each service exports its spans in batches as they end; a root span ends last, so its arrival
    // means its service's children have arrived too (the API's request span came after the worker's once).
    const wanted = (spans: ZipkinSpan[]) =>
      spans.some((s) => service(s) === API_SERVICE && s.kind === 'SERVER') &&
      spans.some((s) => s.name === 'index patient') &&
      spans.some(
        (s) =>
          service(s) === WORKER_SERVICE && s.tags?.['db.system'] === 'elasticsearch' && s.name === 'index',
      ) &&
      spans.some((s) => s.name === 'apply analytics event');
    const spans = await eventually(
      async () => {
        const t = await zipkinTrace(traceId);
        return wanted(t) ? t : undefined;
      },
      'the whole trace in Zipkin',
      120000,
    );
    const byId = new Map(spans.map((s) => [s.id, s]));
    const ancestors = (s: ZipkinSpan): ZipkinSpan[] => {
      const out: ZipkinSpan[] = [];
      for (let p = s.parentId && byId.get(s.parentId); p; p = p.parentId ? byId.get(p.parentId) : undefined)
        out.push(p);
      return out;
    };
    const one = (pred: (s: ZipkinSpan) => boolean, what: string) => {
      const found = spans.filter(pred);
      if (found.length === 0)
        throw new Error(`no ${what} span in ${JSON.stringify(spans.map((s) => s.name))}`);
      return found[0];
    };

    const server = one((s) => service(s) === API_SERVICE && s.kind === 'SERVER', 'API request');
    expect(server.name).toMatch(/^post/);
    expect(server.tags?.['http.target']).toBe('/api/v1/patients');
    const registerSpan = one((s) => s.name === 'register patient', 'register patient');
    expect(registerSpan.tags?.['hims.patient.id']).toBe(patientId);
    const duplicateCheck = one((s) => s.name === 'duplicate check', 'duplicate check');
    expect(duplicateCheck.tags?.['hims.duplicate.candidates']).toBe('0');
    const outboxWrite = one((s) => s.name === 'outbox write' && service(s) === API_SERVICE, 'outbox write');
    expect(row.traceparent.split('-')[2]).toBe(outboxWrite.id);
    const statements = spans.filter(
      (s) => service(s) === API_SERVICE && s.tags?.['db.system.name'] === 'postgresql',
    );
    expect(statements.length).toBeGreaterThan(0);
    // The registration's INSERT runs inside the outbox write span.
    expect(
      statements.some(
        (s) => s.parentId === outboxWrite.id && /insert/i.test(s.tags?.['db.query.text'] ?? ''),
      ),
    ).toBe(true);
    for (const s of [registerSpan, duplicateCheck, outboxWrite, ...statements]) {
      expect(ancestors(s)).toContain(server);
    }

    const indexPatient = one((s) => s.name === 'index patient', 'index patient');
    expect(indexPatient.tags).toMatchObject({ 'hims.event.id': row.id, 'hims.outcome': 'indexed' });
    const consume = byId.get(indexPatient.parentId!)!;
    expect(consume).toMatchObject({ kind: 'CONSUMER' });
    expect(service(consume)).toBe(WORKER_SERVICE);
    expect(consume.parentId).toBe(outboxWrite.id);
    const esIndex = one(
      (s) => s.tags?.['db.system'] === 'elasticsearch' && s.name === 'index',
      'Elasticsearch index',
    );
    expect(ancestors(esIndex)).toContain(indexPatient);
    // Analytics continues the same trace from the same outbox write.
    expect(ancestors(one((s) => s.name === 'apply analytics event', 'analytics'))).toContain(outboxWrite);

    // In time order: request, outbox write, consume, index patient, index call.
    const order = [server, outboxWrite, consume, indexPatient, esIndex].map((s) => s.timestamp);
    expect([...order].sort((a, b) => a - b)).toEqual(order);

    // Ids and counts only: nothing of the patient in any exported span.
    const exported = JSON.stringify(spans);
    for (const value of [secret.given, secret.family, secret.phone]) expect(exported).not.toContain(value);
    expect(exported).not.toMatch(/Bearer |password/i);

    // Log lines lead to the trace.
    expect(api!.output()).toContain(`"trace_id":"${traceId}"`);

    // Metrics lead to it too: in an OpenMetrics scrape of the worker, the freshness histogram's
    // bucket for this event and an event-age bucket carry its trace id as exemplar (both were
    // observed inside spans that Zipkin already has; only this file's API feeds this worker now).
    const scrape = await fetch(`http://127.0.0.1:${worker!.port}/metrics`, {
      headers: { Accept: 'application/openmetrics-text; version=1.0.0' },
    });
    const metricsText = await scrape.text();
    for (const metric of ['hims_pipeline_commit_to_searchable_seconds', 'hims_pipeline_event_age_seconds']) {
      expect(metricsText).toMatch(
        new RegExp(`^${metric}_bucket\\{[^}]*\\} \\d+ # \\{trace_id="${traceId}"\\} [0-9.e-]+ [0-9.]+$`, 'm'),
      );
    }
  });

  it('a request that fails inside PostgreSQL is an error in its trace, and the error quotes no value', async () => {
    const traceId = newTraceId();
    const secret = { given: 'Zorawarsingh', family: 'Faultlinewala', phone: '9876501234' };
    const res = await register(
      api!.port,
      { ...auth, traceparent: traceparentFor(traceId) },
      {
        name: { given: [secret.given], family: secret.family },
        gender: 'male',
        birthDate: '1977-07-07',
        phones: [secret.phone],
      },
    );
    expect(res.status).toBe(500);
    const spans = await eventually(async () => {
      const t = await zipkinTrace(traceId);
      return t.some((s) => s.kind === 'SERVER') && t.some((s) => s.name === 'register patient')
        ? t
        : undefined;
    }, 'the failed request in Zipkin');
    const server = spans.find((s) => s.kind === 'SERVER')!;
    expect(server.tags).toMatchObject({ 'otel.status_code': 'ERROR' });
    expect(spans.find((s) => s.name === 'register patient')!.tags).toMatchObject({
      'otel.status_code': 'ERROR',
    });
    const failedStatement = spans.find((s) => s.tags?.['db.system.name'] === 'postgresql' && s.tags?.error);
    expect(failedStatement?.tags?.error).toBeDefined();
    const exported = JSON.stringify(spans);
    for (const value of [secret.given, secret.family, secret.phone]) expect(exported).not.toContain(value);
  });

  it('with tracing off nothing is exported and the outbox row carries no trace context', async () => {
    const traceId = newTraceId();
    const res = await register(
      apiOff!.port,
      { ...authOff, traceparent: traceparentFor(traceId) },
      {
        name: { given: ['Offline'], family: 'Quietwater' },
        gender: 'female',
        birthDate: '1990-01-01',
        allowDuplicate: true,
      },
    );
    expect(res.status).toBe(201);
    const { id: patientId } = (await res.json()) as { id: string };
    const [row] = await asTenant(owner, tenantId, (tx) =>
      tx.query(`SELECT traceparent, tracestate FROM events.outbox WHERE aggregate_id = $1`, [patientId]),
    );
    expect(row).toEqual({ traceparent: null, tracestate: null });
    // The untraced event is still indexed (the worker starts its own trace for it).
    await eventually(async () => {
      const res2 = await fetch(
        `http://127.0.0.1:${process.env.ES_PORT ?? 59200}/${PATIENT_ALIAS}/_doc/${tenantId}:${patientId}`,
      );
      return res2.ok;
    }, 'the untraced patient indexed');
    // A traced request made afterwards through the tracing API reaches Zipkin; the untraced API never appears.
    const later = newTraceId();
    await fetch(`http://127.0.0.1:${api!.port}/api/v1/patients?limit=1`, {
      headers: { ...auth, traceparent: traceparentFor(later) },
    });
    await eventually(async () => (await zipkinTrace(later)).length > 0, 'the later traced request in Zipkin');
    const services = (await (await fetch(`${ZIPKIN}/api/v2/services`)).json()) as string[];
    expect(services).toContain(API_SERVICE);
    expect(services).not.toContain(OFF_SERVICE);
    expect(await zipkinTrace(traceId)).toEqual([]);
    expect(apiOff!.output()).not.toContain('"trace_id"');
  });
});
