/** Vital signs of one consultation; each optional, each range-checked by the API. BMI is derived, never stored. */
export interface Vitals {
  systolicMmHg?: number; // LOINC 8480-6, UCUM mm[Hg]
  diastolicMmHg?: number; // LOINC 8462-4, UCUM mm[Hg]
  pulsePerMin?: number; // LOINC 8867-4, UCUM /min
  temperatureCel?: number; // LOINC 8310-5, UCUM Cel
  respiratoryRatePerMin?: number; // LOINC 9279-1, UCUM /min
  spo2Percent?: number; // LOINC 59408-5 (or 2708-6), UCUM %
  weightKg?: number; // LOINC 29463-7, UCUM kg
  heightCm?: number; // LOINC 8302-2, UCUM cm
}
export const CLINICAL_STATUSES = [
  'active',
  'recurrence',
  'relapse',
  'inactive',
  'remission',
  'resolved',
] as const;
export type ClinicalStatus = (typeof CLINICAL_STATUSES)[number];
/** A complaint or diagnosis: free text, optional ICD-10 / SNOMED CT codes. */
export interface CodedFinding {
  text: string;
  icd10?: string;
  snomed?: string;
  clinicalStatus: ClinicalStatus;
}
export interface Prescription {
  drug: string;
  strength?: string;
  dose: string;
  route: string;
  frequency: string;
  durationDays?: number;
  instructions?: string;
}
/** The clinical content of an outpatient consultation (one version of it). */
export interface Consultation {
  vitals: Vitals;
  complaints: CodedFinding[];
  diagnoses: CodedFinding[];
  medications: Prescription[];
  advice?: string;
  followUpDate?: string; // YYYY-MM-DD
  notes?: string;
}
