import { Injectable } from '@nestjs/common';
import { TxRepository } from '@hims/database';
import type { TransactionState } from './state-machine';
import { careContextRef, parseCareContextRef } from './care-contexts';

export interface TransactionRow {
  tenant_id: string;
  id: string;
  transaction_id: string;
  hip_id: string;
  state: TransactionState;
  patient_id: string | null;
  abha_address: string | null;
  discovery: DiscoveryRecord;
  requested_contexts: string[];
  link_ref: string | null;
  otp_hash: string | null;
  otp_salt: string | null;
  otp_expires_at: Date | null;
  otp_attempts: number;
  failure: string | null;
  kind: 'user_initiated' | 'hip_initiated';
  visit_ref: string | null;
  created_at: Date;
  updated_at: Date;
}

/** What a discovery found, kept for the link step (care context ids and their displays). */
export interface DiscoveryRecord {
  patientReference?: string;
  patientDisplay?: string;
  careContexts?: { referenceNumber: string; display: string; hiType: string }[];
  matchedBy?: string[];
  /** HIP-initiated: the patient's ABHA number (digits), sent with the link token request and the link. */
  abhaNumber?: string;
}

/** ABDM transactions, their transitions and the links they made. In the caller's TenantScope transaction. */
@Injectable()
export class AbdmRepository extends TxRepository {
  // ------------------------------------------------------------ transactions

  async insertTransaction(t: {
    tenantId: string;
    transactionId: string;
    hipId: string;
    state: TransactionState;
    patientId: string | null;
    abhaAddress: string | null;
    discovery: DiscoveryRecord;
  }): Promise<TransactionRow | undefined> {
    const [row] = await this.tx.query(
      `INSERT INTO clinical.abdm_transactions (tenant_id, transaction_id, hip_id, state, patient_id, abha_address, discovery)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (tenant_id, transaction_id) DO NOTHING RETURNING *`,
      [
        t.tenantId,
        t.transactionId,
        t.hipId,
        t.state,
        t.patientId,
        t.abhaAddress,
        JSON.stringify(t.discovery),
      ],
    );
    return row;
  }

  async findTransaction(transactionId: string): Promise<TransactionRow | undefined> {
    const [row] = await this.tx.query(
      `SELECT * FROM clinical.abdm_transactions WHERE transaction_id = $1 FOR UPDATE`,
      [transactionId],
    );
    return row;
  }

  async findByLinkRef(linkRef: string): Promise<TransactionRow | undefined> {
    const [row] = await this.tx.query(
      `SELECT * FROM clinical.abdm_transactions WHERE link_ref = $1 FOR UPDATE`,
      [linkRef],
    );
    return row;
  }

  async findById(id: string): Promise<TransactionRow | undefined> {
    const [row] = await this.tx.query(`SELECT * FROM clinical.abdm_transactions WHERE id = $1 FOR UPDATE`, [
      id,
    ]);
    return row;
  }

  async setState(id: string, state: TransactionState, failure: string | null = null): Promise<void> {
    await this.tx.query(
      `UPDATE clinical.abdm_transactions SET state = $2, failure = coalesce($3, failure), updated_at = now() WHERE id = $1`,
      [id, state, failure],
    );
  }

  async setLinkInit(
    id: string,
    v: {
      abhaAddress: string;
      contexts: string[];
      linkRef: string;
      otpHash: string;
      otpSalt: string;
      expiresAt: Date;
    },
  ): Promise<void> {
    await this.tx.query(
      `UPDATE clinical.abdm_transactions
          SET abha_address = $2, requested_contexts = $3, link_ref = $4, otp_hash = $5, otp_salt = $6,
              otp_expires_at = $7, otp_attempts = 0, updated_at = now()
        WHERE id = $1`,
      [id, v.abhaAddress, v.contexts, v.linkRef, v.otpHash, v.otpSalt, v.expiresAt],
    );
  }

  async countOtpAttempt(id: string): Promise<number> {
    // TypeORM answers an UPDATE ... RETURNING with [rows, affected].
    const result = await this.tx.query(
      `UPDATE clinical.abdm_transactions SET otp_attempts = otp_attempts + 1, updated_at = now() WHERE id = $1 RETURNING otp_attempts`,
      [id],
    );
    const rows = Array.isArray(result[0]) ? result[0] : result;
    return rows[0].otp_attempts;
  }

  async clearOtp(id: string): Promise<void> {
    await this.tx.query(
      `UPDATE clinical.abdm_transactions SET otp_hash = NULL, otp_salt = NULL WHERE id = $1`,
      [id],
    );
  }

