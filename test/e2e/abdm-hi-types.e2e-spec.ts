/**
 * Needs: the project's PostgreSQL 15. More health-information types from one signed visit
 * (issue 22, item 5): the visit offers three care contexts (OPConsultation, Prescription,
 * WellnessRecord), discoverable and linkable through the gateway, and a consent releases only
 * the documents of the HI types it names: a consent naming only Prescription transfers only
 * the prescription bundle (NRCeS PrescriptionRecord), the same one the API renders.
 */
import { randomUUID } from 'node:crypto';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../../libs/database/src/data-source';
import { createAbdmTestApp, registerHip } from '../support/abdm';
import {
  grantedNotification,
  hiRequestBody,
  linkThroughGateway,
  signedVisit,
  type DiscoveredEntry,
} from '../support/abdm-consent';
import { loginAs, type LoggedIn } from '../support/auth';
import { ownerUrl } from '../support/env';
import { FakeAbdmGateway } from '../support/fake-abdm-gateway';
import { FakeHiu } from '../support/fake-hiu';
import { asTenant, newTenant } from '../support/fixtures';

const HI_NOTIFY = '/api/hiecm/data-flow/v3/health-information/notify';
const DAY = 86400_000;

describe('ABDM: prescription and wellness record care contexts of a visit', () => {
  let owner: DataSource;
  let gw: FakeAbdmGateway;
  let hiu: FakeHiu;
  let app: NestExpressApplication;
  let bridge: string;
  const PFX = `T${randomUUID().slice(0, 8)}-`;
  const hip = `${PFX}A`;
  const otherHip = `${PFX}B`;
  let tenant: { id: string };
  let staff: { rec: LoggedIn; nurse: LoggedIn; doc: LoggedIn };
  const secrets = { name: 'Meenakshi Ramaswamy', phone: '9845098765', abha: 'meenakshi61@sbx' };
  let patientId: string;
  let visit: string;
  const refs = () => ({
    op: visit,
    prescription: `${visit}:prescription`,
    vitals: `${visit}:vitals`,
  });

  beforeAll(async () => {
    owner = await createDataSource(ownerUrl(), 2).initialize();
    gw = await new FakeAbdmGateway().start();
    hiu = await FakeHiu.start();
    ({ app, url: bridge } = await createAbdmTestApp(gw, { hipIdPrefix: PFX }));
    tenant = await newTenant(owner, 'hi-types');
    await registerHip(owner, tenant.id, hip);
    await registerHip(owner, (await newTenant(owner, 'hi-types-other')).id, otherHip);
    const [rec, nurse, doc] = await Promise.all([
      loginAs(app, owner, tenant.id, ['receptionist']),
      loginAs(app, owner, tenant.id, ['nurse']),
      loginAs(app, owner, tenant.id, ['doctor']),
    ]);
    staff = { rec, nurse, doc };
    patientId = await asTenant(owner, tenant.id, async (tx) => {
      const [row] = await tx.query(
        `INSERT INTO clinical.patients (tenant_id, mrn, name_given, name_text, search_name, gender, birth_year, birth_date_approximate, phones, abha_address)
         VALUES ($1, $2, $3, $4, lower($4), 'female', 1961, true, $5, $6) RETURNING id`,
        [
          tenant.id,
          `MRN-${randomUUID().slice(0, 6)}`,
          [secrets.name],
          secrets.name,
          [`+91${secrets.phone}`],
          secrets.abha,
        ],
      );
      return row.id as string;
    });
    // CONSULTATION (test/support/abdm-consent.ts) has vitals and one medicine.
    visit = await signedVisit(app, tenant.id, staff, patientId, 'General Medicine');
  });

  afterAll(async () => {
    await app?.close();
    await hiu?.stop();
    await gw?.stop();
    await owner?.destroy();
  });

  const byType = (entries: DiscoveredEntry[]) =>
    Object.fromEntries(entries.map((e) => [e.hiType, e.careContexts.map((c) => c.referenceNumber)]));

  it('discovers one care context per HI type of the visit and links them all', async () => {
    const { onDiscover, onConfirm } = await linkThroughGateway({
      gw,
      bridge,
      owner,
      tenantId: tenant.id,
      hipId: hip,
      patient: {
        id: secrets.abha,
        name: secrets.name,
        gender: 'F',
        yearOfBirth: 1961,
        verifiedIdentifiers: [{ type: 'MOBILE', value: secrets.phone }],
        unverifiedIdentifiers: [],
      },
      refs: (offered) => offered.flatMap((e) => e.careContexts.map((c) => c.referenceNumber)),
    });
    const r = refs();
    expect(byType(onDiscover)).toEqual({
      OPConsultation: [r.op],
      Prescription: [r.prescription],
      WellnessRecord: [r.vitals],
    });
    expect(onDiscover.map((e) => [e.hiType, e.count, e.careContexts[0].display.split(',')[0]])).toEqual([
      ['OPConsultation', 1, 'Outpatient consultation'],
      ['Prescription', 1, 'Prescription'],
      ['WellnessRecord', 1, 'Vitals'],
    ]);
    expect(byType(onConfirm)).toEqual(byType(onDiscover));

    const links = await asTenant(owner, tenant.id, (tx) =>
      tx.query(
        `SELECT care_context_ref, hi_type FROM clinical.abdm_links WHERE patient_id = $1 ORDER BY hi_type`,
        [patientId],
      ),
    );
    expect(links).toEqual([
      { care_context_ref: visit, hi_type: 'OPConsultation' },
      { care_context_ref: visit, hi_type: 'Prescription' },
      { care_context_ref: visit, hi_type: 'WellnessRecord' },
    ]);
  });

  async function transfer(hiTypes: string[], careContexts: string[], atHip = hip) {
    const consentId = randomUUID();
    const granted = await gw.consentNotify(
      bridge,
      atHip,
      grantedNotification({
        consentId,
        hipId: atHip,
        abhaAddress: secrets.abha,
        patientId,
        careContexts,
        hiTypes,
        from: new Date(Date.now() - 30 * DAY),
        to: new Date(Date.now() + DAY),
      }),
    );
    expect((await gw.answerTo(granted.requestId)).body.acknowledgement).toEqual({ status: 'OK', consentId });
    const body = hiRequestBody({
      consentId,
      hiu,
      from: new Date(Date.now() - 30 * DAY),
      to: new Date(Date.now() + DAY / 2),
    });
    const r = await gw.hiRequest(bridge, atHip, body);
    expect(r.status).toBe(202);
    const onRequest = await gw.answerTo(r.requestId);
    expect(onRequest.body.hiRequest).toMatchObject({ sessionStatus: 'ACKNOWLEDGED' });
    const notify = await gw.callTo(
      HI_NOTIFY,
      (c) => (c.body.notification as { transactionId?: string }).transactionId === body.transactionId,
    );
    const status = (
      notify.body.notification as {
        statusNotification: {
          sessionStatus: string;
          statusResponses: { careContextReference: string; hiStatus: string }[];
        };
      }
    ).statusNotification;
    return {
      status,
      delivered: Object.fromEntries(status.statusResponses.map((s) => [s.careContextReference, s.hiStatus])),
      docs: hiu.received().filter((d) => d.transactionId === body.transactionId),
    };
  }

  it('transfers only the prescription bundle under a consent naming only Prescription', async () => {
    const r = refs();
    const { status, delivered, docs } = await transfer(['Prescription'], [r.op, r.prescription, r.vitals]);
    expect(status.sessionStatus).toBe('TRANSFERRED');
    expect(delivered).toEqual({ [r.prescription]: 'DELIVERED' });
    expect(hiu.rejections).toEqual([]);
    expect(docs.map((d) => d.careContextReference)).toEqual([r.prescription]);

    const bundle = JSON.parse(docs[0].text) as { entry: { resource: Record<string, unknown> }[] };
    const composition = bundle.entry[0].resource as {
      meta: { profile: string[] };
      type: { coding: { code: string }[] };
    };
    expect(composition.meta.profile).toEqual([
      'https://nrces.in/ndhm/fhir/r4/StructureDefinition/PrescriptionRecord',
    ]);
    expect(composition.type.coding[0].code).toBe('440545006');
    expect(bundle.entry.map((e) => e.resource.resourceType)).toEqual([
      'Composition',
      'Patient',
      'Practitioner',
      'Organization',
      'Encounter',
      'MedicationRequest',
    ]);
    expect(docs[0].text).toContain('Amoxicillin');
    expect(docs[0].text).not.toContain('Persistent cough');
  });

  it('needs both: a consent naming WellnessRecord but not its care context sends nothing of it', async () => {
    const r = refs();
    const both = await transfer(['OPConsultation', 'WellnessRecord'], [r.op, r.vitals]);
    expect(both.delivered).toEqual({ [r.op]: 'DELIVERED', [r.vitals]: 'DELIVERED' });
    const wellness = JSON.parse(both.docs.find((d) => d.careContextReference === r.vitals)!.text) as {
      entry: { resource: { resourceType: string; meta?: { profile?: string[] } } }[];
    };
    expect(wellness.entry[0].resource.meta?.profile).toEqual([
      'https://nrces.in/ndhm/fhir/r4/StructureDefinition/WellnessRecord',
    ]);
    expect(wellness.entry.filter((e) => e.resource.resourceType === 'Observation').length).toBeGreaterThan(0);

    const onlyOp = await transfer(['WellnessRecord', 'Prescription'], [r.op]);
    expect(onlyOp.docs).toEqual([]);
  });

  it("never releases this clinic's prescription under another clinic's consent", async () => {
    const r = refs();
    const other = await transfer(['Prescription', 'WellnessRecord'], [r.prescription, r.vitals], otherHip);
    expect(other.docs).toEqual([]);
    expect(Object.values(other.delivered).filter((s) => s === 'DELIVERED')).toEqual([]);
  });
});
