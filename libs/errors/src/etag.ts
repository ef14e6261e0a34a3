import { ProblemException } from './problem';

/** Strong entity tag of a row version: `"3"`. */
export function etagOf(version: number): string {
  return `"${version}"`;
}

type Header = string | string[] | undefined;

/**
 * The version an If-Match header names, the same on every resource
 * (docs/errors.md "If-Match"): `"3"` and, leniently, the weak form `W/"3"`.
 * Missing → 428 when the route requires it, else undefined. `*` → 428: it
 * would match any version, which is what If-Match is here to prevent. Lists
 * and anything else → 400 with a field error.
 */
export function parseIfMatch(header: Header): number;
export function parseIfMatch(header: Header, required: true): number;
export function parseIfMatch(header: Header, required: boolean): number | undefined;
export function parseIfMatch(header: Header, required = true): number | undefined {
  if (header === undefined || header === '' || (Array.isArray(header) && header.length === 0)) {
    if (!required) return undefined;
    throw new ProblemException(
      'preconditionRequired',
      'Send If-Match with the ETag of the version you are changing',
    );
  }
  const value = (Array.isArray(header) ? header.join(',') : header).trim();
  if (value === '*') {
    throw new ProblemException(
      'preconditionRequired',
      'If-Match: * is not accepted; send the ETag of the version you are changing',
    );
  }
  const m = /^(?:W\/)?"(\d{1,9})"$/.exec(value);
  if (!m) {
    throw new ProblemException('badRequest', 'If-Match must be a single entity tag such as "3"', {
      errors: [{ field: 'If-Match', message: 'must be a single entity tag such as "3"' }],
    });
  }
  return Number(m[1]);
}
