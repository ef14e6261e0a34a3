/** Indian front-desk formats: DD/MM/YYYY, 24-hour times, ages in whole years. */
const pad = (n: number) => String(n).padStart(2, '0');

export function formatDate(iso: string | Date): string {
  const d = typeof iso === 'string' ? new Date(iso) : iso;
  return `${pad(d.getDate())}/${pad(d.getMonth() + 1)}/${d.getFullYear()}`;
}

export function formatTime(iso: string): string {
  const d = new Date(iso);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export const formatDateTime = (iso: string) => `${formatDate(iso)} ${formatTime(iso)}`;

/** A calendar day YYYY-MM-DD as DD/MM/YYYY (no time zone involved). */
export const formatDay = (day: string) =>
  /^\d{4}-\d{2}-\d{2}$/.test(day) ? day.split('-').reverse().join('/') : day;

/** DD/MM/YYYY (or D/M/YYYY) to YYYY-MM-DD; undefined when it is not a real day. */
export function parseDay(text: string): string | undefined {
  const m = text.trim().match(/^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/);
  if (!m) return undefined;
  const [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d)
    return undefined;
  return `${y}-${pad(mo)}-${pad(d)}`;
}

/** "DD/MM/YYYY HH:MM" in the browser's (the clinic's) zone to an ISO instant. */
export function parseDateTime(text: string): string | undefined {
  // The time is the last word; split there, not with /^(.+?)\s+…$/ (SAST: super-linear backtracking).
  const t = text.trim();
  const cut = Math.max(t.lastIndexOf(' '), t.lastIndexOf('\t'));
  const m = cut > 0 ? /^(\d{1,2}):(\d{2})$/.exec(t.slice(cut + 1)) : null;
  const day = m && parseDay(t.slice(0, cut).trim());
  if (!m || !day) return undefined;
  const [y, mo, d] = day.split('-').map(Number);
  const [h, mi] = [Number(m[1]), Number(m[2])];
  if (h > 23 || mi > 59) return undefined;
  return new Date(y, mo - 1, d, h, mi).toISOString();
}

/** Whole years today, from a full birth date or a birth year alone. */
export function ageInYears(birthDate: string, birthYear: number, now = new Date()): number {
  const m = birthDate.match(/^(\d{4})-(\d{2})-(\d{2})$/);
  if (!m) return now.getFullYear() - birthYear;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const before = now.getMonth() + 1 < mo || (now.getMonth() + 1 === mo && now.getDate() < d);
  return now.getFullYear() - y - (before ? 1 : 0);
}

/** Midnight to midnight of the browser's today, as the API's [from, to) window. */
export function todayWindow(now = new Date()): { from: string; to: string } {
  const start = new Date(now.getFullYear(), now.getMonth(), now.getDate());
  const end = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1);
  return { from: start.toISOString(), to: end.toISOString() };
}

/** Indian digit grouping (12,34,567.5) for numbers shown to staff. */
export const formatNumber = (n: number) => new Intl.NumberFormat('en-IN').format(n);
