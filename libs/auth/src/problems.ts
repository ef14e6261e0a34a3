import { ProblemException } from '@hims/errors';

const CHALLENGE = { 'WWW-Authenticate': 'Bearer error="invalid_token"' };

/** 401 with a Bearer challenge. One wording per situation, never the specific reason a token failed. */
export function unauthenticated(detail = 'A valid bearer access token is required'): ProblemException {
  return new ProblemException('unauthenticated', detail, {}, CHALLENGE);
}
