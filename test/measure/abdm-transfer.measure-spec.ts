/**
 * Needs: the project's PostgreSQL 15. A measurement, not a check of speed: the time from a
 * health-information request to the consent manager receiving the notify, for a consent over
 * 50 signed visits (render 50 FHIR documents, encrypt 50 pages, push them to the fake HIU,
 * which decrypts each, record and audit the outcome), through the real bridge and database.
 * Prints the figures and one transfer's audit trail; asserts only that the transfer happened.
 * Run: npx jest --selectProjects measure (bench/README.md); not part of npm test.
 */
import { randomUUID } from 'node:crypto';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../../libs/database/src/data-source';
import { createAbdmTestApp, registerHip } from '../support/abdm';
import { grantedNotification, hiRequestBody, linkCareContexts, signedVisit } from '../support/abdm-consent';
import { loginAs } from '../support/auth';
import { ownerUrl } from '../support/env';
import { FakeAbdmGateway } from '../support/fake-abdm-gateway';
import { FakeHiu } from '../support/fake-hiu';
import { asTenant, newTenant } from '../support/fixtures';

const VISITS = Number(process.env.MEASURE_VISITS ?? 50);
const ROUNDS = Number(process.env.MEASURE_ROUNDS ?? 3);
const HI_NOTIFY = '/api/hiecm/data-flow/v3/health-information/notify';
const DAY = 86400_000;

