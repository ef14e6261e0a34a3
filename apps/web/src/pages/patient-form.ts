/** The patient form's model: pure functions, unit-tested beside it. */
import type { Problem } from '../api/client';

/** The registration / edit form's fields, as the desk types them. */
export interface PatientForm {
  given: string;
  family: string;
  gender: string;
  birthDate: string;
  phone: string;
  email: string;
  abhaNumber: string;
  abhaAddress: string;
  line: string;
  city: string;
  district: string;
  state: string;
  postalCode: string;
}

export const EMPTY_FORM: PatientForm = {
  given: '',
  family: '',
  gender: '',
  birthDate: '',
  phone: '',
  email: '',
  abhaNumber: '',
  abhaAddress: '',
  line: '',
  city: '',
  district: '',
  state: '',
  postalCode: '',
};

/** The API's field path (name.given.0, phones.1, address.city, …) -> the form field that shows it. */
export function fieldOf(apiField: string): keyof PatientForm | null {
  const [head, sub] = apiField.split('.');
  switch (head) {
    case 'name':
      return sub === 'family' ? 'family' : 'given';
    case 'phones':
      return 'phone';
    case 'address':
      if (sub === 'lines') return 'line';
      return (['city', 'district', 'state', 'postalCode'] as const).find((f) => f === sub) ?? 'line';
    case 'gender':
    case 'birthDate':
    case 'birthDateApproximate':
      return head === 'gender' ? 'gender' : 'birthDate';
    case 'email':
    case 'abhaNumber':
    case 'abhaAddress':
      return head;
    default:
      return null;
  }
}

export type FieldErrors = Partial<Record<keyof PatientForm, string>>;

export function fieldErrors(problem: Problem): { fields: FieldErrors; other: string[] } {
  const fields: FieldErrors = {};
  const other: string[] = [];
  for (const e of problem.errors ?? []) {
    const f = fieldOf(e.field);
    if (f) fields[f] = fields[f] ? `${fields[f]}; ${e.message}` : e.message;
    else other.push(e.message);
  }
  return { fields, other };
}

const orNull = (s: string) => (s.trim() === '' ? null : s.trim());

/** The form as a create body (empty fields left out). */
export function toCreateBody(f: PatientForm) {
  const address = {
    lines: f.line.trim() ? [f.line.trim()] : undefined,
    city: orNull(f.city) ?? undefined,
    district: orNull(f.district) ?? undefined,
    state: orNull(f.state) ?? undefined,
    postalCode: orNull(f.postalCode) ?? undefined,
  };
  const hasAddress = Object.values(address).some((v) => v !== undefined);
  return {
    name: {
      given: f.given.trim() ? f.given.trim().split(/\s+/) : undefined,
      family: orNull(f.family) ?? undefined,
    },
    gender: f.gender as 'male' | 'female' | 'other' | 'unknown',
    birthDate: f.birthDate.trim(),
    phones: f.phone.trim() ? [f.phone.trim()] : undefined,
    email: orNull(f.email) ?? undefined,
    abhaNumber: orNull(f.abhaNumber) ?? undefined,
    abhaAddress: orNull(f.abhaAddress) ?? undefined,
    address: hasAddress ? address : undefined,
  };
}

/** A stored patient as the form shows it. */
export function toForm(p: {
  name: { given: string[]; family: string | null };
  gender: string;
  birthDate: string;
  phones: string[];
  email: string | null;
  abhaNumber: string | null;
  abhaAddress: string | null;
  address: { lines?: string[]; city?: string; district?: string; state?: string; postalCode?: string } | null;
}): PatientForm {
  return {
    given: p.name.given.join(' '),
    family: p.name.family ?? '',
    gender: p.gender,
    birthDate: p.birthDate,
    phone: p.phones[0] ?? '',
    email: p.email ?? '',
    abhaNumber: p.abhaNumber ?? '',
    abhaAddress: p.abhaAddress ?? '',
    line: p.address?.lines?.join(', ') ?? '',
    city: p.address?.city ?? '',
    district: p.address?.district ?? '',
    state: p.address?.state ?? '',
    postalCode: p.address?.postalCode ?? '',
  };
}

const ADDRESS: (keyof PatientForm)[] = ['line', 'city', 'district', 'state', 'postalCode'];

/** The fields the user changed between `before` and `after`. */
export function changedFields(before: PatientForm, after: PatientForm): (keyof PatientForm)[] {
  return (Object.keys(after) as (keyof PatientForm)[]).filter((k) => before[k].trim() !== after[k].trim());
}

/** A merge patch carrying only what changed (names and addresses are replaced whole, as the API wants). */
export function toPatch(before: PatientForm, after: PatientForm) {
  const changed = new Set(changedFields(before, after));
  const body = toCreateBody(after);
  const patch: Record<string, unknown> = {};
  if (changed.has('given') || changed.has('family')) patch.name = body.name;
  if (changed.has('gender')) patch.gender = body.gender;
  if (changed.has('birthDate')) patch.birthDate = body.birthDate;
  if (changed.has('phone')) patch.phones = body.phones ?? null;
  if (changed.has('email')) patch.email = body.email ?? null;
  if (changed.has('abhaNumber')) patch.abhaNumber = body.abhaNumber ?? null;
  if (changed.has('abhaAddress')) patch.abhaAddress = body.abhaAddress ?? null;
  if (ADDRESS.some((k) => changed.has(k))) patch.address = body.address ?? null;
  return patch;
}
