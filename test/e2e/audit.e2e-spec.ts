/**
 * Needs: the project's PostgreSQL 15 (test/global-setup.ts starts it).
 * GET /api/v1/audit: tenant_admin only, confined to the caller's tenant,
 * filters, keyset pagination (newest first), validation, self-auditing, and
 * rows that show their chain place once the sealer has linked them.
 */
import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createDataSource } from '../../libs/database/src/data-source';
import { createTestApp } from '../support/app';
import { authHeaders, loginAs, LoggedIn } from '../support/auth';
import { sealAuditTrail } from '../support/audit';
import { ownerUrl } from '../support/env';
import { asTenant, newTenant } from '../support/fixtures';

const AUDIT = '/api/v1/audit';

describe('audit query (HTTP)', () => {
  let app: NestExpressApplication;
  let owner: DataSource;
  let a: { id: string };
  let b: { id: string };
  let adminA: LoggedIn;
  let docA: LoggedIn;
  let adminB: LoggedIn;
  let patientId: string;

  const server = () => app.getHttpServer();

  afterAll(async () => {
    await app?.close();
    await owner?.destroy();
  });

  beforeAll(async () => {
    owner = await createDataSource(ownerUrl(), 2).initialize();
    a = await newTenant(owner, 'audit-http-a');
    b = await newTenant(owner, 'audit-http-b');
    app = await createTestApp({ databasePoolMax: 4 });
    [adminA, docA, adminB] = await Promise.all([
      loginAs(app, owner, a.id, ['tenant_admin']),
      loginAs(app, owner, a.id, ['doctor']),
      loginAs(app, owner, b.id, ['tenant_admin']),
    ]);
    const created = await request(server())
      .post('/api/v1/patients')
      .set(authHeaders(docA.token, a.id))
      .send({ name: { given: ['Audit'], family: 'Subject' }, gender: 'unknown', birthDate: '1966-06-06' });
    expect(created.status).toBe(201);
    patientId = created.body.id;
    for (let i = 0; i < 3; i++) {
      expect(
        (await request(server()).get(`/api/v1/patients/${patientId}`).set(authHeaders(docA.token, a.id)))
          .status,
      ).toBe(200);
    }
    await request(server())
      .patch(`/api/v1/patients/${patientId}`)
      .set(authHeaders(docA.token, a.id))
      .set('If-Match', '"1"')
      .send({ gender: 'other' });
  });

  it('rows appear at once, unsealed, and carry their chain place and hashes once sealed', async () => {
    // An open transaction that began writing first keeps every later row unsealed until it ends,
    // whoever runs the sealer meanwhile.
    const holder = owner.createQueryRunner();
    await holder.connect();
    await holder.startTransaction();
    try {
      await holder.query(`SELECT pg_current_xact_id()`);
      const other = await request(server())
        .post('/api/v1/patients')
        .set(authHeaders(docA.token, a.id))
        .send({ name: { given: ['Unsealed'], family: 'Row' }, gender: 'unknown', birthDate: '1971-01-01' });
      expect(other.status).toBe(201);
      const fresh = await request(server())
        .get(AUDIT)
        .query({ entityId: other.body.id })
        .set(authHeaders(adminA.token, a.id));
      expect(fresh.status).toBe(200);
      expect(fresh.body.items.length).toBeGreaterThan(0);
      for (const item of fresh.body.items)
        expect(item).toMatchObject({ seq: null, hash: null, prevHash: null });
    } finally {
      await holder.rollbackTransaction();
      await holder.release();
    }
    await sealAuditTrail(owner, a.id);
    const sealed = await request(server())
      .get(AUDIT)
      .query({ entityId: patientId })
      .set(authHeaders(adminA.token, a.id));
    for (const item of sealed.body.items) {
      expect(item).toMatchObject({ seq: expect.any(Number), hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    }
  });

  it("a tenant_admin sees the patient's trail, newest first: trigger rows, app reads and the event", async () => {
    const res = await request(server())
      .get(AUDIT)
      .query({ entityId: patientId })
      .set(authHeaders(adminA.token, a.id));
    expect(res.status).toBe(200);
    const actions = res.body.items.map((e: { action: string }) => e.action);
    expect(actions).toEqual([
      'patient.updated',
      'UPDATE',
      'read',
      'read',
      'read',
      'patient.registered',
      'INSERT',
    ]);
    const seqs = res.body.items.map((e: { seq: number }) => e.seq);
    expect([...seqs].sort((x: number, y: number) => y - x)).toEqual(seqs);
    expect(res.body.items[1]).toMatchObject({
      entityType: 'clinical.patients',
      actorId: docA.userId,
      changes: { gender: { old: 'unknown', new: 'other' } },
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      prevHash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(res.body.nextCursor).toBeNull();
  });

  it('filters by action and actor, and by time window', async () => {
    const reads = await request(server())
      .get(AUDIT)
      .query({ entityId: patientId, action: 'read', actorId: docA.userId })
      .set(authHeaders(adminA.token, a.id));
    expect(reads.body.items).toHaveLength(3);
    const future = await request(server())
      .get(AUDIT)
      .query({ entityId: patientId, from: new Date(Date.now() + 3_600_000).toISOString() })
      .set(authHeaders(adminA.token, a.id));
    expect(future.body.items).toEqual([]);
    const past = await request(server())
      .get(AUDIT)
      .query({
        entityId: patientId,
        from: '2000-01-01T00:00:00Z',
        to: new Date(Date.now() + 60_000).toISOString(),
      })
      .set(authHeaders(adminA.token, a.id));
    expect(past.body.items).toHaveLength(7);
  });

  it('pages through a long trail newest first, in numeric (not text) order of insertion', async () => {
    const times: string[] = [];
    let cursor: string | undefined;
    do {
      const res = await request(server())
        .get(AUDIT)
        .query({ limit: 4, cursor })
        .set(authHeaders(adminA.token, a.id));
      expect(res.status).toBe(200);
      times.push(...res.body.items.map((e: { occurredAt: string }) => e.occurredAt));
      cursor = res.body.nextCursor ?? undefined;
    } while (cursor);
    expect(times.length).toBeGreaterThan(12);
    expect([...times].sort().reverse()).toEqual(times);
  });

  it('pages with a cursor without gaps or repeats', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const res = await request(server())
        .get(AUDIT)
        .query({ entityId: patientId, limit: 3, cursor })
        .set(authHeaders(adminA.token, a.id));
      expect(res.status).toBe(200);
      seen.push(...res.body.items.map((e: { id: string }) => e.id));
      cursor = res.body.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);
  });

  it('pages a filtered time window (action, entity type) newest first, without gaps or repeats', async () => {
    for (const filter of [
      { action: 'read' },
      { entityType: 'patient', action: 'read' },
      { entityType: 'patient' },
    ]) {
      const seen: { id: string; occurredAt: string }[] = [];
      let cursor: string | undefined;
      do {
        const res = await request(server())
          .get(AUDIT)
          .query({
            ...filter,
            entityId: patientId,
            from: '2000-01-01T00:00:00Z',
            to: new Date(Date.now() + 60_000).toISOString(),
            limit: 1,
            cursor,
          })
          .set(authHeaders(adminA.token, a.id));
        expect(res.status).toBe(200);
        seen.push(...res.body.items);
        cursor = res.body.nextCursor ?? undefined;
      } while (cursor);
      const all = await request(server())
        .get(AUDIT)
        .query({ ...filter, entityId: patientId })
        .set(authHeaders(adminA.token, a.id));
      expect(seen.map((e) => e.id)).toEqual(all.body.items.map((e: { id: string }) => e.id));
      expect(new Set(seen.map((e) => e.id)).size).toBe(seen.length);
      expect(seen.length).toBeGreaterThanOrEqual(3);
      expect([...seen.map((e) => e.occurredAt)].sort().reverse()).toEqual(seen.map((e) => e.occurredAt));
    }
  });

  it('other roles → 403; another tenant’s admin sees nothing of A; no token → 401', async () => {
    const doc = await request(server()).get(AUDIT).set(authHeaders(docA.token, a.id));
    expect(doc.status).toBe(403);
    const other = await request(server())
      .get(AUDIT)
      .query({ entityId: patientId })
      .set(authHeaders(adminB.token, b.id));
    expect(other.status).toBe(200);
    expect(other.body.items).toEqual([]);
    const all = await request(server()).get(AUDIT).query({ limit: 100 }).set(authHeaders(adminB.token, b.id));
    expect(all.body.items.length).toBeGreaterThan(0);
    expect(all.body.items.filter((e: { entityId: string | null }) => e.entityId === patientId)).toEqual([]);
    expect((await request(server()).get(AUDIT).set('X-Tenant-ID', a.id)).status).toBe(401);
  });

  it.each([
    [{ limit: 101 }, 'limit'],
    [{ actorId: 'nobody' }, 'actorId'],
    [{ from: 'yesterday' }, 'from'],
    [{ from: '2025-01-02T00:00:00Z', to: '2025-01-01T00:00:00Z' }, 'to'],
    [{ cursor: 'bm9wZQ' }, 'cursor'],
    [{ cursor: Buffer.from('{"e":"12"}').toString('base64url') }, 'cursor'],
    [{ cursor: Buffer.from('{"k":"12_x"}').toString('base64url') }, 'cursor'],
    [{ action: "read' OR 1=1" }, 'action'],
    [{ tenantId: 'x' }, 'tenantId'],
  ])('%p → 400 naming %s', async (query, field) => {
    const res = await request(server()).get(AUDIT).query(query).set(authHeaders(adminA.token, a.id));
    expect(res.status).toBe(400);
    expect((res.body.errors as { field: string }[]).map((e) => e.field)).toContain(field);
  });

  it('each audit query is itself audited', async () => {
    await request(server())
      .get(AUDIT)
      .query({ entityId: patientId, action: 'read' })
      .set(authHeaders(adminA.token, a.id))
      .set('X-Request-ID', 'audit-q-1');
    const rows = await asTenant(owner, a.id, (tx) =>
      tx.query(
        `SELECT actor_id, details FROM audit.audit_log WHERE action = 'audit_query' AND request_id = 'audit-q-1'`,
      ),
    );
    expect(rows).toEqual([
      {
        actor_id: adminA.userId,
        details: { filters: { entityId: patientId, action: 'read' }, returned: 3, page: 'first' },
      },
    ]);
  });
});
