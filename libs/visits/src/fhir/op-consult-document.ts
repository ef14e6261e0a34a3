import type {
  Appointment,
  Bundle,
  BundleEntry,
  Composition,
  CompositionSection,
  Condition,
  Encounter,
  MedicationRequest,
  Observation,
  Organization,
  Patient,
  Practitioner,
  Reference,
  Resource,
} from '@medplum/fhirtypes';
import type { CodedFinding, Consultation, Vitals } from '../consultation.model';
import { BP_PANEL, OP_CONSULT_TYPE, PROFILES, SECTIONS, SYSTEMS, VITALS, VitalCode } from './codes';
import {
  bodyMassIndex,
  compositionStatus,
  copyPatient,
  encounterStatus,
  findingCode,
  findingLine,
  identifierType,
  loinc,
  medicationRequest,
  narrative,
  organization,
  prescriptionLine,
  quantity,
  uuidIdentifier,
  vitalSignsCategory,
} from './op-consult-elements';
import { isUuid, uuidV5 } from './uuid';

export { bodyMassIndex };

/** What the OP consultation document is rendered from (one signed version of one visit). */
export interface OpConsultDocumentInput {
  visit: {
    id: string;
    status: string;
    department: string;
    reason?: string | null;
    startedAt?: Date | null;
    endedAt?: Date | null;
    scheduledAt: Date;
    signedAt: Date;
    /** 1 when signed, +1 per amendment. */
    contentVersion: number;
  };
  consultation: Consultation;
  /** The Patient view (e.g. `toFhirPatient` of @hims/patients); copied, never changed. */
  patient: Patient;
  practitioner: { id: string; displayName: string };
  organization: { id: string; name: string; hipId?: string | null };
}

type Section = keyof typeof SECTIONS;

/**
 * A FHIR R4 document Bundle (type `document`) for one signed OP consultation, following the
 * NRCeS OPConsultRecord profile: Composition first, then Patient, Practitioner, Organization,
 * Encounter, Observations (vitals), Conditions (complaints, diagnoses), MedicationRequests and
 * a follow-up Appointment. Every fullUrl is a urn:uuid and every reference points at one.
 *
 * Pure and deterministic: the same input renders the same JSON. Bundle.identifier and
 * Composition.identifier depend on the visit id only (stable across reads and amendments);
 * Bundle.id, meta.versionId and Composition status follow contentVersion.
 */
