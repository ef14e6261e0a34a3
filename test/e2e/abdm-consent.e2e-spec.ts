/**
 * Needs: the project's PostgreSQL 15. The consent and health-information half of the ABDM HIP
 * (issue 13) through HTTP, against the real database, with the fake gateway acting as consent
 * manager (test/support/fake-abdm-gateway.ts) and a fake HIU that decrypts what it is pushed
 * (test/support/fake-hiu.ts): a granted consent and a request release exactly the documents the
 * API renders for the visits in scope, encrypted; revoked, expired and erased consents refuse
 * the next request with the specified error and stop a running transfer before its next page;
 * an unreachable HIU ends in a FAILED notify after retries; another clinic's consent never
 * releases this clinic's visits; a replayed REQUEST-ID is processed once; no clinical content
 * or patient data in the logs.
 */
import { randomUUID } from 'node:crypto';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { AbdmProcessor } from '../../libs/abdm/src';
import { createDataSource } from '../../libs/database/src/data-source';
import { createAbdmTestApp, eventually, registerHip } from '../support/abdm';
import {
  backdate,
  CONSULTATION,
  grantedNotification,
  hiRequestBody,
  linkCareContexts,
  signedVisit,
} from '../support/abdm-consent';
import { authHeaders, loginAs, type LoggedIn } from '../support/auth';
import { ownerUrl } from '../support/env';
import { FakeAbdmGateway, type RecordedCall } from '../support/fake-abdm-gateway';
import { FakeHiu } from '../support/fake-hiu';
import { asTenant, newTenant } from '../support/fixtures';

const ON_NOTIFY = '/api/hiecm/consent/v3/request/hip/on-notify';
const ON_REQUEST = '/api/hiecm/data-flow/v3/health-information/hip/on-request';
const HI_NOTIFY = '/api/hiecm/data-flow/v3/health-information/notify';
const DAY = 86400_000;

interface StatusNotification {
  sessionStatus: string;
  hipId: string;
  statusResponses: { careContextReference: string; hiStatus: string; description: string }[];
}

