/**
 * Needs: the project's PostgreSQL 15. The real-shaped corpus (test/fixtures/abdm: header sets and
 * bodies as the real gateway sends them) replayed through the whole HIP flow against the real
 * database: discover -> link init -> confirm -> consent -> health-information request ->
 * encrypted push decrypted by the fake HIU -> notify. Every call the bridge makes is checked
 * against contracts/abdm by the fake gateway and the fake HIU (a contract violation is refused
 * and recorded), every callback against it before it is sent. Variants: both discover
 * spellings; an HIU configured for single pages (the strict, reference-HIU behaviour: X.509
 * keys, one page, a gateway session token) and the default page per document for a lenient HIU,
 * a strict HIU refusing several pages, and a one-document transfer (one page either way).
 */
import { randomUUID } from 'node:crypto';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../../libs/database/src/data-source';
import { createAbdmTestApp, registerHip } from '../support/abdm';
import { signedVisit } from '../support/abdm-consent';
import { authHeaders, loginAs, type LoggedIn } from '../support/auth';
import { ownerUrl } from '../support/env';
import { FakeAbdmGateway, type RecordedCall } from '../support/fake-abdm-gateway';
import { FakeHiu } from '../support/fake-hiu';
import { asTenant, newTenant } from '../support/fixtures';

const DAY = 86400_000;
const HI_NOTIFY = '/api/hiecm/data-flow/v3/health-information/notify';

interface Variant {
  name: string;
  discover: 'discover.real-spelling' | 'discover.swagger-spelling';
  /** HIU ids given single pages (ABDM_SINGLE_PAGE_HIUS). */
  singlePageHius: string[];
  strictHiu: boolean;
  visits: number;
  /** What the HIU ends with. */
  expect: { session: 'TRANSFERRED' | 'FAILED'; pages: number; pageCount: number };
}

const HIU_ID = 'HIU-SYNTH-1';
const VARIANTS: Variant[] = [
  {
    name: 'strict HIU configured for single pages, real spellings',
    discover: 'discover.real-spelling',
    singlePageHius: [HIU_ID],
    strictHiu: true,
    visits: 2,
    expect: { session: 'TRANSFERRED', pages: 1, pageCount: 1 },
  },
  {
    name: 'lenient HIU, page per document (the default), swagger spellings',
    discover: 'discover.swagger-spelling',
    singlePageHius: [],
    strictHiu: false,
    visits: 2,
    expect: { session: 'TRANSFERRED', pages: 2, pageCount: 2 },
  },
  {
    name: 'strict HIU not configured: it refuses several pages, the notify says FAILED',
    discover: 'discover.real-spelling',
    singlePageHius: [],
    strictHiu: true,
    visits: 2,
    expect: { session: 'FAILED', pages: 0, pageCount: 0 },
  },
  {
    name: 'strict HIU, one document: one page by default',
    discover: 'discover.swagger-spelling',
    singlePageHius: [],
    strictHiu: true,
    visits: 1,
    expect: { session: 'TRANSFERRED', pages: 1, pageCount: 1 },
  },
];

