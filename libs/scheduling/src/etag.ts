import { ProblemException } from '@hims/errors';

/** Strong entity tag of a row version: `"3"`. */
export const etagOf = (version: number): string => `"${version}"`;

/** The version an If-Match header names (`"3"`, leniently `W/"3"`); undefined when absent and not required. */
export function parseIfMatch(header: string | undefined, required: boolean, what: string): number | undefined {
  if (header === undefined || header.trim() === '') {
    if (!required) return undefined;
    throw new ProblemException('preconditionRequired', `Send If-Match with the ETag of the ${what} you are changing`);
  }
  const m = /^(?:W\/)?"(\d{1,9})"$/.exec(header.trim());
  if (!m) {
    throw new ProblemException('badRequest', 'If-Match must be a single entity tag such as "3"', {
      errors: [{ field: 'If-Match', message: 'must be a single entity tag such as "3"' }],
    });
  }
  return Number(m[1]);
}

export function staleProblem(what: string, currentVersion?: number): ProblemException {
  return new ProblemException(
    'preconditionFailed',
    `The ${what} has changed since you read it; fetch it again and reapply your change`,
    {},
    currentVersion !== undefined ? { ETag: etagOf(currentVersion) } : {},
  );
}

export function requireRole(roles: readonly string[], allowed: readonly string[], what: string): void {
  if (!roles.some((r) => allowed.includes(r))) {
    throw new ProblemException('forbidden', `Only ${allowed.join(' or ')} staff may ${what}`);
  }
}

export const notFound = (what: string) => new ProblemException('notFound', `No ${what} with this id`);

export const fieldProblem = (field: string, message: string) =>
  new ProblemException('validation', '1 field(s) failed validation', { errors: [{ field, message }] });
