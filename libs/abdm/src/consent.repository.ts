import { Inject, Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { TxRepository } from '@hims/database';
import { ABDM_CONFIG, AbdmConfig } from './abdm.config';
import type { ConsentDetail } from './consent-bodies';
import { parseCareContextRef } from './care-contexts';

export type ConsentStatus = 'GRANTED' | 'REVOKED' | 'EXPIRED';

export interface ConsentRow {
  tenant_id: string;
  id: string;
  consent_id: string;
  hip_id: string;
  status: ConsentStatus;
  patient_id: string | null;
  abha_address: string | null;
  care_contexts: { patientReference: string; careContextReference: string }[];
  hi_types: string[];
  purpose: { code?: string; text?: string };
  hiu_id: string | null;
  access_mode: string | null;
  date_from: Date | null;
  date_to: Date | null;
  data_erase_at: Date | null;
  last_request_id: string;
  granted_at: Date | null;
  updated_at: Date;
}

export type HiRequestStatus = 'pending' | 'transferring' | 'transferred' | 'failed' | 'stopped';

export interface HiRequestRow {
  tenant_id: string;
  id: string;
  transaction_id: string;
  consent_id: string;
  request_id: string;
  hip_id: string;
  hiu_id: string | null;
  data_push_url: string;
  key_material: { publicKey: string; nonce: string };
  date_from: Date;
  date_to: Date;
  status: HiRequestStatus;
  attempts: number;
}

/** A linked care context of this clinic that a consent may release: the visit and its dates. */
export interface ReleasableVisit {
  visit_id: string;
  hi_type: string;
  signed: boolean;
  at: Date;
}

/** A transfer under a consent as staff see it: ids, status, counts, times. */
export interface TransferSummaryRow {
  consent_id: string;
  transaction_id: string;
  status: HiRequestStatus;
  pages: number | null;
  bytes: string | null;
  created_at: Date;
  done_at: Date | null;
}

/**
 * Consent artefacts and health-information requests. Tenant-scoped calls run in the caller's
 * TenantScope transaction; `dueTransfers` is the one SECURITY DEFINER lookup (ids only).
 */
@Injectable()
export class ConsentRepository extends TxRepository {
  constructor(
    txHost: TransactionHost,
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(ABDM_CONFIG) private readonly config: AbdmConfig,
  ) {
    super(txHost);
  }

  // ------------------------------------------------------------ consents

  async findConsent(consentId: string, lock = false): Promise<ConsentRow | undefined> {
    const [row] = await this.tx.query(
      `SELECT * FROM clinical.abdm_consents WHERE consent_id = $1${lock ? ' FOR UPDATE' : ''}`,
      [consentId],
    );
    return row;
  }

  /** The patients (and the ABHA addresses they were linked under) linked care contexts of this clinic belong to. */
  async patientOfCareContexts(refs: string[]): Promise<{ patientId: string; abhaAddress: string }[]> {
    const rows: { patient_id: string; abha_address: string }[] = await this.tx.query(
      `SELECT DISTINCT patient_id, abha_address FROM clinical.abdm_links WHERE care_context_ref::text = ANY ($1::text[])`,
      [refs.map((r) => parseCareContextRef(r)?.visitId ?? r)],
    );
    return rows.map((r) => ({ patientId: r.patient_id, abhaAddress: r.abha_address }));
  }

  async insertGranted(
    tenantId: string,
    d: ConsentDetail,
    patientId: string | null,
    signature: string | null,
    requestId: string,
  ): Promise<string | undefined> {
    const [row] = await this.tx.query(
      `INSERT INTO clinical.abdm_consents
         (tenant_id, consent_id, hip_id, status, patient_id, abha_address, care_contexts, hi_types, purpose, requester,
          hiu_id, access_mode, date_from, date_to, data_erase_at, frequency, signature, last_request_id, granted_at)
       VALUES ($1, $2, $3, 'GRANTED', $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, now())
       ON CONFLICT (tenant_id, consent_id) DO NOTHING RETURNING id`,
      [
        tenantId,
        d.consentId,
        d.hipId,
        patientId,
        d.patientId,
        JSON.stringify(d.careContexts),
        d.hiTypes,
        JSON.stringify(d.purpose),
        JSON.stringify(d.requester),
        d.hiuId,
        d.permission.accessMode,
        d.permission.dateRange.from,
        d.permission.dateRange.to,
        d.permission.dataEraseAt,
        JSON.stringify(d.permission.frequency),
        signature,
        requestId,
      ],
    );
    return row?.id;
  }

  async setStatus(consentId: string, status: ConsentStatus, requestId: string): Promise<void> {
    await this.tx.query(
      `UPDATE clinical.abdm_consents SET status = $2, last_request_id = $3, updated_at = now() WHERE consent_id = $1`,
      [consentId, status, requestId],
    );
  }

  async consentsOf(patientId: string): Promise<ConsentRow[]> {
    return this.tx.query(
      `SELECT * FROM clinical.abdm_consents WHERE patient_id = $1 ORDER BY created_at, consent_id`,
      [patientId],
    );
  }

  /**
   * The care contexts among `refs` that this clinic linked for `patientId`, with their visit's
   * signature state and date (the consultation's start, else its scheduled time).
   */
  /** The linked care contexts (visit and HI type) of the patient among these reference numbers. */
  async releasableVisits(patientId: string, refs: string[]): Promise<ReleasableVisit[]> {
    const named = refs.map(parseCareContextRef).filter((r) => r !== undefined);
    return this.tx.query(
      `SELECT v.id AS visit_id, l.hi_type, (v.signed_at IS NOT NULL) AS signed,
              coalesce(v.started_at, v.scheduled_at) AS at
         FROM clinical.abdm_links l
         JOIN clinical.visits v ON v.tenant_id = l.tenant_id AND v.id = l.care_context_ref
         JOIN unnest($2::uuid[], $3::text[]) AS n (visit_id, hi_type)
           ON n.visit_id = l.care_context_ref AND n.hi_type = l.hi_type
        WHERE l.patient_id = $1 AND v.patient_id = $1
        ORDER BY at, v.id, l.hi_type`,
      [patientId, named.map((r) => r.visitId), named.map((r) => r.hiType)],
    );
  }

  // ------------------------------------------------------------ health-information requests

  async insertHiRequest(r: {
    tenantId: string;
    transactionId: string;
    consentId: string;
    requestId: string;
    hipId: string;
    hiuId: string | null;
    dataPushUrl: string;
    keyMaterial: { publicKey: string; nonce: string };
    from: Date;
    to: Date;
  }): Promise<string | undefined> {
    const [row] = await this.tx.query(
      `INSERT INTO clinical.abdm_hi_requests
         (tenant_id, transaction_id, consent_id, request_id, hip_id, hiu_id, data_push_url, key_material, date_from, date_to)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (tenant_id, transaction_id) DO NOTHING RETURNING id`,
      [
        r.tenantId,
        r.transactionId,
        r.consentId,
        r.requestId,
        r.hipId,
        r.hiuId,
        r.dataPushUrl,
        JSON.stringify(r.keyMaterial),
        r.from,
        r.to,
      ],
    );
    return row?.id;
  }

  async dueTransfers(limit: number): Promise<{ tenant_id: string; id: string }[]> {
    return this.ds.query(`SELECT tenant_id, id FROM clinical.abdm_due_transfers($1, $2)`, [
      limit,
      this.config.hipIdPrefix,
    ]);
  }

  /** Leases a due request for `leaseMs`; undefined if another worker has it or it is done. */
  async leaseHiRequest(id: string, leaseMs: number): Promise<HiRequestRow | undefined> {
    const [row] = await this.tx.query(
      `SELECT * FROM clinical.abdm_hi_requests
        WHERE id = $1 AND (status = 'pending' OR (status = 'transferring' AND lease_until < now()))
        FOR UPDATE SKIP LOCKED`,
      [id],
    );
    if (!row) return undefined;
    await this.tx.query(
      `UPDATE clinical.abdm_hi_requests
          SET status = 'transferring', attempts = attempts + 1, updated_at = now(),
              lease_until = now() + make_interval(secs => $2::double precision / 1000)
        WHERE id = $1`,
      [id, leaseMs],
    );
    return row;
  }

  async finishHiRequest(
    id: string,
    status: 'transferred' | 'failed' | 'stopped',
    v: { pages: number; bytes: number; careContexts: Record<string, string>; failure: string | null },
  ): Promise<void> {
    await this.tx.query(
      `UPDATE clinical.abdm_hi_requests
          SET status = $2, pages = $3, bytes = $4, care_context_status = $5, failure = $6,
              lease_until = NULL, done_at = now(), updated_at = now()
        WHERE id = $1`,
      [id, status, v.pages, v.bytes, JSON.stringify(v.careContexts), v.failure],
    );
  }

  /** Requests under a consent that have not started: stopped at once when it is revoked or expires. */
  async pendingOf(consentId: string): Promise<HiRequestRow[]> {
    return this.tx.query(
      `SELECT * FROM clinical.abdm_hi_requests WHERE consent_id = $1 AND status = 'pending' FOR UPDATE`,
      [consentId],
    );
  }

  async transfersOf(consentIds: string[]): Promise<TransferSummaryRow[]> {
    return this.tx.query(
      `SELECT consent_id, transaction_id, status, pages, bytes, created_at, done_at
         FROM clinical.abdm_hi_requests WHERE consent_id = ANY ($1::text[]) ORDER BY created_at`,
      [consentIds],
    );
  }
}
