import { Injectable } from '@nestjs/common';
import { ProblemException } from '@hims/errors';
import { AadhaarNumber } from './aadhaar';
import { AbhaClient } from './abha.client';
import { AbhaFlowSupport } from './abha-flow-support';
import type { FlowRow } from './abha-flows.repository';
import { AbhaProfileFields, toVerifiedProfile, VerifiedProfile } from './abha-profile';
import { ABHA_ENROLMENT_CONSENT, abhaStep, requireState } from './abha-steps';

/** Address suggestions and choice belong to a new enrolment; a verified ABHA has its address already. */
function requireEnrolment(flow: FlowRow): void {
  if (flow.purpose !== 'enrol') {
    throw new ProblemException('abhaFlowState', 'ABHA addresses are chosen during enrolment only', {
      state: flow.state,
    });
  }
}

interface EnrolResult {
  txnId: string;
  tokens: { token: string };
  ABHAProfile: AbhaProfileFields;
  isNew: boolean;
}

/** A profile still waiting for its mobile OTP keeps the number it is waiting for. */
type PendingProfile = VerifiedProfile & { pendingMobile?: string };

/**
 * ABHA enrolment by Aadhaar OTP at the counter (contracts/abdm/abha-v3.openapi.json):
 * consent → Aadhaar OTP → enrol (the service answers the existing ABHA, isNew false, when
 * this Aadhaar has one: a second ABHA is never made) → OTP to a different mobile → address.
 */
@Injectable()
export class AbhaEnrolmentService {
  constructor(
    private readonly client: AbhaClient,
    private readonly support: AbhaFlowSupport,
  ) {}

  private get flows() {
    return this.support.flows;
  }

  async start(aadhaar: string, consentVersion: string): Promise<FlowRow> {
    this.support.requireEnabled();
    const number = AadhaarNumber.parse(aadhaar);
    if (!number) {
      throw new ProblemException('validation', 'The Aadhaar number is not valid', {
        errors: [{ field: 'aadhaar', message: `aadhaar ${AadhaarNumber.RULE}` }],
      });
    }
    if (consentVersion !== ABHA_ENROLMENT_CONSENT.version) {
      throw new ProblemException('validation', 'The consent shown is not the current text', {
        errors: [
          { field: 'consent.version', message: `consent.version must be ${ABHA_ENROLMENT_CONSENT.version}` },
        ],
      });
    }
    await this.support.checkClinicLimit();
    const sent = await abhaStep(async () =>
      this.client.post<{ txnId: string }>(
        '/v3/enrollment/request/otp',
        {
          txnId: '',
          scope: ['abha-enrol'],
          loginHint: 'aadhaar',
          loginId: await this.client.encrypt(number.revealForEncryption()),
          otpSystem: 'aadhaar',
        },
        { kind: 'otp-request' },
      ),
    );
    const flow = await this.flows.insert({
      purpose: 'enrol',
      method: 'aadhaar',
      txnId: sent.txnId,
      aadhaarLast4: number.last4,
      consentVersion,
      ttlSeconds: this.support.config.flowTtlSeconds,
    });
    await this.support.record(flow, 'abha.consent_recorded', {
      consentCode: ABHA_ENROLMENT_CONSENT.code,
      consentVersion,
    });
    await this.support.record(flow, 'abha.otp_requested', { otpSystem: 'aadhaar' });
    return flow;
  }

