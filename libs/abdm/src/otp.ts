import { createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

/** A six-digit one-time code. */
export function newOtp(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

/** The code is stored only as HMAC-SHA256 under a per-transaction random salt. */
export function hashOtp(otp: string, salt = randomBytes(16).toString('hex')): { hash: string; salt: string } {
  return { hash: createHmac('sha256', salt).update(otp).digest('hex'), salt };
}

export function otpMatches(otp: string, hash: string, salt: string): boolean {
  const candidate = Buffer.from(hashOtp(otp, salt).hash, 'hex');
  const stored = Buffer.from(hash, 'hex');
  return candidate.length === stored.length && timingSafeEqual(candidate, stored);
}
