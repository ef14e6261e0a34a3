import { Injectable } from '@nestjs/common';
import { AuditRecorder } from '@hims/audit';
import { OutboxWriter } from '@hims/events';
import { TenantScope } from '@hims/tenancy';
import { BILLING_ROLES, conflict, notFound, requireRole } from './billing-rules';
import { DEFAULT_TIME_ZONE, localDay } from './fiscal';
import { CollectionRow, Shift, ShiftsRepository } from './shifts.repository';

export interface DayReport {
  day: string;
  timeZone: string;
  collections: CollectionRow[];
  byMode: { mode: string; collectedPaise: number; refundedPaise: number; netPaise: number }[];
  totals: { collectedPaise: number; refundedPaise: number; netPaise: number };
  billed: { invoices: number; invoicedPaise: number; creditNotes: number; creditedPaise: number };
  shifts: Shift[];
}

/**
 * The cashier's day: a shift opens with a float and closes with the cash counted; the
 * expected cash is the float plus the shift's cash ledger rows, and the difference is kept.
 * The day report sums the ledger on the clinic's local day, by user and by mode.
 */
@Injectable()
export class ShiftsService {
  constructor(
    private readonly repo: ShiftsRepository,
    private readonly audit: AuditRecorder,
    private readonly scope: TenantScope,
    private readonly outbox: OutboxWriter,
  ) {}

  private get timeZone(): string {
    const tz = this.scope.state.tenant?.settings?.timeZone;
    return typeof tz === 'string' && tz ? tz : DEFAULT_TIME_ZONE;
  }

  async open(floatPaise: number): Promise<Shift> {
    requireRole(this.scope.roles, BILLING_ROLES.counter, 'open a cashier shift');
    const shift = await this.repo.open(floatPaise);
    if (!shift) throw conflict('You already have an open shift; close it first');
    await this.audit.record({ action: 'open_shift', entityType: 'shift', entityId: shift.id });
    await this.outbox.append({
      aggregateType: 'billing',
      aggregateId: shift.id,
      eventType: 'billing.shift_opened',
      payload: { shiftId: shift.id, userId: shift.userId, openingFloatPaise: shift.openingFloatPaise },
    });
    return shift;
  }

  async current(): Promise<Shift | null> {
    requireRole(this.scope.roles, BILLING_ROLES.counter, 'read cashier shifts');
    return (await this.repo.current()) ?? null;
  }

  async close(id: string, countedCashPaise: number, note: string | null): Promise<Shift> {
    requireRole(this.scope.roles, BILLING_ROLES.counter, 'close a cashier shift');
    const shift = await this.repo.find(id, true);
    if (!shift) throw notFound('shift');
    if (shift.userId !== this.scope.userId && !this.scope.roles.includes('tenant_admin')) {
      throw notFound('shift');
    }
    if (shift.closedAt) throw conflict('This shift is already closed');
    const expected = shift.openingFloatPaise + shift.cashMovementPaise;
    const closed = (await this.repo.close(id, expected, countedCashPaise, note))!;
    await this.audit.record({
      action: 'close_shift',
      entityType: 'shift',
      entityId: id,
      details: { differencePaise: closed.differencePaise },
    });
    await this.outbox.append({
      aggregateType: 'billing',
      aggregateId: id,
      eventType: 'billing.shift_closed',
      payload: {
        shiftId: id,
        userId: closed.userId,
        expectedCashPaise: closed.expectedCashPaise,
        countedCashPaise: closed.countedCashPaise,
        differencePaise: closed.differencePaise,
      },
    });
    return closed;
  }

  async dayReport(day?: string): Promise<DayReport> {
    requireRole(this.scope.roles, BILLING_ROLES.counter, "read the day's collections");
    const tz = this.timeZone;
    const d = day ?? localDay(new Date(), tz);
    const collections = await this.repo.collections(d, tz);
    const modes = new Map<
      string,
      { mode: string; collectedPaise: number; refundedPaise: number; netPaise: number }
    >();
    for (const c of collections) {
      const m = modes.get(c.mode) ?? { mode: c.mode, collectedPaise: 0, refundedPaise: 0, netPaise: 0 };
      m.collectedPaise += c.collectedPaise;
      m.refundedPaise += c.refundedPaise;
      m.netPaise += c.netPaise;
      modes.set(c.mode, m);
    }
    const byMode = [...modes.values()].sort((a, b) => a.mode.localeCompare(b.mode));
    const sum = (f: (m: (typeof byMode)[number]) => number) => byMode.reduce((a, m) => a + f(m), 0);
    await this.audit.record({ action: 'day_report', entityType: 'billing_day', entityId: d });
    return {
      day: d,
      timeZone: tz,
      collections,
      byMode,
      totals: {
        collectedPaise: sum((m) => m.collectedPaise),
        refundedPaise: sum((m) => m.refundedPaise),
        netPaise: sum((m) => m.netPaise),
      },
      billed: await this.repo.billed(d, tz),
      shifts: await this.repo.dayShifts(d, tz),
    };
  }
}

/** The day report as CSV: one row per user and mode, then a total row per mode (amounts in rupees, two decimals). */
export function dayReportCsv(r: DayReport): string {
  const rupees = (p: number) =>
    `${p < 0 ? '-' : ''}${Math.floor(Math.abs(p) / 100)}.${String(Math.abs(p) % 100).padStart(2, '0')}`;
  const cell = (v: string) =>
    /[",\n]/.test(v) || /^[=+\-@]/.test(v) ? `"${v.replace(/^([=+\-@])/, "'$1").replace(/"/g, '""')}"` : v;
  const lines = ['day,user,mode,count,collected,refunded,net'];
  for (const c of r.collections) {
    lines.push(
      [
        r.day,
        cell(c.userName),
        c.mode,
        String(c.count),
        rupees(c.collectedPaise),
        rupees(c.refundedPaise),
        rupees(c.netPaise),
      ].join(','),
    );
  }
  for (const m of r.byMode) {
    lines.push(
      [r.day, 'ALL', m.mode, '', rupees(m.collectedPaise), rupees(m.refundedPaise), rupees(m.netPaise)].join(
        ',',
      ),
    );
  }
  lines.push(
    [
      r.day,
      'ALL',
      'ALL',
      '',
      rupees(r.totals.collectedPaise),
      rupees(r.totals.refundedPaise),
      rupees(r.totals.netPaise),
    ].join(','),
  );
  return lines.join('\r\n') + '\r\n';
}
