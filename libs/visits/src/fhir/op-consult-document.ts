import type {
  Appointment,
  Bundle,
  CompositionSection,
  Condition,
  MedicationRequest,
  Reference,
} from '@medplum/fhirtypes';
import type { CodedFinding } from '../consultation.model';
import { OP_CONSULT_TYPE, PROFILES, SECTIONS, SYSTEMS } from './codes';
import { documentBundle, documentFrame, vitalObservations, type VisitDocumentInput } from './document-frame';
import {
  bodyMassIndex,
  findingCode,
  findingLine,
  medicationRequest,
  narrative,
  prescriptionLine,
} from './op-consult-elements';

export { bodyMassIndex };

/** What the OP consultation document is rendered from (one signed version of one visit). */
export type OpConsultDocumentInput = VisitDocumentInput;

type Section = keyof typeof SECTIONS;

/**
 * A FHIR R4 document Bundle (type `document`) for one signed OP consultation, following the
 * NRCeS OPConsultRecord profile: Composition first, then Patient, Practitioner, Organization,
 * Encounter, Observations (vitals), Conditions (complaints, diagnoses), MedicationRequests and
 * a follow-up Appointment. Every fullUrl is a urn:uuid and every reference points at one; every
 * resource carries a narrative.
 *
 * Pure and deterministic: the same input renders the same JSON. Bundle.identifier and
 * Composition.identifier depend on the visit id only (stable across reads and amendments);
 * Bundle.id, meta.versionId and Composition status follow contentVersion.
 */
export function renderOpConsultDocument(input: OpConsultDocumentInput): Bundle {
  const { visit, consultation: c } = input;
  const frame = documentFrame(input);
  const { idFor, add, patientRef, practitionerRef, encounterRef, signedAt } = frame;
  const context = { subject: patientRef, encounter: encounterRef };

  const vitals = vitalObservations(frame, c.vitals);

  // Complaints and diagnoses as Conditions.
  const condition = (kind: 'complaint' | 'diagnosis', f: CodedFinding, i: number): Reference<Condition> =>
    add<Condition>({
      resourceType: 'Condition',
      id: idFor(`condition:${kind}:${i}`),
      meta: { profile: [PROFILES.condition] },
      text: narrative([`${kind === 'diagnosis' ? 'Diagnosis' : 'Complaint'}: ${findingLine(f)}`]),
      clinicalStatus: {
        coding: [{ system: SYSTEMS.conditionClinical, code: f.clinicalStatus }],
      },
      ...(kind === 'diagnosis'
        ? {
            category: [
              {
                coding: [
                  {
                    system: SYSTEMS.conditionCategory,
                    code: 'encounter-diagnosis',
                    display: 'Encounter Diagnosis',
                  },
                ],
              },
            ],
          }
        : {}),
      code: findingCode(f),
      subject: patientRef,
      encounter: encounterRef,
      recordedDate: signedAt,
      recorder: practitionerRef,
    });
  const complaintRefs = c.complaints.map((f, i) => condition('complaint', f, i));
  const diagnosisRefs = c.diagnoses.map((f, i) => condition('diagnosis', f, i));
  if (diagnosisRefs.length > 0) {
    frame.encounter.diagnosis = diagnosisRefs.map((ref, i) => ({ condition: ref, rank: i + 1 }));
  }

  // Prescriptions as MedicationRequests.
  const medicationRefs = c.medications.map((p, i) =>
    add<MedicationRequest>(
      medicationRequest(p, idFor(`medication-request:${i}`), signedAt, practitionerRef, context),
    ),
  );

  // Follow-up: a proposed Appointment on the date, with the advice as the section's narrative.
  const followUpRefs: Reference<Appointment>[] = [];
  if (c.followUpDate) {
    followUpRefs.push(
      add<Appointment>({
        resourceType: 'Appointment',
        id: idFor('appointment:follow-up'),
        meta: { profile: [PROFILES.appointment] },
        text: narrative([`Follow-up consultation on ${c.followUpDate}`]),
        status: 'proposed',
        appointmentType: {
          coding: [{ system: SYSTEMS.snomed, code: '185389009', display: 'Follow-up visit' }],
        },
        description: 'Follow-up consultation',
        // A day, not a time: the whole day in India Standard Time (NRCeS Appointment requires start).
        start: `${c.followUpDate}T00:00:00+05:30`,
        end: `${c.followUpDate}T23:59:59+05:30`,
        requestedPeriod: [{ start: c.followUpDate, end: c.followUpDate }],
        participant: [
          { actor: patientRef, status: 'needs-action' },
          { actor: practitionerRef, status: 'needs-action' },
        ],
      }),
    );
  }

  const sections: CompositionSection[] = [];
  const section = (key: Section, entry: Reference[], lines: string[]) => {
    const s = SECTIONS[key];
    if (entry.length === 0 && lines.length === 0) return;
    sections.push({
      title: s.title,
      code: {
        coding: [{ system: 'system' in s ? s.system : SYSTEMS.snomed, code: s.code, display: s.display }],
      },
      text: narrative(lines),
      ...(entry.length > 0 ? { entry } : {}),
    });
  };
  // Sections of the profile's slices first: its slicing is "openAtEnd" (ndhm.in 2.0.1), and
  // OtherObservations (diagnoses) is a slice only from IG 6.x.
  section('chiefComplaints', complaintRefs, c.complaints.map(findingLine));
  section('physicalExamination', vitals.all, vitals.lines);
  section('medications', medicationRefs, c.medications.map(prescriptionLine));
  section('followUp', followUpRefs, [
    ...(c.followUpDate ? [`Follow up on ${c.followUpDate}`] : []),
    ...(c.advice ? [`Advice: ${c.advice}`] : []),
  ]);
  section('diagnoses', diagnosisRefs, c.diagnoses.map(findingLine));
  section('notes', [], c.notes ? [c.notes] : []);
  if (sections.length === 0) section('notes', [], ['No clinical content was recorded at this consultation.']);

  return documentBundle(frame, {
    idPrefix: '',
    profile: PROFILES.opConsultRecord,
    type: { coding: [{ ...OP_CONSULT_TYPE }], text: OP_CONSULT_TYPE.display },
    title: 'Consultation Report',
    summary: `Outpatient consultation record (${visit.department}), version ${frame.version}, signed by ${input.practitioner.displayName} at ${signedAt}.`,
    sections,
  });
}
