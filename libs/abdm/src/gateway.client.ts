import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { traceHeaders, tracedClientCall } from '@hims/tracing';
import { ABDM_CONFIG, AbdmConfig } from './abdm.config';
import { gatewayErrorOf, type GatewayError } from './gateway-error';

export const SESSIONS_PATH = '/api/hiecm/gateway/v3/sessions';

export type DeliveryResult =
  | { ok: true; status: number }
  | { ok: false; retryable: boolean; status: number | null; error: string; said?: GatewayError };

/** Gateway codes that refuse the call itself, whatever the HTTP status: retrying cannot help. */
const FINAL_CODES = new Set(['ABDM-1026', 'ABDM-1092', 'ABDM-9999', 'ABDM-1006']);

/** ISO 8601 UTC with milliseconds and a trailing Z, as the gateway expects. */
export function gatewayTimestamp(now = new Date()): string {
  return now.toISOString();
}

/** Exponential back-off with jitter: base·2^(n-1), capped, then scaled by a random 50–100 %. */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random = Math.random): number {
  const raw = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(raw * (0.5 + random() * 0.5));
}

/**
 * Calls the ABDM gateway: a session token from /api/hiecm/gateway/v3/sessions
 * (cached, refreshed before it expires, one refresh at a time), the HIE-CM
 * headers on every call, a per-process rate limit, and a timeout. Says whether
 * a failure is worth retrying (timeouts, 5xx, 429, a refused token); it does not
 * retry itself: the processor schedules the next attempt in the database.
 */
@Injectable()
export class GatewayClient {
  private readonly log = new Logger('AbdmGateway');
  private token?: { value: string; refreshAt: number };
  private refreshing?: Promise<string>;
  private bucket: { tokens: number; at: number };

  constructor(@Inject(ABDM_CONFIG) private readonly config: AbdmConfig) {
    this.bucket = { tokens: config.ratePerSecond, at: Date.now() };
  }

  async post(
    path: string,
    body: unknown,
    requestId: string,
    extraHeaders: Record<string, string> = {},
  ): Promise<DeliveryResult> {
    let token: string;
    try {
      token = await this.sessionToken();
    } catch (err) {
      return { ok: false, retryable: true, status: null, error: `session: ${(err as Error).message}` };
    }
    await this.takeRateToken();
    let answered: { status: number; said?: GatewayError };
    try {
      // A CLIENT span whose traceparent goes with the call (docs/tracing.md): ids and the fixed path only.
      const attributes = {
        'http.request.method': 'POST',
        'server.address': new URL(this.config.gatewayUrl).host,
        'url.path': path,
        'hims.abdm.request_id': requestId,
      };
      answered = await tracedClientCall(`POST ${path}`, attributes, async (trace, status) => {
        const answer = await fetch(this.config.gatewayUrl + path, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            Accept: 'application/json',
            Authorization: `Bearer ${token}`,
            'REQUEST-ID': requestId,
            TIMESTAMP: gatewayTimestamp(),
            'X-CM-ID': this.config.cmId,
            ...extraHeaders,
            ...trace,
          },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(this.config.requestTimeoutMs),
        });
        status(answer.status);
        // The gateway's error body says why (code + message); kept for the admins, never logged.
        const text = answer.ok ? '' : await answer.text().catch(() => '');
        return { status: answer.status, said: gatewayErrorOf(parseJson(text)) };
      });
    } catch (err) {
      const name = (err as Error).name === 'TimeoutError' ? 'timeout' : 'network error';
      return { ok: false, retryable: true, status: null, error: name };
    }
    const { status, said } = answered;
    if (status >= 200 && status < 300) return { ok: true, status };
    const final = said !== undefined && FINAL_CODES.has(said.code);
    if (status === 401 && !final) this.token = undefined; // refreshed on the next attempt
    const retryable = !final && (status >= 500 || status === 429 || status === 401 || status === 408);
    const error = `HTTP ${status}${said?.code ? ` ${said.code}` : ''}`;
    return { ok: false, retryable, status, error, said };
  }

  /** The cached session token, or one fresh refresh shared by every caller waiting for it. */
  async sessionToken(): Promise<string> {
    if (this.token && Date.now() < this.token.refreshAt) return this.token.value;
    this.refreshing ??= this.fetchSession().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private async fetchSession(): Promise<string> {
    const res = await fetch(this.config.gatewayUrl + SESSIONS_PATH, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/json',
        'REQUEST-ID': randomUUID(),
        TIMESTAMP: gatewayTimestamp(),
        'X-CM-ID': this.config.cmId,
        ...traceHeaders(),
      },
      body: JSON.stringify({
        clientId: this.config.clientId,
        clientSecret: this.config.clientSecret,
        grantType: 'client_credentials',
      }),
      signal: AbortSignal.timeout(this.config.requestTimeoutMs),
    });
    if (!res.ok) {
      this.log.warn(`gateway session refused: HTTP ${res.status}`);
      throw new Error(`HTTP ${res.status}`);
    }
    const data = (await res.json()) as { accessToken?: unknown; expiresIn?: unknown };
    if (typeof data.accessToken !== 'string') throw new Error('no accessToken');
    const ttl = typeof data.expiresIn === 'number' && data.expiresIn > 0 ? data.expiresIn : 300;
    // Refresh when 80 % of the lifetime has passed (at least 5 s early).
    const refreshIn = Math.max(1, Math.min(ttl * 0.8, ttl - 5)) * 1000;
    this.token = { value: data.accessToken, refreshAt: Date.now() + refreshIn };
    return data.accessToken;
  }

  private async takeRateToken(): Promise<void> {
    for (;;) {
      const now = Date.now();
      const rate = this.config.ratePerSecond;
      this.bucket.tokens = Math.min(rate, this.bucket.tokens + ((now - this.bucket.at) / 1000) * rate);
      this.bucket.at = now;
      if (this.bucket.tokens >= 1) {
        this.bucket.tokens -= 1;
        return;
      }
      await new Promise((r) => setTimeout(r, Math.ceil(((1 - this.bucket.tokens) / rate) * 1000)));
    }
  }
}

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}
