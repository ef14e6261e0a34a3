import type { PatientResponse } from './dto/patient.response';
import type { PatientRow } from './patient.model';

/** The registry's JSON representation (camelCase, no internal columns). */
export function toPatientView(p: PatientRow): PatientResponse {
  return {
    id: p.id,
    mrn: p.mrn,
    name: { given: p.name_given, family: p.name_family, prefix: p.name_prefix, text: p.name_text },
    gender: p.gender,
    birthDate: p.birth_date ?? String(p.birth_year),
    birthYear: p.birth_year,
    birthDateApproximate: p.birth_date_approximate,
    phones: p.phones,
    email: p.email,
    address: p.address,
    abhaNumber: p.abha_number,
    abhaAddress: p.abha_address,
    active: p.active,
    deceased: p.deceased,
    version: p.version,
    createdAt: new Date(p.created_at).toISOString(),
    updatedAt: new Date(p.updated_at).toISOString(),
    createdBy: p.created_by,
    updatedBy: p.updated_by,
  };
}
