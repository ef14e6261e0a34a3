import passport from 'passport';
import type { Strategy } from 'passport';
import type { Request, Response } from 'express';

export interface PassportOutcome<T> {
  err?: unknown;
  user?: T | false;
  info?: unknown;
}

/**
 * Runs one passport strategy instance for one request. We do not register
 * strategies in passport's process-wide registry (what PassportStrategy()
 * does): several Nest apps can live in one process (tests), and each must use
 * its own keys and database pool. Object.create gives every request its own
 * success/fail callbacks, which passport assigns onto the strategy object.
 */
export function runStrategy<T>(strategy: Strategy, req: Request, res: Response): Promise<PassportOutcome<T>> {
  return new Promise((resolve) => {
    const perRequest = Object.create(strategy) as Strategy;
    passport.authenticate(perRequest, { session: false }, (err: unknown, user: T | false, info: unknown) =>
      resolve({ err, user, info }),
    )(req, res, (err?: unknown) => resolve({ err: err ?? new Error('passport did not authenticate') }));
  });
}
