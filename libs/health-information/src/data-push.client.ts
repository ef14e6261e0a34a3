import { Logger } from '@nestjs/common';
import { tracedClientCall } from '@hims/tracing';
import type { DataPushPage } from './data-push.model';

/** What the client logs through: Nest's `Logger` fits, tests pass a capturing one. */
export interface PushLogger {
  log(message: string): void;
  warn(message: string): void;
}

export interface DataPushClientOptions {
  /** Attempts per page, the first included (default 5). */
  maxAttempts?: number;
  /** First retry delay before jitter (default 500 ms); doubles per attempt. */
  baseDelayMs?: number;
  /** Cap on one retry delay, also on a Retry-After the HIU asks for (default 30 s). */
  maxDelayMs?: number;
  /** Per-attempt bound on the whole request, response included (default 30 s). */
  timeoutMs?: number;
  logger?: PushLogger;
  /** Injected for tests; defaults are setTimeout, Math.random and the global fetch. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  fetch?: typeof fetch;
}

export type PushFailure =
  /** The HIU answered 4xx (other than 408/429): the page itself was refused; not retried. */
  | 'rejected'
  /** 5xx, 408, 429, a timeout or a connection error on every attempt. */
  | 'unavailable'
  /** Not sent: an earlier page of the same push found the HIU unavailable after all retries. */
  | 'skipped';

export interface PagePushOutcome {
  pageNumber: number;
  /** The care contexts whose entries this page carried. */
  careContextReferences: string[];
  status: 'transferred' | 'failed';
  attempts: number;
  /** The last HTTP status seen, if any. */
  httpStatus?: number;
  failure?: PushFailure;
}

export interface PushOptions {
  /** Extra request headers (e.g. Authorization). Never logged. */
  headers?: Record<string, string>;
}

type Attempt =
  | { kind: 'ok'; status: number }
  | { kind: 'retryable'; status?: number; retryAfterMs?: number; detail: string }
  | { kind: 'rejected'; status: number };

/**
 * "Equal jitter" exponential backoff: the n-th retry (n = 1, 2, ...) waits between half and all of
 * min(maxDelay, base * 2^(n-1)), so concurrent HIPs do not retry in lockstep.
 */
export function backoffDelay(
  retry: number,
  baseDelayMs: number,
  maxDelayMs: number,
  random: () => number,
): number {
  const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (retry - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * POSTs data-push pages to an HIU's dataPushUrl, one page at a time, with bounded retries, and
 * returns one outcome per page for the health-information notify. Logs only the transaction
 * id, page numbers, attempt counts, HTTP statuses and error codes: never the URL, headers,
 * key material or any payload.
 */
export class DataPushClient {
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly timeoutMs: number;
  private readonly logger: PushLogger;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly fetch: typeof fetch;

  constructor(options: DataPushClientOptions = {}) {
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 5);
    this.baseDelayMs = options.baseDelayMs ?? 500;
    this.maxDelayMs = options.maxDelayMs ?? 30_000;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.logger = options.logger ?? new Logger(DataPushClient.name);
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = options.random ?? Math.random;
    this.fetch = options.fetch ?? fetch;
  }

  async push(
    url: string,
    pages: readonly DataPushPage[],
    options: PushOptions = {},
  ): Promise<PagePushOutcome[]> {
    const outcomes: PagePushOutcome[] = [];
    let hiuUnavailable = false;
    for (const page of pages) {
      const careContextReferences = page.entries.map((e) => e.careContextReference);
      if (hiuUnavailable) {
        outcomes.push({
          pageNumber: page.pageNumber,
          careContextReferences,
          status: 'failed',
          attempts: 0,
          failure: 'skipped',
        });
        continue;
      }
      const outcome = await this.pushPage(url, page, options.headers ?? {});
      outcomes.push({ ...outcome, careContextReferences });
      if (outcome.failure === 'unavailable') hiuUnavailable = true;
    }
    const failed = outcomes.filter((o) => o.status === 'failed').length;
    this.logger.log(
      `data push for transaction ${pages[0]?.transactionId ?? '-'}: ${outcomes.length - failed} of ${outcomes.length} pages transferred`,
    );
    return outcomes;
  }

  private async pushPage(
    url: string,
    page: DataPushPage,
    headers: Record<string, string>,
  ): Promise<Omit<PagePushOutcome, 'careContextReferences'>> {
    const label = `data push transaction ${page.transactionId} page ${page.pageNumber + 1}/${page.pageCount}`;
    const body = JSON.stringify(page);
    let lastStatus: number | undefined;
    for (let attempt = 1; ; attempt++) {
      const result = await this.attempt(url, body, headers);
      if (result.kind === 'ok') {
        return {
          pageNumber: page.pageNumber,
          status: 'transferred',
          attempts: attempt,
          httpStatus: result.status,
        };
      }
      if (result.kind === 'rejected') {
        this.logger.warn(`${label} refused by the HIU: HTTP ${result.status}; not retried`);
        return {
          pageNumber: page.pageNumber,
          status: 'failed',
          attempts: attempt,
          httpStatus: result.status,
          failure: 'rejected',
        };
      }
      lastStatus = result.status ?? lastStatus;
      if (attempt >= this.maxAttempts) {
        this.logger.warn(
          `${label} attempt ${attempt}/${this.maxAttempts} failed (${result.detail}); giving up`,
        );
        return {
          pageNumber: page.pageNumber,
          status: 'failed',
          attempts: attempt,
          httpStatus: lastStatus,
          failure: 'unavailable',
        };
      }
      const delay = Math.max(
        backoffDelay(attempt, this.baseDelayMs, this.maxDelayMs, this.random),
        Math.min(result.retryAfterMs ?? 0, this.maxDelayMs),
      );
      this.logger.warn(
        `${label} attempt ${attempt}/${this.maxAttempts} failed (${result.detail}); retrying in ${delay} ms`,
      );
      await this.sleep(delay);
    }
  }

  private async attempt(url: string, body: string, headers: Record<string, string>): Promise<Attempt> {
    try {
      // A CLIENT span; the HIU gets its traceparent. The host only: the push URL is the HIU's business.
      const attributes = { 'http.request.method': 'POST', 'server.address': new URL(url).host };
      const response = await tracedClientCall('POST data push', attributes, async (trace, status) => {
        const answer = await this.fetch(url, {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/json', accept: 'application/json', ...trace },
          body,
          signal: AbortSignal.timeout(this.timeoutMs),
        });
        status(answer.status);
        await answer.arrayBuffer(); // drain: the HIU's answer is not needed, and may echo data
        return answer;
      });
      const { status } = response;
      if (status >= 200 && status < 300) return { kind: 'ok', status };
      if (status >= 500 || status === 408 || status === 429) {
        return {
          kind: 'retryable',
          status,
          retryAfterMs: retryAfterMs(response.headers.get('retry-after')),
          detail: `HTTP ${status}`,
        };
      }
      return { kind: 'rejected', status };
    } catch (error) {
      return { kind: 'retryable', detail: errorCode(error) };
    }
  }
}

/** Retry-After in seconds (the HTTP-date form is ignored). */
function retryAfterMs(value: string | null): number | undefined {
  if (value === null || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value.trim()) * 1000;
}

/**
 * A code for the log: never the error message, which may quote the URL. (Duck-typed: fetch's
 * errors come from another realm under test runners, so `instanceof Error` is unreliable.)
 */
function errorCode(error: unknown): string {
  const e = error as { name?: unknown; cause?: { code?: unknown; errors?: { code?: unknown }[] } } | null;
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return 'timeout';
  const code = e?.cause?.code ?? e?.cause?.errors?.[0]?.code;
  return typeof code === 'string' && /^[A-Z0-9_]{2,40}$/.test(code) ? code : 'network error';
}

/**
 * Per care context, for the health-information notify: `transferred` only if every page that
 * carried it was transferred.
 */
export function careContextStatuses(
  outcomes: readonly PagePushOutcome[],
): Map<string, 'transferred' | 'failed'> {
  const statuses = new Map<string, 'transferred' | 'failed'>();
  for (const outcome of outcomes) {
    for (const ref of outcome.careContextReferences) {
      if (outcome.status === 'failed' || statuses.get(ref) === 'failed') statuses.set(ref, 'failed');
      else statuses.set(ref, 'transferred');
    }
  }
  return statuses;
}
