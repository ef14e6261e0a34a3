/**
 * The OP consultation document against the NRCeS DocumentBundle / OPConsultRecord requirements
 * bundled in profiles/opconsultrecord.requirements.json (sources and licence in profiles/README.md).
 */
import type { Bundle, Composition, Resource } from '@medplum/fhirtypes';
import requirements from './profiles/opconsultrecord.requirements.json';
import { renderOpConsultDocument } from './op-consult-document';
import { sampleInput } from '../../../../test/support/op-consult-sample';

/** Values at a dotted path, arrays flattened at every step (FHIRPath-like, enough for these paths). */
function at(value: unknown, path: string): unknown[] {
  let current: unknown[] = [value];
  for (const key of path.split('.')) {
    current = current
      .flatMap((v) => (Array.isArray(v) ? v : [v]))
      .map((v) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined))
      .flatMap((v) => (Array.isArray(v) ? v : [v]))
      .filter((v) => v !== undefined && v !== null && v !== '');
  }
  return current;
}

const documents: [string, Bundle][] = [
  ['full consultation', renderOpConsultDocument(sampleInput())],
  [
    'amended, no vitals, no follow-up',
    renderOpConsultDocument({
      ...sampleInput(),
      visit: { ...sampleInput().visit, contentVersion: 3, reason: null, startedAt: null, endedAt: null },
      consultation: { ...sampleInput().consultation, vitals: {}, followUpDate: undefined, advice: undefined },
      organization: { ...sampleInput().organization, hipId: null },
    }),
  ],
  ['empty consultation', renderOpConsultDocument({ ...sampleInput(), consultation: { vitals: {}, complaints: [], diagnoses: [], medications: [] } })],
];

describe.each(documents)('OPConsultRecord requirements: %s', (_name, bundle) => {
  const composition = bundle.entry?.[0]?.resource as Composition;
  const resolve = (reference: string | undefined): Resource | undefined =>
    bundle.entry?.find((e) => e.fullUrl === reference)?.resource;

  it('meets the DocumentBundle envelope', () => {
    const b = requirements.bundle;
    expect(bundle.meta?.profile).toContain(b.profile);
    for (const path of b.required) expect({ path, present: at(bundle, path).length > 0 }).toEqual({ path, present: true });
    for (const [path, value] of Object.entries(b.fixed)) expect(at(bundle, path)).toEqual([value]);
    for (const entry of bundle.entry ?? []) {
      for (const path of b.entryRequired) expect(at(entry, path).length).toBeGreaterThan(0);
    }
    expect(composition.resourceType).toBe(b.firstEntryResourceType);
  });

  it('meets the OPConsultRecord Composition: required and must-support elements, fixed type', () => {
    const c = requirements.composition;
    expect(composition.meta?.profile).toContain(c.profile);
    for (const path of [...c.required, ...c.mustSupport]) {
      expect({ path, present: at(composition, path).length > 0 }).toEqual({ path, present: true });
    }
    for (const [path, value] of Object.entries(c.fixed)) expect(at(composition, path)).toContain(value);
    for (const [path, types] of Object.entries(c.references)) {
      for (const ref of at(composition, path) as { reference?: string }[]) {
        expect(types).toContain(resolve(ref.reference)?.resourceType);
      }
    }
  });

  it('emits a conditionally required element whenever (and only with) its parent', () => {
    for (const rule of requirements.composition.conditional) {
      const parents = at(composition, rule.whenParentPresent);
      const childPath = rule.element.slice(rule.whenParentPresent.length + 1);
      const child = childPath === 'target' ? ['targetReference', 'targetIdentifier'] : [childPath];
      for (const parent of parents) expect(child.some((p) => at(parent, p).length > 0)).toBe(true);
    }
    // An attester is only there because the attending doctor signed, and names them.
    expect(at(composition, 'attester.party.reference')).toEqual(at(composition, 'author.reference'));
  });

  it('puts every entry of a sliced section in a resource type the slice allows', () => {
    const c = requirements.composition;
    const slices = new Map(c.sectionSlices.map((s) => [s.code, s]));
    expect(composition.section?.length).toBeGreaterThan(0);
    const outsideSlices: string[] = [];
    for (const section of composition.section ?? []) {
      for (const path of c.sectionRequired) expect(at(section, path).length).toBeGreaterThan(0);
      const code = section.code?.coding?.[0];
      const slice = code?.system === 'http://snomed.info/sct' ? slices.get(code.code as string) : undefined;
      if (!slice) {
        outsideSlices.push(section.title as string);
        continue;
      }
      expect(code?.display).toBe(slice.display);
      for (const ref of section.entry ?? []) expect(slice.entryTypes).toContain(resolve(ref.reference)?.resourceType);
    }
    // The only section outside the profile's slices is the doctor's free-text notes (README.md).
    expect(outsideSlices.filter((t) => t !== 'Clinical notes')).toEqual([]);
  });

  it('claims the NRCeS profile of each entry’s resource type', () => {
    const profiles = requirements.entryProfiles as Record<string, string | string[]>;
    for (const entry of bundle.entry?.slice(1) ?? []) {
      const r = entry.resource as Resource;
      const expected = ([] as string[]).concat(profiles[r.resourceType] ?? []);
      expect({ type: r.resourceType, claims: r.meta?.profile?.some((p) => expected.includes(p)) }).toEqual({
        type: r.resourceType,
        claims: true,
      });
    }
  });

  it('types each identifier of the Patient (the NRCeS Patient profile requires identifier.type)', () => {
    const patient = resolve(composition.subject?.reference);
    const identifiers = at(patient, 'identifier') as { type?: unknown }[];
    expect(identifiers.length).toBeGreaterThan(0);
    for (const id of identifiers) expect(at(id, 'type').length).toBeGreaterThan(0);
  });
});
