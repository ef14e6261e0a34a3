import { createHash } from 'node:crypto';
import { decodeCursor, encodeCursor, isUuid } from '@hims/errors';

export interface CursorPosition {
  score: number;
  id: string;
}

/**
 * Keyset cursor of a registry search: the last row's (score, id) plus a fingerprint of the
 * search terms, so a cursor cannot be replayed against a different search.
 */
export function encodeSearchCursor(pos: CursorPosition, fingerprint: string): string {
  return encodeCursor({ s: pos.score, i: pos.id, f: fingerprint.slice(0, 16) });
}

export function decodeSearchCursor(cursor: string, fingerprint: string): CursorPosition {
  return decodeCursor(
    cursor,
    (c) =>
      typeof c.s === 'number' && Number.isFinite(c.s) && isUuid(c.i) && c.f === fingerprint.slice(0, 16)
        ? { score: c.s, id: c.i }
        : undefined,
    'cursor is not valid for this search',
  );
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
