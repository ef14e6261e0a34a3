import type { PatientRow } from '@hims/patients';

/**
 * The Elasticsearch document built from a patient row (read through the patients
 * module's PatientReader).
 * Mapping: patient-index.json. Every document carries its tenant id; its _id
 * is `<tenantId>:<patientId>` so equal patient ids in two tenants never meet.
 */
export interface PatientDocument {
  tenantId: string;
  patientId: string;
  mrn: string;
  mrnLower: string;
  nameText: string;
  searchName: string | null;
  nameGiven: string[];
  nameFamily: string | null;
  gender: string;
  birthDate: string | null;
  birthYear: number;
  birthDateApproximate: boolean;
  phones: string[];
  phoneDigits: string[];
  email: string | null;
  abhaNumber: string | null;
  abhaAddress: string | null;
  active: boolean;
  deceased: boolean;
  version: number;
  updatedAt: string;
  indexedAt: string;
}

/** What the search endpoint returns per patient, from either source. */
export interface PatientSearchItem {
  id: string;
  mrn: string;
  name: string;
  gender: string;
  birthDate: string | null;
  birthYear: number;
  birthDateApproximate: boolean;
  phones: string[];
  abhaAddress: string | null;
  active: boolean;
  deceased: boolean;
  version: number;
  score: number | null;
  /** Scheduled time of the patient's latest finished visit (null: none). */
  lastVisitAt: string | null;
}

export function documentId(tenantId: string, patientId: string): string {
  return `${tenantId}:${patientId}`;
}

/** Digits of each E.164 number, plus its last ten digits (the national number people type). */
export function phoneDigits(phones: string[]): string[] {
  const out = new Set<string>();
  for (const p of phones) {
    const d = p.replace(/\D/g, '');
    if (!d) continue;
    out.add(d);
    if (d.length > 10) out.add(d.slice(-10));
  }
  return [...out];
}

export function toDocument(row: PatientRow, now = new Date()): PatientDocument {
  return {
    tenantId: row.tenant_id,
    patientId: row.id,
    mrn: row.mrn,
    mrnLower: row.mrn.toLowerCase(),
    nameText: row.name_text,
    searchName: row.search_name,
    nameGiven: row.name_given ?? [],
    nameFamily: row.name_family,
    gender: row.gender,
    birthDate: row.birth_date,
    birthYear: Number(row.birth_year),
    birthDateApproximate: row.birth_date_approximate,
    phones: row.phones ?? [],
    phoneDigits: phoneDigits(row.phones ?? []),
    email: row.email?.toLowerCase() ?? null,
    abhaNumber: row.abha_number,
    abhaAddress: row.abha_address?.toLowerCase() ?? null,
    active: row.active,
    deceased: row.deceased,
    version: row.version,
    updatedAt: new Date(row.updated_at).toISOString(),
    indexedAt: now.toISOString(),
  };
}

export function itemFromDocument(doc: PatientDocument, score: number | null): PatientSearchItem {
  return {
    id: doc.patientId,
    mrn: doc.mrn,
    name: doc.nameText,
    gender: doc.gender,
    birthDate: doc.birthDate,
    birthYear: doc.birthYear,
    birthDateApproximate: doc.birthDateApproximate,
    phones: doc.phones,
    abhaAddress: doc.abhaAddress,
    active: doc.active,
    deceased: doc.deceased,
    version: doc.version,
    score,
    lastVisitAt: null,
  };
}

export function itemFromRow(row: PatientRow, score: number | null): PatientSearchItem {
  return itemFromDocument(toDocument(row), score);
}
