import { parsePhoneNumberFromString, isSupportedCountry, type CountryCode } from 'libphonenumber-js/max';

/**
 * Pure normalisation and validation of patient identifiers and names. Used
 * by the DTO validators (shape) and by the service (values that depend on
 * the tenant, such as the default phone region).
 */

// ---------------------------------------------------------------- names

/**
 * Letters and combining marks of any script (Devanagari matras, Tamil
 * pulli, Latin accents), spaces, apostrophes, hyphens and dots, plus the
 * zero-width (non-)joiners Indic scripts need. Must start with a letter.
 */
export const NAME_PART = /^\p{L}(?:\p{L}|\p{M}|\u200c|\u200d|[ '’.-])*$/u;
export const NAME_PART_MAX = 100;
export const NAME_TEXT_MAX = 300;

/** Unicode NFC, trimmed, inner whitespace collapsed. */
export function cleanText(value: string): string {
  return value.normalize('NFC').trim().replace(/\s+/gu, ' ');
}

/**
 * The form names are searched in: NFKC, lower case, Latin diacritics
 * removed (José → jose), punctuation turned into spaces. Marks of other
 * scripts are part of their letters and are kept (राम stays राम).
 */
export function searchForm(value: string): string {
  const folded = value
    .normalize('NFKD')
    // Combining Diacritical Marks (and their supplement/extended blocks) only.
    .replace(/(?:[\u0300-\u036f]|[\u1ab0-\u1aff]|[\u1dc0-\u1dff])/gu, '')
    .normalize('NFKC')
    .toLocaleLowerCase('und');
  return folded
    .replace(/[^\p{L}\p{M}\p{N}\u200c\u200d]+/gu, ' ')
    .trim()
    .replace(/\s+/gu, ' ');
}

export function composeNameText(prefix: string[], given: string[], family: string | null): string {
  return [...prefix, ...given, ...(family ? [family] : [])].join(' ');
}

// ---------------------------------------------------------------- ABHA

/**
 * An ABHA number (the 14-digit Ayushman Bharat Health Account number): accepted as
 * `12345678901234` or `12-3456-7890-1234`, kept as digits, shown hyphenated as ABDM does.
 * The DTOs validate with PATTERN and RULE, the service and the ABDM bridge parse with parse():
 * one rule everywhere.
 */
export class AbhaNumber {
  static readonly PATTERN = /^(?:\d{14}|\d{2}-\d{4}-\d{4}-\d{4})$/;
  static readonly RULE = 'must be 14 digits, written 12345678901234 or 12-3456-7890-1234';

  private constructor(readonly digits: string) {}

  static parse(value: string): AbhaNumber | undefined {
    const v = value.trim();
    return AbhaNumber.PATTERN.test(v) ? new AbhaNumber(v.replace(/-/g, '')) : undefined;
  }

  /** `12-3456-7890-1234`. */
  formatted(): string {
    const d = this.digits;
    return `${d.slice(0, 2)}-${d.slice(2, 6)}-${d.slice(6, 10)}-${d.slice(10)}`;
  }
}

/**
 * An ABHA address (`name@abdm`, `name@sbx` in the sandbox): local part 8–18 letters and
 * digits with at most one `.` and one `_`, neither first nor last; kept lowercased.
 */
export class AbhaAddress {
  static readonly DOMAINS: ReadonlySet<string> = new Set(['abdm', 'sbx']);
  static readonly RULE =
    "must look like name@abdm or name@sbx: 8–18 letters or digits before the @, at most one '.' and one '_', neither first nor last";

  private constructor(readonly value: string) {}

  static parse(raw: string): AbhaAddress | undefined {
    const v = raw.trim().toLowerCase();
    const at = v.indexOf('@');
    if (at < 0 || at !== v.lastIndexOf('@')) return undefined;
    const local = v.slice(0, at);
    if (!AbhaAddress.DOMAINS.has(v.slice(at + 1))) return undefined;
    if (local.length < 8 || local.length > 18 || !/^[a-z0-9._]+$/.test(local)) return undefined;
    if ((local.match(/\./g) ?? []).length > 1 || (local.match(/_/g) ?? []).length > 1) return undefined;
    if (!/^[a-z0-9]/.test(local) || !/[a-z0-9]$/.test(local)) return undefined;
    return new AbhaAddress(v);
  }
}

export function isAbhaNumber(value: unknown): value is string {
  return typeof value === 'string' && AbhaNumber.parse(value) !== undefined;
}

/** `12-3456-7890-1234` or `12345678901234` → `12345678901234`; undefined if malformed. */
export function normaliseAbhaNumber(value: string): string | undefined {
  return AbhaNumber.parse(value)?.digits;
}

/** `12345678901234` → `12-3456-7890-1234` (how ABDM displays it). */
export function formatAbhaNumber(digits: string): string {
  return AbhaNumber.parse(digits)?.formatted() ?? digits;
}

/** The lowercased ABHA address, or undefined if malformed. */
export function normaliseAbhaAddress(value: string): string | undefined {
  return AbhaAddress.parse(value)?.value;
}

// ---------------------------------------------------------------- birth date

export const MIN_BIRTH_YEAR = 1880;

export interface BirthDate {
  /** YYYY-MM-DD, or null when only the year is known. */
  date: string | null;
  year: number;
  approximate: boolean;
}

/** Today's date (UTC) as YYYY-MM-DD; injectable for tests. */
export function todayIso(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/**
 * Parses `YYYY-MM-DD` (a real calendar date: no Feb 30) or `YYYY` (year
 * only, hence approximate). Returns a reason string when invalid.
 */
export function parseBirthDate(value: string, today = todayIso()): BirthDate | string {
  const full = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const yearOnly = /^(\d{4})$/.exec(value);
  if (!full && !yearOnly) return 'must be a date (YYYY-MM-DD) or a year (YYYY)';
  const year = Number((full ?? yearOnly)![1]);
  if (year < MIN_BIRTH_YEAR) return `must not be before ${MIN_BIRTH_YEAR}`;
  if (yearOnly) {
    if (year > Number(today.slice(0, 4))) return 'must not be in the future';
    return { date: null, year, approximate: true };
  }
  const month = Number(full![2]);
  const day = Number(full![3]);
  const d = new Date(Date.UTC(year, month - 1, day));
  if (
    month < 1 ||
    month > 12 ||
    d.getUTCFullYear() !== year ||
    d.getUTCMonth() !== month - 1 ||
    d.getUTCDate() !== day
  ) {
    return 'is not a real calendar date';
  }
  if (value > today) return 'must not be in the future';
  return { date: value, year, approximate: false };
}

// ---------------------------------------------------------------- phones

/**
 * A phone number, kept in E.164 (`+919876543210`). Input may be written with spaces,
 * dashes, dots and parentheses (INPUT, what the DTOs accept); a number without a country
 * code is read in the clinic's default region.
 */
export class PhoneNumber {
  static readonly INPUT = /^\+?[0-9 ()\-.]{4,24}$/;
  static readonly INPUT_RULE = 'must be a phone number (digits, spaces, +, -, ., parentheses)';

  private constructor(readonly e164: string) {}

  static parse(value: string, defaultRegion: string): PhoneNumber | undefined {
    const region = isSupportedCountry(defaultRegion) ? (defaultRegion as CountryCode) : undefined;
    const parsed = parsePhoneNumberFromString(value.trim(), region);
    return parsed && parsed.isValid() ? new PhoneNumber(parsed.number) : undefined;
  }
}

/** Normalises to E.164 with the tenant's default region; undefined if not a valid number. */
export function normalisePhone(value: string, defaultRegion: string): string | undefined {
  return PhoneNumber.parse(value, defaultRegion)?.e164;
}
