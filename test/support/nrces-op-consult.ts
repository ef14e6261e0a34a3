/**
 * Checks an OP consultation document Bundle against the NRCeS DocumentBundle / OPConsultRecord
 * requirements digest (libs/visits/src/fhir/profiles/opconsultrecord.requirements.json, sources
 * and licence in its README.md). Returns one line per violation; [] when the document conforms.
 */
import type { Bundle, Composition, Resource } from '@medplum/fhirtypes';
import requirements from '../../libs/visits/src/fhir/profiles/opconsultrecord.requirements.json';

export { requirements as nrcesRequirements };

/** Values at a dotted path, arrays flattened at every step (FHIRPath-like, enough for these paths). */
export function at(value: unknown, path: string): unknown[] {
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

type Rules = Record<string, { required: string[][]; fixed: string[][] }>;

export function nrcesProblems(bundle: Bundle): string[] {
  const problems: string[] = [];
  const fail = (msg: string) => problems.push(msg);
  const resolve = (reference: unknown): Resource | undefined =>
    bundle.entry?.find((e) => e.fullUrl === reference)?.resource;

  // DocumentBundle envelope.
  const b = requirements.bundle;
  if (!bundle.meta?.profile?.includes(b.profile)) fail(`Bundle.meta.profile lacks ${b.profile}`);
  for (const path of b.required) if (at(bundle, path).length === 0) fail(`Bundle.${path} missing`);
  for (const [path, value] of Object.entries(b.fixed)) {
    if (JSON.stringify(at(bundle, path)) !== JSON.stringify([value])) fail(`Bundle.${path} is not ${value}`);
  }
  (bundle.entry ?? []).forEach((entry, i) => {
    for (const path of b.entryRequired)
      if (at(entry, path).length === 0) fail(`Bundle.entry[${i}].${path} missing`);
  });
  const composition = bundle.entry?.[0]?.resource as Composition | undefined;
  if (composition?.resourceType !== b.firstEntryResourceType) {
    fail(`first entry is ${composition?.resourceType}, not ${b.firstEntryResourceType}`);
    return problems;
  }

  // OPConsultRecord Composition.
  const c = requirements.composition;
  if (!composition.meta?.profile?.includes(c.profile)) fail(`Composition.meta.profile lacks ${c.profile}`);
  for (const path of [...c.required, ...c.mustSupport]) {
    if (at(composition, path).length === 0) fail(`Composition.${path} missing`);
  }
  for (const path of c.maxOne) if (at(composition, path).length > 1) fail(`Composition.${path} repeats`);
  for (const [path, value] of Object.entries(c.fixed)) {
    if (JSON.stringify(at(composition, path)) !== JSON.stringify([value]))
      fail(`Composition.${path} is not ${value}`);
  }
  for (const [path, types] of Object.entries(c.references)) {
    for (const ref of at(composition, path) as { reference?: string }[]) {
      const type = resolve(ref.reference)?.resourceType;
      if (!types.includes(type as string)) fail(`Composition.${path} points at ${type ?? 'nothing'}`);
    }
  }
  for (const rule of c.conditional) {
    const childPath = rule.element.slice(rule.whenParentPresent.length + 1);
    const child = childPath === 'target' ? ['targetReference', 'targetIdentifier'] : [childPath];
    for (const parent of at(composition, rule.whenParentPresent)) {
      if (!child.some((p) => at(parent, p).length > 0))
        fail(`Composition.${rule.element} missing in its parent`);
    }
  }

  // Section slices: one each, one coding, its display, allowed entry types, open at end.
  const slices = new Map(c.sectionSlices.map((s) => [s.code, s]));
  const ig6Slices = new Map(c.sectionSlicesFromIg6.map((s) => [s.code, s]));
  const seen = new Set<string>();
  let outsideSeen = false;
  for (const section of composition.section ?? []) {
    const name = `section "${section.title ?? '?'}"`;
    if (!section.title) fail(`${name}: title missing`);
    const codings = section.code?.coding ?? [];
    if (codings.length !== c.sectionSlicing.sliceCodingMax) fail(`${name}: ${codings.length} codings`);
    const code = codings[0];
    const snomed = code?.system === 'http://snomed.info/sct' ? (code.code as string) : undefined;
    const slice = snomed ? slices.get(snomed) : undefined;
    const matched = slice ?? (snomed ? ig6Slices.get(snomed) : undefined);
    if (slice && outsideSeen) fail(`${name}: a sliced section after one outside the slices (openAtEnd)`);
    if (!slice) outsideSeen = true;
    if (!matched) {
      if (section.title !== 'Clinical notes') fail(`${name}: outside every slice`);
      continue;
    }
    if (seen.has(matched.code)) fail(`${name}: slice ${matched.name} repeated`);
    seen.add(matched.code);
    if (code.display !== matched.display) fail(`${name}: display is not ${matched.display}`);
    for (const ref of section.entry ?? []) {
      const type = resolve(ref.reference)?.resourceType;
      if (!matched.entryTypes.includes(type as string)) fail(`${name}: entry is ${type ?? 'unresolved'}`);
    }
  }
  if ((composition.section ?? []).length === 0) fail('Composition.section empty');

  // Entry profiles: claimed, and their required and fixed elements.
  const profiles = requirements.entryProfiles as Record<string, string | string[]>;
  const rules = requirements.entryRules as unknown as Rules;
  const deviations = (requirements.knownDeviations as { allowedValue: string }[]).map((d) => d.allowedValue);
  (bundle.entry ?? []).slice(1).forEach((entry, i) => {
    const r = entry.resource as Resource;
    const where = `entry[${i + 1}] ${r.resourceType}`;
    const expected = ([] as string[]).concat(profiles[r.resourceType] ?? []);
    if (!r.meta?.profile?.some((p) => expected.includes(p))) fail(`${where}: claims no NRCeS profile`);
    const rule = rules[r.resourceType];
    if (!rule) return;
    for (const [parent, child] of rule.required) {
      for (const p of parent === '' ? [r] : at(r, parent)) {
        if (at(p, child).length === 0) fail(`${where}: ${parent ? `${parent}.` : ''}${child} missing`);
      }
    }
    for (const [path, value] of rule.fixed) {
      for (const found of at(r, path)) {
        if (![value, ...deviations].includes(found as string))
          fail(`${where}: ${path} is ${String(found)}, not ${value}`);
      }
    }
  });
  return problems;
}
