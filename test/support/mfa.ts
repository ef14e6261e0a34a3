import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { totpCode } from '../../libs/auth/src/mfa/totp';

/**
 * Test helpers for the two-step sign-in (docs/auth.md "Two-step sign-in"): they go through
 * the real routes (enrol on the first sign-in, then TOTP codes computed from the secret the
 * API handed out, as an authenticator app would). The API refuses a code of a step already
 * used, so a person signing in again within the same 30 s uses the next step's code (within
 * the accepted drift), and after that one of their recovery codes.
 */
interface Enrolled {
  secret: string;
  lastStep: number;
  recoveryCodes: string[];
}
const enrolled = new Map<string, Enrolled>();

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers, read by the tests field by field
type JsonBody = Record<string, any>;
export type Post = (path: string, body: unknown) => Promise<{ status: number; body: JsonBody }>;

/** The secret (and remaining recovery codes) a helper enrolled for this account, by email. */
export function enrolmentOf(email: string): Enrolled | undefined {
  return enrolled.get(email.toLowerCase());
}

/** Remembers an enrolment made outside these helpers (e.g. a browser test). */
export function rememberEnrolment(
  email: string,
  secret: string,
  recoveryCodes: string[],
  lastStep: number,
): void {
  enrolled.set(email.toLowerCase(), { secret, lastStep, recoveryCodes: [...recoveryCodes] });
}

/** A code the API will take now for this enrolment: TOTP if a fresh step is left, else a recovery code. */
export function secondFactorFor(email: string): { code: string } | { recoveryCode: string } {
  const e = enrolled.get(email.toLowerCase());
  if (!e) throw new Error(`no enrolment known for ${email}`);
  const now = Date.now();
  const nowStep = Math.floor(now / 30000);
  const step = Math.max(nowStep, e.lastStep + 1);
  if (step <= nowStep + 1) {
    e.lastStep = step;
    return { code: totpCode(e.secret, step * 30000) };
  }
  const recoveryCode = e.recoveryCodes.shift();
  if (!recoveryCode) throw new Error(`no second factor left for ${email}`);
  return { recoveryCode };
}

/**
 * Completes a sign-in whose password step answered `first`: tokens as they are, or the second
 * step (enrolling first when the account has no authenticator). `prefix` is the realm's auth
 * path: /api/v1/auth (staff) or /api/v1/platform/auth (operators).
 */
export async function completeSignIn(
  post: Post,
  prefix: string,
  email: string,
  first: { status: number; body: JsonBody },
): Promise<{ status: number; body: JsonBody }> {
  if (first.status !== 200 || first.body.mfaRequired !== true) return first;
  const mfaToken = first.body.mfaToken as string;
  if (first.body.enrolmentRequired) {
    const enrol = await post(`${prefix}/mfa/enrol`, { mfaToken });
    if (enrol.status !== 200)
      throw new Error(`mfa enrol answered ${enrol.status}: ${JSON.stringify(enrol.body)}`);
    enrolled.set(email.toLowerCase(), {
      secret: enrol.body.secret as string,
      lastStep: 0,
      recoveryCodes: [],
    });
  }
  const verify = await post(`${prefix}/mfa/verify`, { mfaToken, ...secondFactorFor(email) });
  if (verify.status === 200 && Array.isArray(verify.body.recoveryCodes)) {
    enrolled.get(email.toLowerCase())!.recoveryCodes = [...(verify.body.recoveryCodes as string[])];
  }
  return verify;
}

/** supertest's POST with the tenant header (staff) or without (operators). */
export function supertestPost(app: INestApplication, tenantId?: string): Post {
  return async (path, body) => {
    const req = request(app.getHttpServer()).post(path);
    const res = await (tenantId ? req.set('X-Tenant-ID', tenantId) : req).send(body as object);
    return { status: res.status, body: res.body };
  };
}

/** fetch's POST against an API process on this port. */
export function fetchPost(port: number, tenantId?: string, scheme = 'http'): Post {
  return async (path, body) => {
    const res = await fetch(`${scheme}://127.0.0.1:${port}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...(tenantId ? { 'X-Tenant-ID': tenantId } : {}) },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json().catch(() => ({}))) as JsonBody };
  };
}

/** Staff sign-in through the app, both steps: the token pair's answer. */
export async function staffSignIn(
  app: INestApplication,
  tenantId: string,
  user: { email: string; password: string },
): Promise<{ status: number; body: JsonBody }> {
  const post = supertestPost(app, tenantId);
  return completeSignIn(
    post,
    '/api/v1/auth',
    user.email,
    await post('/api/v1/auth/login', { email: user.email, password: user.password }),
  );
}
