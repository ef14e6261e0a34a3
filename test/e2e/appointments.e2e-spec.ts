/**
 * Needs: the project's PostgreSQL 15 (test/global-setup.ts starts it).
 * Schedules, slots and appointments over HTTP with real tokens: If-Match and audit of schedule
 * changes, slot search in an India-time and a UTC clinic (breaks, leave, holidays), the booking
 * race (N concurrent requests for the last places: exactly capacity succeed), idempotent booking,
 * reschedule, cancel, no-show grace, check-in into a visit and the queue, FHIR R4 validity,
 * another clinic seeing nothing, and outbox rows checked against contracts/events.
 */
import { randomUUID } from 'node:crypto';
import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import type { Resource } from '@medplum/fhirtypes';
import { createDataSource } from '../../libs/database/src/data-source';
import { provisionTenant } from '../../libs/tenancy/src/tenant-provisioning';
import { fhirErrors } from '../support/fhir';
import { createTestApp } from '../support/app';
import { authHeaders, loginAs, LoggedIn } from '../support/auth';
import { ownerUrl } from '../support/env';
import { expectOutboxMatchesContracts } from '../support/event-contracts';
import { asTenant } from '../support/fixtures';
import { dayIn, middayZone, newPatient, putSchedule } from '../support/scheduling';

jest.setTimeout(90_000);

const PROBLEM = /application\/problem\+json/;
const WEEK = [1, 2, 3, 4, 5, 6, 7];

