import { createHash } from 'node:crypto';
import { ProblemException } from '@hims/errors';

export interface CursorPosition {
  score: number;
  id: string;
}

/**
 * Opaque keyset cursor: the last row's (score, id) plus a fingerprint of the
 * search terms, so a cursor cannot be replayed against a different search.
 */
export function encodeCursor(pos: CursorPosition, fingerprint: string): string {
  return Buffer.from(JSON.stringify({ s: pos.score, i: pos.id, f: fingerprint.slice(0, 16) })).toString(
    'base64url',
  );
}

export function decodeCursor(cursor: string, fingerprint: string): CursorPosition {
  const invalid = () =>
    new ProblemException('validation', 'cursor is not valid for this search', {
      errors: [{ field: 'cursor', message: 'must be the nextCursor of a previous page of the same search' }],
    });
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const c = parsed as { s?: unknown; i?: unknown; f?: unknown };
  if (
    !c ||
    typeof c.s !== 'number' ||
    !Number.isFinite(c.s) ||
    typeof c.i !== 'string' ||
    !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(c.i) ||
    c.f !== fingerprint.slice(0, 16)
  ) {
    throw invalid();
  }
  return { score: c.s, id: c.i };
}

/** sha256 (hex) of the canonical search terms: what the audit trail stores instead of the terms. */
export function termsHash(terms: Record<string, unknown>): string {
  const canonical = JSON.stringify(
    Object.keys(terms)
      .filter((k) => terms[k] !== undefined && terms[k] !== null && terms[k] !== '')
      .sort()
      .map((k) => [k, terms[k]]),
  );
  return createHash('sha256').update(canonical).digest('hex');
}
