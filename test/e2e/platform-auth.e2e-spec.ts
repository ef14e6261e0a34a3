/**
 * Needs: the project's PostgreSQL 15 (test/global-setup.ts starts it).
 * Platform operators over HTTP: sign-in (argon2id, one answer for every wrong
 * credential, the staff lockout), tokens of their own audience without a
 * tenant, refused on every tenant route; tenant tokens refused on every
 * platform route; every attempt in the operator audit trail.
 */
import { randomUUID } from 'node:crypto';
import { NestExpressApplication } from '@nestjs/platform-express';
import { decodeJwt } from 'jose';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createDataSource } from '../../libs/database/src/data-source';
import { createTestApp } from '../support/app';
import { authHeaders, loginAs } from '../support/auth';
import { ownerUrl } from '../support/env';
import { newTenant } from '../support/fixtures';
import { newOperator, operatorSignIn } from '../support/platform';

jest.setTimeout(60_000);

const LOGIN = '/api/v1/platform/auth/login';

describe('platform operators (HTTP)', () => {
  let app: NestExpressApplication;
  let owner: DataSource;
  const server = () => app.getHttpServer();

  beforeAll(async () => {
    owner = await createDataSource(ownerUrl(), 2).initialize();
    app = await createTestApp({ auth: { loginMaxFailuresPerAccount: 3 } });
  });
  afterAll(async () => {
    await app?.close();
    await owner?.destroy();
  });

  it('signs an operator in with a platform-audience token that names no tenant, and audits it', async () => {
    const op = await newOperator(owner);
    const [{ password_hash }] = await owner.query(
      `SELECT password_hash FROM platform.operators WHERE id = $1`,
      [op.id],
    );
    expect(password_hash).toMatch(/^\$argon2id\$/);
    // Step 1, the password: a second step, never a token.
    const first = await request(server())
      .post(LOGIN)
      .send({ email: op.email.toUpperCase(), password: op.password });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      mfaRequired: true,
      mfaToken: expect.any(String),
      enrolmentRequired: true,
      expiresIn: 300,
    });
    expect(first.body.accessToken).toBeUndefined();
    // Step 2: enrol (first sign-in) and the first code: the platform token.
    const token = await operatorSignIn(app, op);
    const claims = decodeJwt(token);
    expect(claims.aud).toBe('hims-platform');
    expect(claims.sub).toBe(op.id);
    expect(claims.tid).toBeUndefined();
    expect(claims.roles).toEqual(['platform_operator']);
    const audit = await owner.query(
      `SELECT action, outcome FROM platform.audit WHERE operator_id = $1 ORDER BY at`,
      [op.id],
    );
    expect(audit).toEqual([
      { action: 'operator.login', outcome: 'succeeded' }, // password step (first try, no second step taken)
      { action: 'operator.login', outcome: 'succeeded' }, // password step of operatorSignIn
      { action: 'operator.mfa_enrolment_started', outcome: 'succeeded' },
      { action: 'operator.mfa_enrolled', outcome: 'succeeded' },
    ]);
  });

  it('answers one 401 for a wrong password and an unknown email, and locks the account after the limit', async () => {
    const op = await newOperator(owner);
    const wrong = await request(server())
      .post(LOGIN)
      .send({ email: op.email, password: 'not-the-password-1' });
    const unknown = await request(server())
      .post(LOGIN)
      .send({ email: `nobody-${randomUUID()}@x.test`, password: 'whatever-pw-123' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.detail).toBe(unknown.body.detail);
    await request(server()).post(LOGIN).send({ email: op.email, password: 'not-the-password-2' }).expect(401);
    await request(server()).post(LOGIN).send({ email: op.email, password: 'not-the-password-3' }).expect(401);
    // Locked: even the right password is refused until the window frees up.
    const locked = await request(server()).post(LOGIN).send({ email: op.email, password: op.password });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    const refused = await owner.query(
      `SELECT count(*)::int AS n FROM platform.audit WHERE action = 'operator.login' AND outcome = 'refused'
          AND detail ->> 'reason' = 'locked_out' AND at > now() - interval '1 minute'`,
    );
    expect(refused[0].n).toBeGreaterThanOrEqual(1);
  });

  it('a disabled operator cannot sign in, and their token stops working', async () => {
    const op = await newOperator(owner);
    const token = await operatorSignIn(app, op);
    await request(server())
      .get('/api/v1/platform/tenants')
      .set('Authorization', `Bearer ${token}`)
      .expect(200);
    await owner.query(`UPDATE platform.operators SET status = 'disabled' WHERE id = $1`, [op.id]);
    await request(server())
      .get('/api/v1/platform/tenants')
      .set('Authorization', `Bearer ${token}`)
      .expect(401);
    await request(server()).post(LOGIN).send({ email: op.email, password: op.password }).expect(401);
  });

  describe('tokens stay in their realm', () => {
    let tenant: { id: string };
    let tenantToken: string;
    let platformToken: string;
    let routes: { method: string; path: string }[];

    beforeAll(async () => {
      tenant = await newTenant(owner, 'realm');
      tenantToken = (await loginAs(app, owner, tenant.id, ['tenant_admin', 'doctor'])).token;
      const op = await newOperator(owner);
      platformToken = await operatorSignIn(app, op);
      const doc = (await request(server()).get('/api/docs/openapi.json').expect(200)).body as {
        paths: Record<string, Record<string, unknown>>;
      };
      routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
        Object.keys(ops)
          .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
          .map((method) => ({ method, path: path.replace(/\{[^}]+\}/g, randomUUID()) })),
      );
      expect(
        routes.filter((r) => r.path.startsWith('/api/v1/platform/tenants')).length,
      ).toBeGreaterThanOrEqual(4);
    });

    const call = (method: string, path: string, headers: Record<string, string>) =>
      (request(server()) as unknown as Record<string, (p: string) => request.Test>)
        [method](path)
        .set(headers)
        .send({});

    it('a platform token is refused on every tenant route that refuses an anonymous caller', async () => {
      const tenantRoutes = routes.filter((r) => !r.path.startsWith('/api/v1/platform/'));
      let checked = 0;
      for (const r of tenantRoutes) {
        const anonymous = await call(r.method, r.path, { 'X-Tenant-ID': tenant.id });
        if (anonymous.status !== 401) continue; // public: sign-in, JWKS, health, invitation accept...
        const res = await call(r.method, r.path, authHeaders(platformToken, tenant.id));
        expect({ route: `${r.method} ${r.path}`, status: res.status }).toEqual({
          route: `${r.method} ${r.path}`,
          status: 401,
        });
        checked++;
      }
      expect(checked).toBeGreaterThan(10);
      // Introspection for other services does not vouch for it either.
      const introspected = await request(server())
        .post('/api/v1/auth/validate')
        .send({ token: platformToken });
      expect(introspected.body).toEqual({ active: false });
    });

    it('a tenant token is refused on every platform route', async () => {
      const platformRoutes = routes.filter(
        (r) => r.path.startsWith('/api/v1/platform/') && !r.path.startsWith('/api/v1/platform/auth/'),
      );
      for (const r of platformRoutes) {
        const res = await call(r.method, r.path, authHeaders(tenantToken, tenant.id));
        expect({ route: `${r.method} ${r.path}`, status: res.status }).toEqual({
          route: `${r.method} ${r.path}`,
          status: 401,
        });
        expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      }
      // And a platform token passes the same guard.
      await request(server())
        .get('/api/v1/platform/tenants')
        .set('Authorization', `Bearer ${platformToken}`)
        .expect(200);
    });
  });
});
