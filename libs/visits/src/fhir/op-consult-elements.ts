/** Element and resource builders of a visit's documents (see document-frame.ts, op-consult-document.ts). */
import type {
  CodeableConcept,
  Coding,
  Composition,
  Encounter,
  Identifier,
  MedicationRequest,
  Narrative,
  Organization,
  Patient,
  Practitioner,
  Reference,
} from '@medplum/fhirtypes';
import type { CodedFinding, Prescription, Vitals } from '../consultation.model';
import { PROFILES, SYSTEMS, VitalCode } from './codes';
import { isUuid, uuidV5 } from './uuid';

/** BMI from weight (kg) and height (cm), one decimal; undefined unless both are positive. */
export function bodyMassIndex(v: Vitals): number | undefined {
  if (!v.weightKg || !v.heightCm || v.weightKg <= 0 || v.heightCm <= 0) return undefined;
  const metres = v.heightCm / 100;
  return Math.round((v.weightKg / (metres * metres)) * 10) / 10;
}

/**
 * The registry's Patient with the NRCeS profile claimed and a narrative. An identifier typed
 * only by text (ABHA number, ABHA address) gets the v2-0203 `MR` coding, as NRCeS's own
 * examples type the health id: the R4 IdentifierType value set (extensible) has no closer code.
 */
export function copyPatient(patient: Patient, id: string): Patient & { id: string } {
  const copy = structuredClone(patient);
  const profile = [...(copy.meta?.profile ?? []).filter((p) => p !== PROFILES.patient), PROFILES.patient];
  const identifier = copy.identifier?.map((i) =>
    i.type && !i.type.coding?.length
      ? { ...i, type: { ...identifierType('MR', 'Medical record number'), text: i.type.text } }
      : i,
  );
  const name = copy.name?.[0]?.text ?? [copy.name?.[0]?.given?.join(' '), copy.name?.[0]?.family].join(' ');
  const text =
    copy.text ??
    narrative([
      [name.trim(), copy.gender, copy.birthDate ? `born ${copy.birthDate}` : undefined]
        .filter(Boolean)
        .join(', '),
    ]);
  return { ...copy, id, meta: { ...copy.meta, profile }, text, ...(identifier ? { identifier } : {}) };
}

export function organization(
  org: { id: string; name: string; hipId?: string | null },
  id: string,
): Organization & { id: string } {
  // PRN, not XX: the R4 IdentifierType value set (extensible) has PRN and lacks XX.
  const identifier: Identifier[] = [
    { type: identifierType('PRN', 'Provider number'), ...uuidIdentifier(org.id) },
  ];
  if (org.hipId) {
    identifier.unshift({
      type: identifierType('PRN', 'Provider number'),
      system: SYSTEMS.facilityId,
      value: org.hipId,
    });
  }
  return {
    resourceType: 'Organization',
    id,
    meta: { profile: [PROFILES.organization] },
    text: narrative([org.hipId ? `${org.name} (HIP ${org.hipId})` : org.name]),
    identifier,
    name: org.name,
  };
}

export function medicationRequest(
  p: Prescription,
  id: string,
  authoredOn: string,
  requester: Reference<Practitioner>,
  context: { subject: Reference<Patient>; encounter: Reference<Encounter> },
): MedicationRequest & { id: string } {
  const dosage: NonNullable<MedicationRequest['dosageInstruction']>[number] = {
    text: [p.dose, p.route, p.frequency, p.durationDays ? `for ${p.durationDays} days` : undefined]
      .filter(Boolean)
      .join(', '),
    route: { text: p.route },
    timing: {
      code: { text: p.frequency },
      ...(p.durationDays
        ? {
            repeat: { boundsDuration: { value: p.durationDays, unit: 'd', system: SYSTEMS.ucum, code: 'd' } },
          }
        : {}),
    },
  };
  if (p.instructions) dosage.patientInstruction = p.instructions;
  return {
    resourceType: 'MedicationRequest',
    id,
    meta: { profile: [PROFILES.medicationRequest] },
    text: narrative([prescriptionLine(p)]),
    status: 'active',
    intent: 'order',
    medicationCodeableConcept: { text: p.strength ? `${p.drug} ${p.strength}` : p.drug },
    ...context,
    authoredOn,
    requester,
    dosageInstruction: [dosage],
  };
}

