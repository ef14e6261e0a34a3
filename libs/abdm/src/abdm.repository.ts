import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { TxHost } from '@hims/database';
import type { TransactionState } from './state-machine';

export type InboxKind = 'discover' | 'link_init' | 'link_confirm';

export interface InboxRow {
  tenant_id: string;
  request_id: string;
  kind: InboxKind;
  hip_id: string;
  cm_id: string;
  body: Record<string, unknown>;
  status: 'received' | 'processed' | 'failed';
  attempts: number;
}

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
  created_at: Date;
  updated_at: Date;
}

/** What a discovery found, kept for the link step (care context ids and their displays). */
export interface DiscoveryRecord {
  patientReference?: string;
  patientDisplay?: string;
  careContexts?: { referenceNumber: string; display: string; hiType: string }[];
  matchedBy?: string[];
}

export interface OutboundRow {
  tenant_id: string;
  id: string;
  transaction_ref: string | null;
  path: string;
  request_id: string;
  in_reply_to: string | null;
  body: Record<string, unknown>;
  status: 'pending' | 'sent' | 'failed';
  attempts: number;
}

/** SQL of the bridge. Tenant-scoped calls run in the caller's TenantScope transaction. */
@Injectable()
export class AbdmRepository {
  constructor(
    private readonly txHost: TransactionHost,
    @InjectDataSource() private readonly ds: DataSource,
  ) {}

  private get tx() {
    return (this.txHost as TxHost).tx;
  }

  // ------------------------------------------------------------ before a tenant is known

  /** The tenant of an enabled HIP id of an active tenant (SECURITY DEFINER lookup, ids only). */
  async tenantForHip(hipId: string): Promise<string | undefined> {
    const [row] = await this.ds.query(`SELECT core.abdm_tenant_for_hip($1) AS tenant_id`, [hipId]);
    return row?.tenant_id ?? undefined;
  }

  async dueWork(limit: number): Promise<{ kind: 'inbox' | 'outbound'; tenant_id: string; ref: string }[]> {
    return this.ds.query(`SELECT kind, tenant_id, ref FROM clinical.abdm_due_work($1)`, [limit]);
  }

  async purgeInbox(retentionHours: number): Promise<number> {
    const [row] = await this.ds.query(`SELECT clinical.abdm_purge_inbox(make_interval(hours => $1)) AS n`, [
      retentionHours,
    ]);
    return Number(row?.n ?? 0);
  }

  // ------------------------------------------------------------ HIP ids

  async upsertHip(tenantId: string, hipId: string, name: string | null, enabled: boolean): Promise<void> {
    await this.tx.query(
      `INSERT INTO core.abdm_hips (tenant_id, hip_id, name, enabled) VALUES ($1, $2, $3, $4)
       ON CONFLICT (tenant_id, hip_id) DO UPDATE SET name = EXCLUDED.name, enabled = EXCLUDED.enabled, updated_at = now()`,
      [tenantId, hipId, name, enabled],
    );
  }

  async listHips(): Promise<{ hip_id: string; name: string | null; enabled: boolean }[]> {
    return this.tx.query(`SELECT hip_id, name, enabled FROM core.abdm_hips ORDER BY hip_id`);
  }

  // ------------------------------------------------------------ inbox

  /** Stores a callback; false when this REQUEST-ID is already in the inbox (a replay). */
  async insertInbox(
    tenantId: string,
    requestId: string,
    kind: InboxKind,
    hipId: string,
    cmId: string,
    body: unknown,
  ): Promise<boolean> {
    const rows = await this.tx.query(
      `INSERT INTO clinical.abdm_inbox (tenant_id, request_id, kind, hip_id, cm_id, body)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (tenant_id, request_id) DO NOTHING RETURNING request_id`,
      [tenantId, requestId, kind, hipId, cmId, JSON.stringify(body)],
    );
    return rows.length === 1;
  }

  /** Locks a received inbox row for processing; undefined if another processor has it or it is done. */
  async claimInbox(requestId: string): Promise<InboxRow | undefined> {
    const [row] = await this.tx.query(
      `SELECT * FROM clinical.abdm_inbox WHERE request_id = $1 AND status = 'received' FOR UPDATE SKIP LOCKED`,
      [requestId],
    );
    return row;
  }

  async finishInbox(
    requestId: string,
    status: 'processed' | 'failed',
    errorCode: string | null,
  ): Promise<void> {
    await this.tx.query(
      `UPDATE clinical.abdm_inbox SET status = $2, error_code = $3, attempts = attempts + 1, processed_at = now()
        WHERE request_id = $1`,
      [requestId, status, errorCode],
    );
  }

  async countInbox(requestId: string): Promise<number> {
    const [row] = await this.tx.query(
      `SELECT count(*)::int AS n FROM clinical.abdm_inbox WHERE request_id = $1`,
      [requestId],
    );
    return row.n;
  }

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

  async linkedContextIds(patientId: string): Promise<Set<string>> {
    const rows: { care_context_ref: string }[] = await this.tx.query(
      `SELECT care_context_ref FROM clinical.abdm_links WHERE patient_id = $1`,
      [patientId],
    );
    return new Set(rows.map((r) => r.care_context_ref));
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
        [tenantId, c.id, patientId, abhaAddress, c.hiType, txRef],
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

  // ------------------------------------------------------------ outbound

  async enqueueOutbound(o: {
    tenantId: string;
    transactionRef: string | null;
    path: string;
    requestId: string;
    inReplyTo: string | null;
    body: unknown;
  }): Promise<string> {
    const [row] = await this.tx.query(
      `INSERT INTO clinical.abdm_outbound (tenant_id, transaction_ref, path, request_id, in_reply_to, body)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [o.tenantId, o.transactionRef, o.path, o.requestId, o.inReplyTo, JSON.stringify(o.body)],
    );
    return row.id;
  }

  async claimOutbound(id: string): Promise<OutboundRow | undefined> {
    const [row] = await this.tx.query(
      `SELECT * FROM clinical.abdm_outbound WHERE id = $1 AND status = 'pending' AND next_attempt_at <= now() FOR UPDATE SKIP LOCKED`,
      [id],
    );
    return row;
  }

  async outboundSent(id: string, status: number): Promise<void> {
    await this.tx.query(
      `UPDATE clinical.abdm_outbound SET status = 'sent', attempts = attempts + 1, last_status = $2, last_error = NULL, sent_at = now() WHERE id = $1`,
      [id, status],
    );
  }

  async outboundRetry(id: string, status: number | null, error: string, delayMs: number): Promise<void> {
    await this.tx.query(
      `UPDATE clinical.abdm_outbound SET attempts = attempts + 1, last_status = $2, last_error = $3,
              next_attempt_at = now() + make_interval(secs => $4::double precision / 1000) WHERE id = $1`,
      [id, status, error, delayMs],
    );
  }

  async outboundFailed(id: string, status: number | null, error: string): Promise<void> {
    await this.tx.query(
      `UPDATE clinical.abdm_outbound SET status = 'failed', attempts = attempts + 1, last_status = $2, last_error = $3 WHERE id = $1`,
      [id, status, error],
    );
  }

  // ------------------------------------------------------------ SMS sink

  async sinkSms(tenantId: string, phone: string, message: string, txRef: string | null): Promise<string> {
    const [row] = await this.tx.query(
      `INSERT INTO clinical.abdm_sms_sink (tenant_id, phone, message, transaction_ref) VALUES ($1, $2, $3, $4) RETURNING id`,
      [tenantId, phone, message, txRef],
    );
    return row.id;
  }
}
