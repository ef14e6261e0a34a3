import type { Schemas } from '../api/client';
import { formatDay, parseDay } from './format';

type Consultation = Schemas['ConsultationView'];
type Patch = Schemas['ConsultationPatchDto'];

export const VITALS = [
  ['systolicMmHg', 'systolic'],
  ['diastolicMmHg', 'diastolic'],
  ['pulsePerMin', 'pulse'],
  ['temperatureCel', 'temperature'],
  ['respiratoryRatePerMin', 'respRate'],
  ['spo2Percent', 'spo2'],
  ['weightKg', 'weight'],
  ['heightCm', 'height'],
] as const;
export type VitalKey = (typeof VITALS)[number][0];

export interface FindingRow {
  text: string;
  icd10: string;
}
export interface MedicationRow {
  drug: string;
  strength: string;
  dose: string;
  route: string;
  frequency: string;
  durationDays: string;
  instructions: string;
}

/** The consultation as the form edits it: every value a string, lists as rows. */
export interface ConsultationForm {
  vitals: Record<VitalKey, string>;
  complaints: FindingRow[];
  diagnoses: FindingRow[];
  medications: MedicationRow[];
  advice: string;
  followUp: string;
  notes: string;
}

export const emptyMedication = (): MedicationRow => ({ drug: '', strength: '', dose: '', route: 'oral', frequency: '', durationDays: '', instructions: '' });

export function toConsultationForm(c: Consultation): ConsultationForm {
  const vitals = Object.fromEntries(VITALS.map(([k]) => [k, c.vitals[k] === undefined ? '' : String(c.vitals[k])])) as Record<VitalKey, string>;
  return {
    vitals,
    complaints: c.complaints.map((f) => ({ text: f.text, icd10: f.icd10 ?? '' })),
    diagnoses: c.diagnoses.map((f) => ({ text: f.text, icd10: f.icd10 ?? '' })),
    medications: c.medications.map((m) => ({
      drug: m.drug,
      strength: m.strength ?? '',
      dose: m.dose,
      route: m.route,
      frequency: m.frequency,
      durationDays: m.durationDays === undefined ? '' : String(m.durationDays),
      instructions: m.instructions ?? '',
    })),
    advice: c.advice ?? '',
    followUp: c.followUpDate ? formatDay(c.followUpDate) : '',
    notes: c.notes ?? '',
  };
}

const finding = (r: FindingRow) => ({ text: r.text.trim(), ...(r.icd10.trim() ? { icd10: r.icd10.trim() } : {}), clinicalStatus: 'active' as const });
const orNull = (s: string) => (s.trim() ? s.trim() : null);
const num = (s: string) => (s.trim() === '' ? null : Number(s.replace(',', '.')));

/**
 * The whole consultation as a merge patch: cleared vitals and texts are sent as null, lists
 * replace the stored ones. An unreadable follow-up date is sent as typed, so the API's field
 * error names it. Empty rows are left out.
 */
export function toConsultationPatch(f: ConsultationForm): Patch {
  return {
    vitals: Object.fromEntries(VITALS.map(([k]) => [k, num(f.vitals[k])])),
    complaints: f.complaints.filter((r) => r.text.trim()).map(finding),
    diagnoses: f.diagnoses.filter((r) => r.text.trim()).map(finding),
    medications: f.medications
      .filter((m) => m.drug.trim())
      .map((m) => ({
        drug: m.drug.trim(),
        ...(m.strength.trim() ? { strength: m.strength.trim() } : {}),
        dose: m.dose.trim(),
        route: m.route.trim(),
        frequency: m.frequency.trim(),
        ...(m.durationDays.trim() ? { durationDays: Number(m.durationDays) } : {}),
        ...(m.instructions.trim() ? { instructions: m.instructions.trim() } : {}),
      })),
    advice: orNull(f.advice),
    followUpDate: f.followUp.trim() ? (parseDay(f.followUp) ?? f.followUp.trim()) : null,
    notes: orNull(f.notes),
  } as Patch;
}
