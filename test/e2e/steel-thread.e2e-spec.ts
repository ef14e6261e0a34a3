/**
 * Needs: PostgreSQL 15, Kafka, Kafka Connect + Debezium, Elasticsearch — all
 * started by test/support/stack.ts (jest project "pipeline"). This file stops
 * and restarts Elasticsearch (infra/scripts/elasticsearch.sh) in its last test.
 *
 * The steel thread through the real stack: HTTP API (in this process) →
 * PostgreSQL (row + outbox in one transaction) → Debezium → Kafka → worker
 * (in this process: the real WorkerModule and consumer groups of its own) →
 * Elasticsearch and the analytics schema → back out through the API.
 */
import { staffSignIn } from '../support/mfa';
import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../../libs/database/src/data-source';
import { createTestApp } from '../support/app';
import { LoggedIn, authHeaders, loginAs } from '../support/auth';
import { appUrl, ownerUrl } from '../support/env';
import { asTenant, newTenant } from '../support/fixtures';
import { fhirErrors } from '../support/fhir';
import { operatorToken, provisioningBody } from '../support/platform';
import { dayIn, middayZone } from '../support/scheduling';
import { elasticsearch, eventually, pipelineConfig, startTestWorker, stopTestWorker } from '../support/stack';

jest.setTimeout(600000);

/** A surname no other test run has used (letters only: names are validated). */
function uniqueName(): string {
  const letters = 'bcdfghjklmnprstvz';
  let s = '';
  for (let i = 0; i < 7; i++) s += letters[randomInt(letters.length)];
  return `Q${s}`;
}

