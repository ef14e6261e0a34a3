import { isDeepStrictEqual } from 'node:util';
import { FieldError, ProblemException } from '@hims/errors';
import type { CreatePatientDto } from './dto/create-patient.dto';
import type { AddressDto, PatientNameDto } from './dto/patient-fields.dto';
import type { UpdatePatientDto } from './dto/update-patient.dto';
import {
  AbhaAddress,
  AbhaNumber,
  cleanText,
  composeNameText,
  NAME_TEXT_MAX,
  parseBirthDate,
  PhoneNumber,
  searchForm,
} from './normalise';
import { API_FIELD, PatientAddress, PatientRow, PatientValues } from './patient.model';

/**
 * Value mapping of the patient registry: API input → the stored columns, and what
 * changed between two versions (field names only: events carry no PHI). Pure
 * functions; the clinic's default phone region is passed in.
 */

export function validationProblem(errors: FieldError[]): ProblemException {
  return new ProblemException('validation', `${errors.length} field(s) failed validation`, { errors });
}

/** The stored values of a registration (400 with field errors when a value depends on the clinic and fails). */
export function valuesFromCreate(dto: CreatePatientDto, region: string): PatientValues {
  const errors: FieldError[] = [];
  const birth = parseBirthDate(dto.birthDate);
  if (typeof birth === 'string') errors.push({ field: 'birthDate', message: `birthDate ${birth}` });
  const phones = phoneValues(dto.phones ?? [], region, errors);
  if (errors.length > 0 || typeof birth === 'string') throw validationProblem(errors);
  return {
    ...nameValues(dto.name),
    gender: dto.gender,
    birth_date: birth.date,
    birth_year: birth.year,
    birth_date_approximate: birth.approximate || dto.birthDateApproximate === true,
    phones,
    email: dto.email ?? null,
    address: addressValue(dto.address),
    abha_number: dto.abhaNumber ? AbhaNumber.parse(dto.abhaNumber)!.digits : null,
    abha_address: dto.abhaAddress ? AbhaAddress.parse(dto.abhaAddress)!.value : null,
    deceased: dto.deceased ?? false,
  };
}

/** The stored values after a partial update: absent fields keep their values, null clears. */
export function mergeUpdate(current: PatientRow, dto: UpdatePatientDto, region: string): PatientValues {
  const errors: FieldError[] = [];
  const next = rowValues(current);
  if (dto.name !== undefined) Object.assign(next, nameValues(dto.name));
  if (dto.gender !== undefined) next.gender = dto.gender;
  if (dto.birthDate !== undefined) {
    const birth = parseBirthDate(dto.birthDate);
    if (typeof birth === 'string') errors.push({ field: 'birthDate', message: `birthDate ${birth}` });
    else {
      next.birth_date = birth.date;
      next.birth_year = birth.year;
      next.birth_date_approximate = birth.approximate || dto.birthDateApproximate === true;
    }
  } else if (dto.birthDateApproximate !== undefined) {
    if (next.birth_date === null && dto.birthDateApproximate === false) {
      errors.push({
        field: 'birthDateApproximate',
        message: 'birthDateApproximate cannot be false while only the birth year is known',
      });
    } else next.birth_date_approximate = dto.birthDateApproximate;
  }
  if (dto.phones !== undefined) next.phones = phoneValues(dto.phones ?? [], region, errors);
  if (dto.email !== undefined) next.email = dto.email;
  if (dto.address !== undefined) next.address = addressValue(dto.address);
  if (dto.abhaNumber !== undefined)
    next.abha_number = dto.abhaNumber ? AbhaNumber.parse(dto.abhaNumber)!.digits : null;
  if (dto.abhaAddress !== undefined)
    next.abha_address = dto.abhaAddress ? AbhaAddress.parse(dto.abhaAddress)!.value : null;
  if (dto.deceased !== undefined) next.deceased = dto.deceased;
  if (errors.length > 0) throw validationProblem(errors);
  return next;
}

