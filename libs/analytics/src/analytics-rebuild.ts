import type { DataSource } from 'typeorm';
import { asOwnerInTenant } from '@hims/database';

export interface AnalyticsRebuild {
  tenantId: string;
  /** Events of the projected types found in the tenant's audit trail. */
  events: number;
}

/** The projector's counters (analytics.projector.ts) as SQL: event type → metric. */
const COUNTERS: Record<string, string> = {
  'patient.registered': 'patient_registrations',
  'patient.deactivated': 'patient_deactivations',
  'user.logged_in': 'logins',
  'user.login_failed': 'login_failures',
};

const DAY = `(occurred_at AT TIME ZONE 'UTC')::date`;

/**
 * `analytics rebuild`: the projections recomputed from the database alone. Every outbox event
 * is also an entry of the tenant's audit trail (audit.capture_event: action = event type,
 * entity = aggregate, details = event id and payload), kept for good and hash-chained, while the
 * outbox is purged after an hour and Kafka forgets. So the tenant's aggregates are deleted and
 * recomputed from the audit trail in one transaction, and every event id is marked processed,
 * so an event the worker still receives counts as a duplicate. Days are UTC days of the audit
 * entry's time (the event's own time is microseconds earlier, in the same transaction).
 * A live event applied meanwhile either waits for this transaction (its processed_events row
 * conflicts) or committed before it (and is in the trail): counted once either way.
 */
export async function rebuildAnalytics(owner: DataSource, tenantIds?: string[]): Promise<AnalyticsRebuild[]> {
  const tenants =
    tenantIds ??
    ((await owner.query(`SELECT id FROM core.tenants ORDER BY id`)) as { id: string }[]).map((t) => t.id);
  const types = [...Object.keys(COUNTERS), 'visit.booked'];
  const results: AnalyticsRebuild[] = [];
  for (const tenantId of tenants) {
    const events = await asOwnerInTenant(owner, tenantId, async (tx) => {
      for (const table of ['daily_counters', 'daily_active_users', 'daily_visits'])
        await tx.query(`DELETE FROM analytics.${table} WHERE tenant_id = $1`, [tenantId]);
      const trail = `FROM audit.audit_log WHERE tenant_id = $1 AND action = ANY($2::text[]) AND details ? 'eventId'`;
      const [{ n }] = await tx.query(`SELECT count(*)::int AS n ${trail}`, [tenantId, types]);
      await tx.query(
        `INSERT INTO analytics.processed_events (tenant_id, event_id, event_type, occurred_at)
         SELECT tenant_id, (details->>'eventId')::uuid, action, occurred_at ${trail}
         ON CONFLICT (tenant_id, event_id) DO NOTHING`,
        [tenantId, types],
      );
      await tx.query(
        `INSERT INTO analytics.daily_counters (tenant_id, day, metric, count)
         SELECT $1, (a.occurred_at AT TIME ZONE 'UTC')::date, m.metric, count(DISTINCT a.details->>'eventId')
           FROM audit.audit_log a JOIN unnest($2::text[], $3::text[]) AS m (event_type, metric) ON m.event_type = a.action
          WHERE a.tenant_id = $1 AND a.details ? 'eventId'
          GROUP BY 2, 3`,
        [tenantId, Object.keys(COUNTERS), Object.values(COUNTERS)],
      );
      await tx.query(
        `INSERT INTO analytics.daily_active_users (tenant_id, day, user_id, first_seen_at)
         SELECT $1, ${DAY}, entity_id::uuid, min(occurred_at)
           FROM audit.audit_log WHERE tenant_id = $1 AND action = 'user.logged_in' AND details ? 'eventId' GROUP BY 2, 3`,
        [tenantId],
      );
      await tx.query(
        `INSERT INTO analytics.daily_visits (tenant_id, day, department, count)
         SELECT $1, ((details->'payload'->>'scheduledAt')::timestamptz AT TIME ZONE 'UTC')::date,
                details->'payload'->>'department', count(DISTINCT details->>'eventId')
           FROM audit.audit_log WHERE tenant_id = $1 AND action = 'visit.booked' AND details ? 'eventId' GROUP BY 2, 3`,
        [tenantId],
      );
      return n as number;
    });
    results.push({ tenantId, events });
  }
  return results;
}
