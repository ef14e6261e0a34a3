import { ProblemException } from '@hims/errors';
import type { QueueEntryRow, QueueStatus } from './queue.repository';

/** Allowed moves of a queue entry (docs/queue.md draws them). */
export const QUEUE_TRANSITIONS: Record<QueueStatus, readonly QueueStatus[]> = {
  waiting: ['called', 'skipped'],
  called: ['in-consultation', 'skipped'],
  recalled: ['in-consultation', 'skipped'],
  'in-consultation': ['done'],
  skipped: ['recalled'],
  done: [],
};

/**
 * Who may move an entry to a status. `doctor` always means the doctor of that lane: a doctor
 * cannot call, start or finish another doctor's patients.
 */
export const QUEUE_ROLES: Record<Exclude<QueueStatus, 'waiting'>, readonly string[]> = {
  called: ['receptionist', 'nurse', 'doctor'],
  recalled: ['receptionist', 'nurse', 'doctor'],
  skipped: ['receptionist', 'nurse', 'doctor'],
  'in-consultation': ['nurse', 'doctor'],
  done: ['nurse', 'doctor'],
};

export const QUEUE_DESK = ['receptionist', 'nurse'] as const;
export const WALK_IN_ROLES = ['receptionist'] as const;

/** The statuses of an entry still ahead of a waiting patient (being seen or about to be). */
export const ACTIVE_STATUSES: readonly QueueStatus[] = ['called', 'recalled', 'in-consultation'];

export function requireQueueRole(
  roles: readonly string[],
  allowed: readonly string[],
  entryDoctor: string | null,
  userId: string | undefined,
  what: string,
): void {
  const asStaff = roles.some((r) => r !== 'doctor' && allowed.includes(r));
  const asDoctor = allowed.includes('doctor') && roles.includes('doctor') && !!userId && entryDoctor === userId;
  if (!asStaff && !asDoctor) {
    const others = allowed.filter((r) => r !== 'doctor');
    const who = allowed.includes('doctor') ? [...others, "the lane's own doctor"] : others;
    throw new ProblemException('forbidden', `Only ${who.join(' or ')} may ${what}`);
  }
}

export function requireTransition(entry: QueueEntryRow, to: QueueStatus): void {
  if (!QUEUE_TRANSITIONS[entry.status].includes(to)) {
    throw new ProblemException('conflict', `A queue entry cannot move from ${entry.status} to ${to}`, {
      from: entry.status,
      allowed: QUEUE_TRANSITIONS[entry.status],
    });
  }
}

/** The timestamp a move records. */
export function stampOf(to: QueueStatus): 'called_at' | 'started_at' | 'ended_at' | undefined {
  if (to === 'called' || to === 'recalled') return 'called_at';
  if (to === 'in-consultation') return 'started_at';
  if (to === 'done') return 'ended_at';
  return undefined;
}

export const doctorLane = (doctorId: string) => doctorId;
export const counterLane = (hipId: string, counter: string) => `counter:${hipId}/${counter}`;

/**
 * Minutes each waiting entry can expect: the entries ahead of it (waiting before it, plus
 * those called or being seen) times the doctor's pace.
 */
export function estimatedWaits(entries: QueueEntryRow[], paceMinutes: number): Map<string, number> {
  const waits = new Map<string, number>();
  let ahead = entries.filter((e) => ACTIVE_STATUSES.includes(e.status)).length;
  for (const e of entries) {
    if (e.status !== 'waiting') continue;
    waits.set(e.id, Math.round(ahead * paceMinutes));
    ahead += 1;
  }
  return waits;
}
