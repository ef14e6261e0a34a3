/**
 * Needs: PostgreSQL 15, Kafka, Kafka Connect + Debezium, Elasticsearch — all
 * started by test/support/stack.ts (jest project "pipeline").
 *
 * Visits in search and analytics (issue 11): visit outbox rows with the
 * payloads of contracts/events/visit.*.schema.json are inserted as the owner
 * (what the visits API does in its transactions), Debezium routes them to
 * `<ns>.visit.events`, and the worker (in this process) indexes and counts them.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import type { DataSource, EntityManager } from 'typeorm';
import { createDataSource } from '../../libs/database/src/data-source';
import { createEsClient, visitAlias } from '../../libs/search/src';
import { createTestApp } from '../support/app';
import { LoggedIn, authHeaders, loginAs } from '../support/auth';
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

async function insertPatient(tx: EntityManager, tenantId: string, given: string, family: string) {
  const id = randomUUID();
  const text = `${given} ${family}`;
  await tx.query(
    `INSERT INTO clinical.patients (tenant_id, id, mrn, name_given, name_family, name_text, search_name, gender,
                                    birth_year, birth_date_approximate, phones, version)
     VALUES ($1, $2, $3, ARRAY[$4], $5, $6, lower($6), 'male', 1975, true, '{}', 1)`,
    [tenantId, id, `MRN-${randomUUID().slice(0, 8).toUpperCase()}`, given, family, text],
  );
  await outbox(tx, tenantId, 'patient', id, 'patient.registered', {
    patientId: id,
    version: 1,
    changedFields: [],
  });
  return id;
}

/** The visits API's event contracts (contracts/events/visit.*.schema.json): the test's payloads must match them exactly. */
const ajv = new Ajv2020({ allErrors: true, strict: true });
addFormats(ajv);
function expectVisitContract(eventType: string, payload: unknown): void {
  const schema = JSON.parse(
    readFileSync(resolve(__dirname, `../../contracts/events/${eventType}.schema.json`), 'utf8'),
  ) as { $id: string };
  const validate = ajv.getSchema(schema.$id) ?? ajv.compile(schema);
  if (!validate(payload))
    throw new Error(`${eventType} payload breaks its contract: ${ajv.errorsText(validate.errors)}`);
}

