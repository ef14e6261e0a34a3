/**
 * Needs: the project's PostgreSQL 15 (test/global-setup.ts starts it).
 * Two-step sign-in (docs/auth.md "Two-step sign-in"): TOTP (RFC 6238) for staff, required for
 * tenant_admin and the roles a clinic lists; enrolment with a QR code, one-time hashed recovery
 * codes, replay refusal, the password lockout counting wrong codes, resets by a tenant_admin,
 * audit events that match their contracts, and no way across tenants. Operators: platform-auth.
 */
import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createDataSource } from '../../libs/database/src/data-source';
import { hashRecoveryCode, totpCode } from '../../libs/auth/src/mfa/totp';
import { createTestApp } from '../support/app';
import { authHeaders, createUser, loginAs } from '../support/auth';
import { ownerUrl } from '../support/env';
import { expectOutboxMatchesContracts } from '../support/event-contracts';
import { asTenant, newTenant } from '../support/fixtures';
import { enrolmentOf, staffSignIn } from '../support/mfa';
import { newOperator } from '../support/platform';

describe('two-step sign-in (TOTP)', () => {
  let app: NestExpressApplication;
  let owner: DataSource;
  let a: { id: string };
  let b: { id: string };
  const server = () => app.getHttpServer();
  const post = (tenantId: string, path: string, body: object) =>
    request(server()).post(path).set('X-Tenant-ID', tenantId).send(body);

  beforeAll(async () => {
    owner = await createDataSource(ownerUrl(), 2).initialize();
    app = await createTestApp({ auth: { loginMaxFailuresPerAccount: 5 } });
    a = await newTenant(owner, 'mfa-a');
    b = await newTenant(owner, 'mfa-b');
  });
  afterAll(async () => {
    await app?.close();
    await owner?.destroy();
  });

  it('a tenant_admin gets no tokens for a password alone; enrols with a QR code; the first code signs in and yields recovery codes', async () => {
    const admin = await createUser(owner, a.id, { roles: ['tenant_admin'] });
    const first = await post(a.id, '/api/v1/auth/login', { email: admin.email, password: admin.password });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      mfaRequired: true,
      mfaToken: expect.any(String),
      enrolmentRequired: true,
      expiresIn: 300,
    });
    const mfaToken = first.body.mfaToken as string;

    const enrol = await post(a.id, '/api/v1/auth/mfa/enrol', { mfaToken });
    expect(enrol.status).toBe(200);
    expect(enrol.body.secret).toMatch(/^[A-Z2-7]{32}$/); // 160 bits, base32
    expect(enrol.body.otpauthUri).toBe(
      `otpauth://totp/HIMS:${encodeURIComponent(admin.email)}?issuer=HIMS&secret=${enrol.body.secret}&algorithm=SHA1&digits=6&period=30`,
    );
    expect(enrol.body.qrSvg).toMatch(/^<svg[^>]*viewBox/);

    const wrong = await post(a.id, '/api/v1/auth/mfa/verify', {
      mfaToken,
      code: '000000' === totpCode(enrol.body.secret) ? '111111' : '000000',
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body.type).toBe('urn:hims:problem:unauthenticated');

    const code = totpCode(enrol.body.secret);
    const ok = await post(a.id, '/api/v1/auth/mfa/verify', { mfaToken, code });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({
      accessToken: expect.any(String),
      refreshToken: expect.any(String),
      tokenType: 'Bearer',
    });
    expect(ok.body.recoveryCodes).toHaveLength(10);
    expect(new Set(ok.body.recoveryCodes).size).toBe(10);
    await request(server()).get('/api/v1/auth/me').set(authHeaders(ok.body.accessToken, a.id)).expect(200);

    // Stored: the secret only encrypted, the recovery codes only hashed.
    const stored = await asTenant(owner, a.id, async (tx) => ({
      factor: (
        await tx.query(`SELECT secret_ciphertext, confirmed_at FROM core.mfa_factors WHERE user_id = $1`, [
          admin.id,
        ])
      )[0],
      codes: await tx.query(`SELECT code_hash FROM core.mfa_recovery_codes WHERE user_id = $1`, [admin.id]),
    }));
    expect(stored.factor.confirmed_at).not.toBeNull();
    expect(stored.factor.secret_ciphertext.toString('latin1')).not.toContain(enrol.body.secret);
    expect(stored.codes.map((r: { code_hash: Buffer }) => r.code_hash.toString('hex')).sort()).toEqual(
      (ok.body.recoveryCodes as string[]).map((c) => hashRecoveryCode(c).toString('hex')).sort(),
    );

    // The mfaToken is spent; the same code is not taken twice (replay), on a new challenge either.
    expect((await post(a.id, '/api/v1/auth/mfa/verify', { mfaToken, code })).status).toBe(401);
    const again = await post(a.id, '/api/v1/auth/login', { email: admin.email, password: admin.password });
    expect(again.body).toMatchObject({ mfaRequired: true, enrolmentRequired: false });
    expect(
      (await post(a.id, '/api/v1/auth/mfa/verify', { mfaToken: again.body.mfaToken, code })).status,
    ).toBe(401);
    // An enrolled person cannot be re-enrolled through a sign-in (someone with only the password).
    expect((await post(a.id, '/api/v1/auth/mfa/enrol', { mfaToken: again.body.mfaToken })).status).toBe(409);

    // A recovery code works once.
    const recovery = (ok.body.recoveryCodes as string[])[3];
    const viaRecovery = await post(a.id, '/api/v1/auth/mfa/verify', {
      mfaToken: again.body.mfaToken,
      recoveryCode: recovery.toUpperCase(),
    });
    expect(viaRecovery.status).toBe(200);
    expect(viaRecovery.body.recoveryCodes).toBeUndefined();
    const third = await post(a.id, '/api/v1/auth/login', { email: admin.email, password: admin.password });
    expect(
      (await post(a.id, '/api/v1/auth/mfa/verify', { mfaToken: third.body.mfaToken, recoveryCode: recovery }))
        .status,
    ).toBe(401);

    const events = await expectOutboxMatchesContracts(owner, a.id, 'user');
    const mine = events.filter((e) => e.aggregate_id === admin.id).map((e) => e.event_type);
    expect(mine).toEqual(
      expect.arrayContaining([
        'user.mfa_challenged',
        'user.mfa_enrolled',
        'user.logged_in',
        'user.login_failed',
      ]),
    );
    // Enrolment is in the tamper-evident row audit, without the secret.
    const audited: { action: string; changes: Record<string, unknown> }[] = await asTenant(
      owner,
      a.id,
      (tx) =>
        tx.query(
          `SELECT action, changes FROM audit.audit_log WHERE entity_type = 'core.mfa_factors' ORDER BY seq`,
        ),
    );
    const ofAdmin = audited.filter((r) => JSON.stringify(r.changes).includes(admin.id));
    expect(ofAdmin.map((r) => r.action)).toContain('INSERT');
    for (const r of audited) expect(JSON.stringify(r.changes)).not.toMatch(/secret_ciphertext|last_step/);
  });

  it('wrong codes count like wrong passwords: the account locks (429), even for the right code, and the challenge is spent after 5', async () => {
    const admin = await createUser(owner, a.id, { roles: ['tenant_admin'] });
    expect((await staffSignIn(app, a.id, admin)).status).toBe(200); // enrolled
    const secret = enrolmentOf(admin.email)!.secret;
    const login = await post(a.id, '/api/v1/auth/login', { email: admin.email, password: admin.password });
    const mfaToken = login.body.mfaToken as string;
    const right = totpCode(secret, Date.now() + 30000);
    const wrongCode = right === '123456' ? '654321' : '123456';
    for (let i = 0; i < 5; i++) {
      expect((await post(a.id, '/api/v1/auth/mfa/verify', { mfaToken, code: wrongCode })).status).toBe(401);
    }
    const locked = await post(a.id, '/api/v1/auth/login', { email: admin.email, password: admin.password });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    // The spent challenge is refused whatever the code.
    expect((await post(a.id, '/api/v1/auth/mfa/verify', { mfaToken, code: right })).status).toBe(401);
  });

  it('other roles sign in with a password unless the clinic requires the second factor of them (tenant_admin sets it)', async () => {
    const admin = await loginAs(app, owner, b.id, ['tenant_admin']);
    const doctor = await createUser(owner, b.id, { roles: ['doctor'] });
    const plain = await post(b.id, '/api/v1/auth/login', { email: doctor.email, password: doctor.password });
    expect(plain.body.accessToken).toEqual(expect.any(String));

    const asDoctor = await request(server())
      .put('/api/v1/auth/mfa/policy')
      .set(authHeaders(plain.body.accessToken, b.id))
      .send({ requiredRoles: [] });
    expect(asDoctor.status).toBe(403);
    const bad = await request(server())
      .put('/api/v1/auth/mfa/policy')
      .set(authHeaders(admin.token, b.id))
      .send({ requiredRoles: ['surgeon'] });
    expect(bad.status).toBe(400);
    const set = await request(server())
      .put('/api/v1/auth/mfa/policy')
      .set(authHeaders(admin.token, b.id))
      .send({ requiredRoles: ['doctor'] });
    expect(set.status).toBe(200);
    expect(set.body).toEqual({ requiredRoles: ['doctor'], alwaysRequired: ['tenant_admin'] });

    const now = await post(b.id, '/api/v1/auth/login', { email: doctor.email, password: doctor.password });
    expect(now.body).toMatchObject({ mfaRequired: true, enrolmentRequired: true });
    // The policy is the clinic's own: clinic A's doctors still sign in with a password.
    const doctorA = await createUser(owner, a.id, { roles: ['doctor'] });
    const inA = await post(a.id, '/api/v1/auth/login', { email: doctorA.email, password: doctorA.password });
    expect(inA.body.accessToken).toEqual(expect.any(String));
    await request(server())
      .put('/api/v1/auth/mfa/policy')
      .set(authHeaders(admin.token, b.id))
      .send({ requiredRoles: [] })
      .expect(200);
  });

  it("a tenant_admin resets a user's authenticator: sessions end, the user enrols again; never across clinics", async () => {
    const adminA = await loginAs(app, owner, a.id, ['tenant_admin']);
    const adminB = await loginAs(app, owner, b.id, ['tenant_admin']);
    const user = await createUser(owner, a.id, { roles: ['tenant_admin'] });
    const session = await staffSignIn(app, a.id, user);
    expect(session.status).toBe(200);

    // Another clinic's admin cannot see or reset it; a challenge of clinic A is nothing in clinic B.
    expect(
      (
        await request(server())
          .post(`/api/v1/users/${user.id}/mfa-reset`)
          .set(authHeaders(adminB.token, b.id))
      ).status,
    ).toBe(404);
    const challengeA = await post(a.id, '/api/v1/auth/login', { email: user.email, password: user.password });
    expect((await post(b.id, '/api/v1/auth/mfa/enrol', { mfaToken: challengeA.body.mfaToken })).status).toBe(
      401,
    );
    const rowsSeenFromB = await asTenant(owner, b.id, (tx) =>
      tx.query(`SELECT 1 FROM core.mfa_factors WHERE user_id = $1`, [user.id]),
    );
    expect(rowsSeenFromB).toEqual([]);

    await request(server())
      .post(`/api/v1/users/${user.id}/mfa-reset`)
      .set(authHeaders(adminA.token, a.id))
      .expect(204);
    await request(server())
      .get('/api/v1/auth/me')
      .set(authHeaders(session.body.accessToken as string, a.id))
      .expect(401);
    const next = await post(a.id, '/api/v1/auth/login', { email: user.email, password: user.password });
    expect(next.body).toMatchObject({ mfaRequired: true, enrolmentRequired: true });
    expect(
      (
        await request(server())
          .post(`/api/v1/users/${user.id}/mfa-reset`)
          .set(authHeaders(adminA.token, a.id))
      ).status,
    ).toBe(409);
    const events = await expectOutboxMatchesContracts(owner, a.id, 'user');
    expect(
      events.filter((e) => e.event_type === 'user.mfa_reset' && e.aggregate_id === user.id),
    ).toHaveLength(1);
  });

  it('operators: wrong codes lock the operator account like wrong passwords', async () => {
    const op = await newOperator(owner);
    const LOGIN = '/api/v1/platform/auth/login';
    const first = await request(server()).post(LOGIN).send({ email: op.email, password: op.password });
    expect(first.body).toMatchObject({ mfaRequired: true, enrolmentRequired: true });
    const enrol = await request(server())
      .post('/api/v1/platform/auth/mfa/enrol')
      .send({ mfaToken: first.body.mfaToken });
    expect(enrol.status).toBe(200);
    const right = totpCode(enrol.body.secret);
    const wrongCode = right === '123456' ? '654321' : '123456';
    for (let i = 0; i < 5; i++) {
      const res = await request(server())
        .post('/api/v1/platform/auth/mfa/verify')
        .send({ mfaToken: first.body.mfaToken, code: wrongCode });
      expect(res.status).toBe(401);
    }
    expect(
      (await request(server()).post(LOGIN).send({ email: op.email, password: op.password })).status,
    ).toBe(429);
    const audit = await owner.query(
      `SELECT count(*)::int AS n FROM platform.audit WHERE operator_id = $1 AND outcome = 'failed' AND detail ->> 'step' = 'second_factor'`,
      [op.id],
    );
    expect(audit[0].n).toBe(5);
  });
});
