import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AuditRecorder } from '@hims/audit';
import { normaliseAbhaAddress } from '@hims/patients';
import { parseConsentNotify } from './consent-bodies';
import { ConsentRepository, ConsentRow } from './consent.repository';
import { DATA_FLOW_ERRORS, DATA_FLOW_GATEWAY_PATHS } from './data-flow-paths';
import { hiNotifyBody } from './hi-notify';
import type { InboxRow } from './inbox.repository';
import { OutboundRepository } from './outbound.repository';
import { AbdmTransactions } from './transactions.service';

/** Usable for a transfer now: GRANTED and its data-erase-at not reached. */
export function consentUsable(c: Pick<ConsentRow, 'status' | 'data_erase_at'>, now = new Date()): boolean {
  return c.status === 'GRANTED' && (c.data_erase_at === null || c.data_erase_at.getTime() > now.getTime());
}

/**
 * Consent notifications from the consent manager (in the inbox row's tenant transaction): a
 * GRANTED artefact is stored once (a repeat changes nothing); REVOKED and EXPIRED are final
 * (a late GRANTED never revives them) and stop every transfer under the consent that has not
 * started (a running one checks before each page). Audited by ids and status only; answered
 * with on-notify.
 */
@Injectable()
export class ConsentService {
  private readonly log = new Logger('AbdmConsents');

  constructor(
    private readonly repo: ConsentRepository,
    private readonly outbound: OutboundRepository,
    private readonly transactions: AbdmTransactions,
    private readonly audit: AuditRecorder,
  ) {}

  async handle(inbox: InboxRow): Promise<void> {
    const body = parseConsentNotify(inbox.body);
    // An acknowledgement, or (a refusal) an error alone: never both (contracts/abdm ConsentOnNotify).
    const ack = (error?: { code: string; message: string }) =>
      this.transactions.answer(
        inbox.tenant_id,
        null,
        DATA_FLOW_GATEWAY_PATHS.consentOnNotify,
        inbox.request_id,
        error ? { error } : { acknowledgement: { status: 'OK', consentId: body.consentId } },
      );
    const existing = await this.repo.findConsent(body.consentId, true);

    if (body.status === 'GRANTED') {
      const detail = body.detail!;
      if (detail.hipId !== inbox.hip_id) {
        await this.record('abdm_consent_refused', existing?.id ?? null, body.consentId, {
          status: body.status,
          cause: 'artefact names another HIP',
        });
        await ack(DATA_FLOW_ERRORS.consentHipMismatch);
        return;
      }
      if (existing) {
        // A repeat of the grant, or a grant arriving after the revocation: nothing changes.
        await this.record('abdm_consent_notify_ignored', existing.id, body.consentId, {
          status: body.status,
          current: existing.status,
        });
        await ack();
        return;
      }
      const patients = await this.repo.patientOfCareContexts(
        detail.careContexts.map((c) => c.careContextReference),
      );
      // A consent over care contexts of more than one patient (or none we linked) releases nothing;
      // nor does one whose patient (an ABHA address) is not the one those care contexts were linked to.
      const owners = new Set(patients.map((p) => p.patientId));
      const owner = owners.size === 1 ? patients[0].patientId : undefined;
      const artefactPatient = normaliseAbhaAddress(detail.patientId);
      const patientId = owner && patients.some((p) => p.abhaAddress === artefactPatient) ? owner : null;
      const id = await this.repo.insertGranted(
        inbox.tenant_id,
        detail,
        patientId,
        body.signature ?? null,
        inbox.request_id,
      );
      await this.record('abdm_consent_granted', id ?? null, body.consentId, {
        status: 'GRANTED',
        careContexts: detail.careContexts.length,
        hiTypes: detail.hiTypes,
        hiuId: detail.hiuId,
        patientResolved: patientId !== null,
        ...(owner && patientId === null ? { cause: 'artefact patient is not the linked ABHA address' } : {}),
      });
      await ack();
      return;
    }

    // REVOKED or EXPIRED
    if (!existing) {
      await this.record('abdm_consent_notify_ignored', null, body.consentId, {
        status: body.status,
        current: null,
      });
      await ack();
      return;
    }
    if (existing.status === 'GRANTED') {
      await this.repo.setStatus(body.consentId, body.status, inbox.request_id);
      await this.record(`abdm_consent_${body.status.toLowerCase()}`, existing.id, body.consentId, {
        status: body.status,
        from: existing.status,
      });
      await this.stopPending(existing, body.status === 'REVOKED' ? 'Consent revoked' : 'Consent expired');
    } else {
      await this.record('abdm_consent_notify_ignored', existing.id, body.consentId, {
        status: body.status,
        current: existing.status,
      });
    }
    await ack();
  }

  /** Stops the requests under a consent that have not started, and tells the consent manager. */
  async stopPending(consent: ConsentRow, reason: string): Promise<void> {
    for (const r of await this.repo.pendingOf(consent.consent_id)) {
      await this.repo.finishHiRequest(r.id, 'stopped', {
        pages: 0,
        bytes: 0,
        careContexts: {},
        failure: reason,
      });
      const notifyRequestId = await this.enqueueNotify(
        r.tenant_id,
        r.hip_id,
        hiNotifyBody({
          consentId: consent.consent_id,
          transactionId: r.transaction_id,
          hipId: r.hip_id,
          careContexts: {},
          session: 'FAILED',
          reason,
        }),
      );
      await this.audit.record({
        action: 'abdm_hi_transfer',
        entityType: 'abdm_hi_request',
        entityId: r.id,
        details: {
          transactionId: r.transaction_id,
          consentId: consent.consent_id,
          hiuId: r.hiu_id,
          careContexts: {},
          pages: 0,
          bytes: 0,
          outcome: 'stopped',
          cause: reason,
          notifyRequestId,
        },
      });
      this.log.log(`transfer ${r.id} stopped before it started (${reason})`);
    }
  }

  /** Queues the health-information notify (a call of ours, not an answer); delivered by the processor. */
  async enqueueNotify(tenantId: string, hipId: string, body: Record<string, unknown>): Promise<string> {
    const requestId = randomUUID();
    await this.outbound.enqueueOutbound({
      tenantId,
      transactionRef: null,
      path: DATA_FLOW_GATEWAY_PATHS.hiNotify,
      requestId,
      inReplyTo: null,
      body,
      headers: { 'X-HIP-ID': hipId },
    });
    await this.audit.record({
      action: 'abdm_outbound_queued',
      entityType: 'abdm_request',
      entityId: requestId,
      details: { path: DATA_FLOW_GATEWAY_PATHS.hiNotify },
    });
    return requestId;
  }

  private record(
    action: string,
    id: string | null,
    consentId: string,
    details: Record<string, unknown>,
  ): Promise<void> {
    return this.audit.record({
      action,
      entityType: 'abdm_consent',
      entityId: id,
      details: { consentId, ...details },
    });
  }
}
