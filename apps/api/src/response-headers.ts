import type { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';

/**
 * Response headers every answer of the API carries (docs/security.md "Transport and
 * headers"), set before any route runs so that errors, 404s and the guards' refusals carry
 * them too:
 * - helmet's defaults (nosniff, X-Frame-Options DENY, Referrer-Policy no-referrer,
 *   Cross-Origin-Opener/Resource-Policy same-origin, HSTS 1 year with subdomains);
 * - a Content-Security-Policy that lets JSON answers load nothing and be framed by no one
 *   (the console's pages replace it with CONSOLE_CSP, the API docs with their own);
 * - `Cache-Control: no-store`: patient data (and tokens) must not stay in a browser's or a
 *   proxy's cache. A route that serves public data sets its own (JWKS, console assets).
 */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
/** Swagger UI: its own scripts and styles (inline styles), still never framed. */
export const DOCS_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

export function responseHeaders(): RequestHandler[] {
  return [
    helmet({
      contentSecurityPolicy: false,
      strictTransportSecurity: { maxAge: 31536000, includeSubDomains: true },
      frameguard: { action: 'deny' },
      referrerPolicy: { policy: 'no-referrer' },
      crossOriginResourcePolicy: { policy: 'same-origin' },
    }),
    (req: Request, res: Response, next: NextFunction) => {
      res.setHeader('Content-Security-Policy', req.path.startsWith('/api/docs') ? DOCS_CSP : API_CSP);
      res.setHeader('Cache-Control', 'no-store');
      next();
    },
  ];
}
