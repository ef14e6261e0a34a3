/**
 * Needs: the project's PostgreSQL 15 (test/global-setup.ts starts it).
 * Password sign-in, tokens (access JWT + rotating refresh), the ways a
 * forged or stale token is refused, lockout, tenant boundaries, roles, the
 * audit/outbox trail of sign-ins, and staff administration.
 */
import { createHmac, generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NestExpressApplication } from '@nestjs/platform-express';
import { SignJWT } from 'jose';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createDataSource } from '../../libs/database/src/data-source';
import { createTestApp, testAuthKeyDir } from '../support/app';
import { authHeaders, createUser, loginAs } from '../support/auth';
import { ownerUrl } from '../support/env';
import { expectOutboxMatchesContracts } from '../support/event-contracts';
import { asTenant, newTenant } from '../support/fixtures';

const PROBLEM = /application\/problem\+json/;
const UNAUTHENTICATED = 'urn:hims:problem:unauthenticated';

function b64(obj: unknown): string {
  return Buffer.from(JSON.stringify(obj)).toString('base64url');
}

/** The test process's active signing key, read the way the API reads it. */
function ourSigningKey(): { kid: string; privateKeyPem: string } {
  const file = JSON.parse(readFileSync(join(testAuthKeyDir(), 'signing-keys.json'), 'utf8'));
  return file.keys.find((k: { retiredAt: string | null }) => !k.retiredAt);
}

