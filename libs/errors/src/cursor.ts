import { ProblemException } from './problem';

/**
 * One codec for the opaque cursor of every paginated list: base64url of a small JSON object
 * holding the last row's position. Each list checks the shape it expects (`read`); a cursor
 * that does not decode, or holds another list's shape, is the same 400 everywhere
 * (validation-failed, field `cursor`), never a 500 and never reaching a query.
 */
export function encodeCursor(position: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

export function decodeCursor<T>(
  cursor: string,
  read: (value: Record<string, unknown>) => T | undefined,
  detail = 'cursor is not valid',
): T {
  let position: T | undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      position = read(value as Record<string, unknown>);
    }
  } catch {
    // the 400 below
  }
  if (position === undefined) {
    throw new ProblemException('validation', detail, {
      errors: [
        { field: 'cursor', message: 'cursor must be the nextCursor of a previous page of the same list' },
      ],
    });
  }
  return position;
}
