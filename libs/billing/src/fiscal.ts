/** The clinic's local calendar day (YYYY-MM-DD) of an instant, in its IANA time zone. */
export function localDay(at: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(at);
  const get = (t: string) => parts.find((p) => p.type === t)!.value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** India's financial year (April to March) holding the instant, in the clinic's time zone: "2026-27". */
export function fiscalYearOf(at: Date, timeZone: string): string {
  const [y, m] = localDay(at, timeZone).split('-').map(Number);
  const start = m >= 4 ? y : y - 1;
  return `${start}-${String((start + 1) % 100).padStart(2, '0')}`;
}

/** INV-2026-27-00042: series, financial year, five-digit consecutive number. */
export function invoiceNumber(series: 'INV' | 'CN', fiscalYear: string, seq: number): string {
  return `${series}-${fiscalYear}-${String(seq).padStart(5, '0')}`;
}

export const DEFAULT_TIME_ZONE = 'Asia/Kolkata';