describe('ABDM transfer of a 50-visit consent (measurement)', () => {
  let owner: DataSource;
  let gw: FakeAbdmGateway;
  let hiu: FakeHiu;
  let app: NestExpressApplication;
  let bridge: string;
  let hipId: string;

  beforeAll(async () => {
    owner = await createDataSource(ownerUrl(), 2).initialize();
    gw = await new FakeAbdmGateway().start();
    hiu = await FakeHiu.start();
    const hipPrefix = `M${randomUUID().slice(0, 8)}-`;
    ({ app, url: bridge } = await createAbdmTestApp(gw, { hipIdPrefix: hipPrefix }));
    hipId = `${hipPrefix}A`;
  });

  afterAll(async () => {
    await app?.close();
    await hiu?.stop();
    await gw?.stop();
    await owner?.destroy();
  });

  it(`encrypts and pushes ${VISITS} visits end to end`, async () => {
    const tenant = await newTenant(owner, 'measure');
    await registerHip(owner, tenant.id, hipId);
    const [rec, nurse, doc] = await Promise.all([
      loginAs(app, owner, tenant.id, ['receptionist']),
      loginAs(app, owner, tenant.id, ['nurse']),
      loginAs(app, owner, tenant.id, ['doctor']),
    ]);
    const abha = `measure${randomUUID().slice(0, 6)}@sbx`;
    const patientId = await asTenant(owner, tenant.id, async (tx) => {
      const [row] = await tx.query(
        `INSERT INTO clinical.patients (tenant_id, mrn, name_given, name_text, search_name, gender, birth_year, birth_date_approximate, abha_address)
         VALUES ($1, $2, '{Measure}', 'Measure Patient', 'measure patient', 'male', 1970, true, $3) RETURNING id`,
        [tenant.id, `MRN-${randomUUID().slice(0, 6)}`, abha],
      );
      return row.id as string;
    });
    // One visit signed through the API, the rest copies of it (same content, new ids).
    const first = await signedVisit(app, tenant.id, { rec, nurse, doc }, patientId);
    const copies: string[] = await asTenant(owner, tenant.id, async (tx) => {
      const rows = await tx.query(
        `INSERT INTO clinical.visits (tenant_id, patient_id, attending_doctor_id, department, scheduled_at, started_at,
                                      ended_at, status, reason, content, content_version, signed_at, signed_by)
         SELECT tenant_id, patient_id, attending_doctor_id, department, scheduled_at - make_interval(hours => g),
                started_at - make_interval(hours => g), ended_at - make_interval(hours => g), status, reason,
                content, content_version, signed_at, signed_by
           FROM clinical.visits, generate_series(1, $2) AS g WHERE id = $1 RETURNING id`,
        [first, VISITS - 1],
      );
      return rows.map((r: { id: string }) => r.id);
    });
    const visits = [first, ...copies];
    await linkCareContexts(
      owner,
      tenant.id,
      hipId,
      patientId,
      abha,
      visits.map((id) => ({ id, hiType: 'OPConsultation' })),
    );
    const consentId = randomUUID();
    const range = { from: new Date(Date.now() - 30 * DAY), to: new Date(Date.now() + DAY) };
    const granted = await gw.consentNotify(
      bridge,
      hipId,
      grantedNotification({
        consentId,
        hipId,
        abhaAddress: abha,
        patientId,
        careContexts: visits,
        ...range,
      }),
    );
    await gw.answerTo(granted.requestId);

    const samples: number[] = [];
    let last = { transactionId: '', bytes: 0 };
    for (let round = 0; round <= ROUNDS; round++) {
      const body = hiRequestBody({
        consentId,
        hiu,
        from: range.from,
        to: new Date(range.to.getTime() - 60_000),
      });
      const start = process.hrtime.bigint();
      await gw.hiRequest(bridge, hipId, body);
      const notify = await gw.callTo(
        HI_NOTIFY,
        (c) => (c.body.notification as { transactionId?: string }).transactionId === body.transactionId,
        120_000,
      );
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      const s = (
        notify.body.notification as {
          statusNotification: { sessionStatus: string; statusResponses: unknown[] };
        }
      ).statusNotification;
      expect(s.sessionStatus).toBe('TRANSFERRED');
      expect(s.statusResponses).toHaveLength(VISITS);
      if (round > 0) samples.push(ms); // round 0 warms up
      const [row] = await asTenant(owner, tenant.id, (tx) =>
        tx.query(`SELECT bytes FROM clinical.abdm_hi_requests WHERE transaction_id = $1`, [
          body.transactionId,
        ]),
      );
      last = { transactionId: body.transactionId, bytes: Number(row.bytes) };
    }
    samples.sort((a, b) => a - b);
    const trail = await asTenant(owner, tenant.id, async (tx) => {
      const [req] = await tx.query(
        `SELECT id, request_id FROM clinical.abdm_hi_requests WHERE transaction_id = $1`,
        [last.transactionId],
      );
      // The request, its row changes, the on-request answer and the notify (queued and delivered).
      return tx.query(
        `SELECT occurred_at, action, entity_type, coalesce(details, changes) AS what FROM audit.audit_log
          WHERE details ->> 'transactionId' = $1 OR entity_id IN ($2::text, $3::text)
             OR entity_id IN (SELECT o.request_id::text FROM clinical.abdm_outbound o
                               WHERE o.in_reply_to = $3::uuid
                                  OR o.body #>> '{notification,transactionId}' = $1)
          ORDER BY occurred_at, seq`,
        [last.transactionId, req.id, req.request_id],
      );
    });
    const fmt = (v: unknown) => JSON.stringify(v).slice(0, 300);
    process.stdout.write(
      [
        `\n${VISITS}-visit consent, request -> notify at the consent manager (${ROUNDS} rounds after a warm-up):`,
        `  median ${samples[Math.floor(samples.length / 2)].toFixed(0)} ms, min ${samples[0].toFixed(0)} ms, max ${samples[samples.length - 1].toFixed(0)} ms; ${last.bytes} bytes pushed per transfer`,
        `audit trail of transfer ${last.transactionId} (${trail.length} rows):`,
        ...trail.map(
          (r: { occurred_at: Date; action: string; entity_type: string; what: unknown }) =>
            `  ${r.occurred_at.toISOString().slice(11, 23)} ${r.action} ${r.entity_type} ${fmt(r.what)}`,
        ),
        '',
      ].join('\n'),
    );
  });
});
