import { Injectable } from '@nestjs/common';
import { ProblemException } from '@hims/errors';
import { AbhaAddress, AbhaNumber } from '@hims/patients';
import { AadhaarNumber } from './aadhaar';
import { AbhaClient } from './abha.client';
import { AbhaFlowSupport } from './abha-flow-support';
import type { AccountChoice, FlowMethod, FlowRow } from './abha-flows.repository';
import { AbhaProfileFields, toVerifiedProfile, VerifiedProfile } from './abha-profile';
import { abhaStep, requireState } from './abha-steps';

type VerifyMethod = FlowMethod;

interface Account {
  ABHANumber: string;
  preferredAbhaAddress?: string | null;
  name?: string | null;
}

/** Per way of finding an ABHA: the login hint, scopes and OTP system the service expects (contract: loginRequestOtp). */
const LOGIN: Record<
  VerifyMethod,
  { path: string; hint: string; scope: string[]; otpSystem: 'aadhaar' | 'abdm' }
> = {
  'abha-number': {
    path: '/v3/profile/login/request/otp',
    hint: 'abha-number',
    scope: ['abha-login', 'mobile-verify'],
    otpSystem: 'abdm',
  },
  mobile: {
    path: '/v3/profile/login/request/otp',
    hint: 'mobile',
    scope: ['abha-login', 'mobile-verify'],
    otpSystem: 'abdm',
  },
  aadhaar: {
    path: '/v3/profile/login/request/otp',
    hint: 'aadhaar',
    scope: ['abha-login', 'aadhaar-verify'],
    otpSystem: 'aadhaar',
  },
  'abha-address': {
    path: '/v3/phr/web/login/abha/request/otp',
    hint: 'abha-address',
    scope: ['abha-address-login', 'mobile-verify'],
    otpSystem: 'abdm',
  },
};

function invalid(field: string, message: string): ProblemException {
  return new ProblemException('validation', 'The identifier is not valid', { errors: [{ field, message }] });
}

/** The identifier as the service wants it, checked locally first (nothing malformed is sent). */
export function loginIdFor(
  method: VerifyMethod,
  value: string,
): { loginId: string; aadhaarLast4: string | null } {
  switch (method) {
    case 'aadhaar': {
      const a = AadhaarNumber.parse(value);
      if (!a) throw invalid('value', `value ${AadhaarNumber.RULE}`);
      return { loginId: a.revealForEncryption(), aadhaarLast4: a.last4 };
    }
    case 'abha-number': {
      const n = AbhaNumber.parse(value);
      if (!n) throw invalid('value', `value ${AbhaNumber.RULE}`);
      return { loginId: n.formatted(), aadhaarLast4: null };
    }
    case 'abha-address': {
      const a = AbhaAddress.parse(value);
      if (!a) throw invalid('value', `value ${AbhaAddress.RULE}`);
      return { loginId: a.value, aadhaarLast4: null };
    }
    case 'mobile': {
      const digits = value.replace(/[\s-]/g, '').replace(/^(\+91|0)/, '');
      if (!/^[6-9][0-9]{9}$/.test(digits))
        throw invalid('value', 'value must be a 10-digit Indian mobile number');
      return { loginId: digits, aadhaarLast4: null };
    }
  }
}

/**
 * Proving an existing ABHA at the counter, by ABHA number, mobile, Aadhaar or ABHA address
 * with an OTP; a mobile that holds several ABHAs asks staff to choose one, with the
 * short-lived T-token exchanged for the user token before the profile is read.
 */
@Injectable()
export class AbhaLoginService {
  constructor(
    private readonly client: AbhaClient,
    private readonly support: AbhaFlowSupport,
  ) {}

  async start(method: VerifyMethod, value: string): Promise<FlowRow> {
    this.support.requireEnabled();
    const { loginId, aadhaarLast4 } = loginIdFor(method, value);
    await this.support.checkClinicLimit();
    const login = LOGIN[method];
    const sent = await abhaStep(async () =>
      this.client.post<{ txnId: string }>(
        login.path,
        {
          scope: login.scope,
          loginHint: login.hint,
          loginId: await this.client.encrypt(loginId),
          otpSystem: login.otpSystem,
        },
        { kind: 'otp-request' },
      ),
    );
    const flow = await this.support.flows.insert({
      purpose: 'verify',
      method,
      txnId: sent.txnId,
      aadhaarLast4,
      consentVersion: null,
      ttlSeconds: this.support.config.flowTtlSeconds,
    });
    await this.support.record(flow, 'abha.otp_requested', { otpSystem: login.otpSystem });
    return flow;
  }

