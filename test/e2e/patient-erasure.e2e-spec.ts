/**
 * Needs: the project's PostgreSQL 15 (test/global-setup.ts starts it).
 * DPDP erasure over HTTP (docs/retention.md): only a tenant_admin of the patient's clinic can
 * erase; identity becomes placeholders, the clinical record stays; the request is recorded,
 * audited without the erased values, evented (checked against contracts/events); the hash
 * chain still verifies; bad input is problem+json and leaves nothing behind.
 */
import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { sealAuditRows, verifyAuditChain } from '../../libs/audit/src';
import { createDataSource } from '../../libs/database/src/data-source';
import { sealAuditTrail } from '../support/audit';
import { createTestApp } from '../support/app';
import { authHeaders, loginAs, LoggedIn } from '../support/auth';
import { ownerUrl } from '../support/env';
import { expectOutboxMatchesContracts } from '../support/event-contracts';
import { asTenant, newTenant } from '../support/fixtures';

jest.setTimeout(60_000);

const PROBLEM = /application\/problem\+json/;
const BASE = '/api/v1/patients';
const digits = (n: number) => String(Math.floor(Math.random() * 10 ** n)).padStart(n, '0');
const letters = (n: number) => Array.from({ length: n }, () => 'abcdefghijklmnopqrstuvwxyz'[Math.floor(Math.random() * 26)]).join('');

