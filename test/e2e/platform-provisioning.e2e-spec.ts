/**
 * Needs: the project's PostgreSQL 15 (test/global-setup.ts starts it).
 * Onboarding a clinic through the provisioning saga: success (tenant active,
 * first admin invited and able to accept and sign in, events through the
 * outbox, saga log), Idempotency-Key (required, replay, reuse, concurrency),
 * and a failure injected at every step (the test-only fault hook): every
 * completed step is compensated in reverse, nothing half-made remains, the
 * slug is free again and tenant.provisioning_failed is published.
 */
import { staffSignIn } from '../support/mfa';
import { randomUUID } from 'node:crypto';
import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createDataSource } from '../../libs/database/src/data-source';
import { FAULT_ENV, STEP_NAMES } from '../../libs/platform/src';
import { createTestApp } from '../support/app';
import { ownerUrl } from '../support/env';
import { asTenant } from '../support/fixtures';
import { eventSchemaErrors, operatorToken, provisioningBody } from '../support/platform';

jest.setTimeout(60_000);

const TENANTS = '/api/v1/platform/tenants';
const GOOD_PASSWORD = 'amber-kettle-monsoon-42';

describe('tenant provisioning saga (HTTP)', () => {
  let app: NestExpressApplication;
  let owner: DataSource;
  let token: string;
  const server = () => app.getHttpServer();
  const provision = (body: object, key: string | null = randomUUID()) => {
    const req = request(server()).post(TENANTS).set('Authorization', `Bearer ${token}`);
    if (key !== null) req.set('Idempotency-Key', key);
    return req.send(body);
  };
  const eventsOf = (tenantId: string) =>
    asTenant(owner, tenantId, (tx) =>
      tx.query(`SELECT event_type, payload FROM events.outbox WHERE tenant_id = $1 ORDER BY occurred_at`, [
        tenantId,
      ]),
    ) as Promise<{ event_type: string; payload: Record<string, unknown> }[]>;
  const leftOf = async (tenantId: string, slug: string) => ({
    tenants: (await owner.query(`SELECT id FROM core.tenants WHERE id = $1 OR slug = $2`, [tenantId, slug]))
      .length,
    users: (
      await asTenant(owner, tenantId, (tx) =>
        tx.query(`SELECT id FROM core.users WHERE tenant_id = $1`, [tenantId]),
      )
    ).length,
    invitations: (
      await asTenant(owner, tenantId, (tx) =>
        tx.query(`SELECT id FROM core.user_invitations WHERE tenant_id = $1`, [tenantId]),
      )
    ).length,
    reservations: (await owner.query(`SELECT 1 FROM platform.slug_reservations WHERE slug = $1`, [slug]))
      .length,
    mrnSequence: (
      await owner.query(`SELECT to_regclass(clinical.mrn_sequence_name($1)) AS seq`, [tenantId])
    )[0].seq as string | null,
  });

  beforeAll(async () => {
    owner = await createDataSource(ownerUrl(), 2).initialize();
    // The production default: a busy machine (CI on two shared cores) can take longer than half a
    // second for the saga, and 'within the request' must not depend on the machine's speed. The
    // 202 case blocks a step, so it waits out the whole inline wait whatever its length.
    app = await createTestApp({ platform: { sagaInlineWaitMs: 10_000 } });
    token = await operatorToken(app, owner);
  });
  afterEach(() => {
    delete process.env[FAULT_ENV];
  });
  afterAll(async () => {
    await app?.close();
    await owner?.destroy();
  });

  it('provisions a clinic within the request: 201, Location, saga log, first admin invited and able to sign in', async () => {
    const body = provisioningBody('ok');
    const res = await provision(body);
    expect(res.status).toBe(201);
    const id = res.body.id as string;
    expect(res.headers.location).toBe(`${TENANTS}/${id}`);
    expect(res.body).toMatchObject({
      slug: body.slug,
      name: body.name,
      status: 'active',
      settings: { defaultRegion: 'IN', mrnPrefix: 'SUN', timeZone: 'Asia/Kolkata' },
      saga: { status: 'completed', failedStep: null },
      firstAdmin: { email: body.firstAdmin.email, displayName: 'First Admin' },
    });
    expect(res.body.saga.steps.map((s: { step: string }) => s.step)).toEqual(STEP_NAMES);
    expect(
      res.body.saga.steps.every(
        (s: { status: string; attempts: number }) => s.status === 'done' && s.attempts === 1,
      ),
    ).toBe(true);
    const invitation = res.body.firstAdmin.invitation as { token: string; expiresAt: string };
    expect(invitation.token).toMatch(/^[A-Za-z0-9_-]{43}$/);

    // The clinic is live: the admin accepts the invitation and signs in as tenant_admin.
    await request(server())
      .post('/api/v1/auth/invitations/accept')
      .set('X-Tenant-ID', id)
      .send({ token: invitation.token, password: GOOD_PASSWORD })
      .expect(204);
    // tenant_admin: password, then enrolment of an authenticator and its first code (docs/auth.md).
    const login = await staffSignIn(app, id, { email: body.firstAdmin.email, password: GOOD_PASSWORD });
    expect(login.status).toBe(200);
    const me = await request(server())
      .get('/api/v1/auth/me')
      .set({ Authorization: `Bearer ${login.body.accessToken}`, 'X-Tenant-ID': id });
    expect(me.body.roles).toEqual(['tenant_admin']);
    expect((await leftOf(id, body.slug)).mrnSequence).not.toBeNull();

    // Events through the outbox: provisioned and invited, never the invitation's secret.
    const events = await eventsOf(id);
    expect(events.map((e) => e.event_type)).toEqual(
      expect.arrayContaining(['tenant.provisioned', 'user.invited', 'user.invitation_accepted']),
    );
    expect(JSON.stringify(events)).not.toContain(invitation.token);
    const provisioned = events.find((e) => e.event_type === 'tenant.provisioned')!;
    expect(provisioned.payload).toMatchObject({ tenantId: id, slug: body.slug, sagaId: res.body.saga.id });
    for (const e of events.filter((x) => ['tenant.provisioned', 'user.invited'].includes(x.event_type))) {
      expect({ [e.event_type]: eventSchemaErrors(e.event_type, e.payload) }).toEqual({
        [e.event_type]: null,
      });
    }

    // GET shows the same, and the operator's action is in the platform audit.
    const got = await request(server())
      .get(`${TENANTS}/${id}`)
      .set('Authorization', `Bearer ${token}`)
      .expect(200);
    expect(got.body.status).toBe('active');
    expect(got.body.saga.steps).toHaveLength(STEP_NAMES.length);
    const audit = await owner.query(`SELECT action, outcome FROM platform.audit WHERE target_id = $1`, [id]);
    expect(audit).toEqual([{ action: 'tenant.provision', outcome: 'succeeded' }]);
  });

  it('requires a well-formed Idempotency-Key; a retry replays, a different body with the same key is 422', async () => {
    const body = provisioningBody('idem');
    expect((await provision(body, null)).status).toBe(400);
    expect((await provision(body, 'bad key, with "quotes"')).status).toBe(400);
    const key = randomUUID();
    const first = await provision(body, key);
    expect(first.status).toBe(201);
    const again = await provision(body, key);
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.id).toBe(first.body.id);
    expect(again.body.firstAdmin.invitation).toBeNull(); // the secret is never stored, so never replayed
    const other = await provision({ ...body, name: 'Another Name' }, key);
    expect(other.status).toBe(422);
    expect(other.body.type).toBe('urn:hims:problem:idempotency-key-reused');
    const sagas = await owner.query(`SELECT count(*)::int AS n FROM platform.sagas WHERE slug = $1`, [
      body.slug,
    ]);
    expect(sagas[0].n).toBe(1);
  });

  it('concurrent retries of one key provision exactly one clinic', async () => {
    const body = provisioningBody('race');
    const key = randomUUID();
    const answers = await Promise.all([provision(body, key), provision(body, key), provision(body, key)]);
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses.filter((s) => s === 201).length).toBeGreaterThanOrEqual(1);
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
    const tenants = await owner.query(`SELECT id, status FROM core.tenants WHERE slug = $1`, [body.slug]);
    expect(tenants).toHaveLength(1);
    const events = await eventsOf(tenants[0].id);
    expect(events.filter((e) => e.event_type === 'tenant.provisioned')).toHaveLength(1);
  });

  it('refuses a slug already in use (409) without starting a saga', async () => {
    const body = provisioningBody('dup');
    expect((await provision(body)).status).toBe(201);
    const res = await provision({ ...body, firstAdmin: { email: 'x@y.test', displayName: 'X' } });
    expect(res.status).toBe(409);
    expect(res.body.type).toBe('urn:hims:problem:conflict');
  });

  it('validates the body with field errors (400), never a 500', async () => {
    const res = await provision({
      slug: 'Bad Slug',
      name: ' ',
      settings: { defaultPhoneRegion: 'XX', mrnPrefix: 'lower', timeZone: 'Mars/Olympus' },
      firstAdmin: { email: 'not-an-email', displayName: '' },
    });
    expect(res.status).toBe(400);
    const fields = (res.body.errors as { field: string }[]).map((e) => e.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        'slug',
        'name',
        'settings.defaultPhoneRegion',
        'settings.mrnPrefix',
        'settings.timeZone',
        'firstAdmin.email',
        'firstAdmin.displayName',
      ]),
    );
  });

  describe.each(STEP_NAMES)('a failure at step %s', (step) => {
    it('compensates every completed step in reverse, leaves nothing behind, frees the slug and publishes provisioning_failed', async () => {
      const body = provisioningBody('fail');
      process.env[FAULT_ENV] = `${step}:fail`;
      const res = await provision(body);
      delete process.env[FAULT_ENV];
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ type: 'urn:hims:problem:provisioning-failed', failedStep: step });
      const tenantId = res.body.tenantId as string;

      expect(await leftOf(tenantId, body.slug)).toEqual({
        tenants: 0,
        users: 0,
        invitations: 0,
        reservations: 0,
        mrnSequence: null,
      });

      // The saga log: the steps before the failure ran and were compensated (in reverse), the failing one failed.
      const got = await request(server())
        .get(`${TENANTS}/${tenantId}`)
        .set('Authorization', `Bearer ${token}`)
        .expect(200);
      expect(got.body).toMatchObject({ status: 'failed', saga: { status: 'failed', failedStep: step } });
      const steps = got.body.saga.steps as {
        step: string;
        status: string;
        error: string | null;
        compensatedAt: string | null;
      }[];
      const at = STEP_NAMES.indexOf(step);
      expect(steps.map((s) => s.step)).toEqual(STEP_NAMES.slice(0, at + 1));
      expect(steps.slice(0, at).every((s) => s.status === 'compensated')).toBe(true);
      expect(steps[at]).toMatchObject({ status: 'failed', error: `injected fault at ${step}` });
      const compensated = steps.slice(0, at).map((s) => Date.parse(s.compensatedAt!));
      expect(compensated).toEqual([...compensated].sort((x, y) => y - x)); // the newest step was undone first

      // Exactly one event: the failure notice (no tenant.provisioned, no user.invited).
      const events = await eventsOf(tenantId);
      expect(events.map((e) => e.event_type)).toEqual(['tenant.provisioning_failed']);
      expect(events[0].payload).toMatchObject({ tenantId, slug: body.slug, failedStep: step });
      expect(eventSchemaErrors('tenant.provisioning_failed', events[0].payload)).toBeNull();

      // Nobody can reach the half-made clinic, and the slug can be used again.
      const login = await request(server())
        .post('/api/v1/auth/login')
        .set('X-Tenant-ID', tenantId)
        .send({ email: body.firstAdmin.email, password: GOOD_PASSWORD });
      expect(login.status).toBe(403);
      expect((await provision(body)).status).toBe(201);
    });
  });

  it('answers 202 while a step takes longer than the inline wait; the half-made clinic is invisible until activated', async () => {
    const body = provisioningBody('slow');
    process.env[FAULT_ENV] = 'activate:block';
    const res = await provision(body);
    expect(res.status).toBe(202);
    const id = res.body.id as string;
    expect(res.headers.location).toBe(`${TENANTS}/${id}`);
    expect(res.body.status).toBe('provisioning');
    const listed = await request(server())
      .get(`${TENANTS}?status=provisioning`)
      .set('Authorization', `Bearer ${token}`)
      .expect(200);
    expect(listed.body.items.map((t: { id: string }) => t.id)).toContain(id);
    const login = await request(server())
      .post('/api/v1/auth/login')
      .set('X-Tenant-ID', id)
      .send({ email: body.firstAdmin.email, password: GOOD_PASSWORD });
    expect(login.status).toBe(403);
    expect(login.body.type).toBe('urn:hims:problem:tenant-forbidden');

    delete process.env[FAULT_ENV];
    const deadline = Date.now() + 20_000;
    let status = 'provisioning';
    while (status !== 'active' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      status = (await request(server()).get(`${TENANTS}/${id}`).set('Authorization', `Bearer ${token}`)).body
        .status;
    }
    expect(status).toBe('active');
  });
});
