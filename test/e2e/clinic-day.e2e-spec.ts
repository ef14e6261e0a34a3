/**
 * Needs: the project's PostgreSQL 15 (test/global-setup.ts starts it).
 * The clinic's day over HTTP: the doctors list, the day's visits (front desk and a doctor's
 * own list, with patient name and MRN), and the printed OPD card and prescription (PDF read
 * back with pdftotext), each audited; another clinic sees none of it (the same 404 / empty list).
 */
import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createDataSource } from '../../libs/database/src/data-source';
import { createTestApp } from '../support/app';
import { authHeaders, loginAs, LoggedIn } from '../support/auth';
import { ownerUrl } from '../support/env';
import { asTenant, newTenant } from '../support/fixtures';
import { pdfPages, pdfText, squash } from '../support/pdf-text';
import { eventSchemaErrors } from '../support/platform';

jest.setTimeout(60_000);

const binary = (res: request.Response, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

describe('clinic day (HTTP)', () => {
  let app: NestExpressApplication;
  let owner: DataSource;
  let a: { id: string };
  let b: { id: string };
  let recA: LoggedIn;
  let docA: LoggedIn;
  let recB: LoggedIn;
  let adminA: LoggedIn;
  let adminB: LoggedIn;
  let patientId: string;
  let mrn: string;
  let visitId: string;
  const server = () => app.getHttpServer();
  const as = (u: LoggedIn, t = a.id) => authHeaders(u.token, t);
  const family = `Day${Array.from({ length: 6 }, () => 'abcdefghijklmnopqrstuvwxyz'[Math.floor(Math.random() * 26)]).join('')}`;

  beforeAll(async () => {
    owner = await createDataSource(ownerUrl(), 2).initialize();
    a = await newTenant(owner, 'day-a');
    b = await newTenant(owner, 'day-b');
    app = await createTestApp({ databasePoolMax: 4 });
    [recA, docA, recB, adminA, adminB] = await Promise.all([
      loginAs(app, owner, a.id, ['receptionist']),
      loginAs(app, owner, a.id, ['doctor']),
      loginAs(app, owner, b.id, ['receptionist']),
      loginAs(app, owner, a.id, ['tenant_admin']),
      loginAs(app, owner, b.id, ['tenant_admin']),
    ]);
    const p = await request(server())
      .post('/api/v1/patients')
      .set(as(recA))
      .send({ name: { given: ['Asha'], family }, gender: 'female', birthDate: '1990-03-15', phones: ['+919876543210'], allowDuplicate: true });
    expect(p.status).toBe(201);
    patientId = p.body.id;
    mrn = p.body.mrn;
    const v = await request(server())
      .post(`/api/v1/patients/${patientId}/visits`)
      .set(as(recA))
      .send({ attendingDoctorId: docA.userId, department: 'General Medicine', scheduledAt: '2026-12-08T04:30:00.000Z' });
    expect(v.status).toBe(201);
    visitId = v.body.id;
  });

  afterAll(async () => {
    await app?.close();
    await owner?.destroy();
  });

  it('lists the clinic’s doctors for booking, to every staff role', async () => {
    const res = await request(server()).get('/api/v1/doctors').set(as(recA));
    expect(res.status).toBe(200);
    expect(res.body.items).toContainEqual({ id: docA.userId, displayName: expect.any(String), active: true });
    const other = await request(server()).get('/api/v1/doctors').set(as(recB, b.id));
    expect(other.body.items.map((d: { id: string }) => d.id)).not.toContain(docA.userId);
  });

  it("lists the day's visits with patient name and MRN, for the desk and for one doctor; another clinic sees none", async () => {
    const window = { from: '2026-12-08T00:00:00+05:30', to: '2026-12-09T00:00:00+05:30' };
    const desk = await request(server()).get('/api/v1/visits').query(window).set(as(recA));
    expect(desk.status).toBe(200);
    const mine = desk.body.items.find((i: { id: string }) => i.id === visitId);
    expect(mine).toMatchObject({ status: 'planned', patient: { id: patientId, mrn, name: `Asha ${family}` }, attendingDoctorName: expect.any(String) });
    const doctor = await request(server()).get('/api/v1/visits').query({ ...window, attendingDoctorId: docA.userId }).set(as(docA));
    expect(doctor.body.items.map((i: { id: string }) => i.id)).toEqual([visitId]);
    const other = await request(server()).get('/api/v1/visits').query(window).set(as(recB, b.id));
    expect(other.status).toBe(200);
    expect(other.body.items).toEqual([]);
    const audited = await asTenant(owner, a.id, (tx) =>
      tx.query(`SELECT details FROM audit.audit_log WHERE action = 'list_visits_day' AND actor_id = $1`, [docA.userId]),
    );
    expect(audited).toEqual([{ details: { visitIds: [visitId] } }]);
  });

  it('refuses a window that is backwards or longer than two days (problem+json, field to)', async () => {
    const res = await request(server()).get('/api/v1/visits').query({ from: '2026-12-08T00:00:00Z', to: '2026-12-11T00:00:00Z' }).set(as(recA));
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'to' })]);
  });

  it('prints the OPD card with the MRN, in English and Hindi, A5 and A4; not for another clinic', async () => {
    const en = await request(server()).get(`/api/v1/patients/${patientId}/opd-card.pdf`).set(as(recA)).buffer(true).parse(binary);
    expect(en.status).toBe(200);
    expect(en.headers['content-type']).toBe('application/pdf');
    const text = squash(pdfText(en.body));
    expect(text).toContain('OPD card');
    expect(text).toContain(`Patient Asha ${family}`);
    expect(text).toContain(`MRN ${mrn}`);
    expect(text).toContain('Female');
    const hi = await request(server()).get(`/api/v1/patients/${patientId}/opd-card.pdf`).query({ lang: 'hi', size: 'A4' }).set(as(recA)).buffer(true).parse(binary);
    // pdftotext gives Devanagari in visual order (the i-matra first): compare words without one.
    expect(squash(pdfText(hi.body))).toContain('रोगी Asha');
    expect(hi.body.toString('latin1')).toMatch(/\/MediaBox \[0 0 595\.28 841\.89\]/);
    expect(pdfPages(hi.body)).toHaveLength(1);
    const other = await request(server()).get(`/api/v1/patients/${patientId}/opd-card.pdf`).set(as(recB, b.id));
    expect(other.status).toBe(404);
    expect(other.headers['content-type']).toMatch(/problem\+json/);
  });

  it('prints a prescription only from a signed visit, with doctor, diagnoses and medicines', async () => {
    const unsigned = await request(server()).get(`/api/v1/visits/${visitId}/prescription.pdf`).set(as(recA));
    expect(unsigned.status).toBe(409);
    let v = await request(server()).post(`/api/v1/visits/${visitId}/status`).set(as(recA)).send({ status: 'arrived' });
    v = await request(server())
      .patch(`/api/v1/visits/${visitId}`)
      .set(as(docA))
      .set('If-Match', `"${v.body.version}"`)
      .send({
        consultation: {
          vitals: { systolicMmHg: 128, diastolicMmHg: 84, pulsePerMin: 88 },
          diagnoses: [{ text: 'Acute upper respiratory infection', icd10: 'J06.9', clinicalStatus: 'active' }],
          medications: [{ drug: 'Paracetamol', strength: '500 mg', dose: '1 tablet', route: 'oral', frequency: 'three times a day', durationDays: 3 }],
          advice: 'Rest and fluids',
          followUpDate: '2026-12-15',
        },
      });
    expect(v.status).toBe(200);
    expect((await request(server()).post(`/api/v1/visits/${visitId}/sign`).set(as(docA))).status).toBe(200);
    const pdf = await request(server()).get(`/api/v1/visits/${visitId}/prescription.pdf`).set(as(recA)).buffer(true).parse(binary);
    expect(pdf.status).toBe(200);
    const text = squash(pdfText(pdf.body));
    for (const words of ['Prescription', `MRN ${mrn}`, 'Department General Medicine', 'Acute upper respiratory infection (J06.9)', 'Paracetamol 500 mg 1 tablet oral three times 3', 'Advice: Rest and fluids', 'Follow-up: 15/12/2026', 'BP 128/84 mmHg', 'Signature']) {
      expect(text).toContain(words);
    }
    const other = await request(server()).get(`/api/v1/visits/${visitId}/prescription.pdf`).set(as(recB, b.id));
    expect(other.status).toBe(404);
    const audited = await asTenant(owner, a.id, (tx) =>
      tx.query(`SELECT entity_type, details FROM audit.audit_log WHERE action = 'print' AND actor_id = $1 ORDER BY entry_id`, [recA.userId]),
    );
    expect(audited).toEqual([
      { entity_type: 'patient', details: null },
      { entity_type: 'patient', details: null },
      { entity_type: 'patient', details: null },
      { entity_type: 'visit', details: { document: 'prescription', contentVersion: 1 } },
    ]);
  });

  it('reactivates a deactivated patient: admin only, If-Match checked, a patient.updated event of [active]; not across clinics', async () => {
    const reg = await request(server())
      .post('/api/v1/patients')
      .set(as(recA))
      .send({ name: { given: ['Ravi'], family }, gender: 'male', birthDate: '1980', allowDuplicate: true });
    const id = reg.body.id as string;
    expect((await request(server()).delete(`/api/v1/patients/${id}`).set(as(adminA))).status).toBe(204);
    const byDesk = await request(server()).post(`/api/v1/patients/${id}/reactivate`).set(as(recA));
    expect(byDesk.status).toBe(403);
    const stale = await request(server()).post(`/api/v1/patients/${id}/reactivate`).set(as(adminA)).set('If-Match', '"1"');
    expect(stale.status).toBe(412);
    const foreign = await request(server()).post(`/api/v1/patients/${id}/reactivate`).set(as(adminB, b.id));
    expect(foreign.status).toBe(404);
    const ok = await request(server()).post(`/api/v1/patients/${id}/reactivate`).set(as(adminA)).set('If-Match', '"2"');
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ id, active: true, version: 3 });
    expect(ok.headers.etag).toBe('"3"');
    const again = await request(server()).post(`/api/v1/patients/${id}/reactivate`).set(as(adminA));
    expect(again.body.version).toBe(3);
    const events = (await asTenant(owner, a.id, (tx) =>
      tx.query(`SELECT event_type, payload FROM events.outbox WHERE aggregate_id = $1 ORDER BY occurred_at, id`, [id]),
    )) as { event_type: string; payload: Record<string, unknown> }[];
    expect(events.map((e) => e.event_type)).toEqual(['patient.registered', 'patient.deactivated', 'patient.updated']);
    expect(events[2].payload).toMatchObject({ patientId: id, version: 3, changedFields: ['active'] });
    expect(eventSchemaErrors('patient.updated', events[2].payload)).toBeNull();
  });
});
