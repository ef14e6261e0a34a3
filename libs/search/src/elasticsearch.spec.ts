import { errors } from '@elastic/elasticsearch';
import { isEsUnavailable } from './elasticsearch';

function responseError(statusCode: number): errors.ResponseError {
  return new errors.ResponseError({
    body: { error: { type: 'x', reason: 'y' }, status: statusCode },
    statusCode,
    headers: {},
    warnings: null,
    meta: {} as never,
  });
}

describe('isEsUnavailable (what opens the search circuit breaker)', () => {
  it.each([
    ['connection error', new errors.ConnectionError('refused')],
    ['timeout', new errors.TimeoutError('timed out')],
    ['no living connections', new errors.NoLivingConnectionsError('none', {} as never)],
    ['503', responseError(503)],
    ['500', responseError(500)],
    ['429', responseError(429)],
  ])('%s means unavailable', (_label, err) => {
    expect(isEsUnavailable(err)).toBe(true);
  });

  it.each([
    ['400 (bad query)', responseError(400)],
    ['404', responseError(404)],
    ['a plain error', new Error('bug')],
  ])('%s does not open the breaker', (_label, err) => {
    expect(isEsUnavailable(err)).toBe(false);
  });
});
