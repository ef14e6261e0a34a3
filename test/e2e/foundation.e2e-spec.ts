/**
 * Needs: the project's PostgreSQL 15 (test/global-setup.ts starts it).
 * The HTTP boundary: tenant header handling, problem+json for every error,
 * request ids, health, metrics, and pool safety under concurrency.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createDataSource } from '../../libs/database/src/data-source';
import { renderOpenApi } from '../../apps/api/src/openapi';
import { createTestApp } from '../support/app';
import { appUrl, ownerUrl } from '../support/env';
import { authHeaders, loginAs, LoggedIn } from '../support/auth';
import { newTenant } from '../support/fixtures';

const PROBLEM = /application\/problem\+json/;

describe('foundation (HTTP)', () => {
  let app: NestExpressApplication;
  let owner: DataSource;
  let a: { id: string; slug: string };
  let b: { id: string; slug: string };
  let suspended: { id: string };
  let userA: LoggedIn;
  let userB: LoggedIn;
  let userS: LoggedIn;

  beforeAll(async () => {
    owner = await createDataSource(ownerUrl(), 2).initialize();
    a = await newTenant(owner, 'http-a');
    b = await newTenant(owner, 'http-b');
    suspended = await newTenant(owner, 'http-s');
    app = await createTestApp({ databasePoolMax: 2, bodyLimit: '1kb' });
    userA = await loginAs(app, owner, a.id, ['doctor']);
    userB = await loginAs(app, owner, b.id, ['nurse']);
    // Signed in while the clinic was active; the operator suspends it afterwards.
    userS = await loginAs(app, owner, suspended.id, ['doctor']);
    await owner.transaction(async (tx) => {
      await tx.query(`SELECT set_config('app.current_tenant', $1, true)`, [suspended.id]);
      await tx.query(`UPDATE core.tenants SET status = 'suspended' WHERE id = $1`, [suspended.id]);
    });
  });

  afterAll(async () => {
    await app?.close();
    await owner?.destroy();
  });

  const server = () => app.getHttpServer();

  describe('X-Tenant-ID', () => {
    it.each([
      ['missing', undefined, 400, 'urn:hims:problem:tenant-header-missing'],
      ['malformed', 'not-a-uuid', 400, 'urn:hims:problem:tenant-header-invalid'],
      ['unknown', '0b8c2d1e-0000-4000-8000-000000000000', 403, 'urn:hims:problem:tenant-forbidden'],
    ])('%s header → %i problem+json', async (_label, header, status, type) => {
      const req = request(server())
        .get('/api/v1/tenancy/context')
        .set('Authorization', `Bearer ${userA.token}`);
      const res = await (header ? req.set('X-Tenant-ID', header) : req);
      expect(res.status).toBe(status);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(res.body).toMatchObject({ type, status, title: expect.any(String), detail: expect.any(String) });
      expect(res.body.instance).toBe('/api/v1/tenancy/context');
    });

    it("mismatched header (tenant B with tenant A's token) → 403", async () => {
      const res = await request(server()).get('/api/v1/tenancy/context').set(authHeaders(userA.token, b.id));
      expect(res.status).toBe(403);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(res.body.type).toBe('urn:hims:problem:tenant-forbidden');
    });

    it('no token on a tenant route → 401 problem+json', async () => {
      const res = await request(server()).get('/api/v1/tenancy/context').set('X-Tenant-ID', a.id);
      expect(res.status).toBe(401);
      expect(res.body.type).toBe('urn:hims:problem:unauthenticated');
    });

    it('suspended tenant → 403', async () => {
      const res = await request(server())
        .get('/api/v1/tenancy/context')
        .set(authHeaders(userS.token, suspended.id));
      expect(res.status).toBe(403);
      expect(res.body.type).toBe('urn:hims:problem:tenant-suspended');
    });

    it('known tenant → the database sees that tenant, the request id, and nothing else', async () => {
      const res = await request(server())
        .get('/api/v1/tenancy/context')
        .set(authHeaders(userA.token, a.id))
        .set('X-Request-ID', 'req-abc.123');
      expect(res.status).toBe(200);
      expect(res.headers['x-request-id']).toBe('req-abc.123');
      expect(res.body).toEqual({
        tenantId: a.id,
        userId: userA.userId,
        requestId: 'req-abc.123',
        visibleTenants: [{ id: a.id, slug: a.slug }],
      });
    });

    it('generates a request id when the caller sends none or an unsafe one', async () => {
      const res = await request(server()).get('/health/live').set('X-Request-ID', 'bad id\twith spaces');
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    });
  });

  describe('errors are problem+json', () => {
    it('unknown route → 404', async () => {
      const res = await request(server()).get('/no/such/route');
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(res.body.type).toBe('urn:hims:problem:route-not-found');
    });

    it('malformed JSON → 400', async () => {
      const res = await request(server())
        .post('/api/v1/tenancy/context')
        .set(authHeaders(userA.token, a.id))
        .set('Content-Type', 'application/json')
        .send('{"broken": ');
      expect(res.status).toBe(400);
      expect(res.body.type).toBe('urn:hims:problem:malformed-json');
    });

    it('body over the configured limit → 413', async () => {
      const res = await request(server())
        .post('/api/v1/tenancy/context')
        .set(authHeaders(userA.token, a.id))
        .set('Content-Type', 'application/json')
        .send(JSON.stringify({ big: 'x'.repeat(4096) }));
      expect(res.status).toBe(413);
      expect(res.body.type).toBe('urn:hims:problem:payload-too-large');
    });

    it('unsupported media type → 415', async () => {
      const res = await request(server())
        .post('/api/v1/tenancy/context')
        .set(authHeaders(userA.token, a.id))
        .set('Content-Type', 'text/xml')
        .send('<patient/>');
      expect(res.status).toBe(415);
      expect(res.body.type).toBe('urn:hims:problem:unsupported-media-type');
    });

    it('a bad percent-encoding in the path is a 400, not a 500', async () => {
      const res = await request(server()).get('/api/v1/tenancy/%E0%A4%A').set(authHeaders(userA.token, a.id));
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(res.body.type).toBe('urn:hims:problem:bad-request');
    });
  });

  describe('pool safety', () => {
    it('200 concurrent requests alternating two tenants over a pool of 2 each see only their own tenant', async () => {
      const tenants = [a, b];
      const users = [userA, userB];
      const responses = await Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          request(server())
            .get('/api/v1/tenancy/context')
            .set(authHeaders(users[i % 2].token, tenants[i % 2].id)),
        ),
      );
      responses.forEach((res, i) => {
        const t = tenants[i % 2];
        expect(res.status).toBe(200);
        expect(res.body.tenantId).toBe(t.id);
        expect(res.body.userId).toBe(users[i % 2].userId);
        expect(res.body.visibleTenants).toEqual([{ id: t.id, slug: t.slug }]);
      });
    });

    it('after a request fails mid-transaction, the next one on the same connection carries nothing over', async () => {
      const single = await createTestApp({ databasePoolMax: 1 });
      try {
        // The suspended tenant is rejected inside the transaction, after the settings were made.
        const failed = await request(single.getHttpServer())
          .get('/api/v1/tenancy/context')
          .set(authHeaders(userS.token, suspended.id));
        expect(failed.status).toBe(403);
        const next = await request(single.getHttpServer())
          .get('/api/v1/tenancy/context')
          .set(authHeaders(userB.token, b.id));
        expect(next.body).toMatchObject({
          tenantId: b.id,
          userId: userB.userId,
          visibleTenants: [{ id: b.id, slug: b.slug }],
        });
        // And outside any request, the pooled connection has no tenant at all.
        const ds = createDataSource(appUrl(), 1);
        await ds.initialize();
        const [{ t }] = await ds.query(`SELECT NULLIF(current_setting('app.current_tenant', true), '') AS t`);
        await ds.destroy();
        expect(t).toBeNull();
      } finally {
        await single.close();
      }
    });
  });

  describe('operations', () => {
    it('/health/live and /health/ready answer with PostgreSQL up', async () => {
      expect((await request(server()).get('/health/live')).status).toBe(200);
      const ready = await request(server()).get('/health/ready');
      expect(ready.status).toBe(200);
      expect(ready.body.details.postgres.status).toBe('up');
    });

    it('/metrics exposes request counts and latency per route template and status', async () => {
      await request(server()).get('/api/v1/tenancy/context').set(authHeaders(userA.token, a.id));
      const res = await request(server()).get('/metrics');
      expect(res.status).toBe(200);
      expect(res.text).toMatch(
        /http_requests_total\{method="GET",route="\/api\/v1\/tenancy\/context",status="200"\} \d+/,
      );
      expect(res.text).toMatch(
        /http_request_duration_seconds_bucket\{le="0.05",method="GET",route="\/api\/v1\/tenancy\/context"/,
      );
    });

    it('serves OpenAPI at /api/docs, and contracts/openapi.json is up to date', async () => {
      const res = await request(server()).get('/api/docs/openapi.json');
      expect(res.status).toBe(200);
      expect(res.body.paths['/api/v1/tenancy/context']).toBeDefined();
      const committed = readFileSync(resolve(__dirname, '../../contracts/openapi.json'), 'utf8');
      // Regenerate with: npm run build && npm run openapi:export
      expect(JSON.parse(committed)).toEqual(JSON.parse(await renderOpenApi()));
    });
  });
});
