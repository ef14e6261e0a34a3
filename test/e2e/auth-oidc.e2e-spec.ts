/**
 * Needs: the project's PostgreSQL 15 (test/global-setup.ts starts it).
 * Sign-in through a clinic's own OpenID Connect provider. The provider here
 * is a local HTTP server on 127.0.0.1 publishing discovery and a JWKS, and
 * its tokens are signed with a real RSA key: the API fetches the keys over
 * HTTP and verifies signatures itself (nothing is mocked).
 */
import { createHmac, generateKeyPairSync, KeyObject } from 'node:crypto';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { NestExpressApplication } from '@nestjs/platform-express';
import { SignJWT } from 'jose';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createDataSource } from '../../libs/database/src/data-source';
import { createTestApp } from '../support/app';
import { authHeaders, createUser } from '../support/auth';
import { ownerUrl } from '../support/env';
import { asTenant, newTenant } from '../support/fixtures';

const AUDIENCE = 'hims-clinic-client';

/** A minimal OpenID provider: discovery + JWKS over HTTP, tokens signed with its private key. */
class LocalIdp {
  private server!: Server;
  readonly key = generateKeyPairSync('rsa', { modulusLength: 2048 });
  readonly kid = 'idp-key-1';
  issuer = '';
  jwksFetches = 0;

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      if (req.url === '/.well-known/openid-configuration') {
        res.setHeader('content-type', 'application/json');
        return res.end(JSON.stringify({ issuer: this.issuer, jwks_uri: `${this.issuer}/jwks` }));
      }
      if (req.url === '/jwks') {
        this.jwksFetches++;
        const jwk = this.key.publicKey.export({ format: 'jwk' });
        res.setHeader('content-type', 'application/json');
        return res.end(JSON.stringify({ keys: [{ ...jwk, kid: this.kid, alg: 'RS256', use: 'sig' }] }));
      }
      res.statusCode = 404;
      res.end();
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.issuer = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  idToken(
    claims: Record<string, unknown>,
    opts: { key?: KeyObject; kid?: string; expiresIn?: string | number } = {},
  ) {
    return new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: opts.kid ?? this.kid, typ: 'JWT' })
      .setIssuer((claims.iss as string) ?? this.issuer)
      .setAudience((claims.aud as string) ?? AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(opts.expiresIn ?? '5m')
      .sign(opts.key ?? this.key.privateKey);
  }
}

