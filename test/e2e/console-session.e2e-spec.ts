/**
 * Needs: the project's PostgreSQL 15 (test/global-setup.ts starts it).
 * What the staff console needs from the API besides the patient routes: a
 * clinic's tenant id from its slug (and nothing else), and a session whose
 * refresh token lives in an HttpOnly cookie guarded by a double-submit CSRF token.
 */
import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createDataSource } from '../../libs/database/src/data-source';
import { createTestApp } from '../support/app';
import { createUser } from '../support/auth';
import { ownerUrl } from '../support/env';
import { newTenant } from '../support/fixtures';

const CONSOLE = '/api/v1/auth/console';

function cookies(res: request.Response): string[] {
  const raw = res.headers['set-cookie'] as unknown as string[] | undefined;
  return raw ?? [];
}
function cookieValue(res: request.Response, name: string): string | undefined {
  const line = cookies(res).find((c) => c.startsWith(`${name}=`));
  return line?.slice(name.length + 1).split(';')[0];
}

describe('console session and clinic lookup (HTTP)', () => {
  let app: NestExpressApplication;
  let owner: DataSource;
  let clinic: { id: string; slug: string };
  let suspended: { id: string; slug: string };
  let user: { email: string; password: string };

  beforeAll(async () => {
    owner = await createDataSource(ownerUrl(), 2).initialize();
    clinic = await newTenant(owner, 'console');
    suspended = await newTenant(owner, 'console-off', 'suspended');
    user = await createUser(owner, clinic.id, { roles: ['receptionist'] });
    app = await createTestApp();
  });

  afterAll(async () => {
    await app?.close();
    await owner?.destroy();
  });

  const server = () => app.getHttpServer();

  it('resolves an active clinic slug to its tenant id only; unknown, malformed and suspended are one 404', async () => {
    const ok = await request(server()).get(`/api/v1/tenants/by-slug/${clinic.slug.toUpperCase()}`);
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ tenantId: clinic.id });
    expect(ok.headers['cache-control']).toBe('no-store');
    for (const slug of [suspended.slug, 'no-such-clinic', 'Bad%20Slug!', 'x']) {
      const res = await request(server()).get(`/api/v1/tenants/by-slug/${slug}`);
      expect(res.status).toBe(404);
      expect(res.body.type).toBe('urn:hims:problem:not-found');
      expect(JSON.stringify(res.body)).not.toContain(suspended.id);
    }
  });

  it('signs in with the refresh token in an HttpOnly SameSite=Strict cookie scoped to the session path', async () => {
    const res = await request(server())
      .post(`${CONSOLE}/login`)
      .set('X-Tenant-ID', clinic.id)
      .send({ email: user.email, password: user.password });
    expect(res.status).toBe(200);
    expect(res.body.accessToken).toEqual(expect.any(String));
    expect(res.body.refreshToken).toBeUndefined();
    const rt = cookies(res).find((c) => c.startsWith('hims_rt='))!;
    expect(rt).toMatch(/; Path=\/api\/v1\/auth\/console/);
    expect(rt).toMatch(/; HttpOnly/);
    expect(rt).toMatch(/; SameSite=Strict/);
    // Loopback (this test) is plain HTTP; any other host gets Secure.
    expect(rt).not.toMatch(/; Secure/);
    const csrf = cookies(res).find((c) => c.startsWith('hims_csrf='))!;
    expect(csrf).not.toMatch(/HttpOnly/);
    expect(csrf).toMatch(/; Path=\//);

    const remote = await request(server())
      .post(`${CONSOLE}/login`)
      .set('Host', 'console.example.org')
      .set('X-Tenant-ID', clinic.id)
      .send({ email: user.email, password: user.password });
    expect(cookies(remote).every((c) => /; Secure/.test(c))).toBe(true);
  });

  it('refreshes from the cookie only with the matching CSRF header, rotating the cookie; logout clears it', async () => {
    const login = await request(server())
      .post(`${CONSOLE}/login`)
      .set('X-Tenant-ID', clinic.id)
      .send({ email: user.email, password: user.password });
    const rt = cookieValue(login, 'hims_rt')!;
    const csrf = cookieValue(login, 'hims_csrf')!;
    const jar = `hims_rt=${rt}; hims_csrf=${csrf}`;

    const noHeader = await request(server())
      .post(`${CONSOLE}/refresh`)
      .set('X-Tenant-ID', clinic.id)
      .set('Cookie', jar);
    expect(noHeader.status).toBe(403);
    const wrong = await request(server())
      .post(`${CONSOLE}/refresh`)
      .set('X-Tenant-ID', clinic.id)
      .set('Cookie', jar)
      .set('X-CSRF-Token', `${csrf.slice(1)}x`);
    expect(wrong.status).toBe(403);
    const noCookie = await request(server()).post(`${CONSOLE}/refresh`).set('X-Tenant-ID', clinic.id);
    expect(noCookie.status).toBe(401);

    const ok = await request(server())
      .post(`${CONSOLE}/refresh`)
      .set('X-Tenant-ID', clinic.id)
      .set('Cookie', jar)
      .set('X-CSRF-Token', csrf);
    expect(ok.status).toBe(200);
    expect(ok.body.accessToken).toEqual(expect.any(String));
    const rotated = cookieValue(ok, 'hims_rt')!;
    const csrf2 = cookieValue(ok, 'hims_csrf')!;
    expect(rotated).not.toBe(rt);

    const me = await request(server())
      .get('/api/v1/auth/me')
      .set('X-Tenant-ID', clinic.id)
      .set('Authorization', `Bearer ${ok.body.accessToken}`);
    expect(me.status).toBe(200);

    const out = await request(server())
      .post(`${CONSOLE}/logout`)
      .set('X-Tenant-ID', clinic.id)
      .set('Cookie', `hims_rt=${rotated}; hims_csrf=${csrf2}`)
      .set('X-CSRF-Token', csrf2);
    expect(out.status).toBe(204);
    expect(cookies(out).find((c) => c.startsWith('hims_rt='))).toMatch(/Expires=Thu, 01 Jan 1970/);

    const after = await request(server())
      .post(`${CONSOLE}/refresh`)
      .set('X-Tenant-ID', clinic.id)
      .set('Cookie', `hims_rt=${rotated}; hims_csrf=${csrf2}`)
      .set('X-CSRF-Token', csrf2);
    expect(after.status).toBe(401);
  });

  it('keeps the JSON refresh flow for other clients', async () => {
    const res = await request(server())
      .post('/api/v1/auth/login')
      .set('X-Tenant-ID', clinic.id)
      .send({ email: user.email, password: user.password });
    expect(res.body.refreshToken).toEqual(expect.any(String));
    expect(cookies(res)).toEqual([]);
  });
});
