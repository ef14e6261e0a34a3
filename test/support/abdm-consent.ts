/**
 * Test data for the consent and health-information flow (issue 13): signed visits made through
 * the HTTP API, care contexts linked as part 1 would have linked them, and the consent
 * manager's notify and health-information request bodies (HIE-CM v3).
 */
import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { authHeaders, type LoggedIn } from './auth';
import { asTenant } from './fixtures';
import type { FakeAbdmGateway } from './fake-abdm-gateway';
import type { FakeHiu } from './fake-hiu';

export const CONSULTATION = {
  vitals: {
    pulsePerMin: 84,
    systolicMmHg: 124,
    diastolicMmHg: 82,
    temperatureCel: 38.1,
    weightKg: 68,
    heightCm: 171,
  },
  complaints: [{ text: 'Persistent cough', snomed: '49727002', clinicalStatus: 'active' }],
  diagnoses: [{ text: 'Acute bronchitis', icd10: 'J20.9', clinicalStatus: 'active' }],
  medications: [
    {
      drug: 'Amoxicillin',
      strength: '500 mg',
      dose: '1 capsule',
      route: 'oral',
      frequency: 'three times a day',
      durationDays: 5,
    },
  ],
  advice: 'Steam inhalation',
};

/** Books, starts, records and signs a visit through the API as a clinic's staff would; returns its id. */
export async function signedVisit(
  app: INestApplication | string,
  tenantId: string,
  staff: { rec: LoggedIn; nurse: LoggedIn; doc: LoggedIn },
  patientId: string,
  department = 'General Medicine',
): Promise<string> {
  // An in-process app, or the base URL of an API process.
  const server = typeof app === 'string' ? app : app.getHttpServer();
  const as = (u: LoggedIn) => authHeaders(u.token, tenantId);
  const booked = await request(server).post(`/api/v1/patients/${patientId}/visits`).set(as(staff.rec)).send({
    attendingDoctorId: staff.doc.userId,
    department,
    scheduledAt: new Date().toISOString(),
    reason: 'Cough',
  });
  if (booked.status !== 201) throw new Error(`book: ${booked.status} ${JSON.stringify(booked.body)}`);
  const id = booked.body.id as string;
  const step = async (u: LoggedIn, status: string) => {
    const res = await request(server).post(`/api/v1/visits/${id}/status`).set(as(u)).send({ status });
    if (res.status !== 200) throw new Error(`${status}: ${res.status}`);
    return res.body.version as number;
  };
  await step(staff.rec, 'arrived');
  const version = await step(staff.nurse, 'in-progress');
  const rec = await request(server)
    .patch(`/api/v1/visits/${id}`)
    .set(as(staff.doc))
    .set('If-Match', `"${version}"`)
    .send({ consultation: CONSULTATION });
  if (rec.status !== 200) throw new Error(`record: ${rec.status} ${JSON.stringify(rec.body)}`);
  const signed = await request(server).post(`/api/v1/visits/${id}/sign`).set(as(staff.doc));
  if (signed.status !== 200) throw new Error(`sign: ${signed.status}`);
  return id;
}

/** Moves a visit's dates (test set-up only: the consultation date decides the date range). */
export async function backdate(
  owner: DataSource,
  tenantId: string,
  visitId: string,
  at: Date,
): Promise<void> {
  await asTenant(owner, tenantId, (tx) =>
    tx.query(
      `UPDATE clinical.visits SET scheduled_at = $2, started_at = $2, ended_at = $2::timestamptz + interval '20 minutes' WHERE id = $1`,
      [visitId, at],
    ),
  );
}

