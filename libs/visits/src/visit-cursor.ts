import { decodeCursor, encodeCursor, isUuidText } from '@hims/errors';

/** Keyset cursor of a patient's visit list: the last item's (scheduledAt, id). */
export function encodeVisitCursor(last: { scheduled_at: Date; id: string }): string {
  return encodeCursor({ s: new Date(last.scheduled_at).toISOString(), i: last.id });
}

export function decodeVisitCursor(cursor: string): { scheduledAt: Date; id: string } {
  return decodeCursor(cursor, ({ s, i }) => {
    const at = typeof s === 'string' ? new Date(s) : undefined;
    return at && !Number.isNaN(at.getTime()) && isUuidText(i) ? { scheduledAt: at, id: i } : undefined;
  });
}
