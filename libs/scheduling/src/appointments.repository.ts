import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TxHost } from '@hims/database';

export type AppointmentStatus = 'booked' | 'checked-in' | 'cancelled' | 'no-show';

export interface AppointmentRow {
  id: string;
  patient_id: string;
  patient_name: string | null;
  doctor_id: string;
  department: string;
  slot_start: Date;
  slot_end: Date;
  status: AppointmentStatus;
  cancel_reason: string | null;
  visit_id: string | null;
  version: number;
}

const SELECT = `
  SELECT a.id, a.patient_id, p.name_text AS patient_name, a.doctor_id, a.department, a.slot_start, a.slot_end,
         a.status, a.cancel_reason, a.visit_id, a.version
    FROM clinical.appointments a
    JOIN clinical.patients p ON p.tenant_id = a.tenant_id AND p.id = a.patient_id`;

@Injectable()
export class AppointmentsRepository {
  constructor(private readonly txHost: TransactionHost) {}

  private get tx() {
    return (this.txHost as TxHost).tx;
  }

  async find(id: string, lock = false): Promise<AppointmentRow | undefined> {
    const [row] = await this.tx.query(`${SELECT} WHERE a.id = $1${lock ? ' FOR UPDATE OF a' : ''}`, [id]);
    return row;
  }

  async listDay(day: string, timeZone: string, doctorId?: string, status?: string): Promise<AppointmentRow[]> {
    return this.tx.query(
      `${SELECT} WHERE a.slot_start >= ($1::date::timestamp AT TIME ZONE $2)
                   AND a.slot_start < (($1::date + 1)::timestamp AT TIME ZONE $2)
                   AND ($3::uuid IS NULL OR a.doctor_id = $3) AND ($4::text IS NULL OR a.status = $4)
       ORDER BY a.slot_start, a.doctor_id, a.created_at`,
      [day, timeZone, doctorId ?? null, status ?? null],
    );
  }

  async patientActive(patientId: string): Promise<boolean> {
    const rows: unknown[] = await this.tx.query(`SELECT 1 FROM clinical.patients WHERE id = $1 AND active`, [patientId]);
    return rows.length === 1;
  }

  async insert(
    tenantId: string,
    a: { patientId: string; doctorId: string; department: string; start: Date; end: Date },
    userId: string | null,
  ): Promise<string> {
    const [row] = await this.tx.query(
      `INSERT INTO clinical.appointments (tenant_id, patient_id, doctor_id, department, slot_start, slot_end, created_by, updated_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id`,
      [tenantId, a.patientId, a.doctorId, a.department, a.start, a.end, userId],
    );
    return row.id;
  }

  async update(
    id: string,
    version: number,
    changes: Partial<{
      doctor_id: string;
      department: string;
      slot_start: Date;
      slot_end: Date;
      status: AppointmentStatus;
      cancel_reason: string;
      visit_id: string;
    }>,
    userId: string | null,
  ): Promise<boolean> {
    const keys = Object.keys(changes) as (keyof typeof changes)[];
    const sets = keys.map((k, i) => `${k} = $${i + 4}`);
    const result = await this.tx.query(
      `UPDATE clinical.appointments SET ${[...sets, 'version = version + 1', 'updated_at = now()', 'updated_by = $3'].join(', ')}
        WHERE id = $1 AND version = $2 RETURNING id`,
      [id, version, userId, ...keys.map((k) => changes[k])],
    );
    const rows = Array.isArray(result[0]) ? result[0] : result;
    return rows.length === 1;
  }
}