describe('auth (HTTP)', () => {
  let app: NestExpressApplication;
  let owner: DataSource;
  let a: { id: string };
  let b: { id: string };

  beforeAll(async () => {
    owner = await createDataSource(ownerUrl(), 2).initialize();
    a = await newTenant(owner, 'auth-a');
    b = await newTenant(owner, 'auth-b');
    app = await createTestApp();
  });

  afterAll(async () => {
    await app?.close();
    await owner?.destroy();
  });

  const server = () => app.getHttpServer();
  const login = (tenantId: string, email: string, password: string) =>
    request(server()).post('/api/v1/auth/login').set('X-Tenant-ID', tenantId).send({ email, password });
  const me = (token: string, tenantId: string) =>
    request(server()).get('/api/v1/auth/me').set(authHeaders(token, tenantId));
  const refresh = (tenantId: string, refreshToken: string) =>
    request(server()).post('/api/v1/auth/refresh').set('X-Tenant-ID', tenantId).send({ refreshToken });

  function expectUnauthenticated(res: request.Response) {
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body.type).toBe(UNAUTHENTICATED);
  }

  describe('session lifecycle', () => {
    it('login → me → refresh → reuse of the old refresh token revokes the family → logout', async () => {
      const user = await createUser(owner, a.id, { roles: ['doctor'] });
      const res = await login(a.id, user.email.toUpperCase(), user.password);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        accessToken: expect.any(String),
        refreshToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
        tokenType: 'Bearer',
        expiresIn: 900,
      });
      const [header, payload] = res.body.accessToken
        .split('.')
        .slice(0, 2)
        .map((p: string) => JSON.parse(Buffer.from(p, 'base64url').toString()));
      expect(header).toMatchObject({ alg: 'ES256', typ: 'at+jwt', kid: expect.any(String) });
      expect(payload).toMatchObject({
        sub: user.id,
        tid: a.id,
        roles: ['doctor'],
        iss: 'https://hims.local',
        aud: 'hims-api',
        jti: expect.any(String),
      });
      expect(payload.exp - payload.iat).toBe(900);

      const who = await me(res.body.accessToken, a.id);
      expect(who.status).toBe(200);
      expect(who.body).toMatchObject({
        user: { id: user.id, email: user.email, status: 'active', roles: ['doctor'] },
        tenant: { id: a.id },
        roles: ['doctor'],
      });
      expect(JSON.stringify(who.body)).not.toMatch(/password|hash/i);

      // Refresh rotates: new pair, old refresh token spent.
      const first = await refresh(a.id, res.body.refreshToken);
      expect(first.status).toBe(200);
      expect(first.body.refreshToken).not.toBe(res.body.refreshToken);
      expect((await me(first.body.accessToken, a.id)).status).toBe(200);
      const second = await refresh(a.id, first.body.refreshToken);
      expect(second.status).toBe(200);

      // The first (rotated) refresh token comes back: the whole family dies.
      expectUnauthenticated(await refresh(a.id, res.body.refreshToken));
      expectUnauthenticated(await refresh(a.id, second.body.refreshToken));
      // ...and so do the session's access tokens.
      expectUnauthenticated(await me(second.body.accessToken, a.id));
      const reuse = await asTenant(owner, a.id, (tx) =>
        tx.query(
          `SELECT count(*)::int AS n FROM core.refresh_tokens WHERE user_id = $1 AND revoked_reason = 'reuse'`,
          [user.id],
        ),
      );
      expect(reuse[0].n).toBe(3);

      // A new session; logout ends it (refresh and access token both).
      const again = await login(a.id, user.email, user.password);
      expect((await me(again.body.accessToken, a.id)).status).toBe(200);
      const out = await request(server())
        .post('/api/v1/auth/logout')
        .set('X-Tenant-ID', a.id)
        .send({ refreshToken: again.body.refreshToken });
      expect(out.status).toBe(204);
      expectUnauthenticated(await refresh(a.id, again.body.refreshToken));
      expectUnauthenticated(await me(again.body.accessToken, a.id));
      // Logging out twice is not an error.
      const twice = await request(server())
        .post('/api/v1/auth/logout')
        .set('X-Tenant-ID', a.id)
        .send({ refreshToken: again.body.refreshToken });
      expect(twice.status).toBe(204);
      const events = await asTenant(owner, a.id, (tx) =>
        tx.query(`SELECT event_type FROM events.outbox WHERE aggregate_id = $1 ORDER BY occurred_at`, [
          user.id,
        ]),
      );
      expect(events.map((e: { event_type: string }) => e.event_type)).toEqual([
        'user.logged_in',
        'user.token_refreshed',
        'user.token_refreshed',
        'user.refresh_token_reused',
        'user.logged_in',
        'user.logged_out',
      ]);
    });

    it('a refresh token only works in its own tenant', async () => {
      const session = await loginAs(app, owner, a.id, ['nurse']);
      expectUnauthenticated(await refresh(b.id, session.refreshToken));
      expect((await refresh(a.id, session.refreshToken)).status).toBe(200);
    });
  });

  describe('forged, stale and misdirected tokens', () => {
    let session: Awaited<ReturnType<typeof loginAs>>;
    let claims: Record<string, unknown>;

    beforeAll(async () => {
      session = await loginAs(app, owner, a.id, ['doctor']);
      claims = JSON.parse(Buffer.from(session.token.split('.')[1], 'base64url').toString());
    });

    it('the genuine token works (control)', async () => {
      expect((await me(session.token, a.id)).status).toBe(200);
    });

    it('no token → 401 with a Bearer challenge', async () => {
      const res = await request(server()).get('/api/v1/auth/me').set('X-Tenant-ID', a.id);
      expectUnauthenticated(res);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
    });

    it('tampered signature → 401', async () => {
      const [h, p, s] = session.token.split('.');
      const sig = Buffer.from(s, 'base64url');
      sig[10] ^= 0xff;
      expectUnauthenticated(await me(`${h}.${p}.${sig.toString('base64url')}`, a.id));
    });

    it('tampered payload (roles raised) under the original signature → 401', async () => {
      const [h, , s] = session.token.split('.');
      expectUnauthenticated(await me(`${h}.${b64({ ...claims, roles: ['tenant_admin'] })}.${s}`, a.id));
    });

    it('expired token (signed with our real key) → 401', async () => {
      const key = ourSigningKey();
      const now = Math.floor(Date.now() / 1000);
      const expired = await new SignJWT({ ...claims, iat: now - 3600, exp: now - 60 })
        .setProtectedHeader({ alg: 'ES256', kid: key.kid, typ: 'at+jwt' })
        .sign(await import('node:crypto').then((c) => c.createPrivateKey(key.privateKeyPem)));
      expectUnauthenticated(await me(expired, a.id));
    });

    it('alg: none → 401', async () => {
      const token = `${b64({ alg: 'none', typ: 'at+jwt' })}.${b64(claims)}.`;
      expectUnauthenticated(await me(token, a.id));
      const withKid = `${b64({ alg: 'none', typ: 'at+jwt', kid: ourSigningKey().kid })}.${b64(claims)}.`;
      expectUnauthenticated(await me(withKid, a.id));
    });

    it('HS256 signed with our public key as the HMAC secret → 401', async () => {
      const jwks = await request(server()).get('/.well-known/jwks.json');
      const { kid } = jwks.body.keys[0];
      const { createPublicKey } = await import('node:crypto');
      const pem = createPublicKey({ key: jwks.body.keys[0], format: 'jwk' }).export({
        format: 'pem',
        type: 'spki',
      });
      const signingInput = `${b64({ alg: 'HS256', typ: 'at+jwt', kid })}.${b64(claims)}`;
      const sig = createHmac('sha256', pem).update(signingInput).digest('base64url');
      expectUnauthenticated(await me(`${signingInput}.${sig}`, a.id));
    });

    it('token from an unknown issuer → 401, whether signed by its own key or by ours', async () => {
      const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const foreign = await new SignJWT({ ...claims, iss: 'https://evil.example' })
        .setProtectedHeader({ alg: 'ES256', kid: 'evil-key', typ: 'at+jwt' })
        .sign(privateKey);
      expectUnauthenticated(await me(foreign, a.id));

      const key = ourSigningKey();
      const { createPrivateKey } = await import('node:crypto');
      const wrongIss = await new SignJWT({ ...claims, iss: 'https://evil.example' })
        .setProtectedHeader({ alg: 'ES256', kid: key.kid, typ: 'at+jwt' })
        .sign(createPrivateKey(key.privateKeyPem));
      expectUnauthenticated(await me(wrongIss, a.id));
      const wrongAud = await new SignJWT({ ...claims, aud: 'another-api' })
        .setProtectedHeader({ alg: 'ES256', kid: key.kid, typ: 'at+jwt' })
        .sign(createPrivateKey(key.privateKeyPem));
      expectUnauthenticated(await me(wrongAud, a.id));
    });

    it("a disabled user's token (issued before disabling) → 401 at once", async () => {
      const victim = await loginAs(app, owner, a.id, ['receptionist']);
      expect((await me(victim.token, a.id)).status).toBe(200);
      await asTenant(owner, a.id, (tx) =>
        tx.query(`UPDATE core.users SET status = 'disabled' WHERE id = $1`, [victim.userId]),
      );
      expectUnauthenticated(await me(victim.token, a.id));
      expectUnauthenticated(await refresh(a.id, victim.refreshToken));
    });

    it('a token whose role was taken away → 401 (sign in again to get the current roles)', async () => {
      const user = await loginAs(app, owner, a.id, ['doctor', 'nurse']);
      await asTenant(owner, a.id, (tx) =>
        tx.query(`UPDATE core.users SET roles = '{nurse}' WHERE id = $1`, [user.userId]),
      );
      expectUnauthenticated(await me(user.token, a.id));
      const fresh = await refresh(a.id, user.refreshToken);
      expect(fresh.status).toBe(200);
      expect((await me(fresh.body.accessToken, a.id)).body.roles).toEqual(['nurse']);
    });

    it('tenant-A token with X-Tenant-ID of tenant B → 403', async () => {
      const res = await me(session.token, b.id);
      expect(res.status).toBe(403);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(res.body.type).toBe('urn:hims:problem:tenant-forbidden');
    });
  });

  describe('introspection and JWKS', () => {
    it('POST /auth/validate: active for a live token, inactive for anything else', async () => {
      const session = await loginAs(app, owner, a.id, ['nurse']);
      const ok = await request(server()).post('/api/v1/auth/validate').send({ token: session.token });
      expect(ok.status).toBe(200);
      expect(ok.body).toEqual({
        active: true,
        sub: session.userId,
        tid: a.id,
        roles: ['nurse'],
        exp: expect.any(Number),
      });

      const junk = await request(server()).post('/api/v1/auth/validate').send({ token: 'not.a.token' });
      expect(junk.body).toEqual({ active: false });
      await request(server())
        .post('/api/v1/auth/logout')
        .set('X-Tenant-ID', a.id)
        .send({ refreshToken: session.refreshToken });
      const after = await request(server()).post('/api/v1/auth/validate').send({ token: session.token });
      expect(after.body).toEqual({ active: false });
    });

    it('GET /.well-known/jwks.json publishes public EC keys with kid and nothing private', async () => {
      const res = await request(server()).get('/.well-known/jwks.json');
      expect(res.status).toBe(200);
      expect(res.body.keys.length).toBeGreaterThanOrEqual(1);
      for (const k of res.body.keys) {
        expect(k).toEqual({
          kty: 'EC',
          crv: 'P-256',
          x: expect.any(String),
          y: expect.any(String),
          kid: expect.any(String),
          alg: 'ES256',
          use: 'sig',
        });
      }
    });
  });

  describe('password failures', () => {
    it('wrong password and unknown email get identical 401 bodies', async () => {
      const user = await createUser(owner, a.id, { roles: ['doctor'] });
      const wrongPassword = await login(a.id, user.email, 'not-the-password');
      const unknownEmail = await login(a.id, 'nobody-here@clinic.test', 'not-the-password');
      for (const res of [wrongPassword, unknownEmail]) expectUnauthenticated(res);
      const strip = (body: Record<string, unknown>) => {
        const rest = { ...body };
        delete rest.instance;
        delete rest.requestId;
        return rest;
      };
      expect(strip(wrongPassword.body)).toEqual(strip(unknownEmail.body));
      expect(wrongPassword.headers['www-authenticate']).toBe(unknownEmail.headers['www-authenticate']);
    });

    it('a failed login persists its attempt and user.login_failed event despite the 401; no secrets in events', async () => {
      const user = await createUser(owner, a.id, { roles: ['doctor'] });
      const wrong = 'Wrong-Secret-Value-123';
      expectUnauthenticated(await login(a.id, user.email, wrong));
      const ok = await login(a.id, user.email, user.password);
      expect(ok.status).toBe(200);

      const events = await asTenant(owner, a.id, (tx) =>
        tx.query(
          `SELECT event_type, aggregate_id, payload FROM events.outbox WHERE aggregate_id = $1 ORDER BY occurred_at`,
          [user.id],
        ),
      );
      expect(events.map((e: { event_type: string }) => e.event_type)).toEqual([
        'user.login_failed',
        'user.logged_in',
      ]);
      expect(events[0].payload).toMatchObject({ reason: 'invalid_credentials', method: 'password' });
      const text = JSON.stringify(events);
      for (const secret of [
        wrong,
        user.password,
        ok.body.refreshToken,
        ok.body.accessToken,
        user.email,
        '$argon2',
      ]) {
        expect(text).not.toContain(secret);
      }
      const attempts = await asTenant(owner, a.id, (tx) =>
        tx.query(`SELECT succeeded FROM core.login_attempts WHERE email = lower($1) ORDER BY at`, [
          user.email,
        ]),
      );
      expect(attempts).toEqual([{ succeeded: false }, { succeeded: true }]);

      // The outbox trigger copied both events into the audit chain; the refresh token hash never went there.
      const audit = await asTenant(owner, a.id, (tx) =>
        tx.query(
          `SELECT action, changes, details FROM audit.audit_log
            WHERE entity_id = $1 OR (entity_type = 'core.refresh_tokens' AND changes -> 'user_id' ->> 'new' = $1)`,
          [user.id],
        ),
      );
      expect(audit.map((r: { action: string }) => r.action)).toEqual(
        expect.arrayContaining(['user.login_failed', 'user.logged_in', 'INSERT']),
      );
      expect(JSON.stringify(audit)).not.toMatch(/token_hash|\$argon2/);
    });

    it("an unknown email's failure event uses a derived id, never the email", async () => {
      const email = `ghost-${Date.now()}@clinic.test`;
      expectUnauthenticated(await login(b.id, email, 'whatever-password'));
      expectUnauthenticated(await login(b.id, email, 'another-password'));
      const events = await asTenant(owner, b.id, (tx) =>
        tx.query(`SELECT aggregate_id, payload FROM events.outbox WHERE event_type = 'user.login_failed'`),
      );
      expect(events).toHaveLength(2);
      expect(events[0].aggregate_id).toBe(events[1].aggregate_id); // deterministic
      expect(events[0].payload).toEqual({
        reason: 'invalid_credentials',
        method: 'password',
        knownUser: false,
      });
      expect(JSON.stringify(events)).not.toContain(email);
    });
  });

  describe('lockout', () => {
    let short: NestExpressApplication;
    beforeAll(async () => {
      short = await createTestApp({
        auth: { loginWindowSeconds: 2, loginMaxFailuresPerAccount: 3, loginMaxFailuresPerAddress: 6 },
      });
    });
    afterAll(async () => short?.close());

    const shortLogin = (tenantId: string, email: string, password: string) =>
      request(short.getHttpServer())
        .post('/api/v1/auth/login')
        .set('X-Tenant-ID', tenantId)
        .send({ email, password });

    it('per account: 429 with Retry-After once the limit is reached, and sign-in works after the window', async () => {
      const t = await newTenant(owner, 'lock-acct');
      const user = await createUser(owner, t.id, { roles: ['nurse'] });
      for (let i = 0; i < 3; i++)
        expect((await shortLogin(t.id, user.email, 'wrong-password')).status).toBe(401);
      // Even the right password is refused while locked.
      const locked = await shortLogin(t.id, user.email, user.password);
      expect(locked.status).toBe(429);
      expect(locked.headers['content-type']).toMatch(PROBLEM);
      expect(locked.body.type).toBe('urn:hims:problem:too-many-requests');
      const retryAfter = Number(locked.headers['retry-after']);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(2);
      // The refusal is audited (committed despite the 429).
      const blocked = await asTenant(owner, t.id, (tx) =>
        tx.query(`SELECT count(*)::int AS n FROM events.outbox WHERE payload ->> 'reason' = 'locked_out'`),
      );
      expect(blocked[0].n).toBe(1);

      await new Promise((r) => setTimeout(r, retryAfter * 1000 + 200));
      expect((await shortLogin(t.id, user.email, user.password)).status).toBe(200);
    });

    it('per client address: many accounts from one address → 429', async () => {
      const t = await newTenant(owner, 'lock-addr');
      for (let i = 0; i < 6; i++) {
        expect((await shortLogin(t.id, `someone-${i}@clinic.test`, 'guess')).status).toBe(401);
      }
      const res = await shortLogin(t.id, 'someone-else@clinic.test', 'guess');
      expect(res.status).toBe(429);
      expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    });
  });

  describe('roles and user administration', () => {
    let adminA: Awaited<ReturnType<typeof loginAs>>;
    let adminB: Awaited<ReturnType<typeof loginAs>>;

    beforeAll(async () => {
      adminA = await loginAs(app, owner, a.id, ['tenant_admin']);
      adminB = await loginAs(app, owner, b.id, ['tenant_admin']);
    });

    const users = (s: { token: string }, tenantId: string) => ({
      create: (body: object) =>
        request(server()).post('/api/v1/users').set(authHeaders(s.token, tenantId)).send(body),
      list: (query = '') =>
        request(server()).get(`/api/v1/users${query}`).set(authHeaders(s.token, tenantId)),
      get: (id: string) => request(server()).get(`/api/v1/users/${id}`).set(authHeaders(s.token, tenantId)),
      patch: (id: string, body: object) =>
        request(server()).patch(`/api/v1/users/${id}`).set(authHeaders(s.token, tenantId)).send(body),
    });

    it('a receptionist calling POST /api/v1/users → 403 problem+json', async () => {
      const rec = await loginAs(app, owner, a.id, ['receptionist']);
      const res = await users(rec, a.id).create({
        email: 'x@clinic.test',
        displayName: 'X',
        roles: ['doctor'],
      });
      expect(res.status).toBe(403);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(res.body.type).toBe('urn:hims:problem:forbidden');
      expect((await users(rec, a.id).list()).status).toBe(403);
    });

    it('create → the new user can sign in; duplicates and bad input are refused field by field', async () => {
      const email = `new-doc-${Date.now()}@clinic.test`;
      const created = await users(adminA, a.id).create({
        email,
        displayName: 'Dr. New',
        roles: ['doctor'],
        password: 'a-long-initial-password',
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        id: expect.any(String),
        email,
        displayName: 'Dr. New',
        roles: ['doctor'],
        status: 'active',
        version: 1,
      });
      expect(JSON.stringify(created.body)).not.toMatch(/password|hash/i);
      expect((await login(a.id, email, 'a-long-initial-password')).status).toBe(200);

      const dup = await users(adminA, a.id).create({
        email: email.toUpperCase(),
        displayName: 'Dup',
        roles: ['nurse'],
      });
      expect(dup.status).toBe(409);

      const bad = await users(adminA, a.id).create({
        email: 'not-an-email',
        displayName: '',
        roles: ['surgeon'],
        password: 'short',
        admin: true,
      });
      expect(bad.status).toBe(400);
      expect(bad.body.type).toBe('urn:hims:problem:validation-failed');
      const fields = bad.body.errors.map((e: { field: string }) => e.field);
      expect(fields).toEqual(expect.arrayContaining(['email', 'displayName', 'roles', 'password', 'admin']));

      const events = await asTenant(owner, a.id, (tx) =>
        tx.query(
          `SELECT event_type, payload, actor_id FROM events.outbox WHERE aggregate_id = $1 AND event_type = 'user.created'`,
          [created.body.id],
        ),
      );
      expect(events).toHaveLength(1);
      expect(events[0].actor_id).toBe(adminA.userId);
      expect(JSON.stringify(events)).not.toContain('a-long-initial-password');
    });

    it('list with cursor pagination visits every user once', async () => {
      const t = await newTenant(owner, 'list');
      const admin = await loginAs(app, owner, t.id, ['tenant_admin']);
      for (let i = 0; i < 4; i++)
        await createUser(owner, t.id, { roles: ['nurse'], email: `n${i}@list.test` });
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res: request.Response = await users(admin, t.id).list(
          `?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        );
        expect(res.status).toBe(200);
        expect(res.body.items.length).toBeLessThanOrEqual(2);
        seen.push(...res.body.items.map((u: { email: string }) => u.email));
        cursor = res.body.nextCursor;
      } while (cursor);
      expect(seen).toHaveLength(5);
      expect(new Set(seen).size).toBe(5);
      expect(seen).toEqual([...seen].sort());
      expect((await users(admin, t.id).list('?cursor=garbage')).status).toBe(400);
      expect((await users(admin, t.id).list('?limit=1000')).status).toBe(400);
    });

    it("patch roles and display name; disable stops the user's tokens at once", async () => {
      const staff = await loginAs(app, owner, a.id, ['nurse']);
      const patched = await users(adminA, a.id).patch(staff.userId, {
        roles: ['nurse', 'doctor'],
        displayName: 'Nurse Doctor',
      });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({
        roles: ['nurse', 'doctor'],
        displayName: 'Nurse Doctor',
        version: 2,
      });
      // Added roles do not break the old token (it claims a subset).
      expect((await me(staff.token, a.id)).status).toBe(200);

      const disabled = await users(adminA, a.id).patch(staff.userId, { status: 'disabled' });
      expect(disabled.status).toBe(200);
      expect(disabled.body.status).toBe('disabled');
      expectUnauthenticated(await me(staff.token, a.id));
      expectUnauthenticated(await refresh(a.id, staff.refreshToken));
      expectUnauthenticated(await login(a.id, staff.email, staff.password));

      const events = await asTenant(owner, a.id, (tx) =>
        tx.query(
          `SELECT event_type, payload FROM events.outbox WHERE aggregate_id = $1 ORDER BY occurred_at`,
          [staff.userId],
        ),
      );
      expect(events.map((e: { event_type: string }) => e.event_type)).toEqual([
        'user.logged_in',
        'user.updated',
        'user.disabled',
        'user.login_failed',
      ]);
      expect(events[1].payload).toMatchObject({
        changed: ['displayName', 'roles'],
        roles: ['nurse', 'doctor'],
        version: 2,
      });
      expect(events[2].payload).toMatchObject({ version: 3, revokedSessions: 1 });
      expect(events[3].payload).toMatchObject({ reason: 'account_disabled' });
      const fetched = await users(adminA, a.id).get(staff.userId);
      expect(fetched.body.status).toBe('disabled');
    });

    it('the last active administrator cannot be disabled or demoted', async () => {
      const t = await newTenant(owner, 'last-admin');
      const admin = await loginAs(app, owner, t.id, ['tenant_admin']);
      expect((await users(admin, t.id).patch(admin.userId, { status: 'disabled' })).status).toBe(409);
      expect((await users(admin, t.id).patch(admin.userId, { roles: ['doctor'] })).status).toBe(409);
    });

    it("tenant A's admin cannot see or change tenant B's users (404), and lists only A's", async () => {
      const inB = await createUser(owner, b.id, { roles: ['doctor'] });
      expect((await users(adminA, a.id).get(inB.id)).status).toBe(404);
      const patch = await users(adminA, a.id).patch(inB.id, { status: 'disabled' });
      expect(patch.status).toBe(404);
      expect(patch.body.type).toBe('urn:hims:problem:not-found');
      // Role editing (the console's users page) is held by RLS the same way.
      const roles = await users(adminA, a.id).patch(inB.id, { roles: ['tenant_admin'] });
      expect(roles.status).toBe(404);
      expect(roles.body.type).toBe('urn:hims:problem:not-found');
      const listA = await users(adminA, a.id).list('?limit=100');
      expect(listA.body.items.map((u: { id: string }) => u.id)).not.toContain(inB.id);
      // B's admin still sees the user, unchanged; A's token cannot be pointed at B.
      expect((await users(adminB, b.id).get(inB.id)).body).toMatchObject({
        status: 'active',
        roles: ['doctor'],
        version: 1,
      });
      expect((await users(adminA, b.id).get(inB.id)).status).toBe(403);
    });
  });

  describe('event contracts', () => {
    it('every user.* outbox row written by these tests matches contracts/events', async () => {
      const seen = new Set<string>();
      for (const tenant of [a, b]) {
        const rows = await expectOutboxMatchesContracts(owner, tenant.id, 'user');
        rows.forEach((r) => seen.add(r.event_type));
      }
      // The flows above reach these; a new event type without a schema fails the row check.
      expect([...seen].sort()).toEqual(
        expect.arrayContaining([
          'user.created',
          'user.disabled',
          'user.logged_in',
          'user.logged_out',
          'user.login_failed',
          'user.refresh_token_reused',
          'user.token_refreshed',
          'user.updated',
        ]),
      );
    });
  });
});