  async insertTransition(
    tenantId: string,
    ref: string,
    from: TransactionState | null,
    to: TransactionState,
    cause: string,
    requestId: string | null,
  ): Promise<void> {
    await this.tx.query(
      `INSERT INTO clinical.abdm_transitions (tenant_id, transaction_ref, from_state, to_state, cause, request_id)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [tenantId, ref, from, to, cause, requestId],
    );
  }

  async listTransactions(limit: number): Promise<TransactionRow[]> {
    return this.tx.query(`SELECT * FROM clinical.abdm_transactions ORDER BY created_at DESC LIMIT $1`, [
      limit,
    ]);
  }

  async transitionsOf(
    ref: string,
  ): Promise<
    { from_state: string | null; to_state: string; cause: string; request_id: string | null; at: Date }[]
  > {
    return this.tx.query(
      `SELECT from_state, to_state, cause, request_id, at FROM clinical.abdm_transitions WHERE transaction_ref = $1 ORDER BY id`,
      [ref],
    );
  }

  // ------------------------------------------------------------ links

  /** Reference numbers of the patient's linked care contexts (a link row is a visit and an HI type). */
  async linkedContextIds(patientId: string): Promise<Set<string>> {
    const rows: { care_context_ref: string; hi_type: string }[] = await this.tx.query(
      `SELECT care_context_ref, hi_type FROM clinical.abdm_links WHERE patient_id = $1`,
      [patientId],
    );
    return new Set(rows.map((r) => careContextRef(r.care_context_ref, r.hi_type)));
  }

  async insertLinks(
    tenantId: string,
    patientId: string,
    abhaAddress: string,
    txRef: string,
    contexts: { id: string; hiType: string }[],
  ): Promise<void> {
    for (const c of contexts) {
      await this.tx.query(
        `INSERT INTO clinical.abdm_links (tenant_id, care_context_ref, patient_id, abha_address, hi_type, transaction_ref)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
        [tenantId, parseCareContextRef(c.id)?.visitId ?? c.id, patientId, abhaAddress, c.hiType, txRef],
      );
    }
  }

  async linksOf(
    patientId: string,
  ): Promise<{ care_context_ref: string; abha_address: string; hi_type: string; linked_at: Date }[]> {
    return this.tx.query(
      `SELECT care_context_ref, abha_address, hi_type, linked_at FROM clinical.abdm_links WHERE patient_id = $1 ORDER BY linked_at, care_context_ref`,
      [patientId],
    );
  }

  async transactionsOf(patientId: string): Promise<TransactionRow[]> {
    return this.tx.query(
      `SELECT * FROM clinical.abdm_transactions WHERE patient_id = $1 ORDER BY created_at`,
      [patientId],
    );
  }

  // ------------------------------------------------------------ HIP-initiated linking

  /** A HIP-initiated transaction for a visit; undefined if one is already under way for it. */
  async insertHipInitiated(t: {
    tenantId: string;
    hipId: string;
    patientId: string;
    abhaAddress: string;
    visitId: string;
    discovery: DiscoveryRecord;
  }): Promise<TransactionRow | undefined> {
    const [row] = await this.tx.query(
      `INSERT INTO clinical.abdm_transactions
         (tenant_id, transaction_id, hip_id, state, kind, patient_id, abha_address, visit_ref, discovery, requested_contexts)
       VALUES ($1, gen_random_uuid(), $2, 'token_requested', 'hip_initiated', $3, $4, $5, $6, ARRAY[$5::uuid])
       ON CONFLICT DO NOTHING RETURNING *`,
      [t.tenantId, t.hipId, t.patientId, t.abhaAddress, t.visitId, JSON.stringify(t.discovery)],
    );
    return row;
  }

  /** HIP-initiated transactions of one ABHA address at one HIP id waiting for its link token. */
  async awaitingToken(hipId: string, abhaAddress: string): Promise<TransactionRow[]> {
    return this.tx.query(
      `SELECT * FROM clinical.abdm_transactions
        WHERE kind = 'hip_initiated' AND state = 'token_requested' AND hip_id = $1 AND abha_address = $2
        ORDER BY created_at FOR UPDATE`,
      [hipId, abhaAddress],
    );
  }

  /** The clinic's HIP id that links on its own (auto_link). */
  async autoLinkHip(prefix = ''): Promise<string | undefined> {
    const [row] = await this.tx.query(
      `SELECT hip_id FROM core.abdm_hips WHERE enabled AND auto_link AND starts_with(hip_id, $1) ORDER BY hip_id LIMIT 1`,
      [prefix],
    );
    return row?.hip_id;
  }
}
