import { Injectable } from '@nestjs/common';
import { TxRepository } from '@hims/database';
import { currentTraceCarrier } from '@hims/tracing';
import type { GatewayError } from './gateway-error';

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
  /** What the gateway said when it last refused the call (error.code / error.message). */
  gateway_code?: string | null;
  gateway_message?: string | null;
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
    /** Not before this many milliseconds from now (a resend after the gateway's early ABDM-1006). */
    delayMs?: number;
  }): Promise<string> {
    const [row] = await this.tx.query(
      `INSERT INTO clinical.abdm_outbound (tenant_id, transaction_ref, path, request_id, in_reply_to, body, headers, traceparent, next_attempt_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now() + make_interval(secs => $9::double precision / 1000)) RETURNING id`,
      [
        o.tenantId,
        o.transactionRef,
        o.path,
        o.requestId,
        o.inReplyTo,
        JSON.stringify(o.body),
        JSON.stringify(o.headers ?? {}),
        currentTraceCarrier().traceparent,
        o.delayMs ?? 0,
      ],
    );
    return row.id;
  }

  /** The call of ours with this REQUEST-ID (its path, body and headers), if this clinic made it. */
  async byRequestId(requestId: string): Promise<OutboundRow | undefined> {
    const [row] = await this.tx.query(`SELECT * FROM clinical.abdm_outbound WHERE request_id = $1`, [
      requestId,
    ]);
    return row;
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

  async outboundRetry(
    id: string,
    status: number | null,
    error: string,
    delayMs: number,
    said?: GatewayError,
  ): Promise<void> {
    await this.tx.query(
      `UPDATE clinical.abdm_outbound SET attempts = attempts + 1, last_status = $2, last_error = $3,
              next_attempt_at = now() + make_interval(secs => $4::double precision / 1000),
              gateway_code = $5, gateway_message = $6 WHERE id = $1`,
      [id, status, error, delayMs, said?.code ?? null, said?.message ?? null],
    );
  }

  async outboundFailed(id: string, status: number | null, error: string, said?: GatewayError): Promise<void> {
    await this.tx.query(
      `UPDATE clinical.abdm_outbound SET status = 'failed', attempts = attempts + 1, last_status = $2, last_error = $3,
              gateway_code = $4, gateway_message = $5 WHERE id = $1`,
      [id, status, error, said?.code ?? null, said?.message ?? null],
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