  async verifyOtp(id: string, otp: string): Promise<FlowRow> {
    const flow = await this.support.live(id);
    requireState(flow, 'otp-sent');
    const login = LOGIN[flow.method];
    const authData = async () => ({
      authMethods: ['otp'],
      otp: { txnId: flow.txn_id, otpValue: await this.client.encrypt(otp) },
    });
    if (flow.method === 'abha-address') {
      const verified = await abhaStep(async () =>
        this.client.post<{ tokens: { token: string } }>(
          '/v3/phr/web/login/abha/verify',
          { scope: login.scope, authData: await authData() },
          { kind: 'otp-verify' },
        ),
      );
      return this.verified(flow, verified.tokens.token, 'phr');
    }
    const verified = await abhaStep(async () =>
      this.client.post<{ token?: string; accounts?: Account[]; txnId: string }>(
        '/v3/profile/login/verify',
        { scope: login.scope, authData: await authData() },
        { kind: 'otp-verify' },
      ),
    );
    const accounts = (verified.accounts ?? []).map(toChoice);
    if (flow.method === 'mobile' && accounts.length > 1) {
      const next = await this.support.flows.update(flow.id, {
        state: 'choose-account',
        txn_id: verified.txnId ?? flow.txn_id,
        t_token: verified.token ?? null,
        accounts,
      });
      await this.support.record(next, 'abha.otp_verified', { accounts: accounts.length });
      return next;
    }
    if (flow.method === 'mobile' && accounts.length === 1) {
      return this.exchange(
        { ...flow, txn_id: verified.txnId ?? flow.txn_id, t_token: verified.token ?? null },
        accounts[0].abhaNumber,
      );
    }
    if (!verified.token)
      throw new ProblemException('abhaRefused', 'The ABHA service verified the OTP but sent no token');
    return this.verified(flow, verified.token, 'account');
  }

  /** Staff chose one of the ABHAs the mobile holds. */
  async chooseAccount(id: string, abhaNumber: string): Promise<FlowRow> {
    const flow = await this.support.live(id);
    requireState(flow, 'choose-account');
    const wanted = AbhaNumber.parse(abhaNumber)?.digits;
    if (!wanted || !(flow.accounts ?? []).some((a) => a.abhaNumber === wanted)) {
      throw invalid('abhaNumber', 'abhaNumber must be one of the accounts the OTP found');
    }
    return this.exchange(flow, wanted);
  }

  private async exchange(flow: FlowRow, abhaNumber: string): Promise<FlowRow> {
    const token = await abhaStep(() =>
      this.client.post<{ token: string }>(
        '/v3/profile/login/verify/user',
        { ABHANumber: AbhaNumber.parse(abhaNumber)!.formatted(), txnId: flow.txn_id },
        { kind: 'user', headers: { 'T-token': `Bearer ${flow.t_token ?? ''}` } },
      ),
    );
    return this.verified(flow, token.token, 'account');
  }

  private async verified(flow: FlowRow, userToken: string, kind: 'account' | 'phr'): Promise<FlowRow> {
    const profile = await abhaStep(async () => {
      if (kind === 'phr') {
        const p = await this.client.get<AbhaProfileFields & { abhaNumber?: string; abhaAddress?: string }>(
          '/v3/phr/web/login/profile/abha-profile',
          { kind: 'user', headers: { 'X-token': `Bearer ${userToken}` } },
        );
        return toVerifiedProfile({ ...p, ABHANumber: p.ABHANumber ?? p.abhaNumber }, p.abhaAddress);
      }
      const p = await this.client.get<AbhaProfileFields>('/v3/profile/account', {
        kind: 'user',
        headers: { 'X-token': `Bearer ${userToken}` },
      });
      return toVerifiedProfile(p);
    });
    const next = await this.support.flows.update(flow.id, {
      state: 'verified',
      user_token: userToken,
      t_token: null,
      accounts: null,
      profile: profile satisfies VerifiedProfile,
    });
    await this.support.record(next, 'abha.verified', {});
    return next;
  }
}

function toChoice(a: Account): AccountChoice {
  return {
    abhaNumber: AbhaNumber.parse(a.ABHANumber ?? '')?.digits ?? '',
    abhaAddress: a.preferredAbhaAddress ?? null,
    name: a.name ?? null,
  };
}
