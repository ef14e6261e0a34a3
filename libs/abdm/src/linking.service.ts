import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AuditRecorder } from '@hims/audit';
import { isUuid } from '@hims/errors';
import { ABDM_CONFIG, AbdmConfig } from './abdm.config';
import { AbdmRepository, TransactionRow } from './abdm.repository';
import type { InboxRow } from './inbox.repository';
import { parseLinkConfirm, parseLinkInit } from './callback-bodies';
import { patientEntries } from './care-contexts';
import { ABDM_ERRORS, AbdmError, GATEWAY_PATHS } from './gateway-paths';
import { hashOtp, newOtp, otpMatches } from './otp';
import { PatientLookupRepository } from './patient-lookup.repository';
import { SMS_SENDER, SmsSender } from './sms';
import { AbdmTransactions } from './transactions.service';

/**
 * User-initiated linking: link init sends a one-time code to the patient's
 * mobile (stored hashed, limited life and attempts) and answers on-init with a
 * link reference; link confirm checks the code and links the care contexts to
 * the ABHA address, answering on-confirm.
 */
@Injectable()
export class LinkingService {
  constructor(
    private readonly repo: AbdmRepository,
    private readonly patients: PatientLookupRepository,
    private readonly transactions: AbdmTransactions,
    private readonly audit: AuditRecorder,
    @Inject(SMS_SENDER) private readonly sms: SmsSender,
    @Inject(ABDM_CONFIG) private readonly config: AbdmConfig,
  ) {}

  async init(inbox: InboxRow): Promise<void> {
    const body = parseLinkInit(inbox.body);
    const tx = await this.repo.findTransaction(body.transactionId);
    const fail = (error: AbdmError) =>
      this.transactions.answer(inbox.tenant_id, tx?.id ?? null, GATEWAY_PATHS.onInit, inbox.request_id, {
        transactionId: body.transactionId,
        error,
      });
    if (!tx || tx.state !== 'discovered' || !tx.patient_id)
      return void (await fail(ABDM_ERRORS.invalidTransaction));

    const discovered = new Map((tx.discovery.careContexts ?? []).map((c) => [c.referenceNumber, c]));
    if (body.patient.some((p) => p.referenceNumber !== tx.discovery.patientReference)) {
      return void (await fail(ABDM_ERRORS.invalidPatientReference));
    }
    const requested = [...new Set(body.patient.flatMap((p) => p.careContexts.map((c) => c.referenceNumber)))];
    const linked = await this.repo.linkedContextIds(tx.patient_id);
    if (requested.length === 0 || requested.some((id) => !discovered.has(id) || linked.has(id))) {
      return void (await fail(ABDM_ERRORS.invalidCareContexts));
    }
    const contact = await this.patients.contact(tx.patient_id);
    const phone = contact?.phones[0];
    if (!phone) return void (await fail(ABDM_ERRORS.noContact));

    const otp = newOtp();
    const { hash, salt } = hashOtp(otp);
    const linkRef = randomUUID();
    const expiresAt = new Date(Date.now() + this.config.otpTtlSeconds * 1000);
    await this.repo.setLinkInit(tx.id, {
      abhaAddress: body.abhaAddress.toLowerCase(),
      contexts: requested,
      linkRef,
      otpHash: hash,
      otpSalt: salt,
      expiresAt,
    });
    await this.sms.send({
      tenantId: inbox.tenant_id,
      phone,
      text: `${otp} is your code to link your records to your ABHA address. It expires in ${Math.round(this.config.otpTtlSeconds / 60)} minutes.`,
      transactionRef: tx.id,
    });
    await this.transactions.transition(tx, 'link_initiated', 'link code sent', inbox.request_id);
    await this.audit.record({
      action: 'abdm_link_init',
      entityType: 'patient',
      entityId: tx.patient_id,
      details: { careContexts: requested.length },
    });
    await this.transactions.answer(inbox.tenant_id, tx.id, GATEWAY_PATHS.onInit, inbox.request_id, {
      transactionId: body.transactionId,
      link: {
        referenceNumber: linkRef,
        authenticationType: 'DIRECT',
        meta: {
          communicationMedium: 'MOBILE',
          communicationHint: 'OTP',
          communicationExpiry: expiresAt.toISOString(),
        },
      },
    });
  }

  async confirm(inbox: InboxRow): Promise<void> {
    const body = parseLinkConfirm(inbox.body);
    const ref = body.confirmation.linkRefNumber;
    const tx = isUuid(ref) ? await this.repo.findByLinkRef(ref.toLowerCase()) : undefined;
    const fail = (error: AbdmError) =>
      this.transactions.answer(inbox.tenant_id, tx?.id ?? null, GATEWAY_PATHS.onConfirm, inbox.request_id, {
        error,
      });
    if (!tx || tx.state !== 'link_initiated' || !tx.otp_hash || !tx.otp_salt || !tx.patient_id) {
      return void (await fail(ABDM_ERRORS.invalidLinkRef));
    }
    if (!tx.otp_expires_at || tx.otp_expires_at.getTime() < Date.now()) {
      await this.repo.clearOtp(tx.id);
      await this.transactions.transition(tx, 'expired', 'link code expired', inbox.request_id);
      return void (await fail(ABDM_ERRORS.otpExpired));
    }
    if (!otpMatches(body.confirmation.token, tx.otp_hash, tx.otp_salt)) {
      const attempts = await this.repo.countOtpAttempt(tx.id);
      if (attempts >= this.config.otpMaxAttempts) {
        await this.repo.clearOtp(tx.id);
        await this.transactions.transition(
          tx,
          'failed',
          'too many wrong codes',
          inbox.request_id,
          'otp attempts exhausted',
        );
        return void (await fail(ABDM_ERRORS.tooManyAttempts));
      }
      return void (await fail(ABDM_ERRORS.incorrectOtp));
    }
    await this.link(tx, inbox);
  }

  private async link(tx: TransactionRow, inbox: InboxRow): Promise<void> {
    const patientId = tx.patient_id!;
    const contexts = (tx.discovery.careContexts ?? []).filter((c) =>
      tx.requested_contexts.includes(c.referenceNumber),
    );
    await this.repo.insertLinks(
      inbox.tenant_id,
      patientId,
      tx.abha_address ?? '',
      tx.id,
      contexts.map((c) => ({ id: c.referenceNumber, hiType: c.hiType })),
    );
    await this.repo.clearOtp(tx.id);
    await this.transactions.transition(tx, 'linked', 'link code confirmed', inbox.request_id);
    await this.audit.record({
      action: 'abdm_linked',
      entityType: 'patient',
      entityId: patientId,
      details: { careContexts: contexts.length },
    });
    await this.transactions.answer(inbox.tenant_id, tx.id, GATEWAY_PATHS.onConfirm, inbox.request_id, {
      patient: patientEntries(
        tx.discovery.patientReference ?? '',
        tx.discovery.patientDisplay ?? '',
        contexts,
      ),
    });
  }
}
