/**
 * Needs: the project's PostgreSQL 15 (test/global-setup.ts starts it).
 * One clinic cannot starve another, through HTTP: a clinic over its share of request
 * transactions gets 429 + Retry-After at once (its waiting requests hold no
 * connection) while another clinic is served; a clinic over its write rate gets 429
 * + Retry-After while another writes on; a clinic's settings.limits override the
 * defaults, and a platform operator sets them (PUT /api/v1/platform/tenants/{id}/limits).
 */
import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createDataSource } from '../../libs/database/src/data-source';
import { createTestApp } from '../support/app';
import { authHeaders, loginAs, LoggedIn } from '../support/auth';
import { ownerUrl } from '../support/env';
import { asTenant, newTenant } from '../support/fixtures';
import { operatorToken } from '../support/platform';

const GIVEN = [
  'Asha',
  'Bhaskar',
  'Chitra',
  'Deepak',
  'Esther',
  'Farid',
  'Gopal',
  'Hema',
  'Imran',
  'Jyoti',
  'Kiran',
  'Lalit',
];
const FAMILY = [
  'Rao',
  'Menon',
  'Bose',
  'Khan',
  'Pillai',
  'Gill',
  'Das',
  'Shah',
  'Naidu',
  'Sen',
  'Roy',
  'Iyer',
];
let made = 0;
/** A patient unlike the others made here (name and birth date), so no duplicate check interferes. */
const patient = () => {
  const i = made++;
  return {
    name: { given: [GIVEN[i % GIVEN.length]], family: FAMILY[(i * 5) % FAMILY.length] },
    gender: 'unknown',
    birthDate: new Date(Date.UTC(1950, 0, 1) + i * 400 * 86400000).toISOString().slice(0, 10),
  };
};