describe('patient erasure (HTTP)', () => {
  let app: NestExpressApplication;
  let owner: DataSource;
  let a: { id: string };
  let b: { id: string };
  let recA: LoggedIn;
  let adminA: LoggedIn;
  let adminB: LoggedIn;

  const server = () => app.getHttpServer();
  const as = (user: LoggedIn, tenantId: string) => authHeaders(user.token, tenantId);
  const erase = (user: LoggedIn, tenantId: string, id: string, body: unknown, ifMatch?: string) => {
    const req = request(server()).post(`${BASE}/${id}/erasure`).set(as(user, tenantId));
    if (ifMatch !== undefined) req.set('If-Match', ifMatch);
    return req.send(body as object);
  };
  const counts = (tenantId: string) =>
    asTenant(owner, tenantId, async (tx) => {
      const [row] = await tx.query(
        `SELECT (SELECT count(*)::int FROM clinical.patient_erasures) AS erasures,
                (SELECT count(*)::int FROM events.outbox WHERE event_type = 'patient.erased') AS events,
                (SELECT count(*)::int FROM clinical.patients WHERE name_text = 'Erased patient') AS erased`,
      );
      return row as { erasures: number; events: number; erased: number };
    });

  const register = async () => {
    const body = {
      name: { given: [`Meena${letters(6)}`], family: 'Iyer', prefix: ['Smt'] },
      gender: 'female',
      birthDate: '1984-03-17',
      phones: [`9${digits(9)}`],
      email: `meena${digits(5)}@example.in`,
      address: { lines: ['4 Temple St'], city: 'Madurai', district: 'Madurai', state: 'Tamil Nadu', postalCode: '625001', country: 'IN' },
      abhaNumber: `91${digits(12)}`,
      abhaAddress: `meena${digits(6)}@sbx`,
    };
    const res = await request(server()).post(BASE).set(as(recA, a.id)).send(body);
    expect(res.status).toBe(201);
    return { patient: res.body as { id: string; version: number; mrn: string }, body };
  };

  beforeAll(async () => {
    owner = await createDataSource(ownerUrl(), 2).initialize();
    a = await newTenant(owner, 'erase-a');
    b = await newTenant(owner, 'erase-b');
    app = await createTestApp({ databasePoolMax: 4 });
    [recA, adminA, adminB] = await Promise.all([
      loginAs(app, owner, a.id, ['receptionist']),
      loginAs(app, owner, a.id, ['tenant_admin']),
      loginAs(app, owner, b.id, ['tenant_admin']),
    ]);
  });

  afterAll(async () => {
    await app?.close();
    await owner?.destroy();
  });

  it('anonymises identity, keeps MRN, gender, birth year and state; recorded, audited without values, evented; chain verifies', async () => {
    const { patient, body } = await register();
    const res = await erase(adminA, a.id, patient.id, { reason: 'data_principal_request' }, '"1"').set(
      'Idempotency-Key',
      `erase-${digits(8)}`,
    );
    expect(res.status).toBe(200);
    expect(res.headers.etag).toBe('"2"');
    expect(res.body).toMatchObject({
      id: patient.id,
      mrn: patient.mrn,
      name: { given: [], family: null, prefix: [], text: 'Erased patient' },
      gender: 'female',
      birthDate: '1984',
      birthYear: 1984,
      birthDateApproximate: true,
      phones: [],
      email: null,
      address: { state: 'Tamil Nadu', country: 'IN' },
      abhaNumber: null,
      abhaAddress: null,
      active: false,
      version: 2,
    });

    const [record] = await asTenant(owner, a.id, (tx) =>
      tx.query(`SELECT id, reason, erased_fields, requested_by FROM clinical.patient_erasures WHERE patient_id = $1`, [patient.id]),
    );
    expect(record).toMatchObject({ reason: 'data_principal_request', requested_by: adminA.userId });
    expect(record.erased_fields).toEqual(['name', 'birthDate', 'phones', 'email', 'address', 'abhaNumber', 'abhaAddress']);

    // The erasure's own audit row holds no erased value; nothing written since then does.
    const rows: { changes: unknown; details: unknown }[] = await asTenant(owner, a.id, (tx) =>
      tx.query(
        `SELECT changes, details FROM audit.audit_log
          WHERE entry_id > (SELECT max(entry_id) FROM audit.audit_log WHERE action = 'INSERT' AND entity_id = $1)`,
        [patient.id],
      ),
    );
    const written = JSON.stringify(rows);
    for (const secret of [body.name.given[0], body.phones[0], body.email, body.abhaNumber, body.abhaAddress, '1984-03-17', 'Temple', '625001']) {
      expect(written).not.toContain(secret);
    }
    const [update] = await asTenant(owner, a.id, (tx) =>
      tx.query(`SELECT changes FROM audit.audit_log WHERE action = 'UPDATE' AND entity_id = $1`, [patient.id]),
    );
    expect(update.changes.name_text).toEqual({ old: { erased: true }, new: 'Erased patient' });
    expect(update.changes.active).toEqual({ old: true, new: false });

    const events = await expectOutboxMatchesContracts(owner, a.id, 'patient');
    const erased = events.filter((e) => e.event_type === 'patient.erased');
    expect(erased).toHaveLength(1);
    expect(erased[0].payload).toEqual({ patientId: patient.id, version: 2, erasureId: record.id });

    // Older audit rows keep their values (legal hold): the chain is untouched and verifies.
    await sealAuditTrail(owner, a.id);
    expect(await verifyAuditChain(owner, a.id)).toMatchObject({ ok: true, unsealed: 0 });

    // A later ordinary update is audited with its old values again (redaction was for the erasure only).
    const patch = await request(server()).patch(`${BASE}/${patient.id}`).set(as(recA, a.id)).set('If-Match', '"2"').send({ deceased: true });
    expect(patch.status).toBe(200);
    const [later] = await asTenant(owner, a.id, (tx) =>
      tx.query(`SELECT changes FROM audit.audit_log WHERE action = 'UPDATE' AND entity_id = $1 ORDER BY entry_id DESC LIMIT 1`, [patient.id]),
    );
    expect(later.changes.deceased).toEqual({ old: false, new: true });
    await sealAuditRows(owner, 10000);
    expect(await verifyAuditChain(owner, a.id)).toMatchObject({ ok: true });

    // A second erasure is a 409 and writes nothing.
    const before = await counts(a.id);
    const again = await erase(adminA, a.id, patient.id, { reason: 'data_principal_request' }, '"3"');
    expect(again.status).toBe(409);
    expect(again.body.type).toBe('urn:hims:problem:patient-erased');
    expect(await counts(a.id)).toEqual(before);
  });

  it('refuses non-admins, bad reasons, missing or stale If-Match with problem+json and writes nothing', async () => {
    const { patient } = await register();
    const before = await counts(a.id);

    const receptionist = await erase(recA, a.id, patient.id, { reason: 'data_principal_request' }, '"1"');
    expect(receptionist.status).toBe(403);
    expect(receptionist.headers['content-type']).toMatch(PROBLEM);

    const badReason = await erase(adminA, a.id, patient.id, { reason: 'because' }, '"1"');
    expect(badReason.status).toBe(400);
    expect(badReason.headers['content-type']).toMatch(PROBLEM);
    expect(JSON.stringify(badReason.body)).toContain('reason');

    const noReason = await erase(adminA, a.id, patient.id, {}, '"1"');
    expect(noReason.status).toBe(400);

    const noIfMatch = await erase(adminA, a.id, patient.id, { reason: 'consent_withdrawn' });
    expect(noIfMatch.status).toBe(428);
    expect(noIfMatch.headers['content-type']).toMatch(PROBLEM);

    const stale = await erase(adminA, a.id, patient.id, { reason: 'consent_withdrawn' }, '"7"');
    expect(stale.status).toBe(412);
    expect(stale.headers.etag).toBe('"1"');

    const malformed = await erase(adminA, a.id, 'not-a-uuid', { reason: 'consent_withdrawn' }, '"1"');
    expect(malformed.status).toBe(404);
    expect(malformed.headers['content-type']).toMatch(PROBLEM);

    expect(await counts(a.id)).toEqual(before);
  });

  it('another clinic’s admin can neither erase the patient nor see the erasure record', async () => {
    const { patient } = await register();
    const cross = await erase(adminB, b.id, patient.id, { reason: 'data_principal_request' }, '"1"');
    expect(cross.status).toBe(404);
    expect(cross.headers['content-type']).toMatch(PROBLEM);
    const [still] = await asTenant(owner, a.id, (tx) => tx.query(`SELECT name_text, version FROM clinical.patients WHERE id = $1`, [patient.id]));
    expect(still.version).toBe(1);
    expect(still.name_text).not.toBe('Erased patient');

    expect((await erase(adminA, a.id, patient.id, { reason: 'registered_in_error' }, '"1"')).status).toBe(200);
    const seenByB = await asTenant(owner, b.id, (tx) =>
      tx.query(`SELECT count(*)::int AS n FROM clinical.patient_erasures WHERE patient_id = $1`, [patient.id]),
    );
    expect(seenByB[0].n).toBe(0);
    const seenByA = await asTenant(owner, a.id, (tx) =>
      tx.query(`SELECT count(*)::int AS n FROM clinical.patient_erasures WHERE patient_id = $1`, [patient.id]),
    );
    expect(seenByA[0].n).toBe(1);
    expect((await counts(b.id)).events).toBe(0);
  });
});
