/**
 * Needs: the project's PostgreSQL 15 (test/global-setup.ts starts it).
 * "Sign out everywhere": one call ends every session of the caller (JSON
 * clients and the console cookie alike), audited and evented, and nobody
 * else's: not a colleague's, not a same-email user's in another clinic.
 */
import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createDataSource } from '../../libs/database/src/data-source';
import { createTestApp } from '../support/app';
import { authHeaders, createUser, type TestUser } from '../support/auth';
import { ownerUrl } from '../support/env';
import { expectOutboxMatchesContracts } from '../support/event-contracts';
import { asTenant, newTenant } from '../support/fixtures';

const UNAUTHENTICATED = 'urn:hims:problem:unauthenticated';

describe('POST /api/v1/auth/logout-all (sign out everywhere)', () => {
  let app: NestExpressApplication;
  let owner: DataSource;
  let a: { id: string };
  let b: { id: string };

  beforeAll(async () => {
    owner = await createDataSource(ownerUrl(), 2).initialize();
    a = await newTenant(owner, 'logout-all-a');
    b = await newTenant(owner, 'logout-all-b');
    app = await createTestApp();
  });

  afterAll(async () => {
    await app?.close();
    await owner?.destroy();
  });

  const http = () => request(app.getHttpServer());

  async function jsonSession(tenantId: string, user: TestUser) {
    const res = await http()
      .post('/api/v1/auth/login')
      .set('X-Tenant-ID', tenantId)
      .send({ email: user.email, password: user.password });
    expect(res.status).toBe(200);
    return res.body as { accessToken: string; refreshToken: string };
  }

  async function consoleSession(tenantId: string, user: TestUser) {
    const res = await http()
      .post('/api/v1/auth/console/login')
      .set('X-Tenant-ID', tenantId)
      .send({ email: user.email, password: user.password });
    expect(res.status).toBe(200);
    const set = res.headers['set-cookie'] as unknown as string[];
    const value = (name: string) =>
      set
        .find((c) => c.startsWith(`${name}=`))!
        .split(';')[0]
        .slice(name.length + 1);
    return { accessToken: res.body.accessToken as string, rt: value('hims_rt'), csrf: value('hims_csrf') };
  }

  const refresh = (tenantId: string, refreshToken: string) =>
    http().post('/api/v1/auth/refresh').set('X-Tenant-ID', tenantId).send({ refreshToken });
  const consoleRefresh = (tenantId: string, s: { rt: string; csrf: string }) =>
    http()
      .post('/api/v1/auth/console/refresh')
      .set('X-Tenant-ID', tenantId)
      .set('Cookie', `hims_rt=${s.rt}; hims_csrf=${s.csrf}`)
      .set('X-CSRF-Token', s.csrf);
  const logoutAll = (tenantId: string, token?: string) => {
    const req = http().post('/api/v1/auth/logout-all').set('X-Tenant-ID', tenantId);
    return token ? req.set('Authorization', `Bearer ${token}`) : req;
  };

  it("ends every session of the caller on every device, and no one else's", async () => {
    const email = `shared-${Date.now()}@clinic.test`;
    const me = await createUser(owner, a.id, { roles: ['receptionist'], email });
    const colleague = await createUser(owner, a.id, { roles: ['doctor'] });
    // The same email in another clinic is another user: their sessions must survive.
    const twin = await createUser(owner, b.id, { roles: ['receptionist'], email });

    const phone = await jsonSession(a.id, me);
    const browser = await consoleSession(a.id, me);
    const colleagueSession = await jsonSession(a.id, colleague);
    const twinSession = await jsonSession(b.id, twin);

    // My token aimed at the other clinic changes nothing there.
    const crossed = await logoutAll(b.id, phone.accessToken);
    expect(crossed.status).toBe(403);
    expect(crossed.headers['content-type']).toMatch(/application\/problem\+json/);

    const res = await logoutAll(a.id, phone.accessToken);
    expect(res.status).toBe(204);

    // Both of my sessions: refresh answers the documented problem, access tokens stop at once.
    const phoneRefresh = await refresh(a.id, phone.refreshToken);
    expect(phoneRefresh.status).toBe(401);
    expect(phoneRefresh.body.type).toBe(UNAUTHENTICATED);
    const browserRefresh = await consoleRefresh(a.id, browser);
    expect(browserRefresh.status).toBe(401);
    expect(browserRefresh.body.type).toBe(UNAUTHENTICATED);
    for (const token of [phone.accessToken, browser.accessToken]) {
      const who = await http().get('/api/v1/auth/me').set(authHeaders(token, a.id));
      expect(who.status).toBe(401);
      expect(who.body.type).toBe(UNAUTHENTICATED);
    }
    // Signing in again works: it ended sessions, not the account.
    await jsonSession(a.id, me);

    // A colleague in my clinic and my namesake in the other clinic keep theirs.
    expect((await refresh(a.id, colleagueSession.refreshToken)).status).toBe(200);
    expect((await refresh(b.id, twinSession.refreshToken)).status).toBe(200);

    // Evented (per contract) and audited: each revoked token row, with me as the actor.
    const events = (await expectOutboxMatchesContracts(owner, a.id, 'user')).filter(
      (e) => e.event_type === 'user.logged_out_everywhere',
    );
    expect(events.map((e) => e.payload)).toEqual([
      { userId: me.id, sessionId: expect.any(String), revokedSessions: 2 },
    ]);
    const audited: { n: number }[] = await asTenant(owner, a.id, (tx) =>
      tx.query(
        `SELECT count(*)::int AS n FROM audit.audit_log
          WHERE entity_type = 'core.refresh_tokens' AND action = 'UPDATE' AND actor_id = $1
            AND changes -> 'revoked_reason' ->> 'new' = 'logout_all'`,
        [me.id],
      ),
    );
    expect(audited[0].n).toBe(2);
    const inB: { n: number }[] = await asTenant(owner, b.id, (tx) =>
      tx.query(
        `SELECT count(*)::int AS n FROM core.refresh_tokens WHERE user_id = $1 AND revoked_at IS NOT NULL`,
        [twin.id],
      ),
    );
    expect(inB[0].n).toBe(0);
  });

  it('needs a live access token: none, or one whose session already ended, is a 401 problem', async () => {
    const user = await createUser(owner, a.id, { roles: ['nurse'] });
    const s = await jsonSession(a.id, user);
    const anonymous = await logoutAll(a.id);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['content-type']).toMatch(/application\/problem\+json/);
    expect((await logoutAll(a.id, s.accessToken)).status).toBe(204);
    const again = await logoutAll(a.id, s.accessToken);
    expect(again.status).toBe(401);
    expect(again.body.type).toBe(UNAUTHENTICATED);
  });
});