describe('ABDM HIP consents and health-information transfer', () => {
  let owner: DataSource;
  let gw: FakeAbdmGateway;
  let hiu: FakeHiu;
  let app: NestExpressApplication;
  let bridge: string;
  const logs: string[] = [];
  const capture = (m: unknown) => logs.push(typeof m === 'string' ? m : JSON.stringify(m));
  const logger = { log: capture, warn: capture, error: capture, debug: capture, verbose: capture };
  const PFX = `C${randomUUID().slice(0, 8)}-`;
  const hipA = `${PFX}A`;
  const hipB = `${PFX}B`;
  let tenantA: { id: string };
  let tenantB: { id: string };
  let staffA: { rec: LoggedIn; nurse: LoggedIn; doc: LoggedIn };
  let staffB: { rec: LoggedIn; nurse: LoggedIn; doc: LoggedIn };
  const secrets = { name: 'Anaswara Thekkumpuram', phone: '9845012345', abha: 'anaswara88@sbx' };
  let patientA: string;
  let patientB: string;
  let recent: string[];
  let old: string;
  let lab: string;
  let visitB: string;

  const consentRange = () => ({ from: new Date(Date.now() - 2 * 365 * DAY), to: new Date(Date.now() + DAY) });
  const requestRange = () => ({ from: new Date(Date.now() - 30 * DAY), to: new Date(Date.now() + DAY / 2) });

  async function insertPatient(tenantId: string, name: string, abha: string) {
    return asTenant(owner, tenantId, async (tx) => {
      const [row] = await tx.query(
        `INSERT INTO clinical.patients (tenant_id, mrn, name_given, name_text, search_name, gender, birth_year, birth_date_approximate, phones, abha_address)
         VALUES ($1, $2, $3, $4, lower($4), 'female', 1988, true, $5, $6) RETURNING id`,
        [tenantId, `MRN-${randomUUID().slice(0, 6)}`, [name], name, [`+91${secrets.phone}`], abha],
      );
      return row.id as string;
    });
  }

  const staff = async (tenantId: string) => {
    const [rec, nurse, doc] = await Promise.all([
      loginAs(app, owner, tenantId, ['receptionist']),
      loginAs(app, owner, tenantId, ['nurse']),
      loginAs(app, owner, tenantId, ['doctor']),
    ]);
    return { rec, nurse, doc };
  };

  const fhirOf = async (tenantId: string, user: LoggedIn, visitId: string) => {
    const res = await request(app.getHttpServer())
      .get(`/api/v1/visits/${visitId}/fhir`)
      .set(authHeaders(user.token, tenantId));
    expect(res.status).toBe(200);
    return JSON.parse(res.text) as Record<string, unknown>;
  };

  /** Grants a consent through the gateway and waits for its on-notify. */
  async function grant(hipId: string, spec: Parameters<typeof grantedNotification>[0]) {
    const r = await gw.consentNotify(bridge, hipId, grantedNotification(spec));
    expect(r.status).toBe(202);
    return gw.answerTo(r.requestId);
  }

  async function changeStatus(hipId: string, consentId: string, status: 'REVOKED' | 'EXPIRED') {
    const r = await gw.consentNotify(bridge, hipId, { status, consentId });
    expect(r.status).toBe(202);
    return gw.answerTo(r.requestId);
  }

  async function requestData(hipId: string, body: Record<string, unknown>, requestId = randomUUID()) {
    const r = await gw.hiRequest(bridge, hipId, body, requestId);
    expect(r.status).toBe(202);
    return gw.answerTo(r.requestId);
  }

  const notifyFor = (transactionId: string): Promise<RecordedCall> =>
    gw.callTo(
      HI_NOTIFY,
      (c) => (c.body.notification as { transactionId?: string }).transactionId === transactionId,
    );
  const statusOf = (call: RecordedCall) =>
    (call.body.notification as { statusNotification: StatusNotification }).statusNotification;
  const byRef = (s: StatusNotification) =>
    Object.fromEntries(s.statusResponses.map((r) => [r.careContextReference, r.hiStatus]));
  const receivedFor = (transactionId: string) =>
    hiu.received().filter((d) => d.transactionId === transactionId);

  beforeAll(async () => {
    owner = await createDataSource(ownerUrl(), 2).initialize();
    gw = await new FakeAbdmGateway().start();
    hiu = await FakeHiu.start();
    ({ app, url: bridge } = await createAbdmTestApp(gw, { hipIdPrefix: PFX }, logger as never));
    tenantA = await newTenant(owner, 'consent-a');
    tenantB = await newTenant(owner, 'consent-b');
    await registerHip(owner, tenantA.id, hipA);
    await registerHip(owner, tenantB.id, hipB);
    [staffA, staffB] = await Promise.all([staff(tenantA.id), staff(tenantB.id)]);
    patientA = await insertPatient(tenantA.id, secrets.name, secrets.abha);
    patientB = await insertPatient(tenantB.id, 'Other Clinic Patient', 'otherclinic77@sbx');

    recent = [
      await signedVisit(app, tenantA.id, staffA, patientA, 'General Medicine'),
      await signedVisit(app, tenantA.id, staffA, patientA, 'Pulmonology'),
    ];
    old = await signedVisit(app, tenantA.id, staffA, patientA, 'General Medicine');
    await backdate(owner, tenantA.id, old, new Date(Date.now() - 400 * DAY));
    lab = await signedVisit(app, tenantA.id, staffA, patientA, 'Pathology');
    visitB = await signedVisit(app, tenantB.id, staffB, patientB, 'General Medicine');

    // The second recent visit is amended after signing: the transfer must carry the amendment.
    const v = await request(app.getHttpServer())
      .get(`/api/v1/visits/${recent[1]}`)
      .set(authHeaders(staffA.doc.token, tenantA.id));
    const amended = await request(app.getHttpServer())
      .post(`/api/v1/visits/${recent[1]}/amendments`)
      .set(authHeaders(staffA.doc.token, tenantA.id))
      .set('If-Match', `"${v.body.version}"`)
      .send({
        reason: 'Diagnosis corrected',
        consultation: {
          diagnoses: [{ text: 'Acute bronchiolitis', icd10: 'J21.9', clinicalStatus: 'active' }],
        },
      });
    expect(amended.status).toBe(201);

    await linkCareContexts(owner, tenantA.id, hipA, patientA, secrets.abha, [
      { id: recent[0], hiType: 'OPConsultation' },
      { id: recent[1], hiType: 'OPConsultation' },
      { id: old, hiType: 'OPConsultation' },
      { id: lab, hiType: 'DiagnosticReport' },
    ]);
    await linkCareContexts(owner, tenantB.id, hipB, patientB, 'otherclinic77@sbx', [
      { id: visitB, hiType: 'OPConsultation' },
    ]);
  });

  afterAll(async () => {
    await app?.close();
    await hiu?.stop();
    await gw?.stop();
    await owner?.destroy();
  });

  it('stores a granted consent, releases exactly the in-scope documents the API renders, and notifies', async () => {
    const consentId = randomUUID();
    const ack = await grant(hipA, {
      consentId,
      hipId: hipA,
      abhaAddress: secrets.abha,
      patientId: patientA,
      careContexts: [...recent, old, lab],
      hiTypes: ['OPConsultation'],
      ...consentRange(),
    });
    expect(ack.path).toBe(ON_NOTIFY);
    expect(ack.body.acknowledgement).toEqual({ status: 'OK', consentId });
    expect(ack.body.error).toBeUndefined();

    const body = hiRequestBody({ consentId, hiu, ...requestRange() });
    const onRequest = await requestData(hipA, body);
    expect(onRequest.path).toBe(ON_REQUEST);
    expect(onRequest.body.hiRequest).toEqual({
      transactionId: body.transactionId,
      sessionStatus: 'ACKNOWLEDGED',
    });

    const notify = await notifyFor(body.transactionId);
    const status = statusOf(notify);
    expect(notify.headers['x-hip-id']).toBe(hipA);
    expect(notify.body.notification).toMatchObject({ consentId, notifier: { type: 'HIP', id: hipA } });
    expect(status.sessionStatus).toBe('TRANSFERRED');
    // The backdated visit (outside the requested range) and the other HI type are not sent.
    expect(byRef(status)).toEqual({ [recent[0]]: 'DELIVERED', [recent[1]]: 'DELIVERED' });

    const docs = receivedFor(body.transactionId);
    expect(docs.map((d) => d.careContextReference).sort()).toEqual([...recent].sort());
    expect(hiu.rejections).toEqual([]);
    for (const d of docs) {
      expect(JSON.parse(d.text)).toEqual(await fhirOf(tenantA.id, staffA.nurse, d.careContextReference));
    }
    expect(docs.find((d) => d.careContextReference === recent[1])!.text).toContain('Acute bronchiolitis');

    // The audit trail names consent, care contexts, HIU, bytes and outcome; no clinical content.
    const trail = await asTenant(owner, tenantA.id, (tx) =>
      tx.query(
        `SELECT action, entity_type, details FROM audit.audit_log
          WHERE details ->> 'transactionId' = $1 ORDER BY seq`,
        [body.transactionId],
      ),
    );
    const transfer = trail.find((r: { action: string }) => r.action === 'abdm_hi_transfer');
    expect(transfer.details).toMatchObject({
      consentId,
      hiuId: 'HIU-TEST-1',
      outcome: 'transferred',
      pages: 2,
      careContexts: { [recent[0]]: 'DELIVERED', [recent[1]]: 'DELIVERED' },
    });
    expect(transfer.details.bytes).toBeGreaterThan(0);
    expect(JSON.stringify(trail)).not.toContain('bronch');

    // Staff see the consent and its transfer on the patient.
    const view = await request(app.getHttpServer())
      .get(`/api/v1/patients/${patientA}/abdm`)
      .set(authHeaders(staffA.nurse.token, tenantA.id));
    expect(view.status).toBe(200);
    const consent = view.body.consents.find((c: { consentId: string }) => c.consentId === consentId);
    expect(consent).toMatchObject({
      status: 'GRANTED',
      hipId: hipA,
      hiuId: 'HIU-TEST-1',
      purpose: 'CAREMGT',
      hiTypes: ['OPConsultation'],
      accessMode: 'VIEW',
      transfers: [{ transactionId: body.transactionId, status: 'transferred', pages: 2 }],
    });
    expect(consent.careContextIds.sort()).toEqual([...recent, old, lab].sort());
  });

  it('processes a replayed request once and refuses a second request under the same transaction id', async () => {
    const consentId = randomUUID();
    await grant(hipA, {
      consentId,
      hipId: hipA,
      abhaAddress: secrets.abha,
      patientId: patientA,
      careContexts: [recent[0]],
      ...consentRange(),
    });
    const body = hiRequestBody({ consentId, hiu, ...requestRange() });
    const requestId = randomUUID();
    await requestData(hipA, body, requestId);
    const replay = await gw.hiRequest(bridge, hipA, body, requestId);
    expect(replay.status).toBe(202);
    await notifyFor(body.transactionId);
    const [{ n }] = await owner.query(
      `SELECT count(*)::int AS n FROM clinical.abdm_inbox WHERE request_id = $1`,
      [requestId],
    );
    expect(n).toBe(1);
    expect(gw.answersTo(requestId)).toHaveLength(1);
    const [{ replays }] = await asTenant(owner, tenantA.id, (tx) =>
      tx.query(
        `SELECT count(*)::int AS replays FROM audit.audit_log WHERE action = 'abdm_inbound_replay' AND entity_id = $1`,
        [requestId],
      ),
    );
    expect(replays).toBe(1);

    const again = await requestData(hipA, body);
    // A refusal is the error alone: v3 defines no ERRORED session status (issue 22).
    expect(again.body).toEqual({
      error: { code: 'ABDM-1017', message: expect.any(String) },
      response: { requestId: expect.any(String) },
    });
    const [{ transfers }] = await asTenant(owner, tenantA.id, (tx) =>
      tx.query(`SELECT count(*)::int AS transfers FROM clinical.abdm_hi_requests WHERE transaction_id = $1`, [
        body.transactionId,
      ]),
    );
    expect(transfers).toBe(1);
  });

  it('refuses requests under a revoked, expired or erased consent, or outside its range', async () => {
    const spec = (consentId: string, extra: Record<string, unknown> = {}) => ({
      consentId,
      hipId: hipA,
      abhaAddress: secrets.abha,
      patientId: patientA,
      careContexts: [...recent],
      ...consentRange(),
      ...extra,
    });
    const refusedWith = async (consentId: string, range = requestRange()) => {
      const body = hiRequestBody({ consentId, hiu, ...range });
      const answer = await requestData(hipA, body);
      expect(answer.body.hiRequest).toBeUndefined(); // the error alone (issue 22)
      return answer.body.error as { code: string; message: string };
    };

    const revoked = randomUUID();
    await grant(hipA, spec(revoked));
    const ack = await changeStatus(hipA, revoked, 'REVOKED');
    expect(ack.body.acknowledgement).toEqual({ status: 'OK', consentId: revoked });
    expect(await refusedWith(revoked)).toEqual({ code: 'ABDM-1039', message: 'Consent artefact revoked' });
    // A late GRANTED for the same consent does not revive it.
    await grant(hipA, spec(revoked));
    expect(await refusedWith(revoked)).toEqual({ code: 'ABDM-1039', message: 'Consent artefact revoked' });

    const expired = randomUUID();
    await grant(hipA, spec(expired));
    await changeStatus(hipA, expired, 'EXPIRED');
    expect(await refusedWith(expired)).toEqual({ code: 'ABDM-1061', message: 'Consent artefact expired' });

    const erased = randomUUID();
    await grant(hipA, spec(erased, { dataEraseAt: new Date(Date.now() - 60_000) }));
    expect(await refusedWith(erased)).toEqual({ code: 'ABDM-1061', message: 'Consent artefact expired' });

    const narrow = randomUUID();
    await grant(
      hipA,
      spec(narrow, { from: new Date(Date.now() - 10 * DAY), to: new Date(Date.now() + DAY) }),
    );
    expect(await refusedWith(narrow, requestRange())).toEqual({
      code: 'ABDM-1039',
      message: "Requested date range is outside the consent's",
    });

    expect(await refusedWith(randomUUID())).toEqual({
      code: 'ABDM-1039',
      message: 'Consent artefact not found',
    });

    const statuses = await asTenant(owner, tenantA.id, (tx) =>
      tx.query(`SELECT consent_id, status FROM clinical.abdm_consents WHERE consent_id = ANY ($1)`, [
        [revoked, expired, erased],
      ]),
    );
    expect(
      Object.fromEntries(
        statuses.map((s: { consent_id: string; status: string }) => [s.consent_id, s.status]),
      ),
    ).toEqual({
      [revoked]: 'REVOKED',
      [expired]: 'EXPIRED',
      [erased]: 'GRANTED',
    });
  });

  it('stops a running transfer before its next page when the consent is revoked', async () => {
    const consentId = randomUUID();
    await grant(hipA, {
      consentId,
      hipId: hipA,
      abhaAddress: secrets.abha,
      patientId: patientA,
      careContexts: [...recent],
      ...consentRange(),
    });
    const release = hiu.hold();
    const before = hiu.requests;
    const body = hiRequestBody({ consentId, hiu, ...requestRange() });
    try {
      await requestData(hipA, body);
      // The first page is at the HIU, unanswered; the revocation is processed meanwhile.
      await eventually(async () => (hiu.requests > before ? true : undefined), 20000, 'the first page');
      await changeStatus(hipA, consentId, 'REVOKED');
    } finally {
      release();
    }
    const status = statusOf(await notifyFor(body.transactionId));
    expect(status.sessionStatus).not.toBe('TRANSFERRED');
    expect(Object.values(byRef(status)).filter((s) => s === 'ERRORED')).toHaveLength(1);
    expect(receivedFor(body.transactionId)).toHaveLength(1);
    const [row] = await asTenant(owner, tenantA.id, (tx) =>
      tx.query(`SELECT status, failure FROM clinical.abdm_hi_requests WHERE transaction_id = $1`, [
        body.transactionId,
      ]),
    );
    expect(row).toEqual({ status: 'stopped', failure: 'Consent revoked' });
  });

  it('stops a transfer that has not started when the consent is revoked', async () => {
    const consentId = randomUUID();
    await grant(hipA, {
      consentId,
      hipId: hipA,
      abhaAddress: secrets.abha,
      patientId: patientA,
      careContexts: [...recent],
      ...consentRange(),
    });
    // With the loop paused, the request and the revocation wait in the inbox together; one
    // pass then handles both in arrival order, before any transfer could start.
    const processor = app.get(AbdmProcessor);
    await processor.stop();
    const body = hiRequestBody({ consentId, hiu, ...requestRange() });
    let requestId: string;
    try {
      const asked = await gw.hiRequest(bridge, hipA, body);
      expect(asked.status).toBe(202);
      requestId = asked.requestId;
      expect((await gw.consentNotify(bridge, hipA, { status: 'REVOKED', consentId })).status).toBe(202);
      await processor.runOnce();
    } finally {
      processor.start();
    }
    expect((await gw.answerTo(requestId)).body.hiRequest).toEqual({
      transactionId: body.transactionId,
      sessionStatus: 'ACKNOWLEDGED',
    });
    const status = statusOf(await notifyFor(body.transactionId));
    expect(status).toMatchObject({ sessionStatus: 'FAILED', statusResponses: [] });
    expect(receivedFor(body.transactionId)).toEqual([]);
    const [row] = await asTenant(owner, tenantA.id, (tx) =>
      tx.query(`SELECT status, failure, pages FROM clinical.abdm_hi_requests WHERE transaction_id = $1`, [
        body.transactionId,
      ]),
    );
    expect(row).toEqual({ status: 'stopped', failure: 'Consent revoked', pages: 0 });
  });

  it('retries an unreachable HIU, then notifies FAILED for every care context', async () => {
    const consentId = randomUUID();
    await grant(hipA, {
      consentId,
      hipId: hipA,
      abhaAddress: secrets.abha,
      patientId: patientA,
      careContexts: [...recent],
      ...consentRange(),
    });
    const down = await FakeHiu.start();
    const url = down.dataPushUrl;
    await down.goDown();
    const body = hiRequestBody({ consentId, hiu, ...requestRange() });
    (body.hiRequest as { dataPushUrl: string }).dataPushUrl = url;
    await requestData(hipA, body);
    const status = statusOf(await notifyFor(body.transactionId));
    expect(status.sessionStatus).toBe('FAILED');
    expect(byRef(status)).toEqual({ [recent[0]]: 'ERRORED', [recent[1]]: 'ERRORED' });
    expect(
      logs.some((l) => /data push transaction .* attempt 4\/5 failed \(ECONNREFUSED\); retrying/.test(l)),
    ).toBe(true);
    const [row] = await asTenant(owner, tenantA.id, (tx) =>
      tx.query(`SELECT status, failure, bytes FROM clinical.abdm_hi_requests WHERE transaction_id = $1`, [
        body.transactionId,
      ]),
    );
    expect(row).toEqual({ status: 'failed', failure: 'HIU unavailable', bytes: '0' });
  });

  it("never releases one clinic's visits under another clinic's consent", async () => {
    // Clinic B's consent names clinic A's visits: B holds no such links, so nothing is released.
    // (Its patient is B's patient's ABHA address: a consent naming A's patient's address releases
    // nothing at B, below; before issue 22 the artefact's patient was never compared.)
    const consentB = randomUUID();
    await grant(hipB, {
      consentId: consentB,
      hipId: hipB,
      abhaAddress: 'otherclinic77@sbx',
      patientId: patientA,
      careContexts: [...recent, visitB],
      ...consentRange(),
    });
    const body = hiRequestBody({ consentId: consentB, hiu, ...requestRange() });
    await requestData(hipB, body);
    const status = statusOf(await notifyFor(body.transactionId));
    expect(byRef(status)).toEqual({ [visitB]: 'DELIVERED' });
    expect(receivedFor(body.transactionId).map((d) => d.careContextReference)).toEqual([visitB]);

    // An artefact whose patient is another ABHA address than the one B's care context was linked
    // under releases nothing: FAILED, every care context ERRORED, nothing pushed.
    const consentOther = randomUUID();
    await grant(hipB, {
      consentId: consentOther,
      hipId: hipB,
      abhaAddress: secrets.abha,
      patientId: patientB,
      careContexts: [visitB],
      ...consentRange(),
    });
    const other = hiRequestBody({ consentId: consentOther, hiu, ...requestRange() });
    await requestData(hipB, other);
    const refusedStatus = statusOf(await notifyFor(other.transactionId));
    expect(refusedStatus.sessionStatus).toBe('FAILED');
    expect(byRef(refusedStatus)).toEqual({ [visitB]: 'ERRORED' });
    expect(receivedFor(other.transactionId)).toEqual([]);

    // Clinic A's consent asked for through clinic B's HIP id is not found there.
    const consentA = randomUUID();
    await grant(hipA, {
      consentId: consentA,
      hipId: hipA,
      abhaAddress: secrets.abha,
      patientId: patientA,
      careContexts: [...recent],
      ...consentRange(),
    });
    const cross = hiRequestBody({ consentId: consentA, hiu, ...requestRange() });
    const answer = await requestData(hipB, cross);
    expect(answer.body.error).toEqual({ code: 'ABDM-1039', message: 'Consent artefact not found' });
    // A consent naming another HIP is refused at notify.
    const wrongHip = await grant(hipB, {
      consentId: randomUUID(),
      hipId: hipA,
      abhaAddress: secrets.abha,
      patientId: patientA,
      careContexts: [...recent],
      ...consentRange(),
    });
    expect(wrongHip.body.error).toMatchObject({ code: 'ABDM-1039' });
    // Clinic B's staff never see clinic A's consents or patient.
    const view = await request(app.getHttpServer())
      .get(`/api/v1/patients/${patientA}/abdm`)
      .set(authHeaders(staffB.nurse.token, tenantB.id));
    expect(view.status).toBe(404);
    const seen = await asTenant(owner, tenantB.id, (tx) =>
      tx.query(`SELECT consent_id FROM clinical.abdm_consents WHERE consent_id = $1`, [consentA]),
    );
    expect(seen).toEqual([]);
  });

  it('answers a malformed notify or request with problem+json and stores nothing', async () => {
    // Deliberately off the contract: sent raw, not through the fake's checked consentNotify.
    const bad = await gw.callBridge(bridge, '/api/v3/consent/request/hip/notify', hipA, {
      notification: { status: 'GRANTED', consentId: 'c-1', consentDetail: {} },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.type).toMatch(/validation/);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toContain(
      'notification.consentDetail.hip',
    );
    const badRequest = await gw.callBridge(bridge, '/api/v3/hip/health-information/request', hipA, {
      transactionId: 'nope',
      hiRequest: {},
    });
    expect(badRequest.status).toBe(400);
    expect(badRequest.body.errors.map((e: { field: string }) => e.field)).toEqual(
      expect.arrayContaining(['transactionId', 'hiRequest.consent', 'hiRequest.keyMaterial']),
    );
    const [{ n }] = await owner.query(
      `SELECT count(*)::int AS n FROM clinical.abdm_inbox WHERE request_id = ANY ($1::uuid[])`,
      [[bad.requestId, badRequest.requestId]],
    );
    expect(n).toBe(0);
  });

  it('keeps clinical content, patient data, keys and URLs out of the logs', async () => {
    expect(logs.some((l) => /transfer .* transferred: 2 of 2 pages delivered/.test(l))).toBe(true);
    const text = logs.join('\n');
    const forbidden = [
      secrets.name,
      secrets.phone,
      secrets.abha,
      CONSULTATION.complaints[0].text,
      CONSULTATION.diagnoses[0].text,
      'Acute bronchiolitis',
      CONSULTATION.medications[0].drug,
      CONSULTATION.advice,
      hiu.dataPushUrl,
      hiu.requestKey().publicKey,
      hiu.requestKey().nonce,
      'Dr. Requester',
    ];
    for (const value of forbidden) {
      expect({ value, found: text.includes(value) }).toEqual({ value, found: false });
    }
  });
});
