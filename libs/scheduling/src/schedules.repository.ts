import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TxHost } from '@hims/database';

export interface ScheduleRow {
  doctor_id: string;
  doctor_name: string;
  department: string;
  slot_minutes: number;
  capacity: number;
  version: number;
  weekly: { weekday: number; start: string; end: string }[];
}

export interface ExceptionRow {
  id: string;
  kind: 'leave' | 'holiday';
  doctor_id: string | null;
  day: string;
  note: string | null;
}

const SCHEDULE_SELECT = `
  SELECT s.doctor_id, u.display_name AS doctor_name, s.department, s.slot_minutes, s.capacity, s.version,
         coalesce((SELECT jsonb_agg(jsonb_build_object('weekday', p.weekday, 'start', to_char(p.starts, 'HH24:MI'),
                                                       'end', to_char(p.ends, 'HH24:MI'))
                                    ORDER BY p.weekday, p.starts)
                     FROM clinical.schedule_periods p
                    WHERE p.tenant_id = s.tenant_id AND p.doctor_id = s.doctor_id), '[]'::jsonb) AS weekly
    FROM clinical.doctor_schedules s
    JOIN core.users u ON u.tenant_id = s.tenant_id AND u.id = s.doctor_id`;

/** Doctors' schedules and exceptions, in the caller's tenant transaction (RLS confines every statement). */
@Injectable()
export class SchedulesRepository {
  constructor(private readonly txHost: TransactionHost) {}

  private get tx() {
    return (this.txHost as TxHost).tx;
  }

  async find(doctorId: string, lock = false): Promise<ScheduleRow | undefined> {
    const [row] = await this.tx.query(
      `${SCHEDULE_SELECT} WHERE s.doctor_id = $1${lock ? ' FOR UPDATE OF s' : ''}`,
      [doctorId],
    );
    return row;
  }

  async list(department?: string): Promise<ScheduleRow[]> {
    return this.tx.query(`${SCHEDULE_SELECT} WHERE ($1::text IS NULL OR s.department = $1) ORDER BY s.department, s.doctor_id`, [
      department ?? null,
    ]);
  }

  async isActiveDoctor(userId: string): Promise<boolean> {
    const rows: unknown[] = await this.tx.query(
      `SELECT 1 FROM core.users WHERE id = $1 AND status = 'active' AND 'doctor' = ANY (roles)`,
      [userId],
    );
    return rows.length > 0;
  }

  /** Inserts or replaces the schedule; `expected` undefined inserts (conflict: someone created it first). */
  async save(
    tenantId: string,
    doctorId: string,
    s: { department: string; slotMinutes: number; capacity: number; weekly: ScheduleRow['weekly'] },
    expected: number | undefined,
    userId: string | null,
  ): Promise<number | undefined> {
    const rows: { version: number }[] =
      expected === undefined
        ? await this.tx.query(
            `INSERT INTO clinical.doctor_schedules (tenant_id, doctor_id, department, slot_minutes, capacity, updated_by)
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING version`,
            [tenantId, doctorId, s.department, s.slotMinutes, s.capacity, userId],
          )
        : await this.tx.query(
            `UPDATE clinical.doctor_schedules
                SET department = $3, slot_minutes = $4, capacity = $5, updated_by = $6, updated_at = now(), version = version + 1
              WHERE doctor_id = $2 AND version = $7 AND tenant_id = $1 RETURNING version`,
            [tenantId, doctorId, s.department, s.slotMinutes, s.capacity, userId, expected],
          );
    const updated = Array.isArray(rows[0]) ? (rows[0] as unknown as { version: number }[]) : rows;
    if (updated.length !== 1) return undefined;
    await this.tx.query(`DELETE FROM clinical.schedule_periods WHERE doctor_id = $1`, [doctorId]);
    if (s.weekly.length > 0) {
      await this.tx.query(
        `INSERT INTO clinical.schedule_periods (tenant_id, doctor_id, weekday, starts, ends)
         SELECT $1, $2, w.weekday, w.start::time, w.end::time
           FROM jsonb_to_recordset($3::jsonb) AS w(weekday smallint, start text, "end" text)`,
        [tenantId, doctorId, JSON.stringify(s.weekly)],
      );
    }
    return updated[0].version;
  }

  async insertException(
    tenantId: string,
    e: { kind: string; doctorId: string | null; day: string; note: string | null },
    userId: string | null,
  ): Promise<ExceptionRow | undefined> {
    const [row] = await this.tx.query(
      `INSERT INTO clinical.schedule_exceptions (tenant_id, kind, doctor_id, day, note, created_by)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING
       RETURNING id, kind, doctor_id, day::text AS day, note`,
      [tenantId, e.kind, e.doctorId, e.day, e.note, userId],
    );
    return row;
  }

  async deleteException(id: string): Promise<ExceptionRow | undefined> {
    const rows = await this.tx.query(
      `DELETE FROM clinical.schedule_exceptions WHERE id = $1 RETURNING id, kind, doctor_id, day::text AS day, note`,
      [id],
    );
    const list = Array.isArray(rows[0]) ? rows[0] : rows;
    return list[0];
  }

  async exceptions(from: string, to: string): Promise<ExceptionRow[]> {
    return this.tx.query(
      `SELECT id, kind, doctor_id, day::text AS day, note FROM clinical.schedule_exceptions
        WHERE day BETWEEN $1 AND $2 ORDER BY day, doctor_id NULLS FIRST`,
      [from, to],
    );
  }
}
