/**
 * Needs: the project's PostgreSQL 15 (test database).
 * `analytics rebuild` recomputes a tenant's projections from the database (the audit trail
 * holds every outbox event) and ends equal to what the live projector built from the same
 * events, delivered as the worker delivers them (some twice); another tenant's aggregates
 * are left alone.
 */
import { randomUUID } from 'node:crypto';
import { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { AnalyticsProjector, AnalyticsProjectorModule, rebuildAnalytics } from '../../libs/analytics/src';
import { APP_CONFIG, ConfigModule, loadConfig } from '../../libs/config/src';
import { DatabaseModule } from '../../libs/database/src';
import { createDataSource } from '../../libs/database/src/data-source';
import { appUrl, ownerUrl, platformUrl } from '../support/env';
import { asTenant, newTenant } from '../support/fixtures';

describe('analytics rebuild from the database equals the live projection', () => {
  let owner: DataSource;
  let ctx: INestApplicationContext;
  let projector: AnalyticsProjector;

  beforeAll(async () => {
    owner = await createDataSource(ownerUrl(), 2).initialize();
    const config = loadConfig({ ...process.env, DATABASE_URL: appUrl(), DATABASE_OWNER_URL: ownerUrl(), DATABASE_PLATFORM_URL: platformUrl() });
    const ref = await Test.createTestingModule({ imports: [ConfigModule, DatabaseModule, AnalyticsProjectorModule] })
      .overrideProvider(APP_CONFIG)
      .useValue(config)
      .compile();
    ctx = await ref.init();
    projector = ctx.get(AnalyticsProjector);
  });
  afterAll(async () => {
    await ctx?.close();
    await owner?.destroy();
  });

  /** Writes outbox events as the application does (the audit trigger records each); the rows as the worker receives them. */
  async function emit(tenantId: string, events: { type: string; aggregate: string; id?: string; payload?: object }[]) {
    return asTenant(owner, tenantId, async (tx) => {
      const rows = [];
      for (const e of events) {
        const [row] = await tx.query(
          `INSERT INTO events.outbox (tenant_id, aggregate_type, aggregate_id, event_type, payload)
           VALUES ($1, $2, $3, $4, $5) RETURNING id, aggregate_id, occurred_at`,
          [tenantId, e.aggregate, e.id ?? randomUUID(), e.type, JSON.stringify(e.payload ?? {})],
        );
        rows.push({ eventId: row.id, tenantId, aggregateType: e.aggregate, aggregateId: row.aggregate_id, eventType: e.type, occurredAt: new Date(row.occurred_at).toISOString(), payload: e.payload ?? {} });
      }
      return rows;
    });
  }

  async function projections(tenantId: string) {
    return asTenant(owner, tenantId, async (tx) => ({
      counters: await tx.query(`SELECT day::text, metric, count::int FROM analytics.daily_counters ORDER BY 1, 2`),
      activeUsers: await tx.query(`SELECT day::text, user_id FROM analytics.daily_active_users ORDER BY 1, 2`),
      visits: await tx.query(`SELECT day::text, department, count::int FROM analytics.daily_visits ORDER BY 1, 2`),
      firstSeen: await tx.query(`SELECT day::text, user_id, first_seen_at FROM analytics.daily_active_users ORDER BY 1, 2`),
    }));
  }

  it('rebuilds the counters, active users and visit counts of one tenant, and only that tenant', async () => {
    const [a, b] = [await newTenant(owner, 'rebuild-a'), await newTenant(owner, 'rebuild-b')];
    const user = randomUUID();
    const stream = async (tenantId: string) =>
      emit(tenantId, [
        { type: 'patient.registered', aggregate: 'patient' },
        { type: 'patient.registered', aggregate: 'patient' },
        { type: 'patient.deactivated', aggregate: 'patient' },
        { type: 'user.logged_in', aggregate: 'user', id: user },
        { type: 'user.logged_in', aggregate: 'user', id: user },
        { type: 'user.logged_in', aggregate: 'user' },
        { type: 'user.login_failed', aggregate: 'user' },
        { type: 'visit.booked', aggregate: 'visit', payload: { department: 'Cardiology', scheduledAt: '2026-12-09T04:00:00.000Z' } },
        { type: 'visit.booked', aggregate: 'visit', payload: { department: 'Cardiology', scheduledAt: '2026-12-09T05:00:00.000Z' } },
        { type: 'visit.booked', aggregate: 'visit', payload: { department: 'General', scheduledAt: '2026-12-10T05:00:00.000Z' } },
        { type: 'patient.updated', aggregate: 'patient' }, // not projected
      ]);
    const eventsA = await stream(a.id);
    const eventsB = await stream(b.id);
    // The live projection, as the worker applies them: at least once (a redelivery counts once).
    for (const e of [...eventsA, ...eventsB, eventsA[0], eventsB[3]]) await projector.handle(e);
    const liveA = await projections(a.id);
    const liveB = await projections(b.id);
    expect(liveA.counters).toEqual(expect.arrayContaining([expect.objectContaining({ metric: 'patient_registrations', count: 2 }), expect.objectContaining({ metric: 'logins', count: 3 })]));
    expect(liveA.visits.map((v: { count: number }) => v.count)).toEqual([2, 1]);

    // Damage A's aggregates (as a bug or a lost Kafka topic would), then rebuild A alone.
    await asTenant(owner, a.id, (tx) => tx.query(`UPDATE analytics.daily_counters SET count = count + 40; DELETE FROM analytics.daily_visits`));
    const [result] = await rebuildAnalytics(owner, [a.id]);
    expect(result).toEqual({ tenantId: a.id, events: 10 });

    const rebuiltA = await projections(a.id);
    expect({ counters: rebuiltA.counters, activeUsers: rebuiltA.activeUsers, visits: rebuiltA.visits }).toEqual({
      counters: liveA.counters,
      activeUsers: liveA.activeUsers,
      visits: liveA.visits,
    });
    // first_seen_at comes from the audit entry, appended in the same transaction right after the outbox row.
    rebuiltA.firstSeen.forEach((r: { first_seen_at: Date }, i: number) => {
      const live = (liveA.firstSeen[i] as { first_seen_at: Date }).first_seen_at.getTime();
      expect(r.first_seen_at.getTime() - live).toBeGreaterThanOrEqual(0);
      expect(r.first_seen_at.getTime() - live).toBeLessThan(1000);
    });
    expect(await projections(b.id)).toEqual(liveB);

    // After the rebuild, a redelivered event is a duplicate: it is in the rebuilt totals already.
    expect(await projector.handle(eventsA[1])).toBe('duplicate');
  });
});
