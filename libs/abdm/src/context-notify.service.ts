import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AuditRecorder } from '@hims/audit';
import type { TransactionRow } from './abdm.repository';
import { gatewaySaid } from './gateway-error';
import { GATEWAY_PATHS, HI_TYPE_OP_CONSULTATION } from './gateway-paths';
import type { InboxRow } from './inbox.repository';
import { parseOnNotify } from './notify-share-bodies';
import { NotificationKind, NotifyShareRepository } from './notify-share.repository';
import { OutboundRepository } from './outbound.repository';
import { AbdmTransactions } from './transactions.service';

/**
 * Context notify: once a HIP-initiated link is confirmed (on_carecontext), the gateway is
 * told the care context holds records (link/context/notify), so the patient's PHR apps
 * show it; the gateway's on-notify outcome is recorded on the notification, once.
 */
@Injectable()
export class ContextNotifyService {
  private readonly log = new Logger('AbdmContextNotify');

  constructor(
    private readonly repo: NotifyShareRepository,
    private readonly transactions: AbdmTransactions,
    private readonly audit: AuditRecorder,
    private readonly outbound: OutboundRepository,
  ) {}

  /**
   * Queues the notification of each care context the transaction linked (same tenant
   * transaction), with the link token the link was made with (X-LINK-TOKEN).
   */
  async afterLink(tx: TransactionRow, linkToken?: string): Promise<void> {
    if (!tx.patient_id || !tx.abha_address) return;
    for (const c of tx.discovery.careContexts ?? []) {
      const requestId = await this.transactions.call(
        tx.tenant_id,
        tx.id,
        GATEWAY_PATHS.contextNotify,
        {
          notification: {
            patient: { id: tx.abha_address },
            careContext: { patientReference: tx.patient_id, careContextReference: c.referenceNumber },
            hiTypes: [c.hiType || HI_TYPE_OP_CONSULTATION],
            date: new Date().toISOString(),
            hip: { id: tx.hip_id },
          },
        },
        { 'X-HIP-ID': tx.hip_id, ...(linkToken ? { 'X-LINK-TOKEN': linkToken } : {}) },
      );
      await this.repo.insertNotification({
        tenantId: tx.tenant_id,
        kind: 'context_notify',
        requestId,
        hipId: tx.hip_id,
        transactionRef: tx.id,
        patientId: tx.patient_id,
        visitRef: c.referenceNumber,
      });
    }
  }

  /**
   * The gateway's answer. ABDM-1006 ("No links found") right after a link means the notify
   * overtook the link it names: it is sent again after a pause, up to MAX_RESENDS times, under a
   * new REQUEST-ID; any other answer is recorded once.
   */
  async onNotify(row: InboxRow): Promise<void> {
    const body = parseOnNotify(row.body);
    const n = await this.repo.notificationOfRequest(body.response.requestId, 'context_notify');
    const sent =
      n && body.error?.code?.startsWith(EARLY_CODE) && n.status === 'pending' && n.resends < MAX_RESENDS
        ? await this.outbound.byRequestId(n.request_id)
        : undefined;
    if (!n || !sent || !sent.transaction_ref) {
      await recordOutcome(this.repo, this.audit, this.log, row, 'context_notify');
      return;
    }
    const requestId = randomUUID();
    await this.outbound.enqueueOutbound({
      tenantId: row.tenant_id,
      transactionRef: sent.transaction_ref,
      path: sent.path,
      requestId,
      inReplyTo: null,
      body: sent.body,
      headers: sent.headers,
      delayMs: RESEND_DELAY_MS * 2 ** n.resends,
    });
    await this.repo.resent(n.id, requestId);
    await this.audit.record({
      action: 'abdm_notification_resent',
      entityType: 'abdm_notification',
      entityId: n.id,
      details: {
        kind: 'context_notify',
        code: body.error?.code,
        requestId: row.request_id,
        resend: requestId,
      },
    });
  }
}

/** The gateway's answer to a notify that overtook its link. */
const EARLY_CODE = 'ABDM-1006';
/** Resends after an early ABDM-1006, the first after RESEND_DELAY_MS, doubling. */
export const MAX_RESENDS = 3;
const RESEND_DELAY_MS = 2000;

/** Shared by context and SMS notify: the outcome of our call, recorded once and audited. */
export async function recordOutcome(
  repo: NotifyShareRepository,
  audit: AuditRecorder,
  log: Logger,
  row: InboxRow,
  kind: NotificationKind,
): Promise<void> {
  const body = parseOnNotify(row.body);
  const n = await repo.notificationOfRequest(body.response.requestId, kind);
  if (!n) {
    log.warn(`on-notify ${row.request_id} answers no ${kind} of this clinic; ignored`);
    return;
  }
  const errored = !!body.error || !/^(SUCCESS|OK|ACKNOWLEDGED)$/i.test(body.acknowledgement?.status ?? '');
  const code =
    gatewaySaid(body.error)?.slice(0, 100) ||
    (errored ? `status ${body.acknowledgement?.status ?? 'none'}` : null);
  const changed = await repo.answerNotification(
    n.id,
    errored ? 'errored' : 'acknowledged',
    code,
    row.request_id,
  );
  await audit.record({
    action: changed ? 'abdm_notification_answered' : 'abdm_notification_answer_ignored',
    entityType: 'abdm_notification',
    entityId: n.id,
    details: { kind, outcome: errored ? 'errored' : 'acknowledged', requestId: row.request_id },
  });
}
