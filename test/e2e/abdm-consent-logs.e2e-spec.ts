/**
 * Needs: the project's PostgreSQL 15 and a built API (`npm run build`; npm test does it).
 * The real API process at LOG_LEVEL=debug, with the ABDM processor on, a fake gateway as
 * consent manager and a fake HIU: a consent granted, a health-information request transferred,
 * the consent revoked and the next request refused leave no patient data, clinical content,
 * HIU key material or push URL in its log (request logs included).
 */
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../../libs/database/src/data-source';
import { registerHip } from '../support/abdm';
import {
  CONSULTATION,
  grantedNotification,
  hiRequestBody,
  linkCareContexts,
  signedVisit,
} from '../support/abdm-consent';
import { startApiProcess } from '../support/api-process';
import { createUser, type LoggedIn } from '../support/auth';
import type { Role } from '../../libs/auth/src/roles';
import { ownerUrl } from '../support/env';
import { FakeAbdmGateway } from '../support/fake-abdm-gateway';
import { FakeHiu } from '../support/fake-hiu';
import { asTenant, newTenant } from '../support/fixtures';

const HI_NOTIFY = '/api/hiecm/data-flow/v3/health-information/notify';
const DAY = 86400_000;

describe('ABDM consents and transfer: no patient data in the API process log', () => {
  let owner: DataSource;
  let gw: FakeAbdmGateway;
  let hiu: FakeHiu;

  beforeAll(async () => {
    owner = await createDataSource(ownerUrl(), 2).initialize();
    gw = await new FakeAbdmGateway().start();
    hiu = await FakeHiu.start();
  });

  afterAll(async () => {
    await hiu?.stop();
    await gw?.stop();
    await owner?.destroy();
  });

  it('logs ids, counts and outcomes only', async () => {
    const tenant = await newTenant(owner, 'consent-logs');
    const hipId = `L${randomUUID().slice(0, 8)}-C`;
    await registerHip(owner, tenant.id, hipId);
    const secrets = { name: 'Ishbel Vanterpool', phone: '9833312345', abha: 'ishbel4242@sbx' };
    const patientId = await asTenant(owner, tenant.id, async (tx) => {
      const [p] = await tx.query(
        `INSERT INTO clinical.patients (tenant_id, mrn, name_given, name_text, search_name, gender, birth_year, birth_date_approximate, phones, abha_address)
         VALUES ($1, $2, $3, $4, lower($4), 'female', 1990, true, $5, $6) RETURNING id`,
        [
          tenant.id,
          `MRN-${randomUUID().slice(0, 6)}`,
          [secrets.name],
          secrets.name,
          [`+91${secrets.phone}`],
          secrets.abha,
        ],
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
    const base = `http://127.0.0.1:${api.port}`;
    const login = async (roles: Role[]): Promise<LoggedIn> => {
      const user = await createUser(owner, tenant.id, { roles });
      const res = await request(base)
        .post('/api/v1/auth/login')
        .set('X-Tenant-ID', tenant.id)
        .send({ email: user.email, password: user.password });
      expect(res.status).toBe(200);
      return { token: res.body.accessToken, refreshToken: res.body.refreshToken, userId: user.id, ...user };
    };
    const notifyFor = (transactionId: string) =>
      gw.callTo(
        HI_NOTIFY,
        (c) => (c.body.notification as { transactionId?: string }).transactionId === transactionId,
      );
    try {
      const staff = {
        rec: await login(['receptionist']),
        nurse: await login(['nurse']),
        doc: await login(['doctor']),
      };
      const visits = [
        await signedVisit(base, tenant.id, staff, patientId),
        await signedVisit(base, tenant.id, staff, patientId),
      ];
      await linkCareContexts(
        owner,
        tenant.id,
        hipId,
        patientId,
        secrets.abha,
        visits.map((id) => ({ id, hiType: 'OPConsultation' })),
      );
      const consentId = randomUUID();
      const range = { from: new Date(Date.now() - 30 * DAY), to: new Date(Date.now() + DAY) };
      const granted = await gw.consentNotify(
        base,
        hipId,
        grantedNotification({
          consentId,
          hipId,
          abhaAddress: secrets.abha,
          patientId,
          careContexts: visits,
          ...range,
        }),
      );
      await gw.answerTo(granted.requestId);
      const body = hiRequestBody({ consentId, hiu, from: range.from, to: new Date(Date.now() + DAY / 2) });
      await gw.hiRequest(base, hipId, body);
      const notify = await notifyFor(body.transactionId);
      expect(
        (notify.body.notification as { statusNotification: { sessionStatus: string } }).statusNotification
          .sessionStatus,
      ).toBe('TRANSFERRED');
      expect(hiu.received().filter((d) => d.transactionId === body.transactionId)).toHaveLength(2);

      const revoked = await gw.consentNotify(base, hipId, { status: 'REVOKED', consentId });
      await gw.answerTo(revoked.requestId);
      const again = await gw.hiRequest(
        base,
        hipId,
        hiRequestBody({ consentId, hiu, from: range.from, to: new Date(Date.now() + DAY / 2) }),
      );
      expect((await gw.answerTo(again.requestId)).body.error).toMatchObject({ code: 'ABDM-1039' });
    } finally {
      api.child.kill('SIGTERM');
      await new Promise((r) => api.child.once('exit', r));
      rmSync(api.keyDir, { recursive: true, force: true });
    }
    const logs = api.output();
    expect(logs).toMatch(/transfer [0-9a-f-]{36} transferred: 2 of 2 pages delivered/);
    const key = hiu.requestKey();
    const forbidden = [
      secrets.name,
      secrets.phone,
      secrets.abha,
      'Ishbel',
      CONSULTATION.complaints[0].text,
      CONSULTATION.diagnoses[0].text,
      CONSULTATION.medications[0].drug,
      CONSULTATION.advice,
      hiu.dataPushUrl,
      key.publicKey,
      key.nonce,
      'Dr. Requester',
      'c2lnbmF0dXJlLW9mLXRoZS1jb25zZW50LW1hbmFnZXI=',
    ];
    for (const value of forbidden) {
      expect({ value: value.slice(0, 40), found: logs.includes(value) }).toEqual({
        value: value.slice(0, 40),
        found: false,
      });
    }
  });
});
