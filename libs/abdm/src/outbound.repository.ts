import { Injectable } from '@nestjs/common';
import { TxRepository } from '@hims/database';
import { currentTraceCarrier } from '@hims/tracing';

export interface OutboundRow {
  tenant_id: string;
  id: string;
  transaction_ref: string | null;
  path: string;
  request_id: string;
  in_reply_to: string | null;
  body: Record<string, unknown>;
  headers: Record<string, string>;
  status: 'pending' | 'sent' | 'failed';
  attempts: number;
  /** W3C trace context of the work that queued the call (null with tracing off); the delivery continues it. */
  traceparent?: string | null;
}

/** The on-* calls we owe the gateway, and the development SMS sink. In the caller's TenantScope transaction. */
@Injectable()
export class OutboundRepository extends TxRepository {
  // ------------------------------------------------------------ outbound

  async enqueueOutbound(o: {
    tenantId: string;
    transactionRef: string | null;
    path: string;
    requestId: string;
    inReplyTo: string | null;
    body: unknown;
    headers?: Record<string, string>;
  }): Promise<string> {
    const [row] = await this.tx.query(
      `INSERT INTO clinical.abdm_outbound (tenant_id, transaction_ref, path, request_id, in_reply_to, body, headers, traceparent)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
      [
        o.tenantId,
        o.transactionRef,
        o.path,
        o.requestId,
        o.inReplyTo,
        JSON.stringify(o.body),
        JSON.stringify(o.headers ?? {}),
        currentTraceCarrier().traceparent,
      ],
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

  /** The transaction a call of ours belongs to, found by its REQUEST-ID (what the gateway's answer quotes). */
  async transactionOfRequest(requestId: string): Promise<string | undefined> {
    const [row] = await this.tx.query(
      `SELECT transaction_ref FROM clinical.abdm_outbound WHERE request_id = $1 AND transaction_ref IS NOT NULL`,
      [requestId],
    );
    return row?.transaction_ref;
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
