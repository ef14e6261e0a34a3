import { decodeCursor, encodeCursor } from './cursor';
import { isUuid } from './uuid';
import { ProblemException } from './problem';

const readPosition = ({ at, id }: Record<string, unknown>) =>
  typeof at === 'number' && isUuid(id) ? { at, id } : undefined;

describe('the cursor codec of every paginated list', () => {
  const id = '0b6c6a52-3f0e-4c8e-9d0a-1f2e3d4c5b6a';

  it('round-trips the position a list keeps', () => {
    expect(decodeCursor(encodeCursor({ at: 7, id }), readPosition)).toEqual({ at: 7, id });
  });

  it.each([
    ['not base64 JSON', '%%%'],
    ['JSON that is not an object', Buffer.from('[1,2]').toString('base64url')],
    ['null', Buffer.from('null').toString('base64url')],
    ['another list’s shape', encodeCursor({ e: 'a@b.c', i: id })],
  ])('refuses %s with one validation problem on the cursor field', (_what, cursor) => {
    let thrown: unknown;
    try {
      decodeCursor(cursor, readPosition);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(ProblemException);
    expect((thrown as ProblemException).toProblem()).toMatchObject({
      type: 'urn:hims:problem:validation-failed',
      status: 400,
      errors: [{ field: 'cursor' }],
    });
  });
});