describe('schedules and appointments (HTTP)', () => {
  let app: NestExpressApplication;
  let owner: DataSource;
  let ist: string; // Asia/Kolkata (the default)
  let utc: string;
  let noon: string; // a fixed-offset zone where it is around midday now: check-in needs a slot later today
  let noonZone: string;
  let admin: LoggedIn;
  let rec: LoggedIn;
  let doc: LoggedIn;
  let doc2: LoggedIn;
  let recUtc: LoggedIn;
  let docUtc: LoggedIn;
  let recNoon: LoggedIn;
  let docNoon: LoggedIn;
  let patient: string;

  const server = () => app.getHttpServer();
  const as = (u: LoggedIn, tenantId: string) => authHeaders(u.token, tenantId);
  const tenant = async (label: string, timeZone?: string) =>
    (
      await provisionTenant(owner, {
        slug: `${label}-${randomUUID().slice(0, 8)}`,
        name: `Clinic ${label}`,
        status: 'active',
        settings: timeZone ? { defaultRegion: 'IN', timeZone } : undefined,
      })
    ).id;
  const slots = (u: LoggedIn, tenantId: string, q: Record<string, string>) =>
    request(server()).get('/api/v1/slots').query(q).set(as(u, tenantId));
  const book = (u: LoggedIn, tenantId: string, body: Record<string, unknown>, key?: string) => {
    const r = request(server()).post('/api/v1/appointments').set(as(u, tenantId));
    return (key ? r.set('Idempotency-Key', key) : r).send(body);
  };

  beforeAll(async () => {
    owner = await createDataSource(ownerUrl(), 2).initialize();
    noonZone = middayZone();
    [ist, utc, noon] = await Promise.all([tenant('appt-ist'), tenant('appt-utc', 'UTC'), tenant('appt-noon', noonZone)]);
    app = await createTestApp({ databasePoolMax: 12 });
    [admin, rec, doc, doc2, recUtc, docUtc, recNoon, docNoon] = await Promise.all([
      loginAs(app, owner, ist, ['tenant_admin']),
      loginAs(app, owner, ist, ['receptionist']),
      loginAs(app, owner, ist, ['doctor']),
      loginAs(app, owner, ist, ['doctor']),
      loginAs(app, owner, utc, ['receptionist']),
      loginAs(app, owner, utc, ['doctor']),
      loginAs(app, owner, noon, ['receptionist']),
      loginAs(app, owner, noon, ['doctor']),
    ]);
    patient = await newPatient(server(), as(rec, ist));
  });

  afterAll(async () => {
    await app?.close();
    await owner?.destroy();
  });

  describe('schedules', () => {
    it('created without If-Match, replaced only with the current ETag (428 / 412), audited, an event', async () => {
      const body = {
        department: 'General Medicine',
        slotMinutes: 30,
        capacity: 2,
        weekly: WEEK.flatMap((weekday) => [
          { weekday, start: '09:00', end: '13:00' },
          { weekday, start: '14:00', end: '17:00' },
        ]),
      };
      const created = await putSchedule(server(), as(admin, ist), doc.userId, body);
      expect(created.status).toBe(200);
      expect(created.headers.etag).toBe('"1"');
      expect(created.body).toMatchObject({ doctorId: doc.userId, slotMinutes: 30, capacity: 2, timeZone: 'Asia/Kolkata' });
      expect(created.body.weekly).toHaveLength(14);

      const again = await putSchedule(server(), as(admin, ist), doc.userId, body);
      expect(again.status).toBe(428);
      const stale = await putSchedule(server(), as(admin, ist), doc.userId, body, '"7"');
      expect(stale.status).toBe(412);
      expect(stale.headers.etag).toBe('"1"');
      const replaced = await putSchedule(server(), as(rec, ist), doc.userId, body, '"1"');
      expect(replaced.status).toBe(200);
      expect(replaced.headers.etag).toBe('"2"');

      const audit = await asTenant(owner, ist, (tx) =>
        tx.query(`SELECT action FROM audit.audit_log WHERE entity_type = 'doctor_schedule' AND entity_id = $1 ORDER BY entry_id`, [doc.userId]),
      );
      expect(audit.map((r: { action: string }) => r.action)).toEqual(['create', 'update']);
    });

    it('a doctor may not change schedules; overlapping periods and a period shorter than a slot are 400 with the field', async () => {
      const base = { department: 'ENT', slotMinutes: 20, capacity: 1 };
      const forbidden = await putSchedule(server(), as(doc2, ist), doc2.userId, { ...base, weekly: [] });
      expect(forbidden.status).toBe(403);
      const overlap = await putSchedule(server(), as(admin, ist), doc2.userId, {
        ...base,
        weekly: [
          { weekday: 1, start: '09:00', end: '12:00' },
          { weekday: 1, start: '11:00', end: '13:00' },
        ],
      });
      expect(overlap.status).toBe(400);
      expect(overlap.headers['content-type']).toMatch(PROBLEM);
      expect(overlap.body.errors).toEqual([{ field: 'weekly[1].start', message: 'periods of the same weekday must not overlap' }]);
      const short = await putSchedule(server(), as(admin, ist), doc2.userId, {
        ...base,
        weekly: [{ weekday: 2, start: '09:00', end: '09:10' }],
      });
      expect(short.status).toBe(400);
      expect(short.body.errors[0].field).toBe('weekly[0].end');
      const badTime = await putSchedule(server(), as(admin, ist), doc2.userId, { ...base, weekly: [{ weekday: 8, start: '9am', end: '25:00' }] });
      expect(badTime.status).toBe(400);
      expect(badTime.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
        'weekly.0.end',
        'weekly.0.start',
        'weekly.0.weekday',
      ]);
    });
  });

  describe('slot search in the clinic time zone', () => {
    const ahead = 10; // days: far enough that every slot lies ahead

    it('India time: 09:00 IST is 03:30Z, the 13:00–14:00 break has no slot, and each slot shows its free places', async () => {
      const day = dayIn('Asia/Kolkata', ahead);
      const res = await slots(rec, ist, { doctorId: doc.userId, from: day, to: day });
      expect(res.status).toBe(200);
      expect(res.body.timeZone).toBe('Asia/Kolkata');
      const starts = res.body.items.map((s: { start: string }) => s.start);
      expect(starts).toHaveLength(14);
      expect(starts[0]).toBe(`${day}T03:30:00.000Z`);
      expect(starts[7]).toBe(`${day}T07:00:00.000Z`); // 12:30 IST: the morning's last slot
      expect(starts[8]).toBe(`${day}T08:30:00.000Z`); // 14:00 IST: the afternoon's first
      expect(starts).not.toContain(`${day}T07:30:00.000Z`); // 13:00 IST starts the break
      expect(res.body.items[0]).toMatchObject({ end: `${day}T04:00:00.000Z`, capacity: 2, free: 2, department: 'General Medicine' });
    });

    it('a UTC clinic: the same hours are the same instants in Z', async () => {
      await putSchedule(server(), as(recUtc, utc), docUtc.userId, {
        department: 'General Medicine',
        slotMinutes: 30,
        capacity: 1,
        weekly: WEEK.map((weekday) => ({ weekday, start: '09:00', end: '10:00' })),
      });
      const day = dayIn('UTC', ahead);
      const res = await slots(recUtc, utc, { from: day, to: day });
      expect(res.status).toBe(200);
      expect(res.body.timeZone).toBe('UTC');
      expect(res.body.items.map((s: { start: string }) => s.start)).toEqual([`${day}T09:00:00.000Z`, `${day}T09:30:00.000Z`]);
    });

    it("a doctor's leave and a clinic holiday remove their days; removing the leave brings them back", async () => {
      const leaveDay = dayIn('Asia/Kolkata', 20);
      const holiday = dayIn('Asia/Kolkata', 21);
      const leave = await request(server())
        .post('/api/v1/schedule-exceptions')
        .set(as(rec, ist))
        .send({ kind: 'leave', doctorId: doc.userId, day: leaveDay, note: 'Conference' });
      expect(leave.status).toBe(201);
      const hol = await request(server()).post('/api/v1/schedule-exceptions').set(as(admin, ist)).send({ kind: 'holiday', day: holiday });
      expect(hol.status).toBe(201);
      const dup = await request(server()).post('/api/v1/schedule-exceptions').set(as(admin, ist)).send({ kind: 'holiday', day: holiday });
      expect(dup.status).toBe(409);
      const noDoctor = await request(server()).post('/api/v1/schedule-exceptions').set(as(admin, ist)).send({ kind: 'leave', day: holiday });
      expect(noDoctor.status).toBe(400);

      const res = await slots(rec, ist, { doctorId: doc.userId, from: dayIn('Asia/Kolkata', 19), to: dayIn('Asia/Kolkata', 22) });
      const days = new Set(res.body.items.map((s: { start: string }) => s.start.slice(0, 10)));
      expect([...days]).toEqual([dayIn('Asia/Kolkata', 19), dayIn('Asia/Kolkata', 22)]);

      expect((await request(server()).delete(`/api/v1/schedule-exceptions/${leave.body.id}`).set(as(rec, ist))).status).toBe(204);
      const after = await slots(rec, ist, { doctorId: doc.userId, from: leaveDay, to: leaveDay });
      expect(after.body.items).toHaveLength(14);
    });

    it('a range longer than 62 days or reversed is 400; a bad day is 400 with the field', async () => {
      expect((await slots(rec, ist, { from: '2027-01-01', to: '2027-04-01' })).status).toBe(400);
      expect((await slots(rec, ist, { from: '2027-01-02', to: '2027-01-01' })).status).toBe(400);
      const bad = await slots(rec, ist, { from: '2027-02-30', to: '2027-03-01' });
      expect(bad.status).toBe(400);
      expect(bad.body.errors[0].field).toBe('from');
    });
  });

  describe('booking', () => {
    const slotOf = async (offsetDays: number, index = 0) => {
      const day = dayIn('Asia/Kolkata', offsetDays);
      const res = await slots(rec, ist, { doctorId: doc.userId, from: day, to: day });
      return res.body.items[index].start as string;
    };

    it('N concurrent requests for a slot with capacity 2: exactly 2 succeed, the rest 409; a cancel frees a place', async () => {
      const slotStart = await slotOf(12, 3);
      const patients = await Promise.all(Array.from({ length: 8 }, () => newPatient(server(), as(rec, ist))));
      const answers = await Promise.all(patients.map((p) => book(rec, ist, { patientId: p, doctorId: doc.userId, slotStart })));
      const statuses = answers.map((a) => a.status).sort();
      expect(statuses).toEqual([201, 201, 409, 409, 409, 409, 409, 409]);
      for (const a of answers.filter((x) => x.status === 409)) {
        expect(a.body).toMatchObject({ type: 'urn:hims:problem:conflict', detail: 'This slot is fully booked', slotFull: true });
      }
      const [count] = await asTenant(owner, ist, (tx) =>
        tx.query(`SELECT count(*)::int AS n FROM clinical.appointments WHERE doctor_id = $1 AND slot_start = $2`, [doc.userId, slotStart]),
      );
      expect(count.n).toBe(2);
      const listed = await slots(rec, ist, { doctorId: doc.userId, from: slotStart.slice(0, 10), to: slotStart.slice(0, 10) });
      expect(listed.body.items.map((s: { start: string }) => s.start)).not.toContain(slotStart);

      const first = answers.find((a) => a.status === 201)!;
      const cancelled = await request(server())
        .post(`/api/v1/appointments/${first.body.id}/cancel`)
        .set(as(rec, ist))
        .send({ reason: 'Patient travelling' });
      expect(cancelled.status).toBe(200);
      expect(cancelled.body).toMatchObject({ status: 'cancelled', cancelReason: 'Patient travelling', version: 2 });
      const rebook = await book(rec, ist, { patientId: patients[7], doctorId: doc.userId, slotStart });
      expect(rebook.status).toBe(201);
      expect((await book(rec, ist, { patientId: patients[6], doctorId: doc.userId, slotStart })).status).toBe(409);
    });

    it('Idempotency-Key: a retried booking answers the first appointment and takes no second place', async () => {
      const slotStart = await slotOf(13, 0);
      const key = randomUUID();
      const body = { patientId: patient, doctorId: doc.userId, slotStart };
      const [a, b] = [await book(rec, ist, body, key), await book(rec, ist, body, key)];
      expect([a.status, b.status]).toEqual([201, 201]);
      expect(b.headers['idempotent-replayed']).toBe('true');
      expect(b.body.id).toBe(a.body.id);
      const [row] = await asTenant(owner, ist, (tx) =>
        tx.query(`SELECT booked FROM clinical.slot_bookings WHERE doctor_id = $1 AND slot_start = $2`, [doc.userId, slotStart]),
      );
      expect(row.booked).toBe(1);
    });

    it('refuses a time that is no slot, a slot in the past, a doctor without schedule, and non-desk roles', async () => {
      const day = dayIn('Asia/Kolkata', 14);
      const offGrid = await book(rec, ist, { patientId: patient, doctorId: doc.userId, slotStart: `${day}T03:40:00.000Z` });
      expect(offGrid.status).toBe(400);
      expect(offGrid.body.errors[0].field).toBe('slotStart');
      const inBreak = await book(rec, ist, { patientId: patient, doctorId: doc.userId, slotStart: `${day}T07:30:00.000Z` });
      expect(inBreak.status).toBe(400);
      const noSchedule = await book(rec, ist, { patientId: patient, doctorId: doc2.userId, slotStart: `${day}T03:30:00.000Z` });
      expect(noSchedule.status).toBe(400);
      const past = await book(rec, ist, { patientId: patient, doctorId: doc.userId, slotStart: `${dayIn('Asia/Kolkata', -3)}T03:30:00.000Z` });
      expect(past.status).toBe(409);
      const asDoctor = await book(doc, ist, { patientId: patient, doctorId: doc.userId, slotStart: `${day}T03:30:00.000Z` });
      expect(asDoctor.status).toBe(403);
      const bad = await book(rec, ist, { patientId: 'nope', doctorId: doc.userId, slotStart: 'tomorrow' });
      expect(bad.status).toBe(400);
      expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['patientId', 'slotStart']);
    });

    it('reschedule needs If-Match, frees the old place and takes the new; no-show only after the grace time', async () => {
      const from = await slotOf(15, 0);
      const to = await slotOf(15, 1);
      const booked = await book(rec, ist, { patientId: patient, doctorId: doc.userId, slotStart: from });
      expect(booked.status).toBe(201);
      const id = booked.body.id;
      const noIfMatch = await request(server()).patch(`/api/v1/appointments/${id}`).set(as(rec, ist)).send({ slotStart: to });
      expect(noIfMatch.status).toBe(428);
      const moved = await request(server())
        .patch(`/api/v1/appointments/${id}`)
        .set(as(rec, ist))
        .set('If-Match', '"1"')
        .send({ slotStart: to });
      expect(moved.status).toBe(200);
      expect(moved.body).toMatchObject({ slotStart: to, version: 2, status: 'booked' });
      const counts = await asTenant(owner, ist, (tx) =>
        tx.query(`SELECT slot_start, booked FROM clinical.slot_bookings WHERE doctor_id = $1 AND slot_start = ANY($2::timestamptz[]) ORDER BY 1`, [
          doc.userId,
          [from, to],
        ]),
      );
      expect(counts.map((c: { booked: number }) => c.booked)).toEqual([0, 1]);

      const early = await request(server()).post(`/api/v1/appointments/${id}/no-show`).set(as(rec, ist));
      expect(early.status).toBe(409);
      expect(early.body.detail).toMatch(/only 30 minutes after the slot's start/);
      // The grace time passes: the slot lies in the past now (as the owner would see it a day later).
      await asTenant(owner, ist, (tx) =>
        tx.query(`UPDATE clinical.appointments SET slot_start = now() - interval '31 minutes', slot_end = now() WHERE id = $1`, [id]),
      );
      const late = await request(server()).post(`/api/v1/appointments/${id}/no-show`).set(as(rec, ist));
      expect(late.status).toBe(200);
      expect(late.body.status).toBe('no-show');
      const again = await request(server()).post(`/api/v1/appointments/${id}/cancel`).set(as(rec, ist)).send({ reason: 'x' });
      expect(again.status).toBe(409);
    });
  });

  describe('check-in', () => {
    it('on the day: a visit (arrived) and the next token of the doctor; not twice; not on another day', async () => {
      await putSchedule(server(), as(recNoon, noon), docNoon.userId, {
        department: 'Paediatrics',
        slotMinutes: 5,
        capacity: 5,
        weekly: WEEK.map((weekday) => ({ weekday, start: '00:00', end: '23:55' })),
      });
      const today = dayIn(noonZone, 0);
      const free = await slots(recNoon, noon, { from: today, to: dayIn(noonZone, 1) });
      const todays = free.body.items.filter((s: { start: string }) => dayIn(noonZone, 0, new Date(s.start)) === today);
      expect(todays.length).toBeGreaterThan(0);
      const p1 = await newPatient(server(), as(recNoon, noon));
      const p2 = await newPatient(server(), as(recNoon, noon));
      const a1 = await book(recNoon, noon, { patientId: p1, doctorId: docNoon.userId, slotStart: todays[0].start });
      const a2 = await book(recNoon, noon, { patientId: p2, doctorId: docNoon.userId, slotStart: todays[0].start });
      const tomorrow = free.body.items.find((s: { start: string }) => dayIn(noonZone, 0, new Date(s.start)) !== today);
      const a3 = await book(recNoon, noon, { patientId: p2, doctorId: docNoon.userId, slotStart: tomorrow.start });
      expect([a1.status, a2.status, a3.status]).toEqual([201, 201, 201]);

      const c1 = await request(server()).post(`/api/v1/appointments/${a1.body.id}/check-in`).set(as(recNoon, noon));
      const c2 = await request(server()).post(`/api/v1/appointments/${a2.body.id}/check-in`).set(as(recNoon, noon));
      expect([c1.status, c2.status]).toEqual([200, 200]);
      expect([c1.body.token, c2.body.token]).toEqual([1, 2]);
      expect(c1.body.appointment).toMatchObject({ status: 'checked-in', version: 2 });
      const visit = await request(server()).get(`/api/v1/visits/${c1.body.appointment.visitId}`).set(as(docNoon, noon));
      expect(visit.status).toBe(200);
      expect(visit.body).toMatchObject({ status: 'arrived', patientId: p1, attendingDoctorId: docNoon.userId, department: 'Paediatrics' });
      expect((await request(server()).post(`/api/v1/appointments/${a1.body.id}/check-in`).set(as(recNoon, noon))).status).toBe(409);
      const notToday = await request(server()).post(`/api/v1/appointments/${a3.body.id}/check-in`).set(as(recNoon, noon));
      expect(notToday.status).toBe(409);
      expect(notToday.body.detail).toMatch(/check-in is on the day/);

      const lane = await request(server()).get(`/api/v1/queue/doctors/${docNoon.userId}`).set(as(docNoon, noon));
      expect(lane.body.items.map((e: { token: number; source: string }) => [e.token, e.source])).toEqual([
        [1, 'appointment'],
        [2, 'appointment'],
      ]);
    });
  });

  describe('FHIR and isolation', () => {
    it('Schedule, a Slot searchset and an Appointment are valid FHIR R4', async () => {
      const sched = await request(server()).get(`/api/v1/schedules/${doc.userId}/fhir`).set(as(rec, ist));
      expect(sched.status).toBe(200);
      expect(sched.headers['content-type']).toMatch(/application\/fhir\+json/);
      expect(fhirErrors(sched.body as Resource)).toEqual([]);
      const day = dayIn('Asia/Kolkata', 16);
      const bundle = await request(server()).get('/api/v1/slots/fhir').query({ doctorId: doc.userId, from: day, to: day }).set(as(rec, ist));
      expect(bundle.status).toBe(200);
      expect(bundle.body.entry).toHaveLength(14);
      expect(fhirErrors(bundle.body as Resource)).toEqual([]);
      const booked = await book(rec, ist, { patientId: patient, doctorId: doc.userId, slotStart: bundle.body.entry[2].resource.start });
      const appt = await request(server()).get(`/api/v1/appointments/${booked.body.id}/fhir`).set(as(rec, ist));
      expect(appt.status).toBe(200);
      expect(appt.body).toMatchObject({ resourceType: 'Appointment', status: 'booked', start: bundle.body.entry[2].resource.start });
      expect(fhirErrors(appt.body as Resource)).toEqual([]);
    });

    it("another clinic sees none of it: schedules, slots, appointments, exceptions are 404 or empty; events stay in their clinic", async () => {
      const day = dayIn('Asia/Kolkata', 12);
      const [appt] = await asTenant(owner, ist, (tx) => tx.query(`SELECT id FROM clinical.appointments LIMIT 1`));
      expect((await request(server()).get(`/api/v1/appointments/${appt.id}`).set(as(recUtc, utc))).status).toBe(404);
      expect((await request(server()).get(`/api/v1/appointments/${appt.id}/fhir`).set(as(recUtc, utc))).status).toBe(404);
      expect(
        (await request(server()).post(`/api/v1/appointments/${appt.id}/cancel`).set(as(recUtc, utc)).send({ reason: 'x' })).status,
      ).toBe(404);
      expect((await request(server()).get(`/api/v1/schedules/${doc.userId}`).set(as(recUtc, utc))).status).toBe(404);
      expect((await slots(recUtc, utc, { doctorId: doc.userId, from: day, to: day })).body.items).toEqual([]);
      expect((await request(server()).get('/api/v1/appointments').query({ day }).set(as(recUtc, utc))).body.items).toEqual([]);
      const foreignSchedule = await putSchedule(server(), as(recUtc, utc), doc.userId, {
        department: 'X',
        slotMinutes: 30,
        capacity: 1,
        weekly: [],
      });
      expect(foreignSchedule.status).toBe(404);
      const foreignBooking = await book(recUtc, utc, { patientId: patient, doctorId: doc.userId, slotStart: `${day}T03:30:00.000Z` });
      expect(foreignBooking.status).toBe(404);

      const istEvents = await expectOutboxMatchesContracts(owner, ist, 'appointment');
      const utcEvents = await expectOutboxMatchesContracts(owner, utc, 'appointment');
      expect(new Set(istEvents.map((e) => e.event_type))).toEqual(
        new Set(['appointment.schedule_changed', 'appointment.booked', 'appointment.cancelled', 'appointment.rescheduled', 'appointment.no_show']),
      );
      expect(utcEvents.map((e) => e.event_type)).toEqual(['appointment.schedule_changed']);
      const istIds = new Set(istEvents.map((e) => e.aggregate_id));
      expect(utcEvents.filter((e) => istIds.has(e.aggregate_id))).toEqual([]);
      const noonEvents = await expectOutboxMatchesContracts(owner, noon, 'appointment');
      expect(noonEvents.filter((e) => e.event_type === 'appointment.checked_in')).toHaveLength(2);
      await expectOutboxMatchesContracts(owner, noon, 'queue');
    });
  });
});
