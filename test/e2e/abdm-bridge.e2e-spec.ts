/**
 * Needs: the project's PostgreSQL 15. The ABDM HIP bridge through HTTP, against
 * the real database and a fake ABDM gateway speaking the HIE-CM v3 protocol
 * (test/support/fake-abdm-gateway.ts): discovery -> link init -> confirm; refused
 * gateway tokens and headers store nothing; a replayed REQUEST-ID is processed
 * once; on-* answers survive a gateway outage and end `failed` when it lasts;
 * another clinic's HIP id never finds this clinic's patients; no patient data in logs.
 */
import { randomUUID } from 'node:crypto';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../../libs/database/src/data-source';
import { abdmConfigFor, createAbdmTestApp, eventually, registerHip } from '../support/abdm';
import { authHeaders, loginAs } from '../support/auth';
import { ownerUrl } from '../support/env';
import { FakeAbdmGateway } from '../support/fake-abdm-gateway';
import { asTenant, newTenant } from '../support/fixtures';

const DISCOVER = '/api/v3/hip/patient/care-context/discover';

describe('ABDM HIP bridge (user-initiated linking)', () => {
  let owner: DataSource;
  let gw: FakeAbdmGateway;
  let app: NestExpressApplication;
  let bridge: string;
  const logs: string[] = [];
  const logger = {
    log: (m: string) => logs.push(String(m)),
    warn: (m: string) => logs.push(String(m)),
    error: (m: string) => logs.push(String(m)),
    debug: (m: string) => logs.push(String(m)),
    verbose: (m: string) => logs.push(String(m)),
  };
  let tenantA: { id: string };
  let tenantB: { id: string };
  // This file's processor serves only its own HIP ids (others may run beside it on the same database).
  const PFX = `T${randomUUID().slice(0, 8)}-`;
  const hipA = `${PFX}A`;
  const hipB = `${PFX}B`;
  const secrets = {
    name: 'Ravindra Kumarswamy',
    phone: '9876501234',
    abha: 'ravindrakumar7@sbx',
    abhaNumber: '91234567890123',
  };
  let patientId: string;
  let visitIds: string[];

  async function insertPatient(
    tenantId: string,
    p: { name: string; phone: string; abha?: string; abhaNumber?: string; year: number; gender: string },
  ) {
    return asTenant(owner, tenantId, async (tx) => {
      const [row] = await tx.query(
        `INSERT INTO clinical.patients (tenant_id, mrn, name_given, name_text, search_name, gender, birth_year, birth_date_approximate, phones, abha_address, abha_number)
         VALUES ($1, $2, $3, $4, lower($4), $5, $6, true, $7, $8, $9) RETURNING id`,
        [
          tenantId,
          `MRN-${randomUUID().slice(0, 6)}`,
          [p.name],
          p.name,
          p.gender,
          p.year,
          [`+91${p.phone}`],
          p.abha ?? null,
          p.abhaNumber ?? null,
        ],
      );
      return row.id as string;
    });
  }

  async function insertSignedVisit(tenantId: string, pid: string, department: string) {
    return asTenant(owner, tenantId, async (tx) => {
      const doctor = randomUUID();
      const [row] = await tx.query(
        `INSERT INTO clinical.visits (tenant_id, patient_id, attending_doctor_id, department, scheduled_at, status, signed_at, signed_by)
         VALUES ($1, $2, $3, $4, now() - interval '1 day', 'finished', now(), $3) RETURNING id`,
        [tenantId, pid, doctor, department],
      );
      return row.id as string;
    });
  }

  const inboxCount = (requestId: string) =>
    owner
      .query(`SELECT count(*)::int AS n FROM clinical.abdm_inbox WHERE request_id = $1`, [requestId])
      .then((r) => r[0].n as number);

  const discoverPatient = (overrides: Record<string, unknown> = {}) => ({
    id: secrets.abha,
    name: secrets.name,
    gender: 'M',
    yearOfBirth: 1979,
    verifiedIdentifiers: [{ type: 'MOBILE', value: secrets.phone }],
    unverifiedIdentifiers: [],
    ...overrides,
  });

  beforeAll(async () => {
    owner = await createDataSource(ownerUrl(), 2).initialize();
    gw = await new FakeAbdmGateway().start();
    ({ app, url: bridge } = await createAbdmTestApp(gw, { hipIdPrefix: PFX }, logger));
    tenantA = await newTenant(owner, 'abdm-a');
    tenantB = await newTenant(owner, 'abdm-b');
    await registerHip(owner, tenantA.id, hipA);
    await registerHip(owner, tenantB.id, hipB);
    patientId = await insertPatient(tenantA.id, {
      name: secrets.name,
      phone: secrets.phone,
      abha: secrets.abha,
      abhaNumber: secrets.abhaNumber,
      year: 1980,
      gender: 'male',
    });
    visitIds = [
      await insertSignedVisit(tenantA.id, patientId, 'General Medicine'),
      await insertSignedVisit(tenantA.id, patientId, 'Cardiology'),
    ];
  });

  afterAll(async () => {
    await app?.close();
    await gw?.stop();
    await owner?.destroy();
  });

  it('discovers, sends a code, links with it, and shows the links to staff', async () => {
    const d = await gw.discover(bridge, hipA, discoverPatient());
    expect(d.status).toBe(202);
    const onDiscover = await gw.answerTo(d.requestId);
    expect(onDiscover.path).toBe('/api/hiecm/user-initiated-linking/v3/patient/care-context/on-discover');
    expect(onDiscover.headers['x-cm-id']).toBe('sbx'); // ours to the gateway; its callbacks carry none
    expect(onDiscover.headers['request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(onDiscover.body).toMatchObject({
      transactionId: d.transactionId,
      matchedBy: ['ABHA_ADDRESS', 'MOBILE'], // the v3 enum (was `abhaAddress` before issue 22)
      patient: [{ referenceNumber: patientId, display: secrets.name, hiType: 'OPConsultation', count: 2 }],
    });
    const contexts = (
      onDiscover.body.patient as { careContexts: { referenceNumber: string; display: string }[] }[]
    )[0].careContexts;
    expect(contexts.map((c) => c.referenceNumber).sort()).toEqual([...visitIds].sort());
    expect(contexts[0].display).toMatch(/^Outpatient consultation, /);

    const init = await gw.linkInit(bridge, hipA, {
      transactionId: d.transactionId,
      abhaAddress: secrets.abha,
      patient: [
        {
          referenceNumber: patientId,
          careContexts: [{ referenceNumber: visitIds[0] }],
          hiType: 'OPConsultation',
          count: 1,
        },
      ],
    });
    expect(init.status).toBe(202);
    const onInit = await gw.answerTo(init.requestId);
    expect(onInit.path).toBe('/api/hiecm/user-initiated-linking/v3/link/care-context/on-init');
    const link = onInit.body.link as {
      referenceNumber: string;
      authenticationType: string;
      meta: { communicationMedium: string };
    };
    expect(link).toMatchObject({ authenticationType: 'DIRECT', meta: { communicationMedium: 'MOBILE' } });

    // The code reached the development SMS sink; the database holds only its hash.
    const [sms] = await asTenant(owner, tenantA.id, (tx) =>
      tx.query(`SELECT phone, message FROM clinical.abdm_sms_sink ORDER BY created_at DESC LIMIT 1`),
    );
    expect(sms.phone).toBe(`+91${secrets.phone}`);
    const otp = /(\d{6})/.exec(sms.message)![1];
    const [tx] = await asTenant(owner, tenantA.id, (t) =>
      t.query(`SELECT otp_hash, state FROM clinical.abdm_transactions WHERE transaction_id = $1`, [
        d.transactionId,
      ]),
    );
    expect(tx.state).toBe('link_initiated');
    expect(tx.otp_hash).not.toContain(otp);

    const wrong = await gw.confirm(
      bridge,
      hipA,
      link.referenceNumber,
      otp === '000000' ? '111111' : '000000',
    );
    expect((await gw.answerTo(wrong.requestId)).body.error).toMatchObject({ code: 'ABDM-1035' });

    const ok = await gw.confirm(bridge, hipA, link.referenceNumber, otp);
    const onConfirm = await gw.answerTo(ok.requestId);
    expect(onConfirm.path).toBe('/api/hiecm/user-initiated-linking/v3/link/care-context/on-confirm');
    expect(onConfirm.body).toMatchObject({
      patient: [{ referenceNumber: patientId, careContexts: [{ referenceNumber: visitIds[0] }], count: 1 }],
    });

    const transitions = await asTenant(owner, tenantA.id, (t) =>
      t.query(
        `SELECT tr.from_state, tr.to_state, tr.cause, tr.request_id FROM clinical.abdm_transitions tr
           JOIN clinical.abdm_transactions x ON x.id = tr.transaction_ref WHERE x.transaction_id = $1 ORDER BY tr.id`,
        [d.transactionId],
      ),
    );
    expect(transitions.map((t: { to_state: string }) => t.to_state)).toEqual([
      'discovered',
      'link_initiated',
      'linked',
    ]);
    expect(transitions[2].request_id).toBe(ok.requestId);

    const staff = await loginAs(app, owner, tenantA.id, ['doctor']);
    const res = await request(app.getHttpServer())
      .get(`/api/v1/patients/${patientId}/abdm`)
      .set(authHeaders(staff.token, tenantA.id));
    expect(res.status).toBe(200);
    expect(res.body.links).toEqual([
      expect.objectContaining({
        careContextId: visitIds[0],
        abhaAddress: secrets.abha,
        hiType: 'OPConsultation',
      }),
    ]);
    expect(res.body.transactions[0]).toMatchObject({ transactionId: d.transactionId, state: 'linked' });

    // A new discovery offers only the visit not linked yet.
    const again = await gw.discover(bridge, hipA, discoverPatient());
    const contextsAgain = (
      (await gw.answerTo(again.requestId)).body.patient as { careContexts: { referenceNumber: string }[] }[]
    )[0].careContexts;
    expect(contextsAgain.map((c) => c.referenceNumber)).toEqual([visitIds[1]]);

    // Another clinic's staff cannot read these links.
    const other = await loginAs(app, owner, tenantB.id, ['doctor']);
    const foreign = await request(app.getHttpServer())
      .get(`/api/v1/patients/${patientId}/abdm`)
      .set(authHeaders(other.token, tenantB.id));
    expect(foreign.status).toBe(404);
  });

  it('answers a discovery that matches no one, or two people equally, with the specified error', async () => {
    const none = await gw.discover(
      bridge,
      hipA,
      discoverPatient({
        verifiedIdentifiers: [{ type: 'MOBILE', value: '9000000001' }],
        id: 'nobodyhere1@sbx',
      }),
    );
    expect((await gw.answerTo(none.requestId)).body).toMatchObject({
      transactionId: none.transactionId,
      error: { code: 'ABDM-1010' },
    });

    const shared = '9811122233';
    await insertPatient(tenantA.id, { name: 'Meena Iyer', phone: shared, year: 1990, gender: 'female' });
    await insertPatient(tenantA.id, { name: 'Meena Iyer', phone: shared, year: 1991, gender: 'female' });
    const two = await gw.discover(bridge, hipA, {
      id: 'meenaiyer90@sbx',
      name: 'Meena Iyer',
      gender: 'F',
      yearOfBirth: 1990,
      verifiedIdentifiers: [{ type: 'MOBILE', value: shared }],
    });
    const answer = await gw.answerTo(two.requestId);
    expect(answer.body.error).toMatchObject({
      code: 'ABDM-1010',
      message: expect.stringMatching(/More than one/),
    });
    expect(answer.body.patient).toBeUndefined();
  });

  it("another clinic's HIP id never finds this clinic's patients", async () => {
    const d = await gw.discover(
      bridge,
      hipB,
      discoverPatient({
        verifiedIdentifiers: [
          { type: 'MOBILE', value: secrets.phone },
          { type: 'ABHA_NUMBER', value: secrets.abhaNumber },
        ],
      }),
    );
    expect(d.status).toBe(202);
    const answer = await gw.answerTo(d.requestId);
    expect(answer.body.error).toMatchObject({ code: 'ABDM-1010' });
    expect(JSON.stringify(answer.body)).not.toContain(patientId);
    const rows = await asTenant(owner, tenantB.id, (tx) =>
      tx.query(`SELECT state, patient_id FROM clinical.abdm_transactions WHERE transaction_id = $1`, [
        d.transactionId,
      ]),
    );
    expect(rows).toEqual([{ state: 'no_match', patient_id: null }]);
  });

  it('refuses forged, expired, wrong-algorithm, unknown-kid, HS-confused and wrongly issued tokens, storing nothing', async () => {
    const unknownKid = await gw.addKey('RS256', false);
    const cases: Record<string, string> = {
      forged: await gw.callbackToken({ foreignKey: true }),
      expired: await gw.callbackToken({ issuedAtOffsetSeconds: -3600, expiresInSeconds: 600 }),
      none: await gw.callbackToken({ alg: 'none' }),
      hsConfused: await gw.callbackToken({ alg: 'HS256' }),
      unknownKid: await gw.callbackToken({ kid: unknownKid }),
      wrongIssuer: await gw.callbackToken({ issuer: 'https://evil.test/auth' }),
      wrongClient: await gw.callbackToken({ clientId: 'some-hiu' }),
      garbage: 'not.a.token',
    };
    const fetchesBefore = gw.jwksFetches;
    for (const [name, token] of Object.entries(cases)) {
      const r = await gw.callBridge(
        bridge,
        DISCOVER,
        hipA,
        { transactionId: randomUUID(), patient: discoverPatient() },
        randomUUID(),
        token,
      );
      expect({ name, status: r.status, type: r.body?.type }).toEqual({
        name,
        status: 401,
        type: 'urn:hims:problem:unauthenticated',
      });
      expect(await inboxCount(r.requestId)).toBe(0);
    }
    // An unknown kid made the key set be fetched again at most once in the minute.
    expect(gw.jwksFetches - fetchesBefore).toBeLessThanOrEqual(1);

    const rs512 = await gw.addKey('RS512', true);
    expect(rs512).toBeDefined();
    const noHeader = await fetch(bridge + DISCOVER, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(noHeader.status).toBe(401);
  });

  it('refuses missing or stale headers and unknown HIP ids with 400, storing nothing', async () => {
    const body = JSON.stringify({ transactionId: randomUUID(), patient: discoverPatient() });
    const good = await gw.callbackHeaders(hipA);
    const variants: Record<string, Record<string, string>> = {
      noRequestId: { ...good, 'REQUEST-ID': '' },
      badRequestId: { ...good, 'REQUEST-ID': 'abc' },
      staleTimestamp: {
        ...good,
        'REQUEST-ID': randomUUID(),
        TIMESTAMP: new Date(Date.now() - 3600_000).toISOString(),
      },
      noHip: { ...good, 'REQUEST-ID': randomUUID(), 'X-HIP-ID': '' },
      unknownHip: { ...good, 'REQUEST-ID': randomUUID(), 'X-HIP-ID': 'HIP-NOBODY' },
    };
    for (const [name, headers] of Object.entries(variants)) {
      const res = await fetch(bridge + DISCOVER, { method: 'POST', headers, body });
      expect({ name, status: res.status, ct: res.headers.get('content-type') }).toEqual({
        name,
        status: 400,
        ct: expect.stringContaining('application/problem+json'),
      });
      if (/^[0-9a-f-]{36}$/.test(headers['REQUEST-ID']))
        expect(await inboxCount(headers['REQUEST-ID'])).toBe(0);
    }
    const badBody = await gw.callBridge(bridge, DISCOVER, hipA, {
      transactionId: 'x',
      patient: { name: '' },
    });
    expect(badBody.status).toBe(400);
    expect(badBody.body.type).toBe('urn:hims:problem:validation-failed');
    expect(await inboxCount(badBody.requestId)).toBe(0);
  });

  it('acknowledges a replayed REQUEST-ID again and processes it once', async () => {
    const requestId = randomUUID();
    const transactionId = randomUUID();
    const first = await gw.discover(bridge, hipA, discoverPatient(), transactionId, requestId);
    const replay = await gw.discover(bridge, hipA, discoverPatient(), transactionId, requestId);
    expect([first.status, replay.status]).toEqual([202, 202]);
    expect(await inboxCount(requestId)).toBe(1);
    await gw.answerTo(requestId);
    // A later callback is processed after the replay would have been: still one answer.
    const later = await gw.discover(bridge, hipA, discoverPatient());
    await gw.answerTo(later.requestId);
    expect(gw.answersTo(requestId)).toHaveLength(1);
  });

  it('retries on-* calls while the gateway is down, then delivers; a long outage ends failed', async () => {
    gw.failNext = 3;
    const d = await gw.discover(bridge, hipA, discoverPatient());
    const answer = await gw.answerTo(d.requestId);
    expect(answer.body.transactionId).toBe(d.transactionId);
    // The gateway has the answer; the bridge records the delivery right after.
    const out = await eventually(
      async () => {
        const [row] = await asTenant(owner, tenantA.id, (tx) =>
          tx.query(`SELECT status, attempts FROM clinical.abdm_outbound WHERE in_reply_to = $1`, [
            d.requestId,
          ]),
        );
        return row?.status === 'sent' ? row : undefined;
      },
      20000,
      'the delivery to be recorded',
    );
    expect(out).toEqual({ status: 'sent', attempts: 4 });

    gw.down = true;
    try {
      const lost = await gw.discover(bridge, hipA, discoverPatient());
      const failed = await eventually(
        async () => {
          const [row] = await asTenant(owner, tenantA.id, (tx) =>
            tx.query(
              `SELECT o.status, o.attempts, x.state FROM clinical.abdm_outbound o JOIN clinical.abdm_transactions x ON x.id = o.transaction_ref WHERE o.in_reply_to = $1`,
              [lost.requestId],
            ),
          );
          return row?.status === 'failed' ? row : undefined;
        },
        30000,
        'the on-discover call to fail for good',
      );
      expect(failed).toEqual({ status: 'failed', attempts: abdmConfigFor(gw).maxAttempts, state: 'failed' });
    } finally {
      gw.down = false;
    }
    expect(gw.sessionsIssued).toBe(1); // one cached session token served every call
  });

  async function discoverAndInit(): Promise<{ transactionId: string; linkRef: string }> {
    const d = await gw.discover(bridge, hipA, discoverPatient());
    const found = (await gw.answerTo(d.requestId)).body.patient as {
      careContexts: { referenceNumber: string }[];
    }[];
    const init = await gw.linkInit(bridge, hipA, {
      transactionId: d.transactionId,
      abhaAddress: secrets.abha,
      patient: [
        {
          referenceNumber: patientId,
          careContexts: [found[0].careContexts[0]],
          hiType: 'OPConsultation',
          count: 1,
        },
      ],
    });
    const onInit = await gw.answerTo(init.requestId);
    return {
      transactionId: d.transactionId,
      linkRef: (onInit.body.link as { referenceNumber: string }).referenceNumber,
    };
  }

  const stateOf = async (transactionId: string) =>
    (
      await asTenant(owner, tenantA.id, (tx) =>
        tx.query(`SELECT state FROM clinical.abdm_transactions WHERE transaction_id = $1`, [transactionId]),
      )
    )[0].state as string;

  it('ends a link whose code expired, or was guessed wrong too often, and refuses a second confirm', async () => {
    const expiring = await discoverAndInit();
    await asTenant(owner, tenantA.id, (tx) =>
      tx.query(
        `UPDATE clinical.abdm_transactions SET otp_expires_at = now() - interval '1 second' WHERE transaction_id = $1`,
        [expiring.transactionId],
      ),
    );
    const late = await gw.confirm(bridge, hipA, expiring.linkRef, '123456');
    expect((await gw.answerTo(late.requestId)).body.error).toMatchObject({
      code: 'ABDM-1035',
      message: 'OTP expired',
    });
    expect(await stateOf(expiring.transactionId)).toBe('expired');

    const guessed = await discoverAndInit();
    const answers = [];
    for (let i = 0; i < abdmConfigFor(gw).otpMaxAttempts; i++) {
      const r = await gw.confirm(bridge, hipA, guessed.linkRef, 'abc' + i);
      answers.push((await gw.answerTo(r.requestId)).body.error);
    }
    expect(answers[answers.length - 1]).toMatchObject({ message: 'Too many incorrect OTP attempts' });
    expect(await stateOf(guessed.transactionId)).toBe('failed');
    const after = await gw.confirm(bridge, hipA, guessed.linkRef, '000000');
    expect((await gw.answerTo(after.requestId)).body.error).toMatchObject({ code: 'ABDM-1056' });
  });

  it('lets a clinic admin register its HIP id (unique across clinics) and see transactions; a disabled HIP id is refused', async () => {
    const admin = await loginAs(app, owner, tenantB.id, ['tenant_admin']);
    const nurse = await loginAs(app, owner, tenantB.id, ['nurse']);
    const server = app.getHttpServer();
    const taken = await request(server)
      .put('/api/v1/abdm/hip')
      .set(authHeaders(admin.token, tenantB.id))
      .send({ hipId: hipA });
    expect(taken.status).toBe(409);
    const forbidden = await request(server)
      .put('/api/v1/abdm/hip')
      .set(authHeaders(nurse.token, tenantB.id))
      .send({ hipId: 'HIP-X' });
    expect(forbidden.status).toBe(403);
    const disabledHip = `${PFX}D`;
    const ok = await request(server)
      .put('/api/v1/abdm/hip')
      .set(authHeaders(admin.token, tenantB.id))
      .send({ hipId: disabledHip, name: 'Clinic B', enabled: false });
    expect(ok.status).toBe(200);
    expect(ok.body.items).toEqual(
      expect.arrayContaining([
        { hip_id: disabledHip, name: 'Clinic B', enabled: false, auto_link: false, sms_notify: false },
      ]),
    );
    const refused = await gw.discover(bridge, disabledHip, discoverPatient());
    expect(refused.status).toBe(400);
    expect(await inboxCount(refused.requestId)).toBe(0);

    const adminA = await loginAs(app, owner, tenantA.id, ['tenant_admin']);
    const list = await request(server)
      .get('/api/v1/abdm/transactions?limit=100')
      .set(authHeaders(adminA.token, tenantA.id));
    expect(list.status).toBe(200);
    const linked = list.body.items.find((t: { state: string }) => t.state === 'linked');
    expect(linked.transitions.map((t: { to: string }) => t.to)).toEqual([
      'discovered',
      'link_initiated',
      'linked',
    ]);
    expect(
      list.body.items.some(
        (t: { state: string; failure: string | null }) =>
          // What the gateway said (issue 22), not only `HTTP 503`.
          t.state === 'failed' && t.failure === 'ABDM-1019: Dependent Service Unavailable',
      ),
    ).toBe(true);
    const listB = await request(server)
      .get('/api/v1/abdm/transactions')
      .set(authHeaders(admin.token, tenantB.id));
    expect(listB.body.items.every((t: { hipId: string }) => t.hipId === hipB)).toBe(true);
  });

  it('logs ids and reasons only: no name, phone, ABHA address or number, or code', () => {
    expect(logs.length).toBeGreaterThan(0);
    const text = logs.join('\n');
    for (const value of [secrets.name, secrets.phone, secrets.abha, secrets.abhaNumber, 'Meena']) {
      expect(text).not.toContain(value);
    }
    expect(text).not.toMatch(/is your code/);
  });
});
