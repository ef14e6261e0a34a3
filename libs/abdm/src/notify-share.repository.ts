import { Injectable } from '@nestjs/common';
import { TxRepository } from '@hims/database';
import type { AutoLinkCandidate } from './patient-lookup.repository';

export type NotificationKind = 'context_notify' | 'sms_notify';
export type NotificationStatus = 'pending' | 'acknowledged' | 'errored' | 'failed';

export interface NotificationRow {
  tenant_id: string;
  id: string;
  kind: NotificationKind;
  request_id: string;
  hip_id: string;
  transaction_ref: string | null;
  patient_id: string;
  visit_ref: string | null;
  status: NotificationStatus;
  error_code: string | null;
  /** Times sent again after the gateway's early ABDM-1006. */
  resends: number;
  created_at: Date;
  answered_at: Date | null;
}

export interface ShareRow {
  request_id: string;
  patient_id: string | null;
  outcome: 'matched' | 'registered' | 'review';
  token_number: number;
  expires_at: Date;
}

export interface SmsCandidate {
  visit_id: string;
  patient_id: string;
  phones: string[];
  hip_id: string;
  hip_name: string | null;
}

/**
 * Context and SMS notifications, profile shares and their queue tokens, and the reads of
 * the registry they need (clinical.patients, clinical.visits). In the caller's TenantScope
 * transaction, so RLS confines every statement to that clinic.
 */
@Injectable()
export class NotifyShareRepository extends TxRepository {
  // ------------------------------------------------------------ notifications

  async insertNotification(n: {
    tenantId: string;
    kind: NotificationKind;
    requestId: string;
    hipId: string;
    transactionRef: string | null;
    patientId: string;
    visitRef: string | null;
  }): Promise<boolean> {
    const rows = await this.tx.query(
      `INSERT INTO clinical.abdm_notifications (tenant_id, kind, request_id, hip_id, transaction_ref, patient_id, visit_ref)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING RETURNING id`,
      [n.tenantId, n.kind, n.requestId, n.hipId, n.transactionRef, n.patientId, n.visitRef],
    );
    return rows.length === 1;
  }

  /** The notification our call `requestId` made, locked; undefined if it is not ours (or another clinic's). */
  async notificationOfRequest(
    requestId: string,
    kind: NotificationKind,
  ): Promise<NotificationRow | undefined> {
    const [row] = await this.tx.query(
      `SELECT * FROM clinical.abdm_notifications WHERE request_id = $1 AND kind = $2 FOR UPDATE`,
      [requestId, kind],
    );
    return row;
  }

  /** Records the gateway's outcome once: a pending notification only (a later answer changes nothing). */
  async answerNotification(
    id: string,
    status: 'acknowledged' | 'errored',
    errorCode: string | null,
    answeredBy: string,
  ): Promise<boolean> {
    const rows = await this.tx.query(
      `UPDATE clinical.abdm_notifications SET status = $2, error_code = $3, answered_by = $4, answered_at = now()
        WHERE id = $1 AND status = 'pending' RETURNING id`,
      [id, status, errorCode, answeredBy],
    );
    return (Array.isArray(rows[0]) ? rows[0] : rows).length === 1;
  }

  /** The notification was sent again under a new REQUEST-ID (its answer will quote that one). */
  async resent(id: string, requestId: string): Promise<void> {
    await this.tx.query(
      `UPDATE clinical.abdm_notifications SET request_id = $2, resends = resends + 1 WHERE id = $1 AND status = 'pending'`,
      [id, requestId],
    );
  }

  /** Our call could not be delivered: the notification ends `failed` (nothing if the call was no notification). */
  async failNotification(requestId: string, errorCode: string): Promise<string | undefined> {
    const rows = await this.tx.query(
      `UPDATE clinical.abdm_notifications SET status = 'failed', error_code = left($2, 100), answered_at = now()
        WHERE request_id = $1 AND status = 'pending' RETURNING id`,
      [requestId, errorCode],
    );
    return (Array.isArray(rows[0]) ? rows[0] : rows)[0]?.id;
  }

  async notificationsOfTransactions(refs: string[]): Promise<NotificationRow[]> {
    if (refs.length === 0) return [];
    return this.tx.query(
      `SELECT * FROM clinical.abdm_notifications WHERE transaction_ref = ANY($1::uuid[]) ORDER BY created_at`,
      [refs],
    );
  }

  async notificationsOfPatient(patientId: string): Promise<NotificationRow[]> {
    return this.tx.query(
      `SELECT * FROM clinical.abdm_notifications WHERE patient_id = $1 ORDER BY created_at`,
      [patientId],
    );
  }

  /**
   * Signed visits of patients with a phone and no ABHA address, signed since the clinic turned
   * SMS notify on for the HIP id, not yet notified (reads clinical.visits and clinical.patients).
   */
  async smsCandidates(hipPrefix: string, limit: number): Promise<SmsCandidate[]> {
    return this.tx.query(
      `SELECT v.id AS visit_id, p.id AS patient_id, p.phones, h.hip_id, h.name AS hip_name
         FROM core.abdm_hips h
         JOIN clinical.visits v ON v.tenant_id = h.tenant_id AND v.signed_at >= h.sms_notify_since
         JOIN clinical.patients p ON p.tenant_id = v.tenant_id AND p.id = v.patient_id
        WHERE h.enabled AND h.sms_notify AND starts_with(h.hip_id, $1)
          AND v.status <> 'entered-in-error' AND p.active AND NOT p.deceased
          AND p.abha_address IS NULL AND cardinality(p.phones) > 0
          AND NOT EXISTS (SELECT 1 FROM clinical.abdm_notifications n
                           WHERE n.tenant_id = v.tenant_id AND n.kind = 'sms_notify' AND n.visit_ref = v.id)
        ORDER BY v.signed_at, h.hip_id
        LIMIT $2`,
      [hipPrefix, limit],
    );
  }

