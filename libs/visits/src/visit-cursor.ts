import { ProblemException } from '@hims/errors';

/** Opaque keyset cursor of a patient's visit list: the last item's (scheduledAt, id). */
export function encodeVisitCursor(last: { scheduled_at: Date; id: string }): string {
  return Buffer.from(JSON.stringify({ s: new Date(last.scheduled_at).toISOString(), i: last.id })).toString(
    'base64url',
  );
}

export function decodeVisitCursor(cursor: string): { scheduledAt: Date; id: string } {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { s?: unknown; i?: unknown };
    const at = typeof v.s === 'string' ? new Date(v.s) : undefined;
    if (at && !Number.isNaN(at.getTime()) && typeof v.i === 'string' && /^[0-9a-f-]{36}$/i.test(v.i)) {
      return { scheduledAt: at, id: v.i };
    }
  } catch {
    // fall through: the same answer for any malformed cursor
  }
  throw new ProblemException('validation', '1 field(s) failed validation', {
    errors: [{ field: 'cursor', message: 'cursor is not one this API returned' }],
  });
}
