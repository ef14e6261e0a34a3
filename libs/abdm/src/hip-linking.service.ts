import { Inject, Injectable, Logger } from '@nestjs/common';
import { decodeJwt } from 'jose';
import { AuditRecorder } from '@hims/audit';
import { TenantScope } from '@hims/tenancy';
import { ABDM_CONFIG, AbdmConfig } from './abdm.config';
import { AbdmRepository, TransactionRow } from './abdm.repository';
import { parseOnCarecontext, parseOnGenerateToken } from './callback-bodies';
import { careContextDisplay, patientEntries } from './care-contexts';
import { gatewaySaid } from './gateway-error';
import { LinkTokenRepository } from './link-token.repository';
import { GATEWAY_PATHS, HI_TYPE_OP_CONSULTATION } from './gateway-paths';
import type { InboxRow } from './inbox.repository';
import { InboxRepository } from './inbox.repository';
import { OutboundRepository } from './outbound.repository';
import { AutoLinkCandidate, PatientLookupRepository } from './patient-lookup.repository';
import { ContextNotifyService } from './context-notify.service';
import { AbdmTransactions } from './transactions.service';

const GENDER: Record<string, string> = { male: 'M', female: 'F', other: 'O', unknown: 'O' };
/** The on_carecontext status of a made link (contracts/abdm OnCarecontext.status). */
const LINKED_STATUS = /^successfully linked care context$/i;
/** A link token lives six months; a token whose own `exp` cannot be read is kept that long. */
const LINK_TOKEN_LIFETIME_MS = 180 * 86400_000;

/** The token's `exp` (the gateway signs link tokens as JWTs), else six months from now. */
export function linkTokenExpiry(token: string, now = Date.now()): Date {
  try {
    const exp = decodeJwt(token).exp;
    if (typeof exp === 'number' && exp * 1000 > now) return new Date(exp * 1000);
  } catch {
    // not a JWT: fall back to the documented lifetime
  }
  return new Date(now + LINK_TOKEN_LIFETIME_MS);
}

/**
 * HIP-initiated linking, for clinics that opt in per HIP id (auto_link): each
 * signed visit of a patient with an ABHA address is linked without the patient
 * asking. generate-token -> on-generate-token (link token, kept and reused for its six
 * months) -> link/carecontext with X-LINK-TOKEN (and the ABHA number the token was made
 * with) -> on_carecontext. Each step is a transition of the visit's
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
    private readonly linkTokens: LinkTokenRepository,
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
   * Opens a HIP-initiated transaction for one visit and links it with the patient's link token:
   * the one we hold (a token lives six months), else a new one is asked for, unless a request for
   * the same ABHA address is already out (the gateway refuses a duplicate, ABDM-1092: this link
   * waits for that token). Undefined when a link of that visit is already under way. Also the
   * admin's retry of a failed one.
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
      discovery: {
        patientReference: v.patient_id,
        patientDisplay: v.name_text,
        careContexts: [context],
        ...(v.abha_number ? { abhaNumber: v.abha_number } : {}),
      },
    });
    if (!tx) return undefined;
    await this.transactions.created(tx, cause, null);
    await this.audit.record({
      action: 'abdm_hip_link_start',
      entityType: 'patient',
      entityId: v.patient_id,
    });
    const held = await this.linkTokens.valid(hipId, v.abha_address);
    if (held) {
      await this.link(tx, held.token, null, 'link token reused');
      return tx;
    }
    const waiting = await this.repo.awaitingToken(hipId, v.abha_address);
    if (waiting.some((w) => w.id !== tx.id)) return tx; // linked when that request's token arrives
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
    if (!tx || tx.state !== 'token_requested' || !tx.abha_address) return;
    const waiting = await this.repo.awaitingToken(tx.hip_id, tx.abha_address);
    if (body.error || !body.linkToken) {
      const said = gatewaySaid(body.error) ?? 'no token';
      for (const w of waiting)
        await this.transactions.transition(w, 'failed', 'link token refused', row.request_id, said);
      return;
    }
    await this.linkTokens.store({
      tenantId: row.tenant_id,
      hipId: tx.hip_id,
      abhaAddress: tx.abha_address,
      token: body.linkToken,
      withAbhaNumber: !!tx.discovery.abhaNumber,
      expiresAt: linkTokenExpiry(body.linkToken),
      requestId: row.request_id,
    });
    for (const w of waiting) await this.link(w, body.linkToken, row.request_id, 'link token received');
  }

  /** Sends the transaction's care contexts with the link token (link/carecontext); token_requested -> linking. */
  private async link(tx: TransactionRow, linkToken: string, requestId: string | null, cause: string) {
    const contexts = tx.discovery.careContexts ?? [];
    await this.transactions.call(
      tx.tenant_id,
      tx.id,
      GATEWAY_PATHS.linkCarecontext,
      {
        ...(tx.discovery.abhaNumber ? { abhaNumber: tx.discovery.abhaNumber } : {}),
        abhaAddress: tx.abha_address,
        patient: patientEntries(
          tx.discovery.patientReference ?? '',
          tx.discovery.patientDisplay ?? '',
          contexts,
        ),
      },
      { 'X-HIP-ID': tx.hip_id, 'X-LINK-TOKEN': linkToken },
    );
    await this.transactions.transition(tx, 'linking', cause, requestId);
  }

  async onCarecontext(row: InboxRow): Promise<void> {
    const body = parseOnCarecontext(row.body);
    const tx = await this.transactionAnswered(body.response.requestId);
    if (!tx || tx.state !== 'linking' || !tx.patient_id) return;
    // Only the success status links; "Failed to link care context" and "invalid" are refusals.
    if (body.error || !LINKED_STATUS.test(body.status ?? '')) {
      await this.transactions.transition(
        tx,
        'failed',
        'care context link refused',
        row.request_id,
        gatewaySaid(body.error) ?? `status ${body.status ?? 'none'}`,
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
    const token = tx.abha_address ? await this.linkTokens.valid(tx.hip_id, tx.abha_address) : undefined;
    await this.contextNotify.afterLink(tx, token?.token);
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
