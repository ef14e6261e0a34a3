import { Inject, Injectable, Logger } from '@nestjs/common';
import { AuditRecorder } from '@hims/audit';
import { TenantScope } from '@hims/tenancy';
import { ABDM_CONFIG, AbdmConfig } from './abdm.config';
import { AbdmRepository, TransactionRow } from './abdm.repository';
import { parseOnCarecontext, parseOnGenerateToken } from './callback-bodies';
import { careContextDisplay } from './care-contexts';
import { GATEWAY_PATHS, HI_TYPE_OP_CONSULTATION } from './gateway-paths';
import type { InboxRow } from './inbox.repository';
import { InboxRepository } from './inbox.repository';
import { OutboundRepository } from './outbound.repository';
import { AutoLinkCandidate, PatientLookupRepository } from './patient-lookup.repository';
import { ContextNotifyService } from './context-notify.service';
import { AbdmTransactions } from './transactions.service';

const GENDER: Record<string, string> = { male: 'M', female: 'F', other: 'O', unknown: 'O' };

/**
 * HIP-initiated linking, for clinics that opt in per HIP id (auto_link): each
 * signed visit of a patient with an ABHA address is linked without the patient
 * asking. generate-token -> on-generate-token (link token) -> link/carecontext
 * with X-LINK-TOKEN -> on_carecontext. Each step is a transition of the visit's
 * transaction (token_requested -> linking -> linked, or failed); once linked, the
 * context notification follows (context-notify.service.ts).
 */
@Injectable()
export class HipLinkingService {
  private readonly log = new Logger('AbdmHipLinking');

  constructor(
    private readonly repo: AbdmRepository,
    private readonly inbox: InboxRepository,
    private readonly outbound: OutboundRepository,
    private readonly patients: PatientLookupRepository,
    private readonly transactions: AbdmTransactions,
    private readonly audit: AuditRecorder,
    private readonly scope: TenantScope,
    @Inject(ABDM_CONFIG) private readonly config: AbdmConfig,
    private readonly contextNotify: ContextNotifyService,
  ) {}

  /** Starts a link for every new signed visit in the opted-in clinics; returns how many. */
  async scan(limitPerTenant = 20): Promise<number> {
    let started = 0;
    for (const tenantId of await this.inbox.tenantsWithAutoLink()) {
      started += await this.scope.run({ tenantId }, () => this.startForTenant(tenantId, limitPerTenant));
    }
    if (started > 0) this.log.log(`started ${started} HIP-initiated links`);
    return started;
  }

  private async startForTenant(tenantId: string, limit: number): Promise<number> {
    const hipId = await this.repo.autoLinkHip(this.config.hipIdPrefix);
    if (!hipId) return 0;
    let started = 0;
    for (const v of await this.patients.visitsToAutoLink(limit)) {
      if (await this.startLink(tenantId, hipId, v, 'visit signed')) started++;
    }
    return started;
  }

  /**
   * Opens a HIP-initiated transaction for one visit and asks for its link token; undefined
   * when a link of that visit is already under way. Also the admin's retry of a failed one.
   */
  async startLink(
    tenantId: string,
    hipId: string,
    v: AutoLinkCandidate,
    cause: string,
  ): Promise<TransactionRow | undefined> {
    const context = {
      referenceNumber: v.visit_id,
      display: careContextDisplay(HI_TYPE_OP_CONSULTATION, v.department, v.scheduled_at),
      hiType: HI_TYPE_OP_CONSULTATION,
    };
    const tx = await this.repo.insertHipInitiated({
      tenantId,
      hipId,
      patientId: v.patient_id,
      abhaAddress: v.abha_address,
      visitId: v.visit_id,
      discovery: { patientReference: v.patient_id, patientDisplay: v.name_text, careContexts: [context] },
    });
    if (!tx) return undefined;
    await this.transactions.created(tx, cause, null);
    await this.audit.record({
      action: 'abdm_hip_link_start',
      entityType: 'patient',
      entityId: v.patient_id,
    });
    await this.transactions.call(
      tenantId,
      tx.id,
      GATEWAY_PATHS.generateToken,
      {
        ...(v.abha_number ? { abhaNumber: v.abha_number } : {}),
        abhaAddress: v.abha_address,
        name: v.name_text,
        gender: GENDER[v.gender] ?? 'O',
        yearOfBirth: v.birth_year,
      },
      { 'X-HIP-ID': hipId },
    );
    return tx;
  }

  async onGenerateToken(row: InboxRow): Promise<void> {
    const body = parseOnGenerateToken(row.body);
    const tx = await this.transactionAnswered(body.response.requestId);
    if (!tx || tx.state !== 'token_requested') return;
    if (body.error || !body.linkToken) {
      await this.transactions.transition(
        tx,
        'failed',
        'link token refused',
        row.request_id,
        body.error?.code ?? 'no token',
      );
      return;
    }
    const contexts = tx.discovery.careContexts ?? [];
    await this.transactions.call(
      row.tenant_id,
      tx.id,
      GATEWAY_PATHS.linkCarecontext,
      {
        abhaAddress: tx.abha_address,
        patient: [
          {
            referenceNumber: tx.discovery.patientReference,
            display: tx.discovery.patientDisplay,
            careContexts: contexts.map((c) => ({ referenceNumber: c.referenceNumber, display: c.display })),
            hiType: HI_TYPE_OP_CONSULTATION,
            count: contexts.length,
          },
        ],
      },
      { 'X-HIP-ID': tx.hip_id, 'X-LINK-TOKEN': body.linkToken },
    );
    await this.transactions.transition(tx, 'linking', 'link token received', row.request_id);
  }

  async onCarecontext(row: InboxRow): Promise<void> {
    const body = parseOnCarecontext(row.body);
    const tx = await this.transactionAnswered(body.response.requestId);
    if (!tx || tx.state !== 'linking' || !tx.patient_id) return;
    if (body.error) {
      await this.transactions.transition(
        tx,
        'failed',
        'care context link refused',
        row.request_id,
        body.error.code ?? 'error',
      );
      return;
    }
    const contexts = tx.discovery.careContexts ?? [];
    await this.repo.insertLinks(
      row.tenant_id,
      tx.patient_id,
      tx.abha_address ?? '',
      tx.id,
      contexts.map((c) => ({ id: c.referenceNumber, hiType: c.hiType })),
    );
    await this.transactions.transition(tx, 'linked', 'care context linked', row.request_id);
    await this.contextNotify.afterLink(tx);
    await this.audit.record({
      action: 'abdm_linked',
      entityType: 'patient',
      entityId: tx.patient_id,
      details: { careContexts: contexts.length },
    });
  }

  private async transactionAnswered(requestId: string) {
    const ref = await this.outbound.transactionOfRequest(requestId);
    return ref ? this.repo.findById(ref) : undefined;
  }
}
