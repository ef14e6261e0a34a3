import { createHash } from 'node:crypto';
import { stringify } from 'safe-stable-stringify';
import { ProblemException } from '@hims/errors';

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
export const IDEMPOTENT_REPLAYED_HEADER = 'Idempotent-Replayed';
export const MAX_KEY_LENGTH = 255;

const INVALID_DETAIL = `Idempotency-Key must be one quoted string (RFC 8941 sf-string) of 1 to ${MAX_KEY_LENGTH} printable ASCII characters`;

/**
 * The key of an Idempotency-Key header, or undefined when there is none.
 * The draft defines the value as a Structured Field string ("..."); a bare
 * token of visible characters is accepted too because common clients send
 * one. Anything else, or the header sent twice, is a 400.
 */
export function parseIdempotencyKey(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (Array.isArray(header)) throw new ProblemException('idempotencyKeyInvalid', 'Idempotency-Key was sent more than once');
  const value = header.trim();
  const key = value.startsWith('"') ? parseSfString(value) : /^[\x21-\x7e]+$/.test(value) && !/["\\,]/.test(value) ? value : undefined;
  if (key === undefined || key.length === 0 || key.length > MAX_KEY_LENGTH) {
    throw new ProblemException('idempotencyKeyInvalid', INVALID_DETAIL);
  }
  return key;
}

/** RFC 8941 section 4.2.5: DQUOTE *( unescaped / "\" ( DQUOTE / "\" ) ) DQUOTE, printable ASCII only. */
function parseSfString(value: string): string | undefined {
  let out = '';
  for (let i = 1; i < value.length; i++) {
    const ch = value[i];
    const code = ch.charCodeAt(0);
    if (code < 0x20 || code > 0x7e) return undefined;
    if (ch === '\\') {
      const next = value[++i];
      if (next !== '"' && next !== '\\') return undefined;
      out += next;
    } else if (ch === '"') {
      return i === value.length - 1 ? out : undefined;
    } else {
      out += ch;
    }
  }
  return undefined;
}

/**
 * What makes two requests "the same request" for one key: method, path and
 * the JSON body with object keys sorted (so key order does not matter).
 */
export function requestFingerprint(method: string, path: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method.toUpperCase()} ${path}\n${stringify(body ?? null)}`)
    .digest('hex');
}
