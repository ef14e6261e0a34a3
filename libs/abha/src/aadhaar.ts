/**
 * Aadhaar numbers at the counter. The number is checked here (12 digits, not starting with 0
 * or 1, Verhoeff check digit as UIDAI issues them) before anything is sent, then used once
 * to encrypt the ABHA service's request and dropped: only the last four digits are ever kept
 * or shown (docs/abha.md, "What we keep").
 */
const D = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
  [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
  [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
  [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
  [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
  [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
  [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
  [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
  [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];
const P = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
  [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
  [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
  [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
  [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
  [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
  [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];
const INV = [0, 4, 3, 2, 1, 5, 6, 7, 8, 9];

/** True when the digits (check digit last) pass Verhoeff's dihedral check. */
export function verhoeffValid(digits: string): boolean {
  let c = 0;
  const n = digits.length;
  for (let i = 0; i < n; i++) c = D[c][P[i % 8][Number(digits[n - 1 - i])]];
  return c === 0;
}

/** The check digit that makes `digits` + it Verhoeff-valid. */
export function verhoeffCheckDigit(digits: string): string {
  let c = 0;
  const n = digits.length;
  for (let i = 0; i < n; i++) c = D[c][P[(i + 1) % 8][Number(digits[n - 1 - i])]];
  return String(INV[c]);
}

export class AadhaarNumber {
  static readonly RULE = 'must be the 12-digit Aadhaar number (spaces allowed), as printed on the card';

  private constructor(private readonly digits: string) {}

  /** Accepts `1234 5678 9012` or `123456789012`; undefined when it cannot be an Aadhaar number. */
  static parse(value: unknown): AadhaarNumber | undefined {
    if (typeof value !== 'string') return undefined;
    const d = value.replace(/[\s-]/g, '');
    if (!/^[2-9][0-9]{11}$/.test(d) || !verhoeffValid(d)) return undefined;
    return new AadhaarNumber(d);
  }

  get last4(): string {
    return this.digits.slice(-4);
  }

  /** The plain digits, for encryption only: never store, log or return them. */
  revealForEncryption(): string {
    return this.digits;
  }

  /** Never the number itself, whatever prints it by accident. */
  toString(): string {
    return `XXXX-XXXX-${this.last4}`;
  }

  toJSON(): string {
    return this.toString();
  }
}
