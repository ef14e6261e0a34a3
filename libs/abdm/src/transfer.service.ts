import { Inject, Injectable, Logger } from '@nestjs/common';
import { AuditRecorder } from '@hims/audit';
import {
  buildTransferPages,
  DataPushClient,
  type DataPushPage,
  type TransferDocument,
} from '@hims/health-information';
import { TenantScope } from '@hims/tenancy';
import { traced } from '@hims/tracing';
import { isVisitDocumentType, VisitDocumentService } from '@hims/visits';
import { ABDM_CONFIG, AbdmConfig } from './abdm.config';
import { careContextRef } from './care-contexts';
import { ConsentRepository, ConsentRow, HiRequestRow } from './consent.repository';
import { ConsentService, consentUsable } from './consent.service';
import { GatewayClient } from './gateway.client';
import { type CareContextOutcome, hiNotifyBody } from './hi-notify';

/** What the first transaction prepared: the encrypted pages (no plaintext) or why nothing goes. */
type Prepared =
  | { kind: 'none' }
  | {
      kind: 'stop';
      status: 'stopped' | 'failed';
      row: HiRequestRow;
      consent: ConsentRow | undefined;
      reason: string;
    }
  | {
      kind: 'push';
      row: HiRequestRow;
      consent: ConsentRow;
      pages: DataPushPage[];
      /** Care contexts the consent names that this clinic does not release (not linked here, out of range, unsigned). */
      unreleased: string[];
    };

const LEASE_MS = 10 * 60_000;
/** Why a transfer sent nothing: no care context of the consent is held, linked, signed and in range here. */
const NOTHING_RELEASED = 'No health information available for the consent';
/** A transfer whose preparation or push crashed this often (lease lapsed each time) ends failed. */
const MAX_LEASES = 3;

/**
 * The health-information transfer, worked off by the processor: for a due request it
 * (1) in the tenant's transaction leases the request, re-checks the consent, picks the care
 * contexts the consent names that this clinic linked for its patient, of an allowed HI type,
 * signed, dated inside the requested range, renders each visit's current FHIR document
 * (VisitDocumentService, what GET /api/v1/visits/{id}/fhir answers) and encrypts it into pages
 * with fresh key material (libs/health-information); (2) outside any transaction, pushes the
 * pages to the HIU one by one, re-reading the consent before each (a revocation stops the rest);
 * (3) records the outcome, audits it (consent, care contexts, HIU, bytes, outcome) and queues
 * the health-information notify. Logs and span attributes carry ids and counts only.
 */
@Injectable()
export class TransferService {
  private readonly log = new Logger('AbdmTransfer');
  private readonly client: DataPushClient;
  private inFlight?: Promise<void>;

  constructor(
    @Inject(ABDM_CONFIG) private readonly config: AbdmConfig,
    private readonly repo: ConsentRepository,
    private readonly consents: ConsentService,
    private readonly documents: VisitDocumentService,
    private readonly scope: TenantScope,
    private readonly audit: AuditRecorder,
    private readonly gateway: GatewayClient,
  ) {
    this.client = new DataPushClient({
      maxAttempts: config.maxAttempts,
      baseDelayMs: config.backoffBaseMs,
      maxDelayMs: config.backoffMaxMs,
      timeoutMs: config.requestTimeoutMs,
      logger: this.log,
    });
  }

  /**
   * Starts a pass over the due transfers in the background unless one is running, so the
   * processor keeps handling callbacks (a revocation among them) while pages are pushed;
   * `done` runs after the pass (the processor delivers the notify it queued).
   */
  kick(done: () => void): void {
    if (this.inFlight) return;
    this.inFlight = this.runDue()
      .then((n) => {
        if (n > 0) done();
      })
      .catch((err) =>
        this.log.warn(`transfer pass failed (${(err as { code?: string }).code ?? (err as Error).name})`),
      )
      .finally(() => {
        this.inFlight = undefined;
      });
  }

  /** Resolves when no pass is running (shutdown). */
  async idle(): Promise<void> {
    await this.inFlight;
  }

  /** Runs the transfers that are due; returns how many it worked on. */
  async runDue(limit = 5): Promise<number> {
    const due = await this.repo.dueTransfers(limit);
    for (const d of due) {
      try {
        await this.transfer(d.tenant_id, d.id);
      } catch (err) {
        // The lease lapses and a later pass tries again.
        this.log.warn(`transfer ${d.id} failed (${(err as { code?: string }).code ?? (err as Error).name})`);
      }
    }
    return due.length;
  }

