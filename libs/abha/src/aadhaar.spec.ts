import fc from 'fast-check';
import { AadhaarNumber, verhoeffCheckDigit, verhoeffValid } from './aadhaar';

describe('AadhaarNumber', () => {
  // UIDAI's published specimen-style numbers: 11 digits plus their Verhoeff digit.
  const valid = '49979234' + '123'; // 11 digits
  const full = valid + verhoeffCheckDigit(valid);

  it('accepts a Verhoeff-valid number with or without spaces and keeps only the last four in view', () => {
    const a = AadhaarNumber.parse(`${full.slice(0, 4)} ${full.slice(4, 8)} ${full.slice(8)}`)!;
    expect(a.last4).toBe(full.slice(-4));
    expect(a.revealForEncryption()).toBe(full);
    expect(String(a)).toBe(`XXXX-XXXX-${full.slice(-4)}`);
    expect(JSON.stringify({ a })).not.toContain(full);
  });

  it('refuses a wrong check digit, a leading 0 or 1, and wrong lengths', () => {
    const wrong = full.slice(0, 11) + String((Number(full[11]) + 1) % 10);
    expect(AadhaarNumber.parse(wrong)).toBeUndefined();
    const lead1 = '1' + valid.slice(1);
    expect(AadhaarNumber.parse(lead1 + verhoeffCheckDigit(lead1))).toBeUndefined();
    expect(AadhaarNumber.parse(full.slice(1))).toBeUndefined();
    expect(AadhaarNumber.parse(full + '0')).toBeUndefined();
    expect(AadhaarNumber.parse(12 as unknown)).toBeUndefined();
  });

  it('Verhoeff: the check digit validates, and every single-digit change or adjacent swap is caught', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[0-9]{11}$/),
        fc.nat(10),
        fc.integer({ min: 1, max: 9 }),
        (body, pos, delta) => {
          const n = body + verhoeffCheckDigit(body);
          expect(verhoeffValid(n)).toBe(true);
          const i = pos % 12;
          const changed = n.slice(0, i) + String((Number(n[i]) + delta) % 10) + n.slice(i + 1);
          expect(verhoeffValid(changed)).toBe(false);
          const j = pos % 11;
          if (n[j] !== n[j + 1]) {
            const swapped = n.slice(0, j) + n[j + 1] + n[j] + n.slice(j + 2);
            expect(verhoeffValid(swapped)).toBe(false);
          }
        },
      ),
    );
  });
});
