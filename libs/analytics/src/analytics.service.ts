import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TxHost } from '@hims/database';
import { ProblemException } from '@hims/errors';
import { TenantScope } from '@hims/tenancy';

export interface AnalyticsDay {
  day: string;
  registrations: number;
  logins: number;
  loginFailures: number;
  activeUsers: number;
}

export interface AnalyticsSummary {
  tenantId: string;
  from: string;
  to: string;
  totals: { registrations: number; logins: number; loginFailures: number; activeUsers: number };
  days: AnalyticsDay[];
}

export interface VisitDepartmentCount {
  department: string;
  visits: number;
}

export interface VisitAnalytics {
  tenantId: string;
  from: string;
  to: string;
  total: number;
  departments: VisitDepartmentCount[];
  days: { day: string; visits: number; departments: VisitDepartmentCount[] }[];
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** from/to as UTC days (defaults: the 30 days up to today), at most 366 days apart. */
function dayRange(from?: string, to?: string): { start: string; end: string } {
  const today = new Date().toISOString().slice(0, 10);
  const end = to ?? today;
  const start = from ?? new Date(Date.parse(`${end}T00:00:00Z`) - 29 * 86400000).toISOString().slice(0, 10);
  if (
    !DAY.test(start) ||
    !DAY.test(end) ||
    Number.isNaN(Date.parse(start)) ||
    Number.isNaN(Date.parse(end)) ||
    start > end
  ) {
    throw new ProblemException('badRequest', 'from and to must be YYYY-MM-DD days with from <= to');
  }
  if (Date.parse(end) - Date.parse(start) > 366 * 86400000) {
    throw new ProblemException('badRequest', 'the range may span at most 366 days');
  }
  return { start, end };
}

/** Reads the worker's aggregates for the caller's tenant (RLS). Days are UTC. */
@Injectable()
export class AnalyticsService {
  constructor(
    private readonly txHost: TransactionHost,
    private readonly scope: TenantScope,
  ) {}

  async summary(from?: string, to?: string): Promise<AnalyticsSummary> {
    const { start, end } = dayRange(from, to);
    const tx = (this.txHost as TxHost).tx;
    const days: {
      day: string;
      registrations: string;
      logins: string;
      login_failures: string;
      active_users: string;
    }[] = await tx.query(
      `WITH c AS (
           SELECT day,
                  sum(count) FILTER (WHERE metric = 'patient_registrations') AS registrations,
                  sum(count) FILTER (WHERE metric = 'logins') AS logins,
                  sum(count) FILTER (WHERE metric = 'login_failures') AS login_failures
             FROM analytics.daily_counters WHERE day BETWEEN $1 AND $2 GROUP BY day
         ), u AS (
           SELECT day, count(*) AS active_users FROM analytics.daily_active_users
            WHERE day BETWEEN $1 AND $2 GROUP BY day
         )
         SELECT to_char(coalesce(c.day, u.day), 'YYYY-MM-DD') AS day,
                coalesce(c.registrations, 0) AS registrations, coalesce(c.logins, 0) AS logins,
                coalesce(c.login_failures, 0) AS login_failures, coalesce(u.active_users, 0) AS active_users
           FROM c FULL JOIN u ON u.day = c.day
          ORDER BY 1`,
      [start, end],
    );
    const [{ distinct_users }] = await tx.query(
      `SELECT count(DISTINCT user_id) AS distinct_users FROM analytics.daily_active_users WHERE day BETWEEN $1 AND $2`,
      [start, end],
    );
    const mapped = days.map((d) => ({
      day: d.day,
      registrations: Number(d.registrations),
      logins: Number(d.logins),
      loginFailures: Number(d.login_failures),
      activeUsers: Number(d.active_users),
    }));
    const sum = (k: 'registrations' | 'logins' | 'loginFailures') => mapped.reduce((n, d) => n + d[k], 0);
    return {
      tenantId: this.scope.tenantId!,
      from: start,
      to: end,
      totals: {
        registrations: sum('registrations'),
        logins: sum('logins'),
        loginFailures: sum('loginFailures'),
        activeUsers: Number(distinct_users),
      },
      days: mapped,
    };
  }

  /** Booked visits per UTC day (of the visit's time) and department, kept by the worker from visit.booked. */
  async visits(from?: string, to?: string): Promise<VisitAnalytics> {
    const { start, end } = dayRange(from, to);
    const rows: { day: string; department: string; count: string }[] = await (this.txHost as TxHost).tx.query(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, department, count FROM analytics.daily_visits
        WHERE day BETWEEN $1 AND $2 ORDER BY day, department`,
      [start, end],
    );
    const days = new Map<string, { day: string; visits: number; departments: VisitDepartmentCount[] }>();
    const departments = new Map<string, number>();
    let total = 0;
    for (const r of rows) {
      const n = Number(r.count);
      const d = days.get(r.day) ?? { day: r.day, visits: 0, departments: [] };
      d.visits += n;
      d.departments.push({ department: r.department, visits: n });
      days.set(r.day, d);
      departments.set(r.department, (departments.get(r.department) ?? 0) + n);
      total += n;
    }
    return {
      tenantId: this.scope.tenantId!,
      from: start,
      to: end,
      total,
      departments: [...departments].map(([department, visits]) => ({ department, visits })),
      days: [...days.values()],
    };
  }
}
