/**
 * Needs: the project's PostgreSQL 15 (test/global-setup.ts starts it).
 * Staff invitations over HTTP: a tenant_admin creating a user without a
 * password gets a one-time token (only its hash is stored, the event and the
 * audit trail never carry it); accepting it applies the password rules, sets
 * the password, spends the token and ends the user's other sessions; expired,
 * used and other tenants' tokens answer 401.
 */
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { NestExpressApplication } from '@nestjs/platform-express';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createDataSource } from '../../libs/database/src/data-source';
import { createTestApp } from '../support/app';
import { authHeaders, loginAs, LoggedIn } from '../support/auth';
import { ownerUrl } from '../support/env';
import { asTenant, newTenant } from '../support/fixtures';

jest.setTimeout(30_000);

const ACCEPT = '/api/v1/auth/invitations/accept';
const GOOD_PASSWORD = 'amber-kettle-monsoon-42';
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

describe('staff invitations (HTTP)', () => {
  let app: NestExpressApplication;
  let owner: DataSource;
  let a: { id: string };
  let b: { id: string };
  let adminA: LoggedIn;

  const server = () => app.getHttpServer();
  const invite = async (tenantId = a.id, admin = adminA) => {
    const email = `invitee-${randomUUID().slice(0, 8)}@clinic.test`;
    const res = await request(server())
      .post('/api/v1/users')
      .set(authHeaders(admin.token, tenantId))
      .send({ email, displayName: 'Invited Nurse', roles: ['nurse'] });
    expect(res.status).toBe(201);
    return {
      email,
      userId: res.body.id as string,
      token: res.body.invitation.token as string,
      body: res.body,
    };
  };
  const accept = (tenantId: string, token: string, password = GOOD_PASSWORD) =>
    request(server()).post(ACCEPT).set('X-Tenant-ID', tenantId).send({ token, password });
  const login = (tenantId: string, email: string, password: string) =>
    request(server()).post('/api/v1/auth/login').set('X-Tenant-ID', tenantId).send({ email, password });
  const invitationOf = (tenantId: string, userId: string) =>
    asTenant(
      owner,
      tenantId,
      async (tx) =>
        (
          await tx.query(
            `SELECT encode(token_hash, 'hex') AS hash, accepted_at FROM core.user_invitations WHERE user_id = $1`,
            [userId],
          )
        )[0],
    );

  beforeAll(async () => {
    owner = await createDataSource(ownerUrl(), 2).initialize();
    a = await newTenant(owner, 'invite-a');
    b = await newTenant(owner, 'invite-b');
    app = await createTestApp();
    adminA = await loginAs(app, owner, a.id, ['tenant_admin']);
  });

  afterAll(async () => {
    await app?.close();
    await owner?.destroy();
  });

  it('creating a user without a password returns a one-time token valid 72 h; only its hash is stored, event and audit carry no secret', async () => {
    const before = Date.now();
    const { userId, token, body } = await invite();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const expires = Date.parse(body.invitation.expiresAt);
    expect(expires - before).toBeGreaterThan(72 * 3600_000 - 60_000);
    expect(expires - before).toBeLessThan(72 * 3600_000 + 60_000);

    expect((await invitationOf(a.id, userId)).hash).toBe(sha256(token));

    const dir = resolve(__dirname, '../../contracts/events');
    const load = (f: string) => JSON.parse(readFileSync(resolve(dir, f), 'utf8'));
    const ajv = new Ajv2020({ allErrors: true, strict: true });
    addFormats(ajv);
    const validate = ajv.compile(load('user.invited.schema.json'));
    const [event] = await asTenant(owner, a.id, (tx) =>
      tx.query(`SELECT payload FROM events.outbox WHERE event_type = 'user.invited' AND aggregate_id = $1`, [
        userId,
      ]),
    );
    expect(validate(event.payload) ? null : validate.errors).toBeNull();

    const leaks = await asTenant(owner, a.id, (tx) =>
      tx.query(
        `SELECT count(*)::int AS n FROM audit.audit_log
          WHERE strpos(coalesce(changes::text, '') || coalesce(details::text, ''), $1) > 0
             OR strpos(coalesce(changes::text, '') || coalesce(details::text, ''), $2) > 0`,
        [token, sha256(token)],
      ),
    );
    expect(leaks[0].n).toBe(0);
  });

  it('the invited user cannot sign in with a password before accepting', async () => {
    const { email } = await invite();
    expect((await login(a.id, email, GOOD_PASSWORD)).status).toBe(401);
  });

  it.each([
    ['shorter than 12 characters', () => 'Sh0rt!pass1', /at least 12 characters/],
    ['the email address', (email: string) => email, /must not be the email/],
    ['a common password', () => 'Password1234', /commonly used/],
  ])(
    'accepting with a password that is %s is a 400 naming password; the invitation stays usable',
    async (_l, password, message) => {
      const { email, userId, token } = await invite();
      const res = await accept(a.id, token, password(email));
      expect(res.status).toBe(400);
      expect(res.body.type).toBe('urn:hims:problem:validation-failed');
      expect(res.body.errors).toEqual([{ field: 'password', message: expect.stringMatching(message) }]);
      expect((await invitationOf(a.id, userId)).accepted_at).toBeNull();
      expect((await accept(a.id, token)).status).toBe(204);
    },
  );

  it('accepting sets the password; the token then is spent (401)', async () => {
    const { email, userId, token } = await invite();
    const res = await accept(a.id, token);
    expect(res.status).toBe(204);
    expect((await login(a.id, email, GOOD_PASSWORD)).status).toBe(200);
    expect((await invitationOf(a.id, userId)).accepted_at).not.toBeNull();

    const again = await accept(a.id, token, 'another-long-passphrase-7');
    expect(again.status).toBe(401);
    expect(again.body.type).toBe('urn:hims:problem:unauthenticated');
    expect((await login(a.id, email, 'another-long-passphrase-7')).status).toBe(401);
  });

  it('an expired invitation answers 401', async () => {
    const { userId, token } = await invite();
    await asTenant(owner, a.id, (tx) =>
      tx.query(
        `UPDATE core.user_invitations SET created_at = now() - interval '73 hours', expires_at = now() - interval '1 hour' WHERE user_id = $1`,
        [userId],
      ),
    );
    expect((await accept(a.id, token)).status).toBe(401);
  });

  it("another tenant cannot accept tenant A's invitation; A's stays usable", async () => {
    const { token } = await invite();
    const res = await accept(b.id, token);
    expect(res.status).toBe(401);
    expect(res.body.type).toBe('urn:hims:problem:unauthenticated');
    expect((await accept(a.id, token)).status).toBe(204);
  });

  it('a malformed token is a 400 naming token', async () => {
    const res = await accept(a.id, 'not-a-token');
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['token']);
  });

  describe('password reset by a tenant_admin', () => {
    const reset = (admin: LoggedIn, tenantId: string, userId: string) =>
      request(server())
        .post(`/api/v1/users/${userId}/password-reset`)
        .set(authHeaders(admin.token, tenantId));

    it("issues a one-time token; accepting it changes the password and ends the user's sessions at once", async () => {
      const user = await loginAs(app, owner, a.id, ['doctor']);
      // Any authenticated route: an unknown patient is a 404 while the session lives, a 401 once it ended.
      const probe = () =>
        request(server()).get(`/api/v1/patients/${randomUUID()}`).set(authHeaders(user.token, a.id));
      expect((await probe()).status).toBe(404);

      const res = await reset(adminA, a.id, user.userId);
      expect(res.status).toBe(201);
      expect(res.body.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const [event] = await asTenant(owner, a.id, (tx) =>
        tx.query(
          `SELECT payload FROM events.outbox WHERE event_type = 'user.password_reset_issued' AND aggregate_id = $1`,
          [user.userId],
        ),
      );
      const ajv = new Ajv2020({ allErrors: true, strict: true });
      addFormats(ajv);
      const validate = ajv.compile(
        JSON.parse(
          readFileSync(
            resolve(__dirname, '../../contracts/events/user.password_reset_issued.schema.json'),
            'utf8',
          ),
        ),
      );
      expect(validate(event.payload) ? null : validate.errors).toBeNull();
      // Until it is accepted, the old password and session still work.
      expect((await probe()).status).toBe(404);

      expect((await accept(a.id, res.body.token)).status).toBe(204);
      expect((await probe()).status).toBe(401);
      const refresh = await request(server())
        .post('/api/v1/auth/refresh')
        .set('X-Tenant-ID', a.id)
        .send({ refreshToken: user.refreshToken });
      expect(refresh.status).toBe(401);
      expect((await login(a.id, user.email, user.password)).status).toBe(401);
      expect((await login(a.id, user.email, GOOD_PASSWORD)).status).toBe(200);
    });

    it("only a tenant_admin may reset (403); another tenant's user is a 404; a disabled user a 409", async () => {
      const rec = await loginAs(app, owner, a.id, ['receptionist']);
      const target = await loginAs(app, owner, a.id, ['nurse']);
      expect((await reset(rec, a.id, target.userId)).status).toBe(403);

      const adminB = await loginAs(app, owner, b.id, ['tenant_admin']);
      const foreign = await reset(adminB, b.id, target.userId);
      expect(foreign.status).toBe(404);
      expect(foreign.body.type).toBe('urn:hims:problem:not-found');

      await request(server())
        .patch(`/api/v1/users/${target.userId}`)
        .set(authHeaders(adminA.token, a.id))
        .send({ status: 'disabled' })
        .expect(200);
      const disabled = await reset(adminA, a.id, target.userId);
      expect(disabled.status).toBe(409);
      expect(disabled.body.type).toBe('urn:hims:problem:conflict');
    });
  });
});
