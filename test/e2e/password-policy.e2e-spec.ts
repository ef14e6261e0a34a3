/**
 * Needs: the project's PostgreSQL 15 (test/global-setup.ts starts it).
 * Password rules over HTTP on POST /api/v1/users: each broken rule is a 400
 * validation problem with its own field message, and nothing is written.
 */
import { randomUUID } from 'node:crypto';
import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createDataSource } from '../../libs/database/src/data-source';
import { createTestApp } from '../support/app';
import { authHeaders, loginAs, LoggedIn } from '../support/auth';
import { ownerUrl } from '../support/env';
import { asTenant, newTenant } from '../support/fixtures';

jest.setTimeout(30_000);

describe('password rules (HTTP)', () => {
  let app: NestExpressApplication;
  let owner: DataSource;
  let tenant: { id: string };
  let admin: LoggedIn;

  const userCount = () =>
    asTenant(
      owner,
      tenant.id,
      async (tx) => (await tx.query(`SELECT count(*)::int AS n FROM core.users`))[0].n as number,
    );

  beforeAll(async () => {
    owner = await createDataSource(ownerUrl(), 2).initialize();
    tenant = await newTenant(owner, 'pwd-rules');
    app = await createTestApp();
    admin = await loginAs(app, owner, tenant.id, ['tenant_admin']);
  });

  afterAll(async () => {
    await app?.close();
    await owner?.destroy();
  });

  it.each([
    ['shorter than 12 characters', () => 'Sh0rt!pass1', /at least 12 characters/],
    ['the email address', (email: string) => email.toUpperCase(), /must not be the email/],
    ['a common password', () => 'Welcome@1234', /commonly used/],
  ])('%s: 400 with its own message on password, nothing written', async (_label, password, message) => {
    const email = `staff-${randomUUID().slice(0, 8)}@clinic.test`;
    const before = await userCount();
    const res = await request(app.getHttpServer())
      .post('/api/v1/users')
      .set(authHeaders(admin.token, tenant.id))
      .send({ email, displayName: 'New Staff', roles: ['nurse'], password: password(email) });
    expect(res.status).toBe(400);
    expect(res.body.type).toBe('urn:hims:problem:validation-failed');
    expect(res.body.errors).toEqual([{ field: 'password', message: expect.stringMatching(message) }]);
    expect(await userCount()).toBe(before);
  });

  it('a password that keeps every rule creates the user', async () => {
    const res = await request(app.getHttpServer())
      .post('/api/v1/users')
      .set(authHeaders(admin.token, tenant.id))
      .send({
        email: `staff-${randomUUID().slice(0, 8)}@clinic.test`,
        displayName: 'New Staff',
        roles: ['nurse'],
        password: 'amber-kettle-monsoon-42',
      });
    expect(res.status).toBe(201);
  });
});
