import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { OPERATOR_LOGIN_ATTEMPTS, PasswordSignIn, SignInRealm, signInRefusal, TokenService } from '@hims/auth';
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
};

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
  ) {}

  async login(email: string, password: string, clientAddress: string | null, requestId?: string) {
    const outcome = await this.db.transaction(async (tx) => {
      const result = await this.signIn.check(OPERATOR_REALM, tx, { email, password, clientAddress });
      const operator = result.kind === 'locked' ? undefined : result.account;
      await recordOperatorAction(tx, {
        operatorId: operator?.id ?? null,
        action: 'operator.login',
        targetType: operator ? 'operator' : undefined,
        targetId: operator?.id,
        outcome: result.kind === 'ok' ? 'succeeded' : result.kind === 'locked' ? 'refused' : 'failed',
        detail: result.kind === 'ok' ? {} : { reason: result.reason },
        requestId,
      });
      return result;
    });
    // Refusals are committed (attempt and audit) before the answer.
    if (outcome.kind !== 'ok') throw signInRefusal(outcome);
    // A second factor would be asked for here, before the token is issued (libs/auth/README.md).
    const signed = await this.tokens.signPlatformToken({
      operatorId: outcome.account.id,
      sessionId: randomUUID(),
    });
    return {
      accessToken: signed.token,
      tokenType: 'Bearer',
      expiresIn: signed.expiresIn,
    } satisfies PlatformTokenAnswer;
  }
}