describe('auth: external OpenID Connect sign-in (HTTP)', () => {
  let app: NestExpressApplication;
  let owner: DataSource;
  let idp: LocalIdp;
  let a: { id: string };
  let b: { id: string };

  beforeAll(async () => {
    owner = await createDataSource(ownerUrl(), 2).initialize();
    idp = new LocalIdp();
    await idp.start();
    a = await newTenant(owner, 'oidc-a');
    b = await newTenant(owner, 'oidc-b');
    // Operators configure the provider (owner role); the API can only read it.
    await asTenant(owner, a.id, (tx) =>
      tx.query(
        `INSERT INTO core.identity_providers (tenant_id, name, issuer, jwks_uri, audience) VALUES ($1, 'Clinic SSO', $2, $3, $4)`,
        [a.id, idp.issuer, `${idp.issuer}/jwks`, AUDIENCE],
      ),
    );
    app = await createTestApp();
  });

  afterAll(async () => {
    await app?.close();
    await idp?.stop();
    await owner?.destroy();
  });

  const exchange = (token: string, tenantId: string) =>
    request(app.getHttpServer()).post('/api/v1/auth/oidc/exchange').set(authHeaders(token, tenantId)).send();

  it('first sign-in links the user by verified email; later sign-ins follow the link', async () => {
    const user = await createUser(owner, a.id, { roles: ['doctor'], email: 'dr.sso@clinic-a.test' });
    const token = await idp.idToken({
      sub: 'ext-doctor-1',
      email: 'Dr.SSO@clinic-a.test',
      email_verified: true,
    });
    const res = await exchange(token, a.id);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      accessToken: expect.any(String),
      refreshToken: expect.any(String),
      tokenType: 'Bearer',
      expiresIn: 900,
    });
    expect(idp.jwksFetches).toBeGreaterThanOrEqual(1);

    const me = await request(app.getHttpServer())
      .get('/api/v1/auth/me')
      .set(authHeaders(res.body.accessToken, a.id));
    expect(me.status).toBe(200);
    expect(me.body.user).toMatchObject({ id: user.id, roles: ['doctor'] });

    const links = await asTenant(owner, a.id, (tx) =>
      tx.query(`SELECT issuer, subject, user_id FROM core.user_identities WHERE user_id = $1`, [user.id]),
    );
    expect(links).toEqual([{ issuer: idp.issuer, subject: 'ext-doctor-1', user_id: user.id }]);

    // The provider now reports another email: the (issuer, subject) link decides, not the email.
    const later = await idp.idToken({
      sub: 'ext-doctor-1',
      email: 'renamed@clinic-a.test',
      email_verified: false,
    });
    const again = await exchange(later, a.id);
    expect(again.status).toBe(200);
    const claims = JSON.parse(Buffer.from(again.body.accessToken.split('.')[1], 'base64url').toString());
    expect(claims.sub).toBe(user.id);

    // The refresh token from an SSO sign-in works like any other.
    const refreshed = await request(app.getHttpServer())
      .post('/api/v1/auth/refresh')
      .set('X-Tenant-ID', a.id)
      .send({ refreshToken: again.body.refreshToken });
    expect(refreshed.status).toBe(200);

    const events = await asTenant(owner, a.id, (tx) =>
      tx.query(`SELECT event_type, payload FROM events.outbox WHERE aggregate_id = $1 ORDER BY occurred_at`, [
        user.id,
      ]),
    );
    expect(events.map((e: { event_type: string }) => e.event_type)).toEqual([
      'user.identity_linked',
      'user.logged_in',
      'user.logged_in',
      'user.token_refreshed',
    ]);
    expect(events[1].payload).toMatchObject({ method: 'oidc' });
    expect(JSON.stringify(events)).not.toMatch(/clinic-a\.test|eyJ/);
  });

  it('an unknown person (verified email not in this clinic) → 403, and the refusal is recorded', async () => {
    const token = await idp.idToken({
      sub: 'ext-stranger',
      email: 'stranger@elsewhere.test',
      email_verified: true,
    });
    const res = await exchange(token, a.id);
    expect(res.status).toBe(403);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.type).toBe('urn:hims:problem:forbidden');
    const failed = await asTenant(owner, a.id, (tx) =>
      tx.query(
        `SELECT payload FROM events.outbox WHERE event_type = 'user.login_failed' AND payload ->> 'reason' = 'unknown_identity'`,
      ),
    );
    expect(failed).toHaveLength(1);
    expect(failed[0].payload).toMatchObject({ method: 'oidc', knownUser: false });
  });

  it('an unverified email is not linked, even when a user has it → 403', async () => {
    const user = await createUser(owner, a.id, { roles: ['nurse'], email: 'nurse.unverified@clinic-a.test' });
    for (const claims of [{ email_verified: false }, { email_verified: 'true' }, {}]) {
      const token = await idp.idToken({ sub: 'ext-nurse-unverified', email: user.email, ...claims });
      const res = await exchange(token, a.id);
      expect(res.status).toBe(403);
    }
    const links = await asTenant(owner, a.id, (tx) =>
      tx.query(`SELECT 1 FROM core.user_identities WHERE user_id = $1`, [user.id]),
    );
    expect(links).toHaveLength(0);
  });

  it('a disabled user cannot sign in through the provider', async () => {
    const user = await createUser(owner, a.id, {
      roles: ['nurse'],
      status: 'disabled',
      email: 'off@clinic-a.test',
    });
    const token = await idp.idToken({ sub: 'ext-off', email: user.email, email_verified: true });
    expect((await exchange(token, a.id)).status).toBe(403);
  });

  describe('tokens the exchange refuses with 401', () => {
    let user: { email: string };
    beforeAll(async () => {
      user = await createUser(owner, a.id, { roles: ['receptionist'], email: 'front.desk@clinic-a.test' });
    });
    const good = () => ({ sub: 'ext-front-desk', email: user.email, email_verified: true });

    it('control: the genuine token is accepted', async () => {
      expect((await exchange(await idp.idToken(good()), a.id)).status).toBe(200);
    });

    it("signed by another key under the provider's kid", async () => {
      const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
      const res = await exchange(await idp.idToken(good(), { key: other }), a.id);
      expect(res.status).toBe(401);
      expect(res.body.type).toBe('urn:hims:problem:unauthenticated');
    });

    it('wrong audience, expired, or from an issuer this clinic has not configured', async () => {
      expect((await exchange(await idp.idToken({ ...good(), aud: 'another-app' }), a.id)).status).toBe(401);
      expect(
        (await exchange(await idp.idToken(good(), { expiresIn: Math.floor(Date.now() / 1000) - 60 }), a.id))
          .status,
      ).toBe(401);
      expect(
        (await exchange(await idp.idToken({ ...good(), iss: 'https://unknown-idp.example' }), a.id)).status,
      ).toBe(401);
      // Tenant B has no provider: A's provider token means nothing there.
      expect((await exchange(await idp.idToken(good()), b.id)).status).toBe(401);
    });

    it("alg none and HS256 keyed with the provider's public key", async () => {
      const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
      const now = Math.floor(Date.now() / 1000);
      const claims = { ...good(), iss: idp.issuer, aud: AUDIENCE, iat: now, exp: now + 300 };
      expect((await exchange(`${b64({ alg: 'none', kid: idp.kid })}.${b64(claims)}.`, a.id)).status).toBe(
        401,
      );
      const input = `${b64({ alg: 'HS256', kid: idp.kid })}.${b64(claims)}`;
      const pem = idp.key.publicKey.export({ format: 'pem', type: 'spki' });
      const hs = `${input}.${createHmac('sha256', pem).update(input).digest('base64url')}`;
      expect((await exchange(hs, a.id)).status).toBe(401);
    });

    it("no bearer token, or our own access token instead of the provider's", async () => {
      const none = await request(app.getHttpServer())
        .post('/api/v1/auth/oidc/exchange')
        .set('X-Tenant-ID', a.id)
        .send();
      expect(none.status).toBe(401);
      const ours = await exchange(await idp.idToken(good()), a.id);
      expect((await exchange(ours.body.accessToken, a.id)).status).toBe(401);
    });

    it('a provider the operator disabled', async () => {
      const t = await newTenant(owner, 'oidc-off');
      await asTenant(owner, t.id, (tx) =>
        tx.query(
          `INSERT INTO core.identity_providers (tenant_id, name, issuer, jwks_uri, audience, enabled) VALUES ($1, 'Off', $2, $3, $4, false)`,
          [t.id, idp.issuer, `${idp.issuer}/jwks`, AUDIENCE],
        ),
      );
      await createUser(owner, t.id, { roles: ['doctor'], email: user.email });
      expect((await exchange(await idp.idToken(good()), t.id)).status).toBe(401);
    });
  });
});