describe.each(VARIANTS)('ABDM on the real network: $name', (variant) => {
  let owner: DataSource;
  let gw: FakeAbdmGateway;
  let hiu: FakeHiu;
  let app: NestExpressApplication;
  let bridge: string;
  const PFX = `R${randomUUID().slice(0, 8)}-`;
  const hipId = `${PFX}A`;
  let tenant: { id: string };
  let staff: { rec: LoggedIn; nurse: LoggedIn; doc: LoggedIn };
  const person = {
    name: 'Asha Synthetic',
    mobile: '9000000001',
    abhaAddress: `asha.${PFX.slice(1, 7).toLowerCase()}@sbx`,
  };
  let patientId: string;
  let visits: string[];

  beforeAll(async () => {
    owner = await createDataSource(ownerUrl(), 2).initialize();
    gw = await new FakeAbdmGateway().start();
    hiu = await FakeHiu.start({
      strict: variant.strictHiu,
      authorize: (h) => gw.isSessionAuthorization(h),
    });
    ({ app, url: bridge } = await createAbdmTestApp(gw, {
      hipIdPrefix: PFX,
      singlePageHius: variant.singlePageHius,
      // The JWKS at the public certs path: the default, pointing at the fake's.
      jwksUrl: gw.jwksUrl,
    }));
    gw.bridgeUrl = bridge;
    tenant = await newTenant(owner, 'abdm-real');
    await registerHip(owner, tenant.id, hipId);
    patientId = await asTenant(owner, tenant.id, async (tx) => {
      const [row] = await tx.query(
        `INSERT INTO clinical.patients (tenant_id, mrn, name_given, name_text, search_name, gender, birth_year, birth_date_approximate, phones, abha_address)
         VALUES ($1, $2, $3, $4, lower($4), 'female', 1990, true, $5, $6) RETURNING id`,
        [
          tenant.id,
          `MRN-${randomUUID().slice(0, 6)}`,
          [person.name],
          person.name,
          [`+91${person.mobile}`],
          person.abhaAddress,
        ],
      );
      return row.id as string;
    });
    const [rec, nurse, doc] = await Promise.all([
      loginAs(app, owner, tenant.id, ['receptionist']),
      loginAs(app, owner, tenant.id, ['nurse']),
      loginAs(app, owner, tenant.id, ['doctor']),
    ]);
    staff = { rec, nurse, doc };
    visits = [];
    for (let i = 0; i < variant.visits; i++) visits.push(await signedVisit(app, tenant.id, staff, patientId));
  });

  afterAll(async () => {
    await app?.close();
    await hiu?.stop();
    await gw?.stop();
    await owner?.destroy();
  });

  it('discover -> init -> confirm -> consent -> request -> push decrypted -> notify, every call within the contract', async () => {
    // Discover, as the real gateway sends it.
    const transactionId = randomUUID();
    const d = await gw.replay(bridge, variant.discover, { hipId, transactionId, ...person });
    expect(d.status).toBe(202);
    const onDiscover = await gw.answerTo(d.requestId);
    expect(onDiscover.body.matchedBy).toEqual(expect.arrayContaining(['ABHA_ADDRESS']));
    const entries = onDiscover.body.patient as {
      referenceNumber: string;
      careContexts: { referenceNumber: string }[];
      hiType: string;
    }[];
    // Each visit also offers its prescription and vitals (docs/abdm.md, HI types); this flow links the consultations.
    expect([...new Set(entries.map((p) => p.hiType))]).toEqual([
      'OPConsultation',
      'Prescription',
      'WellnessRecord',
    ]);
    const offered = entries.filter((p) => p.hiType === 'OPConsultation');
    expect(offered.flatMap((p) => p.careContexts.map((c) => c.referenceNumber)).sort()).toEqual(
      [...visits].sort(),
    );

    // Link init and confirm with the code the patient got by SMS.
    const init = await gw.replay(bridge, 'link-init', {
      hipId,
      transactionId,
      abhaAddress: person.abhaAddress,
      linkPatients: offered.map((p) => ({
        referenceNumber: p.referenceNumber,
        careContexts: p.careContexts.map((c) => ({ referenceNumber: c.referenceNumber })),
        hiType: 'OPConsultation',
        count: p.careContexts.length,
      })),
    });
    expect(init.status).toBe(202);
    const onInit = await gw.answerTo(init.requestId);
    const [sms] = await asTenant(owner, tenant.id, (tx) =>
      tx.query(`SELECT message FROM clinical.abdm_sms_sink ORDER BY created_at DESC LIMIT 1`),
    );
    const confirm = await gw.replay(bridge, 'link-confirm', {
      hipId,
      linkRefNumber: (onInit.body.link as { referenceNumber: string }).referenceNumber,
      otp: /(\d{6})/.exec(sms.message)![1],
    });
    const onConfirm = await gw.answerTo(confirm.requestId);
    expect(onConfirm.body.error).toBeUndefined();

    // The consent manager grants a consent over the linked care contexts.
    const consentId = randomUUID();
    const range = {
      from: new Date(Date.now() - 30 * DAY).toISOString(),
      to: new Date(Date.now() + DAY).toISOString(),
    };
    const granted = await gw.replay(bridge, 'consent-notify.granted', {
      hipId,
      consentId,
      createdAt: new Date().toISOString(),
      consentPatient: person.abhaAddress,
      consentCareContexts: visits.map((v) => ({ patientReference: patientId, careContextReference: v })),
      hiuId: HIU_ID,
      ...range,
      dataEraseAt: new Date(Date.now() + 30 * DAY).toISOString(),
    });
    expect((await gw.answerTo(granted.requestId)).body).toMatchObject({
      acknowledgement: { status: 'OK', consentId },
    });

    // The HIU's request (lowercase curve, X.509 key), then the push and the notify.
    const hiTransaction = randomUUID();
    const asked = await gw.replay(bridge, 'hi-request', {
      hipId,
      transactionId: hiTransaction,
      consentId,
      ...range,
      dataPushUrl: hiu.dataPushUrl,
      expiry: new Date(Date.now() + DAY).toISOString(),
      hiuPublicKey: hiu.requestKey().publicKey,
      hiuNonce: hiu.requestKey().nonce,
    });
    expect((await gw.answerTo(asked.requestId)).body).toMatchObject({
      hiRequest: { transactionId: hiTransaction, sessionStatus: 'ACKNOWLEDGED' },
    });
    const notify: RecordedCall = await gw.callTo(
      HI_NOTIFY,
      (c) => (c.body.notification as { transactionId?: string }).transactionId === hiTransaction,
    );
    const status = (
      notify.body.notification as {
        statusNotification: { sessionStatus: string; statusResponses: { hiStatus: string }[] };
      }
    ).statusNotification;
    expect(status.sessionStatus).toBe(variant.expect.session);
    expect(status.statusResponses).toHaveLength(visits.length);

    const got = hiu.received().filter((r) => r.transactionId === hiTransaction);
    if (variant.expect.session === 'TRANSFERRED') {
      expect(got.map((r) => r.careContextReference).sort()).toEqual([...visits].sort());
      expect(hiu.progress(hiTransaction)).toEqual({
        pages: variant.expect.pages,
        pageCount: variant.expect.pageCount,
      });
      // Byte for byte what the API renders for the visit.
      for (const r of got) {
        const fhir = await request(app.getHttpServer())
          .get(`/api/v1/visits/${r.careContextReference}/fhir`)
          .set(authHeaders(staff.doc.token, tenant.id));
        expect(JSON.parse(r.text)).toEqual(JSON.parse(fhir.text));
      }
    } else {
      expect(got).toEqual([]);
      expect(hiu.rejections.map((r) => r.reason)).toContain('multi-page');
    }
    // Nothing the bridge sent broke the contract (the fakes refuse and record what does).
    expect(gw.contractViolations).toEqual([]);
    expect(hiu.contractErrors).toEqual([]);
    expect(hiu.rejections.filter((r) => r.reason !== 'multi-page')).toEqual([]);
  });
});
