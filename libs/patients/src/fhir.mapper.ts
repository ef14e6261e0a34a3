import { formatAbhaNumber } from './normalise';
import type { PatientRow } from './patient.model';

/** Identifier systems (documented in docs/patients.md). */
export const FHIR_SYSTEMS = {
  /** MRNs are unique per tenant, so the system names the tenant. */
  mrn: (tenantId: string) => `urn:hims:tenant:${tenantId}:mrn`,
  abhaNumber: 'https://healthid.abdm.gov.in',
  abhaAddress: 'https://healthid.abdm.gov.in/abha-address',
  birthDateApproximate: 'urn:hims:fhir:StructureDefinition:birth-date-approximate',
} as const;

const V2_0203 = 'http://terminology.hl7.org/CodeSystem/v2-0203';

type Json = Record<string, unknown>;

/** A FHIR R4 Patient resource for one registry row. */
export function toFhirPatient(p: PatientRow): Json {
  const identifier: Json[] = [
    {
      use: 'usual',
      type: { coding: [{ system: V2_0203, code: 'MR', display: 'Medical record number' }], text: 'MRN' },
      system: FHIR_SYSTEMS.mrn(p.tenant_id),
      value: p.mrn,
    },
  ];
  if (p.abha_number) {
    identifier.push({
      use: 'official',
      type: { text: 'ABHA number' },
      system: FHIR_SYSTEMS.abhaNumber,
      value: formatAbhaNumber(p.abha_number),
    });
  }
  if (p.abha_address) {
    identifier.push({
      use: 'secondary',
      type: { text: 'ABHA address' },
      system: FHIR_SYSTEMS.abhaAddress,
      value: p.abha_address,
    });
  }

  const name: Json = { use: 'official', text: p.name_text };
  if (p.name_family) name.family = p.name_family;
  if (p.name_given.length > 0) name.given = p.name_given;
  if (p.name_prefix.length > 0) name.prefix = p.name_prefix;

  const telecom: Json[] = p.phones.map((value, i) => ({
    system: 'phone',
    value,
    use: 'mobile',
    rank: i + 1,
  }));
  if (p.email) telecom.push({ system: 'email', value: p.email });

  const resource: Json = {
    resourceType: 'Patient',
    id: p.id,
    meta: { versionId: String(p.version), lastUpdated: new Date(p.updated_at).toISOString() },
    identifier,
    active: p.active,
    name: [name],
    gender: p.gender,
    birthDate: p.birth_date ?? String(p.birth_year),
    deceasedBoolean: p.deceased,
  };
  if (p.birth_date_approximate) {
    resource._birthDate = { extension: [{ url: FHIR_SYSTEMS.birthDateApproximate, valueBoolean: true }] };
  }
  if (telecom.length > 0) resource.telecom = telecom;
  if (p.address) {
    const a = p.address;
    const address: Json = { use: 'home' };
    if (a.lines?.length) address.line = a.lines;
    if (a.city) address.city = a.city;
    if (a.district) address.district = a.district;
    if (a.state) address.state = a.state;
    if (a.postalCode) address.postalCode = a.postalCode;
    if (a.country) address.country = a.country;
    resource.address = [address];
  }
  return resource;
}
