import { Injectable } from '@nestjs/common';
import { AuditRecorder } from '@hims/audit';
import { normaliseAbhaAddress, normaliseAbhaNumber, normalisePhone, searchForm } from '@hims/patients';
import { VisitsService } from '@hims/visits';
import { AbdmRepository, DiscoveryRecord } from './abdm.repository';
import type { InboxRow } from './inbox.repository';
import { Identifier, parseDiscover } from './callback-bodies';
import { patientEntries, visitCareContexts } from './care-contexts';
import { ABDM_ERRORS, GATEWAY_PATHS } from './gateway-paths';
import { identifiersOf, matchPatient } from './patient-match';
import { PatientLookupRepository } from './patient-lookup.repository';
import { AbdmTransactions } from './transactions.service';

function normalise(i: Identifier): string | undefined {
  switch (i.type) {
    case 'ABHA_ADDRESS':
      return normaliseAbhaAddress(i.value);
    case 'ABHA_NUMBER':
      return normaliseAbhaNumber(i.value);
    case 'MOBILE':
      return normalisePhone(i.value, 'IN');
    case 'MR':
      return i.value.trim() || undefined;
    case 'EMAIL':
      return undefined; // we hold no e-mail addresses to match
  }
}

/**
 * Care-context discovery (user-initiated linking): matches the requester to at
 * most one patient of this clinic, offers the care contexts of that patient's signed visits
 * not yet linked (one per HI type a visit has: care-contexts.ts), stores the result under the gateway's transactionId for the link
 * step, and queues on-discover.
 */
@Injectable()
export class DiscoveryService {
  constructor(
    private readonly repo: AbdmRepository,
    private readonly patients: PatientLookupRepository,
    private readonly visits: VisitsService,
    private readonly transactions: AbdmTransactions,
    private readonly audit: AuditRecorder,
  ) {}

  async handle(inbox: InboxRow): Promise<void> {
    const body = parseDiscover(inbox.body);
    const reply = (txRef: string | null, payload: Record<string, unknown>) =>
      this.transactions.answer(inbox.tenant_id, txRef, GATEWAY_PATHS.onDiscover, inbox.request_id, {
        transactionId: body.transactionId,
        ...payload,
      });

    const verified = identifiersOf(body.patient.verifiedIdentifiers, normalise);
    // The patient's ABHA address (patient.id) is itself verified by the consent manager.
    verified.abhaAddress ??= normaliseAbhaAddress(body.patient.id);
    const unverified = identifiersOf(body.patient.unverifiedIdentifiers, normalise);
    const candidates = await this.patients.candidates(verified, searchForm(body.patient.name));
    const outcome = matchPatient(body.patient, verified, unverified, candidates);

    if (outcome.kind !== 'one') {
      const tx = await this.repo.insertTransaction({
        tenantId: inbox.tenant_id,
        transactionId: body.transactionId,
        hipId: inbox.hip_id,
        state: 'no_match',
        patientId: null,
        abhaAddress: null,
        discovery: {},
      });
      if (!tx) {
        await reply(null, { error: ABDM_ERRORS.duplicateDiscovery });
        return;
      }
      await this.transactions.created(
        tx,
        outcome.kind === 'none' ? 'no patient matched' : 'several patients matched',
        inbox.request_id,
      );
      await reply(tx.id, {
        error: outcome.kind === 'none' ? ABDM_ERRORS.patientNotFound : ABDM_ERRORS.multiplePatients,
      });
      return;
    }

    const linked = await this.repo.linkedContextIds(outcome.patientId);
    const careContexts = (await this.visits.listSignedForPatient(outcome.patientId))
      .flatMap(visitCareContexts)
      .filter((c) => !linked.has(c.referenceNumber));
    const contact = await this.patients.contact(outcome.patientId);
    const discovery: DiscoveryRecord = {
      patientReference: outcome.patientId,
      patientDisplay: contact?.name_text ?? '',
      careContexts,
      matchedBy: outcome.matchedBy,
    };
    const tx = await this.repo.insertTransaction({
      tenantId: inbox.tenant_id,
      transactionId: body.transactionId,
      hipId: inbox.hip_id,
      state: 'discovered',
      patientId: outcome.patientId,
      abhaAddress: normaliseAbhaAddress(body.patient.id) ?? null,
      discovery,
    });
    if (!tx) {
      await reply(null, { error: ABDM_ERRORS.duplicateDiscovery });
      return;
    }
    await this.transactions.created(tx, 'patient matched', inbox.request_id);
    await this.audit.record({
      action: 'abdm_discover',
      entityType: 'patient',
      entityId: outcome.patientId,
      details: { careContexts: careContexts.length },
    });
    const contexts = discovery.careContexts ?? [];
    await reply(tx.id, {
      patient: patientEntries(discovery.patientReference ?? '', discovery.patientDisplay ?? '', contexts),
      matchedBy: outcome.matchedBy,
    });
  }
}
