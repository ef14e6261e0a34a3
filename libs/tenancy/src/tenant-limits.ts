import { Inject, Injectable } from '@nestjs/common';
import { SetMetadata } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@hims/config';
import { ProblemException } from '@hims/errors';

/** What a request costs against its tenant's rate limits. */
export type RateClass = 'write' | 'search' | 'read';

export const RATE_CLASS_KEY = 'hims:rate-class';

/** Marks a handler as a search (its own token bucket); writes are every non-GET by default. */
export const RateClassOf = (rateClass: RateClass) => SetMetadata(RATE_CLASS_KEY, rateClass);

/** A tenant's limits: the configured defaults overridden by its settings.limits. */
export interface TenantLimitValues {
  maxConcurrentTransactions: number;
  writesPerMinute: number;
  searchesPerMinute: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

interface Gate {
  active: number;
  waiting: (() => void)[];
}

/**
 * In-process bulkheads per tenant (per API instance):
 * - a token bucket for writes and one for searches (0 = unlimited);
 * - a cap on the request transactions a tenant holds at once, with a bounded queue
 *   that waits WITHOUT a database connection, so one clinic's burst never occupies
 *   the pool the others need.
 * Over either, the tenant's request is answered 429 with Retry-After at once.
 * Limits come from configuration, overridden per tenant by `settings.limits`
 * (learnt when a request of that tenant reads its tenant row).
 */
@Injectable()
export class TenantLimits {
  private readonly overrides = new Map<string, Partial<TenantLimitValues>>();
  private readonly buckets = new Map<string, Bucket>();
  private readonly gates = new Map<string, Gate>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** Records a tenant's own limits from its settings (unknown or invalid values are ignored). */
  learn(tenantId: string, settings: Record<string, unknown> | undefined): void {
    const raw = settings?.limits;
    if (!raw || typeof raw !== 'object') {
      this.overrides.delete(tenantId);
      return;
    }
    const pick = (key: keyof TenantLimitValues) => {
      const v = (raw as Record<string, unknown>)[key];
      return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : undefined;
    };
    this.overrides.set(tenantId, {
      maxConcurrentTransactions: pick('maxConcurrentTransactions') || undefined,
      writesPerMinute: pick('writesPerMinute'),
      searchesPerMinute: pick('searchesPerMinute'),
    });
  }

  limitsOf(tenantId: string): TenantLimitValues {
    const own = this.overrides.get(tenantId) ?? {};
    const d = this.config.tenantLimits;
    return {
      maxConcurrentTransactions: own.maxConcurrentTransactions ?? d.maxConcurrentTransactions,
      writesPerMinute: own.writesPerMinute ?? d.writesPerMinute,
      searchesPerMinute: own.searchesPerMinute ?? d.searchesPerMinute,
    };
  }

  /** Takes one token of the tenant's bucket for this class, or answers 429. */
  charge(tenantId: string, rateClass: RateClass, now = Date.now()): void {
    if (rateClass === 'read') return;
    const limits = this.limitsOf(tenantId);
    const perMinute = rateClass === 'write' ? limits.writesPerMinute : limits.searchesPerMinute;
    if (perMinute <= 0) return;
    const perMs = perMinute / 60000;
    const capacity = this.config.tenantLimits.rateBurst || Math.max(1, Math.ceil(perMs * 2000));
    const key = `${tenantId}:${rateClass}`;
    const bucket = this.buckets.get(key) ?? { tokens: capacity, at: now };
    bucket.tokens = Math.min(capacity, bucket.tokens + (now - bucket.at) * perMs);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return;
    }
    const retryAfter = Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000));
    throw new ProblemException(
      'tenantRateLimited',
      `This clinic is sending ${rateClass === 'write' ? 'changes' : 'searches'} faster than its limit of ${perMinute} a minute; retry after ${retryAfter} s`,
      { retryAfterSeconds: retryAfter },
      { 'Retry-After': String(retryAfter) },
    );
  }

  /**
   * Runs work holding one of the tenant's transaction slots. Waits (holding no
   * connection) while the tenant is at its cap; answers 429 when its queue is full.
   */
  async withSlot<T>(tenantId: string, work: () => Promise<T>): Promise<T> {
    const cap = this.limitsOf(tenantId).maxConcurrentTransactions;
    const gate = this.gates.get(tenantId) ?? { active: 0, waiting: [] };
    this.gates.set(tenantId, gate);
    if (gate.active >= cap) {
      if (gate.waiting.length >= this.config.tenantLimits.maxQueuedRequests) {
        throw new ProblemException(
          'tenantOverCapacity',
          `This clinic already has ${gate.active} requests in progress and ${gate.waiting.length} waiting; retry shortly`,
          { retryAfterSeconds: 1 },
          { 'Retry-After': '1' },
        );
      }
      await new Promise<void>((resolve) => gate.waiting.push(resolve));
    } else {
      gate.active++;
    }
    try {
      return await work();
    } finally {
      const next = gate.waiting.shift();
      if (next)
        next(); // the slot passes straight to the next waiter
      else if (--gate.active === 0) this.gates.delete(tenantId);
    }
  }
}
