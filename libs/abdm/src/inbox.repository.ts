import { Inject, Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { TxRepository } from '@hims/database';
import { currentTraceCarrier } from '@hims/tracing';
import { ABDM_CONFIG, AbdmConfig } from './abdm.config';

export type InboxKind =
  | 'discover'
  | 'link_init'
  | 'link_confirm'
  | 'on_generate_token'
  | 'on_carecontext'
  | 'consent_notify'
  | 'hi_request'
  | 'context_on_notify'
  | 'sms_on_notify'
  | 'patient_share';

export interface InboxRow {
  tenant_id: string;
  request_id: string;
  kind: InboxKind;
  hip_id: string;
  cm_id: string;
  body: Record<string, unknown>;
  status: 'received' | 'processed' | 'failed';
  attempts: number;
  /** W3C trace context of the callback request that stored it (null with tracing off). */
  traceparent?: string | null;
}

/**
 * The callbacks' side: HIP ids, the inbox, and the SECURITY DEFINER lookups that
 * come before a tenant is known (ids only). Tenant-scoped calls run in the
 * caller's TenantScope transaction.
 */
@Injectable()
export class InboxRepository extends TxRepository {
  constructor(
    txHost: TransactionHost,
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(ABDM_CONFIG) private readonly config: AbdmConfig,
  ) {
    super(txHost);
  }

  // ------------------------------------------------------------ before a tenant is known

  /** The tenant of an enabled HIP id of an active tenant (SECURITY DEFINER lookup, ids only). */
  async tenantForHip(hipId: string): Promise<string | undefined> {
    const [row] = await this.ds.query(`SELECT core.abdm_tenant_for_hip($1) AS tenant_id`, [hipId]);
    return row?.tenant_id ?? undefined;
  }

  async dueWork(limit: number): Promise<{ kind: 'inbox' | 'outbound'; tenant_id: string; ref: string }[]> {
    return this.ds.query(`SELECT kind, tenant_id, ref FROM clinical.abdm_due_work_for($1, $2)`, [
      limit,
      this.config.hipIdPrefix,
    ]);
  }

  async tenantsWithAutoLink(): Promise<string[]> {
    const rows: { t: string }[] = await this.ds.query(
      `SELECT t FROM clinical.abdm_tenants_with_hip($1) AS t`,
      [this.config.hipIdPrefix],
    );
    return rows.map((r) => r.t);
  }

  /** Clinics with an enabled HIP id that opted in to SMS notify (SECURITY DEFINER, ids only). */
  async tenantsWithSmsNotify(): Promise<string[]> {
    const rows: { t: string }[] = await this.ds.query(
      `SELECT t FROM clinical.abdm_tenants_with_sms_notify($1) AS t`,
      [this.config.hipIdPrefix],
    );
    return rows.map((r) => r.t);
  }

  async purgeInbox(retentionHours: number): Promise<number> {
    const [row] = await this.ds.query(`SELECT clinical.abdm_purge_inbox(make_interval(hours => $1)) AS n`, [
      retentionHours,
    ]);
    return Number(row?.n ?? 0);
  }

  // ------------------------------------------------------------ HIP ids

  async upsertHip(
    tenantId: string,
    hipId: string,
    name: string | null,
    enabled: boolean,
    autoLink: boolean,
    smsNotify = false,
  ): Promise<void> {
    // sms_notify_since: SMS notify covers visits signed from the moment it is turned on.
    await this.tx.query(
      `INSERT INTO core.abdm_hips AS h (tenant_id, hip_id, name, enabled, auto_link, sms_notify, sms_notify_since)
       VALUES ($1, $2, $3, $4, $5, $6, CASE WHEN $6 THEN now() END)
       ON CONFLICT (tenant_id, hip_id) DO UPDATE
         SET name = EXCLUDED.name, enabled = EXCLUDED.enabled, auto_link = EXCLUDED.auto_link,
             sms_notify = EXCLUDED.sms_notify,
             sms_notify_since = CASE WHEN EXCLUDED.sms_notify AND NOT h.sms_notify THEN now()
                                     WHEN EXCLUDED.sms_notify THEN h.sms_notify_since END,
             updated_at = now()`,
      [tenantId, hipId, name, enabled, autoLink, smsNotify],
    );
  }

  async listHips(): Promise<
    { hip_id: string; name: string | null; enabled: boolean; auto_link: boolean; sms_notify: boolean }[]
  > {
    return this.tx.query(
      `SELECT hip_id, name, enabled, auto_link, sms_notify FROM core.abdm_hips ORDER BY hip_id`,
    );
  }

  // ------------------------------------------------------------ inbox

  /**
   * Stores a callback; false when this REQUEST-ID is already in the inbox (a replay). With it
   * the callback request's trace context, which the processor continues.
   */
  async insertInbox(
    tenantId: string,
    requestId: string,
    kind: InboxKind,
    hipId: string,
    cmId: string,
    body: unknown,
  ): Promise<boolean> {
    const rows = await this.tx.query(
      `INSERT INTO clinical.abdm_inbox (tenant_id, request_id, kind, hip_id, cm_id, body, traceparent)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (tenant_id, request_id) DO NOTHING RETURNING request_id`,
      [tenantId, requestId, kind, hipId, cmId, JSON.stringify(body), currentTraceCarrier().traceparent],
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
}
