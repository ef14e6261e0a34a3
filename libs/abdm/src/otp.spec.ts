import { hashOtp, newOtp, otpMatches } from './otp';
import { backoffDelay } from './gateway.client';

describe('link codes', () => {
  it('are six digits, stored hashed and salted, and checked in constant time', () => {
    const otp = newOtp();
    expect(otp).toMatch(/^\d{6}$/);
    const { hash, salt } = hashOtp(otp);
    expect(hash).not.toContain(otp);
    expect(otpMatches(otp, hash, salt)).toBe(true);
    expect(otpMatches(otp === '000000' ? '000001' : '000000', hash, salt)).toBe(false);
    expect(hashOtp(otp).hash).not.toBe(hash); // a fresh salt each time
  });
});

describe('back-off', () => {
  it('doubles up to the cap, with jitter between half and all of it', () => {
    expect(backoffDelay(1, 1000, 60000, () => 1)).toBe(1000);
    expect(backoffDelay(3, 1000, 60000, () => 1)).toBe(4000);
    expect(backoffDelay(3, 1000, 60000, () => 0)).toBe(2000);
    expect(backoffDelay(20, 1000, 60000, () => 1)).toBe(60000);
  });
});
