import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';

/**
 * The console's pages get a strict Content-Security-Policy: scripts and styles
 * from this origin only (no inline scripts: Vite emits module files), calls to
 * this origin only, never framed.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Paths that belong to the API and platform, never to the console's client-side routes. */
const NOT_CONSOLE = /^\/(api|health|metrics|\.well-known)(\/|$)/;

function securityHeaders(res: Response): void {
  res.setHeader('Content-Security-Policy', CONSOLE_CSP);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
}

/** dist/web next to the compiled API (dist/apps/api/src), unless WEB_CONSOLE_DIR names another build. */
export function consoleDir(configured: string | null): string {
  return configured ? resolve(configured) : resolve(__dirname, '../../../web');
}

/**
 * Serves the built console (npm run build:web) under / when it exists: hashed
 * assets with a long cache, and index.html for every other page path so the
 * client router can take over. Without a build the API runs alone.
 */
export function serveConsole(app: NestExpressApplication, dir: string): boolean {
  const indexFile = join(dir, 'index.html');
  if (!existsSync(indexFile)) return false;
  const index = readFileSync(indexFile);
  // Only /assets/ reaches the disk (the build is index.html plus Vite's hashed assets/):
  // mounted at /, the static handler stat()ed the disk for every API request first
  // (4 % of the API's busy time in the name-search profile), and a stray file in the
  // build could have answered for an API path.
  app.useStaticAssets(join(dir, 'assets'), {
    prefix: '/assets/',
    index: false,
    redirect: false,
    setHeaders: (res: Response) => {
      securityHeaders(res);
      res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    },
  });
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (
      (req.method !== 'GET' && req.method !== 'HEAD') ||
      NOT_CONSOLE.test(req.path) ||
      !req.accepts('html')
    ) {
      return next();
    }
    securityHeaders(res);
    res.setHeader('Cache-Control', 'no-cache');
    res.type('html').send(index);
  });
  return true;
}
