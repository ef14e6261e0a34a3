import type { Problem, Schemas } from '../api/client';

export type Tenant = Schemas['PlatformTenantDto'];
export type TenantItem = Schemas['PlatformTenantListItemDto'];
export type Provisioned = Schemas['ProvisionedTenantDto'];
export type Invitation = Schemas['FirstAdminInvitationDto'];

/** The operator's token lives in this module's memory only (never storage), like staff tokens. */
let operatorToken: string | null = null;

export const operatorSignedIn = () => operatorToken !== null;
export const operatorSignOut = () => {
  operatorToken = null;
};

export type Answer<T> = { ok: true; status: number; body: T } | { ok: false; status: number; problem: Problem };

async function call<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer<T>> {
  const res = await fetch(`/api/v1/platform${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(operatorToken ? { authorization: `Bearer ${operatorToken}` } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json: unknown = res.status === 204 ? null : await res.json().catch(() => null);
  if (res.ok) return { ok: true, status: res.status, body: json as T };
  const problem = (json ?? { type: 'about:blank', title: res.statusText, status: res.status }) as Problem;
  return { ok: false, status: res.status, problem };
}

/** The password step's answer: a token, or (operators with TOTP) a second-factor challenge. */
export type SignInStep =
  | { accessToken: string }
  | { mfaRequired: true; mfaToken: string; enrolmentRequired: boolean; expiresIn: number };
export interface Enrolment {
  secret: string;
  otpauthUri: string;
}

function keepToken<T>(answer: Answer<T>): Answer<T> {
  if (answer.ok && typeof (answer.body as { accessToken?: unknown }).accessToken === 'string') {
    operatorToken = (answer.body as { accessToken: string }).accessToken;
  }
  return answer;
}

export const operatorSignIn = async (email: string, password: string) =>
  keepToken(await call<SignInStep>('POST', '/auth/login', { email, password }));
export const enrolSecondFactor = (mfaToken: string) => call<Enrolment>('POST', '/auth/mfa/enrol', { mfaToken });
export const verifySecondFactor = async (mfaToken: string, code: string) =>
  keepToken(await call<{ accessToken: string; recoveryCodes?: string[] }>('POST', '/auth/mfa/verify', { mfaToken, code }));

export const listTenants = () => call<Schemas['PlatformTenantPageDto']>('GET', '/tenants?limit=100');
export const getTenant = (id: string) => call<Tenant>('GET', `/tenants/${id}`);
export const provisionTenant = (body: Schemas['ProvisionTenantDto'], key: string) =>
  call<Provisioned>('POST', '/tenants', body, { 'idempotency-key': key });
export const setStatus = (id: string, to: 'suspend' | 'reactivate') => call<Tenant>('POST', `/tenants/${id}/${to}`);
export const setLimits = (id: string, body: Schemas['TenantLimitsDto']) => call<Tenant>('PUT', `/tenants/${id}/limits`, body);
export const reissueInvitation = (id: string) => call<Invitation>('POST', `/tenants/${id}/first-admin/invitation`);
