import type { Gender } from './dto/patient-fields.dto';

export interface PatientAddress {
  lines?: string[];
  city?: string;
  district?: string;
  state?: string;
  postalCode?: string;
  country?: string;
}

/** Normalised, validated values ready to be written (column names). */
export interface PatientValues {
  name_given: string[];
  name_family: string | null;
  name_prefix: string[];
  name_text: string;
  search_name: string;
  gender: Gender;
  birth_date: string | null;
  birth_year: number;
  birth_date_approximate: boolean;
  phones: string[];
  email: string | null;
  address: PatientAddress | null;
  abha_number: string | null;
  abha_address: string | null;
  deceased: boolean;
}

/** A row of clinical.patients as the repository returns it: the written values plus identity and bookkeeping. */
export interface PatientRow extends PatientValues {
  tenant_id: string;
  id: string;
  mrn: string;
  active: boolean;
  version: number;
  created_at: Date;
  updated_at: Date;
  created_by: string | null;
  updated_by: string | null;
}

/** Column → API field name, for changedFields in events. */
export const API_FIELD: Record<keyof PatientValues | 'active', string> = {
  name_given: 'name',
  name_family: 'name',
  name_prefix: 'name',
  name_text: 'name',
  search_name: 'name',
  gender: 'gender',
  birth_date: 'birthDate',
  birth_year: 'birthDate',
  birth_date_approximate: 'birthDateApproximate',
  phones: 'phones',
  email: 'email',
  address: 'address',
  abha_number: 'abhaNumber',
  abha_address: 'abhaAddress',
  deceased: 'deceased',
  active: 'active',
};

export interface PatientSearchCriteria {
  name?: string;
  phone?: string;
  abha?: string;
  mrn?: string;
  birthDate?: string;
  cursor?: string;
  limit?: number;
}

export interface DuplicateMatch {
  id: string;
  mrn: string;
  reasons: string[];
}

/** A search query in the form the database compares: normalised like the stored values. */
export type PatientSearchTerms = {
  /** searchForm of the name. */
  name?: string;
  /** E.164. */
  phone?: string;
  abhaNumber?: string;
  abhaAddress?: string;
  mrn?: string;
  birthDate?: string;
  birthYear?: number;
  includeInactive: boolean;
};
