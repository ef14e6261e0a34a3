/**
 * Needs: the project's PostgreSQL 15 (test/global-setup.ts starts it) and the built API
 * (dist/, for the log check). ABHA at the registration counter through the real API against
 * the fake ABHA service built from contracts/abdm/abha-v3.openapi.json: enrolment by
 * Aadhaar OTP (same and different mobile, address choice), an existing ABHA found by each
 * of the four identifiers (one mobile holding two ABHAs), a second enrolment of the same
 * Aadhaar giving back the same ABHA, wrong and expired OTP, the service's and our own rate
 * limits, the service down, roles, another clinic, and the Aadhaar number in no table,
 * event or log line. Every body both ways is checked against the contract by the fake.
 */
import { randomUUID } from 'node:crypto';
import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { verhoeffCheckDigit } from '../../libs/abha/src';
import { createDataSource } from '../../libs/database/src/data-source';
import { startApiProcess } from '../support/api-process';
import { createTestApp } from '../support/app';
import { authHeaders, createUser, loginAs, LoggedIn } from '../support/auth';
import { ownerUrl } from '../support/env';
import { FakeAbhaService, type FakePerson } from '../support/fake-abha-service';
import { asTenant, newTenant } from '../support/fixtures';

jest.setTimeout(60_000);

const PROBLEM = /application\/problem\+json/;
let serial = 0;
/** A fresh, Verhoeff-valid Aadhaar number (synthetic: starts 2, as UIDAI's never-issued test range is unknown to us). */
function aadhaar(): string {
  serial += 1;
  const body = `2${String(Date.now() % 1e6).padStart(6, '0')}${String(serial).padStart(4, '0')}`;
  return body + verhoeffCheckDigit(body);
}
const mobile = () => `9${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}`;
const letters = (n: number) =>
  Array.from({ length: n }, () => 'abcdefghijklmnopqrstuvwxyz'[Math.floor(Math.random() * 26)]).join('');