async function outbox(
  tx: EntityManager,
  tenantId: string,
  aggregateType: string,
  aggregateId: string,
  eventType: string,
  payload: unknown,
): Promise<string> {
  if (aggregateType === 'visit') expectVisitContract(eventType, payload);
  const [{ id }] = await tx.query(
    `INSERT INTO events.outbox (tenant_id, aggregate_type, aggregate_id, event_type, payload)
     VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [tenantId, aggregateType, aggregateId, eventType, JSON.stringify(payload)],
  );
  return id;
}

interface Visit {
  visitId: string;
  patientId: string;
  doctorId: string;
  department: string;
  scheduledAt: string;
}

/** visit.booked (version 1), then status changes to `finalStatus` (one version each), as the visits API emits them. */
async function visitEvents(
  owner: DataSource,
  tenantId: string,
  v: Visit,
  path: string[] = ['arrived', 'in-progress', 'finished'],
): Promise<{ bookedEventId: string; version: number }> {
  return asTenant(owner, tenantId, async (tx) => {
    const bookedEventId = await outbox(tx, tenantId, 'visit', v.visitId, 'visit.booked', {
      visitId: v.visitId,
      patientId: v.patientId,
      version: 1,
      type: 'outpatient-consultation',
      status: 'planned',
      attendingDoctorId: v.doctorId,
      department: v.department,
      scheduledAt: v.scheduledAt,
    });
    let from = 'planned';
    let version = 1;
    for (const to of path) {
      version++;
      await outbox(tx, tenantId, 'visit', v.visitId, 'visit.status_changed', {
        visitId: v.visitId,
        patientId: v.patientId,
        version,
        from,
        to,
      });
      from = to;
    }
    return { bookedEventId, version };
  });
}

interface SearchItem {
  id: string;
  lastVisitAt: string | null;
}

describe('pipeline: visit events → search (seen by a doctor, last visit) and analytics (per day and department)', () => {
  let owner: DataSource;
  let api: NestExpressApplication;
  let worker: Awaited<ReturnType<typeof startTestWorker>> | undefined;
  let reader: TopicReader;
  const es = createEsClient(pipelineConfig().elasticsearch.url, { requestTimeoutMs: 30000 });
  const t = topology();
  const visits = visitAlias(PATIENT_ALIAS);
  let a: { id: string };
  let b: { id: string };
  let userA: LoggedIn;
  let userB: LoggedIn;
  let adminA: LoggedIn;
  let adminB: LoggedIn;

  const now = new Date();
  const today = now.toISOString().slice(0, 10);
  const doctor = randomUUID();
  let patient: string;
  let visit: Visit;
  let booked: { bookedEventId: string; version: number };

  const visitDoc = async (tenantId: string, visitId: string) => {
    try {
      return await es.get<{ version: number; status: string; tenantId: string }>({
        index: visits,
        id: `${tenantId}:${visitId}`,
        realtime: true,
      });
    } catch {
      return undefined;
    }
  };
  const drained = (consumer: 'indexer' | 'analytics') =>
    eventually(async () => {
      const group = worker!.consumers[consumer].spec.groupId;
      const rows = (await worker!.consumers.lag.lag()).filter((r) => r.group === group);
      return rows.length > 0 && rows.every((r) => r.lag === 0);
    }, `${consumer} consumer drained`);
  const seenBy = (
    app: NestExpressApplication,
    user: LoggedIn,
    tenantId: string,
    doctorId: string,
    day = today,
  ) =>
    request(app.getHttpServer())
      .get('/api/v1/search/patients')
      .query({ seenBy: doctorId, seenOn: day })
      .set(authHeaders(user.token, tenantId));
  const visitCounts = (user: LoggedIn, tenantId: string) =>
    request(api.getHttpServer())
      .get('/api/v1/analytics/visits')
      .query({ from: today, to: today })
      .set(authHeaders(user.token, tenantId));

  beforeAll(async () => {
    owner = await createDataSource(ownerUrl(), 2).initialize();
    a = await newTenant(owner, 'visits-a');
    b = await newTenant(owner, 'visits-b');
    reader = await new TopicReader([t.topic('visit')]).start();
    worker = await startTestWorker('visits');
    api = await createTestApp(pipelineConfig({ databaseUrl: appUrl(), databasePoolMax: 4 }));
    userA = await loginAs(api, owner, a.id, ['receptionist']);
    userB = await loginAs(api, owner, b.id, ['receptionist']);
    adminA = await loginAs(api, owner, a.id, ['tenant_admin']);
    adminB = await loginAs(api, owner, b.id, ['tenant_admin']);

    patient = await asTenant(owner, a.id, (tx) => insertPatient(tx, a.id, 'Harpreet', 'Dhillon'));
    visit = {
      visitId: randomUUID(),
      patientId: patient,
      doctorId: doctor,
      department: 'cardiology',
      scheduledAt: new Date(Date.parse(`${today}T00:00:00Z`) + 3600000).toISOString(),
    };
    booked = await visitEvents(owner, a.id, visit);
  });

  afterAll(async () => {
    await api?.close();
    await stopTestWorker(worker);
    await reader?.stop();
    await es.close();
    await owner?.destroy();
  });

  it('routes visit events to <ns>.visit.events and indexes them; the seen-by search finds the patient with lastVisitAt', async () => {
    const m = await reader.find(
      (x) => x.key === visit.visitId && x.headers.eventType === 'visit.booked',
      'visit.booked on the visit topic',
    );
    expect(m.topic).toBe(t.topic('visit'));
    expect(m.headers.tenantId).toBe(a.id);

    const doc = await eventually(
      async () =>
        (await visitDoc(a.id, visit.visitId))?._version === booked.version
          ? visitDoc(a.id, visit.visitId)
          : undefined,
      'the finished visit indexed',
    );
    expect(doc?._source).toMatchObject({ tenantId: a.id, status: 'finished', version: 4 });

    // The search sees the index after its refresh (1 s): poll until the finished state is searchable.
    const res = await eventually(async () => {
      const r = await seenBy(api, userA, a.id, doctor);
      return r.status === 200 && r.body.source === 'elasticsearch' && r.body.items[0]?.lastVisitAt
        ? r
        : undefined;
    }, 'the seen-by search finds the patient in Elasticsearch');
    expect(res.body.items.map((i: SearchItem) => i.id)).toEqual([patient]);
    expect(res.body.items[0].lastVisitAt).toBe(visit.scheduledAt);

    // Free text returns the last visit too.
    const byName = await eventually(async () => {
      const r = await request(api.getHttpServer())
        .get('/api/v1/search/patients')
        .query({ q: 'harpreet dhillon' })
        .set(authHeaders(userA.token, a.id));
      return r.status === 200 && r.body.source === 'elasticsearch' && r.body.items[0]?.lastVisitAt
        ? r
        : undefined;
    }, 'the name search finds the patient');
    expect(byName.body.items.find((i: SearchItem) => i.id === patient)?.lastVisitAt).toBe(visit.scheduledAt);

    // Another day, another doctor: nothing.
    expect((await seenBy(api, userA, a.id, doctor, '2001-01-01')).body.items).toEqual([]);
    expect((await seenBy(api, userA, a.id, randomUUID())).body.items).toEqual([]);

    // Audited like every search, with a hash instead of the filter.
    const audits = await asTenant(owner, a.id, (tx) =>
      tx.query(
        `SELECT details FROM audit.audit_log WHERE action = 'search' AND entity_type = 'patient' AND details->>'filter' = 'seen-by'`,
      ),
    );
    expect(audits.length).toBeGreaterThan(0);
    expect(JSON.stringify(audits)).not.toContain(doctor);
    expect(
      audits.some((r: { details: { resultIds: string[] } }) => r.details.resultIds.includes(patient)),
    ).toBe(true);
  });

  it('refuses bad filters with problem+json', async () => {
    const bad = [
      { seenBy: 'not-a-uuid', seenOn: today },
      { seenBy: doctor, seenOn: '2025-02-30' },
      { seenBy: doctor },
      { seenOn: today },
      { q: 'harpreet', seenBy: doctor, seenOn: today },
      {},
    ];
    for (const query of bad) {
      const res = await request(api.getHttpServer())
        .get('/api/v1/search/patients')
        .query(query)
        .set(authHeaders(userA.token, a.id));
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    }
  });

  it('a duplicate or late visit event never regresses the document', async () => {
    await eventually(async () => (await visitDoc(a.id, visit.visitId))?._version === 4, 'version 4 indexed');
    // The same Kafka message again (same event id) and a stale status change (older version, new event id).
    const first = await reader.find(
      (x) =>
        x.key === visit.visitId &&
        x.headers.eventType === 'visit.status_changed' &&
        (JSON.parse(x.value ?? 'null') as { version?: number } | null)?.version === 2,
      'the first status change',
    );
    await produce(first.topic, [{ key: first.key, value: first.value, headers: first.headers }]);
    const staleId = await asTenant(owner, a.id, (tx) =>
      outbox(tx, a.id, 'visit', visit.visitId, 'visit.status_changed', {
        visitId: visit.visitId,
        patientId: patient,
        version: 3,
        from: 'finished',
        to: 'cancelled',
      }),
    );
    await reader.find((x) => x.headers.id === staleId, 'the stale event on Kafka');
    await drained('indexer');
    const doc = await visitDoc(a.id, visit.visitId);
    expect(doc?._version).toBe(4);
    expect(doc?._source).toMatchObject({ status: 'finished', version: 4 });
    const res = await seenBy(api, userA, a.id, doctor);
    expect(res.body.items.map((i: SearchItem) => i.id)).toEqual([patient]);
  });

  it("another tenant never sees a tenant's visits, in search or analytics", async () => {
    // B has its own patient seen by the same doctor id today (ids are not secrets; tenants are the boundary).
    const patientB = await asTenant(owner, b.id, (tx) => insertPatient(tx, b.id, 'Harpreet', 'Bajwa'));
    const visitB: Visit = {
      ...visit,
      visitId: randomUUID(),
      patientId: patientB,
      department: 'orthopaedics',
    };
    const bookedB = await visitEvents(owner, b.id, visitB, ['arrived']);
    await eventually(
      async () => (await visitDoc(b.id, visitB.visitId))?._version === bookedB.version,
      "B's visit indexed",
    );
    const fromB = await eventually(async () => {
      const r = await seenBy(api, userB, b.id, doctor);
      return r.status === 200 && r.body.source === 'elasticsearch' && r.body.items.length > 0 ? r : undefined;
    }, 'B finds its own patient');
    expect(fromB.body.items.map((i: SearchItem) => i.id)).toEqual([patientB]);
    // B's patient has no finished visit; A's finished visit is not B's.
    expect(fromB.body.items[0].lastVisitAt).toBeNull();
    const fromA = await seenBy(api, userA, a.id, doctor);
    expect(fromA.body.items.map((i: SearchItem) => i.id)).toEqual([patient]);
    const nameB = await request(api.getHttpServer())
      .get('/api/v1/search/patients')
      .query({ q: 'harpreet' })
      .set(authHeaders(userB.token, b.id));
    expect(nameB.body.items.map((i: SearchItem) => i.id)).not.toContain(patient);

    await drained('analytics');
    const countsB = await eventually(async () => {
      const r = await visitCounts(adminB, b.id);
      return r.status === 200 && r.body.total === 1 ? r : undefined;
    }, "B's visit counted");
    expect(countsB.body.departments).toEqual([{ department: 'orthopaedics', visits: 1 }]);
  });

  it('analytics counts booked visits per day and department, once per event id', async () => {
    const second: Visit = {
      visitId: randomUUID(),
      patientId: patient,
      doctorId: randomUUID(),
      department: 'dermatology',
      scheduledAt: new Date(Date.parse(`${today}T00:00:00Z`) + 7200000).toISOString(),
    };
    await visitEvents(owner, a.id, second, []);
    const counted = await eventually(async () => {
      const r = await visitCounts(adminA, a.id);
      return r.status === 200 && r.body.total === 2 ? r : undefined;
    }, "A's two visits counted");
    expect(counted.body).toMatchObject({
      tenantId: a.id,
      total: 2,
      departments: [
        { department: 'cardiology', visits: 1 },
        { department: 'dermatology', visits: 1 },
      ],
      days: [{ day: today, visits: 2 }],
    });

    // The first booking delivered again (same event id): not counted twice.
    const again = await reader.find((x) => x.headers.id === booked.bookedEventId, 'the first booking');
    await produce(again.topic, [{ key: again.key, value: again.value, headers: again.headers }]);
    await drained('analytics');
    const after = await visitCounts(adminA, a.id);
    expect(after.body.total).toBe(2);
    const processed = await asTenant(owner, a.id, (tx) =>
      tx.query(`SELECT count(*)::int AS n FROM analytics.processed_events WHERE event_id = $1`, [
        booked.bookedEventId,
      ]),
    );
    expect(processed[0].n).toBe(1);
  });

  it('answers the seen-by search from PostgreSQL (clinical.visits) when Elasticsearch is unreachable', async () => {
    // The visit's row, as the visits API keeps it. The finished status is spelled as the table's
    // constraint allows (the first slice's `signed`, or `finished` once the status migration landed).
    await asTenant(owner, a.id, async (tx) => {
      const [{ def }] = await tx.query(
        `SELECT string_agg(pg_get_constraintdef(oid), ' ') AS def FROM pg_constraint
          WHERE conrelid = 'clinical.visits'::regclass AND contype = 'c'`,
      );
      const finished = /'finished'/.test(def) ? 'finished' : 'signed';
      await tx.query(
        `INSERT INTO clinical.visits (tenant_id, id, patient_id, attending_doctor_id, department, scheduled_at, status,
                                      signed_at, signed_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [
          a.id,
          visit.visitId,
          patient,
          doctor,
          visit.department,
          visit.scheduledAt,
          finished,
          finished === 'signed' ? new Date() : null,
          finished === 'signed' ? doctor : null,
        ],
      );
    });
    const cut = await createTestApp(
      pipelineConfig({
        databaseUrl: appUrl(),
        elasticsearch: { ...pipelineConfig().elasticsearch, url: 'http://127.0.0.1:9' },
      }),
    );
    try {
      const res = await seenBy(cut, userA, a.id, doctor);
      expect(res.status).toBe(200);
      expect(res.body.source).toBe('database');
      expect(res.body.items.map((i: SearchItem) => i.id)).toEqual([patient]);
      expect(res.body.items[0].lastVisitAt).toBe(visit.scheduledAt);
      const fromB = await seenBy(cut, userB, b.id, doctor);
      expect(fromB.body.source).toBe('database');
      expect(fromB.body.items.map((i: SearchItem) => i.id)).not.toContain(patient);
    } finally {
      await cut.close();
    }
  });
});
