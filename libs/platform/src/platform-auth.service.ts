import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@hims/config';
import { ProblemException } from '@hims/errors';
import { PasswordHasher, TokenService, unauthenticated } from '@hims/auth';
import { OperatorsRepository } from './operators.repository';
import { recordOperatorAction } from './platform-audit';
import { PlatformDatabase } from './platform-database';

/** Same words for a wrong email, a wrong password and a disabled operator. */
const BAD_CREDENTIALS = 'The email or password is incorrect';

export interface PlatformTokenAnswer {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

/**
 * Operator sign-in: argon2id (the staff hasher), the staff lockout rules (failures
 * per account since its last success and per address, in the configured window,
 * serialised per account), one answer for every wrong credential. Every attempt
 * lands in platform.audit. Tokens carry the platform audience and no tenant.
 */
@Injectable()
export class PlatformAuthService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: PlatformDatabase,
    private readonly hasher: PasswordHasher,
    private readonly tokens: TokenService,
  ) {}

  async login(emailInput: string, password: string, clientAddress: string | null, requestId?: string) {
    const email = emailInput.trim().toLowerCase();
    const {
      loginWindowSeconds: window,
      loginMaxFailuresPerAccount,
      loginMaxFailuresPerAddress,
    } = this.config.auth;
    const outcome = await this.db.transaction(async (tx) => {
      await OperatorsRepository.lockAccount(tx, email);
      const account = await OperatorsRepository.accountWindow(tx, email, window, loginMaxFailuresPerAccount);
      const address = clientAddress
        ? await OperatorsRepository.addressWindow(tx, clientAddress, window, loginMaxFailuresPerAddress)
        : { failures: 0, retryAfterSeconds: 0 };
      const blocked = [
        account.failures >= loginMaxFailuresPerAccount ? account.retryAfterSeconds : 0,
        address.failures >= loginMaxFailuresPerAddress ? address.retryAfterSeconds : 0,
      ];
      if (blocked.some((s) => s > 0)) {
        await recordOperatorAction(tx, {
          operatorId: null,
          action: 'operator.login',
          outcome: 'refused',
          detail: { reason: 'locked_out' },
          requestId,
        });
        return { locked: Math.max(1, ...blocked) } as const;
      }
      const operator = await OperatorsRepository.findByEmail(tx, email);
      const passwordOk = await this.hasher.verify(operator?.passwordHash, password);
      const ok = passwordOk && operator?.status === 'active';
      await OperatorsRepository.recordAttempt(tx, {
        email,
        clientAddress,
        operatorId: operator?.id ?? null,
        succeeded: ok,
      });
      await recordOperatorAction(tx, {
        operatorId: operator?.id ?? null,
        action: 'operator.login',
        targetType: operator ? 'operator' : undefined,
        targetId: operator?.id,
        outcome: ok ? 'succeeded' : 'failed',
        detail: ok ? {} : { reason: operator && passwordOk ? 'account_disabled' : 'invalid_credentials' },
        requestId,
      });
      return ok ? ({ operatorId: operator.id } as const) : ({ failed: true } as const);
    });
    if ('locked' in outcome) {
      throw new ProblemException(
        'tooManyRequests',
        `Too many failed sign-in attempts; try again in ${outcome.locked} seconds`,
        { retryAfter: outcome.locked },
        { 'Retry-After': String(outcome.locked) },
      );
    }
    if ('failed' in outcome) throw unauthenticated(BAD_CREDENTIALS);
    const signed = await this.tokens.signPlatformToken({
      operatorId: outcome.operatorId,
      sessionId: randomUUID(),
    });
    return {
      accessToken: signed.token,
      tokenType: 'Bearer',
      expiresIn: signed.expiresIn,
    } satisfies PlatformTokenAnswer;
  }
}