describe('ABHA at the registration counter (HTTP, fake ABHA service from the contract)', () => {
  let app: NestExpressApplication;
  let owner: DataSource;
  let fake: FakeAbhaService;
  let a: { id: string };
  let b: { id: string };
  let recA: LoggedIn;
  let nurseA: LoggedIn;
  let recB: LoggedIn;
  const saved: Record<string, string | undefined> = {};

  const server = () => app.getHttpServer();
  const post = (user: LoggedIn, path: string, body: unknown, tenantId = a.id) =>
    request(server())
      .post(`/api/v1/abha${path}`)
      .set(authHeaders(user.token, tenantId))
      .send(body as object);
  const get = (user: LoggedIn, path: string, tenantId = a.id) =>
    request(server()).get(`/api/v1/abha${path}`).set(authHeaders(user.token, tenantId));
  const person = (extra: Partial<FakePerson> = {}) =>
    fake.person({
      aadhaar: aadhaar(),
      aadhaarMobile: mobile(),
      firstName: 'Meenakshi',
      lastName: `Iyer${letters(6)}`,
      ...extra,
    });
  const consent = { version: '1.4', accepted: true };

  beforeAll(async () => {
    fake = await new FakeAbhaService().start();
    for (const k of [
      'ABHA_SERVICE_URL',
      'ABHA_SESSION_URL',
      'ABHA_CLIENT_ID',
      'ABHA_CLIENT_SECRET',
      'ABHA_OTP_REQUESTS_PER_HOUR',
    ]) {
      saved[k] = process.env[k];
    }
    process.env.ABHA_SERVICE_URL = fake.url;
    process.env.ABHA_SESSION_URL = fake.sessionUrl;
    process.env.ABHA_CLIENT_ID = 'hims-test-client';
    process.env.ABHA_CLIENT_SECRET = 'hims-test-secret';
    process.env.ABHA_OTP_REQUESTS_PER_HOUR = '40';
    owner = await createDataSource(ownerUrl(), 2).initialize();
    app = await createTestApp();
    a = await newTenant(owner, 'abha-a');
    b = await newTenant(owner, 'abha-b');
    recA = await loginAs(app, owner, a.id, ['receptionist']);
    nurseA = await loginAs(app, owner, a.id, ['nurse']);
    recB = await loginAs(app, owner, b.id, ['receptionist']);
  });

  afterAll(async () => {
    await app?.close();
    await owner?.destroy();
    await fake?.stop();
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  afterEach(() => {
    // Both ways: what our client sent and what the fake answered fit NHA's shapes.
    expect(fake.violations).toEqual([]);
  });

  it('enrols a new patient by Aadhaar OTP with the Aadhaar mobile, picks an address, registers them verified', async () => {
    const p = person();
    p.aadhaarMobile = '9812345670';
    const start = await post(recA, '/enrolments', {
      aadhaar: p.aadhaar.replace(/(\d{4})(\d{4})(\d{4})/, '$1 $2 $3'),
      consent,
    });
    expect(start.status).toBe(201);
    expect(start.body).toMatchObject({
      purpose: 'enrol',
      method: 'aadhaar',
      state: 'otp-sent',
      aadhaarLast4: p.aadhaar.slice(-4),
    });
    const id = start.body.id as string;

    const otp = await post(recA, `/flows/${id}/otp`, { otp: fake.nextOtp, mobile: '9812345670' });
    expect(otp.status).toBe(200);
    expect(otp.body.state).toBe('verified');
    expect(otp.body.registration).toMatchObject({
      name: { given: ['Meenakshi'], family: p.lastName },
      gender: 'female',
      birthDate: '1988-03-07',
      phones: ['9812345670'],
      abhaNumber: p.abhaNumber,
    });

    const suggestions = await get(recA, `/flows/${id}/address-suggestions`);
    expect(suggestions.status).toBe(200);
    expect(suggestions.body.suggestions.length).toBeGreaterThan(0);
    const chosen = `meena.iyer${serial}${Date.now() % 1000}`.slice(0, 18);
    const address = await post(recA, `/flows/${id}/address`, { abhaAddress: chosen });
    expect(address.status).toBe(200);
    expect(address.body.registration.abhaAddress).toBe(`${chosen}@sbx`);

    const reg = await post(recA, `/flows/${id}/patient`, {});
    expect(reg.status).toBe(201);
    expect(reg.headers.location).toBe(`/api/v1/patients/${reg.body.patient.id}`);
    expect(reg.body.patient).toMatchObject({
      abhaNumber: p.abhaNumber!.replace(/-/g, ''),
      abhaAddress: `${chosen}@sbx`,
      phones: ['+919812345670'],
    });
    expect(reg.body.verification).toMatchObject({ method: 'aadhaar', purpose: 'enrol', current: true });

    const status = await get(recA, `/patients/${reg.body.patient.id}/verification`);
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({
      abhaNumber: p.abhaNumber!.replace(/-/g, ''),
      current: true,
      verifiedBy: recA.userId,
    });
    // The flow is done: its profile is dropped and a second registration from it is refused.
    const again = await post(recA, `/flows/${id}/patient`, {});
    expect(again.status).toBe(409);
    expect(again.body.type).toBe('urn:hims:problem:abha-flow-state');
    const [row] = await asTenant(owner, a.id, (tx) =>
      tx.query(`SELECT state, profile FROM clinical.abha_flows WHERE id = $1`, [id]),
    );
    expect(row).toEqual({ state: 'completed', profile: null });

    // Edited by hand, the identifiers are no longer the verified ones.
    const patient = await request(server())
      .get(`/api/v1/patients/${reg.body.patient.id}`)
      .set(authHeaders(recA.token, a.id));
    const edit = await request(server())
      .patch(`/api/v1/patients/${reg.body.patient.id}`)
      .set(authHeaders(recA.token, a.id))
      .set('If-Match', patient.headers.etag)
      .send({ abhaAddress: null });
    expect(edit.status).toBe(200);
    expect((await get(recA, `/patients/${reg.body.patient.id}/verification`)).body.current).toBe(false);

    // The ABHA card, as the service renders it.
    const card = await get(recA, `/flows/${id}/card`);
    expect(card.status).toBe(200);
    expect(card.headers['content-type']).toMatch(/image\/png/);
    expect(card.headers['cache-control']).toBe('no-store');
    expect(Buffer.from(card.body).subarray(1, 4).toString()).toBe('PNG');
  });

  it('a mobile other than Aadhaar’s is verified by its own OTP before the ABHA is verified', async () => {
    const p = person();
    const other = mobile();
    const start = await post(recA, '/enrolments', { aadhaar: p.aadhaar, consent });
    const otp = await post(recA, `/flows/${start.body.id}/otp`, { otp: fake.nextOtp, mobile: other });
    expect(otp.body.state).toBe('mobile-otp-sent');
    expect(otp.body.registration).toBeUndefined();
    const wrong = await post(recA, `/flows/${start.body.id}/otp`, { otp: '000000' });
    expect(wrong.status).toBe(422);
    expect(wrong.body).toMatchObject({ type: 'urn:hims:problem:abha-otp-invalid', abhaCode: 'ABDM-1204' });
    const ok = await post(recA, `/flows/${start.body.id}/otp`, { otp: fake.nextOtp });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ state: 'verified', registration: { phones: [other] } });
  });

  it('enrolling an Aadhaar that already has an ABHA gives back that ABHA, never a second one', async () => {
    const p = person();
    const first = await post(recA, '/enrolments', { aadhaar: p.aadhaar, consent });
    await post(recA, `/flows/${first.body.id}/otp`, { otp: fake.nextOtp, mobile: p.aadhaarMobile });
    const number = p.abhaNumber;
    const second = await post(recA, '/enrolments', { aadhaar: p.aadhaar, consent });
    const otp = await post(recA, `/flows/${second.body.id}/otp`, {
      otp: fake.nextOtp,
      mobile: p.aadhaarMobile,
    });
    expect(otp.body.registration.abhaNumber).toBe(number);
    expect(fake.people.filter((x) => x.aadhaar === p.aadhaar)).toHaveLength(1);
  });

  it('finds an existing ABHA by ABHA number, Aadhaar, ABHA address and mobile (choosing among two), and updates a patient with If-Match', async () => {
    const shared = mobile();
    const p = person({
      abhaNumber: '91-4455-6677-0011',
      abhaAddress: `iyer.meena${serial}@sbx`,
      mobile: shared,
    });
    const sibling = person({
      firstName: 'Karthik',
      abhaNumber: '91-4455-6677-0022',
      abhaAddress: `karthik.iyer${serial}@sbx`,
      mobile: shared,
    });

    const expectVerified = async (method: string, value: string, number: string) => {
      const start = await post(recA, '/verifications', { method, value });
      expect(start.status).toBe(201);
      expect(start.body).toMatchObject({ purpose: 'verify', method, state: 'otp-sent' });
      const otp = await post(recA, `/flows/${start.body.id}/otp`, { otp: fake.nextOtp });
      expect(otp.status).toBe(200);
      expect(otp.body).toMatchObject({ state: 'verified', registration: { abhaNumber: number } });
      return start.body.id as string;
    };
    await expectVerified('abha-number', '91445566770011', p.abhaNumber!);
    await expectVerified('aadhaar', p.aadhaar, p.abhaNumber!);
    const byAddress = await expectVerified('abha-address', p.abhaAddress!.toUpperCase(), p.abhaNumber!);

    const start = await post(recA, '/verifications', { method: 'mobile', value: `0${shared}` });
    const otp = await post(recA, `/flows/${start.body.id}/otp`, { otp: fake.nextOtp });
    expect(otp.body.state).toBe('choose-account');
    expect(otp.body.accounts.map((x: { abhaNumber: string }) => x.abhaNumber).sort()).toEqual([
      '91445566770011',
      '91445566770022',
    ]);
    const notOffered = await post(recA, `/flows/${start.body.id}/account`, {
      abhaNumber: '91-0000-0000-0000',
    });
    expect(notOffered.status).toBe(400);
    const chosen = await post(recA, `/flows/${start.body.id}/account`, { abhaNumber: sibling.abhaNumber });
    expect(chosen.status).toBe(200);
    expect(chosen.body).toMatchObject({
      state: 'verified',
      registration: { name: { given: ['Karthik'] }, abhaNumber: sibling.abhaNumber },
    });

    // An existing patient registered by hand takes the verified identity (If-Match, audited as from ABDM).
    const byHand = await request(server())
      .post('/api/v1/patients')
      .set(authHeaders(recA.token, a.id))
      .send({
        name: { given: ['Meena'], family: 'I' },
        gender: 'female',
        birthDate: '1988',
        allowDuplicate: true,
      });
    expect(byHand.status).toBe(201);
    const stale = await post(recA, `/flows/${byAddress}/patients/${byHand.body.id}`, {}).set(
      'If-Match',
      '"99"',
    );
    expect(stale.status).toBe(412);
    const updated = await post(recA, `/flows/${byAddress}/patients/${byHand.body.id}`, {}).set(
      'If-Match',
      byHand.headers.etag,
    );
    expect(updated.status).toBe(200);
    expect(updated.body.patient).toMatchObject({
      name: { given: ['Meenakshi'], family: p.lastName },
      birthDate: '1988-03-07',
      abhaAddress: p.abhaAddress,
    });
    expect(updated.body.verification).toMatchObject({ method: 'abha-address', purpose: 'verify' });
    const [audit] = await asTenant(owner, a.id, (tx) =>
      tx.query(
        `SELECT details FROM audit.audit_log WHERE tenant_id = $1 AND action = 'abha.identity_applied' AND entity_id = $2`,
        [a.id, byHand.body.id],
      ),
    );
    expect(audit.details).toMatchObject({ source: 'abdm', method: 'abha-address', purpose: 'verify' });
    // The card needs an ABHA-number sign-in.
    expect((await get(recA, `/flows/${byAddress}/card`)).status).toBe(409);
  });

  it('wrong OTP, expired OTP and an unknown ABHA are told apart, with the service’s own code', async () => {
    const p = person({ abhaNumber: '91-5566-7788-0033', mobile: mobile() });
    const start = await post(recA, '/verifications', { method: 'abha-number', value: p.abhaNumber });
    const wrong = await post(recA, `/flows/${start.body.id}/otp`, { otp: '999999' });
    expect(wrong.status).toBe(422);
    expect(wrong.headers['content-type']).toMatch(PROBLEM);
    expect(wrong.body).toMatchObject({
      type: 'urn:hims:problem:abha-otp-invalid',
      abhaCode: 'ABDM-1204',
      abhaMessage: 'Invalid OTP value.',
    });
    fake.expireOtps();
    const expired = await post(recA, `/flows/${start.body.id}/otp`, { otp: fake.nextOtp });
    expect(expired.status).toBe(422);
    expect(expired.body).toMatchObject({ type: 'urn:hims:problem:abha-otp-expired', abhaCode: 'ABDM-1205' });
    const unknown = await post(recA, '/verifications', { method: 'abha-number', value: '91-9999-0000-1111' });
    expect(unknown.status).toBe(422);
    expect(unknown.body.type).toBe('urn:hims:problem:abha-not-found');
  });

  it('checks identifiers locally before anything is sent, and refuses enrolment without consent', async () => {
    const before = fake.calls.length;
    const good = aadhaar();
    const badCheckDigit = good.slice(0, 11) + String((Number(good[11]) + 1) % 10);
    for (const body of [
      { aadhaar: badCheckDigit, consent },
      { aadhaar: good, consent: { version: '1.4', accepted: false } },
      { aadhaar: good, consent: { version: '0.9', accepted: true } },
      { aadhaar: good },
    ]) {
      const res = await post(recA, '/enrolments', body);
      expect(res.status).toBe(400);
      expect(res.body.type).toBe('urn:hims:problem:validation-failed');
      expect(JSON.stringify(res.body)).not.toContain(good);
    }
    for (const [method, value] of [
      ['abha-number', '12-34'],
      ['mobile', '12345'],
      ['abha-address', 'x@gmail'],
      ['aadhaar', badCheckDigit],
    ]) {
      const res = await post(recA, '/verifications', { method, value });
      expect(res.status).toBe(400);
    }
    expect(fake.calls.length).toBe(before);
  });

  it('rate limits: the service’s 429 and the clinic’s own hourly budget', async () => {
    const p = person({ abhaNumber: '91-6677-8899-0044', mobile: mobile() });
    let last = 0;
    for (let i = 0; i < fake.maxOtpRequestsPerIdentifier + 1; i++) {
      last = (await post(recA, '/verifications', { method: 'abha-number', value: p.abhaNumber })).status;
    }
    expect(last).toBe(429);

    const c = await newTenant(owner, 'abha-c');
    const recC = await loginAs(app, owner, c.id, ['receptionist']);
    await asTenant(owner, c.id, (tx) =>
      tx.query(
        `INSERT INTO clinical.abha_flows (tenant_id, purpose, method, state, otp_requests, created_by, expires_at)
         VALUES ($1, 'verify', 'mobile', 'otp-sent', 40, $2, now() + interval '10 minutes')`,
        [c.id, recC.userId],
      ),
    );
    const over = await post(recC, '/verifications', { method: 'abha-number', value: p.abhaNumber }, c.id);
    expect(over.status).toBe(429);
    expect(over.body.type).toBe('urn:hims:problem:abha-rate-limited');
    expect(over.headers['retry-after']).toBeDefined();
  });

  it('another clinic cannot see or use a flow or a verification; roles without the counter are refused', async () => {
    const p = person();
    const start = await post(recA, '/enrolments', { aadhaar: p.aadhaar, consent });
    await post(recA, `/flows/${start.body.id}/otp`, { otp: fake.nextOtp, mobile: p.aadhaarMobile });
    for (const res of [
      await get(recB, `/flows/${start.body.id}`, b.id),
      await post(recB, `/flows/${start.body.id}/otp`, { otp: fake.nextOtp }, b.id),
      await post(recB, `/flows/${start.body.id}/patient`, {}, b.id),
      await get(recB, `/flows/${start.body.id}/card`, b.id),
    ]) {
      expect(res.status).toBe(404);
    }
    const reg = await post(recA, `/flows/${start.body.id}/patient`, {});
    expect(reg.status).toBe(201);
    expect((await get(recB, `/patients/${reg.body.patient.id}/verification`, b.id)).status).toBe(404);
    const rows = await asTenant(owner, b.id, (tx) =>
      tx.query(`SELECT count(*)::int AS n FROM clinical.abha_flows`),
    );
    expect(rows[0].n).toBe(0);
    expect((await post(nurseA, '/enrolments', { aadhaar: aadhaar(), consent })).status).toBe(403);
    // A nurse may see whether a patient's ABHA is verified.
    expect((await get(nurseA, `/patients/${reg.body.patient.id}/verification`)).status).toBe(200);
  });

  it('the service down: a clear 503 and registration by hand still works', async () => {
    await fake.stop();
    try {
      const res = await post(recA, '/verifications', { method: 'abha-number', value: '91-1111-2222-3333' });
      expect(res.status).toBe(503);
      expect(res.body.type).toBe('urn:hims:problem:abha-unavailable');
      const byHand = await request(server())
        .post('/api/v1/patients')
        .set(authHeaders(recA.token, a.id))
        .send({
          name: { given: ['Offline'], family: 'Counter' },
          gender: 'male',
          birthDate: '1970',
          allowDuplicate: true,
        });
      expect(byHand.status).toBe(201);
    } finally {
      await fake.start();
      process.env.ABHA_SERVICE_URL = fake.url;
    }
  });

  it('the Aadhaar number reaches no table, event, audit row or log line (only its last four digits)', async () => {
    // A spawned API process with debug logging, against the restarted fake.
    const tenant = await newTenant(owner, 'abha-logs');
    const user = await createUser(owner, tenant.id, { roles: ['receptionist'] });
    const api = await startApiProcess({
      LOG_LEVEL: 'debug',
      ABHA_SERVICE_URL: fake.url,
      ABHA_SESSION_URL: fake.sessionUrl,
      ABHA_CLIENT_ID: 'hims-test-client',
      ABHA_CLIENT_SECRET: 'hims-test-secret',
    });
    const p = person();
    const otherMobile = mobile();
    try {
      const base = `http://127.0.0.1:${api.port}`;
      const login = await fetch(`${base}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'X-Tenant-ID': tenant.id, 'Content-Type': 'application/json' },
        body: JSON.stringify({ email: user.email, password: user.password }),
      });
      const { accessToken } = (await login.json()) as { accessToken: string };
      const headers = () => ({
        ...authHeaders(accessToken, tenant.id),
        'Content-Type': 'application/json',
        'Idempotency-Key': randomUUID(),
      });
      const call = async (path: string, body: unknown) =>
        (
          await fetch(`${base}/api/v1/abha${path}`, {
            method: 'POST',
            headers: headers(),
            body: JSON.stringify(body),
          })
        ).json() as Promise<{ id: string; state: string; patient?: { id: string } }>;
      const flow = await call('/enrolments', { aadhaar: p.aadhaar, consent });
      await call(`/flows/${flow.id}/otp`, { otp: '000000', mobile: otherMobile }); // wrong OTP: an error path logs too
      const verified = await call(`/flows/${flow.id}/otp`, { otp: fake.nextOtp, mobile: otherMobile });
      expect(verified.state).toBe('mobile-otp-sent');
      expect((await call(`/flows/${flow.id}/otp`, { otp: fake.nextOtp })).state).toBe('verified');
      const reg = await call(`/flows/${flow.id}/patient`, {});
      expect(reg.patient?.id).toBeDefined();

      const logs = api.output();
      expect(logs.length).toBeGreaterThan(0);
      for (const secret of [p.aadhaar, otherMobile, fake.nextOtp, p.abhaNumber!, p.lastName]) {
        expect({ secret, inLogs: logs.includes(secret) }).toEqual({ secret, inLogs: false });
      }
    } finally {
      api.child.kill('SIGTERM');
    }
    const [found] = await asTenant(owner, tenant.id, (tx) =>
      tx.query(
        `SELECT
         (SELECT count(*) FROM audit.audit_log WHERE tenant_id = $1 AND (coalesce(changes::text, '') || coalesce(details::text, '')) LIKE '%' || $2 || '%')::int AS audit,
         (SELECT count(*) FROM events.outbox WHERE tenant_id = $1 AND payload::text LIKE '%' || $2 || '%')::int AS events,
         (SELECT count(*) FROM clinical.abha_flows f WHERE tenant_id = $1 AND to_jsonb(f)::text LIKE '%' || $2 || '%')::int AS flows,
         (SELECT count(*) FROM clinical.patients x WHERE tenant_id = $1 AND to_jsonb(x)::text LIKE '%' || $2 || '%')::int AS patients,
         (SELECT count(*) FROM clinical.abha_flows WHERE tenant_id = $1 AND aadhaar_last4 = right($2, 4))::int AS last4`,
        [tenant.id, p.aadhaar],
      ),
    );
    expect(found).toEqual({ audit: 0, events: 0, flows: 0, patients: 0, last4: 1 });
  });
});
