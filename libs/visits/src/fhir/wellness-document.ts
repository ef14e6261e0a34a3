import type { Bundle, CompositionSection } from '@medplum/fhirtypes';
import { PROFILES, WELLNESS } from './codes';
import {
  documentBundle,
  documentFrame,
  hasVitals,
  vitalObservations,
  type VisitDocumentInput,
} from './document-frame';
import { narrative } from './op-consult-elements';

/**
 * The vitals of one signed visit as a FHIR R4 document Bundle following the NRCeS
 * WellnessRecord profile: Composition (type text "Wellness Record"), Patient, Practitioner,
 * Organization, Encounter and the vital-sign Observations, the same ones (same ids) as in the
 * OP consultation document. Sections are sliced by their fixed titles: "Vital Signs"
 * (ObservationVitalSigns) and "Body Measurement" (ObservationBodyMeasurement: weight, height,
 * BMI). Only for a visit with at least one measurement: see `visitDocumentTypes`.
 */
export function renderWellnessDocument(input: VisitDocumentInput): Bundle {
  if (!hasVitals(input.consultation.vitals))
    throw new Error('a wellness record needs at least one vital sign');
  const frame = documentFrame(input);
  const vitals = vitalObservations(frame, input.consultation.vitals);
  const lineOf = (reference: string | undefined) =>
    vitals.lines[vitals.all.findIndex((r) => r.reference === reference)];
  const sections: CompositionSection[] = [];
  for (const [title, entry] of [
    [WELLNESS.vitalSignsTitle, vitals.vitalSigns],
    [WELLNESS.bodyMeasurementTitle, vitals.bodyMeasurements],
  ] as const) {
    if (entry.length > 0) {
      sections.push({ title, text: narrative(entry.map((r) => lineOf(r.reference))), entry: [...entry] });
    }
  }
  return documentBundle(frame, {
    idPrefix: 'wellness:',
    profile: PROFILES.wellnessRecord,
    type: { text: WELLNESS.typeText },
    title: WELLNESS.typeText,
    summary: `Vitals recorded at the outpatient consultation (${input.visit.department}), version ${frame.version}, signed by ${input.practitioner.displayName} at ${frame.signedAt}.`,
    sections,
  });
}
