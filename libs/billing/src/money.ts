/**
 * Invoice arithmetic, exact in integer paise (BigInt inside, so no product ever loses a digit).
 *
 * Rounding rule (docs/billing.md): every rounding happens once per line, half up on the
 * magnitude ("half away from zero", so a credit note mirrors its invoice exactly):
 * - a percentage discount: gross × bp / 10 000;
 * - CGST and SGST, each at half the GST rate: taxable × rate_bp / 20 000.
 * Invoice totals are plain sums of the line amounts; nothing is rounded at invoice level.
 */
export interface LineInput {
  unitPricePaise: number;
  quantity: number;
  /** Either a percentage in basis points (1000 = 10 %) or an amount in paise; never both. */
  discountBp?: number;
  discountPaise?: number;
  /** null: GST-exempt. */
  gstRateBp: number | null;
}

export interface LineAmounts {
  grossPaise: number;
  discountPaise: number;
  taxablePaise: number;
  cgstPaise: number;
  sgstPaise: number;
  totalPaise: number;
}

export interface InvoiceTotals {
  subtotalPaise: number;
  discountPaise: number;
  taxPaise: number;
  totalPaise: number;
}

/** n / d rounded half up on the magnitude (d > 0). */
export function divHalfUp(n: bigint, d: bigint): bigint {
  const sign = n < 0n ? -1n : 1n;
  const m = n * sign;
  return sign * ((2n * m + d) / (2n * d));
}

function safe(v: bigint): number {
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw new RangeError('amount out of range');
  return n;
}

export function computeLine(line: LineInput): LineAmounts {
  const gross = BigInt(line.unitPricePaise) * BigInt(line.quantity);
  let discount = 0n;
  if (line.discountBp !== undefined && line.discountBp !== 0)
    discount = divHalfUp(gross * BigInt(line.discountBp), 10000n);
  else if (line.discountPaise !== undefined) discount = BigInt(line.discountPaise) * (gross < 0n ? -1n : 1n);
  const taxable = gross - discount;
  const half = line.gstRateBp === null ? 0n : divHalfUp(taxable * BigInt(line.gstRateBp), 20000n);
  return {
    grossPaise: safe(gross),
    discountPaise: safe(discount),
    taxablePaise: safe(taxable),
    cgstPaise: safe(half),
    sgstPaise: safe(half),
    totalPaise: safe(taxable + half + half),
  };
}

export function invoiceTotals(lines: readonly LineAmounts[]): InvoiceTotals {
  const sum = (f: (l: LineAmounts) => number) => lines.reduce((acc, l) => acc + BigInt(f(l)), 0n);
  return {
    subtotalPaise: safe(sum((l) => l.grossPaise)),
    discountPaise: safe(sum((l) => l.discountPaise)),
    taxPaise: safe(sum((l) => l.cgstPaise + l.sgstPaise)),
    totalPaise: safe(sum((l) => l.totalPaise)),
  };
}

/** A credit note's line: the invoice line with every amount negated (quantity too). */
export function negateLine(l: LineAmounts): LineAmounts {
  return {
    grossPaise: -l.grossPaise,
    discountPaise: -l.discountPaise,
    taxablePaise: -l.taxablePaise,
    cgstPaise: -l.cgstPaise,
    sgstPaise: -l.sgstPaise,
    totalPaise: -l.totalPaise,
  };
}

/** ₹1,23,456.70 (Indian digit grouping), from paise. */
export function formatRupees(paise: number): string {
  const sign = paise < 0 ? '-' : '';
  const abs = Math.abs(paise);
  const rupees = Math.floor(abs / 100).toString();
  const p = (abs % 100).toString().padStart(2, '0');
  const last3 = rupees.slice(-3);
  const rest = rupees.slice(0, -3);
  const grouped = rest ? `${pairsFromRight(rest)},${last3}` : last3;
  return `${sign}₹${grouped}.${p}`;
}

/** 1,23,456.70: Indian digit grouping without the currency sign (printed pages say the currency once). */
export function formatAmount(paise: number): string {
  return formatRupees(paise).replace('₹', '');
}

/** Digits in pairs from the right ("1234567" → "12,34,567" with the last three apart): a loop, not a lookahead regex (SAST: quadratic). */
function pairsFromRight(digits: string): string {
  const parts: string[] = [];
  for (let end = digits.length; end > 0; end -= 2) parts.unshift(digits.slice(Math.max(0, end - 2), end));
  return parts.join(',');
}
