import { Injectable } from '@nestjs/common';
import { TxRepository } from '@hims/database';
import { CURRENT_TENANT, CURRENT_USER, integers, returned } from './billing-rules';

export interface Shift {
  id: string;
  userId: string;
  openedAt: string;
  openingFloatPaise: number;
  closedAt: string | null;
  countedCashPaise: number | null;
  expectedCashPaise: number | null;
  differencePaise: number | null;
  closeNote: string | null;
  /** Cash taken minus cash given back during the shift (so far). */
  cashMovementPaise: number;
  version: number;
}

export interface CollectionRow {
  userId: string;
  userName: string;
  mode: string;
  collectedPaise: number;
  refundedPaise: number;
  netPaise: number;
  count: number;
}

const SHIFT = `s.id, s.user_id AS "userId", s.opened_at AS "openedAt", s.opening_float_paise AS "openingFloatPaise",
  s.closed_at AS "closedAt", s.counted_cash_paise AS "countedCashPaise", s.expected_cash_paise AS "expectedCashPaise",
  s.difference_paise AS "differencePaise", s.close_note AS "closeNote", s.version,
  coalesce((SELECT sum(l.amount_paise) FROM billing.ledger l
             WHERE l.tenant_id = s.tenant_id AND l.shift_id = s.id AND l.mode = 'cash'), 0) AS "cashMovementPaise"`;
const iso = (d: unknown) => (d === null || d === undefined ? null : new Date(d as string).toISOString());
const shift = (r: Shift): Shift => ({
  ...integers(r, [
    'openingFloatPaise',
    'countedCashPaise',
    'expectedCashPaise',
    'differencePaise',
    'cashMovementPaise',
  ]),
  openedAt: iso(r.openedAt)!,
  closedAt: iso(r.closedAt),
});

/** SQL for billing.shifts and the day's collections from billing.ledger. */
@Injectable()
export class ShiftsRepository extends TxRepository {
  async open(floatPaise: number): Promise<Shift | undefined> {
    const rows: { id: string }[] = await this.tx.query(
      `INSERT INTO billing.shifts (tenant_id, user_id, opening_float_paise) VALUES (${CURRENT_TENANT}, ${CURRENT_USER}, $1)
       ON CONFLICT (tenant_id, user_id) WHERE closed_at IS NULL DO NOTHING RETURNING id`,
      [floatPaise],
    );
    return rows[0] && this.find(rows[0].id);
  }

  async current(): Promise<Shift | undefined> {
    const rows: Shift[] = await this.tx.query(
      `SELECT ${SHIFT} FROM billing.shifts s WHERE s.tenant_id = ${CURRENT_TENANT} AND s.user_id = ${CURRENT_USER}
          AND s.closed_at IS NULL`,
    );
    return rows[0] && shift(rows[0]);
  }

  async find(id: string, lock = false): Promise<Shift | undefined> {
    if (lock)
      await this.tx.query(
        `SELECT 1 FROM billing.shifts WHERE tenant_id = ${CURRENT_TENANT} AND id = $1 FOR UPDATE`,
        [id],
      );
    const rows: Shift[] = await this.tx.query(
      `SELECT ${SHIFT} FROM billing.shifts s WHERE s.tenant_id = ${CURRENT_TENANT} AND s.id = $1`,
      [id],
    );
    return rows[0] && shift(rows[0]);
  }

  async close(
    id: string,
    expected: number,
    counted: number,
    note: string | null,
  ): Promise<Shift | undefined> {
    const rows = await this.tx.query(
      `UPDATE billing.shifts SET closed_at = now(), counted_cash_paise = $2, expected_cash_paise = $3,
              difference_paise = $2::bigint - $3::bigint, close_note = $4, version = version + 1
        WHERE tenant_id = ${CURRENT_TENANT} AND id = $1 AND closed_at IS NULL RETURNING id`,
      [id, counted, expected, note],
    );
    const row = returned<{ id: string }>(rows)[0];
    return row && this.find(row.id);
  }

  async dayShifts(day: string, tz: string): Promise<Shift[]> {
    const rows: Shift[] = await this.tx.query(
      `SELECT ${SHIFT} FROM billing.shifts s WHERE s.tenant_id = ${CURRENT_TENANT}
          AND (s.opened_at AT TIME ZONE $2)::date = $1::date ORDER BY s.opened_at, s.id`,
      [day, tz],
    );
    return rows.map(shift);
  }

  /** Money taken and given back on the clinic's local day, by user and mode (advance moves are not money). */
  async collections(day: string, tz: string): Promise<CollectionRow[]> {
    const rows: CollectionRow[] = await this.tx.query(
      `SELECT l.created_by AS "userId", coalesce(u.display_name, '') AS "userName", l.mode,
              sum(greatest(l.amount_paise, 0)) AS "collectedPaise", -sum(least(l.amount_paise, 0)) AS "refundedPaise",
              sum(l.amount_paise) AS "netPaise", count(*)::int AS count
         FROM billing.ledger l LEFT JOIN core.users u ON u.tenant_id = l.tenant_id AND u.id = l.created_by
        WHERE l.tenant_id = ${CURRENT_TENANT} AND l.mode IS NOT NULL
          AND l.created_at >= ($1::date)::timestamp AT TIME ZONE $2
          AND l.created_at < ($1::date + 1)::timestamp AT TIME ZONE $2
        GROUP BY l.created_by, u.display_name, l.mode ORDER BY u.display_name, l.created_by, l.mode`,
      [day, tz],
    );
    return rows.map((r) => integers(r, ['collectedPaise', 'refundedPaise', 'netPaise']));
  }

  /** Invoices finalised on the day (not credit notes) and credit notes issued on it. */
  async billed(
    day: string,
    tz: string,
  ): Promise<{ invoices: number; invoicedPaise: number; creditNotes: number; creditedPaise: number }> {
    const rows = await this.tx.query(
      `SELECT count(*) FILTER (WHERE kind = 'invoice')::int AS invoices,
              coalesce(sum(total_paise) FILTER (WHERE kind = 'invoice'), 0) AS "invoicedPaise",
              count(*) FILTER (WHERE kind = 'credit_note')::int AS "creditNotes",
              coalesce(sum(total_paise) FILTER (WHERE kind = 'credit_note'), 0) AS "creditedPaise"
         FROM billing.invoices WHERE tenant_id = ${CURRENT_TENANT} AND finalised_at IS NOT NULL
          AND finalised_at >= ($1::date)::timestamp AT TIME ZONE $2
          AND finalised_at < ($1::date + 1)::timestamp AT TIME ZONE $2`,
      [day, tz],
    );
    return integers(rows[0], ['invoicedPaise', 'creditedPaise']);
  }
}
