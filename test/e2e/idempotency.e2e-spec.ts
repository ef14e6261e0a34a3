/**
 * Needs: the project's PostgreSQL 15 (test/global-setup.ts starts it).
 * Idempotency-Key (IETF httpapi draft) on the create routes, over HTTP with
 * real tokens: a retry replays the stored answer and writes nothing (no second
 * row, audit row or outbox event); another request under the same key is a
 * 422, a malformed key a 400, a failed request stores nothing; concurrent
 * retries of one registration make exactly one patient and one event; keys
 * belong to one user of one tenant, and the stored answers sit under RLS.
 */
import { randomUUID } from 'node:crypto';
import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createDataSource } from '../../libs/database/src/data-source';
import { createTestApp } from '../support/app';
import { authHeaders, loginAs, LoggedIn } from '../support/auth';
import { appUrl, ownerUrl } from '../support/env';
import { asTenant, newTenant } from '../support/fixtures';

jest.setTimeout(30_000);

const PROBLEM = /application\/problem\+json/;
const PATIENTS = '/api/v1/patients';
const USERS = '/api/v1/users';
const letters = (n: number) =>
  Array.from({ length: n }, () => 'abcdefghijklmnopqrstuvwxyz'[Math.floor(Math.random() * 26)]).join('');
const newKey = () => `"${randomUUID()}"`;

/** A registration nobody else in the test has. */
function newPatient() {
  return {
    name: { given: [`Meera${letters(6)}`], family: `Iyer${letters(6)}` },
    gender: 'female',
    birthDate: `19${50 + Math.floor(Math.random() * 49)}-0${1 + Math.floor(Math.random() * 9)}-1${Math.floor(Math.random() * 9)}`,
    phones: [`9${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}`],
  };
}

