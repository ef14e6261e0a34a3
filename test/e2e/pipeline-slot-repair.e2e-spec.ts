/**
 * Needs: the pipeline tier's Kafka, Kafka Connect + Debezium and Elasticsearch, PostgreSQL 15
 * binaries, the built dist/ (API and CLI). Change capture runs against a throw-away cluster of
 * this test's own (infra/postgres/pg.sh, max_slot_wal_keep_size 1 MB, archiving off), so a slot
 * can really be lost without touching the cluster other people and tests use; its own
 * namespace (topics, connector, slot) and index alias.
 *
 * Issue 26: a lost slot → the worker's readiness fails with an ALERT → the worker repairs
 * itself (new slot through `pipeline setup`, then reconciliation) → the index equals the
 * database again, including the patients whose events were never streamed.
 */
import { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { Kafka, logLevel } from 'kafkajs';
import { loadConfig } from '../../libs/config/src/config';
import { createDataSource } from '../../libs/database/src/data-source';
import { createEsClient } from '../../libs/search/src';
import { renderMetrics } from '../../libs/observability/src';
import { createUser } from '../support/auth';
import { asTenant, newTenant } from '../support/fixtures';
import { signInThroughApi, startApiProcess } from '../support/api-process';
import { eventually, startTestWorker, stopTestWorker } from '../support/stack';
import { cli, startThrowawayCluster, ThrowawayCluster } from '../support/throwaway-cluster';

describe('a lost change-capture slot: readiness fails, the worker repairs itself, the index equals the database', () => {
  const ns = `slotrepair_${randomBytes(3).toString('hex')}`;
  const alias = `patients-${ns}`;
  let cluster: ThrowawayCluster;
  let env: Record<string, string>;
  let api: { child: ChildProcess; port: number } | undefined;
  let worker: Awaited<ReturnType<typeof startTestWorker>> | undefined;
  const savedEnv = { ...process.env };

  beforeAll(async () => {
    cluster = await startThrowawayCluster({ HIMS_BACKUP: 'off', HIMS_PG_SLOT_KEEP: '1MB' });
    env = {
      DATABASE_URL: cluster.urls.app,
      DATABASE_OWNER_URL: cluster.urls.owner,
      DATABASE_PLATFORM_URL: cluster.urls.platform,
      PIPELINE_NAMESPACE: ns,
      ELASTICSEARCH_PATIENT_ALIAS: alias,
      KAFKA_ENABLED: 'true',
      ELASTICSEARCH_ENABLED: 'true',
      LOG_LEVEL: 'silent',
      OUTBOX_PURGE_INTERVAL_SECONDS: '0',
      CDC_SLOT_CHECK_INTERVAL_MS: '500',
      RECONCILE_INTERVAL_SECONDS: '0',
      TRACING_ENDPOINT: '',
    };
    // The worker's self-repair runs the CLI with the worker's own environment.
    Object.assign(process.env, env);
    for (const step of [['migrate', 'up'], ['pipeline', 'setup']]) {
      const r = cli(step, env);
      if (r.code !== 0) throw new Error(`${step.join(' ')}: ${r.stderr}`);
    }
  }, 300000);

  afterAll(async () => {
    await stopTestWorker(worker);
    api?.child.kill('SIGTERM');
    cli(['pipeline', 'teardown'], env);
    const es = createEsClient(loadConfig({ ...process.env, ...env }).elasticsearch.url, { requestTimeoutMs: 30000 });
    await es.indices.delete({ index: [`${alias}-v*`, `visits-${ns}-v*`], ignore_unavailable: true, allow_no_indices: true }).catch(() => undefined);
    await es.close();
    const admin = new Kafka({ brokers: loadConfig(process.env).kafka.brokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(`${ns}.`));
    if (topics.length) await admin.deleteTopics({ topics });
    await admin.disconnect();
    process.env = savedEnv;
    cluster?.destroy();
  }, 300000);

  it('alerts, repairs and reconciles without an operator', async () => {
    const config = loadConfig({ ...process.env, ...env });
    const owner = await createDataSource(cluster.urls.owner, 1).initialize();
    const { id: tenantId } = await newTenant(owner, 'slot-repair');
    const receptionist = await createUser(owner, tenantId, { roles: ['receptionist'] });

    api = await startApiProcess({ DATABASE_URL: env.DATABASE_URL, DATABASE_OWNER_URL: env.DATABASE_OWNER_URL, DATABASE_PLATFORM_URL: env.DATABASE_PLATFORM_URL, TRACING_ENDPOINT: '' });
    const headers = await signInThroughApi(api.port, tenantId, receptionist);
    const register = async (given: string) => {
      const res = await request(`http://127.0.0.1:${api!.port}`).post('/api/v1/patients').set(headers)
        .send({ name: { given: [given], family: 'Slot' }, gender: 'male', birthDate: '1970-01-01', allowDuplicate: true });
      expect(res.status).toBe(201);
      return res.body.id as string;
    };
    worker = await startTestWorker(ns, { databaseUrl: config.databaseUrl, databaseOwnerUrl: config.databaseOwnerUrl, platform: config.platform, elasticsearch: config.elasticsearch, pipeline: config.pipeline });
    const es = createEsClient(config.elasticsearch.url, { requestTimeoutMs: 30000 });
    const indexedIds = async () => {
      await es.indices.refresh({ index: alias });
      const res = await es.search<{ patientId: string }>({ index: alias, size: 100, query: { term: { tenantId } } });
      return res.hits.hits.map((h) => h._source!.patientId).sort();
    };

    const streamed = await register('Streamed');
    await eventually(async () => (await indexedIds()).includes(streamed), 'the first patient indexed through the pipeline');
    expect((await worker.consumers.slot.readiness()).cdc.status).toBe('up');

    // The connector stops (as in the bench, where it fell behind): its slot no longer advances.
    const connectUrl = config.pipeline.connectUrl;
    expect((await fetch(`${connectUrl}/connectors/${ns}-outbox/stop`, { method: 'PUT' })).status).toBeLessThan(300);
    await eventually(async () => {
      const [s] = await cluster.sql<{ active: boolean }>(`SELECT active FROM pg_replication_slots WHERE slot_name = $1`, [`${ns}_outbox_slot`]);
      return s && !s.active;
    }, 'the slot released by the stopped connector');
    const unstreamed = [await register('Unstreamed'), await register('Unstreamedtoo')];
    // WAL past max_slot_wal_keep_size (1 MB on this cluster), then a checkpoint: PostgreSQL invalidates the slot.
    for (let i = 0; i < 3; i++) {
      await cluster.sql(`CREATE TABLE IF NOT EXISTS public.filler (n int); INSERT INTO public.filler SELECT generate_series(1, 1000)`);
      await cluster.sql(`SELECT pg_switch_wal()`);
    }
    await cluster.sql(`CHECKPOINT`);

    // Readiness fails with the alert, the metric says why; then the worker repairs itself.
    await eventually(async () => (await renderMetrics()).body.includes(`hims_cdc_slot_alerts_total{slot="${ns}_outbox_slot",reason="lost"} 1`), 'the lost-slot alert');
    // The repair (pipeline setup waits for a RUNNING connector) takes seconds: readiness is down meanwhile.
    await eventually(async () => (await worker!.consumers.slot.readiness()).cdc.status === 'down', 'readiness down while the slot is lost');
    await eventually(async () => (await renderMetrics()).body.includes('hims_cdc_slot_repairs_total{outcome="ok"} 1'), 'the self-repair', 240000);
    await eventually(async () => (await worker!.consumers.slot.readiness()).cdc.status === 'up', 'readiness back up');

    // The index equals the database: the unstreamed patients came back through reconciliation.
    const rows: { id: string }[] = await asTenant(owner, tenantId, (tx) => tx.query(`SELECT id FROM clinical.patients`));
    expect(await indexedIds()).toEqual(rows.map((r) => r.id).sort());
    expect(await indexedIds()).toEqual(expect.arrayContaining([streamed, ...unstreamed]));

    // And change capture streams again: a new registration reaches the index through the new slot.
    const after = await register('Afterrepair');
    await eventually(async () => (await indexedIds()).includes(after), 'a patient registered after the repair indexed');
    await es.close();
    await owner.destroy();
  }, 600000);
});
