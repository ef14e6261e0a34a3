import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TxHost } from '@hims/database';

export interface SlotRow {
  doctor_id: string;
  department: string;
  slot_start: Date;
  slot_end: Date;
  capacity: number;
  booked: number;
}

export interface SlotQuery {
  doctorId?: string;
  department?: string;
  /** Clinic local days, inclusive. */
  from: string;
  to: string;
  timeZone: string;
  /** Only slots with a free place, starting after now. */
  freeOnly: boolean;
  limit: number;
}

/**
 * Slots are computed, never stored: each schedule period of each day in the range is cut into
 * slot-length pieces in the clinic's local time (then turned into instants with AT TIME ZONE),
 * days with the doctor's leave or a clinic holiday are left out, and the booked count comes from
 * clinical.slot_bookings. One statement, bounded by the range, the doctor or department indexes.
 */
const SLOTS_SQL = `
  WITH days AS (
    SELECT d::date AS day FROM generate_series($3::date, $4::date, interval '1 day') AS d
  ), candidates AS (
    SELECT s.doctor_id, s.department, s.capacity,
           (g.local_start AT TIME ZONE $5) AS slot_start,
           ((g.local_start + make_interval(mins => s.slot_minutes)) AT TIME ZONE $5) AS slot_end
      FROM clinical.doctor_schedules s
      JOIN clinical.schedule_periods p ON p.tenant_id = s.tenant_id AND p.doctor_id = s.doctor_id
      JOIN days ON extract(isodow FROM days.day) = p.weekday
      CROSS JOIN LATERAL generate_series(days.day + p.starts,
                                         days.day + p.ends - make_interval(mins => s.slot_minutes),
                                         make_interval(mins => s.slot_minutes)) AS g(local_start)
     WHERE ($1::uuid IS NULL OR s.doctor_id = $1) AND ($2::text IS NULL OR s.department = $2)
       AND NOT EXISTS (SELECT 1 FROM clinical.schedule_exceptions e
                        WHERE e.tenant_id = s.tenant_id AND e.day = days.day
                          AND (e.doctor_id IS NULL OR e.doctor_id = s.doctor_id))
  )
  SELECT c.doctor_id, c.department, c.slot_start, c.slot_end, c.capacity, coalesce(b.booked, 0) AS booked
    FROM candidates c
    LEFT JOIN clinical.slot_bookings b
      ON b.tenant_id = (SELECT NULLIF(current_setting('app.current_tenant', true), '')::uuid)
     AND b.doctor_id = c.doctor_id AND b.slot_start = c.slot_start
   WHERE NOT $6::boolean OR (c.slot_start > now() AND coalesce(b.booked, 0) < c.capacity)
   ORDER BY c.slot_start, c.doctor_id
   LIMIT $7`;

@Injectable()
export class SlotsRepository {
  constructor(private readonly txHost: TransactionHost) {}

  private get tx() {
    return (this.txHost as TxHost).tx;
  }

  /**
   * The first week first, then the rest of the range only if the week did not fill `limit`: a
   * clinic's first free places lie in its first days, so a month's search for a whole clinic
   * rarely generates the whole month (a 20-doctor month is ~17 000 candidate slots), while one
   * doctor's month costs two statements.
   */
  async search(q: SlotQuery): Promise<SlotRow[]> {
    const found: SlotRow[] = [];
    let from = q.from;
    for (let window = 0; from <= q.to && found.length < q.limit; window++) {
      const to = window === 0 ? minDay(addDays(from, 6), q.to) : q.to;
      const rows: SlotRow[] = await this.tx.query(SLOTS_SQL, [
        q.doctorId ?? null,
        q.department ?? null,
        from,
        to,
        q.timeZone,
        q.freeOnly,
        q.limit - found.length,
      ]);
      found.push(...rows.map((r) => ({ ...r, capacity: Number(r.capacity), booked: Number(r.booked) })));
      from = addDays(to, 1);
    }
    return found;
  }

  /** The doctor's slot starting exactly at `start` (any booked count), if the schedule has one. */
  async slotAt(doctorId: string, start: Date, timeZone: string): Promise<SlotRow | undefined> {
    const [day] = await this.tx.query(`SELECT ($1::timestamptz AT TIME ZONE $2)::date::text AS day`, [start, timeZone]);
    const rows = await this.search({
      doctorId,
      from: day.day,
      to: day.day,
      timeZone,
      freeOnly: false,
      limit: 2000,
    });
    return rows.find((r) => new Date(r.slot_start).getTime() === start.getTime());
  }

  /** Takes one place of the slot if one is free: false when the slot is full (the counter row serialises bookers). */
  async take(tenantId: string, doctorId: string, start: Date, capacity: number): Promise<boolean> {
    const rows = await this.tx.query(
      `INSERT INTO clinical.slot_bookings AS b (tenant_id, doctor_id, slot_start, booked) VALUES ($1, $2, $3, 1)
       ON CONFLICT (tenant_id, doctor_id, slot_start) DO UPDATE SET booked = b.booked + 1 WHERE b.booked < $4
       RETURNING booked`,
      [tenantId, doctorId, start, capacity],
    );
    return rows.length === 1;
  }

  async release(doctorId: string, start: Date): Promise<void> {
    await this.tx.query(
      `UPDATE clinical.slot_bookings SET booked = booked - 1 WHERE doctor_id = $1 AND slot_start = $2 AND booked > 0`,
      [doctorId, start],
    );
  }
}

/** YYYY-MM-DD arithmetic on calendar days (UTC noon keeps it clear of any offset). */
function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T12:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

const minDay = (a: string, b: string) => (a < b ? a : b);
