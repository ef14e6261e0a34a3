import { ProblemException } from '@hims/errors';

/** Strong entity tag of a patient version: `"3"`. */
export function etagOf(version: number): string {
  return `"${version}"`;
}

/**
 * The version an If-Match header names. Accepts `"3"` and, leniently, the
 * weak form `W/"3"`. Missing → 428; `*`, lists and garbage → 428/400.
 */
export function parseIfMatch(header: string | string[] | undefined): number {
  if (header === undefined || header === '' || (Array.isArray(header) && header.length === 0)) {
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
