import { createHash } from 'node:crypto';
import { decodeCursor, encodeCursor, isUuid } from '@hims/errors';
import { searchForm } from '@hims/patients';

/**
 * Free text as staff type it: a name in any script (with typos or only its
 * beginning), a phone number, an ABHA number or address, an MRN.
 */
export interface ParsedQuery {
  /** NFKC, trimmed, whitespace collapsed. */
  text: string;
  /** Lower case (identifiers: MRN, ABHA address, e-mail). */
  lower: string;
  /** The query's digits when it is only digits, spaces, +, -, (, ): phone or ABHA number. */
  digits: string | null;
  /** Name search form: lower case, Latin diacritics folded, punctuation → space (as clinical.patients.search_name). */
  nameForm: string;
}

export function parseQuery(q: string): ParsedQuery {
  const text = q.normalize('NFKC').trim().replace(/\s+/gu, ' ');
  const lower = text.toLocaleLowerCase('und');
  const stripped = text.replace(/[\s\-().+]/g, '');
  const digits = /^\d+$/.test(stripped) ? stripped : null;
  return { text, lower, digits, nameForm: searchForm(text) };
}

/** sha256 of the tenant and the normalised query: what the audit trail stores instead of the query. */
export function queryHash(tenantId: string, parsed: ParsedQuery): string {
  return createHash('sha256').update(`${tenantId}\u001f${parsed.lower}`).digest('hex');
}

export type SearchSource = 'elasticsearch' | 'database';

/** Last row of a free-text page from the database: its score and id. */
export type FreeTextKey = [number, string];

/** Opaque paging state; pinned to its source and to the query it was made for. */
export interface SearchCursor {
  s: SearchSource;
  /** Elasticsearch search_after values. */
  a?: (string | number)[];
  /** Database: the patients module's cursor, the free-text query's keyset, or an offset of the seen-by list. */
  c?: string;
  k?: FreeTextKey;
  o?: number;
  /** First 16 hex characters of the query hash. */
  h: string;
}

export function encodeSearchCursor(c: SearchCursor): string {
  return encodeCursor({ ...c });
}

/** The cursor's paging state, if it was made for this query (`hash`) by either source; else a 400. */
export function decodeSearchCursor(raw: string, hash: string): SearchCursor {
  return decodeCursor(
    raw,
    (v) => {
      const c = v as Partial<SearchCursor>;
      const valid =
        c.h === hash.slice(0, 16) &&
        ((c.s === 'elasticsearch' &&
          Array.isArray(c.a) &&
          c.a.length === 2 &&
          Number.isFinite(c.a[0]) &&
          typeof c.a[1] === 'string' &&
          c.a[1].length <= 64) ||
          (c.s === 'database' &&
            [c.c, c.k, c.o].filter((x) => x !== undefined).length === 1 &&
            ((typeof c.c === 'string' && c.c.length <= 512) ||
              (Array.isArray(c.k) && c.k.length === 2 && Number.isFinite(c.k[0]) && isUuid(c.k[1])) ||
              (Number.isInteger(c.o) && (c.o as number) >= 0 && (c.o as number) <= 10000))));
      return valid ? (c as SearchCursor) : undefined;
    },
    'cursor does not belong to this search; repeat the search without it',
  );
}
