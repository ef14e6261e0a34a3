/**
 * Validation against contracts/abdm/hip-v3.openapi.json (our description of the ABDM HIE-CM v3
 * calls, written from NHA's published documents and real traffic). The schemas are JSON Schema
 * 2020-12 (OpenAPI 3.1), checked with Ajv, a maintained validator we did not write. Used both
 * ways: the fake gateway and the fake HIU check every body and header set the bridge sends them,
 * and check their own bodies before they send them.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

/** The repository root: up from here (tests) or from dist/fake-gateway/… (`npm run abdm:fake-gateway`). */
export function repoRoot(from = __dirname): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'contracts', 'abdm'))) return dir;
  }
  throw new Error('contracts/abdm not found above ' + from);
}

const CONTRACT_PATH = join(repoRoot(), 'contracts', 'abdm', 'hip-v3.openapi.json');

interface Operation {
  operationId: string;
  'x-headers'?: string;
  requestBody?: { content: { 'application/json': { schema: { $ref: string } } } };
}
interface Contract {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown> };
}

export const abdmContract: Contract = JSON.parse(readFileSync(CONTRACT_PATH, 'utf8'));

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema(abdmContract as object, 'abdm');

const cache = new Map<string, ValidateFunction>();
function validator(ref: string): ValidateFunction {
  let v = cache.get(ref);
  if (!v) {
    v = ajv.getSchema(`abdm${ref}`)!;
    if (!v) throw new Error(`no schema ${ref} in the ABDM contract`);
    cache.set(ref, v);
  }
  return v;
}

export class ContractViolation extends Error {
  constructor(
    readonly what: string,
    readonly errors: string[],
  ) {
    super(`${what} breaks the ABDM contract: ${errors.join('; ')}`);
  }
}

function operation(path: string): Operation {
  const op = abdmContract.paths[path]?.post ?? abdmContract.paths[path]?.get;
  if (!op) throw new Error(`${path} is not in the ABDM contract`);
  return op;
}

function check(ref: string, value: unknown, what: string): string[] {
  const v = validator(ref);
  if (v(value)) return [];
  return (v.errors ?? []).map((e) => `${what}${e.instancePath} ${e.message}`);
}

/** Errors of a body sent to `path` (a contract path; '<dataPushUrl>' for the data push); [] when valid. */
export function bodyErrors(path: string, body: unknown): string[] {
  const ref = operation(path).requestBody?.content['application/json'].schema.$ref;
  if (!ref) throw new Error(`${path} has no request body in the ABDM contract`);
  return check(ref, body, 'body');
}

/** Errors of a header set sent to `path` (names compared lower-cased); [] when valid. */
export function headerErrors(path: string, headers: Record<string, string | undefined>): string[] {
  const name = operation(path)['x-headers'];
  if (!name) return [];
  const lower = Object.fromEntries(
    Object.entries(headers)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k.toLowerCase(), v]),
  );
  return check(`#/components/schemas/${name}`, lower, 'header ');
}

/** Throws a ContractViolation unless the body and headers are what the contract says. */
export function assertCall(path: string, headers: Record<string, string | undefined>, body: unknown): void {
  const errors = [...headerErrors(path, headers), ...bodyErrors(path, body)];
  if (errors.length > 0) throw new ContractViolation(`POST ${path}`, errors);
}

/** Every path of a direction, for tests that check coverage. */
export function contractPaths(direction: 'gateway-to-hip' | 'hip-to-gateway' | 'hip-to-hiu'): string[] {
  return Object.entries(abdmContract.paths)
    .filter(([, ops]) =>
      Object.values(ops).some((o) => (o as { 'x-direction'?: string })['x-direction'] === direction),
    )
    .map(([p]) => p);
}
