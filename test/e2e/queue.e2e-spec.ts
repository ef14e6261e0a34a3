/**
 * Needs: the project's PostgreSQL 15 (test/global-setup.ts starts it).
 * The OPD queue over HTTP: token uniqueness under concurrent walk-ins, the moves and their role
 * rules (a doctor acts on their own queue only), call-next, reorder with a reason, estimated
 * waits, the waiting-room display (key, initials setting) and its server-sent events, wait
 * analytics, and another clinic seeing nothing (API, events, display, stream).
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createDataSource } from '../../libs/database/src/data-source';
import { createTestApp } from '../support/app';
import { authHeaders, loginAs, LoggedIn } from '../support/auth';
import { ownerUrl } from '../support/env';
import { expectOutboxMatchesContracts } from '../support/event-contracts';
import { asTenant, newTenant } from '../support/fixtures';
import { dayIn, newPatient } from '../support/scheduling';
import { openEventStream } from '../support/sse';

jest.setTimeout(90_000);

describe('OPD queue (HTTP)', () => {
  let app: NestExpressApplication;
  let base: string;
  let owner: DataSource;
  let a: { id: string };
  let b: { id: string };
  let recA: LoggedIn;
  let docA: LoggedIn;
  let doc2A: LoggedIn;
  let nurseA: LoggedIn;
  let adminA: LoggedIn;
  let recB: LoggedIn;
  let docB: LoggedIn;

  const server = () => app.getHttpServer();
  const as = (u: LoggedIn, tenantId = a.id) => authHeaders(u.token, tenantId);
  const walkIn = (u: LoggedIn, doctorId: string, patientId: string, tenantId = a.id) =>
    request(server()).post('/api/v1/queue/walk-ins').set(as(u, tenantId)).send({ doctorId, patientId, department: 'General Medicine' });
  const move = (u: LoggedIn, id: string, status: string, tenantId = a.id) =>
    request(server()).post(`/api/v1/queue/entries/${id}/status`).set(as(u, tenantId)).send({ status });
  const lane = (u: LoggedIn, doctorId: string, tenantId = a.id) =>
    request(server()).get(`/api/v1/queue/doctors/${doctorId}`).set(as(u, tenantId));

  beforeAll(async () => {
    owner = await createDataSource(ownerUrl(), 2).initialize();
    a = await newTenant(owner, 'queue-a');
    b = await newTenant(owner, 'queue-b');
    app = await createTestApp({ databasePoolMax: 12 });
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    [recA, docA, doc2A, nurseA, adminA, recB, docB] = await Promise.all([
      loginAs(app, owner, a.id, ['receptionist']),
      loginAs(app, owner, a.id, ['doctor']),
      loginAs(app, owner, a.id, ['doctor']),
      loginAs(app, owner, a.id, ['nurse']),
      loginAs(app, owner, a.id, ['tenant_admin']),
      loginAs(app, owner, b.id, ['receptionist']),
      loginAs(app, owner, b.id, ['doctor']),
    ]);
  });

  afterAll(async () => {
    await app?.close();
    await owner?.destroy();
  });

  it('12 concurrent walk-ins for one doctor get tokens 1..12, each once; another doctor starts at 1', async () => {
    const patients = await Promise.all(Array.from({ length: 12 }, () => newPatient(server(), as(recA))));
    const answers = await Promise.all(patients.map((p) => walkIn(recA, docA.userId, p)));
    expect(answers.map((r) => r.status)).toEqual(Array(12).fill(201));
    expect(answers.map((r) => r.body.token).sort((x, y) => x - y)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(new Set(answers.map((r) => r.body.visitId)).size).toBe(12);
    const other = await walkIn(recA, doc2A.userId, patients[0]);
    expect(other.body).toMatchObject({ token: 1, status: 'waiting', source: 'walk-in' });
    const visit = await request(server()).get(`/api/v1/visits/${other.body.visitId}`).set(as(docA));
    expect(visit.body.status).toBe('arrived');
    const [counter] = await asTenant(owner, a.id, (tx) =>
      tx.query(`SELECT last_token FROM clinical.queue_counters WHERE lane = $1 AND service_day = $2`, [docA.userId, dayIn('Asia/Kolkata', 0)]),
    );
    expect(counter.last_token).toBe(12);
  });

  it('walk-ins are for the desk; a doctor or a nurse gets 403, an unknown patient 404', async () => {
    const p = await newPatient(server(), as(recA));
    expect((await walkIn(docA, docA.userId, p)).status).toBe(403);
    expect((await walkIn(nurseA, docA.userId, p)).status).toBe(403);
    expect((await walkIn(recA, docA.userId, randomUUID())).status).toBe(404);
    const notDoctor = await walkIn(recA, nurseA.userId, p);
    expect(notDoctor.status).toBe(400);
    expect(notDoctor.body.errors[0].field).toBe('doctorId');
  });

  it('moves and role rules: another doctor cannot call; the desk cannot start; done is final; skipped comes back as recalled', async () => {
    const queue = (await lane(docA, docA.userId)).body.items as { id: string; token: number; status: string }[];
    const first = queue[0];
    expect((await move(doc2A, first.id, 'called')).status).toBe(403);
    const called = await request(server()).post('/api/v1/queue/call-next').set(as(docA)).send({ doctorId: docA.userId });
    expect(called.status).toBe(200);
    expect(called.body).toMatchObject({ id: first.id, token: 1, status: 'called' });
    expect((await request(server()).post('/api/v1/queue/call-next').set(as(doc2A)).send({ doctorId: docA.userId })).status).toBe(403);
    expect((await move(recA, first.id, 'in-consultation')).status).toBe(403);
    expect((await move(doc2A, first.id, 'in-consultation')).status).toBe(403);
    const started = await move(docA, first.id, 'in-consultation');
    expect(started.status).toBe(200);
    const visit = await request(server()).get(`/api/v1/visits/${started.body.visitId}`).set(as(docA));
    expect(visit.body.status).toBe('in-progress');
    expect((await move(docA, first.id, 'done')).status).toBe(200);
    const again = await move(docA, first.id, 'called');
    expect(again.status).toBe(409);
    expect(again.body.allowed).toEqual([]);

    const second = await request(server()).post('/api/v1/queue/call-next').set(as(recA)).send({ doctorId: docA.userId });
    expect(second.body.token).toBe(2);
    expect((await move(recA, second.body.id, 'skipped')).body.status).toBe('skipped');
    expect((await move(recA, second.body.id, 'in-consultation')).status).toBe(403);
    expect((await move(nurseA, second.body.id, 'in-consultation')).status).toBe(409);
    expect((await move(nurseA, second.body.id, 'recalled')).body.status).toBe('recalled');
    expect((await move(nurseA, second.body.id, 'in-consultation')).body.status).toBe('in-consultation');
    expect((await move(docA, randomUUID(), 'called')).status).toBe(404);
    expect((await move(docA, 'not-an-id', 'called')).status).toBe(404);
    expect((await move(docA, second.body.id, 'waiting')).status).toBe(400);
  });

  it('reorder with a reason puts an emergency first; call-next follows the new order; estimated waits follow the pace', async () => {
    const before = (await lane(recA, docA.userId)).body;
    const waiting = before.items.filter((e: { status: string }) => e.status === 'waiting');
    const last = waiting[waiting.length - 1];
    expect((await request(server()).post(`/api/v1/queue/entries/${last.id}/reorder`).set(as(recA)).send({ index: 0 })).status).toBe(400);
    expect(
      (await request(server()).post(`/api/v1/queue/entries/${last.id}/reorder`).set(as(docA)).send({ index: 0, reason: 'Emergency' })).status,
    ).toBe(403);
    const moved = await request(server())
      .post(`/api/v1/queue/entries/${last.id}/reorder`)
      .set(as(nurseA))
      .send({ index: 0, reason: 'Emergency: breathless' });
    expect(moved.status).toBe(200);
    expect(moved.body.reorderReason).toBe('Emergency: breathless');
    const after = (await lane(recA, docA.userId)).body;
    const order = after.items.filter((e: { status: string }) => e.status === 'waiting').map((e: { token: number }) => e.token);
    expect(order[0]).toBe(last.token);
    expect(order.slice(1)).toEqual(waiting.slice(0, -1).map((e: { token: number }) => e.token));
    // One finished consultation (its real duration) sets the pace; one patient is in consultation ahead of all.
    const pace = after.paceMinutes;
    expect(pace).toBeGreaterThanOrEqual(0);
    const waits = after.items.filter((e: { status: string }) => e.status === 'waiting').map((e: { estimatedWaitMinutes: number }) => e.estimatedWaitMinutes);
    expect(waits).toEqual(order.map((_: number, i: number) => Math.round((i + 1) * pace)));
    const next = await request(server()).post('/api/v1/queue/call-next').set(as(docA)).send({ doctorId: docA.userId });
    expect(next.body.token).toBe(last.token);
  });

  it('with no consultation finished yet, the pace is the slot length of the schedule', async () => {
    await request(server())
      .put(`/api/v1/schedules/${doc2A.userId}`)
      .set(as(adminA))
      .send({ department: 'ENT', slotMinutes: 12, capacity: 1, weekly: [{ weekday: 1, start: '09:00', end: '10:00' }] });
    const v = (await lane(recA, doc2A.userId)).body;
    expect(v.paceMinutes).toBe(12);
    expect(v.items[0].estimatedWaitMinutes).toBe(0);
  });

  it('the waiting-room display: tokens only (initials when enabled), live over SSE, and only its own clinic', async () => {
    const keyA = await request(server()).post('/api/v1/queue/displays').set(as(recA)).send({ label: 'OPD hall' });
    expect(keyA.status).toBe(201);
    expect((await request(server()).post('/api/v1/queue/displays').set(as(docA)).send({ label: 'x' })).status).toBe(403);
    const keyB = await request(server()).post('/api/v1/queue/displays').set(as(recB, b.id)).send({ label: 'Hall B' });

    const wall = await request(server()).get('/api/v1/queue-display').query({ key: keyA.body.key });
    expect(wall.status).toBe(200);
    const laneA = wall.body.lanes.find((l: { calling: { token: number }[] }) => l.calling.length > 0);
    expect(laneA.calling[0]).toEqual({ token: expect.any(Number) });
    expect(JSON.stringify(wall.body)).not.toMatch(/Patient[a-z]{6}|Queue /);

    const forged = `${b.id}.${keyA.body.key.split('.')[1]}`;
    expect((await request(server()).get('/api/v1/queue-display').query({ key: forged })).status).toBe(404);
    expect((await request(server()).get('/api/v1/queue-display').query({ key: 'nonsense' })).status).toBe(404);
    expect((await request(server()).get('/api/v1/queue-display/stream').query({ key: forged })).status).toBe(404);
    const wallB = await request(server()).get('/api/v1/queue-display').query({ key: keyB.body.key });
    expect(wallB.body.lanes).toEqual([]);

    const streamA = await openEventStream(`${base}/api/v1/queue-display/stream?key=${encodeURIComponent(keyA.body.key)}`);
    const streamB = await openEventStream(`${base}/api/v1/queue-display/stream?key=${encodeURIComponent(keyB.body.key)}`);
    try {
      const firstA = await streamA.next('wall');
      expect(firstA.lanes.length).toBeGreaterThan(0);
      expect((await streamB.next('wall')).lanes).toEqual([]);

      // The clinic turns initials on and calls the next patient: A's wall shows it, with initials.
      const settings = await request(server()).get('/api/v1/queue/settings').set(as(adminA));
      expect(settings.body).toMatchObject({ displayInitials: false, version: 0 });
      const wanted = { displayInitials: true, noShowGraceMinutes: 20, turnNearAhead: 3 };
      expect((await request(server()).put('/api/v1/queue/settings').set(as(recA)).set('If-Match', '"0"').send(wanted)).status).toBe(403);
      expect((await request(server()).put('/api/v1/queue/settings').set(as(adminA)).send(wanted)).status).toBe(428);
      const put = await request(server())
        .put('/api/v1/queue/settings')
        .set(as(adminA))
        .set('If-Match', '"0"')
        .send(wanted);
      expect(put.status).toBe(200);
      expect(put.headers.etag).toBe('"1"');
      expect((await request(server()).put('/api/v1/queue/settings').set(as(adminA)).set('If-Match', '"0"').send(wanted)).status).toBe(412);
      const called = await request(server()).post('/api/v1/queue/call-next').set(as(docA)).send({ doctorId: docA.userId });
      expect(called.status).toBe(200);
      let seen = await streamA.next('wall');
      while (!seen.lanes.some((l: { calling: { token: number }[] }) => l.calling.some((c) => c.token === called.body.token)))
        seen = await streamA.next('wall');
      const calling = seen.lanes.flatMap((l: { calling: { token: number; initials?: string }[] }) => l.calling);
      expect(calling.find((c: { token: number }) => c.token === called.body.token).initials).toMatch(/^Q[A-Z]$/);

      // B's next event is B's own change, never A's.
      const pB = await newPatient(server(), as(recB, b.id));
      const joinedB = await walkIn(recB, docB.userId, pB, b.id);
      expect(joinedB.status).toBe(201);
      const nextB = await streamB.next('wall');
      expect(nextB.lanes).toEqual([{ doctorName: expect.any(String), calling: [], inConsultation: [], next: [1] }]);
      expect(streamB.received('wall')).toHaveLength(2);
    } finally {
      streamA.close();
      streamB.close();
    }
  });

  it('another clinic sees nothing: board, lane, entries, analytics; queue events stay in their clinic and match contracts', async () => {
    const boardA = (await request(server()).get('/api/v1/queue').set(as(recA))).body.items;
    expect(boardA.length).toBeGreaterThan(10);
    const boardB = (await request(server()).get('/api/v1/queue').set(as(recB, b.id))).body.items;
    expect(boardB).toHaveLength(1);
    expect((await lane(recB, docA.userId, b.id)).body.items).toEqual([]);
    expect((await move(docB, boardA[0].id, 'called', b.id)).status).toBe(404);
    expect(
      (await request(server()).post(`/api/v1/queue/entries/${boardA[1].id}/reorder`).set(as(recB, b.id)).send({ index: 0, reason: 'x' })).status,
    ).toBe(404);
    expect((await request(server()).post('/api/v1/queue/call-next').set(as(recB, b.id)).send({ doctorId: docA.userId })).status).toBe(409);

    const today = dayIn('Asia/Kolkata', 0);
    const waits = await request(server()).get('/api/v1/queue/analytics/waits').query({ from: today, to: today }).set(as(adminA));
    expect(waits.status).toBe(200);
    const mine = waits.body.items.find((w: { doctorId: string }) => w.doctorId === docA.userId);
    expect(mine.seen).toBeGreaterThanOrEqual(3);
    expect(mine.p90WaitMinutes).toBeGreaterThanOrEqual(mine.medianWaitMinutes);
    const waitsB = await request(server()).get('/api/v1/queue/analytics/waits').query({ from: today, to: today }).set(as(recB, b.id));
    expect(waitsB.body.items).toEqual([]);

    const eventsA = await expectOutboxMatchesContracts(owner, a.id, 'queue');
    const eventsB = await expectOutboxMatchesContracts(owner, b.id, 'queue');
    expect(new Set(eventsA.map((e) => e.event_type))).toEqual(new Set(['queue.joined', 'queue.status_changed', 'queue.reordered']));
    expect(eventsB.map((e) => e.event_type)).toEqual(['queue.joined']);
    const idsA = new Set(eventsA.map((e) => e.aggregate_id));
    expect(eventsB.filter((e) => idsA.has(e.aggregate_id))).toEqual([]);
    for (const e of eventsA) expect(JSON.stringify(e.payload)).not.toMatch(/Emergency|Patient[a-z]{6}/);
  });
});