  /** The Aadhaar OTP, with the mobile the patient wants on the ABHA. */
  async verifyAadhaarOtp(id: string, otp: string, mobile: string): Promise<FlowRow> {
    const flow = await this.support.live(id);
    requireState(flow, 'otp-sent');
    const result = await abhaStep(async () => {
      const enrolled = await this.client.post<EnrolResult>(
        '/v3/enrollment/enrol/byAadhaar',
        {
          authData: {
            authMethods: ['otp'],
            otp: {
              timeStamp: new Date().toISOString(),
              txnId: flow.txn_id,
              otpValue: await this.client.encrypt(otp),
              mobile,
            },
          },
          consent: ABHA_ENROLMENT_CONSENT,
        },
        { kind: 'otp-verify' },
      );
      return { enrolled, profile: toVerifiedProfile(enrolled.ABHAProfile) };
    });
    const { enrolled, profile } = result;
    const mobileMatches = profile.mobile === mobile;
    let txnId = enrolled.txnId;
    if (!mobileMatches) {
      const sent = await abhaStep(async () =>
        this.client.post<{ txnId: string }>(
          '/v3/enrollment/request/otp',
          {
            txnId: enrolled.txnId,
            scope: ['abha-enrol', 'mobile-verify'],
            loginHint: 'mobile',
            loginId: await this.client.encrypt(mobile),
            otpSystem: 'abdm',
          },
          { kind: 'otp-request' },
        ),
      );
      txnId = sent.txnId || txnId;
    }
    const pending: PendingProfile = mobileMatches ? profile : { ...profile, pendingMobile: mobile };
    const next = await this.flows.update(flow.id, {
      state: mobileMatches ? 'verified' : 'mobile-otp-sent',
      txn_id: txnId,
      user_token: enrolled.tokens.token,
      profile: pending,
      addOtpRequest: !mobileMatches,
    });
    await this.support.record(next, 'abha.enrolled', {
      isNew: enrolled.isNew,
      mobileOtpSent: !mobileMatches,
    });
    return next;
  }

  /** The OTP sent to a mobile that differs from the one Aadhaar holds. */
  async verifyMobileOtp(id: string, otp: string): Promise<FlowRow> {
    const flow = await this.support.live(id);
    requireState(flow, 'mobile-otp-sent');
    const answer = await abhaStep(async () =>
      this.client.post<{ authResult: string; txnId: string }>(
        '/v3/enrollment/auth/byAbdm',
        {
          scope: ['abha-enrol', 'mobile-verify'],
          authData: {
            authMethods: ['otp'],
            otp: {
              timeStamp: new Date().toISOString(),
              txnId: flow.txn_id,
              otpValue: await this.client.encrypt(otp),
            },
          },
        },
        { kind: 'otp-verify' },
      ),
    );
    if (answer.authResult !== 'success') {
      throw new ProblemException('abhaOtpInvalid', 'The ABHA service did not accept the mobile OTP');
    }
    const { pendingMobile, ...profile } = flow.profile as PendingProfile;
    const next = await this.flows.update(flow.id, {
      state: 'verified',
      profile: { ...profile, mobile: pendingMobile ?? null },
    });
    await this.support.record(next, 'abha.mobile_verified', {});
    return next;
  }

  async addressSuggestions(id: string): Promise<string[]> {
    const flow = await this.support.live(id);
    requireEnrolment(flow);
    requireState(flow, 'verified');
    const answer = await abhaStep(() =>
      this.client.get<{ abhaAddressList: string[] }>('/v3/enrollment/enrol/suggestion', {
        kind: 'other',
        headers: { Transaction_Id: flow.txn_id ?? '' },
      }),
    );
    return (answer.abhaAddressList ?? []).filter((a) => typeof a === 'string').slice(0, 20);
  }

  async chooseAddress(id: string, abhaAddress: string): Promise<FlowRow> {
    const flow = await this.support.live(id);
    requireEnrolment(flow);
    requireState(flow, 'verified');
    const local = abhaAddress.split('@')[0];
    const answer = await abhaStep(() =>
      this.client.post<{ preferredAbhaAddress: string }>(
        '/v3/enrollment/enrol/abha-address',
        { txnId: flow.txn_id, abhaAddress: local, preferred: 1 },
        { kind: 'other' },
      ),
    );
    const next = await this.flows.update(flow.id, {
      profile: {
        ...(flow.profile as VerifiedProfile),
        abhaAddress: answer.preferredAbhaAddress.toLowerCase(),
      },
    });
    await this.support.record(next, 'abha.address_chosen', {});
    return next;
  }
}
