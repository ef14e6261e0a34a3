import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema.gen';

export type Schemas = components['schemas'];
export type Patient = Schemas['PatientResponse'];

/** RFC 9457 problem+json as this API writes it (extensions vary by type). */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: { field: string; message: string }[];
  candidates?: { id: string; mrn: string; reasons: string[] }[];
  overridable?: boolean;
}

export const PROBLEM = {
  validation: 'urn:hims:problem:validation-failed',
  duplicate: 'urn:hims:problem:possible-duplicate',
  precondition: 'urn:hims:problem:precondition-failed',
} as const;

/**
 * The access token lives in this module's memory only (never storage). The
 * refresh token is an HttpOnly cookie the page cannot read; refreshing needs
 * the readable CSRF cookie echoed in a header.
 */
let accessToken: string | null = null;
let refreshTimer: ReturnType<typeof setTimeout> | undefined;
let onSessionLost: () => void = () => undefined;

export const api = createClient<paths>({ baseUrl: '' });

function csrfCookie(): string {
  const m = document.cookie.match(/(?:^|;\s*)hims_csrf=([^;]+)/);
  return m ? m[1] : '';
}

export function setSessionLostHandler(fn: () => void): void {
  onSessionLost = fn;
}

export function hasAccessToken(): boolean {
  return accessToken !== null;
}

function keep(token: { accessToken: string; expiresIn: number }, tenantId: string): void {
  accessToken = token.accessToken;
  clearTimeout(refreshTimer);
  // Refresh a minute before expiry, so staff never notice the 15-minute lifetime.
  const inMs = Math.max(5, token.expiresIn - 60) * 1000;
  refreshTimer = setTimeout(() => void refreshSession(tenantId), inMs);
}

export function forgetSession(): void {
  accessToken = null;
  clearTimeout(refreshTimer);
}

export async function signIn(tenantId: string, email: string, password: string) {
  const res = await api.POST('/api/v1/auth/console/login', {
    params: { header: { 'X-Tenant-ID': tenantId } },
    body: { email, password },
    credentials: 'same-origin',
  });
  // A password alone may not be enough: the answer is then a second step (mfaRequired), no token.
  if (res.data && 'accessToken' in res.data) keep(res.data, tenantId);
  return res;
}

/** The first step of enrolment: a new authenticator secret and its QR code (SVG). */
export function startMfaEnrolment(tenantId: string, mfaToken: string) {
  return api.POST('/api/v1/auth/mfa/enrol', {
    params: { header: { 'X-Tenant-ID': tenantId } },
    body: { mfaToken },
  });
}

/** The second step: a TOTP or recovery code; the session cookie and token as at sign-in. */
export async function verifyMfa(
  tenantId: string,
  body: { mfaToken: string; code?: string; recoveryCode?: string },
) {
  const res = await api.POST('/api/v1/auth/console/mfa/verify', {
    params: { header: { 'X-Tenant-ID': tenantId } },
    body,
    credentials: 'same-origin',
  });
  if (res.data) keep(res.data, tenantId);
  return res;
}

let refreshing: Promise<boolean> | null = null;

/** One refresh at a time; false when there is no session to continue. */
export function refreshSession(tenantId: string): Promise<boolean> {
  refreshing ??= (async () => {
    try {
      const res = await api.POST('/api/v1/auth/console/refresh', {
        params: { header: { 'X-Tenant-ID': tenantId, 'X-CSRF-Token': csrfCookie() } },
        credentials: 'same-origin',
      });
      if (!res.data) {
        forgetSession();
        return false;
      }
      keep(res.data, tenantId);
      return true;
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

export async function signOut(tenantId: string): Promise<void> {
  await api.POST('/api/v1/auth/console/logout', {
    params: { header: { 'X-Tenant-ID': tenantId, 'X-CSRF-Token': csrfCookie() } },
    credentials: 'same-origin',
  });
  forgetSession();
}

/**
 * Ends every session of this user on every device (bearer-authenticated), then
 * clears this browser's now useless cookies through the console sign-out.
 * False (and still signed in) when the API did not confirm it: the user must
 * not believe other devices are signed out when they may not be.
 */
export async function signOutEverywhere(tenantId: string): Promise<boolean> {
  const res = await api.POST('/api/v1/auth/logout-all', { params: { header: { 'X-Tenant-ID': tenantId } } });
  if (res.response.status !== 204) return false;
  await signOut(tenantId);
  return true;
}

/** Bearer on every API call; one refresh-and-retry when the access token has lapsed. */
const retryable = new WeakMap<Request, Request>();
const auth: Middleware = {
  onRequest({ request }) {
    if (request.url.includes('/api/v1/auth/console/')) return undefined;
    if (accessToken) request.headers.set('Authorization', `Bearer ${accessToken}`);
    retryable.set(request, request.clone());
    return request;
  },
  async onResponse({ request, response }) {
    const copy = retryable.get(request);
    const tenantId = request.headers.get('X-Tenant-ID');
    if (response.status !== 401 || !copy || !tenantId) return undefined;
    if (!(await refreshSession(tenantId))) {
      onSessionLost();
      return undefined;
    }
    copy.headers.set('Authorization', `Bearer ${accessToken}`);
    return fetch(copy);
  },
};
api.use(auth);

/** The problem body of a failed call (openapi-fetch puts it in `error`). */
export function asProblem(error: unknown): Problem | null {
  return error && typeof error === 'object' && 'type' in error ? (error as Problem) : null;
}

/** 12345678901234 -> 12-3456-7890-1234 */
export function formatAbha(value: string | null | undefined): string {
  if (!value) return '';
  const d = value.replace(/\D/g, '');
  return d.length === 14 ? `${d.slice(0, 2)}-${d.slice(2, 6)}-${d.slice(6, 10)}-${d.slice(10)}` : value;
}
