import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { concatMap, from, Observable, of, switchMap } from 'rxjs';
import type { Request, Response } from 'express';
import { ProblemException } from '@hims/errors';
import { TenantScope } from '@hims/tenancy';
import {
  IDEMPOTENCY_KEY_HEADER,
  IDEMPOTENT_REPLAYED_HEADER,
  parseIdempotencyKey,
  requestFingerprint,
} from './idempotency-key';
import { IdempotencyRepository, KeyOwner, StoredAnswer } from './idempotency.repository';

/** How long an answer is replayed (the draft leaves it to the server; the issue asks 24 h). */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;
/** Response headers stored and replayed with the body. */
const REPLAYED_HEADERS = ['location', 'etag', 'content-location'];
/** Stands for "no user" in the key's owner (platform and anonymous creates have none today). */
const NO_USER = '00000000-0000-0000-0000-000000000000';

/**
 * Applied per route with @Idempotent(). Runs inside the request's tenant
 * transaction (TenantContextInterceptor is global, so it wraps this one): the
 * stored answer is written in the same transaction as the create, so either
 * both commit or neither does; a failed request stores nothing and may be
 * retried with the same key. The advisory lock makes a concurrent retry answer
 * 409 instead of running the create a second time.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly scope: TenantScope,
    private readonly keys: IdempotencyRepository,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<Request>();
    const res = context.switchToHttp().getResponse<Response>();
    const key = parseIdempotencyKey(req.headers[IDEMPOTENCY_KEY_HEADER]);
    if (key === undefined) return next.handle();
    const tenantId = this.scope.tenantId;
    if (!tenantId) throw new Error('@Idempotent() route runs outside a tenant scope');
    const owner: KeyOwner = { tenantId, userId: this.scope.userId ?? NO_USER, key };
    const fingerprint = requestFingerprint(req.method, (req.originalUrl ?? req.url).split('?')[0], req.body);

    return from(this.lookup(owner, fingerprint)).pipe(
      switchMap((stored) => {
        if (stored) return of(this.replay(res, stored));
        return next.handle().pipe(
          concatMap(async (body: unknown) => {
            await this.keys.save(owner, this.answerOf(res, fingerprint, body), IDEMPOTENCY_TTL_SECONDS);
            return body;
          }),
        );
      }),
    );
  }

  private async lookup(owner: KeyOwner, fingerprint: string): Promise<StoredAnswer | undefined> {
    if (!(await this.keys.tryLock(owner))) {
      throw new ProblemException(
        'idempotencyKeyInFlight',
        'The first request with this Idempotency-Key has not finished; retry shortly',
        {},
        { 'Retry-After': '1' },
      );
    }
    const stored = await this.keys.find(owner);
    if (stored && stored.fingerprint !== fingerprint) {
      throw new ProblemException(
        'idempotencyKeyReused',
        'This Idempotency-Key was already used for a different request; use a new key for a new request',
      );
    }
    return stored;
  }

  private replay(res: Response, stored: StoredAnswer): unknown {
    res.status(stored.statusCode);
    for (const [name, value] of Object.entries(stored.headers)) res.setHeader(name, value);
    res.setHeader(IDEMPOTENT_REPLAYED_HEADER, 'true');
    return stored.body;
  }

  private answerOf(res: Response, fingerprint: string, body: unknown): StoredAnswer {
    const headers: Record<string, string> = {};
    for (const name of REPLAYED_HEADERS) {
      const value = res.getHeader(name);
      if (value !== undefined) headers[name] = String(value);
    }
    // Through JSON, as the client received it (class instances, Dates).
    const stored = body === undefined ? undefined : (JSON.parse(JSON.stringify(body)) as unknown);
    return { fingerprint, statusCode: res.statusCode, headers, body: stored };
  }
}