  async transfer(tenantId: string, id: string): Promise<void> {
    await traced('abdm transfer', { 'hims.tenant.id': tenantId, 'hims.hi_request.id': id }, async (span) => {
      const prepared = await this.scope.run({ tenantId }, () => this.prepare(id));
      if (prepared.kind === 'none') return;
      if (prepared.kind === 'stop') {
        span.setAttribute('hims.transfer.outcome', prepared.status);
        await this.scope.run({ tenantId }, () =>
          this.finish(prepared.row, prepared.consent, prepared.status, {}, 0, 0, prepared.reason),
        );
        return;
      }
      const { row, consent, pages, unreleased } = prepared;
      const statuses: Record<string, CareContextOutcome> = {};
      let bytes = 0;
      let delivered = 0;
      let stopReason: string | null = null;
      let unavailable = false;
      // The HIU is called with our gateway session token (the push's Authorization is mandatory).
      const authorization = pages.length > 0 ? `Bearer ${await this.gateway.sessionToken()}` : '';
      for (const page of pages) {
        const refs = page.entries.map((e) => e.careContextReference);
        if (stopReason === null && !unavailable) {
          stopReason = await this.scope.run({ tenantId }, () => this.stillAllowed(consent.consent_id));
        }
        if (stopReason !== null || unavailable) {
          for (const ref of refs) statuses[ref] = 'ERRORED';
          continue;
        }
        const [outcome] = await this.client.push(row.data_push_url, [page], { headers: { authorization } });
        for (const ref of refs) statuses[ref] = outcome.status === 'transferred' ? 'DELIVERED' : 'ERRORED';
        if (outcome.status === 'transferred') {
          bytes += Buffer.byteLength(JSON.stringify(page));
          delivered++;
        } else if (outcome.failure === 'unavailable') unavailable = true;
      }
      // Nothing to release is a failed session, each care context the consent names listed ERRORED.
      if (pages.length === 0) for (const ref of unreleased) statuses[ref] = 'ERRORED';
      const status =
        stopReason !== null
          ? 'stopped'
          : delivered > 0 && delivered === pages.length
            ? 'transferred'
            : 'failed';
      span.setAttributes({
        'hims.transfer.pages': pages.length,
        'hims.transfer.delivered': delivered,
        'hims.transfer.outcome': status,
      });
      await this.scope.run({ tenantId }, () =>
        this.finish(
          row,
          consent,
          status,
          statuses,
          pages.length,
          bytes,
          stopReason ?? (unavailable ? 'HIU unavailable' : pages.length === 0 ? NOTHING_RELEASED : null),
        ),
      );
    });
  }

  private async prepare(id: string): Promise<Prepared> {
    const row = await this.repo.leaseHiRequest(id, LEASE_MS);
    if (!row) return { kind: 'none' };
    const consent = await this.repo.findConsent(row.consent_id);
    if (row.attempts >= MAX_LEASES) {
      return { kind: 'stop', status: 'failed', row, consent, reason: 'Transfer failed repeatedly' };
    }
    if (!consent || !consentUsable(consent)) {
      return {
        kind: 'stop',
        status: 'stopped',
        row,
        consent,
        reason: consent?.status === 'REVOKED' ? 'Consent revoked' : 'Consent expired',
      };
    }
    const refs = consent.care_contexts.map((c) => c.careContextReference);
    const visits = consent.patient_id ? await this.repo.releasableVisits(consent.patient_id, refs) : [];
    const from = row.date_from.getTime();
    const to = row.date_to.getTime();
    const inScope = visits.filter(
      (v) =>
        v.signed && consent.hi_types.includes(v.hi_type) && v.at.getTime() >= from && v.at.getTime() <= to,
    );
    const documents: TransferDocument[] = [];
    for (const v of inScope) {
      // Only HI types the visit documents (isVisitDocumentType): a link row is one of them.
      if (!isVisitDocumentType(v.hi_type)) continue;
      documents.push({
        careContextReference: careContextRef(v.visit_id, v.hi_type),
        bundle: await this.documents.render(v.visit_id, v.hi_type),
      });
    }
    const hiuId = row.hiu_id ?? consent.hiu_id ?? '';
    const singlePage = this.config.singlePageHius.includes('*') || this.config.singlePageHius.includes(hiuId);
    const pages = buildTransferPages({
      transactionId: row.transaction_id,
      hiuKey: row.key_material,
      documents,
      paging: singlePage ? 'single-page' : 'page-per-document',
    });
    const released = new Set(inScope.map((v) => careContextRef(v.visit_id, v.hi_type)));
    return { kind: 'push', row, consent, pages, unreleased: refs.filter((r) => !released.has(r)) };
  }

  /** null while the consent may still release data; else why it may not. */
  private async stillAllowed(consentId: string): Promise<string | null> {
    const c = await this.repo.findConsent(consentId);
    if (c && consentUsable(c)) return null;
    return c?.status === 'REVOKED' ? 'Consent revoked' : 'Consent expired';
  }

  private async finish(
    row: HiRequestRow,
    consent: ConsentRow | undefined,
    status: 'transferred' | 'failed' | 'stopped',
    careContexts: Record<string, CareContextOutcome>,
    pages: number,
    bytes: number,
    reason: string | null,
  ): Promise<void> {
    await this.repo.finishHiRequest(row.id, status, { pages, bytes, careContexts, failure: reason });
    const notifyRequestId = await this.consents.enqueueNotify(
      row.tenant_id,
      row.hip_id,
      hiNotifyBody({
        consentId: row.consent_id,
        transactionId: row.transaction_id,
        hipId: row.hip_id,
        careContexts,
        // Nothing delivered and nothing to list is still a failed session, not an empty success.
        session:
          status === 'stopped' || (status === 'failed' && Object.keys(careContexts).length === 0)
            ? 'FAILED'
            : undefined,
        reason: reason ?? undefined,
      }),
    );
    await this.audit.record({
      action: 'abdm_hi_transfer',
      entityType: 'abdm_hi_request',
      entityId: row.id,
      details: {
        transactionId: row.transaction_id,
        consentId: row.consent_id,
        hiuId: row.hiu_id ?? consent?.hiu_id ?? null,
        careContexts,
        pages,
        bytes,
        outcome: status,
        cause: reason,
        notifyRequestId,
      },
    });
    this.log.log(
      `transfer ${row.id} ${status}: ${Object.values(careContexts).filter((s) => s === 'DELIVERED').length} of ${pages} pages delivered, ${bytes} bytes`,
    );
  }
}
