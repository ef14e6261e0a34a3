import { etagOf, ProblemException } from '@hims/errors';

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
