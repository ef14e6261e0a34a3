/**
 * Needs: the project's PostgreSQL 15. The rest of the ABDM HIP bridge, part 1, through HTTP
 * against the real database and the fake gateway: context notify after a HIP-initiated link
 * (on-notify recorded once), SMS notify for patients without an ABHA address (opt-in per HIP
 * id), scan-and-share (match, register, possible duplicate, repeated scan, replay, another
 * clinic's HIP id), an admin's retry of a failed HIP-initiated link, and no patient data in logs.
 */
import { randomUUID } from 'node:crypto';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../../libs/database/src/data-source';
import { renderMetrics } from '../../libs/observability/src';
import { createAbdmTestApp, eventually, registerHip } from '../support/abdm';
import { authHeaders, loginAs } from '../support/auth';
import { ownerUrl } from '../support/env';
import { FakeAbdmGateway } from '../support/fake-abdm-gateway';
import { asTenant, newTenant } from '../support/fixtures';

const CONTEXT_ON_NOTIFY = '/api/v3/links/context/on-notify';

describe('ABDM context notify, SMS notify, scan-and-share, link retry', () => {
  const PFX = `T${randomUUID().slice(0, 8)}-`;
  const rand = () => randomUUID().replace(/-/g, '').slice(0, 5);
  let owner: DataSource;
  let gw: FakeAbdmGateway;
  let app: NestExpressApplication;
  let bridge: string;
  const logs: string[] = [];
  const push = (m: unknown) => logs.push(typeof m === 'string' ? m : JSON.stringify(m));
  const logger = { log: push, warn: push, error: push, debug: push, verbose: push };
  /** Every name, phone and ABHA identifier this file uses: none may reach a log line. */
  const secrets: string[] = [];

  async function patient(
    tenantId: string,
    p: { name?: string; phone?: string | null; abha?: string | null; year?: number; gender?: string } = {},
  ) {
    const name = p.name ?? `Asha Verma${rand()}`;
    secrets.push(name, ...(p.phone ? [p.phone.slice(-10)] : []), ...(p.abha ? [p.abha] : []));
    return asTenant(owner, tenantId, async (tx) => {
      const [row] = await tx.query(
        `INSERT INTO clinical.patients (tenant_id, mrn, name_given, name_text, search_name, gender, birth_year, birth_date_approximate, phones, abha_address)
         VALUES ($1, $2, $3, $4, lower($4), $5, $6, true, $7, $8) RETURNING id`,
        [
          tenantId,
          `MRN-${rand()}`,
          [name.split(' ')[0]],
          name,
          p.gender ?? 'female',
          p.year ?? 1992,
          p.phone ? [p.phone] : [],
          p.abha ?? null,
        ],
      );
      return row.id as string;
    });
  }

  async function signedVisit(tenantId: string, patientId: string, signedAgo = '0 seconds') {
    return asTenant(owner, tenantId, async (tx) => {
      const [v] = await tx.query(
        `INSERT INTO clinical.visits (tenant_id, patient_id, attending_doctor_id, department, scheduled_at, status, signed_at, signed_by)
         VALUES ($1, $2, $3, 'Paediatrics', now() - $4::interval, 'finished', now() - $4::interval, $3) RETURNING id`,
        [tenantId, patientId, randomUUID(), signedAgo],
      );
      return v.id as string;
    });
  }

  const rows = <T = Record<string, unknown>>(tenantId: string, sql: string, params: unknown[] = []) =>
    asTenant(owner, tenantId, (tx) => tx.query(sql, params)) as Promise<T[]>;

  const notificationOf = (tenantId: string, visitId: string, kind: string, status?: string) =>
    eventually(
      async () => {
        const [n] = await rows<{ status: string; error_code: string | null; request_id: string; id: string }>(
          tenantId,
          `SELECT id, status, error_code, request_id FROM clinical.abdm_notifications WHERE visit_ref = $1 AND kind = $2`,
          [visitId, kind],
        );
        return n && (!status || n.status === status) ? n : undefined;
      },
      30000,
      `${kind} of the visit${status ? ` to be ${status}` : ''}`,
    );

  async function autoLinkHip(tenantId: string, hipId: string) {
    await registerHip(owner, tenantId, hipId);
    await rows(tenantId, `UPDATE core.abdm_hips SET auto_link = true WHERE hip_id = $1`, [hipId]);
  }

  beforeAll(async () => {
    owner = await createDataSource(ownerUrl(), 2).initialize();
    gw = await new FakeAbdmGateway().start();
    ({ app, url: bridge } = await createAbdmTestApp(
      gw,
      { hipInitiatedLinking: true, smsNotify: true, hipIdPrefix: PFX },
      logger,
    ));
    gw.bridgeUrl = bridge;
  });

  afterAll(async () => {
    await app?.close();
    await gw?.stop();
    await owner?.destroy();
  });

  // ---------------------------------------------------------------- context notify

  it('notifies the care context once a HIP-initiated link succeeds and records the on-notify outcome once', async () => {
    const tenant = await newTenant(owner, 'abdm-notify');
    const hipId = `${PFX}CN`;
    await autoLinkHip(tenant.id, hipId);
    const abha = `ashaverma${rand()}@sbx`;
    const pid = await patient(tenant.id, { abha, phone: '+919800011122' });
    const visit = await signedVisit(tenant.id, pid);

    const n = await notificationOf(tenant.id, visit, 'context_notify', 'acknowledged');
    const call = gw.calls.find(
      (c) => c.path === '/api/hiecm/hip/v3/link/context/notify' && c.headers['request-id'] === n.request_id,
    );
    expect(call?.headers['x-hip-id']).toBe(hipId);
    expect(call?.body).toMatchObject({
      notification: {
        patient: { id: abha },
        careContext: { patientReference: pid, careContextReference: visit },
        hiTypes: ['OPConsultation'],
        hip: { id: hipId },
      },
    });

    // Staff see the notification's outcome on the patient's ABDM view.
    const doctor = await loginAs(app, owner, tenant.id, ['doctor']);
    const view = await request(app.getHttpServer())
      .get(`/api/v1/patients/${pid}/abdm`)
      .set(authHeaders(doctor.token, tenant.id));
    expect(view.status).toBe(200);
    expect(view.body.notifications).toEqual([
      expect.objectContaining({
        kind: 'context_notify',
        visitId: visit,
        status: 'acknowledged',
        errorCode: null,
      }),
    ]);

    // A later, contradicting answer (and its replay) changes nothing: the first outcome stands.
    const late = randomUUID();
    const body = { error: { code: 'ABDM-1006', message: 'late' }, response: { requestId: n.request_id } };
    expect((await gw.callBridge(bridge, CONTEXT_ON_NOTIFY, hipId, body, late)).status).toBe(202);
    expect((await gw.callBridge(bridge, CONTEXT_ON_NOTIFY, hipId, body, late)).status).toBe(202);
    await eventually(async () => {
      const [r] = await rows<{ status: string }>(
        tenant.id,
        `SELECT status FROM clinical.abdm_inbox WHERE request_id = $1`,
        [late],
      );
      return r?.status === 'processed' ? r : undefined;
    });
    const audit = await rows<{ action: string }>(
      tenant.id,
      `SELECT action FROM audit.audit_log WHERE entity_id = $1 OR (entity_id = $2 AND action LIKE 'abdm_inbound%') ORDER BY seq`,
      [n.id, late],
    );
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining([
        'abdm_notification_answered',
        'abdm_notification_answer_ignored',
        'abdm_inbound',
        'abdm_inbound_replay',
      ]),
    );
    expect(audit.filter((a) => a.action === 'abdm_notification_answer_ignored')).toHaveLength(1);
    const [after] = await rows<{ status: string }>(
      tenant.id,
      `SELECT status FROM clinical.abdm_notifications WHERE id = $1`,
      [n.id],
    );
    expect(after.status).toBe('acknowledged');

    // The gateway refusing a notification is recorded as errored, with its code.
    gw.notifyAnswer = 'ERROR';
    try {
      const other = await patient(tenant.id, { abha: `meenarao${rand()}@sbx` });
      const v2 = await signedVisit(tenant.id, other);
      const refused = await notificationOf(tenant.id, v2, 'context_notify', 'errored');
      // The gateway's code and message (issue 22: kept for staff).
      expect(refused.error_code).toBe('ABDM-1024: Dependent service unavailable');
    } finally {
      gw.notifyAnswer = 'SUCCESS';
    }

    // Another clinic answering with this notification's request id reaches nothing of this clinic.
    const stranger = await newTenant(owner, 'abdm-notify-other');
    await registerHip(owner, stranger.id, `${PFX}CX`);
    const foreign = await gw.callBridge(bridge, CONTEXT_ON_NOTIFY, `${PFX}CX`, {
      acknowledgement: { status: 'SUCCESS' },
      response: { requestId: randomUUID() },
    });
    expect(foreign.status).toBe(202);
    const seen = await rows(stranger.id, `SELECT 1 FROM clinical.abdm_notifications`);
    expect(seen).toHaveLength(0);
  });

  // ---------------------------------------------------------------- SMS notify

  it('asks the gateway to text a patient without an ABHA address when a visit is signed, in clinics that opted in', async () => {
    const tenant = await newTenant(owner, 'abdm-sms');
    const hipId = `${PFX}SMS`;
    // The clinic's admin opts in; visits signed from now on are covered.
    const admin = await loginAs(app, owner, tenant.id, ['tenant_admin']);
    const optIn = await request(app.getHttpServer())
      .put('/api/v1/abdm/hip')
      .set(authHeaders(admin.token, tenant.id))
      .send({ hipId, name: 'Sunrise Clinic', smsNotify: true });
    expect(optIn.status).toBe(200);
    expect(optIn.body.items).toEqual([
      { hip_id: hipId, name: 'Sunrise Clinic', enabled: true, auto_link: false, sms_notify: true },
    ]);
    const listed = await request(app.getHttpServer())
      .get('/api/v1/abdm/hip')
      .set(authHeaders(admin.token, tenant.id));
    expect(listed.body.items).toEqual(optIn.body.items);
    const quiet = await newTenant(owner, 'abdm-sms-off');
    await registerHip(owner, quiet.id, `${PFX}SMSOFF`);

    // Not texted: a visit signed before the clinic opted in, a patient with an ABHA address, another clinic.
    const old = await signedVisit(tenant.id, await patient(tenant.id, { phone: '+919811100001' }), '2 days');
    const withAbha = await signedVisit(
      tenant.id,
      await patient(tenant.id, { phone: '+919811100002', abha: `abhaholder${rand()}@sbx` }),
    );
    const elsewhere = await signedVisit(quiet.id, await patient(quiet.id, { phone: '+919811100003' }));
    const foreignPhone = await signedVisit(tenant.id, await patient(tenant.id, { phone: '+14155550123' }));
    const texted = await signedVisit(tenant.id, await patient(tenant.id, { phone: '+919811100004' }));

    const n = await notificationOf(tenant.id, texted, 'sms_notify', 'acknowledged');
    expect(gw.smsSent.filter((s) => s.requestId === n.request_id)).toEqual([
      { phoneNo: '9811100004', hipId, requestId: n.request_id },
    ]);
    const call = gw.calls.find((c) => c.headers['request-id'] === n.request_id);
    expect(call?.body).toEqual({
      notification: { phoneNo: '9811100004', hip: { name: 'Sunrise Clinic', id: hipId } },
    });
    const noNumber = await notificationOf(tenant.id, foreignPhone, 'sms_notify', 'failed');
    expect(noNumber.error_code).toBe('no Indian mobile number');

    for (const [t, v] of [
      [tenant.id, old],
      [tenant.id, withAbha],
      [quiet.id, elsewhere],
    ]) {
      expect(
        await rows(t, `SELECT 1 FROM clinical.abdm_notifications WHERE visit_ref = $1`, [v]),
      ).toHaveLength(0);
    }
    expect(gw.smsSent.some((s) => ['9811100001', '9811100002', '9811100003'].includes(s.phoneNo))).toBe(
      false,
    );
  });

  // ---------------------------------------------------------------- scan-and-share

  it('registers a shared profile once, gives each scan at a counter a token, and repeats the token for a repeated scan', async () => {
    const tenant = await newTenant(owner, 'abdm-share');
    const hipId = `${PFX}SH`;
    await registerHip(owner, tenant.id, hipId);
    const abha = `kavyaraghu${rand()}@sbx`;
    const profile = {
      abhaNumber: '91-1234-5678-9012',
      abhaAddress: abha,
      name: 'Kavya Raghunathan',
      gender: 'F',
      dayOfBirth: '6',
      monthOfBirth: '6',
      yearOfBirth: '1990',
      address: {
        line: '12 Temple Street',
        district: 'Bengaluru Urban',
        state: 'Karnataka',
        pincode: '560001',
      },
      phoneNumber: '9812345670',
    };
    secrets.push(profile.name, '9812345670', abha, '91-1234-5678-9012', '12 Temple Street');

    const first = await gw.share(bridge, hipId, profile, 'OPD-1');
    expect(first.status).toBe(202);
    const answer = await gw.answerTo(first.requestId);
    expect(answer.path).toBe('/api/hiecm/patient-share/v3/on-share');
    expect(answer.body).toEqual({
      acknowledgement: {
        status: 'SUCCESS',
        abhaAddress: abha,
        profile: { context: 'OPD-1', tokenNumber: '1', expiry: '1800' },
      },
      response: { requestId: first.requestId },
    });
    const registered = await rows<{
      id: string;
      name_text: string;
      gender: string;
      birth_date: string;
      phones: string[];
      abha_number: string;
    }>(
      tenant.id,
      `SELECT id, name_text, gender, birth_date::text AS birth_date, phones, abha_number FROM clinical.patients WHERE abha_address = $1`,
      [abha],
    );
    expect(registered).toEqual([
      expect.objectContaining({
        name_text: 'Kavya Raghunathan',
        gender: 'female',
        birth_date: '1990-06-06',
        phones: ['+919812345670'],
        abha_number: '91123456789012',
      }),
    ]);

    // The same patient scanning again while the token is valid: the same token, no second patient.
    const again = await gw.share(bridge, hipId, profile, 'OPD-1');
    expect((await gw.answerTo(again.requestId)).body).toMatchObject({
      acknowledgement: { profile: { tokenNumber: '1' } },
    });
    // The gateway repeating a call (same REQUEST-ID): acknowledged, processed once.
    const replayId = randomUUID();
    const someoneElse = {
      ...profile,
      abhaNumber: null,
      abhaAddress: `someoneels${rand()}@sbx`,
      name: 'Arjun Menon',
      gender: 'M',
      phoneNumber: '9812345671',
      dayOfBirth: null,
      monthOfBirth: null,
      yearOfBirth: '1985',
    };
    secrets.push('Arjun Menon', '9812345671', someoneElse.abhaAddress);
    expect((await gw.share(bridge, hipId, someoneElse, 'OPD-1', replayId)).status).toBe(202);
    expect((await gw.share(bridge, hipId, someoneElse, 'OPD-1', replayId)).status).toBe(202);
    expect((await gw.answerTo(replayId)).body).toMatchObject({
      acknowledgement: { profile: { tokenNumber: '2' } },
    });
    // Another counter counts on its own; a later scan waits behind the replayed one.
    const desk2 = await gw.share(bridge, hipId, profile, 'OPD-2');
    expect((await gw.answerTo(desk2.requestId)).body).toMatchObject({
      acknowledgement: { profile: { context: 'OPD-2', tokenNumber: '1' } },
    });
    expect(gw.answersTo(replayId)).toHaveLength(1);
    expect(
      await rows(tenant.id, `SELECT 1 FROM clinical.abdm_inbox WHERE request_id = $1`, [replayId]),
    ).toHaveLength(1);
    expect(
      await rows(tenant.id, `SELECT 1 FROM clinical.patients WHERE abha_address = $1`, [abha]),
    ).toHaveLength(1);
    const arjun = await rows<{ birth_year: number; birth_date_approximate: boolean }>(
      tenant.id,
      `SELECT birth_year, birth_date_approximate FROM clinical.patients WHERE abha_address = $1`,
      [someoneElse.abhaAddress],
    );
    expect(arjun).toEqual([{ birth_year: 1985, birth_date_approximate: true }]);

    const shares = await rows<{ outcome: string; token_number: number }>(
      tenant.id,
      `SELECT outcome, token_number FROM clinical.abdm_profile_shares WHERE hip_id = $1 ORDER BY created_at`,
      [hipId],
    );
    expect(shares).toEqual([
      { outcome: 'registered', token_number: 1 },
      { outcome: 'registered', token_number: 2 },
      { outcome: 'matched', token_number: 1 },
    ]);
    // The tokens are the OPD queue's: each share joined its counter's queue (issue 24).
    const queued = await rows<{ lane: string; token: number; source: string; status: string }>(
      tenant.id,
      `SELECT lane, token, source, status FROM clinical.queue_entries ORDER BY joined_at, token`,
    );
    expect(queued).toEqual([
      { lane: `counter:${hipId}/OPD-1`, token: 1, source: 'scan-share', status: 'waiting' },
      { lane: `counter:${hipId}/OPD-1`, token: 2, source: 'scan-share', status: 'waiting' },
      { lane: `counter:${hipId}/OPD-2`, token: 1, source: 'scan-share', status: 'waiting' },
    ]);
  });

  it('matches a patient on the ABHA address, holds a possible duplicate for the desk, and refuses a profile it cannot register', async () => {
    const tenant = await newTenant(owner, 'abdm-share-match');
    const hipId = `${PFX}SM`;
    await registerHip(owner, tenant.id, hipId);
    const abha = `nandinisr${rand()}@sbx`;
    const known = await patient(tenant.id, { name: 'Nandini Srinivas', abha, phone: '+919822200001' });
    const matched = await gw.share(bridge, hipId, {
      abhaAddress: abha.toUpperCase(),
      name: 'Nandini S',
      gender: 'F',
      yearOfBirth: '1992',
      phoneNumber: '9822200001',
    });
    expect((await gw.answerTo(matched.requestId)).body).toMatchObject({
      acknowledgement: { status: 'SUCCESS', abhaAddress: abha },
    });
    const [m] = await rows<{ patient_id: string; outcome: string }>(
      tenant.id,
      `SELECT patient_id, outcome FROM clinical.abdm_profile_shares WHERE request_id = $1`,
      [matched.requestId],
    );
    expect(m).toEqual({ patient_id: known, outcome: 'matched' });

    // Same name, year and phone as a registered patient without ABHA: not registered, not guessed.
    const lookalike = await patient(tenant.id, {
      name: 'Farhan Qureshi',
      phone: '+919822200002',
      year: 1988,
      gender: 'male',
    });
    const dupAbha = `farhanq${rand()}1@sbx`;
    secrets.push(dupAbha);
    const held = await gw.share(bridge, hipId, {
      abhaAddress: dupAbha,
      name: 'Farhan Qureshi',
      gender: 'M',
      yearOfBirth: '1988',
      phoneNumber: '9822200002',
    });
    expect((await gw.answerTo(held.requestId)).body).toMatchObject({
      acknowledgement: { status: 'SUCCESS' },
    });
    const [h] = await rows<{ patient_id: string | null; outcome: string; candidates: string[] }>(
      tenant.id,
      `SELECT patient_id, outcome, candidates FROM clinical.abdm_profile_shares WHERE request_id = $1`,
      [held.requestId],
    );
    expect(h).toEqual({ patient_id: null, outcome: 'review', candidates: [lookalike] });
    expect(
      await rows(tenant.id, `SELECT 1 FROM clinical.patients WHERE abha_address = $1`, [dupAbha]),
    ).toHaveLength(0);

    // An ABHA address outside the ABDM domains cannot register anyone: answered with an error, nothing stored.
    const bad = await gw.share(bridge, hipId, {
      abhaAddress: 'someone@example.org',
      name: 'X Y',
      gender: 'M',
      yearOfBirth: '1990',
    });
    const refused = await gw.answerTo(bad.requestId);
    expect(refused.body).toEqual({
      error: { code: 'ABDM-1010', message: expect.any(String) },
      response: { requestId: bad.requestId },
    });
    expect(
      await rows(tenant.id, `SELECT 1 FROM clinical.abdm_profile_shares WHERE request_id = $1`, [
        bad.requestId,
      ]),
    ).toHaveLength(0);

    // A phone the registry cannot read is left out, not a reason to turn the patient away.
    const oddPhoneAbha = `oddphone${rand()}@sbx`;
    secrets.push(oddPhoneAbha, 'Ravi Teja');
    const odd = await gw.share(bridge, hipId, {
      abhaAddress: oddPhoneAbha,
      name: 'Ravi Teja',
      gender: 'M',
      yearOfBirth: '1979',
      phoneNumber: '1234567',
    });
    expect((await gw.answerTo(odd.requestId)).body).toMatchObject({ acknowledgement: { status: 'SUCCESS' } });
    expect(
      await rows(tenant.id, `SELECT phones FROM clinical.patients WHERE abha_address = $1`, [oddPhoneAbha]),
    ).toEqual([{ phones: [] }]);

    // Malformed shares are refused with 400 and never stored.
    const noGender = await gw.shareRaw(bridge, hipId, { abhaAddress: abha, name: 'N', yearOfBirth: '1992' });
    expect(noGender.status).toBe(400);
    expect(noGender.body.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: 'profile.patient.gender' })]),
    );
    expect(
      await rows(tenant.id, `SELECT 1 FROM clinical.abdm_inbox WHERE request_id = $1`, [noGender.requestId]),
    ).toHaveLength(0);
  });

  it("never lets another clinic's HIP id reach this clinic's patients", async () => {
    const a = await newTenant(owner, 'abdm-share-a');
    const b = await newTenant(owner, 'abdm-share-b');
    await registerHip(owner, a.id, `${PFX}XA`);
    await registerHip(owner, b.id, `${PFX}XB`);
    const abha = `sharedabha${rand()}@sbx`;
    const inA = await patient(a.id, { name: 'Lakshmi Iyer', abha, phone: '+919833300001' });
    // A share naming clinic A in its body but sent with clinic B's X-HIP-ID: refused, nothing stored anywhere.
    const crossed = await gw.share(
      bridge,
      `${PFX}XB`,
      { abhaAddress: abha, name: 'Lakshmi Iyer', gender: 'F', yearOfBirth: '1992' },
      'OPD-1',
      randomUUID(),
      `${PFX}XA`,
    );
    expect(crossed.status).toBe(400);
    expect(
      await owner.query(`SELECT 1 FROM clinical.abdm_inbox WHERE request_id = $1`, [crossed.requestId]),
    ).toHaveLength(0);
    // The same patient scanning at clinic B: B gets a patient of its own; A's patient is untouched and unseen.
    const atB = await gw.share(bridge, `${PFX}XB`, {
      abhaAddress: abha,
      name: 'Lakshmi Iyer',
      gender: 'F',
      yearOfBirth: '1992',
      phoneNumber: '9833300001',
    });
    await gw.answerTo(atB.requestId);
    const [share] = await rows<{ patient_id: string; outcome: string }>(
      b.id,
      `SELECT patient_id, outcome FROM clinical.abdm_profile_shares WHERE request_id = $1`,
      [atB.requestId],
    );
    expect(share.outcome).toBe('registered');
    expect(share.patient_id).not.toBe(inA);
    expect(await rows(b.id, `SELECT 1 FROM clinical.patients WHERE id = $1`, [inA])).toHaveLength(0);
    expect(await rows(a.id, `SELECT 1 FROM clinical.abdm_profile_shares`)).toHaveLength(0);
    expect(await rows(a.id, `SELECT 1 FROM clinical.patients WHERE abha_address = $1`, [abha])).toHaveLength(
      1,
    );
  });

  // ---------------------------------------------------------------- retry

  it('lets an admin retry a failed HIP-initiated link; the failed one stays failed and visible with its calls', async () => {
    const tenant = await newTenant(owner, 'abdm-retry');
    const hipId = `${PFX}RT`;
    await autoLinkHip(tenant.id, hipId);
    const pid = await patient(tenant.id, { abha: `retryabha${rand()}@sbx` });
    gw.down = true;
    let failedId: string;
    let visit: string;
    try {
      visit = await signedVisit(tenant.id, pid);
      ({ id: failedId } = await eventually(
        async () => {
          const [t] = await rows<{ id: string; state: string }>(
            tenant.id,
            `SELECT id, state FROM clinical.abdm_transactions WHERE visit_ref = $1`,
            [visit],
          );
          return t?.state === 'failed' ? t : undefined;
        },
        30000,
        'the link to fail',
      ));
    } finally {
      gw.down = false;
    }

    const admin = await loginAs(app, owner, tenant.id, ['tenant_admin']);
    const server = app.getHttpServer();
    const list = await request(server)
      .get('/api/v1/abdm/transactions')
      .set(authHeaders(admin.token, tenant.id));
    const failed = list.body.items.find((t: { id: string }) => t.id === failedId);
    // What the gateway said, not only the HTTP status (issue 22).
    expect(failed).toMatchObject({
      state: 'failed',
      failure: 'ABDM-1019: Dependent Service Unavailable',
      gatewayError: { code: 'ABDM-1019', message: 'Dependent Service Unavailable' },
      final: true,
      retries: 4,
      retryOf: null,
    });
    expect(failed.outbound).toEqual([
      expect.objectContaining({
        path: '/api/hiecm/v3/token/generate-token',
        status: 'failed',
        attempts: 5,
        lastStatus: 503,
        lastError: 'HTTP 503 ABDM-1019',
        gatewayError: { code: 'ABDM-1019', message: 'Dependent Service Unavailable' },
      }),
    ]);

    const nurse = await loginAs(app, owner, tenant.id, ['nurse']);
    expect(
      (
        await request(server)
          .post(`/api/v1/abdm/transactions/${failedId}/retry`)
          .set(authHeaders(nurse.token, tenant.id))
      ).status,
    ).toBe(403);
    const other = await newTenant(owner, 'abdm-retry-other');
    const otherAdmin = await loginAs(app, owner, other.id, ['tenant_admin']);
    const foreign = await request(server)
      .post(`/api/v1/abdm/transactions/${failedId}/retry`)
      .set(authHeaders(otherAdmin.token, other.id));
    expect(foreign.status).toBe(404);
    expect(foreign.headers['content-type']).toMatch(/problem\+json/);

    const retried = await request(server)
      .post(`/api/v1/abdm/transactions/${failedId}/retry`)
      .set({ ...authHeaders(admin.token, tenant.id), 'Idempotency-Key': `"retry-${failedId}"` });
    expect(retried.status).toBe(201);
    expect(retried.body).toMatchObject({ state: 'token_requested', retryOf: failedId });
    // The same request again with the same key: the stored answer, nothing new.
    const replayed = await request(server)
      .post(`/api/v1/abdm/transactions/${failedId}/retry`)
      .set({ ...authHeaders(admin.token, tenant.id), 'Idempotency-Key': `"retry-${failedId}"` });
    expect(replayed.status).toBe(201);
    expect(replayed.body.id).toBe(retried.body.id);

    await eventually(
      async () => {
        const [l] = await rows(
          tenant.id,
          `SELECT 1 AS ok FROM clinical.abdm_links WHERE care_context_ref = $1`,
          [visit!],
        );
        return l;
      },
      30000,
      'the retried link',
    );
    const states = await rows<{ id: string; state: string; retry_of: string | null }>(
      tenant.id,
      `SELECT id, state, retry_of FROM clinical.abdm_transactions WHERE visit_ref = $1 ORDER BY created_at`,
      [visit!],
    );
    expect(states).toEqual([
      { id: failedId, state: 'failed', retry_of: null },
      { id: retried.body.id, state: 'linked', retry_of: failedId },
    ]);
    const twice = await request(server)
      .post(`/api/v1/abdm/transactions/${failedId}/retry`)
      .set(authHeaders(admin.token, tenant.id));
    expect(twice.status).toBe(409);
    const notFailed = await request(server)
      .post(`/api/v1/abdm/transactions/${retried.body.id}/retry`)
      .set(authHeaders(admin.token, tenant.id));
    expect(notFailed.status).toBe(409);
    // As a Prometheus scrape in the classic format reads them.
    const { body: scraped } = await renderMetrics();
    expect(scraped).toMatch(/^hims_abdm_link_retries_total [1-9]/m);
    expect(scraped).toMatch(/^hims_abdm_outbound_total\{outcome="failed"\} [1-9]/m);
  });

  it('logs ids and reasons only: no name, phone or ABHA identifier', () => {
    expect(logs.length).toBeGreaterThan(0);
    const text = logs.join('\n');
    for (const value of secrets) expect(text).not.toContain(value);
    expect(text.toLowerCase()).not.toContain('@sbx');
  });
});
