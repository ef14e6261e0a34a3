import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@hims/config';
import { ProblemException } from '@hims/errors';
import { PasswordHasher } from '../password-hasher';
import { unauthenticated } from '../problems';
import type { LoginAttemptsTable, SqlRunner } from './login-attempts';

/** Same words for wrong email, wrong password, disabled and SSO-only accounts, in every realm. */
export const BAD_CREDENTIALS = 'The email or password is incorrect';

/** What a realm signs in: a user (staff) or an operator (platform). */
export interface SignInAccount {
  id: string;
  passwordHash: string | null;
  status: string;
}

/** One realm's side of a password sign-in: its attempts table and how it finds an account. */
export interface SignInRealm<A extends SignInAccount> {
  attempts: LoginAttemptsTable;
  findAccount(sql: SqlRunner, email: string): Promise<A | undefined>;
  /** The tenant of a tenant-scoped attempts table. */
  tenantId?: string;
  /** Whether a right password must be followed by a second factor (docs/auth.md "Two-step sign-in"). */
  needsSecondFactor?(sql: SqlRunner, account: A): Promise<boolean>;
}

export interface PasswordAttempt {
  email: string;
  password: string;
  clientAddress: string | null;
}

export type SignInRefusalReason = 'locked_out' | 'invalid_credentials' | 'account_disabled';

/** The answer of the password step. Only `ok` may go on to a session (or to a second factor). */
export type PasswordOutcome<A> =
  | { kind: 'locked'; reason: 'locked_out'; retryAfter: number; email: string }
  | { kind: 'failed'; reason: 'invalid_credentials' | 'account_disabled'; account?: A; email: string }
  | { kind: 'ok'; account: A; email: string; secondFactor: boolean };

/** The answer of the second step: the same lockout as the password step. */
export type SecondStepOutcome = { kind: 'locked'; retryAfter: number } | { kind: 'failed' } | { kind: 'ok' };

/**
 * The password step of sign-in, the same for staff and platform operators:
 * normalise the email, serialise attempts on the account, refuse while the
 * account or the address has too many failures in the window (blocked
 * attempts are not counted, so the lock ends when the window says it does),
 * always one argon2 verification (a dummy hash for an unknown account), record
 * the attempt. Runs inside the caller's transaction (`sql`); the realm then
 * audits the outcome its own way and, for `ok`, issues its tokens.
 *
 * A second factor plugs in between an `ok` outcome and token issue (see
 * libs/auth/README.md "Sign-in"): nothing here issues tokens.
 */
@Injectable()
export class PasswordSignIn {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly hasher: PasswordHasher,
  ) {}

  async check<A extends SignInAccount>(
    realm: SignInRealm<A>,
    sql: SqlRunner,
    attempt: PasswordAttempt,
  ): Promise<PasswordOutcome<A>> {
    const email = attempt.email.trim().toLowerCase();
    const { clientAddress } = attempt;
    const retryAfter = await this.lockedFor(realm, sql, email, clientAddress);
    if (retryAfter > 0) return { kind: 'locked', reason: 'locked_out', retryAfter, email };

    const found = await realm.findAccount(sql, email);
    // Always one argon2 verification, known account or not (the hasher uses a dummy hash for null).
    const passwordOk = await this.hasher.verify(found?.passwordHash, attempt.password);
    const ok = passwordOk && found?.status === 'active';
    // A right password before a second factor is not a success yet: recording one would reset
    // the account's failure count, and wrong codes must add up to the same lockout.
    const secondFactor = ok && !!(await realm.needsSecondFactor?.(sql, found));
    if (!secondFactor) {
      await realm.attempts.record(sql, {
        email,
        clientAddress,
        accountId: found?.id ?? null,
        succeeded: ok,
        tenantId: realm.tenantId,
      });
    }
    if (ok) return { kind: 'ok', account: found, email, secondFactor };
    return {
      kind: 'failed',
      reason: found && passwordOk ? 'account_disabled' : 'invalid_credentials',
      account: found,
      email,
    };
  }

  /**
   * The second step, counted like the password step (docs/auth.md "Two-step sign-in"): refused
   * while the account or the address is over its limit; otherwise `verify` runs and its result
   * is recorded in the realm's attempts table, so a wrong code is a failure of the account.
   */
  async checkSecondStep<A extends SignInAccount>(
    realm: SignInRealm<A>,
    sql: SqlRunner,
    attempt: { email: string; accountId: string; clientAddress: string | null },
    verify: () => Promise<boolean>,
  ): Promise<SecondStepOutcome> {
    const { email, clientAddress } = attempt;
    const retryAfter = await this.lockedFor(realm, sql, email, clientAddress);
    if (retryAfter > 0) return { kind: 'locked', retryAfter };
    const ok = await verify();
    await realm.attempts.record(sql, {
      email,
      clientAddress,
      accountId: attempt.accountId,
      succeeded: ok,
      tenantId: realm.tenantId,
    });
    return { kind: ok ? 'ok' : 'failed' };
  }

  /**
   * Locks the account for this transaction (concurrent guesses are serialised), then: seconds
   * until the account or the address may try again, 0 when neither is over its limit.
   */
  private async lockedFor<A extends SignInAccount>(
    realm: SignInRealm<A>,
    sql: SqlRunner,
    email: string,
    clientAddress: string | null,
  ): Promise<number> {
    const {
      loginWindowSeconds: window,
      loginMaxFailuresPerAccount,
      loginMaxFailuresPerAddress,
    } = this.config.auth;
    await realm.attempts.lockAccount(sql, email);
    const account = await realm.attempts.accountWindow(sql, email, window, loginMaxFailuresPerAccount);
    const address = clientAddress
      ? await realm.attempts.addressWindow(sql, clientAddress, window, loginMaxFailuresPerAddress)
      : { failures: 0, retryAfterSeconds: 0 };
    const blocked = [
      account.failures >= loginMaxFailuresPerAccount ? account.retryAfterSeconds : 0,
      address.failures >= loginMaxFailuresPerAddress ? address.retryAfterSeconds : 0,
    ];
    return blocked.some((s) => s > 0) ? Math.max(1, ...blocked) : 0;
  }
}

/** The one HTTP answer for a refused password step: 429 with Retry-After, or the same 401 for every bad credential. */
export function signInRefusal(
  outcome: { kind: 'locked'; retryAfter: number } | { kind: 'failed' },
): ProblemException {
  if (outcome.kind === 'locked') {
    const { retryAfter } = outcome;
    return new ProblemException(
      'tooManyRequests',
      `Too many failed sign-in attempts; try again in ${retryAfter} seconds`,
      { retryAfter },
      { 'Retry-After': String(retryAfter) },
    );
  }
  return unauthenticated(BAD_CREDENTIALS);
}