export function compositionStatus(visit: { status: string; contentVersion: number }): Composition['status'] {
  if (encounterStatus(visit.status) === 'entered-in-error') return 'entered-in-error';
  return visit.contentVersion > 1 ? 'amended' : 'final';
}

export function encounterStatus(status: string): Encounter['status'] {
  switch (status) {
    case 'booked':
    case 'planned':
      return 'planned';
    case 'checked_in':
    case 'arrived':
      return 'arrived';
    case 'in_progress':
    case 'in-progress':
      return 'in-progress';
    case 'cancelled':
      return 'cancelled';
    case 'entered_in_error':
    case 'entered-in-error':
      return 'entered-in-error';
    case 'signed':
    case 'finished':
      return 'finished';
    default:
      return 'unknown';
  }
}

/**
 * SNOMED CT is the only coding: the NRCeS Condition profile (ndhm.in 2.0.1) fixes
 * `code.coding.system` to SNOMED CT, so an ICD-10 code the doctor gave goes into the text.
 */
export function findingCode(f: CodedFinding): CodeableConcept {
  const coding: Coding[] = [];
  // The clinician's text as display: NRCeS requires a display on each coding, and we hold no
  // code system to look the official one up.
  if (f.snomed) coding.push({ system: SYSTEMS.snomed, code: f.snomed, display: f.text });
  const text = f.icd10 ? `${f.text} (ICD-10 ${f.icd10})` : f.text;
  return coding.length > 0 ? { coding, text } : { text };
}

export function findingLine(f: CodedFinding): string {
  const codes = [f.icd10 && `ICD-10 ${f.icd10}`, f.snomed && `SNOMED CT ${f.snomed}`]
    .filter(Boolean)
    .join(', ');
  return `${f.text}${codes ? ` (${codes})` : ''}, ${f.clinicalStatus}`;
}

export function prescriptionLine(p: Prescription): string {
  const parts = [p.strength ? `${p.drug} ${p.strength}` : p.drug, p.dose, p.route, p.frequency];
  if (p.durationDays) parts.push(`for ${p.durationDays} days`);
  if (p.instructions) parts.push(p.instructions);
  return parts.join(', ');
}

export function loinc(code: VitalCode): CodeableConcept {
  const coding: Coding[] = [{ system: SYSTEMS.loinc, code: code.loinc, display: code.display }];
  for (const extra of code.alsoLoinc ?? []) coding.push({ system: SYSTEMS.loinc, ...extra });
  return { coding, text: code.display };
}

export function quantity(value: number, code: VitalCode) {
  return { value, unit: code.unit, system: SYSTEMS.ucum, code: code.unit };
}

export function vitalSignsCategory(): CodeableConcept {
  return { coding: [{ system: SYSTEMS.observationCategory, code: 'vital-signs', display: 'Vital Signs' }] };
}

export function identifierType(code: string, display: string): CodeableConcept {
  return { coding: [{ system: SYSTEMS.identifierType, code, display }] };
}

export function uuidIdentifier(id: string): Identifier {
  return { system: SYSTEMS.uri, value: `urn:uuid:${isUuid(id) ? id.toLowerCase() : uuidV5(`id:${id}`)}` };
}

/**
 * An XHTML narrative of escaped lines (clinical text is data, never markup). `lang` when the
 * resource declares a language (the validator wants both lang and xml:lang then).
 */
export function narrative(lines: string[], lang?: string): Narrative {
  const items = lines.map((l) => `<li>${escapeXml(l)}</li>`).join('');
  const langs = lang ? ` lang="${lang}" xml:lang="${lang}"` : '';
  return {
    status: 'generated',
    div: `<div xmlns="http://www.w3.org/1999/xhtml"${langs}><ul>${items}</ul></div>`,
  };
}

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
