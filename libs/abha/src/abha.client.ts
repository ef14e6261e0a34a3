import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { ABHA_CONFIG, AbhaConfig } from './abha.config';
import { encryptForAbha } from './abha-crypto';

/** How a failed ABHA call reads to the counter (each maps to one problem type). */
export type AbhaFailureKind =
  | 'invalid-otp'
  | 'otp-expired'
  | 'rate-limited'
  | 'not-found'
  | 'session-expired'
  | 'refused'
  | 'unavailable';

/**
 * A failed call, with the service's own code and message for staff. The message is never
 * logged (it may quote what the patient typed); the code and status are.
 */
export class AbhaServiceError extends Error {
  constructor(
    readonly kind: AbhaFailureKind,
    readonly status: number | null,
    readonly code: string | null,
    readonly serviceMessage: string | null,
  ) {
    super(`ABHA service: ${kind} (${status ?? 'no answer'}${code ? `, ${code}` : ''})`);
  }
}

/** Calls whose failure means the OTP itself was wrong or stale, not the request. */
export type CallKind = 'otp-verify' | 'otp-request' | 'user' | 'other';

interface CallOptions {
  kind: CallKind;
  headers?: Record<string, string>;
  binary?: boolean;
}

/** The body of an error answer: {code, message} or {error: {code, message}} (contracts/abdm/abha-v3.openapi.json). */
export function readErrorBody(body: unknown): { code: string | null; message: string | null } {
  if (!body || typeof body !== 'object') return { code: null, message: null };
  const o = (('error' in body && typeof (body as { error: unknown }).error === 'object'
    ? (body as { error: object }).error
    : body) ?? {}) as Record<string, unknown>;
  const code = typeof o.code === 'string' && /^[A-Z]+-[0-9]{1,6}$/.test(o.code) ? o.code : null;
  const message = typeof o.message === 'string' ? o.message.slice(0, 300) : null;
  return { code, message };
}

export function classify(
  status: number,
  kind: CallKind,
  code: string | null,
  message: string | null,
): AbhaFailureKind {
  if (status === 429) return 'rate-limited';
  if (status >= 500) return 'unavailable';
  if (kind === 'otp-verify' && (status === 400 || status === 401 || status === 422)) {
    return code === 'ABDM-1205' || /expire/i.test(message ?? '') ? 'otp-expired' : 'invalid-otp';
  }
  if (kind === 'otp-request' && status === 404) return 'not-found';
  if (kind === 'user' && status === 401) return 'session-expired';
  return 'refused';
}

/**
 * The ABHA v3 service (contracts/abdm/abha-v3.openapi.json): a gateway session token
 * (cached until shortly before it expires), the public certificate (cached), REQUEST-ID and
 * TIMESTAMP on every call, a timeout, and failures classified for the counter.
 */
@Injectable()
export class AbhaClient {
  private readonly log = new Logger('AbhaClient');
  private session?: { token: string; refreshAt: number };
  private certificate?: { key: string; algorithm: string; refreshAt: number };

  constructor(@Inject(ABHA_CONFIG) private readonly config: AbhaConfig) {}

  async encrypt(plaintext: string): Promise<string> {
    const cert = await this.publicCertificate();
    return encryptForAbha(cert.key, cert.algorithm, plaintext);
  }

  post<T>(path: string, body: unknown, options: CallOptions): Promise<T> {
    return this.call<T>('POST', path, body, options);
  }

  get<T>(path: string, options: CallOptions): Promise<T> {
    return this.call<T>('GET', path, undefined, options);
  }

  private async publicCertificate(): Promise<{ key: string; algorithm: string }> {
    if (this.certificate && this.certificate.refreshAt > Date.now()) return this.certificate;
    const cert = await this.call<{ publicKey: string; encryptionAlgorithm: string }>(
      'GET',
      '/v3/profile/public/certificate',
      undefined,
      { kind: 'other' },
    );
    if (typeof cert?.publicKey !== 'string' || typeof cert?.encryptionAlgorithm !== 'string') {
      throw new AbhaServiceError('unavailable', 200, null, 'The ABHA service sent no usable public key');
    }
    this.certificate = {
      key: cert.publicKey,
      algorithm: cert.encryptionAlgorithm,
      refreshAt: Date.now() + 3_600_000,
    };
    return this.certificate;
  }

  private async sessionToken(): Promise<string> {
    if (this.session && this.session.refreshAt > Date.now()) return this.session.token;
    const res = await this.fetchWithTimeout(this.config.sessionUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'REQUEST-ID': randomUUID(),
        TIMESTAMP: new Date().toISOString(),
        'X-CM-ID': this.config.cmId,
      },
      body: JSON.stringify({
        clientId: this.config.clientId,
        clientSecret: this.config.clientSecret,
        grantType: 'client_credentials',
      }),
    });
    const body = (await res.json().catch(() => null)) as { accessToken?: string; expiresIn?: number } | null;
    if (!res.ok || typeof body?.accessToken !== 'string') {
      this.log.warn({ status: res.status }, 'ABHA session refused');
      throw new AbhaServiceError('unavailable', res.status, null, 'The ABDM gateway refused our session');
    }
    const ttl = Math.max(30, Number(body.expiresIn ?? 600) - 60);
    this.session = { token: body.accessToken, refreshAt: Date.now() + ttl * 1000 };
    return this.session.token;
  }

  private async call<T>(
    method: 'GET' | 'POST',
    path: string,
    body: unknown,
    options: CallOptions,
  ): Promise<T> {
    const token = await this.sessionToken();
    const res = await this.fetchWithTimeout(`${this.config.serviceUrl}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        accept: options.binary ? 'image/png, application/pdf, application/json' : 'application/json',
        'REQUEST-ID': randomUUID(),
        TIMESTAMP: new Date().toISOString(),
        Authorization: `Bearer ${token}`,
        ...(options.headers ?? {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (res.ok) {
      if (options.binary) return Buffer.from(await res.arrayBuffer()) as T;
      return (await res.json()) as T;
    }
    const { code, message } = readErrorBody(await res.json().catch(() => null));
    if (res.status === 401 && options.kind !== 'user') this.session = undefined;
    const kind = classify(res.status, options.kind, code, message);
    // Ids only: the path is fixed text, the code the service's; never its message or our body.
    this.log.warn({ path, status: res.status, code, kind }, 'ABHA call failed');
    throw new AbhaServiceError(kind, res.status, code, message);
  }

  private async fetchWithTimeout(url: string, init: RequestInit): Promise<Response> {
    try {
      return await fetch(url, { ...init, signal: AbortSignal.timeout(this.config.timeoutMs) });
    } catch (err) {
      const name = (err as Error).name;
      this.log.warn({ error: name }, 'ABHA service unreachable');
      throw new AbhaServiceError('unavailable', null, null, null);
    }
  }
}
