import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { CookieOptions, Request, Response } from 'express';
import { ProblemException } from '@hims/errors';

/**
 * The staff console keeps its refresh token where scripts cannot read it: an
 * HttpOnly, SameSite=Strict cookie sent only to the console's session routes.
 * Those routes are cookie-authenticated, so they also need a CSRF token: the
 * double-submit pattern (a readable cookie whose value the page must echo in
 * X-CSRF-Token; another site can neither read the cookie nor set the header).
 */
export const CONSOLE_SESSION_PATH = '/api/v1/auth/console';
export const REFRESH_COOKIE = 'hims_rt';
export const CSRF_COOKIE = 'hims_csrf';
export const CSRF_HEADER = 'x-csrf-token';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

/** Secure over HTTPS and on every non-loopback host (plain-HTTP loopback: local development and tests). */
function baseOptions(req: Request): CookieOptions {
  return { sameSite: 'strict', secure: req.secure || !LOOPBACK.has(req.hostname) };
}

/** Cookie header -> name/value pairs (values are our own base64url tokens; no decoding needed). */
export function readCookies(req: Request): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out.set(part.slice(0, i).trim(), part.slice(i + 1).trim());
  }
  return out;
}

export function setConsoleSession(
  req: Request,
  res: Response,
  refreshToken: string,
  maxAgeSeconds: number,
): void {
  const base = baseOptions(req);
  const maxAge = maxAgeSeconds * 1000;
  res.cookie(REFRESH_COOKIE, refreshToken, { ...base, httpOnly: true, path: CONSOLE_SESSION_PATH, maxAge });
  res.cookie(CSRF_COOKIE, randomBytes(24).toString('base64url'), {
    ...base,
    httpOnly: false,
    path: '/',
    maxAge,
  });
}

export function clearConsoleSession(req: Request, res: Response): void {
  const base = baseOptions(req);
  res.clearCookie(REFRESH_COOKIE, { ...base, httpOnly: true, path: CONSOLE_SESSION_PATH });
  res.clearCookie(CSRF_COOKIE, { ...base, httpOnly: false, path: '/' });
}

/**
 * The refresh token from the cookie, once the CSRF header matches the CSRF
 * cookie; undefined when there is no session cookie at all.
 */
export function consoleRefreshToken(req: Request): string | undefined {
  const cookies = readCookies(req);
  const token = cookies.get(REFRESH_COOKIE);
  if (!token) return undefined;
  const expected = cookies.get(CSRF_COOKIE) ?? '';
  const header = req.headers[CSRF_HEADER];
  const given = typeof header === 'string' ? header : '';
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  if (a.length === 0 || a.length !== b.length || !timingSafeEqual(a, b)) {
    throw new ProblemException(
      'forbidden',
      'Send the X-CSRF-Token header with the value of the hims_csrf cookie',
    );
  }
  return token;
}