function phoneValues(input: string[], region: string, errors: FieldError[]): string[] {
  const out: string[] = [];
  input.forEach((raw, i) => {
    const e164 = PhoneNumber.parse(raw, region)?.e164;
    if (!e164)
      errors.push({
        field: `phones.${i}`,
        message: `phones.${i} is not a valid phone number for region ${region}`,
      });
    else if (!out.includes(e164)) out.push(e164);
  });
  return out;
}

function nameValues(
  name: PatientNameDto,
): Pick<PatientValues, 'name_given' | 'name_family' | 'name_prefix' | 'name_text' | 'search_name'> {
  const given = (name.given ?? []).map(cleanText).filter(Boolean);
  const prefix = (name.prefix ?? []).map(cleanText).filter(Boolean);
  const family = name.family ? cleanText(name.family) || null : null;
  const text = name.text ? cleanText(name.text) : composeNameText(prefix, given, family);
  // Searched on given and family names (no prefixes); words only the full text has are appended.
  const words = searchForm(composeNameText([], given, family))
    .split(' ')
    .filter(Boolean);
  const prefixes = new Set(prefix.map((p) => searchForm(p)));
  for (const w of searchForm(text).split(' ')) {
    if (w && !words.includes(w) && (words.length === 0 || !prefixes.has(w))) words.push(w);
  }
  const searchName = words.join(' ');
  // Each part is bounded by the DTO; the whole name is bounded by the database (name_text,
  // search_name CHECKs): a name made of long parts must be a 400 here, never a constraint error.
  if (text.length > NAME_TEXT_MAX || searchName.length > NAME_TEXT_MAX || !searchName) {
    throw validationProblem([
      {
        field: 'name',
        message: !searchName
          ? 'name must contain at least one letter or digit'
          : `the whole name (prefixes, given names and family name together) must be at most ${NAME_TEXT_MAX} characters`,
      },
    ]);
  }
  return {
    name_given: given,
    name_family: family,
    name_prefix: prefix,
    name_text: text,
    search_name: searchName,
  };
}

function addressValue(address: AddressDto | null | undefined): PatientAddress | null {
  if (!address) return null;
  const out: PatientAddress = {};
  if (address.lines && address.lines.length > 0) out.lines = address.lines;
  for (const k of ['city', 'district', 'state', 'postalCode'] as const) if (address[k]) out[k] = address[k]!;
  if (address.country) out.country = address.country.toUpperCase();
  return Object.keys(out).length > 0 ? out : null;
}

export function rowValues(r: PatientRow): PatientValues {
  return {
    name_given: r.name_given,
    name_family: r.name_family,
    name_prefix: r.name_prefix,
    name_text: r.name_text,
    search_name: r.search_name,
    gender: r.gender,
    birth_date: r.birth_date,
    birth_year: r.birth_year,
    birth_date_approximate: r.birth_date_approximate,
    phones: r.phones,
    email: r.email,
    address: r.address,
    abha_number: r.abha_number,
    abha_address: r.abha_address,
    deceased: r.deceased,
  };
}

/** Values, not their JSON text: an address whose keys arrive in another order is the same address. */
function same(a: unknown, b: unknown): boolean {
  return isDeepStrictEqual(a ?? null, b ?? null);
}

/** API names of the fields whose values differ (names only: events carry no PHI). */
export function changedFields(current: PatientRow, next: PatientValues): string[] {
  const before = rowValues(current);
  const fields = new Set<string>();
  for (const k of Object.keys(next) as (keyof PatientValues)[]) {
    if (!same(before[k], next[k])) fields.add(API_FIELD[k]);
  }
  return [...fields].sort();
}

export function presentFields(v: PatientValues): string[] {
  const fields = new Set<string>();
  for (const k of Object.keys(v) as (keyof PatientValues)[]) {
    const value = v[k];
    if (value === null || value === undefined || (Array.isArray(value) && value.length === 0)) continue;
    fields.add(API_FIELD[k]);
  }
  return [...fields].sort();
}
