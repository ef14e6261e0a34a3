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
    for (const path of c.maxOne) expect(at(composition, path)).toHaveLength(1);
    for (const [path, value] of Object.entries(c.fixed)) expect(at(composition, path)).toEqual([value]);
    for (const [path, types] of Object.entries(c.references)) {
      for (const ref of at(composition, path) as { reference?: string }[]) {
        expect({ path, ok: types.includes(resolve(ref.reference)?.resourceType as string) }).toEqual({ path, ok: true });
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

  it('fills section slices as the profile slices them (one each, one coding, allowed entry types, open at end)', () => {
    const c = requirements.composition;
    const slices = new Map(c.sectionSlices.map((s) => [s.code, s]));
    const ig6Slices = new Map(c.sectionSlicesFromIg6.map((s) => [s.code, s]));
    const sections = composition.section ?? [];
    expect(sections.length).toBeGreaterThan(0);
    const kinds = sections.map((section) => {
      expect(at(section, 'title').length).toBeGreaterThan(0);
      const codings = section.code?.coding ?? [];
      expect(codings).toHaveLength(c.sectionSlicing.sliceCodingMax);
      const code = codings[0];
      const slice = code.system === 'http://snomed.info/sct' ? slices.get(code.code as string) : undefined;
      const later = code.system === 'http://snomed.info/sct' ? ig6Slices.get(code.code as string) : undefined;
      const matched = slice ?? later;
      if (matched) {
        expect(code.display).toBe(matched.display);
        for (const ref of section.entry ?? []) {
          expect(matched.entryTypes).toContain(resolve(ref.reference)?.resourceType);
        }
      }
      return { title: section.title, code: code.code, slice: Boolean(slice), ig6: Boolean(later) };
    });
    // One section per slice.
    const sliced = kinds.filter((k) => k.slice || k.ig6).map((k) => k.code);
    expect(new Set(sliced).size).toBe(sliced.length);
    // openAtEnd (2.0.1): nothing outside its slices before a sliced section.
    const firstOutside = kinds.findIndex((k) => !k.slice);
    if (firstOutside >= 0) expect(kinds.slice(firstOutside).every((k) => !k.slice)).toBe(true);
    // Outside every version's slices there is only the doctor's free-text notes (README.md).
    expect(kinds.filter((k) => !k.slice && !k.ig6).map((k) => k.title)).toEqual(
      kinds.some((k) => k.title === 'Clinical notes') ? ['Clinical notes'] : [],
    );
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

  it('meets the required and fixed elements of each entry’s NRCeS profile (known deviations listed)', () => {
    const rules = requirements.entryRules as unknown as Record<string, { required: string[][]; fixed: string[][] }>;
    const deviations = requirements.knownDeviations.map((d) => d.allowedValue);
    for (const entry of bundle.entry?.slice(1) ?? []) {
      const r = entry.resource as Resource;
      const rule = rules[r.resourceType];
      if (!rule) continue;
      for (const [parent, child] of rule.required) {
        for (const p of parent === '' ? [r] : at(r, parent)) {
          expect({ type: r.resourceType, path: `${parent}.${child}`, present: at(p, child).length > 0 }).toEqual({
            type: r.resourceType,
            path: `${parent}.${child}`,
            present: true,
          });
        }
      }
      for (const [path, value] of rule.fixed) {
        for (const found of at(r, path)) {
          expect({ type: r.resourceType, path, ok: [value, ...deviations].includes(found as string) }).toEqual({
            type: r.resourceType,
            path,
            ok: true,
          });
        }
      }
    }
  });

  it('types each identifier of the Patient (the NRCeS Patient profile requires identifier.type)', () => {
    const patient = resolve(composition.subject?.reference);
    const identifiers = at(patient, 'identifier') as { type?: unknown }[];
    expect(identifiers.length).toBeGreaterThan(0);
    for (const id of identifiers) expect(at(id, 'type').length).toBeGreaterThan(0);
  });
});
