import type { Bundle, MedicationRequest } from '@medplum/fhirtypes';
import { PRESCRIPTION_TYPE, PROFILES } from './codes';
import { documentBundle, documentFrame, type VisitDocumentInput } from './document-frame';
import { medicationRequest, narrative, prescriptionLine } from './op-consult-elements';

/**
 * The prescription of one signed visit as a FHIR R4 document Bundle following the NRCeS
 * PrescriptionRecord profile: Composition (SNOMED CT 440545006), Patient, Practitioner,
 * Organization, Encounter and one MedicationRequest per prescribed medicine, the same
 * MedicationRequests (same ids) as in the OP consultation document. One section, whose entries
 * carry `type` (the profile slices them by it). Only for a visit with at least one medicine
 * (the section needs an entry): see `visitDocumentTypes`.
 */
export function renderPrescriptionDocument(input: VisitDocumentInput): Bundle {
  const { consultation: c } = input;
  if (c.medications.length === 0) throw new Error('a prescription document needs at least one medicine');
  const frame = documentFrame(input);
  const context = { subject: frame.patientRef, encounter: frame.encounterRef };
  const entry = c.medications.map((p, i) => ({
    ...frame.add<MedicationRequest>(
      medicationRequest(
        p,
        frame.idFor(`medication-request:${i}`),
        frame.signedAt,
        frame.practitionerRef,
        context,
      ),
    ),
    type: 'MedicationRequest' as const,
  }));
  return documentBundle(frame, {
    idPrefix: 'prescription:',
    profile: PROFILES.prescriptionRecord,
    type: { coding: [{ ...PRESCRIPTION_TYPE }], text: PRESCRIPTION_TYPE.display },
    title: 'Prescription',
    summary: `Prescription (${input.visit.department}), version ${frame.version}, signed by ${input.practitioner.displayName} at ${frame.signedAt}.`,
    sections: [
      {
        title: 'Prescription',
        code: { coding: [{ ...PRESCRIPTION_TYPE }] },
        text: narrative(c.medications.map(prescriptionLine)),
        entry,
      },
    ],
  });
}
