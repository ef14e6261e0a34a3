import { FieldError } from '@hims/errors';
import { AbhaAddress, AbhaNumber, parseBirthDate, PhoneNumber, searchForm } from './normalise';
import type { PatientSearchCriteria, PatientSearchTerms } from './patient.model';
import { validationProblem } from './patient-values';

export const DEFAULT_SEARCH_LIMIT = 20;
export const MAX_SEARCH_LIMIT = 100;

/**
 * Search criteria of the patient registry: checks a query and normalises it
 * (phone in the clinic's region, ABHA number or address, MRN, birth date or year).
 * Throws one 400 with every field error; `criteria` names the fields given (for
 * the audit entry, which never holds the terms). The clinic's region is asked for only
 * when a phone is given (it costs a round trip).
 */
export async function parseSearchTerms(
  query: PatientSearchCriteria & { includeInactive?: boolean },
  region: () => Promise<string>,
): Promise<{ terms: PatientSearchTerms; criteria: string[]; limit: number }> {
  const errors: FieldError[] = [];
  const limit = query.limit ?? DEFAULT_SEARCH_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_SEARCH_LIMIT) {
    errors.push({ field: 'limit', message: `limit must be an integer from 1 to ${MAX_SEARCH_LIMIT}` });
  }
  const terms: PatientSearchTerms = {
    name: query.name !== undefined ? searchForm(query.name) : undefined,
    phone: undefined,
    abhaNumber: undefined,
    abhaAddress: undefined,
    mrn: query.mrn !== undefined ? normaliseMrn(query.mrn) : undefined,
    birthDate: undefined,
    birthYear: undefined,
    includeInactive: query.includeInactive === true,
  };
  if (terms.name !== undefined && terms.name.length < 2) {
    errors.push({ field: 'name', message: 'name must contain at least two letters or digits' });
  }
  if (query.phone !== undefined) {
    terms.phone = PhoneNumber.parse(query.phone, await region())?.e164;
    if (!terms.phone) errors.push({ field: 'phone', message: 'phone is not a valid phone number' });
  }
  if (query.abha !== undefined) {
    if (query.abha.includes('@')) terms.abhaAddress = AbhaAddress.parse(query.abha)?.value;
    else terms.abhaNumber = AbhaNumber.parse(query.abha)?.digits;
    if (!terms.abhaAddress && !terms.abhaNumber) {
      errors.push({
        field: 'abha',
        message: 'abha must be an ABHA number (14 digits) or an ABHA address (name@abdm)',
      });
    }
  }
  if (query.birthDate !== undefined) {
    const parsed = /^\d{4}$/.test(query.birthDate)
      ? { date: null, year: Number(query.birthDate) }
      : parseBirthDate(query.birthDate, '9999-12-31');
    if (typeof parsed === 'string') errors.push({ field: 'birthDate', message: `birthDate ${parsed}` });
    else {
      terms.birthDate = parsed.date ?? undefined;
      terms.birthYear = parsed.year;
    }
  }
  const criteria = ['name', 'phone', 'abha', 'mrn', 'birthDate'].filter(
    (k) => (query as Record<string, unknown>)[k] !== undefined,
  );
  if (criteria.length === 0) {
    errors.push({ field: 'query', message: 'give at least one of name, phone, abha, mrn, birthDate' });
  }
  if (errors.length > 0) throw validationProblem(errors);
  return { terms, criteria, limit };
}

/** `42` → `MRN-000042`; anything else upper-cased as given. */
export function normaliseMrn(value: string): string {
  const v = value.trim().toUpperCase();
  return /^\d{1,12}$/.test(v) ? `MRN-${v.padStart(6, '0')}` : v;
}