describe('steel thread: login → register → PostgreSQL → Debezium → Kafka → worker → Elasticsearch → search', () => {
  let owner: DataSource;
  let appRole: DataSource;
  let api: NestExpressApplication;
  let worker: Awaited<ReturnType<typeof startTestWorker>> | undefined;
  let a: { id: string };
  let b: { id: string };
  let admin: LoggedIn;
  let patient: { id: string; family: string };
  let clinicZone: string;

  const http = () => request(api.getHttpServer());
  const search = (user: LoggedIn, tenantId: string, q: string) =>
    http().get('/api/v1/search/patients').query({ q }).set(authHeaders(user.token, tenantId));
  const searchUntil = (
    user: LoggedIn,
    tenantId: string,
    q: string,
    ok: (body: SearchBody) => boolean,
    what: string,
  ) =>
    eventually(
      async () => {
        const res = await search(user, tenantId, q);
        return res.status === 200 && ok(res.body) ? (res.body as SearchBody) : undefined;
      },
      what,
      180000,
    );

  beforeAll(async () => {
    owner = await createDataSource(ownerUrl(), 2).initialize();
    appRole = await createDataSource(appUrl(), 2).initialize();
    b = await newTenant(owner, 'steel-b');
    worker = await startTestWorker('steel-thread');
    api = await createTestApp(pipelineConfig({ databaseUrl: appUrl(), databasePoolMax: 4 }));
  });

  afterAll(async () => {
    // Whatever happened, leave Elasticsearch running for the next suite.
    await Promise.resolve()
      .then(() => elasticsearch.start())
      .catch(() => undefined);
    await api?.close();
    await stopTestWorker(worker);
    await appRole?.destroy();
    await owner?.destroy();
  });

  it('a platform operator onboards the clinic; its first admin accepts the invitation and signs in', async () => {
    const operator = await operatorToken(api, owner);
    const body = provisioningBody('steel');
    // A clinic whose clock reads about midday now: its appointment below is later "today" whenever this runs.
    clinicZone = middayZone();
    body.settings.timeZone = clinicZone;
    const onboarded = await http()
      .post('/api/v1/platform/tenants')
      .set({ Authorization: `Bearer ${operator}`, 'Idempotency-Key': randomUUID() })
      .send(body);
    expect(onboarded.status).toBe(201);
    expect(onboarded.body).toMatchObject({ status: 'active', saga: { status: 'completed' } });
    a = { id: onboarded.body.id };
    const password = `Steel-${randomBytes(12).toString('base64url')}`;
    await http()
      .post('/api/v1/auth/invitations/accept')
      .set('X-Tenant-ID', a.id)
      .send({ token: onboarded.body.firstAdmin.invitation.token, password })
      .expect(204);
    // tenant_admin: password, then enrolment of an authenticator and its first code (docs/auth.md).
    const login = await staffSignIn(api, a.id, { email: body.firstAdmin.email, password });
    expect(login.status).toBe(200);
    const me = await http().get('/api/v1/auth/me').set(authHeaders(login.body.accessToken, a.id)).expect(200);
    expect(me.body.roles).toEqual(['tenant_admin']);
    admin = {
      token: login.body.accessToken,
      refreshToken: login.body.refreshToken,
      userId: me.body.user.id,
      email: body.firstAdmin.email,
      password,
    };
  });

  it('registers, captures, indexes, finds through Elasticsearch, audits and counts', async () => {
    const family = uniqueName();
    const created = await http()
      .post('/api/v1/patients')
      .set(authHeaders(admin.token, a.id))
      .send({
        name: { given: ['Aarav'], family },
        gender: 'male',
        birthDate: '1988-04-12',
        phones: ['098765 43210'],
      })
      .expect(201);
    patient = { id: created.body.id, family };

    // The row, as the application role with the tenant set (and invisible with another tenant).
    const rows = await asTenant(appRole, a.id, (tx) =>
      tx.query(`SELECT id, name_family, version, tenant_id FROM clinical.patients WHERE id = $1`, [
        patient.id,
      ]),
    );
    expect(rows).toEqual([{ id: patient.id, name_family: family, version: 1, tenant_id: a.id }]);
    expect(
      await asTenant(appRole, b.id, (tx) =>
        tx.query(`SELECT id FROM clinical.patients WHERE id = $1`, [patient.id]),
      ),
    ).toEqual([]);

    await http().get(`/api/v1/patients/${patient.id}`).set(authHeaders(admin.token, a.id)).expect(200);

    const found = await searchUntil(
      admin,
      a.id,
      `aarav ${family.toLowerCase()}`,
      (body) => body.source === 'elasticsearch' && body.items.some((i) => i.id === patient.id),
      'the new patient served by Elasticsearch',
    );
    expect(found.items.find((i) => i.id === patient.id)).toMatchObject({
      name: `Aarav ${family}`,
      version: 1,
      gender: 'male',
    });
    // By phone too, as people type it.
    const byPhone = await search(admin, a.id, '98765 43210');
    expect(byPhone.body.items.map((i: { id: string }) => i.id)).toContain(patient.id);

    const audit = await asTenant(owner, a.id, (tx) =>
      tx.query(`SELECT action, entity_type, entity_id, details FROM audit.audit_log ORDER BY entry_id`),
    );
    const has = (pred: (r: AuditRow) => boolean) => (audit as AuditRow[]).some(pred);
    expect(has((r) => r.action === 'user.logged_in' && r.entity_id === admin.userId)).toBe(true);
    expect(has((r) => r.action === 'patient.registered' && r.entity_id === patient.id)).toBe(true);
    expect(
      has(
        (r) => r.action === 'INSERT' && r.entity_type === 'clinical.patients' && r.entity_id === patient.id,
      ),
    ).toBe(true);
    expect(has((r) => r.action === 'read' && r.entity_type === 'patient' && r.entity_id === patient.id)).toBe(
      true,
    );
    expect(
      has(
        (r) =>
          r.action === 'search' &&
          r.details?.source === 'elasticsearch' &&
          (r.details?.resultIds as string[] | undefined)?.includes(patient.id) === true &&
          /^[0-9a-f]{64}$/.test(String(r.details?.queryHash)),
      ),
    ).toBe(true);
    expect(JSON.stringify(audit.filter((r: AuditRow) => r.action === 'search'))).not.toContain(
      family.toLowerCase(),
    );

    const summary = await eventually(
      async () => {
        const res = await http().get('/api/v1/analytics/summary').set(authHeaders(admin.token, a.id));
        return res.status === 200 && res.body.totals.registrations >= 1 && res.body.totals.logins >= 1
          ? res.body
          : undefined;
      },
      'the registration and the login counted',
      120000,
    );
    expect(summary.totals).toMatchObject({ registrations: 1, logins: 1, activeUsers: 1 });
    expect(summary.days).toEqual([
      expect.objectContaining({
        day: new Date().toISOString().slice(0, 10),
        registrations: 1,
        logins: 1,
        activeUsers: 1,
      }),
    ]);

    // Analytics is for tenant administrators only.
    const nurse = await loginAs(api, owner, a.id, ['nurse']);
    await http().get('/api/v1/analytics/summary').set(authHeaders(nurse.token, a.id)).expect(403);
  });

  it("never shows tenant A's patient to tenant B", async () => {
    const userB = await loginAs(api, owner, b.id, ['doctor']);
    for (const q of [`aarav ${patient.family.toLowerCase()}`, patient.family, '9876543210', patient.id]) {
      const res = await search(userB, b.id, q);
      expect(res.status).toBe(200);
      expect(res.body.items.map((i: { id: string }) => i.id)).not.toContain(patient.id);
    }
    await http().get(`/api/v1/patients/${patient.id}`).set(authHeaders(userB.token, b.id)).expect(404);
    // A's token with B's header is refused outright.
    await http()
      .get('/api/v1/search/patients')
      .query({ q: 'aarav' })
      .set(authHeaders(admin.token, b.id))
      .expect(403);
  });

  it('an update reaches the index with the new version', async () => {
    const renamed = uniqueName();
    await http()
      .patch(`/api/v1/patients/${patient.id}`)
      .set(authHeaders(admin.token, a.id))
      .set('If-Match', '"1"')
      .set('Content-Type', 'application/merge-patch+json')
      .send(JSON.stringify({ name: { given: ['Aarav'], family: renamed } }))
      .expect((res) => {
        if (res.status !== 200) throw new Error(`PATCH answered ${res.status}: ${JSON.stringify(res.body)}`);
      });
    const body = await searchUntil(
      admin,
      a.id,
      renamed,
      (x) => x.source === 'elasticsearch' && x.items.some((i) => i.id === patient.id && i.version === 2),
      'version 2 in Elasticsearch',
    );
    expect(body.items.find((i) => i.id === patient.id)).toMatchObject({
      name: `Aarav ${renamed}`,
      version: 2,
    });
    patient.family = renamed;
  });

  it('a visit: book → check in → record vitals, diagnosis and prescription → sign → FHIR document → audit shows each step', async () => {
    // The clinic's admin takes on its staff through the API.
    const staff = async (role: string) => {
      const email = `${role}-${randomUUID().slice(0, 8)}@steel.test`;
      const password = `Staff-${randomBytes(12).toString('base64url')}`;
      await http()
        .post('/api/v1/users')
        .set(authHeaders(admin.token, a.id))
        .send({ email, displayName: `Steel ${role}`, roles: [role], password })
        .expect(201);
      const res = await http()
        .post('/api/v1/auth/login')
        .set('X-Tenant-ID', a.id)
        .send({ email, password })
        .expect(200);
      const me = await http().get('/api/v1/auth/me').set(authHeaders(res.body.accessToken, a.id)).expect(200);
      return { token: res.body.accessToken as string, userId: me.body.user.id as string };
    };
    const desk = await staff('receptionist');
    const doctor = await staff('doctor');
    const as = (u: { token: string }) => authHeaders(u.token, a.id);

    const booked = await http()
      .post(`/api/v1/patients/${patient.id}/visits`)
      .set(as(desk))
      .send({
        attendingDoctorId: doctor.userId,
        department: 'General Medicine',
        scheduledAt: new Date().toISOString(),
        reason: 'Fever',
      })
      .expect(201);
    const visitId = booked.body.id as string;
    await http()
      .post(`/api/v1/visits/${visitId}/status`)
      .set(as(desk))
      .send({ status: 'arrived' })
      .expect(200);
    const started = await http()
      .post(`/api/v1/visits/${visitId}/status`)
      .set(as(doctor))
      .send({ status: 'in-progress' })
      .expect(200);
    const recorded = await http()
      .patch(`/api/v1/visits/${visitId}`)
      .set(as(doctor))
      .set('If-Match', `"${started.body.version}"`)
      .send({
        consultation: {
          vitals: {
            pulsePerMin: 92,
            systolicMmHg: 126,
            diastolicMmHg: 82,
            temperatureCel: 38.2,
            spo2Percent: 97,
          },
          complaints: [{ text: 'Fever for three days', clinicalStatus: 'active' }],
          diagnoses: [{ text: 'Viral fever', icd10: 'B34.9', clinicalStatus: 'active' }],
          medications: [
            {
              drug: 'Paracetamol',
              strength: '650 mg',
              dose: '1 tablet',
              route: 'oral',
              frequency: 'every 8 hours',
              durationDays: 3,
            },
          ],
          advice: 'Fluids and rest',
        },
      })
      .expect(200);
    await http()
      .post(`/api/v1/visits/${visitId}/sign`)
      .set(as(doctor))
      .set('If-Match', `"${recorded.body.version}"`)
      .expect(200);

    const document = await http().get(`/api/v1/visits/${visitId}/fhir`).set(as(doctor)).expect(200);
    expect(document.body).toMatchObject({ resourceType: 'Bundle', type: 'document' });
    expect(fhirErrors(document.body)).toEqual([]);

    const trail = await http()
      .get('/api/v1/audit')
      .query({ entityId: visitId, limit: 100 })
      .set(authHeaders(admin.token, a.id))
      .expect(200);
    const actions = (trail.body.items as { action: string }[]).map((i) => i.action);
    expect(actions).toEqual(
      expect.arrayContaining(['create', 'status_change', 'update', 'sign', 'fhir_read']),
    );
    // Another clinic cannot read the visit or its document.
    const userB = await loginAs(api, owner, b.id, ['doctor']);
    await http().get(`/api/v1/visits/${visitId}/fhir`).set(authHeaders(userB.token, b.id)).expect(404);
  });

  it('an appointment: a schedule → a free slot booked → checked in from the queue → the doctor calls them and starts', async () => {
    const staff = async (role: string) => {
      const email = `${role}-${randomUUID().slice(0, 8)}@steel.test`;
      const password = `Staff-${randomBytes(12).toString('base64url')}`;
      await http()
        .post('/api/v1/users')
        .set(authHeaders(admin.token, a.id))
        .send({ email, displayName: `Steel ${role}`, roles: [role], password })
        .expect(201);
      const res = await http().post('/api/v1/auth/login').set('X-Tenant-ID', a.id).send({ email, password }).expect(200);
      const me = await http().get('/api/v1/auth/me').set(authHeaders(res.body.accessToken, a.id)).expect(200);
      return { token: res.body.accessToken as string, userId: me.body.user.id as string };
    };
    const desk = await staff('receptionist');
    const doctor = await staff('doctor');
    const as = (u: { token: string }) => authHeaders(u.token, a.id);

    await http()
      .put(`/api/v1/schedules/${doctor.userId}`)
      .set(authHeaders(admin.token, a.id))
      .send({
        department: 'General Medicine',
        slotMinutes: 10,
        capacity: 2,
        weekly: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '00:00', end: '23:50' })),
      })
      .expect(200);
    const today = dayIn(clinicZone, 0);
    const free = await http().get('/api/v1/slots').query({ doctorId: doctor.userId, from: today, to: today }).set(as(desk)).expect(200);
    expect(free.body.items.length).toBeGreaterThan(0);
    const booked = await http()
      .post('/api/v1/appointments')
      .set(as(desk))
      .set('Idempotency-Key', randomUUID())
      .send({ patientId: patient.id, doctorId: doctor.userId, slotStart: free.body.items[0].start })
      .expect(201);
    const checkedIn = await http().post(`/api/v1/appointments/${booked.body.id}/check-in`).set(as(desk)).expect(200);
    expect(checkedIn.body).toMatchObject({ token: 1, appointment: { status: 'checked-in' } });

    const called = await http().post('/api/v1/queue/call-next').set(as(doctor)).send({ doctorId: doctor.userId }).expect(200);
    expect(called.body).toMatchObject({ token: 1, status: 'called', patientId: patient.id });
    await http().post(`/api/v1/queue/entries/${called.body.id}/status`).set(as(doctor)).send({ status: 'in-consultation' }).expect(200);
    const visit = await http().get(`/api/v1/visits/${checkedIn.body.appointment.visitId}`).set(as(doctor)).expect(200);
    expect(visit.body).toMatchObject({ status: 'in-progress', patientId: patient.id, attendingDoctorId: doctor.userId });

    // The appointment's and the queue's events went through Debezium like every other (their own topics).
    const events = await asTenant(owner, a.id, (tx) =>
      tx.query(`SELECT event_type FROM events.outbox WHERE aggregate_type IN ('appointment', 'queue') ORDER BY occurred_at, id`),
    );
    expect(events.map((e: { event_type: string }) => e.event_type)).toEqual(
      expect.arrayContaining(['appointment.booked', 'appointment.checked_in', 'queue.joined', 'queue.status_changed']),
    );
    // Another clinic sees neither the appointment nor the queue.
    const userB = await loginAs(api, owner, b.id, ['receptionist']);
    await http().get(`/api/v1/appointments/${booked.body.id}`).set(authHeaders(userB.token, b.id)).expect(404);
    const boardB = await http().get('/api/v1/queue').set(authHeaders(userB.token, b.id)).expect(200);
    expect(boardB.body.items).toEqual([]);
  });

  it('with Elasticsearch stopped search answers from PostgreSQL; once it is back the index catches up with nothing lost', async () => {
    elasticsearch.stop();
    let during: { id: string; family: string };
    try {
      const res = await search(admin, a.id, patient.family);
      expect(res.status).toBe(200);
      expect(res.body.source).toBe('database');
      expect(res.body.items.map((i: { id: string }) => i.id)).toContain(patient.id);
      const ready = await http().get('/health/ready');
      expect(ready.status).toBe(200);
      expect(ready.body.details.elasticsearch.status).toBe('degraded');

      // Changes keep coming while the index is unavailable.
      const family = uniqueName();
      const created = await http()
        .post('/api/v1/patients')
        .set(authHeaders(admin.token, a.id))
        .send({
          name: { given: ['Ishita'], family },
          gender: 'female',
          birthDate: '1995',
          phones: ['+91 91234 56789'],
        })
        .expect(201);
      during = { id: created.body.id, family };
      const third = uniqueName();
      await http()
        .patch(`/api/v1/patients/${patient.id}`)
        .set(authHeaders(admin.token, a.id))
        .set('If-Match', '"2"')
        .set('Content-Type', 'application/merge-patch+json')
        .send(JSON.stringify({ name: { given: ['Aarav'], family: third } }))
        .expect(200);
      patient.family = third;
      const meanwhile = await search(admin, a.id, family);
      expect(meanwhile.body.source).toBe('database');
      expect(meanwhile.body.items.map((i: { id: string }) => i.id)).toContain(during.id);
    } finally {
      elasticsearch.start();
    }

    await searchUntil(
      admin,
      a.id,
      during!.family,
      (x) => x.source === 'elasticsearch' && x.items.some((i) => i.id === during.id && i.version === 1),
      'the patient registered during the outage, from Elasticsearch',
    );
    await searchUntil(
      admin,
      a.id,
      patient.family,
      (x) => x.source === 'elasticsearch' && x.items.some((i) => i.id === patient.id && i.version === 3),
      'the update made during the outage, from Elasticsearch',
    );
    const events = await asTenant(owner, a.id, (tx) =>
      tx.query(
        `SELECT count(*)::int AS n FROM analytics.daily_counters WHERE metric = 'patient_registrations'`,
      ),
    );
    expect(events[0].n).toBeGreaterThan(0);
    const summary = await eventually(
      async () => {
        const res = await http().get('/api/v1/analytics/summary').set(authHeaders(admin.token, a.id));
        return res.body.totals?.registrations === 2 ? res.body : undefined;
      },
      'both registrations counted',
      120000,
    );
    expect(summary.totals.registrations).toBe(2);
  });
});

interface SearchBody {
  source: 'elasticsearch' | 'database';
  items: { id: string; name: string; version: number; gender: string }[];
  nextCursor: string | null;
}

interface AuditRow {
  action: string;
  entity_type: string;
  entity_id: string | null;
  details: Record<string, unknown> | null;
}
