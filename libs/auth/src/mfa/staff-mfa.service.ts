import { Injectable } from '@nestjs/common';
import { commitThenFail, ProblemException } from '@hims/errors';
import { OutboxWriter } from '@hims/events';
import { AuthService, TokenPair } from '../auth.service';
import { unauthenticated } from '../problems';
import { RefreshTokensRepository } from '../refresh-tokens.repository';
import type { Role } from '../roles';
import { PasswordSignIn, signInRefusal } from '../sign-in/password-sign-in';
import { StaffSignInRealm } from '../sign-in/staff-realm';
import { UsersRepository } from '../users.repository';
import { SecondFactor, VerifyOutcome } from './second-factor';
import { StaffMfaStore } from './staff-mfa.store';

const BAD_CHALLENGE = 'The sign-in step has expired or was already used; sign in again';
const BAD_CODE = 'The code is incorrect';

/**
 * The second step of a staff sign-in, enrolment, resets by a tenant_admin and the clinic's
 * policy. Wrong codes are counted like wrong passwords (core.login_attempts of the account:
 * the same window and limit, the same 429), and on the challenge (5 per challenge).
 */
@Injectable()
export class StaffMfaService {
  constructor(
    private readonly store: StaffMfaStore,
    private readonly secondFactor: SecondFactor,
    private readonly users: UsersRepository,
    private readonly realm: StaffSignInRealm,
    private readonly signIn: PasswordSignIn,
    private readonly refreshTokens: RefreshTokensRepository,
    private readonly auth: AuthService,
    private readonly outbox: OutboxWriter,
  ) {}

  private async userOf(mfaToken: string) {
    const challenge = await this.secondFactor.openChallenge(this.store, mfaToken);
    const user = challenge && (await this.users.findById(challenge.subjectId));
    if (!challenge || !user || user.status !== 'active') throw unauthenticated(BAD_CHALLENGE);
    await this.users.actAs(user.id);
    return { challenge, user };
  }

  async enrol(mfaToken: string) {
    const { user } = await this.userOf(mfaToken);
    const started = await this.secondFactor.enrol(this.store, user.id, user.email);
    if (started === 'enrolled') {
      throw new ProblemException('conflict', 'An authenticator is already set up; enter its code');
    }
    return started;
  }

  async verify(
    mfaToken: string,
    input: { code?: string; recoveryCode?: string },
    clientAddress: string | null,
  ): Promise<TokenPair & { recoveryCodes?: string[] }> {
    const { challenge, user } = await this.userOf(mfaToken);
    let outcome = { ok: false } as VerifyOutcome; // set by verify below (a cast, so TS does not narrow it)
    const step = await this.signIn.checkSecondStep(
      this.realm,
      this.realm.sql,
      { email: user.email.toLowerCase(), accountId: user.id, clientAddress },
      async () => (outcome = await this.secondFactor.verify(this.store, challenge, input)).ok,
    );
    if (step.kind === 'locked')
      throw commitThenFail(signInRefusal({ kind: 'locked', retryAfter: step.retryAfter }));
    const secondFactor = input.recoveryCode !== undefined ? 'recovery_code' : 'totp';
    if (!outcome.ok) {
      await this.outbox.append({
        aggregateType: 'user',
        aggregateId: user.id,
        eventType: 'user.login_failed',
        payload: { reason: 'invalid_second_factor', method: 'password', secondFactor, knownUser: true },
      });
      throw commitThenFail(unauthenticated(BAD_CODE));
    }
    if (outcome.enrolledNow) {
      await this.outbox.append({
        aggregateType: 'user',
        aggregateId: user.id,
        eventType: 'user.mfa_enrolled',
        payload: { userId: user.id, factor: 'totp', recoveryCodes: outcome.recoveryCodes!.length },
      });
    }
    const pair = await this.auth.startSession(user, { method: 'password', secondFactor });
    return outcome.recoveryCodes ? { ...pair, recoveryCodes: outcome.recoveryCodes } : pair;
  }

  /** A tenant_admin removes a user's authenticator (lost phone): they enrol again at their next sign-in. */
  async reset(userId: string, by: string): Promise<void> {
    const user = await this.users.findById(userId);
    if (!user) throw new ProblemException('notFound', 'No such user in this clinic');
    if (!(await this.store.removeFactor(userId))) {
      throw new ProblemException('conflict', 'This user has no authenticator set up');
    }
    // Whoever held the lost device may hold a session too: end them all.
    await this.refreshTokens.revokeAllForUser(userId, 'mfa_reset');
    await this.outbox.append({
      aggregateType: 'user',
      aggregateId: userId,
      eventType: 'user.mfa_reset',
      payload: { userId, resetBy: by },
    });
  }

  async policy(): Promise<{ requiredRoles: Role[]; alwaysRequired: Role[] }> {
    return { requiredRoles: (await this.store.requiredRoles()) as Role[], alwaysRequired: ['tenant_admin'] };
  }

  async setPolicy(requiredRoles: Role[]) {
    await this.store.setRequiredRoles([...new Set(requiredRoles)].sort());
    return this.policy();
  }
}
