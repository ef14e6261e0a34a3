/**
 * Needs: the project's PostgreSQL 15 (test/global-setup.ts starts it).
 * A PATCH that changes nothing is not a change: an address sent with its keys in another
 * order than PostgreSQL returns them bumps no version and emits no event.
 */
import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createDataSource } from '../../libs/database/src/data-source';
import { createTestApp } from '../support/app';
import { authHeaders, loginAs, LoggedIn } from '../support/auth';
import { ownerUrl } from '../support/env';
import { asTenant, newTenant } from '../support/fixtures';

describe('PATCH compares values, not JSON text', () => {
  let app: NestExpressApplication;
  let owner: DataSource;
  let tenant: { id: string };
  let doctor: LoggedIn;

  beforeAll(async () => {
    owner = await createDataSource(ownerUrl(), 2).initialize();
    tenant = await newTenant(owner, 'patch-noop');
    app = await createTestApp();
    doctor = await loginAs(app, owner, tenant.id, ['doctor']);
  });

  afterAll(async () => {
    await app?.close();
    await owner?.destroy();
  });

  it('an address in another key order changes nothing', async () => {
    const address = {
      lines: ['12 MG Road'],
      city: 'Pune',
      district: 'Pune',
      state: 'Maharashtra',
      postalCode: '411001',
      country: 'IN',
    };
    const created = await request(app.getHttpServer())
      .post('/api/v1/patients')
      .set(authHeaders(doctor.token, tenant.id))
      .send({
        name: { given: ['Vasudha'], family: 'Kelkar' },
        gender: 'female',
        birthDate: '1984-04-04',
        address,
      });
    expect(created.status).toBe(201);
    const reordered = Object.fromEntries(Object.entries(address).reverse());
    const res = await request(app.getHttpServer())
      .patch(`/api/v1/patients/${created.body.id}`)
      .set(authHeaders(doctor.token, tenant.id))
      .set('If-Match', '"1"')
      .send({ address: reordered });
    expect(res.status).toBe(200);
    expect(res.body.version).toBe(1);
    const [{ events }] = await asTenant(owner, tenant.id, (tx) =>
      tx.query(`SELECT count(*)::int AS events FROM events.outbox WHERE aggregate_id = $1`, [
        created.body.id,
      ]),
    );
    expect(events).toBe(1);
  });
});
