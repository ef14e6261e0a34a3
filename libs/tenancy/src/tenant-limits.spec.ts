import { loadConfig } from '@hims/config';
import { ProblemException } from '@hims/errors';
import { TenantLimits } from './tenant-limits';

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';

function limits(overrides: Record<string, string> = {}): TenantLimits {
  return new TenantLimits(loadConfig({ LOG_LEVEL: 'silent', ...overrides }));
}

function problemOf(fn: () => unknown): ProblemException {
  try {
    fn();
  } catch (err) {
    if (err instanceof ProblemException) return err;
    throw err;
  }
  throw new Error('expected a ProblemException');
}

describe('TenantLimits', () => {
  describe('rate limits (token bucket per tenant and class)', () => {
    it('lets a burst through, then answers 429 with Retry-After until tokens come back', () => {
      const l = limits({ TENANT_WRITES_PER_MINUTE: '60', TENANT_RATE_BURST: '2' });
      l.charge(A, 'write', 0);
      l.charge(A, 'write', 0);
      const problem = problemOf(() => l.charge(A, 'write', 0));
      expect(problem.kind).toBe('tenantRateLimited');
      expect(problem.status).toBe(429);
      expect(problem.headers).toEqual({ 'Retry-After': '1' });
      // One token a second.
      expect(problemOf(() => l.charge(A, 'write', 500)).kind).toBe('tenantRateLimited');
      expect(() => l.charge(A, 'write', 1000)).not.toThrow();
    });

    it('keeps tenants and classes apart, never charges reads, and 0 means unlimited', () => {
      const l = limits({
        TENANT_WRITES_PER_MINUTE: '60',
        TENANT_SEARCHES_PER_MINUTE: '0',
        TENANT_RATE_BURST: '1',
      });
      l.charge(A, 'write', 0);
      expect(() => l.charge(A, 'write', 0)).toThrow(ProblemException);
      expect(() => l.charge(B, 'write', 0)).not.toThrow();
      for (let i = 0; i < 100; i++) {
        l.charge(A, 'search', 0);
        l.charge(A, 'read', 0);
      }
    });

    it("a tenant's settings.limits override the defaults; invalid values are ignored", () => {
      const l = limits({ TENANT_WRITES_PER_MINUTE: '60', TENANT_RATE_BURST: '1' });
      l.learn(A, {
        limits: { writesPerMinute: 0, searchesPerMinute: 'many', maxConcurrentTransactions: -1 },
      });
      expect(l.limitsOf(A)).toEqual({
        writesPerMinute: 0,
        searchesPerMinute: 60000,
        maxConcurrentTransactions: 5,
      });
      for (let i = 0; i < 10; i++) l.charge(A, 'write', 0);
      l.learn(A, {});
      expect(l.limitsOf(A).writesPerMinute).toBe(60);
    });
  });

  describe('transaction slots (bulkhead per tenant)', () => {
    it('queues a tenant over its cap without touching others, and answers 429 when its queue is full', async () => {
      const l = limits({ TENANT_MAX_CONCURRENT_TRANSACTIONS: '1', TENANT_MAX_QUEUED_REQUESTS: '1' });
      const order: string[] = [];
      let releaseFirst!: () => void;
      const first = l.withSlot(A, () =>
        new Promise<void>((resolve) => (releaseFirst = resolve)).then(() => order.push('a1')),
      );
      const second = l.withSlot(A, async () => order.push('a2'));
      await expect(l.withSlot(A, async () => 'a3')).rejects.toMatchObject({
        kind: 'tenantOverCapacity',
        headers: { 'Retry-After': '1' },
      });
      // Another clinic is not held up by A's queue.
      await expect(l.withSlot(B, async () => 'b1')).resolves.toBe('b1');
      expect(order).toEqual([]);
      releaseFirst();
      await Promise.all([first, second]);
      expect(order).toEqual(['a1', 'a2']);
      // All slots are free again.
      await expect(l.withSlot(A, async () => 'again')).resolves.toBe('again');
    });

    it('frees the slot when the work fails', async () => {
      const l = limits({ TENANT_MAX_CONCURRENT_TRANSACTIONS: '1', TENANT_MAX_QUEUED_REQUESTS: '0' });
      await expect(l.withSlot(A, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
      await expect(l.withSlot(A, async () => 'ok')).resolves.toBe('ok');
    });
  });
});
