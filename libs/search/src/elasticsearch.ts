import { Client } from '@elastic/elasticsearch';

export const SEARCH_ES_CLIENT = Symbol('SEARCH_ES_CLIENT');

/**
 * One client per process. The API fails fast (short timeout, no retries) and
 * falls back to PostgreSQL; the worker retries on its own terms (backoff).
 */
export function createEsClient(url: string, opts: { requestTimeoutMs: number }): Client {
  return new Client({ node: url, requestTimeout: opts.requestTimeoutMs, maxRetries: 0, sniffOnStart: false });
}

/** Connection refused, timeouts, 429 and 5xx: Elasticsearch is (for now) unavailable. */
export function isEsUnavailable(err: unknown): boolean {
  const e = err as { name?: string; meta?: { statusCode?: number } };
  if (
    ['ConnectionError', 'TimeoutError', 'NoLivingConnectionsError', 'RequestAbortedError'].includes(
      e?.name ?? '',
    )
  ) {
    return true;
  }
  const status = e?.meta?.statusCode;
  return status === 429 || (typeof status === 'number' && status >= 500);
}

export function esStatus(err: unknown): number | undefined {
  return (err as { meta?: { statusCode?: number } })?.meta?.statusCode;
}
