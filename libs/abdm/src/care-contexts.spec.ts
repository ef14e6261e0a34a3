import { careContextRef, parseCareContextRef, patientEntries, visitCareContexts } from './care-contexts';

const VISIT = '5f0c2d8e-1b3a-4e6f-8a9d-0c1b2a3d4e5f';

describe('care contexts of a visit', () => {
  it.each([
    ['OPConsultation', VISIT],
    ['Prescription', `${VISIT}:prescription`],
    ['WellnessRecord', `${VISIT}:vitals`],
  ])('names %s %s, and reads it back', (hiType, ref) => {
    expect(careContextRef(VISIT, hiType)).toBe(ref);
    expect(parseCareContextRef(ref)).toEqual({ visitId: VISIT, hiType });
    expect(parseCareContextRef(ref.replace(VISIT, VISIT.toUpperCase()))).toEqual({ visitId: VISIT, hiType });
  });

  it.each(['', 'not-a-visit', `${VISIT}:lab`, `${VISIT}:prescription:x`, `x${VISIT}`, ':prescription'])(
    'reads %j as no care context of ours',
    (ref) => {
      expect(parseCareContextRef(ref)).toBeUndefined();
    },
  );

  it('offers one care context per document the visit has, with a display free of clinical content', () => {
    const at = new Date('2026-11-20T10:00:00Z');
    const contexts = visitCareContexts({
      id: VISIT,
      department: 'General Medicine',
      scheduled_at: at,
      content: { vitals: { pulsePerMin: 80 }, complaints: [], diagnoses: [], medications: [] },
    });
    expect(contexts).toEqual([
      {
        referenceNumber: VISIT,
        display: 'Outpatient consultation, General Medicine, 2026-11-20',
        hiType: 'OPConsultation',
      },
      {
        referenceNumber: `${VISIT}:vitals`,
        display: 'Vitals, General Medicine, 2026-11-20',
        hiType: 'WellnessRecord',
      },
    ]);
  });

  it('groups the answer by HI type, at most 20 care contexts an entry', () => {
    const contexts = [
      ...Array.from({ length: 21 }, (_, i) => ({
        referenceNumber: `v${i}`,
        display: `V${i}`,
        hiType: 'OPConsultation',
      })),
      { referenceNumber: 'v0:prescription', display: 'P0', hiType: 'Prescription' },
    ];
    const entries = patientEntries('patient-1', 'Asha', contexts);
    expect(entries.map((e) => [e.hiType, e.count, e.referenceNumber])).toEqual([
      ['OPConsultation', 20, 'patient-1'],
      ['OPConsultation', 1, 'patient-1'],
      ['Prescription', 1, 'patient-1'],
    ]);
    expect(entries[2].careContexts).toEqual([{ referenceNumber: 'v0:prescription', display: 'P0' }]);
    expect(patientEntries('p', 'n', [])).toEqual([]);
  });
});
