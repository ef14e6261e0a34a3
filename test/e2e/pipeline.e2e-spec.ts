/**
 * Needs: PostgreSQL 15, Kafka, Kafka Connect + Debezium, Elasticsearch — all
 * started by test/support/stack.ts (jest project "pipeline"), which also
 * registers the connector for the test database.
 *
 * The pipeline without the patient HTTP API: outbox rows are inserted as
 * the owner (what the application does in its transactions), Debezium
 * routes them to Kafka, and the worker (in this process, its own consumer
 * groups) indexes and counts them.
 */
import { randomUUID } from 'node:crypto';
import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import type { DataSource, EntityManager } from 'typeorm';
import { createDataSource } from '../../libs/database/src/data-source';
import { createEsClient, reindexPatients, aliasTargets } from '../../libs/search/src';
import { PatientIndexer } from '../../libs/search/src/patient-indexer';
import { OutboxPurger } from '../../apps/worker/src/outbox-purger';
import { createTestApp } from '../support/app';
import { authHeaders, loginAs } from '../support/auth';
import { appUrl, ownerUrl } from '../support/env';
import { asTenant, newTenant } from '../support/fixtures';
import {
  PATIENT_ALIAS,
  TopicReader,
  eventually,
  pipelineConfig,
  produce,
  startTestWorker,
  stopTestWorker,
  topology,
} from '../support/stack';

jest.setTimeout(180000);

interface PatientSeed {
  id?: string;
  given: string;
  family: string;
  phone?: string;
  abhaNumber?: string;
  version?: number;
}

async function insertPatient(
  tx: EntityManager,
  tenantId: string,
  p: PatientSeed,
): Promise<{ id: string; mrn: string }> {
  const id = p.id ?? randomUUID();
  const mrn = `MRN-${randomUUID().slice(0, 8).toUpperCase()}`;
  const text = `${p.given} ${p.family}`;
  await tx.query(
    `INSERT INTO clinical.patients (tenant_id, id, mrn, name_given, name_family, name_text, search_name, gender,
                                    birth_year, birth_date_approximate, phones, abha_number, version)
     VALUES ($1, $2, $3, ARRAY[$4], $5, $6, lower($6), 'female', 1980, true, $7, $8, $9)`,
    [
      tenantId,
      id,
      mrn,
      p.given,
      p.family,
      text,
      p.phone ? [p.phone] : [],
      p.abhaNumber ?? null,
      p.version ?? 1,
    ],
  );
  return { id, mrn };
}

