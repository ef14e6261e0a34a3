/**
 * The real-shaped corpus of gateway callbacks (test/fixtures/abdm/*.json): the header set and body
 * as the real gateway sends them, personal values synthetic, each file naming the public source
 * of its shape. `${name}` placeholders are filled per test: inside a string, or (a placeholder
 * that is the whole string) replaced by any JSON value, e.g. a list of care contexts.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './abdm-contract';

export const CORPUS_DIR = join(repoRoot(), 'test', 'fixtures', 'abdm');

export interface CorpusEntry {
  path: string;
  source: string;
  headerSource: string;
  headers: Record<string, string>;
  body: unknown;
}

export function corpusNames(): string[] {
  return readdirSync(CORPUS_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.replace(/\.json$/, ''));
}

export function corpusEntry(name: string): CorpusEntry {
  return JSON.parse(readFileSync(join(CORPUS_DIR, `${name}.json`), 'utf8')) as CorpusEntry;
}

function fill(value: unknown, vars: Record<string, unknown>): unknown {
  if (typeof value === 'string') {
    const whole = /^\$\{(\w+)\}$/.exec(value);
    if (whole && whole[1] in vars) return vars[whole[1]];
    return value.replace(/\$\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
  }
  if (Array.isArray(value)) return value.map((v) => fill(v, vars));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v, vars)]));
  return value;
}

/** Placeholders left unfilled (a test that forgot a value). */
function unfilled(value: unknown): string[] {
  return [...JSON.stringify(value).matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]);
}

/**
 * A corpus callback ready to send: headers (token, REQUEST-ID, TIMESTAMP, traceparent filled
 * in unless given) and body with the test's values.
 */
export function corpusCall(
  name: string,
  vars: Record<string, unknown>,
): { path: string; headers: Record<string, string>; body: unknown; requestId: string } {
  const entry = corpusEntry(name);
  const requestId = (vars.requestId as string | undefined) ?? randomUUID();
  const all = {
    requestId,
    timestamp: new Date().toISOString(),
    traceparent: `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`,
    ...vars,
  };
  const headers = fill(entry.headers, all) as Record<string, string>;
  const body = fill(entry.body, all);
  const missing = [...unfilled(headers), ...unfilled(body)];
  if (missing.length > 0) throw new Error(`corpus ${name}: no value for ${missing.join(', ')}`);
  return { path: entry.path, headers, body, requestId };
}
