/** ₹1,23,456.70 from integer paise (Indian grouping). */
export function rupees(paise: number): string {
  const sign = paise < 0 ? '-' : '';
  const abs = Math.abs(paise);
  const whole = Math.floor(abs / 100).toString();
  const last3 = whole.slice(-3);
  const rest = whole.slice(0, -3);
  const grouped = rest ? `${pairsFromRight(rest)},${last3}` : last3;
  return `${sign}₹${grouped}.${String(abs % 100).padStart(2, '0')}`;
}

/** "250", "250.5", "250.50" → paise, exactly (no floating point); null when not a rupee amount. */
export function toPaise(text: string): number | null {
  const m = /^\s*(\d{1,9})(?:\.(\d{1,2}))?\s*$/.exec(text);
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

/** Paise as an editable rupee amount: 25050 → "250.50". */
export function toRupeeText(paise: number): string {
  return `${Math.floor(paise / 100)}.${String(paise % 100).padStart(2, '0')}`;
}

/** Digits in pairs from the right ("1234567" → "12,34,567" with the last three apart): a loop, not a lookahead regex (SAST: quadratic). */
function pairsFromRight(digits: string): string {
  const parts: string[] = [];
  for (let end = digits.length; end > 0; end -= 2) parts.unshift(digits.slice(Math.max(0, end - 2), end));
  return parts.join(',');
}
