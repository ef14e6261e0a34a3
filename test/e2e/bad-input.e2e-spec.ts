/**
 * Needs: the project's PostgreSQL 15 (test/global-setup.ts starts it).
 * Inputs that used to reach a 500 (issue 9), each now a 4xx problem+json that writes
 * nothing: an impossible analytics day, a name whose parts are each allowed but whose whole
 * is longer than the record allows, and what test/e2e/openapi-fuzz.e2e-spec.ts found.
 */
import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createDataSource } from '../../libs/database/src/data-source';
import { createTestApp } from '../support/app';
import { authHeaders, loginAs, LoggedIn } from '../support/auth';
import { ownerUrl } from '../support/env';
import { asTenant, newTenant } from '../support/fixtures';

describe('bad input is a 400, never a 500', () => {
  let app: NestExpressApplication;
  let owner: DataSource;
  let tenant: { id: string };
  let admin: LoggedIn;

  beforeAll(async () => {
    owner = await createDataSource(ownerUrl(), 2).initialize();
    tenant = await newTenant(owner, 'bad-input');
    app = await createTestApp();
    admin = await loginAs(app, owner, tenant.id, ['tenant_admin', 'doctor']);
  });

  afterAll(async () => {
    await app?.close();
    await owner?.destroy();
  });

  const written = async () =>
    asTenant(owner, tenant.id, async (tx) => {
      const [row] = await tx.query(
        `SELECT (SELECT count(*)::int FROM clinical.patients) AS patients, (SELECT count(*)::int FROM events.outbox) AS events`,
      );
      return row;
    });

  it.each(['2024-13-45', '2023-02-29', '2024-04-31'])('analytics summary with to=%s', async (day) => {
    const res = await request(app.getHttpServer())
      .get('/api/v1/analytics/summary')
      .query({ to: day })
      .set(authHeaders(admin.token, tenant.id));
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.errors).toEqual([{ field: 'to', message: 'to must be a real day written YYYY-MM-DD' }]);
  });

  it.each([
    [
      'five given names and a family name of 100 characters each',
      {
        given: Array.from({ length: 5 }, (_, i) => `${'abcde'[i]}${'x'.repeat(99)}`),
        family: 'y'.repeat(100),
      },
      /at most 300 characters/,
    ],
  ])('registration with %s', async (_label, name, message) => {
    const before = await written();
    const res = await request(app.getHttpServer())
      .post('/api/v1/patients')
      .set(authHeaders(admin.token, tenant.id))
      .send({ name, gender: 'female', birthDate: '1980-01-01' });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.type).toBe('urn:hims:problem:validation-failed');
    expect(res.body.errors).toEqual([{ field: 'name', message: expect.stringMatching(message) }]);
    expect(await written()).toEqual(before);
  });

  // Found by test/e2e/openapi-fuzz.e2e-spec.ts: the DTO transformer recursed once per level
  // and overflowed its stack (500) on any JSON route.
  it('a body nested 5 000 levels deep', async () => {
    const before = await written();
    const res = await request(app.getHttpServer())
      .post('/api/v1/patients')
      .set(authHeaders(admin.token, tenant.id))
      .set('Content-Type', 'application/json')
      .send('['.repeat(5000) + ']'.repeat(5000));
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({
      type: 'urn:hims:problem:bad-request',
      detail: expect.stringMatching(/32 levels/),
    });
    expect(await written()).toEqual(before);
  });

  // Found by the same test: Node's parser answered a URL over its 16 KB header limit with a bare 431.
  it('a query string over the server header limit', async () => {
    const res = await request(app.getHttpServer())
      .get('/api/v1/patients')
      .query({ name: 'a'.repeat(20_000) })
      .set(authHeaders(admin.token, tenant.id));
    expect(res.status).toBe(431);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ type: 'urn:hims:problem:request-header-too-large', status: 431 });
  });

  // Found by the boundary test: a NUL reached PostgreSQL as text (22021), a 500.
  it('a NUL in a sign-in email', async () => {
    const before = await written();
    const res = await request(app.getHttpServer())
      .post('/api/v1/auth/login')
      .set('X-Tenant-ID', tenant.id)
      .send({ email: 'a\u0000@clinic.test', password: 'Plausible-Passphrase-2024!' });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.type).toBe('urn:hims:problem:bad-request');
    expect(await written()).toEqual(before);
  });
});
