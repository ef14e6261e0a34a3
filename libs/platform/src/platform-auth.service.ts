import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  CHALLENGE_TTL_SECONDS,
  OPERATOR_LOGIN_ATTEMPTS,
  PasswordSignIn,
  SecondFactor,
  SignInRealm,
  signInRefusal,
  TokenService,
  unauthenticated,
} from '@hims/auth';
import { ProblemException } from '@hims/errors';
import { OperatorMfaStore } from './operator-mfa.store';
import { OperatorRow, OperatorsRepository } from './operators.repository';
import { recordOperatorAction } from './platform-audit';
import { PlatformDatabase } from './platform-database';

export interface PlatformTokenAnswer {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

/** Operators: platform.operators and platform.operator_login_attempts, as hims_platform. */
const OPERATOR_REALM: SignInRealm<OperatorRow> = {
  attempts: OPERATOR_LOGIN_ATTEMPTS,
  findAccount: (sql, email) => OperatorsRepository.findByEmail(sql, email),
  // Every operator signs in with a second factor (they can provision and suspend every clinic).
  needsSecondFactor: async () => true,
};

export interface PlatformMfaChallenge {
  mfaRequired: true;
  mfaToken: string;
  enrolmentRequired: boolean;
  expiresIn: number;
}

const BAD_CHALLENGE = 'The sign-in step has expired or was already used; sign in again';

/**
 * Operator sign-in: the staff password step (PasswordSignIn: argon2id, the same
 * lockout rules, one answer for every wrong credential) on the operators' tables.
 * Every attempt lands in platform.audit. Tokens carry the platform audience and no tenant.
 */
@Injectable()
export class PlatformAuthService {
  constructor(
    private readonly db: PlatformDatabase,
    private readonly signIn: PasswordSignIn,
    private readonly tokens: TokenService,
    private readonly secondFactor: SecondFactor,
  ) {}

  /** The password step: always followed by the second (PlatformMfaChallenge), never a token here. */
  async login(
    email: string,
    password: string,
    clientAddress: string | null,
    requestId?: string,
  ): Promise<PlatformMfaChallenge> {
    const outcome = await this.db.transaction(async (tx) => {
      const result = await this.signIn.check(OPERATOR_REALM, tx, { email, password, clientAddress });
      const operator = result.kind === 'locked' ? undefined : result.account;
      await recordOperatorAction(tx, {
        operatorId: operator?.id ?? null,
        action: 'operator.login',
        targetType: operator ? 'operator' : undefined,
        targetId: operator?.id,
        outcome: result.kind === 'ok' ? 'succeeded' : result.kind === 'locked' ? 'refused' : 'failed',
        detail: result.kind === 'ok' ? { step: 'password' } : { reason: result.reason },
        requestId,
      });
      if (result.kind !== 'ok') return result;
      return {
        ...result,
        challenge: await this.secondFactor.challenge(new OperatorMfaStore(tx), result.account.id),
      };
    });
    // Refusals are committed (attempt and audit) before the answer.
    if (outcome.kind !== 'ok') throw signInRefusal(outcome);
    const { token, enrolled } = outcome.challenge;
    return {
      mfaRequired: true,
      mfaToken: token,
      enrolmentRequired: !enrolled,
      expiresIn: CHALLENGE_TTL_SECONDS,
    };
  }

  /** First sign-in: a new TOTP secret for the operator's authenticator app. */
  async enrol(mfaToken: string, requestId?: string) {
    const started = await this.db.transaction(async (tx) => {
      const store = new OperatorMfaStore(tx);
      const challenge = await this.secondFactor.openChallenge(store, mfaToken);
      const operator = challenge && (await OperatorsRepository.findById(tx, challenge.subjectId));
      if (!challenge || !operator || operator.status !== 'active') return undefined;
      const result = await this.secondFactor.enrol(store, operator.id, operator.email);
      await recordOperatorAction(tx, {
        operatorId: operator.id,
        action: 'operator.mfa_enrolment_started',
        targetType: 'operator',
        targetId: operator.id,
        outcome: result === 'enrolled' ? 'refused' : 'succeeded',
        requestId,
      });
      return result;
    });
    if (!started) throw unauthenticated(BAD_CHALLENGE);
    if (started === 'enrolled')
      throw new ProblemException('conflict', 'An authenticator is already set up; enter its code');
    return started;
  }

  /** The second step: a TOTP or recovery code, counted like passwords; the platform token. */
  async verify(
    mfaToken: string,
    input: { code?: string; recoveryCode?: string },
    clientAddress: string | null,
    requestId?: string,
  ): Promise<PlatformTokenAnswer & { recoveryCodes?: string[] }> {
    const done = await this.db.transaction(async (tx) => {
      const store = new OperatorMfaStore(tx);
      const challenge = await this.secondFactor.openChallenge(store, mfaToken);
      const operator = challenge && (await OperatorsRepository.findById(tx, challenge.subjectId));
      if (!challenge || !operator || operator.status !== 'active') return { kind: 'invalid' } as const;
      let verified = { ok: false } as Awaited<ReturnType<SecondFactor['verify']>>; // set by verify below
      const step = await this.signIn.checkSecondStep(
        OPERATOR_REALM,
        tx,
        { email: operator.email.toLowerCase(), accountId: operator.id, clientAddress },
        async () => (verified = await this.secondFactor.verify(store, challenge, input)).ok,
      );
      const secondFactor = input.recoveryCode !== undefined ? 'recovery_code' : 'totp';
      await recordOperatorAction(tx, {
        operatorId: operator.id,
        action: verified.ok && verified.enrolledNow ? 'operator.mfa_enrolled' : 'operator.login',
        targetType: 'operator',
        targetId: operator.id,
        outcome: step.kind === 'ok' ? 'succeeded' : step.kind === 'locked' ? 'refused' : 'failed',
        detail: {
          step: 'second_factor',
          secondFactor,
          ...(step.kind === 'locked' ? { reason: 'locked_out' } : {}),
        },
        requestId,
      });
      return { kind: step.kind, step, operatorId: operator.id, verified } as const;
    });
    if (done.kind === 'invalid') throw unauthenticated(BAD_CHALLENGE);
    if (done.step.kind === 'locked')
      throw signInRefusal({ kind: 'locked', retryAfter: done.step.retryAfter });
    if (done.step.kind === 'failed' || !done.verified.ok) throw unauthenticated('The code is incorrect');
    const signed = await this.tokens.signPlatformToken({
      operatorId: done.operatorId,
      sessionId: randomUUID(),
    });
    const answer: PlatformTokenAnswer = {
      accessToken: signed.token,
      tokenType: 'Bearer',
      expiresIn: signed.expiresIn,
    };
    return done.verified.recoveryCodes ? { ...answer, recoveryCodes: done.verified.recoveryCodes } : answer;
  }
}
