import { createHash, randomBytes } from 'node:crypto';
import { toString as qrSvg } from 'qrcode';
import { SecretBox } from './secret-box';
import { hashRecoveryCode, matchTotp, newRecoveryCodes, newTotpSecret, otpauthUri } from './totp';

export interface FactorRow {
  secretCiphertext: Buffer;
  confirmedAt: Date | null;
  lastStep: number | null;
}

export interface ChallengeRow {
  id: string;
  subjectId: string;
  live: boolean;
  attempts: number;
}

/**
 * Where one realm keeps its second factors: staff in `core` (the request's tenant transaction,
 * RLS), operators in `platform` (the platform role's transaction). The rules are the same and
 * live in SecondFactor; a store is SQL only. (The one interface both sign-ins share, so a
 * unified sign-in core can take it as it is.)
 */
export interface SecondFactorStore {
  findFactor(subjectId: string): Promise<FactorRow | undefined>;
  /** Replaces an unconfirmed factor (a restarted enrolment); never a confirmed one. */
  putUnconfirmedFactor(subjectId: string, secretCiphertext: Buffer): Promise<void>;
  confirmFactor(subjectId: string, step: number): Promise<void>;
  setLastStep(subjectId: string, step: number): Promise<void>;
  replaceRecoveryCodes(subjectId: string, hashes: Buffer[]): Promise<void>;
  /** Marks the unused code with this hash used; false if there is none. */
  spendRecoveryCode(subjectId: string, hash: Buffer): Promise<boolean>;
  /** Deletes the factor and its recovery codes; false if there was no factor. */
  removeFactor(subjectId: string): Promise<boolean>;
  insertChallenge(subjectId: string, tokenHash: Buffer, ttlSeconds: number): Promise<void>;
  findChallengeForUpdate(tokenHash: Buffer): Promise<ChallengeRow | undefined>;
  countChallengeAttempt(challengeId: string): Promise<void>;
  completeChallenge(challengeId: string): Promise<void>;
}

export const CHALLENGE_TTL_SECONDS = 300;
/** Wrong codes one challenge takes before it is spent (the account lockout also counts them). */
export const CHALLENGE_MAX_ATTEMPTS = 5;

export type VerifyOutcome =
  | { ok: false }
  | { ok: true; method: 'totp' | 'recovery_code'; enrolledNow: boolean; recoveryCodes?: string[] };

export function hashChallengeToken(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

/** The second-factor rules shared by staff and operators (docs/auth.md "Two-step sign-in"). */
export class SecondFactor {
  constructor(
    private readonly box: SecretBox,
    private readonly issuer: string,
  ) {}

  /** A one-time token (returned once; only its hash is stored) for the second step, 5 minutes. */
  async challenge(
    store: SecondFactorStore,
    subjectId: string,
  ): Promise<{ token: string; enrolled: boolean }> {
    const token = randomBytes(32).toString('base64url');
    await store.insertChallenge(subjectId, hashChallengeToken(token), CHALLENGE_TTL_SECONDS);
    const factor = await store.findFactor(subjectId);
    return { token, enrolled: !!factor?.confirmedAt };
  }

  /** The live challenge of this token, locked for the rest of the transaction; undefined if none. */
  async openChallenge(store: SecondFactorStore, token: string): Promise<ChallengeRow | undefined> {
    const row = await store.findChallengeForUpdate(hashChallengeToken(token));
    return row && row.live && row.attempts < CHALLENGE_MAX_ATTEMPTS ? row : undefined;
  }

  /** A new secret for a person without a confirmed factor; 'enrolled' if they already have one. */
  async enrol(
    store: SecondFactorStore,
    subjectId: string,
    account: string,
  ): Promise<{ secret: string; otpauthUri: string; qrSvg: string } | 'enrolled'> {
    const existing = await store.findFactor(subjectId);
    if (existing?.confirmedAt) return 'enrolled';
    const secret = newTotpSecret();
    await store.putUnconfirmedFactor(subjectId, this.box.seal(secret, subjectId));
    const uri = otpauthUri(secret, account, this.issuer);
    return {
      secret,
      otpauthUri: uri,
      qrSvg: await qrSvg(uri, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' }),
    };
  }

  /**
   * Checks a TOTP code (confirming an enrolment on its first good code, which then also issues
   * the recovery codes) or a recovery code (spent on use). Every attempt counts on the challenge.
   */
  async verify(
    store: SecondFactorStore,
    challenge: ChallengeRow,
    input: { code?: string; recoveryCode?: string },
  ): Promise<VerifyOutcome> {
    const subjectId = challenge.subjectId;
    await store.countChallengeAttempt(challenge.id);
    const factor = await store.findFactor(subjectId);
    if (!factor) return { ok: false };
    if (input.recoveryCode !== undefined) {
      if (
        !factor.confirmedAt ||
        !(await store.spendRecoveryCode(subjectId, hashRecoveryCode(input.recoveryCode)))
      ) {
        return { ok: false };
      }
      await store.completeChallenge(challenge.id);
      return { ok: true, method: 'recovery_code', enrolledNow: false };
    }
    const secret = this.box.open(factor.secretCiphertext, subjectId);
    const step = matchTotp(secret, input.code ?? '', factor.lastStep);
    if (step === null) return { ok: false };
    await store.completeChallenge(challenge.id);
    if (factor.confirmedAt) {
      await store.setLastStep(subjectId, step);
      return { ok: true, method: 'totp', enrolledNow: false };
    }
    await store.confirmFactor(subjectId, step);
    const recoveryCodes = newRecoveryCodes();
    await store.replaceRecoveryCodes(subjectId, recoveryCodes.map(hashRecoveryCode));
    return { ok: true, method: 'totp', enrolledNow: true, recoveryCodes };
  }
}
