import { Injectable } from '@nestjs/common';
import { AuditRecorder } from '@hims/audit';
import { FideliusError, normalisePublicKey } from '@hims/fidelius';
import { isVisitDocumentType } from '@hims/visits';
import { parseHiRequest, type HiRequestBody } from './consent-bodies';
import { ConsentRepository, ConsentRow } from './consent.repository';
import { consentUsable } from './consent.service';
import { DATA_FLOW_ERRORS, DATA_FLOW_GATEWAY_PATHS, type DataFlowError } from './data-flow-paths';
import type { InboxRow } from './inbox.repository';
import { AbdmTransactions } from './transactions.service';

const NONCE_BYTES = 32;

/** Why a request is refused, or undefined when it may go ahead. */
export function refusal(
  consent: ConsentRow | undefined,
  hipId: string,
  req: Pick<HiRequestBody, 'dateRange' | 'keyMaterial'>,
  now = new Date(),
): DataFlowError | undefined {
  if (!consent) return DATA_FLOW_ERRORS.consentNotFound;
  if (consent.hip_id !== hipId) return DATA_FLOW_ERRORS.consentHipMismatch;
  if (consent.status === 'REVOKED') return DATA_FLOW_ERRORS.consentRevoked;
  if (!consentUsable(consent, now)) return DATA_FLOW_ERRORS.consentExpired;
  if (
    !consent.date_from ||
    !consent.date_to ||
    req.dateRange.from.getTime() < consent.date_from.getTime() ||
    req.dateRange.to.getTime() > consent.date_to.getTime()
  ) {
    return DATA_FLOW_ERRORS.dateRangeOutsideConsent;
  }
  // This clinic holds a visit's documents only (OP consultation, prescription, wellness record).
  if (!consent.hi_types.some(isVisitDocumentType)) return DATA_FLOW_ERRORS.noAllowedHiType;
  const km = req.keyMaterial;
  // HIUs and NHA's own example spell the curve `curve25519`: names are compared case-insensitively.
  if (km.cryptoAlg.toUpperCase() !== 'ECDH' || km.curve.toLowerCase() !== 'curve25519')
    return DATA_FLOW_ERRORS.invalidKeyMaterial;
  try {
    normalisePublicKey(km.dhPublicKey.keyValue);
  } catch (err) {
    if (err instanceof FideliusError) return DATA_FLOW_ERRORS.invalidKeyMaterial;
    throw err;
  }
  if (Buffer.from(km.nonce, 'base64').length !== NONCE_BYTES) return DATA_FLOW_ERRORS.invalidKeyMaterial;
  return undefined;
}

/**
 * A health-information request from the consent manager (in the inbox row's tenant
 * transaction): checked against the consent this clinic holds (exists here, for this HIP,
 * GRANTED, data-erase-at not reached, range inside the consent's, an HI type we hold, usable
 * key material); a refusal is answered on-request with the error alone, an acceptance is
 * stored as a pending transfer and answered ACKNOWLEDGED. The transfer itself is the worker's
 * (TransferService). One transfer per transactionId.
 */
@Injectable()
export class HealthInformationRequestService {
  constructor(
    private readonly repo: ConsentRepository,
    private readonly transactions: AbdmTransactions,
    private readonly audit: AuditRecorder,
  ) {}

  async handle(inbox: InboxRow): Promise<void> {
    const body = parseHiRequest(inbox.body);
    // ACKNOWLEDGED, or (a refusal) the error alone: v3 defines no other session status.
    const answer = (error?: DataFlowError) =>
      this.transactions.answer(
        inbox.tenant_id,
        null,
        DATA_FLOW_GATEWAY_PATHS.hiOnRequest,
        inbox.request_id,
        error
          ? { error: { code: error.code, message: error.message } }
          : { hiRequest: { transactionId: body.transactionId, sessionStatus: 'ACKNOWLEDGED' } },
      );
    const consent = await this.repo.findConsent(body.consentId);
    const refused = refusal(consent, inbox.hip_id, body);
    if (refused) {
      await this.record(null, body, consent, {
        outcome: 'refused',
        code: refused.code,
        cause: refused.message,
      });
      await answer(refused);
      return;
    }
    const id = await this.repo.insertHiRequest({
      tenantId: inbox.tenant_id,
      transactionId: body.transactionId,
      consentId: body.consentId,
      requestId: inbox.request_id,
      hipId: inbox.hip_id,
      hiuId: consent!.hiu_id,
      dataPushUrl: body.dataPushUrl,
      keyMaterial: { publicKey: body.keyMaterial.dhPublicKey.keyValue, nonce: body.keyMaterial.nonce },
      from: body.dateRange.from,
      to: body.dateRange.to,
    });
    if (!id) {
      const error = DATA_FLOW_ERRORS.duplicateTransaction;
      await this.record(null, body, consent, { outcome: 'refused', code: error.code, cause: error.message });
      await answer(error);
      return;
    }
    await this.record(id, body, consent, { outcome: 'acknowledged' });
    await answer();
  }

  private record(
    id: string | null,
    body: HiRequestBody,
    consent: ConsentRow | undefined,
    details: Record<string, unknown>,
  ): Promise<void> {
    return this.audit.record({
      action: 'abdm_hi_request',
      entityType: 'abdm_hi_request',
      entityId: id,
      details: {
        transactionId: body.transactionId,
        consentId: body.consentId,
        hiuId: consent?.hiu_id ?? null,
        from: body.dateRange.from.toISOString(),
        to: body.dateRange.to.toISOString(),
        ...details,
      },
    });
  }
}
