import { createHash, randomBytes } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';

/**
 * TOTP (RFC 6238) as every authenticator app implements it: HMAC-SHA1, 6 digits, 30 s steps,
 * a 160-bit secret (RFC 4226's recommended length). One step of clock drift is accepted on
 * either side, and a step once used is refused afterwards (the caller stores the last step),
 * so a code seen over someone's shoulder cannot be replayed.
 */
export const TOTP_PERIOD_SECONDS = 30;
const DIGITS = 6;
const DRIFT_STEPS = 1;

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

function totp(secretBase32: string, account = '', issuer = 'HIMS'): TOTP {
  return new TOTP({
    issuer,
    label: account,
    algorithm: 'SHA1',
    digits: DIGITS,
    period: TOTP_PERIOD_SECONDS,
    secret: Secret.fromBase32(secretBase32),
  });
}

/** The otpauth:// URI an authenticator app scans (as a QR code) or takes by hand. */
export function otpauthUri(secretBase32: string, account: string, issuer: string): string {
  return totp(secretBase32, account, issuer).toString();
}

/**
 * The time step the code belongs to, or null when the code is wrong, malformed, outside the
 * drift window, or of a step at or before `lastStep` (already used).
 */
export function matchTotp(
  secretBase32: string,
  code: string,
  lastStep: number | null,
  now = Date.now(),
): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = totp(secretBase32).validate({ token: code, timestamp: now, window: DRIFT_STEPS });
  if (delta === null) return null;
  const step = Math.floor(now / 1000 / TOTP_PERIOD_SECONDS) + delta;
  return lastStep !== null && step <= lastStep ? null : step;
}

/** The current code (tests and the enrolment screen's own check only). */
export function totpCode(secretBase32: string, now = Date.now()): string {
  return totp(secretBase32).generate({ timestamp: now });
}

const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789'; // no 0/o, 1/l/i

/** Ten one-time recovery codes, xxxx-xxxx-xxxx-xxxx (16 of 31 symbols: 79 bits each). */
export function newRecoveryCodes(count = 10): string[] {
  return Array.from({ length: count }, () => {
    const bytes = randomBytes(16);
    const chars = Array.from(bytes, (b) => RECOVERY_ALPHABET[b % RECOVERY_ALPHABET.length]).join('');
    return chars.match(/.{4}/g)!.join('-');
  });
}

/**
 * SHA-256 of the code as typed, ignoring case, spaces and dashes. A fast hash is enough here:
 * the codes are random with 79 bits (not chosen by people), so a stolen hash cannot be reversed
 * by guessing, unlike a password.
 */
export function hashRecoveryCode(code: string): Buffer {
  return createHash('sha256').update(code.toLowerCase().replace(/[\s-]/g, '')).digest();
}
