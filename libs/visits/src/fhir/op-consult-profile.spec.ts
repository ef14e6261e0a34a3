/**
 * The OP consultation document against the NRCeS DocumentBundle / OPConsultRecord requirements
 * bundled in profiles/opconsultrecord.requirements.json (sources and licence in profiles/README.md).
 */
import type { Bundle, Composition, Condition, Practitioner } from '@medplum/fhirtypes';
import { renderOpConsultDocument } from './op-consult-document';
import { sampleInput } from '../../../../test/support/op-consult-sample';
import { at, nrcesProblems, nrcesRequirements } from '../../../../test/support/nrces-op-consult';

const documents: [string, Bundle][] = [
  ['a full consultation', renderOpConsultDocument(sampleInput())],
  [
    'an amendment without vitals, follow-up or HIP id',
    renderOpConsultDocument({
      ...sampleInput(),
      visit: { ...sampleInput().visit, contentVersion: 3, reason: null, startedAt: null, endedAt: null },
      consultation: { ...sampleInput().consultation, vitals: {}, followUpDate: undefined, advice: undefined },
      organization: { ...sampleInput().organization, hipId: null },
    }),
  ],
  [
    'an empty consultation',
    renderOpConsultDocument({
      ...sampleInput(),
      consultation: { vitals: {}, complaints: [], diagnoses: [], medications: [] },
    }),
  ],
];

describe('NRCeS OPConsultRecord requirements', () => {
  it.each(documents)('are met by %s', (_name, bundle) => {
    expect(nrcesProblems(bundle)).toEqual([]);
  });

  it('type the Composition with the fixed SNOMED CT code and put the slices in the IG’s section codes', () => {
    const composition = documents[0][1].entry?.[0]?.resource as Composition;
    expect(at(composition, 'type.coding')).toEqual([
      { system: 'http://snomed.info/sct', code: '371530004', display: 'Clinical consultation report' },
    ]);
    const slices = new Map(nrcesRequirements.composition.sectionSlices.map((s) => [s.code, s.name]));
    expect(
      composition.section?.map((s) => slices.get(s.code?.coding?.[0]?.code as string) ?? s.title),
    ).toEqual([
      'ChiefComplaints',
      'PhysicalExamination',
      'Medications',
      'FollowUp',
      'Diagnoses',
      'Clinical notes',
    ]);
  });

  it('allow no deviation: Conditions are coded in SNOMED CT only, an ICD-10 code goes in the text', () => {
    const conditions = documents[0][1].entry
      ?.map((e) => e.resource)
      .filter((r): r is Condition => r?.resourceType === 'Condition');
    expect(conditions?.flatMap((c) => at(c, 'code.coding.system'))).toEqual([
      'http://snomed.info/sct',
      'http://snomed.info/sct',
    ]);
    expect(conditions?.map((c) => c.code?.text)).toEqual([
      'Fever for three days',
      'Dengue fever (ICD-10 A90)',
    ]);
    expect(nrcesRequirements.knownDeviations).toEqual([]);
  });

  describe('are checked for real: a broken document is reported', () => {
    const broken = (edit: (b: Bundle, c: Composition) => void): string[] => {
      const b = structuredClone(documents[0][1]);
      edit(b, b.entry?.[0]?.resource as Composition);
      return nrcesProblems(b);
    };

    it.each<[string, (b: Bundle, c: Composition) => void, RegExp]>([
      ['no encounter', (_b, c) => delete c.encounter, /Composition\.encounter missing/],
      [
        'another document type',
        (_b, c) => (c.type.coding = [{ system: 'http://loinc.org', code: '11488-4' }]),
        /type\.coding\.code is not 371530004/,
      ],
      ['no document identifier', (b) => delete b.identifier, /Bundle\.identifier missing/],
      [
        'a section outside the slices first',
        (_b, c) => c.section?.push(c.section.shift() as never),
        /openAtEnd/,
      ],
      [
        'a wrong entry in a slice',
        (_b, c) => c.section?.[0]?.entry?.push({ reference: c.subject?.reference }),
        /entry is Patient/,
      ],
      ['a slice twice', (_b, c) => c.section?.push(structuredClone(c.section[0])), /repeated/],
      [
        'an untyped practitioner identifier',
        (b) =>
          delete (
            (b.entry?.find((e) => e.resource?.resourceType === 'Practitioner')?.resource as Practitioner)
              .identifier?.[0] ?? {}
          ).type,
        /Practitioner: identifier\.type missing/,
      ],
      [
        'an attester without mode',
        (_b, c) => delete (c.attester?.[0] as { mode?: string }).mode,
        /attester\.mode missing/,
      ],
    ])('%s', (_name, edit, expected) => {
      expect(broken(edit).join('\n')).toMatch(expected);
    });
  });
});
