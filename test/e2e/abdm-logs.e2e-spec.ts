/**
 * Needs: the project's PostgreSQL 15 and a built API (`npm run build`; npm test does it).
 * The real API process at LOG_LEVEL=debug, with the ABDM processor on and a fake
 * gateway: a whole discovery -> link init -> wrong code -> confirm, a scan-and-share that
 * registers a patient, and a refused token, leave no name, phone, address, ABHA address or
 * number, code or token in its log.
 */
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../../libs/database/src/data-source';
import { registerHip } from '../support/abdm';
import { startApiProcess } from '../support/api-process';
import { ownerUrl } from '../support/env';
import { FakeAbdmGateway } from '../support/fake-abdm-gateway';
import { asTenant, newTenant } from '../support/fixtures';

describe('ABDM bridge: no patient data in the API process log', () => {
  let owner: DataSource;
  let gw: FakeAbdmGateway;

  beforeAll(async () => {
    owner = await createDataSource(ownerUrl(), 2).initialize();
    gw = await new FakeAbdmGateway().start();
  });

  afterAll(async () => {
    await gw?.stop();
    await owner?.destroy();
  });

  it('logs ids, states and reasons only', async () => {
    const tenant = await newTenant(owner, 'abdm-logs');
    const hipId = `T${randomUUID().slice(0, 8)}-L`;
    await registerHip(owner, tenant.id, hipId);
    const secrets = {
      name: 'Quetzalli Ramanathan',
      phone: '9812312345',
      abha: 'quetzalli4711@sbx',
      abhaNumber: '47114711471147',
    };
    const share = {
      name: 'Xochitl Venkataraman',
      phone: '9812398765',
      abha: 'xochitl4712@sbx',
      abhaNumber: '47124712471247',
      line: '42 Jacaranda Lane',
    };
    const patientId = await asTenant(owner, tenant.id, async (tx) => {
      const [p] = await tx.query(
        `INSERT INTO clinical.patients (tenant_id, mrn, name_given, name_text, search_name, gender, birth_year, birth_date_approximate, phones, abha_address, abha_number)
         VALUES ($1, 'MRN-LOG-1', $2, $3, lower($3), 'female', 1985, true, $4, $5, $6) RETURNING id`,
        [tenant.id, [secrets.name], secrets.name, [`+91${secrets.phone}`], secrets.abha, secrets.abhaNumber],
      );
      await tx.query(
        `INSERT INTO clinical.visits (tenant_id, patient_id, attending_doctor_id, department, scheduled_at, status, signed_at, signed_by)
         VALUES ($1, $2, $3, 'Dermatology', now(), 'finished', now(), $3)`,
        [tenant.id, p.id, randomUUID()],
      );
      return p.id as string;
    });

    const api = await startApiProcess({
      LOG_LEVEL: 'debug',
      ABDM_GATEWAY_URL: gw.url,
      ABDM_GATEWAY_ISSUER: gw.issuer,
      ABDM_GATEWAY_CLIENT_ID: gw.gatewayClientId,
      ABDM_CLIENT_ID: gw.clientId,
      ABDM_CLIENT_SECRET: gw.clientSecret,
      ABDM_CM_ID: gw.cmId,
      ABDM_PROCESSOR: 'on',
      ABDM_POLL_INTERVAL_MS: '50',
      ABDM_HIP_INITIATED_LINKING: 'off',
      ABDM_HIP_ID_PREFIX: hipId,
    });
    const bridge = `http://127.0.0.1:${api.port}`;
    const tokens: string[] = [];
    let otp: string;
    try {
      const d = await gw.discover(bridge, hipId, {
        id: secrets.abha,
        name: secrets.name,
        gender: 'F',
        yearOfBirth: 1985,
        verifiedIdentifiers: [{ type: 'MOBILE', value: secrets.phone }],
      });
      const found = (await gw.answerTo(d.requestId)).body.patient as {
        careContexts: { referenceNumber: string }[];
      }[];
      const init = await gw.linkInit(bridge, hipId, {
        transactionId: d.transactionId,
        abhaAddress: secrets.abha,
        patient: [
          {
            referenceNumber: patientId,
            careContexts: found[0].careContexts,
            hiType: 'OPConsultation',
            count: 1,
          },
        ],
      });
      const linkRef = ((await gw.answerTo(init.requestId)).body.link as { referenceNumber: string })
        .referenceNumber;
      const [sms] = await asTenant(owner, tenant.id, (tx) =>
        tx.query(`SELECT message FROM clinical.abdm_sms_sink`),
      );
      otp = /(\d{6})/.exec(sms.message)![1];
      const wrong = await gw.confirm(bridge, hipId, linkRef, otp === '999999' ? '999998' : '999999');
      await gw.answerTo(wrong.requestId);
      const ok = await gw.confirm(bridge, hipId, linkRef, otp);
      expect((await gw.answerTo(ok.requestId)).body.patient).toBeDefined();

      // Scan-and-share registers a new patient from a shared profile: its data stays out of the log too.
      const shared = await gw.share(bridge, hipId, {
        abhaNumber: share.abhaNumber,
        abhaAddress: share.abha,
        name: share.name,
        gender: 'M',
        yearOfBirth: '1977',
        address: { line: share.line, district: null, state: null, pincode: null },
        phoneNumber: share.phone,
      });
      expect((await gw.answerTo(shared.requestId)).body.acknowledgement).toMatchObject({ status: 'SUCCESS' });
      const expired = await gw.callbackToken({ issuedAtOffsetSeconds: -3600, expiresInSeconds: 60 });
      tokens.push(expired, await gw.callbackToken());
      const refused = await gw.callBridge(
        bridge,
        '/api/v3/hip/patient/care-context/discover',
        hipId,
        { transactionId: randomUUID(), patient: {} },
        randomUUID(),
        expired,
      );
      expect(refused.status).toBe(401);
    } finally {
      api.child.kill('SIGTERM');
      await new Promise((r) => api.child.once('exit', r));
      rmSync(api.keyDir, { recursive: true, force: true });
    }
    const logs = api.output();
    expect(logs).toMatch(/gateway callback refused: token/);
    expect(logs).toMatch(/sms written to the development sink/);
    const forbidden = [
      ...Object.values(secrets),
      ...Object.values(share),
      'Xochitl',
      `+91${secrets.phone}`,
      'Quetzalli',
      ...tokens,
      ...tokens.map((t) => t.split('.')[2]),
      `is your code`,
    ];
    for (const value of forbidden) {
      expect({ value: value.slice(0, 40), found: logs.includes(value) }).toEqual({
        value: value.slice(0, 40),
        found: false,
      });
    }
    expect(new RegExp(`\\b${otp}\\b`).test(logs)).toBe(false);
  });
});