export function renderOpConsultDocument(input: OpConsultDocumentInput): Bundle {
  const { visit, consultation: c } = input;
  const version = String(visit.contentVersion);
  const signedAt = visit.signedAt.toISOString();
  const start = (visit.startedAt ?? visit.scheduledAt).toISOString();
  const idFor = (name: string) => uuidV5(`visit:${visit.id}:${name}`);
  const entries: BundleEntry[] = [];
  const add = <T extends Resource>(resource: T & { id: string }): Reference<T> => {
    const fullUrl = `urn:uuid:${resource.id}`;
    entries.push({ fullUrl, resource });
    return { reference: fullUrl };
  };

  // Patient, Practitioner and Organization keep their own ids when they are UUIDs not yet used.
  const taken = new Set<string>();
  const ownId = (id: string | undefined, role: string) => {
    const chosen = id && isUuid(id) && !taken.has(id.toLowerCase()) ? id.toLowerCase() : idFor(role);
    taken.add(chosen);
    return chosen;
  };
  const patientRef = add(copyPatient(input.patient, ownId(input.patient.id, 'patient')));
  const practitionerId = ownId(input.practitioner.id, 'practitioner');
  const practitionerRef = {
    ...add<Practitioner>({
      resourceType: 'Practitioner',
      id: practitionerId,
      meta: { profile: [PROFILES.practitioner] },
      identifier: [
        { type: identifierType('PRN', 'Provider number'), ...uuidIdentifier(input.practitioner.id) },
      ],
      name: [{ text: input.practitioner.displayName }],
    }),
    display: input.practitioner.displayName,
  };
  const organizationRef = {
    ...add<Organization>(organization(input.organization, ownId(input.organization.id, 'organization'))),
    display: input.organization.name,
  };

  const encounterId = idFor('encounter');
  const encounterRef: Reference<Encounter> = { reference: `urn:uuid:${encounterId}` };
  const context = { subject: patientRef, encounter: encounterRef };
  const encounter: Encounter = {
    resourceType: 'Encounter',
    id: encounterId,
    meta: { profile: [PROFILES.encounter] },
    identifier: [uuidIdentifier(visit.id)],
    status: encounterStatus(visit.status),
    class: { system: SYSTEMS.actCode, code: 'AMB', display: 'ambulatory' },
    type: [{ text: 'Outpatient consultation' }],
    serviceType: { text: visit.department },
    subject: patientRef,
    participant: [
      {
        type: [{ coding: [{ system: SYSTEMS.participationType, code: 'ATND', display: 'attender' }] }],
        individual: practitionerRef,
      },
    ],
    period: {
      start,
      ...(visit.endedAt && visit.endedAt.toISOString() >= start ? { end: visit.endedAt.toISOString() } : {}),
    },
    serviceProvider: organizationRef,
  };
  if (visit.reason) encounter.reasonCode = [{ text: visit.reason }];
  entries.push({ fullUrl: encounterRef.reference, resource: encounter });

  // Vitals: one Observation each, blood pressure as a panel, BMI derived from weight and height.
  const vitalRefs: Reference<Observation>[] = [];
  const vitalLines: string[] = [];
  const observe = (name: string, obs: Omit<Observation, 'resourceType' | 'status' | 'subject'>) => {
    const ref = add<Observation>({
      resourceType: 'Observation',
      id: idFor(`observation:${name}`),
      status: 'final',
      ...obs,
      subject: patientRef,
      encounter: encounterRef,
      effectiveDateTime: start,
    });
    vitalRefs.push(ref);
    return ref;
  };
  const v = c.vitals;
  // Stored JSON may say null for "not measured": null and undefined both mean absent.
  if (v.systolicMmHg != null || v.diastolicMmHg != null) {
    const component = [VITALS.systolic, VITALS.diastolic]
      .filter((code) => v[code.key as keyof Vitals] != null)
      .map((code) => ({
        code: loinc(code),
        valueQuantity: quantity(v[code.key as keyof Vitals] as number, code),
      }));
    observe('blood-pressure', {
      meta: { profile: [PROFILES.vitalSigns] },
      category: [vitalSignsCategory()],
      code: { coding: [{ system: SYSTEMS.loinc, ...BP_PANEL }], text: 'Blood pressure' },
      component,
    });
    vitalLines.push(`Blood pressure: ${v.systolicMmHg ?? '-'}/${v.diastolicMmHg ?? '-'} mm[Hg]`);
  }
  const single = (code: VitalCode, value: number | null | undefined): Reference<Observation> | undefined => {
    if (value == null) return undefined;
    vitalLines.push(`${code.display}: ${value} ${code.unit}`);
    return observe(code.key, {
      meta: { profile: [code.bodyMeasurement ? PROFILES.bodyMeasurement : PROFILES.vitalSigns] },
      category: [vitalSignsCategory()],
      code: loinc(code),
      valueQuantity: quantity(value, code),
    });
  };
  single(VITALS.pulse, v.pulsePerMin);
  single(VITALS.temperature, v.temperatureCel);
  single(VITALS.respiratoryRate, v.respiratoryRatePerMin);
  single(VITALS.spo2, v.spo2Percent);
  const weightRef = single(VITALS.weight, v.weightKg);
  const heightRef = single(VITALS.height, v.heightCm);
  const bmi = bodyMassIndex(v);
  if (bmi !== undefined && weightRef && heightRef) {
    const ref = single(VITALS.bmi, bmi);
    const obs = entries.find((e) => e.fullUrl === ref?.reference)?.resource as Observation;
    obs.derivedFrom = [weightRef, heightRef];
  }

  // Complaints and diagnoses as Conditions.
  const condition = (kind: 'complaint' | 'diagnosis', f: CodedFinding, i: number): Reference<Condition> =>
    add<Condition>({
      resourceType: 'Condition',
      id: idFor(`condition:${kind}:${i}`),
      meta: { profile: [PROFILES.condition] },
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
    encounter.diagnosis = diagnosisRefs.map((ref, i) => ({ condition: ref, rank: i + 1 }));
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
  section('physicalExamination', vitalRefs, vitalLines);
  section('medications', medicationRefs, c.medications.map(prescriptionLine));
  section('followUp', followUpRefs, [
    ...(c.followUpDate ? [`Follow up on ${c.followUpDate}`] : []),
    ...(c.advice ? [`Advice: ${c.advice}`] : []),
  ]);
  section('diagnoses', diagnosisRefs, c.diagnoses.map(findingLine));
  section('notes', [], c.notes ? [c.notes] : []);
  if (sections.length === 0) section('notes', [], ['No clinical content was recorded at this consultation.']);

  const composition: Composition = {
    resourceType: 'Composition',
    id: idFor(`composition:v${version}`),
    meta: { versionId: version, lastUpdated: signedAt, profile: [PROFILES.opConsultRecord] },
    language: 'en-IN',
    text: narrative([
      `Outpatient consultation record (${visit.department}), version ${version}, signed by ${input.practitioner.displayName} at ${signedAt}.`,
    ]),
    identifier: uuidIdentifier(idFor('composition')),
    status: compositionStatus(visit),
    type: { coding: [{ ...OP_CONSULT_TYPE }], text: OP_CONSULT_TYPE.display },
    subject: patientRef,
    encounter: encounterRef,
    date: signedAt,
    author: [practitionerRef],
    title: 'Consultation Report',
    attester: [{ mode: 'legal', time: signedAt, party: practitionerRef }],
    custodian: organizationRef,
    section: sections,
  };

  return {
    resourceType: 'Bundle',
    id: idFor(`bundle:v${version}`),
    meta: {
      versionId: version,
      lastUpdated: signedAt,
      profile: [PROFILES.documentBundle],
      security: [{ system: SYSTEMS.confidentiality, code: 'V', display: 'very restricted' }],
    },
    identifier: uuidIdentifier(idFor('document')),
    type: 'document',
    timestamp: signedAt,
    entry: [{ fullUrl: `urn:uuid:${composition.id}`, resource: composition }, ...entries],
  };
}
