import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TxHost } from '@hims/database';
import { TenantScope } from '@hims/tenancy';

/** The parts of a captured outbox event analytics needs (see apps/worker). */
export interface AnalyticsEvent {
  eventId: string;
  tenantId: string;
  aggregateType: string;
  aggregateId: string;
  eventType: string;
  occurredAt: string | null;
  actorId?: string | null;
  requestId?: string | null;
  /** Read for visit.booked (department, scheduledAt) and billing.invoice_finalised / _cancelled (department, totalPaise). */
  payload?: unknown;
}

export type ProjectionOutcome = 'applied' | 'duplicate' | 'ignored' | 'unknown-tenant';

export class InvalidAnalyticsEventError extends Error {
  readonly permanent = true;
}

/** event type → daily counter it increments (and whether it marks the user active that day). */
const PROJECTIONS: Record<string, { metric: string; activeUser?: boolean }> = {
  'patient.registered': { metric: 'patient_registrations' },
  'patient.deactivated': { metric: 'patient_deactivations' },
  'user.logged_in': { metric: 'logins', activeUser: true },
  'user.login_failed': { metric: 'login_failures' },
};

/** visit.booked → analytics.daily_visits, by the UTC day of the visit's scheduled time and its department. */
const VISIT_BOOKED = 'visit.booked';

/** billing.invoice_finalised / _cancelled → analytics.daily_revenue by department (docs/billing.md). */
const REVENUE_EVENTS = ['billing.invoice_finalised', 'billing.invoice_cancelled'];

export const PROJECTED_EVENT_TYPES = [...Object.keys(PROJECTIONS), VISIT_BOOKED, ...REVENUE_EVENTS];

/** Department and signed total of a finalised invoice or of the credit note that cancels one. */
function revenueOf(
  eventType: string,
  payload: unknown,
): { department: string; totalPaise: number; credit: boolean } {
  const p = payload as { department?: unknown; totalPaise?: unknown } | null;
  const department =
    typeof p?.department === 'string' && p.department.length >= 1 ? p.department.slice(0, 100) : '(none)';
  if (!Number.isSafeInteger(p?.totalPaise))
    throw new InvalidAnalyticsEventError(`${eventType} without an integer totalPaise`);
  return {
    department,
    totalPaise: p!.totalPaise as number,
    credit: eventType === 'billing.invoice_cancelled',
  };
}

/** Department and day of a visit.booked payload (contracts/events/visit.booked.schema.json). */
function bookedVisit(payload: unknown): { department: string; day: string } {
  const p = payload as { department?: unknown; scheduledAt?: unknown } | null;
  const department = p?.department;
  if (typeof department !== 'string' || department.length < 1 || department.length > 100)
    throw new InvalidAnalyticsEventError('visit.booked without a valid department');
  const at = typeof p?.scheduledAt === 'string' ? new Date(p.scheduledAt) : null;
  if (!at || Number.isNaN(at.getTime()))
    throw new InvalidAnalyticsEventError('visit.booked without a valid scheduledAt');
  return { department, day: at.toISOString().slice(0, 10) };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Per-tenant aggregates from the event stream. Each event is applied in one
 * transaction in its tenant (RLS): the processed_events insert and the
 * counter updates commit together or not at all, so a redelivered event
 * (at-least-once) finds its id already there and changes nothing. Days are
 * UTC days of the event's occurred_at.
 */
@Injectable()
export class AnalyticsProjector {
  constructor(
    private readonly scope: TenantScope,
    private readonly txHost: TransactionHost,
  ) {}

  async handle(event: AnalyticsEvent): Promise<ProjectionOutcome> {
    const projection = PROJECTIONS[event.eventType];
    const visit = event.eventType === VISIT_BOOKED ? bookedVisit(event.payload) : undefined;
    const revenue = REVENUE_EVENTS.includes(event.eventType)
      ? revenueOf(event.eventType, event.payload)
      : undefined;
    if (!projection && !visit && !revenue) return 'ignored';
    if (!UUID.test(event.eventId ?? '')) throw new InvalidAnalyticsEventError('event id is not a uuid');
    const occurredAt = event.occurredAt ? new Date(event.occurredAt) : null;
    if (!occurredAt || Number.isNaN(occurredAt.getTime()))
      throw new InvalidAnalyticsEventError('occurredAt is missing or invalid');
    if (projection?.activeUser && !UUID.test(event.aggregateId ?? '')) {
      throw new InvalidAnalyticsEventError('user event without a user id');
    }

    return this.scope.run({ tenantId: event.tenantId, requestId: event.requestId ?? null }, async () => {
      const tx = (this.txHost as TxHost).tx;
      const tenant = await tx.query(`SELECT 1 FROM core.tenants WHERE id = $1`, [event.tenantId]);
      if (tenant.length === 0) return 'unknown-tenant';
      const fresh = await tx.query(
        `INSERT INTO analytics.processed_events (tenant_id, event_id, event_type, occurred_at)
         VALUES ($1, $2, $3, $4) ON CONFLICT (tenant_id, event_id) DO NOTHING RETURNING 1`,
        [event.tenantId, event.eventId, event.eventType, occurredAt],
      );
      if (fresh.length === 0) return 'duplicate';
      if (visit) {
        await tx.query(
          `INSERT INTO analytics.daily_visits (tenant_id, day, department, count) VALUES ($1, $2, $3, 1)
           ON CONFLICT (tenant_id, day, department) DO UPDATE SET count = analytics.daily_visits.count + 1, updated_at = now()`,
          [event.tenantId, visit.day, visit.department],
        );
        return 'applied';
      }
      if (revenue) {
        await tx.query(
          `INSERT INTO analytics.daily_revenue (tenant_id, day, department, invoices, credit_notes, revenue_paise)
           VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (tenant_id, day, department) DO UPDATE
             SET invoices = analytics.daily_revenue.invoices + EXCLUDED.invoices,
                 credit_notes = analytics.daily_revenue.credit_notes + EXCLUDED.credit_notes,
                 revenue_paise = analytics.daily_revenue.revenue_paise + EXCLUDED.revenue_paise, updated_at = now()`,
          [
            event.tenantId,
            occurredAt.toISOString().slice(0, 10),
            revenue.department,
            revenue.credit ? 0 : 1,
            revenue.credit ? 1 : 0,
            revenue.totalPaise,
          ],
        );
        return 'applied';
      }
      if (!projection) return 'ignored';
      const day = occurredAt.toISOString().slice(0, 10);
      await tx.query(
        `INSERT INTO analytics.daily_counters (tenant_id, day, metric, count) VALUES ($1, $2, $3, 1)
         ON CONFLICT (tenant_id, day, metric) DO UPDATE SET count = analytics.daily_counters.count + 1, updated_at = now()`,
        [event.tenantId, day, projection.metric],
      );
      if (projection.activeUser) {
        await tx.query(
          `INSERT INTO analytics.daily_active_users (tenant_id, day, user_id, first_seen_at) VALUES ($1, $2, $3, $4)
           ON CONFLICT (tenant_id, day, user_id) DO UPDATE
             SET first_seen_at = least(analytics.daily_active_users.first_seen_at, EXCLUDED.first_seen_at)`,
          [event.tenantId, day, event.aggregateId, occurredAt],
        );
      }
      return 'applied';
    });
  }
}
