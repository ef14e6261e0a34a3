import { Injectable } from '@nestjs/common';
import { OutboxWriter } from '@hims/events';
import type { UserRow } from '../users.repository';
import { CHALLENGE_TTL_SECONDS, SecondFactor } from './second-factor';
import { StaffMfaStore } from './staff-mfa.store';

/** The answer to a right password when a second step follows (instead of tokens). */
export interface MfaChallenge {
  mfaRequired: true;
  mfaToken: string;
  /** True: no confirmed authenticator yet; enrol first (POST /auth/mfa/enrol), then verify. */
  enrolmentRequired: boolean;
  expiresIn: number;
}

export function isMfaChallenge(answer: object): answer is MfaChallenge {
  return 'mfaRequired' in answer;
}

/**
 * Whether a staff sign-in needs the second step: always for tenant_admin, for the roles the
 * clinic lists (core.mfa_policies), and for anyone who enrolled of their own accord.
 */
@Injectable()
export class StaffMfaGate {
  constructor(
    private readonly store: StaffMfaStore,
    private readonly secondFactor: SecondFactor,
    private readonly outbox: OutboxWriter,
  ) {}

  async applies(user: UserRow): Promise<boolean> {
    if (user.roles.includes('tenant_admin')) return true;
    const required = await this.store.requiredRoles();
    if (user.roles.some((r) => required.includes(r))) return true;
    return !!(await this.store.findFactor(user.id))?.confirmedAt;
  }

  async challenge(user: UserRow): Promise<MfaChallenge> {
    const { token, enrolled } = await this.secondFactor.challenge(this.store, user.id);
    await this.outbox.append({
      aggregateType: 'user',
      aggregateId: user.id,
      eventType: 'user.mfa_challenged',
      payload: { userId: user.id, enrolmentRequired: !enrolled },
    });
    return {
      mfaRequired: true,
      mfaToken: token,
      enrolmentRequired: !enrolled,
      expiresIn: CHALLENGE_TTL_SECONDS,
    };
  }
}
