import { ProblemException } from '@hims/errors';
import { consultationErrors } from './consultation.merge';
import type { Consultation } from './consultation.model';
import type { VisitRow, VisitStatus } from './visit.model';

/**
 * Who may do what to a visit (the service enforces these; docs/visits.md lists them).
 * - book, change booking fields, check in (arrived), cancel: front desk (receptionist)
 * - record consultation content, start (in-progress), finish: doctor, nurse
 * - sign, amend: the attending doctor only
 * - entered-in-error: the attending doctor or a tenant administrator
 * - read: every staff role
 */
export const VISIT_ROLES = {
  book: ['receptionist'],
  record: ['doctor', 'nurse'],
  'status:arrived': ['receptionist'],
  'status:cancelled': ['receptionist'],
  'status:in-progress': ['doctor', 'nurse'],
  'status:finished': ['doctor', 'nurse'],
} as const;

/** Allowed status moves (entered-in-error is reachable from any status but itself). */
export const TRANSITIONS: Record<VisitStatus, readonly VisitStatus[]> = {
  planned: ['arrived', 'cancelled', 'entered-in-error'],
  arrived: ['in-progress', 'cancelled', 'entered-in-error'],
  'in-progress': ['finished', 'entered-in-error'],
  finished: ['entered-in-error'],
  cancelled: ['entered-in-error'],
  'entered-in-error': [],
};

/** Statuses in which consultation content may be recorded (the patient is here or was seen). */
export const RECORDING_STATUSES: readonly VisitStatus[] = ['arrived', 'in-progress', 'finished'];

export function requireRole(roles: readonly string[], allowed: readonly string[], what: string): void {
  if (!roles.some((r) => allowed.includes(r))) {
    throw new ProblemException('forbidden', `Only ${allowed.join(' or ')} staff may ${what}`);
  }
}

/** Only the visit's attending doctor, while still holding the doctor role. */
export function requireAttendingDoctor(
  visit: VisitRow,
  userId: string | undefined,
  roles: readonly string[],
  what: string,
): void {
  if (!userId || visit.attending_doctor_id !== userId || !roles.includes('doctor')) {
    throw new ProblemException('forbidden', `Only the attending doctor may ${what} this visit`);
  }
}

/** Signed content is immutable: its own 409 type, pointing at amendments. */
export function signedProblem(): ProblemException {
  return new ProblemException(
    'visitSigned',
    'This visit is signed and its content can no longer be edited; send a correction to /amendments with a reason',
  );
}

export function closedProblem(visit: VisitRow): ProblemException {
  return new ProblemException('conflict', `A visit in status ${visit.status} cannot be changed`);
}

export function staleProblem(currentVersion?: number): ProblemException {
  return new ProblemException(
    'preconditionFailed',
    'The visit has changed since you read it; fetch it again and reapply your change',
    {},
    currentVersion !== undefined ? { ETag: `"${currentVersion}"` } : {},
  );
}

/** 400 when the merged consultation is inconsistent across fields. */
export function requireConsistent(c: Consultation): void {
  const errors = consultationErrors(c);
  if (errors.length > 0) {
    throw new ProblemException('validation', `${errors.length} field(s) failed validation`, { errors });
  }
}

export const notFound = (what = 'visit') => new ProblemException('notFound', `No ${what} with this id`);