/** Links care contexts to a patient's ABHA address as part 1's link confirm does (one linked transaction). */
export async function linkCareContexts(
  owner: DataSource,
  tenantId: string,
  hipId: string,
  patientId: string,
  abhaAddress: string,
  contexts: { id: string; hiType: string }[],
): Promise<void> {
  await asTenant(owner, tenantId, async (tx) => {
    const [t] = await tx.query(
      `INSERT INTO clinical.abdm_transactions (tenant_id, transaction_id, hip_id, state, patient_id, abha_address)
       VALUES ($1, $2, $3, 'linked', $4, $5) RETURNING id`,
      [tenantId, randomUUID(), hipId, patientId, abhaAddress],
    );
    for (const c of contexts) {
      await tx.query(
        `INSERT INTO clinical.abdm_links (tenant_id, care_context_ref, patient_id, abha_address, hi_type, transaction_ref)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [tenantId, c.id, patientId, abhaAddress, c.hiType, t.id],
      );
    }
  });
}

export interface ConsentSpec {
  consentId?: string;
  hipId: string;
  abhaAddress: string;
  patientId: string;
  careContexts: string[];
  hiTypes?: string[];
  from: Date;
  to: Date;
  dataEraseAt?: Date;
  hiuId?: string;
}

/** The `notification` of a GRANTED consent notify, as the consent manager sends it. */
export function grantedNotification(c: ConsentSpec & { consentId: string }): Record<string, unknown> {
  return {
    status: 'GRANTED',
    consentId: c.consentId,
    consentDetail: {
      schemaVersion: 'v3',
      consentId: c.consentId,
      createdAt: new Date().toISOString(),
      patient: { id: c.abhaAddress },
      careContexts: c.careContexts.map((id) => ({ patientReference: c.patientId, careContextReference: id })),
      purpose: { text: 'Care Management', code: 'CAREMGT', refUri: 'www.abdm.gov.in' },
      hip: { id: c.hipId, name: 'Test clinic' },
      hiu: { id: c.hiuId ?? 'HIU-TEST-1', name: 'Requesting clinic' },
      consentManager: { id: 'sbx' },
      requester: {
        name: 'Dr. Requester',
        identifier: { type: 'REGNO', value: 'MH1001', system: 'https://www.mciindia.org' },
      },
      hiTypes: c.hiTypes ?? ['OPConsultation'],
      permission: {
        accessMode: 'VIEW',
        dateRange: { from: c.from.toISOString(), to: c.to.toISOString() },
        dataEraseAt: (c.dataEraseAt ?? new Date(Date.now() + 30 * 86400_000)).toISOString(),
        frequency: { unit: 'HOUR', value: 1, repeats: 0 },
      },
    },
    signature: 'c2lnbmF0dXJlLW9mLXRoZS1jb25zZW50LW1hbmFnZXI=',
    grantAcknowledgement: false,
  };
}

/** The body of a health-information request (HIE-CM v3), with the fake HIU's key material. */
export function hiRequestBody(v: {
  transactionId?: string;
  consentId: string;
  from: Date;
  to: Date;
  hiu: FakeHiu;
}): Record<string, unknown> & { transactionId: string } {
  const key = v.hiu.requestKey();
  return {
    transactionId: v.transactionId ?? randomUUID(),
    hiRequest: {
      consent: { id: v.consentId },
      dateRange: { from: v.from.toISOString(), to: v.to.toISOString() },
      dataPushUrl: v.hiu.dataPushUrl,
      keyMaterial: {
        cryptoAlg: 'ECDH',
        curve: 'Curve25519',
        dhPublicKey: {
          expiry: new Date(Date.now() + 86400_000).toISOString(),
          parameters: 'Curve25519/32byte random key',
          keyValue: key.publicKey,
        },
        nonce: key.nonce,
      },
    },
  };
}

/**
 * Links care contexts the way a patient does from the PHR app (user-initiated linking through
 * the gateway): discover, link init naming `refs` (grouped by HI type as discovery offered
 * them), the code from the development SMS sink, confirm. Answers the on-discover and
 * on-confirm bodies.
 */
export async function linkThroughGateway(v: {
  gw: FakeAbdmGateway;
  bridge: string;
  owner: DataSource;
  tenantId: string;
  hipId: string;
  patient: Record<string, unknown> & { id: string };
  refs: (offered: DiscoveredEntry[]) => string[];
}): Promise<{ onDiscover: DiscoveredEntry[]; onConfirm: DiscoveredEntry[] }> {
  const d = await v.gw.discover(v.bridge, v.hipId, v.patient);
  const onDiscover = (await v.gw.answerTo(d.requestId)).body.patient as DiscoveredEntry[];
  const wanted = new Set(v.refs(onDiscover));
  const patient = onDiscover
    .map((e) => ({ ...e, careContexts: e.careContexts.filter((c) => wanted.has(c.referenceNumber)) }))
    .filter((e) => e.careContexts.length > 0)
    .map((e) => ({ ...e, count: e.careContexts.length }));
  const init = await v.gw.linkInit(v.bridge, v.hipId, {
    transactionId: d.transactionId,
    abhaAddress: v.patient.id,
    patient,
  });
  const onInit = await v.gw.answerTo(init.requestId);
  const link = onInit.body.link as { referenceNumber: string } | undefined;
  if (!link) throw new Error(`link init refused: ${JSON.stringify(onInit.body.error)}`);
  const [sms] = await asTenant(v.owner, v.tenantId, (tx) =>
    tx.query(
      `SELECT s.message FROM clinical.abdm_sms_sink s JOIN clinical.abdm_transactions t ON t.id = s.transaction_ref
        WHERE t.transaction_id = $1 ORDER BY s.created_at DESC LIMIT 1`,
      [d.transactionId],
    ),
  );
  const otp = /(\d{6})/.exec(sms.message as string)![1];
  const ok = await v.gw.confirm(v.bridge, v.hipId, link.referenceNumber, otp);
  const onConfirm = (await v.gw.answerTo(ok.requestId)).body.patient as DiscoveredEntry[];
  return { onDiscover, onConfirm };
}

/** One `patient` entry of on-discover / on-confirm: the care contexts of one HI type. */
export interface DiscoveredEntry {
  referenceNumber: string;
  display: string;
  careContexts: { referenceNumber: string; display: string }[];
  hiType: string;
  count: number;
}
