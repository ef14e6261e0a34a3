import { ProblemException } from '@hims/errors';

/** Strong entity tag of a visit version: `"3"`. */
export function etagOf(version: number): string {
  return `"${version}"`;
}

/** The version an If-Match header names (`"3"`, or leniently `W/"3"`); undefined when absent and optional. */
export function parseIfMatch(header: string | string[] | undefined, required: boolean): number | undefined {
  if (header === undefined || header === '' || (Array.isArray(header) && header.length === 0)) {
    if (!required) return undefined;
    throw new ProblemException(
      'preconditionRequired',
      'Send If-Match with the ETag of the visit version you are changing',
    );
  }
  const value = (Array.isArray(header) ? header.join(',') : header).trim();
  const m = /^(?:W\/)?"(\d{1,9})"$/.exec(value);
  if (!m) {
    throw new ProblemException('badRequest', 'If-Match must be a single entity tag such as "3"', {
      errors: [{ field: 'If-Match', message: 'must be a single entity tag such as "3"' }],
    });
  }
  return Number(m[1]);
}
