/**
 * Code systems, codes and profile URLs used by a visit's documents (OP consultation,
 * prescription, wellness record).
 * Sources (see profiles/README.md): the NRCeS FHIR Implementation Guide for ABDM
 * (https://nrces.in/ndhm/fhir/r4/, v6.5.0), LOINC and UCUM as used by the FHIR R4
 * vital signs profile (http://hl7.org/fhir/R4/observation-vitalsigns.html).
 */
export const SYSTEMS = {
  snomed: 'http://snomed.info/sct',
  loinc: 'http://loinc.org',
  ucum: 'http://unitsofmeasure.org',
  icd10: 'http://hl7.org/fhir/sid/icd-10',
  /** Identifiers that are RFC 4122 UUIDs, written as urn:uuid:... */
  uri: 'urn:ietf:rfc:3986',
  observationCategory: 'http://terminology.hl7.org/CodeSystem/observation-category',
  conditionClinical: 'http://terminology.hl7.org/CodeSystem/condition-clinical',
  conditionCategory: 'http://terminology.hl7.org/CodeSystem/condition-category',
  actCode: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
  participationType: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType',
  confidentiality: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality',
  identifierType: 'http://terminology.hl7.org/CodeSystem/v2-0203',
  /** Health facility registry ids (HIP ids), as in the NRCeS IG's Organization examples. */
  facilityId: 'https://facility.ndhm.gov.in',
} as const;

const NRCES = 'https://nrces.in/ndhm/fhir/r4/StructureDefinition';

/** NRCeS profile canonical URLs claimed in meta.profile. */
export const PROFILES = {
  documentBundle: `${NRCES}/DocumentBundle`,
  opConsultRecord: `${NRCES}/OPConsultRecord`,
  prescriptionRecord: `${NRCES}/PrescriptionRecord`,
  wellnessRecord: `${NRCES}/WellnessRecord`,
  patient: `${NRCES}/Patient`,
  practitioner: `${NRCES}/Practitioner`,
  organization: `${NRCES}/Organization`,
  encounter: `${NRCES}/Encounter`,
  vitalSigns: `${NRCES}/ObservationVitalSigns`,
  bodyMeasurement: `${NRCES}/ObservationBodyMeasurement`,
  condition: `${NRCES}/Condition`,
  medicationRequest: `${NRCES}/MedicationRequest`,
  appointment: `${NRCES}/Appointment`,
} as const;

/** Composition.type fixed by OPConsultRecord. */
export const OP_CONSULT_TYPE = {
  system: SYSTEMS.snomed,
  code: '371530004',
  display: 'Clinical consultation report',
};

/** Composition.type and the one section code fixed by PrescriptionRecord. */
export const PRESCRIPTION_TYPE = {
  system: SYSTEMS.snomed,
  code: '440545006',
  display: 'Prescription record',
};

/** WellnessRecord fixes Composition.type.text and slices its sections by these fixed titles. */
export const WELLNESS = {
  typeText: 'Wellness Record',
  vitalSignsTitle: 'Vital Signs',
  bodyMeasurementTitle: 'Body Measurement',
} as const;

/** Section codes of the OPConsultRecord section slices we fill (SNOMED CT unless said). */
export const SECTIONS = {
  chiefComplaints: { code: '422843007', display: 'Chief complaint section', title: 'Chief complaints' },
  physicalExamination: { code: '425044008', display: 'Physical exam section', title: 'Physical examination' },
  medications: { code: '721912009', display: 'Medication summary document', title: 'Medications' },
  followUp: { code: '736271009', display: 'Outpatient care plan', title: 'Follow up' },
  /**
   * Diagnoses made at this visit go in the OtherObservations slice ("Clinical finding": its
   * entries may be Observations or Conditions); OPConsultRecord has no diagnosis slice.
   */
  diagnoses: { code: '404684003', display: 'Clinical finding', title: 'Diagnoses' },
  /**
   * Not an OPConsultRecord slice (slicing is open): the clinician's free-text notes. LOINC, not
   * SNOMED 371530004, which the profile's DocumentReference slice owns.
   */
  notes: { code: '34109-9', display: 'Note', title: 'Clinical notes', system: 'http://loinc.org' },
} as const;

export interface VitalCode {
  key: string;
  loinc: string;
  display: string;
  unit: string;
  /** Extra LOINC codings (the R4 vital signs profile wants 2708-6 for SpO2). */
  alsoLoinc?: { code: string; display: string }[];
  bodyMeasurement?: boolean;
}

export const BP_PANEL = { code: '85354-9', display: 'Blood pressure panel with all children optional' };

export const VITALS = {
  systolic: { key: 'systolicMmHg', loinc: '8480-6', display: 'Systolic blood pressure', unit: 'mm[Hg]' },
  diastolic: { key: 'diastolicMmHg', loinc: '8462-4', display: 'Diastolic blood pressure', unit: 'mm[Hg]' },
  pulse: { key: 'pulsePerMin', loinc: '8867-4', display: 'Heart rate', unit: '/min' },
  temperature: { key: 'temperatureCel', loinc: '8310-5', display: 'Body temperature', unit: 'Cel' },
  respiratoryRate: {
    key: 'respiratoryRatePerMin',
    loinc: '9279-1',
    display: 'Respiratory rate',
    unit: '/min',
  },
  spo2: {
    key: 'spo2Percent',
    loinc: '59408-5',
    display: 'Oxygen saturation in Arterial blood by Pulse oximetry',
    unit: '%',
    alsoLoinc: [{ code: '2708-6', display: 'Oxygen saturation in Arterial blood' }],
  },
  weight: { key: 'weightKg', loinc: '29463-7', display: 'Body weight', unit: 'kg', bodyMeasurement: true },
  height: { key: 'heightCm', loinc: '8302-2', display: 'Body height', unit: 'cm', bodyMeasurement: true },
  bmi: {
    key: 'bmi',
    loinc: '39156-5',
    display: 'Body mass index (BMI) [Ratio]',
    unit: 'kg/m2',
    bodyMeasurement: true,
  },
} satisfies Record<string, VitalCode>;
