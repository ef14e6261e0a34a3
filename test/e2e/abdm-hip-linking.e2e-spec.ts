/**
 * Needs: the project's PostgreSQL 15. HIP-initiated linking through the fake
 * gateway: a clinic whose HIP id has auto_link on gets each signed visit of a
 * patient with an ABHA address linked (generate-token -> on-generate-token ->
 * link/carecontext with X-LINK-TOKEN -> on_carecontext), every step a recorded
 * transition; patients without an ABHA address and clinics that did not opt in are left alone.
 */
import { randomUUID } from 'node:crypto';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../../libs/database/src/data-source';
import { createAbdmTestApp, eventually, registerHip } from '../support/abdm';
import { ownerUrl } from '../support/env';
import { FakeAbdmGateway } from '../support/fake-abdm-gateway';
import { asTenant, newTenant } from '../support/fixtures';

describe('ABDM HIP-initiated linking', () => {
  const PFX = `T${randomUUID().slice(0, 8)}-`;
  let owner: DataSource;
  let gw: FakeAbdmGateway;
  let app: NestExpressApplication;

  async function patientWithSignedVisit(tenantId: string, abha: string | null) {
    return asTenant(owner, tenantId, async (tx) => {
      const [p] = await tx.query(
        `INSERT INTO clinical.patients (tenant_id, mrn, name_given, name_text, search_name, gender, birth_year, birth_date_approximate, phones, abha_address)
         VALUES ($1, $2, '{Asha}', 'Asha Verma', 'asha verma', 'female', 1992, true, '{+919800011122}', $3) RETURNING id`,
        [tenantId, `MRN-${randomUUID().slice(0, 6)}`, abha],
      );
      const [v] = await tx.query(
        `INSERT INTO clinical.visits (tenant_id, patient_id, attending_doctor_id, department, scheduled_at, status, signed_at, signed_by)
         VALUES ($1, $2, $3, 'Paediatrics', now(), 'finished', now(), $3) RETURNING id`,
        [tenantId, p.id, randomUUID()],
      );
      return { patientId: p.id as string, visitId: v.id as string };
    });
  }

  beforeAll(async () => {
    owner = await createDataSource(ownerUrl(), 2).initialize();
    gw = await new FakeAbdmGateway().start();
    let url: string;
    ({ app, url } = await createAbdmTestApp(gw, { hipInitiatedLinking: true, hipIdPrefix: PFX }));
    gw.bridgeUrl = url;
  });

  afterAll(async () => {
    await app?.close();
    await gw?.stop();
    await owner?.destroy();
  });

  it('links a signed visit of a patient with an ABHA address on its own', async () => {
    const tenant = await newTenant(owner, 'abdm-auto');
    const hipId = `${PFX}AUTO`;
    await registerHip(owner, tenant.id, hipId);
    await asTenant(owner, tenant.id, (tx) =>
      tx.query(`UPDATE core.abdm_hips SET auto_link = true WHERE hip_id = $1`, [hipId]),
    );
    const withAbha = await patientWithSignedVisit(tenant.id, `ashaverma${randomUUID().slice(0, 4)}@sbx`);
    const withoutAbha = await patientWithSignedVisit(tenant.id, null);
    const optedOut = await newTenant(owner, 'abdm-noauto');
    await registerHip(owner, optedOut.id, `${PFX}NO`);
    const untouched = await patientWithSignedVisit(optedOut.id, `ashanoauto${randomUUID().slice(0, 4)}@sbx`);

    const link = await eventually(
      async () => {
        const [row] = await asTenant(owner, tenant.id, (tx) =>
          tx.query(`SELECT care_context_ref, hi_type FROM clinical.abdm_links WHERE care_context_ref = $1`, [
            withAbha.visitId,
          ]),
        );
        return row;
      },
      30000,
      'the visit to be linked',
    );
    expect(link).toEqual({ care_context_ref: withAbha.visitId, hi_type: 'OPConsultation' });

    const tokenCall = gw.calls.find((c) => c.path === '/api/hiecm/v3/token/generate-token');
    expect(tokenCall?.headers['x-hip-id']).toBe(hipId);
    expect(tokenCall?.body).toMatchObject({ name: 'Asha Verma', gender: 'F', yearOfBirth: 1992 });
    const linkCall = gw.calls.find((c) => c.path === '/api/hiecm/hip/v3/link/carecontext');
    expect(linkCall?.headers['x-link-token']).toMatch(/^link-/);
    expect(linkCall?.body).toMatchObject({
      patient: [
        {
          referenceNumber: withAbha.patientId,
          careContexts: [{ referenceNumber: withAbha.visitId }],
          hiType: 'OPConsultation',
          count: 1,
        },
      ],
    });

    const states = await asTenant(owner, tenant.id, (tx) =>
      tx.query(
        `SELECT tr.to_state FROM clinical.abdm_transitions tr JOIN clinical.abdm_transactions t ON t.id = tr.transaction_ref
          WHERE t.visit_ref = $1 ORDER BY tr.id`,
        [withAbha.visitId],
      ),
    );
    expect(states.map((s: { to_state: string }) => s.to_state)).toEqual([
      'token_requested',
      'linking',
      'linked',
    ]);

    const others = await asTenant(owner, tenant.id, (tx) =>
      tx.query(`SELECT count(*)::int AS n FROM clinical.abdm_transactions WHERE visit_ref = $1`, [
        withoutAbha.visitId,
      ]),
    );
    expect(others[0].n).toBe(0);
    const foreign = await asTenant(owner, optedOut.id, (tx) =>
      tx.query(`SELECT count(*)::int AS n FROM clinical.abdm_transactions WHERE visit_ref = $1`, [
        untouched.visitId,
      ]),
    );
    expect(foreign[0].n).toBe(0);
  });
});
