/**
 * What every clinical document of one signed visit shares (OP consultation, prescription,
 * wellness record): the Patient, Practitioner, Organization and Encounter entries, name-based
 * ids, the vital-sign Observations, and the DocumentBundle envelope around a Composition.
 * The same visit gives the same ids in every document, so an HIU can tell they describe one
 * encounter.
 */
import type {
  Bundle,
  BundleEntry,
  CodeableConcept,
  Composition,
  CompositionSection,
  Encounter,
  Observation,
  Organization,
  Patient,
  Practitioner,
  Reference,
  Resource,
} from '@medplum/fhirtypes';
import type { Consultation, Vitals } from '../consultation.model';
import { BP_PANEL, PROFILES, SYSTEMS, VITALS, VitalCode } from './codes';
import {
  bodyMassIndex,
  compositionStatus,
  copyPatient,
  encounterStatus,
  identifierType,
  loinc,
  narrative,
  organization,
  quantity,
  uuidIdentifier,
  vitalSignsCategory,
} from './op-consult-elements';
import { isUuid, uuidV5 } from './uuid';

/** What a visit's documents are rendered from (one signed version of one visit). */
export interface VisitDocumentInput {
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

export interface DocumentFrame {
  input: VisitDocumentInput;
  entries: BundleEntry[];
  idFor(name: string): string;
  add<T extends Resource>(resource: T & { id: string }): Reference<T>;
  patientRef: Reference<Patient>;
  practitionerRef: Reference<Practitioner>;
  organizationRef: Reference<Organization>;
  encounterRef: Reference<Encounter>;
  encounter: Encounter;
  signedAt: string;
  start: string;
  version: string;
}

/** Patient, Practitioner, Organization and Encounter, in that order, each with its narrative. */
export function documentFrame(input: VisitDocumentInput): DocumentFrame {
  const { visit } = input;
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
  const practitionerRef = {
    ...add<Practitioner>({
      resourceType: 'Practitioner',
      id: ownId(input.practitioner.id, 'practitioner'),
      meta: { profile: [PROFILES.practitioner] },
      text: narrative([input.practitioner.displayName]),
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
  const encounter: Encounter = {
    resourceType: 'Encounter',
    id: encounterId,
    meta: { profile: [PROFILES.encounter] },
    text: narrative([
      `Outpatient consultation, ${visit.department}, from ${start}`,
      ...(visit.reason ? [`Reason: ${visit.reason}`] : []),
    ]),
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

  return {
    input,
    entries,
    idFor,
    add,
    patientRef,
    practitionerRef,
    organizationRef,
    encounterRef,
    encounter,
    signedAt,
    start,
    version: String(visit.contentVersion),
  };
}

/** The vital-sign Observations of a visit, split by the NRCeS profile each one claims. */
export interface VitalObservations {
  vitalSigns: Reference<Observation>[];
  bodyMeasurements: Reference<Observation>[];
  /** Every one of them, in the order added (blood pressure first). */
  all: Reference<Observation>[];
  /** One readable line per measurement, for a section narrative. */
  lines: string[];
}

/** True when at least one vital sign was measured (stored JSON may say null for "not measured"). */
export function hasVitals(v: Vitals): boolean {
  return Object.values(v).some((value) => value != null);
}

/**
 * One Observation per measurement, blood pressure as a panel, BMI derived from weight and
 * height. The signing doctor is the performer (responsible for what the record says).
 */
export function vitalObservations(frame: DocumentFrame, v: Vitals): VitalObservations {
  const out: VitalObservations = { vitalSigns: [], bodyMeasurements: [], all: [], lines: [] };
  const observe = (
    name: string,
    line: string,
    bodyMeasurement: boolean,
    obs: Omit<Observation, 'resourceType' | 'status' | 'subject'>,
  ) => {
    const ref = frame.add<Observation>({
      resourceType: 'Observation',
      id: frame.idFor(`observation:${name}`),
      meta: { profile: [bodyMeasurement ? PROFILES.bodyMeasurement : PROFILES.vitalSigns] },
      text: narrative([line]),
      status: 'final',
      category: [vitalSignsCategory()],
      ...obs,
      subject: frame.patientRef,
      encounter: frame.encounterRef,
      effectiveDateTime: frame.start,
      performer: [frame.practitionerRef],
    });
    out.all.push(ref);
    (bodyMeasurement ? out.bodyMeasurements : out.vitalSigns).push(ref);
    out.lines.push(line);
    return ref;
  };
  if (v.systolicMmHg != null || v.diastolicMmHg != null) {
    const component = [VITALS.systolic, VITALS.diastolic]
      .filter((code) => v[code.key as keyof Vitals] != null)
      .map((code) => ({
        code: loinc(code),
        valueQuantity: quantity(v[code.key as keyof Vitals] as number, code),
      }));
    observe(
      'blood-pressure',
      `Blood pressure: ${v.systolicMmHg ?? '-'}/${v.diastolicMmHg ?? '-'} mm[Hg]`,
      false,
      {
        code: { coding: [{ system: SYSTEMS.loinc, ...BP_PANEL }], text: 'Blood pressure' },
        component,
      },
    );
  }
  const single = (code: VitalCode, value: number | null | undefined): Reference<Observation> | undefined => {
    if (value == null) return undefined;
    return observe(code.key, `${code.display}: ${value} ${code.unit}`, code.bodyMeasurement === true, {
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
    const obs = frame.entries.find((e) => e.fullUrl === ref?.reference)?.resource as Observation;
    obs.derivedFrom = [weightRef, heightRef];
  }
  return out;
}

/** The Composition of one kind of document and the DocumentBundle around it. */
export interface DocumentSpec {
  /** Prefix of the document's own ids ('' for the OP consultation, whose ids predate the others). */
  idPrefix: string;
  profile: string;
  type: CodeableConcept;
  title: string;
  /** The Composition's narrative: one line saying what this document is. */
  summary: string;
  sections: CompositionSection[];
}

export function documentBundle(frame: DocumentFrame, spec: DocumentSpec): Bundle {
  const { input, signedAt, version } = frame;
  const id = (name: string) => frame.idFor(`${spec.idPrefix}${name}`);
  const composition: Composition = {
    resourceType: 'Composition',
    id: id(`composition:v${version}`),
    meta: { versionId: version, lastUpdated: signedAt, profile: [spec.profile] },
    language: 'en-IN',
    text: narrative([spec.summary], 'en-IN'),
    identifier: uuidIdentifier(id('composition')),
    status: compositionStatus(input.visit),
    type: spec.type,
    subject: frame.patientRef,
    encounter: frame.encounterRef,
    date: signedAt,
    author: [frame.practitionerRef],
    title: spec.title,
    attester: [{ mode: 'legal', time: signedAt, party: frame.practitionerRef }],
    custodian: frame.organizationRef,
    section: spec.sections,
  };
  return {
    resourceType: 'Bundle',
    id: id(`bundle:v${version}`),
    meta: {
      versionId: version,
      lastUpdated: signedAt,
      profile: [PROFILES.documentBundle],
      security: [{ system: SYSTEMS.confidentiality, code: 'V', display: 'very restricted' }],
    },
    identifier: uuidIdentifier(id('document')),
    type: 'document',
    timestamp: signedAt,
    entry: [{ fullUrl: `urn:uuid:${composition.id}`, resource: composition }, ...frame.entries],
  };
}
