/**
 * Needs: the project's PostgreSQL 15 (test/global-setup.ts starts it).
 * Operators' tenant administration: the paginated list with a status filter,
 * and suspension: a suspended clinic's sign-ins and existing tokens are
 * refused at once (403 tenant-suspended), other clinics are untouched, its data
 * stays, and reactivation lets the same tokens in again. Every action is in
 * the operator audit trail and published as a tenant event.
 */
import { randomUUID } from 'node:crypto';
import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createDataSource } from '../../libs/database/src/data-source';
import { createTestApp } from '../support/app';
import { authHeaders, loginAs, LoggedIn } from '../support/auth';
import { ownerUrl } from '../support/env';
import { asTenant, newTenant } from '../support/fixtures';
import { eventSchemaErrors, operatorToken, provisioningBody } from '../support/platform';

jest.setTimeout(60_000);

const TENANTS = '/api/v1/platform/tenants';

describe('platform tenant administration (HTTP)', () => {
  let app: NestExpressApplication;
  let owner: DataSource;
  let token: string;
  const server = () => app.getHttpServer();
  const op = () => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    owner = await createDataSource(ownerUrl(), 2).initialize();
    app = await createTestApp();
    token = await operatorToken(app, owner);
  });
  afterAll(async () => {
    await app?.close();
    await owner?.destroy();
  });

  it('lists tenants page by page (cursor) and filters by status', async () => {
    const made: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await request(server())
        .post(TENANTS)
        .set(op())
        .set('Idempotency-Key', randomUUID())
        .send(provisioningBody('list'));
      expect(res.status).toBe(201);
      made.push(res.body.id);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: request.Response = await request(server())
        .get(TENANTS)
        .query({ status: 'active', limit: 2, ...(cursor ? { cursor } : {}) })
        .set(op())
        .expect(200);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      expect(res.body.items.every((t: { status: string }) => t.status === 'active')).toBe(true);
      seen.push(...res.body.items.map((t: { id: string }) => t.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(expect.arrayContaining(made));
    expect(new Set(seen).size).toBe(seen.length);
    const suspended = await request(server())
      .get(TENANTS)
      .query({ status: 'suspended' })
      .set(op())
      .expect(200);
    expect(suspended.body.items.map((t: { id: string }) => t.id)).not.toContain(made[0]);
    expect((await request(server()).get(TENANTS).query({ status: 'gone' }).set(op())).status).toBe(400);
    expect((await request(server()).get(TENANTS).query({ cursor: 'nonsense' }).set(op())).status).toBe(400);
    expect((await request(server()).get(`${TENANTS}/${randomUUID()}`).set(op())).status).toBe(404);
  });

  describe('suspension', () => {
    let clinic: { id: string };
    let other: { id: string };
    let admin: LoggedIn;
    let otherAdmin: LoggedIn;

    beforeAll(async () => {
      clinic = await newTenant(owner, 'susp');
      other = await newTenant(owner, 'susp-other');
      admin = await loginAs(app, owner, clinic.id, ['tenant_admin']);
      otherAdmin = await loginAs(app, owner, other.id, ['tenant_admin']);
    });

    it("refuses the clinic's existing tokens and sign-ins at once, leaves its data and other clinics alone, and reactivates", async () => {
      const usersBefore = await asTenant(owner, clinic.id, (tx) =>
        tx.query(`SELECT id, status FROM core.users ORDER BY id`),
      );
      await request(server()).get('/api/v1/auth/me').set(authHeaders(admin.token, clinic.id)).expect(200);

      const res = await request(server()).post(`${TENANTS}/${clinic.id}/suspend`).set(op());
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('suspended');

      const me = await request(server()).get('/api/v1/auth/me').set(authHeaders(admin.token, clinic.id));
      expect(me.status).toBe(403);
      expect(me.body.type).toBe('urn:hims:problem:tenant-suspended');
      expect(me.body.detail).toMatch(/suspended/);
      const login = await request(server())
        .post('/api/v1/auth/login')
        .set('X-Tenant-ID', clinic.id)
        .send({ email: admin.email, password: admin.password });
      expect(login.status).toBe(403);
      expect(login.body.type).toBe('urn:hims:problem:tenant-suspended');
      const refresh = await request(server())
        .post('/api/v1/auth/refresh')
        .set('X-Tenant-ID', clinic.id)
        .send({ refreshToken: admin.refreshToken });
      expect(refresh.status).toBe(403);
      const introspection = await request(server())
        .post('/api/v1/auth/validate')
        .send({ token: admin.token });
      expect(introspection.body).toEqual({ active: false });

      // Another clinic carries on; the suspended clinic's data is as it was.
      await request(server()).get('/api/v1/auth/me').set(authHeaders(otherAdmin.token, other.id)).expect(200);
      expect(
        await asTenant(owner, clinic.id, (tx) => tx.query(`SELECT id, status FROM core.users ORDER BY id`)),
      ).toEqual(usersBefore);

      // Suspending twice or reactivating a live clinic changes nothing.
      await request(server()).post(`${TENANTS}/${clinic.id}/suspend`).set(op()).expect(200);
      const live = await request(server()).post(`${TENANTS}/${other.id}/reactivate`).set(op());
      expect(live.status).toBe(200);
      expect(live.body.status).toBe('active');

      const back = await request(server()).post(`${TENANTS}/${clinic.id}/reactivate`).set(op());
      expect(back.status).toBe(200);
      expect(back.body.status).toBe('active');
      await request(server()).get('/api/v1/auth/me').set(authHeaders(admin.token, clinic.id)).expect(200);

      const events = await asTenant(owner, clinic.id, (tx) =>
        tx.query(
          `SELECT event_type, payload FROM events.outbox WHERE aggregate_type = 'tenant' ORDER BY occurred_at`,
        ),
      );
      expect(events.map((e: { event_type: string }) => e.event_type)).toEqual([
        'tenant.suspended',
        'tenant.reactivated',
      ]);
      for (const e of events) expect(eventSchemaErrors(e.event_type, e.payload)).toBeNull();
      const audit = await owner.query(
        `SELECT action, outcome, detail ->> 'changed' AS changed FROM platform.audit WHERE target_id = $1 ORDER BY at`,
        [clinic.id],
      );
      expect(audit).toEqual([
        { action: 'tenant.suspend', outcome: 'succeeded', changed: 'true' },
        { action: 'tenant.suspend', outcome: 'succeeded', changed: 'false' },
        { action: 'tenant.reactivate', outcome: 'succeeded', changed: 'true' },
      ]);
    });
  });
});
