/**
 * Needs: the project's PostgreSQL 15 (test/global-setup.ts starts it).
 * Reminders through the SmsSender's development sink: an appointment reminder once per
 * appointment (also when two runs race), "your turn is near" once per queue entry, nothing to a
 * patient who opted out, no clinical content in the text, and another clinic's sink untouched.
 */
import { randomUUID } from 'node:crypto';
import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createDataSource } from '../../libs/database/src/data-source';
import { provisionTenant } from '../../libs/tenancy/src/tenant-provisioning';
import { createTestApp } from '../support/app';
import { authHeaders, loginAs, LoggedIn } from '../support/auth';
import { ownerUrl } from '../support/env';
import { asTenant, newTenant } from '../support/fixtures';
import { dayIn, middayZone, newPatient, putSchedule } from '../support/scheduling';

jest.setTimeout(90_000);

describe('reminders (SMS development sink)', () => {
  let app: NestExpressApplication;
  let owner: DataSource;
  let clinic: string;
  let other: { id: string };
  let zone: string;
  let rec: LoggedIn;
  let doc: LoggedIn;
  let admin: LoggedIn;
  let recB: LoggedIn;

  const server = () => app.getHttpServer();
  const as = (u: LoggedIn, tenantId = clinic) => authHeaders(u.token, tenantId);
  const sink = (tenantId: string) =>
    asTenant(owner, tenantId, (tx) => tx.query(`SELECT phone, message FROM clinical.abdm_sms_sink ORDER BY created_at, id`)) as Promise<
      { phone: string; message: string }[]
    >;
  const remind = (u: LoggedIn, hours = 48) =>
    request(server()).post('/api/v1/queue/reminders/appointments').set(as(u)).send({ hours });

  beforeAll(async () => {
    owner = await createDataSource(ownerUrl(), 2).initialize();
    zone = middayZone();
    clinic = (
      await provisionTenant(owner, {
        slug: `remind-${randomUUID().slice(0, 8)}`,
        name: 'Sunrise Clinic',
        status: 'active',
        settings: { defaultRegion: 'IN', timeZone: zone },
      })
    ).id;
    other = await newTenant(owner, 'remind-b');
    app = await createTestApp({ databasePoolMax: 8 });
    [rec, doc, admin, recB] = await Promise.all([
      loginAs(app, owner, clinic, ['receptionist']),
      loginAs(app, owner, clinic, ['doctor']),
      loginAs(app, owner, clinic, ['tenant_admin']),
      loginAs(app, owner, other.id, ['receptionist']),
    ]);
    await putSchedule(server(), as(admin), doc.userId, {
      department: 'Oncology',
      slotMinutes: 5,
      capacity: 5,
      weekly: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '00:00', end: '23:55' })),
    });
  });

  afterAll(async () => {
    await app?.close();
    await owner?.destroy();
  });

  it('an appointment reminder goes once per appointment, not to an opted-out patient, without clinical content', async () => {
    const slots = await request(server())
      .get('/api/v1/slots')
      .query({ doctorId: doc.userId, from: dayIn(zone, 0), to: dayIn(zone, 1) })
      .set(as(rec));
    const [keen, quiet] = [await newPatient(server(), as(rec), 'Keen'), await newPatient(server(), as(rec), 'Quiet')];
    for (const patientId of [keen, quiet]) {
      const res = await request(server()).post('/api/v1/appointments').set(as(rec)).send({ patientId, doctorId: doc.userId, slotStart: slots.body.items[0].start });
      expect(res.status).toBe(201);
    }
    expect((await request(server()).put(`/api/v1/queue/sms-opt-outs/${quiet}`).set(as(doc))).status).toBe(403);
    expect((await request(server()).put(`/api/v1/queue/sms-opt-outs/${quiet}`).set(as(rec))).status).toBe(204);
    expect((await request(server()).put(`/api/v1/queue/sms-opt-outs/${quiet}`).set(as(recB, other.id))).status).toBe(404);
    expect((await request(server()).put(`/api/v1/queue/sms-opt-outs/${randomUUID()}`).set(as(rec))).status).toBe(404);

    expect((await remind(doc)).status).toBe(403);
    const [first, second] = await Promise.all([remind(rec), remind(admin)]);
    expect([first.status, second.status]).toEqual([200, 200]);
    const total = [first.body, second.body].reduce((t, b) => ({ sent: t.sent + b.sent, optedOut: t.optedOut + b.optedOut }), {
      sent: 0,
      optedOut: 0,
    });
    expect(total).toEqual({ sent: 1, optedOut: 1 });
    expect((await remind(rec)).body).toEqual({ sent: 0, optedOut: 0, noPhone: 0 });

    const messages = await sink(clinic);
    expect(messages).toHaveLength(1);
    expect(messages[0].phone).toBe('+919812345678');
    expect(messages[0].message).toMatch(/^Sunrise Clinic: a reminder of your appointment on .+\. Reply STOP to stop these messages\.$/);
    expect(messages[0].message).not.toMatch(/Oncology|Keen|Test doctor/);
    expect(await sink(other.id)).toEqual([]);
  });

  it('"your turn is near" once per waiting patient with at most the set number ahead', async () => {
    await request(server())
      .put('/api/v1/queue/settings')
      .set(as(admin))
      .set('If-Match', '"0"')
      .send({ displayInitials: false, noShowGraceMinutes: 30, turnNearAhead: 2 });
    const entries = [];
    for (let i = 0; i < 5; i++) {
      const p = await newPatient(server(), as(rec), `Walk${'abcde'[i]}`);
      const res = await request(server()).post('/api/v1/queue/walk-ins').set(as(rec)).send({ doctorId: doc.userId, patientId: p, department: 'Oncology' });
      entries.push(res.body as { id: string; token: number });
    }
    const before = (await sink(clinic)).length;
    const callNext = () => request(server()).post('/api/v1/queue/call-next').set(as(doc)).send({ doctorId: doc.userId });
    const move = (id: string, status: string) => request(server()).post(`/api/v1/queue/entries/${id}/status`).set(as(doc)).send({ status });

    expect((await callNext()).body.token).toBe(entries[0].token); // 1 called; tokens 2 (1 ahead) and 3 (2 ahead) are near
    // One transaction sends both (same created_at): compared as a set.
    let texts = (await sink(clinic)).slice(before).map((m) => m.message);
    expect(texts.sort()).toEqual([
      `Sunrise Clinic: your turn is near (token ${entries[1].token}). Please stay close to the consultation room.`,
      `Sunrise Clinic: your turn is near (token ${entries[2].token}). Please stay close to the consultation room.`,
    ]);
    await move(entries[0].id, 'in-consultation');
    await move(entries[0].id, 'done');
    expect((await callNext()).body.token).toBe(entries[1].token); // 2 called; 3 already told; 4 now has 2 ahead
    await move(entries[1].id, 'skipped');
    await move(entries[1].id, 'recalled'); // a recall changes who is near, but nobody hears twice
    texts = (await sink(clinic)).slice(before).map((m) => m.message);
    expect(texts.map((t) => Number(/token (\d+)/.exec(t)![1])).sort((x, y) => x - y)).toEqual([entries[1].token, entries[2].token, entries[3].token]);
    const [ledger] = await asTenant(owner, clinic, (tx) =>
      tx.query(`SELECT count(*)::int AS n FROM clinical.reminders_sent WHERE kind = 'turn-near'`),
    );
    expect(ledger.n).toBe(3);
  });
});