describe('Idempotency-Key on creates (HTTP)', () => {
  let app: NestExpressApplication;
  let owner: DataSource;
  let appRole: DataSource;
  let a: { id: string };
  let b: { id: string };
  let recA: LoggedIn;
  let nurseA: LoggedIn;
  let adminA: LoggedIn;
  let recB: LoggedIn;

  const server = () => app.getHttpServer();
  const post = (path: string, user: LoggedIn, tenantId: string, key: string | undefined, body: unknown) => {
    const req = request(server()).post(path).set(authHeaders(user.token, tenantId));
    return (key === undefined ? req : req.set('Idempotency-Key', key)).send(body as object);
  };

  /** Rows a replay must not add. */
  const counts = (tenantId: string) =>
    asTenant(owner, tenantId, async (tx) => {
      const [row] = await tx.query(
        `SELECT (SELECT count(*)::int FROM clinical.patients) AS patients,
                (SELECT count(*)::int FROM core.users) AS users,
                (SELECT count(*)::int FROM events.outbox) AS events,
                (SELECT count(*)::int FROM audit.audit_log) AS audit,
                (SELECT count(*)::int FROM core.idempotency_keys) AS keys`,
      );
      return row as { patients: number; users: number; events: number; audit: number; keys: number };
    });

  beforeAll(async () => {
    owner = await createDataSource(ownerUrl(), 2).initialize();
    appRole = await createDataSource(appUrl(), 1).initialize();
    a = await newTenant(owner, 'idem-a');
    b = await newTenant(owner, 'idem-b');
    app = await createTestApp({ databasePoolMax: 8 });
    [recA, nurseA, adminA, recB] = await Promise.all([
      loginAs(app, owner, a.id, ['receptionist']),
      loginAs(app, owner, a.id, ['nurse']),
      loginAs(app, owner, a.id, ['tenant_admin']),
      loginAs(app, owner, b.id, ['receptionist']),
    ]);
  });

  afterAll(async () => {
    await app?.close();
    await appRole?.destroy();
    await owner?.destroy();
  });

  it('a retry with the same key and body answers the stored 201 with Idempotent-Replayed and writes nothing', async () => {
    const key = newKey();
    const body = newPatient();
    const first = await post(PATIENTS, recA, a.id, key, body);
    expect(first.status).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const after = await counts(a.id);

    // Same JSON with its keys in another order is the same request.
    const reordered = {
      phones: body.phones,
      birthDate: body.birthDate,
      gender: body.gender,
      name: body.name,
    };
    const retry = await post(PATIENTS, recA, a.id, key, reordered);
    expect(retry.status).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.headers.location).toBe(first.headers.location);
    expect(retry.headers.etag).toBe(first.headers.etag);
    expect(retry.body).toEqual(first.body);
    expect(await counts(a.id)).toEqual(after);
  });

  it('the same key for a different request is a 422 and writes nothing', async () => {
    const key = newKey();
    expect((await post(PATIENTS, recA, a.id, key, newPatient())).status).toBe(201);
    const before = await counts(a.id);
    const res = await post(PATIENTS, recA, a.id, key, newPatient());
    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body.type).toBe('urn:hims:problem:idempotency-key-reused');
    expect(await counts(a.id)).toEqual(before);
  });

  it.each([
    ['an unterminated string', '"abc'],
    ['a list', 'a, b'],
    ['a 256-character key', `"${'k'.repeat(256)}"`],
    ['an empty string', '""'],
  ])('%s is a 400 idempotency-key-invalid and writes nothing', async (_label, key) => {
    const before = await counts(a.id);
    const res = await post(PATIENTS, recA, a.id, key, newPatient());
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body.type).toBe('urn:hims:problem:idempotency-key-invalid');
    expect(res.body.detail).toMatch(/Idempotency-Key/);
    expect(await counts(a.id)).toEqual(before);
  });

  it('a failed request stores nothing: the key can be retried with a corrected body', async () => {
    const key = newKey();
    const before = await counts(a.id);
    const bad = await post(PATIENTS, recA, a.id, key, { ...newPatient(), gender: 'dragon' });
    expect(bad.status).toBe(400);
    expect(bad.body.type).toBe('urn:hims:problem:validation-failed');
    expect(await counts(a.id)).toEqual(before);

    const good = await post(PATIENTS, recA, a.id, key, newPatient());
    expect(good.status).toBe(201);
    expect(good.headers['idempotent-replayed']).toBeUndefined();
  });

  it('concurrent retries of one registration: exactly one patient and one outbox event; the others 409 or replay', async () => {
    const key = newKey();
    const body = newPatient();
    const before = await counts(a.id);
    const answers = await Promise.all(Array.from({ length: 6 }, () => post(PATIENTS, recA, a.id, key, body)));

    const created = answers.filter((r) => r.status === 201 && r.headers['idempotent-replayed'] === undefined);
    const replayed = answers.filter((r) => r.status === 201 && r.headers['idempotent-replayed'] === 'true');
    const inFlight = answers.filter((r) => r.status === 409);
    expect(created).toHaveLength(1);
    expect(replayed.length + inFlight.length).toBe(5);
    for (const r of replayed) expect(r.body.id).toBe(created[0].body.id);
    for (const r of inFlight) {
      expect(r.body.type).toBe('urn:hims:problem:idempotency-key-in-flight');
      expect(r.headers['retry-after']).toBe('1');
    }

    const after = await counts(a.id);
    expect(after.patients).toBe(before.patients + 1);
    expect(after.events).toBe(before.events + 1);
    expect(after.keys).toBe(before.keys + 1);
    const ids = await asTenant(owner, a.id, (tx) =>
      tx.query(`SELECT id FROM clinical.patients WHERE name_family = $1`, [body.name.family]),
    );
    expect(ids).toEqual([{ id: created[0].body.id }]);

    // Once the first has committed, every retry is a replay.
    const late = await post(PATIENTS, recA, a.id, key, body);
    expect(late.status).toBe(201);
    expect(late.headers['idempotent-replayed']).toBe('true');
    expect(late.body.id).toBe(created[0].body.id);
  });

  it('while the first request with a key still holds it, a retry is a 409 in-flight that writes nothing', async () => {
    const key = newKey();
    const before = await counts(a.id);
    // Hold the key's lock the way a running first request does, in an open transaction.
    const holder = owner.createQueryRunner();
    await holder.connect();
    await holder.startTransaction();
    try {
      await holder.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [
        `idempotency:${a.id}:${recA.userId}:${key.slice(1, -1)}`,
      ]);
      const res = await post(PATIENTS, recA, a.id, key, newPatient());
      expect(res.status).toBe(409);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(res.body.type).toBe('urn:hims:problem:idempotency-key-in-flight');
      expect(res.headers['retry-after']).toBe('1');
    } finally {
      await holder.rollbackTransaction();
      await holder.release();
    }
    expect(await counts(a.id)).toEqual(before);
    expect((await post(PATIENTS, recA, a.id, key, newPatient())).status).toBe(201);
  });

  it('a key belongs to one user: another user of the tenant with the same key makes a new patient', async () => {
    const key = newKey();
    const first = await post(PATIENTS, recA, a.id, key, newPatient());
    const other = await post(PATIENTS, nurseA, a.id, key, newPatient());
    expect(first.status).toBe(201);
    expect(other.status).toBe(201);
    expect(other.headers['idempotent-replayed']).toBeUndefined();
    expect(other.body.id).not.toBe(first.body.id);
  });

  it("another tenant's same key neither replays nor sees tenant A's answer; the stored answers are under RLS", async () => {
    const key = newKey();
    const first = await post(PATIENTS, recA, a.id, key, newPatient());
    const inB = await post(PATIENTS, recB, b.id, key, newPatient());
    expect(first.status).toBe(201);
    expect(inB.status).toBe(201);
    expect(inB.headers['idempotent-replayed']).toBeUndefined();
    expect(inB.body.id).not.toBe(first.body.id);

    const bare = key.slice(1, -1);
    const seenBy = (tenantId: string | null) =>
      asTenant(appRole, tenantId, (tx) =>
        tx.query(`SELECT tenant_id FROM core.idempotency_keys WHERE key = $1`, [bare]),
      );
    expect(await seenBy(a.id)).toEqual([{ tenant_id: a.id }]);
    expect(await seenBy(b.id)).toEqual([{ tenant_id: b.id }]);
    expect(await seenBy(null)).toEqual([]);
    // Tenant B cannot change or remove tenant A's stored answer.
    const deleted = await asTenant(appRole, b.id, (tx) =>
      tx.query(`DELETE FROM core.idempotency_keys WHERE tenant_id = $1 RETURNING key`, [a.id]),
    );
    expect(deleted).toEqual([[], 0]); // TypeORM answers a DELETE ... RETURNING as [rows, count]
    expect(await seenBy(a.id)).toEqual([{ tenant_id: a.id }]);
    await expect(
      asTenant(appRole, b.id, (tx) =>
        tx.query(
          `INSERT INTO core.idempotency_keys (tenant_id, user_id, key, fingerprint, status_code, expires_at)
           VALUES ($1, $2, 'forged', repeat('a', 64), 201, now() + interval '1 hour')`,
          [a.id, recB.userId],
        ),
      ),
    ).rejects.toThrow(/row-level security/);
  });

  it('an expired answer is not replayed: the key makes a new patient', async () => {
    const key = newKey();
    const body = newPatient();
    const first = await post(PATIENTS, recA, a.id, key, body);
    expect(first.status).toBe(201);
    await asTenant(owner, a.id, (tx) =>
      tx.query(
        `UPDATE core.idempotency_keys SET created_at = now() - interval '25 hours', expires_at = now() - interval '1 hour'
          WHERE key = $1`,
        [key.slice(1, -1)],
      ),
    );
    // The same person again is a likely duplicate: the create really runs.
    const again = await post(PATIENTS, recA, a.id, key, body);
    expect(again.status).toBe(409);
    expect(again.body.type).toBe('urn:hims:problem:possible-duplicate');
  });

  it('POST /api/v1/users replays too: one user, one event', async () => {
    const key = newKey();
    const body = {
      email: `staff-${randomUUID().slice(0, 8)}@clinic.test`,
      displayName: 'Staff Nurse',
      roles: ['nurse'],
    };
    const first = await post(USERS, adminA, a.id, key, body);
    expect(first.status).toBe(201);
    const after = await counts(a.id);
    const retry = await post(USERS, adminA, a.id, key, body);
    expect(retry.status).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body).toEqual(first.body);
    expect(await counts(a.id)).toEqual(after);
  });
});
