import { bmiOf, changedParts, consultationErrors, mergeConsultation } from './consultation.merge';
import type { Consultation } from './consultation.model';

const base: Consultation = {
  vitals: { weightKg: 70, heightCm: 175, pulsePerMin: 80 },
  complaints: [{ text: 'Fever', clinicalStatus: 'active' }],
  diagnoses: [],
  medications: [],
  advice: 'Rest',
};

describe('consultation merge patch', () => {
  it('merges vitals key by key, null clears one, lists replace whole, null clears text', () => {
    const next = mergeConsultation(base, {
      vitals: { pulsePerMin: null, temperatureCel: 38.2 },
      diagnoses: [{ text: 'Viral fever', icd10: 'B34.9', clinicalStatus: 'active' }],
      advice: null,
      notes: 'see again',
    });
    expect(next).toEqual({
      vitals: { weightKg: 70, heightCm: 175, temperatureCel: 38.2 },
      complaints: base.complaints,
      diagnoses: [{ text: 'Viral fever', icd10: 'B34.9', clinicalStatus: 'active' }],
      medications: [],
      notes: 'see again',
    });
    expect(changedParts(base, next).sort()).toEqual(['advice', 'diagnoses', 'notes', 'vitals']);
  });

  it('sees no change when only the key order differs (as jsonb returns it)', () => {
    const reordered = { ...base, vitals: { pulsePerMin: 80, heightCm: 175, weightKg: 70 } };
    expect(changedParts(base, mergeConsultation(reordered, { advice: 'Rest' }))).toEqual([]);
  });

  it('derives BMI (kg/m², one decimal) only from both weight and height', () => {
    expect(bmiOf({ weightKg: 70, heightCm: 175 })).toBe(22.9);
    expect(bmiOf({ weightKg: 70 })).toBeUndefined();
  });

  it('a diastolic pressure at or above the systolic one is an error on diastolicMmHg', () => {
    const c = (systolicMmHg: number, diastolicMmHg: number) => ({
      ...base,
      vitals: { systolicMmHg, diastolicMmHg },
    });
    expect(consultationErrors(c(120, 80))).toEqual([]);
    expect(consultationErrors(c(90, 90))).toEqual([
      { field: 'consultation.vitals.diastolicMmHg', message: expect.stringContaining('lower than') },
    ]);
  });
});