async function outbox(
  tx: EntityManager,
  tenantId: string,
  aggregateType: string,
  aggregateId: string,
  eventType: string,
  payload: unknown,
): Promise<string> {
  const [{ id }] = await tx.query(
    `INSERT INTO events.outbox (tenant_id, aggregate_type, aggregate_id, event_type, payload)
     VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [tenantId, aggregateType, aggregateId, eventType, JSON.stringify(payload)],
  );
  return id;
}

describe('pipeline: outbox → Debezium → Kafka → worker → Elasticsearch / analytics', () => {
  let owner: DataSource;
  let api: NestExpressApplication;
  let worker: Awaited<ReturnType<typeof startTestWorker>> | undefined;
  let reader: TopicReader;
  const es = createEsClient(pipelineConfig().elasticsearch.url, { requestTimeoutMs: 30000 });
  const t = topology();
  let a: { id: string };
  let b: { id: string };

  /** Every message of the group's topics handled and committed (lag 0 on all partitions). */
  const drained = (w: Awaited<ReturnType<typeof startTestWorker>>, consumer: 'indexer' | 'analytics') =>
    eventually(async () => {
      const group = w.consumers[consumer].spec.groupId;
      const rows = (await w.consumers.lag.lag()).filter((r) => r.group === group);
      return rows.length > 0 && rows.every((r) => r.lag === 0);
    }, `${consumer} consumer drained`);

  const esDoc = async (tenantId: string, patientId: string) => {
    try {
      return await es.get<{ version: number; nameText: string; tenantId: string }>({
        index: PATIENT_ALIAS,
        id: `${tenantId}:${patientId}`,
        realtime: true,
      });
    } catch {
      return undefined;
    }
  };

  beforeAll(async () => {
    owner = await createDataSource(ownerUrl(), 2).initialize();
    a = await newTenant(owner, 'pipe-a');
    b = await newTenant(owner, 'pipe-b');
    reader = await new TopicReader([...t.topics, t.deadLetterTopic]).start();
    worker = await startTestWorker('pipeline');
    api = await createTestApp(pipelineConfig({ databaseUrl: appUrl(), databasePoolMax: 4 }));
  });

  afterAll(async () => {
    await api?.close();
    await stopTestWorker(worker);
    await reader?.stop();
    await es.close();
    await owner?.destroy();
  });

  it('routes outbox rows to <ns>.<aggregate>.events, keyed by aggregate id, with tenant and event type in headers', async () => {
    const aggregateId = randomUUID();
    const eventId = await asTenant(owner, a.id, (tx) =>
      outbox(tx, a.id, 'tenant', aggregateId, 'tenant.settings_changed', { changedFields: [], note: null }),
    );
    const m = await reader.find((x) => x.headers.id === eventId, 'the tenant event on Kafka');
    expect(m.topic).toBe(`${t.namespace}.tenant.events`);
    expect(m.key).toBe(aggregateId);
    expect(m.headers).toMatchObject({
      tenantId: a.id,
      eventType: 'tenant.settings_changed',
      aggregateType: 'tenant',
      schemaVersion: '1',
    });
    expect(new Date(m.headers.occurredAt!).getTime()).not.toBeNaN();
    // The payload column verbatim: empty arrays and nulls survive.
    expect(JSON.parse(m.value!)).toEqual({ changedFields: [], note: null });
  });

  it('indexes a registered patient with its version, and duplicate or late events never overwrite a newer document', async () => {
    const { id } = await asTenant(owner, a.id, async (tx) => {
      const p = await insertPatient(tx, a.id, {
        given: 'Ananya',
        family: 'Krishnamurthy',
        phone: '+919812345678',
      });
      await outbox(tx, a.id, 'patient', p.id, 'patient.registered', {
        patientId: p.id,
        version: 1,
        changedFields: [],
      });
      return p;
    });
    const v1 = await eventually(() => esDoc(a.id, id), 'the patient in Elasticsearch');
    expect(v1._version).toBe(1);
    expect(v1._source).toMatchObject({ tenantId: a.id, nameText: 'Ananya Krishnamurthy' });

    // Two updates; their events are delivered, then the first one again (a duplicate, late).
    const registered = await reader.find(
      (m) => m.key === id && m.headers.eventType === 'patient.registered',
      'registered event',
    );
    await asTenant(owner, a.id, async (tx) => {
      await tx.query(
        `UPDATE clinical.patients SET name_family = 'Iyer', name_text = 'Ananya Iyer', search_name = 'ananya iyer', version = 2, updated_at = now() WHERE id = $1`,
        [id],
      );
      await outbox(tx, a.id, 'patient', id, 'patient.updated', {
        patientId: id,
        version: 2,
        changedFields: ['name'],
      });
    });
    await asTenant(owner, a.id, async (tx) => {
      await tx.query(`UPDATE clinical.patients SET version = 3, updated_at = now() WHERE id = $1`, [id]);
      await outbox(tx, a.id, 'patient', id, 'patient.updated', {
        patientId: id,
        version: 3,
        changedFields: ['phones'],
      });
    });
    await eventually(async () => (await esDoc(a.id, id))?._version === 3, 'version 3 indexed');
    await produce(registered.topic, [
      { key: registered.key, value: registered.value, headers: registered.headers },
    ]);
    // An older row reaching the index late (what a slow, out-of-order consumer would write): refused.
    const indexer = worker!.app.get(PatientIndexer);
    const stale = await indexer.index({
      tenant_id: a.id,
      id,
      mrn: 'MRN-OLD',
      name_given: ['Ananya'],
      name_family: 'Krishnamurthy',
      name_text: 'Ananya Krishnamurthy',
      search_name: 'ananya krishnamurthy',
      gender: 'female',
      birth_date: null,
      birth_year: 1980,
      birth_date_approximate: true,
      phones: [],
      email: null,
      abha_number: null,
      abha_address: null,
      active: true,
      deceased: false,
      version: 2,
      name_prefix: [],
      address: null,
      created_at: new Date(),
      updated_at: new Date(),
      created_by: null,
      updated_by: null,
    });
    expect(stale).toBe('stale');
    // The replayed event is handled after the updates (same key → same partition, in order).
    await drained(worker!, 'indexer');
    const doc = await esDoc(a.id, id);
    expect(doc?._version).toBe(3);
    expect(doc?._source?.nameText).toBe('Ananya Iyer');
  });

  it('sends a poison message to the dead-letter topic with the error, and keeps going', async () => {
    const poisonKey = randomUUID();
    await produce(t.topic('patient'), [{ key: poisonKey, value: 'not json {', headers: { note: 'poison' } }]);
    // A patient event whose payload contradicts its key, captured by Debezium like any other.
    const bad = randomUUID();
    await asTenant(owner, a.id, (tx) =>
      outbox(tx, a.id, 'patient', bad, 'patient.updated', { patientId: randomUUID(), version: 1 }),
    );
    // And a good one behind them.
    const { id } = await asTenant(owner, a.id, async (tx) => {
      const p = await insertPatient(tx, a.id, { given: 'Kiran', family: 'Bhattacharya' });
      await outbox(tx, a.id, 'patient', p.id, 'patient.registered', {
        patientId: p.id,
        version: 1,
        changedFields: [],
      });
      return p;
    });

    // Each consumer group dead-letters it on its own; look at the indexer's copy, then check the analytics one exists.
    const dead = await reader.find(
      (m) =>
        m.topic === t.deadLetterTopic &&
        m.key === poisonKey &&
        /search-indexer/.test(m.headers['dlq.consumerGroup'] ?? ''),
      'the poison message in the DLQ',
    );
    await reader.find(
      (m) =>
        m.topic === t.deadLetterTopic &&
        m.key === poisonKey &&
        /analytics/.test(m.headers['dlq.consumerGroup'] ?? ''),
      "the analytics consumer's copy in the DLQ",
    );
    expect(dead.value).toBe('not json {');
    expect(dead.headers).toMatchObject({
      note: 'poison',
      'dlq.errorKind': 'permanent',
      'dlq.sourceTopic': t.topic('patient'),
    });
    expect(dead.headers['dlq.error']).toMatch(/header "id"/);
    const mismatch = await reader.find(
      (m) =>
        m.topic === t.deadLetterTopic &&
        m.key === bad &&
        /search-indexer/.test(m.headers['dlq.consumerGroup'] ?? ''),
      'the mismatching event in the DLQ',
    );
    expect(mismatch.headers['dlq.error']).toMatch(/does not match/);
    expect(mismatch.headers.tenantId).toBe(a.id);
    await eventually(() => esDoc(a.id, id), 'the next patient indexed after the poison');
  });

  it('counts analytics once per event id, whatever the redeliveries', async () => {
    const userId = randomUUID();
    const eventId = await asTenant(owner, b.id, (tx) =>
      outbox(tx, b.id, 'user', userId, 'user.logged_in', { userId }),
    );
    await asTenant(owner, b.id, (tx) => outbox(tx, b.id, 'user', userId, 'user.logged_in', { userId }));
    const counts = () =>
      asTenant(owner, b.id, async (tx) => {
        const [c] = await tx.query(
          `SELECT coalesce(sum(count) FILTER (WHERE metric = 'logins'), 0)::int AS logins FROM analytics.daily_counters`,
        );
        const [u] = await tx.query(
          `SELECT count(*)::int AS users FROM analytics.daily_active_users WHERE user_id = $1`,
          [userId],
        );
        const [p] = await tx.query(
          `SELECT count(*)::int AS n FROM analytics.processed_events WHERE event_id = $1`,
          [eventId],
        );
        return { logins: c.logins as number, users: u.users as number, processed: p.n as number };
      });
    await eventually(async () => (await counts()).logins === 2, 'two logins counted');
    const original = await reader.find((m) => m.headers.id === eventId, 'login event');
    await produce(original.topic, [
      { key: original.key, value: original.value, headers: original.headers },
      { key: original.key, value: original.value, headers: original.headers },
    ]);
    // A second consumer group (as after a consumer-group reset) sees every event again.
    const second = await startTestWorker(`pipeline-replay-${randomUUID().slice(0, 6)}`);
    try {
      await drained(second, 'analytics');
    } finally {
      await stopTestWorker(second);
    }
    await drained(worker!, 'analytics');
    expect(await counts()).toEqual({ logins: 2, users: 1, processed: 1 });
  });

  it("keeps tenants apart: B's search never returns A's patient", async () => {
    const { id } = await asTenant(owner, a.id, async (tx) => {
      const p = await insertPatient(tx, a.id, { given: 'Zorawar', family: 'Chandrasekhar' });
      await outbox(tx, a.id, 'patient', p.id, 'patient.registered', {
        patientId: p.id,
        version: 1,
        changedFields: [],
      });
      return p;
    });
    await eventually(() => esDoc(a.id, id), 'A patient indexed');
    const userA = await loginAs(api, owner, a.id, ['doctor']);
    const userB = await loginAs(api, owner, b.id, ['doctor']);
    const search = (user: { token: string }, tenantId: string, q: string) =>
      request(api.getHttpServer())
        .get('/api/v1/search/patients')
        .query({ q })
        .set(authHeaders(user.token, tenantId));

    const fromA = await eventually(async () => {
      const res = await search(userA, a.id, 'zorawar chandrasek');
      return res.status === 200 && res.body.source === 'elasticsearch' && res.body.items.length > 0
        ? res
        : undefined;
    }, 'A finds the patient through Elasticsearch');
    expect(fromA.body.items[0]).toMatchObject({ id, name: 'Zorawar Chandrasekhar', version: 1 });
    // Typos work too.
    const typo = await search(userA, a.id, 'zorawer chandrasekar');
    expect(typo.body.items.map((i: { id: string }) => i.id)).toContain(id);

    for (const q of ['zorawar chandrasekhar', 'zorawar', id]) {
      const res = await search(userB, b.id, q);
      expect(res.status).toBe(200);
      expect(res.body.items.map((i: { id: string }) => i.id)).not.toContain(id);
    }
    // The tenant comes from the token and header, never from the query: extra parameters are refused.
    const sneaky = await request(api.getHttpServer())
      .get('/api/v1/search/patients')
      .query({ q: 'zorawar', tenantId: a.id })
      .set(authHeaders(userB.token, b.id));
    expect(sneaky.status).toBe(400);
  });

  it('answers from PostgreSQL when Elasticsearch is unreachable or behind, and from Elasticsearch again once it caught up', async () => {
    const user = await loginAs(api, owner, a.id, ['receptionist']);
    const { id } = await asTenant(owner, a.id, async (tx) => {
      const p = await insertPatient(tx, a.id, {
        given: 'Meenakshi',
        family: 'Venkataraman',
        phone: '+919900112233',
      });
      await outbox(tx, a.id, 'patient', p.id, 'patient.registered', {
        patientId: p.id,
        version: 1,
        changedFields: [],
      });
      return p;
    });
    await eventually(() => esDoc(a.id, id), 'indexed');

    // Unreachable: an API whose Elasticsearch address answers nothing.
    const cut = await createTestApp(
      pipelineConfig({
        databaseUrl: appUrl(),
        elasticsearch: { ...pipelineConfig().elasticsearch, url: 'http://127.0.0.1:9' },
      }),
    );
    try {
      const res = await request(cut.getHttpServer())
        .get('/api/v1/search/patients')
        .query({ q: '9900112233' })
        .set(authHeaders(user.token, a.id));
      expect(res.status).toBe(200);
      expect(res.body.source).toBe('database');
      expect(res.body.items.map((i: { id: string }) => i.id)).toContain(id);
      const ready = await request(cut.getHttpServer()).get('/health/ready');
      expect(ready.status).toBe(200);
      expect(ready.body.details.elasticsearch.status).toBe('degraded');
    } finally {
      await cut.close();
    }

    // Behind: the indexer is stopped while a patient is registered and another one renamed.
    await stopTestWorker(worker);
    worker = undefined;
    const late = await asTenant(owner, a.id, async (tx) => {
      const p = await insertPatient(tx, a.id, { given: 'Sreelakshmi', family: 'Padmanabhan' });
      await outbox(tx, a.id, 'patient', p.id, 'patient.registered', {
        patientId: p.id,
        version: 1,
        changedFields: [],
      });
      return p;
    });
    // With SEARCH_MAX_LAG_MS=0 any change the index lacks counts as behind.
    const strict = await createTestApp(
      pipelineConfig({
        databaseUrl: appUrl(),
        pipeline: { ...pipelineConfig().pipeline, searchMaxLagMs: 0 },
      }),
    );
    try {
      const behind = await request(strict.getHttpServer())
        .get('/api/v1/search/patients')
        .query({ q: 'sreelakshmi' })
        .set(authHeaders(user.token, a.id));
      expect(behind.body.source).toBe('database');
      expect(behind.body.items.map((i: { id: string }) => i.id)).toContain(late.id);
      // A failed freshness check writes nothing of its own: the one entry is the database answer's.
      const [{ details: behindEntry }] = await asTenant(owner, a.id, (tx) =>
        tx.query(
          `SELECT details FROM audit.audit_log WHERE action = 'search' AND entity_type = 'patient'
            ORDER BY entry_id DESC LIMIT 1`,
        ),
      );
      expect(behindEntry).toMatchObject({ source: 'database', fallbackReason: 'behind' });

      worker = await startTestWorker('pipeline');
      const caughtUp = await eventually(async () => {
        const res = await request(strict.getHttpServer())
          .get('/api/v1/search/patients')
          .query({ q: 'sreelakshmi' })
          .set(authHeaders(user.token, a.id));
        return res.body.source === 'elasticsearch' && res.body.items.length > 0 ? res : undefined;
      }, 'Elasticsearch caught up');
      expect(caughtUp.body.items[0].id).toBe(late.id);

      // The freshness check and the audit entry of an Elasticsearch answer share one statement:
      // one search, exactly one entry, naming what was answered.
      const searchAudits = () =>
        asTenant(owner, a.id, (tx) =>
          tx.query(
            `SELECT details FROM audit.audit_log WHERE action = 'search' AND entity_type = 'patient' ORDER BY entry_id`,
          ),
        ) as Promise<{ details: { source: string; resultIds: string[]; fallbackReason?: string } }[]>;
      const before = (await searchAudits()).length;
      const once = await request(strict.getHttpServer())
        .get('/api/v1/search/patients')
        .query({ q: 'sreelakshmi' })
        .set(authHeaders(user.token, a.id));
      expect(once.body.source).toBe('elasticsearch');
      const after = await searchAudits();
      expect(after).toHaveLength(before + 1);
      expect(after[after.length - 1].details).toMatchObject({
        source: 'elasticsearch',
        resultIds: [late.id],
      });
      expect(after[after.length - 1].details.fallbackReason).toBeUndefined();
    } finally {
      await strict.close();
    }

    // Every search was audited with the result ids and a hash, never the query.
    const audits = await asTenant(owner, a.id, (tx) =>
      tx.query(
        `SELECT details FROM audit.audit_log WHERE action = 'search' AND entity_type = 'patient' ORDER BY entry_id`,
      ),
    );
    const sources = audits.map((r: { details: { source: string } }) => r.details.source);
    expect(sources).toEqual(expect.arrayContaining(['elasticsearch', 'database']));
    for (const { details } of audits) {
      expect(details.queryHash).toMatch(/^[0-9a-f]{64}$/);
      expect(JSON.stringify(details)).not.toMatch(/sreelakshmi|9900112233|zorawar/i);
    }
  });

  it('pages through results with an opaque cursor', async () => {
    const user = await loginAs(api, owner, b.id, ['nurse']);
    const ids = await asTenant(owner, b.id, async (tx) => {
      const out: string[] = [];
      for (let i = 0; i < 5; i++) {
        const p = await insertPatient(tx, b.id, { given: 'Lakshmanan', family: `Pillai${'x'.repeat(i)}` });
        await outbox(tx, b.id, 'patient', p.id, 'patient.registered', {
          patientId: p.id,
          version: 1,
          changedFields: [],
        });
        out.push(p.id);
      }
      return out;
    });
    for (const id of ids) await eventually(() => esDoc(b.id, id), 'indexed');
    await eventually(async () => {
      const seen: string[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < 5; page++) {
        const res = await request(api.getHttpServer())
          .get('/api/v1/search/patients')
          .query({ q: 'lakshmanan', limit: 2, ...(cursor ? { cursor } : {}) })
          .set(authHeaders(user.token, b.id));
        if (res.status !== 200 || res.body.source !== 'elasticsearch') return false;
        seen.push(...res.body.items.map((i: { id: string }) => i.id));
        cursor = res.body.nextCursor ?? undefined;
        if (!cursor) break;
      }
      return ids.every((id) => seen.includes(id)) && new Set(seen).size === seen.length;
    }, 'all five patients over three pages, no repeats');
  });

  it('rebuilds the index from PostgreSQL into a new index and swaps the alias (all tenants, or one)', async () => {
    const before = await aliasTargets(es, PATIENT_ALIAS);
    const r = await reindexPatients(es, owner, PATIENT_ALIAS);
    expect(r.previous).toEqual(before);
    expect(await aliasTargets(es, PATIENT_ALIAS)).toEqual([r.index]);
    const countA = await asTenant(
      owner,
      a.id,
      async (tx) => (await tx.query(`SELECT count(*)::int AS n FROM clinical.patients`))[0].n,
    );
    const inIndexA = await es.count({ index: PATIENT_ALIAS, query: { term: { tenantId: a.id } } });
    expect(inIndexA.count).toBe(countA);

    const one = await reindexPatients(es, owner, PATIENT_ALIAS, [b.id]);
    expect(one.copied).toBeGreaterThanOrEqual(countA);
    expect(await aliasTargets(es, PATIENT_ALIAS)).toEqual([one.index]);
    expect((await es.count({ index: PATIENT_ALIAS, query: { term: { tenantId: a.id } } })).count).toBe(
      countA,
    );
  });

  it('purges captured outbox rows older than the retention, never younger than five minutes', async () => {
    const app = await createDataSource(appUrl(), 1).initialize();
    try {
      const old = randomUUID();
      await asTenant(owner, a.id, (tx) =>
        tx.query(
          `INSERT INTO events.outbox (tenant_id, aggregate_type, aggregate_id, event_type, payload, occurred_at)
           VALUES ($1, 'tenant', $2, 'tenant.probe', '{}', now() - interval '2 hours')`,
          [a.id, old],
        ),
      );
      // The worker's job (OUTBOX_RETENTION_SECONDS, default 1 h), as it runs every OUTBOX_PURGE_INTERVAL_SECONDS.
      const n = await worker!.app.get(OutboxPurger).purgeOnce();
      expect(n).toBeGreaterThanOrEqual(1);
      const left = await asTenant(owner, a.id, (tx) =>
        tx.query(`SELECT aggregate_id FROM events.outbox WHERE aggregate_id = $1`, [old]),
      );
      expect(left).toEqual([]);
      const recent = await asTenant(
        owner,
        a.id,
        async (tx) => (await tx.query(`SELECT count(*)::int AS n FROM events.outbox`))[0].n,
      );
      expect(recent).toBeGreaterThan(0);
      await expect(app.query(`SELECT events.purge_outbox(interval '1 minute')`)).rejects.toThrow(
        /at least 5 minutes/,
      );
      // The application role still cannot delete outbox rows itself.
      await expect(app.query(`DELETE FROM events.outbox`)).rejects.toThrow(/permission denied/);
    } finally {
      await app.destroy();
    }
  });

  it('exposes consumer lag and outcomes in the worker /metrics and Kafka/Elasticsearch in readiness', async () => {
    const metrics = await eventually(async () => {
      const res = await request(worker!.app.getHttpServer()).get('/metrics');
      return /hims_pipeline_consumer_lag\{group="[^"]*search-indexer[^"]*",topic="[^"]+",partition="\d+"\} \d+/.test(
        res.text,
      )
        ? res.text
        : undefined;
    }, 'lag metric');
    expect(metrics).toMatch(/hims_pipeline_event_errors_total\{consumer="search-indexer"/);
    expect(metrics).toMatch(/hims_pipeline_dead_letters_total/);
    const ready = await request(worker!.app.getHttpServer()).get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.details).toMatchObject({
      kafka: { status: 'up' },
      elasticsearch: { status: 'up' },
      postgres: { status: 'up' },
    });
    const apiReady = await request(api.getHttpServer()).get('/health/ready');
    expect(apiReady.body.details).toMatchObject({ kafka: { status: 'up' }, elasticsearch: { status: 'up' } });
  });
});