  // ------------------------------------------------------------ scan-and-share

  /** A share of this ABHA address at this counter whose token is still valid. */
  async liveShare(hipId: string, counter: string, abhaAddress: string): Promise<ShareRow | undefined> {
    const [row] = await this.tx.query(
      `SELECT request_id, patient_id, outcome, token_number, expires_at FROM clinical.abdm_profile_shares
        WHERE hip_id = $1 AND counter = $2 AND abha_address = $3 AND expires_at > now()
        ORDER BY created_at DESC LIMIT 1`,
      [hipId, counter, abhaAddress],
    );
    return row;
  }

  /** Serialises shares of one counter, so "still valid?" and "next token" are answered once per patient. */
  async lockCounter(tenantId: string, hipId: string, counter: string): Promise<void> {
    await this.tx.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [
      `abdm-share:${tenantId}:${hipId}:${counter}`,
    ]);
  }

  /** The next queue token of this HIP id's counter today (India time: the clinics' service day). */
  async nextToken(tenantId: string, hipId: string, counter: string): Promise<{ token: number; day: string }> {
    const [row] = await this.tx.query(
      `INSERT INTO clinical.abdm_share_counters AS c (tenant_id, hip_id, counter, service_day, last_token)
       VALUES ($1, $2, $3, (now() AT TIME ZONE 'Asia/Kolkata')::date, 1)
       ON CONFLICT (tenant_id, hip_id, counter, service_day) DO UPDATE SET last_token = c.last_token + 1
       RETURNING last_token, service_day::text AS day`,
      [tenantId, hipId, counter],
    );
    return { token: row.last_token, day: row.day };
  }

  async insertShare(s: {
    tenantId: string;
    requestId: string;
    hipId: string;
    counter: string;
    abhaAddress: string;
    patientId: string | null;
    outcome: ShareRow['outcome'];
    candidates: string[];
    day: string;
    token: number;
    expirySeconds: number;
  }): Promise<void> {
    await this.tx.query(
      `INSERT INTO clinical.abdm_profile_shares
         (tenant_id, request_id, hip_id, counter, abha_address, patient_id, outcome, candidates, service_day, token_number, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, now() + make_interval(secs => $11))`,
      [
        s.tenantId,
        s.requestId,
        s.hipId,
        s.counter,
        s.abhaAddress,
        s.patientId,
        s.outcome,
        s.candidates,
        s.day,
        s.token,
        s.expirySeconds,
      ],
    );
  }

  /** The active patient holding this ABHA address or number (unique per clinic). */
  async patientByAbha(abhaAddress: string | null, abhaNumber: string | null): Promise<string | undefined> {
    const [row] = await this.tx.query(
      `SELECT id FROM clinical.patients
        WHERE active AND (abha_address = $1 OR abha_number = $2)
        ORDER BY (abha_address = $1) DESC NULLS LAST, mrn LIMIT 1`,
      [abhaAddress, abhaNumber],
    );
    return row?.id;
  }

  // ------------------------------------------------------------ retry

  /** The visit of a failed HIP-initiated link, if it can be linked again (signed, unlinked, ABHA address). */
  async visitToRelink(visitId: string): Promise<AutoLinkCandidate | undefined> {
    const [row] = await this.tx.query(
      `SELECT v.id AS visit_id, v.department, v.scheduled_at, p.id AS patient_id, p.name_text, p.gender,
              p.birth_year, p.abha_address, p.abha_number
         FROM clinical.visits v JOIN clinical.patients p ON p.tenant_id = v.tenant_id AND p.id = v.patient_id
        WHERE v.id = $1 AND v.signed_at IS NOT NULL AND v.status <> 'entered-in-error' AND p.active
          AND p.abha_address IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM clinical.abdm_links l WHERE l.tenant_id = v.tenant_id AND l.care_context_ref = v.id)`,
      [visitId],
    );
    return row;
  }

  async hipEnabled(hipId: string): Promise<boolean> {
    const rows = await this.tx.query(`SELECT 1 FROM core.abdm_hips WHERE hip_id = $1 AND enabled`, [hipId]);
    return rows.length === 1;
  }

  async setRetryOf(id: string, retryOf: string): Promise<void> {
    await this.tx.query(`UPDATE clinical.abdm_transactions SET retry_of = $2 WHERE id = $1`, [id, retryOf]);
  }

  async outboundOf(refs: string[]): Promise<
    {
      transaction_ref: string;
      path: string;
      request_id: string;
      status: string;
      attempts: number;
      last_status: number | null;
      last_error: string | null;
      gateway_code: string | null;
      gateway_message: string | null;
    }[]
  > {
    if (refs.length === 0) return [];
    return this.tx.query(
      `SELECT transaction_ref, path, request_id, status, attempts, last_status, last_error, gateway_code, gateway_message
         FROM clinical.abdm_outbound WHERE transaction_ref = ANY($1::uuid[]) ORDER BY created_at`,
      [refs],
    );
  }
}
