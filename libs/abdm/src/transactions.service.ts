import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AuditRecorder } from '@hims/audit';
import { AbdmRepository, TransactionRow } from './abdm.repository';
import { OutboundRepository } from './outbound.repository';
import { assertTransition, TransactionState } from './state-machine';

/**
 * The state machine's write side: every transition is checked, recorded in
 * clinical.abdm_transitions (from, to, cause, request id, time) and audited
 * without clinical content; every on-* answer is queued in the same transaction.
 */
@Injectable()
export class AbdmTransactions {
  constructor(
    private readonly repo: AbdmRepository,
    private readonly outbound: OutboundRepository,
    private readonly audit: AuditRecorder,
  ) {}

  async transition(
    row: TransactionRow,
    to: TransactionState,
    cause: string,
    requestId: string | null,
    failure: string | null = null,
  ): Promise<void> {
    assertTransition(row.state, to);
    await this.repo.setState(row.id, to, failure);
    await this.repo.insertTransition(row.tenant_id, row.id, row.state, to, cause, requestId);
    await this.audit.record({
      action: 'abdm_transition',
      entityType: 'abdm_transaction',
      entityId: row.id,
      details: { from: row.state, to, cause },
    });
    row.state = to;
  }

  async created(row: TransactionRow, cause: string, requestId: string | null): Promise<void> {
    assertTransition(null, row.state);
    await this.repo.insertTransition(row.tenant_id, row.id, null, row.state, cause, requestId);
    await this.audit.record({
      action: 'abdm_transition',
      entityType: 'abdm_transaction',
      entityId: row.id,
      details: { from: null, to: row.state, cause },
    });
  }

  /** Queues an on-* call answering `inReplyTo` (body gets response.requestId); delivered by the processor. */
  async answer(
    tenantId: string,
    transactionRef: string | null,
    path: string,
    inReplyTo: string,
    body: Record<string, unknown>,
  ): Promise<string> {
    const requestId = randomUUID();
    const id = await this.outbound.enqueueOutbound({
      tenantId,
      transactionRef,
      path,
      requestId,
      inReplyTo,
      body: { ...body, response: { requestId: inReplyTo } },
    });
    await this.audit.record({
      action: 'abdm_outbound_queued',
      entityType: 'abdm_request',
      entityId: requestId,
      details: { path, inReplyTo },
    });
    return id;
  }

  /** Queues a call of ours that starts an exchange (no response block); returns its REQUEST-ID. */
  async call(
    tenantId: string,
    transactionRef: string,
    path: string,
    body: Record<string, unknown>,
    headers: Record<string, string>,
  ): Promise<string> {
    const requestId = randomUUID();
    await this.outbound.enqueueOutbound({
      tenantId,
      transactionRef,
      path,
      requestId,
      inReplyTo: null,
      body,
      headers,
    });
    await this.audit.record({
      action: 'abdm_outbound_queued',
      entityType: 'abdm_request',
      entityId: requestId,
      details: { path },
    });
    return requestId;
  }
}
