import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/**
 * The ABHA v3 contract (contracts/abdm/abha-v3.openapi.json) as validators: every body our
 * client sends and every body the fake answers is checked against it, so neither can drift
 * from NHA's published shapes without a test failing.
 */
const DOC = JSON.parse(readFileSync(join(__dirname, '../../contracts/abdm/abha-v3.openapi.json'), 'utf8'));
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addFormat('binary', true);
ajv.addSchema(DOC, 'abha');
const cache = new Map<string, ValidateFunction>();

export function abhaSchema(name: string): ValidateFunction {
  let v = cache.get(name);
  if (!v) {
    v = ajv.getSchema(`abha#/components/schemas/${name}`);
    if (!v) throw new Error(`no schema ${name} in the ABHA contract`);
    cache.set(name, v);
  }
  return v;
}

/** Errors of `body` against the named schema ('' when it fits). */
export function abhaContractErrors(name: string, body: unknown): string {
  const v = abhaSchema(name);
  return v(body) ? '' : ajv.errorsText(v.errors, { dataVar: name });
}

/** Every path the contract describes, with its method (the fake serves exactly these). */
export function abhaContractOperations(): string[] {
  return Object.entries(DOC.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
    Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
  );
}