describe('tenant bulkheads (HTTP)', () => {
  let owner: DataSource;

  beforeAll(async () => {
    owner = await createDataSource(ownerUrl(), 2).initialize();
  });

  afterAll(async () => {
    await owner?.destroy();
  });

  describe('transaction slots', () => {
    let app: NestExpressApplication;
    let a: { id: string };
    let b: { id: string };
    let userA: LoggedIn;
    let userB: LoggedIn;

    beforeAll(async () => {
      a = await newTenant(owner, 'slots-a');
      b = await newTenant(owner, 'slots-b');
      app = await createTestApp({
        databasePoolMax: 4,
        tenantLimits: {
          maxConcurrentTransactions: 1,
          maxQueuedRequests: 0,
          writesPerMinute: 0,
          searchesPerMinute: 0,
          rateBurst: 0,
        },
      });
      [userA, userB] = await Promise.all([
        loginAs(app, owner, a.id, ['doctor']),
        loginAs(app, owner, b.id, ['doctor']),
      ]);
    });

    afterAll(async () => {
      await app?.close();
    });

    it('a clinic at its share gets 429 + Retry-After at once while another clinic is served', async () => {
      const created = await request(app.getHttpServer())
        .post('/api/v1/patients')
        .set(authHeaders(userB.token, b.id))
        .send(patient());
      expect(created.status).toBe(201);
      // Hold B's next request inside the database: its PATCH waits on a row lock we own.
      const holder = owner.createQueryRunner();
      await holder.connect();
      await holder.startTransaction();
      try {
        await holder.query(`SELECT set_config('app.current_tenant', $1, true)`, [b.id]);
        await holder.query(`SELECT 1 FROM clinical.patients WHERE tenant_id = $1 AND id = $2 FOR UPDATE`, [
          b.id,
          created.body.id,
        ]);
        const held = request(app.getHttpServer())
          .patch(`/api/v1/patients/${created.body.id}`)
          .set(authHeaders(userB.token, b.id))
          .set('If-Match', '"1"')
          .send({ gender: 'other' })
          .then((r) => r);
        const [{ pid }] = await holder.query(`SELECT pg_backend_pid() AS pid`);
        await waitUntilBlockedBy(pid);

        const busy = await request(app.getHttpServer())
          .get(`/api/v1/patients/${created.body.id}`)
          .set(authHeaders(userB.token, b.id));
        expect(busy.status).toBe(429);
        expect(busy.headers['content-type']).toMatch(/application\/problem\+json/);
        expect(busy.headers['retry-after']).toBe('1');
        expect(busy.body.type).toBe('urn:hims:problem:tenant-over-capacity');

        const other = await request(app.getHttpServer())
          .post('/api/v1/patients')
          .set(authHeaders(userA.token, a.id))
          .send(patient());
        expect(other.status).toBe(201);

        await holder.commitTransaction();
        expect((await held).status).toBe(200);
      } finally {
        if (holder.isTransactionActive) await holder.rollbackTransaction();
        await holder.release();
      }
      // B's slot is free again.
      expect(
        (
          await request(app.getHttpServer())
            .get(`/api/v1/patients/${created.body.id}`)
            .set(authHeaders(userB.token, b.id))
        ).status,
      ).toBe(200);
    });

    /** Until some backend (the held PATCH) waits on a lock of the given backend, with a deadline. */
    async function waitUntilBlockedBy(pid: number): Promise<void> {
      const deadline = Date.now() + 30000;
      for (;;) {
        const [{ blocked }] = await owner.query(
          `SELECT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE $1::int = ANY (pg_blocking_pids(a.pid))) AS blocked`,
          [pid],
        );
        if (blocked) return;
        if (Date.now() > deadline) throw new Error('the held request never reached its lock');
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
  });

  describe('rate limits', () => {
    let app: NestExpressApplication;

    beforeAll(async () => {
      app = await createTestApp({
        tenantLimits: {
          maxConcurrentTransactions: 5,
          maxQueuedRequests: 100,
          writesPerMinute: 1,
          searchesPerMinute: 0,
          rateBurst: 2,
        },
      });
    });

    afterAll(async () => {
      await app?.close();
    });

    it('a clinic over its write rate gets 429 + Retry-After; another clinic writes on', async () => {
      const [a, b] = [await newTenant(owner, 'rate-a'), await newTenant(owner, 'rate-b')];
      const [userA, userB] = await Promise.all([
        loginAs(app, owner, a.id, ['doctor']),
        loginAs(app, owner, b.id, ['doctor']),
      ]);
      const post = (u: LoggedIn, t: string) =>
        request(app.getHttpServer()).post('/api/v1/patients').set(authHeaders(u.token, t)).send(patient());
      expect((await post(userA, a.id)).status).toBe(201);
      expect((await post(userA, a.id)).status).toBe(201);
      const limited = await post(userA, a.id);
      expect(limited.status).toBe(429);
      expect(limited.body.type).toBe('urn:hims:problem:tenant-rate-limited');
      expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      // Nothing of the refused request was written.
      const [{ n }] = await asTenant(owner, a.id, (tx) =>
        tx.query(`SELECT count(*)::int AS n FROM clinical.patients`),
      );
      expect(n).toBe(2);
      expect((await post(userB, b.id)).status).toBe(201);
      // Reads are not charged.
      expect(
        (
          await request(app.getHttpServer())
            .get('/api/v1/patients')
            .query({ name: 'One' })
            .set(authHeaders(userA.token, a.id))
        ).status,
      ).toBe(200);
    });

    it("a clinic's settings.limits override the defaults (learnt from its tenant row)", async () => {
      const { id } = await newTenant(owner, 'rate-own');
      await asTenant(owner, id, (tx) =>
        tx.query(
          `UPDATE core.tenants SET settings = settings || '{"limits": {"writesPerMinute": 0}}'::jsonb WHERE id = $1`,
          [id],
        ),
      );
      const user = await loginAs(app, owner, id, ['doctor']);
      for (let i = 0; i < 4; i++) {
        const res = await request(app.getHttpServer())
          .post('/api/v1/patients')
          .set(authHeaders(user.token, id))
          .send(patient());
        expect({ status: res.status, body: res.status === 201 ? undefined : res.body }).toEqual({
          status: 201,
        });
      }
    });

    it("a platform operator sets a clinic's limits and returns it to the defaults; bad limits change nothing", async () => {
      const op = { Authorization: `Bearer ${await operatorToken(app, owner)}` };
      const { id } = await newTenant(owner, 'rate-op');
      const user = await loginAs(app, owner, id, ['tenant_admin']);
      const limitsUrl = `/api/v1/platform/tenants/${id}/limits`;
      const post = () =>
        request(app.getHttpServer())
          .post('/api/v1/patients')
          .set(authHeaders(user.token, id))
          .send(patient());
      const limitsInDb = async () =>
        (await owner.query(`SELECT settings -> 'limits' AS l FROM core.tenants WHERE id = $1`, [id]))[0].l;

      const set = await request(app.getHttpServer()).put(limitsUrl).set(op).send({ writesPerMinute: 0 });
      expect(set.status).toBe(200);
      expect(set.body.settings.limits).toEqual({ writesPerMinute: 0 });
      for (let i = 0; i < 3; i++) expect((await post()).status).toBe(201); // unlimited: past the default burst of 2

      for (const bad of [
        { writesPerMinute: -1 },
        { writesPerMinute: 1.5 },
        { searchesPerMinute: '10' },
        { maxConcurrentTransactions: 0 },
        { maxConcurrentTransactions: 501 },
        { rateBurst: 3 },
      ]) {
        const res = await request(app.getHttpServer()).put(limitsUrl).set(op).send(bad);
        expect({ bad, status: res.status, type: res.body.type }).toEqual({
          bad,
          status: 400,
          type: 'urn:hims:problem:validation-failed',
        });
      }
      // The database function refuses them too, whoever calls it.
      for (const bad of ['{"rateBurst": 3}', '{"writesPerMinute": -1}', '{"writesPerMinute": "1"}', '[1]']) {
        await expect(
          owner.query(`SELECT platform.set_tenant_limits($1, $2::jsonb)`, [id, bad]),
        ).rejects.toMatchObject({ driverError: { code: '22023' } });
      }
      expect(await limitsInDb()).toEqual({ writesPerMinute: 0 });
      // Only an operator: the clinic's own admin token is not a platform token.
      expect(
        (await request(app.getHttpServer()).put(limitsUrl).set(authHeaders(user.token, id)).send({})).status,
      ).toBe(401);
      expect(
        (
          await request(app.getHttpServer())
            .put('/api/v1/platform/tenants/00000000-0000-4000-8000-000000000000/limits')
            .set(op)
            .send({})
        ).status,
      ).toBe(404);

      // Back to the defaults (1 a minute, a burst of 2): the clinic's next writes are limited again.
      const cleared = await request(app.getHttpServer()).put(limitsUrl).set(op).send({});
      expect(cleared.status).toBe(200);
      expect(cleared.body.settings.limits).toBeUndefined();
      expect(await limitsInDb()).toBeNull();
      expect((await post()).status).toBe(201);
      expect((await post()).status).toBe(201);
      const limited = await post();
      expect(limited.status).toBe(429);
      expect(limited.body.type).toBe('urn:hims:problem:tenant-rate-limited');

      const audit = await owner.query(
        `SELECT action, outcome, detail FROM platform.audit WHERE target_id = $1 ORDER BY at`,
        [id],
      );
      expect(audit).toEqual([
        {
          action: 'tenant.set_limits',
          outcome: 'succeeded',
          detail: { before: {}, after: { writesPerMinute: 0 } },
        },
        {
          action: 'tenant.set_limits',
          outcome: 'succeeded',
          detail: { before: { writesPerMinute: 0 }, after: {} },
        },
      ]);
    });
  });
});
