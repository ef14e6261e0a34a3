import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TxHost } from '@hims/database';

export type QueueStatus = 'waiting' | 'called' | 'in-consultation' | 'done' | 'skipped' | 'recalled';
export type QueueSource = 'walk-in' | 'appointment' | 'scan-share';

export interface QueueEntryRow {
  id: string;
  service_day: string;
  lane: string;
  doctor_id: string | null;
  doctor_name: string | null;
  token: number;
  patient_id: string | null;
  patient_name: string | null;
  appointment_id: string | null;
  visit_id: string | null;
  source: QueueSource;
  status: QueueStatus;
  position: number;
  reorder_reason: string | null;
  joined_at: Date;
  called_at: Date | null;
  started_at: Date | null;
  ended_at: Date | null;
  version: number;
}

const SELECT = `
  SELECT e.id, e.service_day::text AS service_day, e.lane, e.doctor_id, u.display_name AS doctor_name, e.token, e.patient_id, p.name_text AS patient_name,
         e.appointment_id, e.visit_id, e.source, e.status, e.position, e.reorder_reason, e.joined_at, e.called_at,
         e.started_at, e.ended_at, e.version
    FROM clinical.queue_entries e
    LEFT JOIN clinical.patients p ON p.tenant_id = e.tenant_id AND p.id = e.patient_id
    LEFT JOIN core.users u ON u.tenant_id = e.tenant_id AND u.id = e.doctor_id`;

/** The OPD queue's rows, in the caller's tenant transaction (RLS confines every statement). */
@Injectable()
export class QueueRepository {
  constructor(private readonly txHost: TransactionHost) {}

  private get tx() {
    return (this.txHost as TxHost).tx;
  }

  /** Today in the clinic's time zone. */
  async today(timeZone: string): Promise<string> {
    const [row] = await this.tx.query(`SELECT (now() AT TIME ZONE $1)::date::text AS day`, [timeZone]);
    return row.day;
  }

  /**
   * The next token of a lane's day: one upsert of the (tenant, lane, day) counter row. Two
   * requests of the same lane wait for each other on that row only (not on the clinic), and
   * the counter never hands out a number twice.
   */
  async nextToken(tenantId: string, lane: string, day: string): Promise<number> {
    const [row] = await this.tx.query(
      `INSERT INTO clinical.queue_counters AS c (tenant_id, lane, service_day, last_token) VALUES ($1, $2, $3, 1)
       ON CONFLICT (tenant_id, lane, service_day) DO UPDATE SET last_token = c.last_token + 1
       RETURNING last_token`,
      [tenantId, lane, day],
    );
    return row.last_token;
  }

  async insert(
    tenantId: string,
    e: {
      day: string;
      lane: string;
      doctorId: string | null;
      token: number;
      patientId: string | null;
      appointmentId: string | null;
      visitId: string | null;
      source: QueueSource;
    },
    userId: string | null,
  ): Promise<string> {
    const [row] = await this.tx.query(
      `INSERT INTO clinical.queue_entries (tenant_id, service_day, lane, doctor_id, token, patient_id, appointment_id, visit_id,
                                           source, position, updated_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
      // A new entry goes to the end: its position is its token (reordering moves it between others).
      [tenantId, e.day, e.lane, e.doctorId, e.token, e.patientId, e.appointmentId, e.visitId, e.source, e.token, userId],
    );
    return row.id;
  }

  async find(id: string, lock = false): Promise<QueueEntryRow | undefined> {
    const [row] = await this.tx.query(`${SELECT} WHERE e.id = $1${lock ? ' FOR UPDATE OF e' : ''}`, [id]);
    return row;
  }

  async byAppointment(appointmentId: string): Promise<QueueEntryRow | undefined> {
    const [row] = await this.tx.query(`${SELECT} WHERE e.appointment_id = $1`, [appointmentId]);
    return row;
  }

  /** A lane's day in queue order: waiting by position, the rest after. */
  async lane(lane: string, day: string): Promise<QueueEntryRow[]> {
    return this.tx.query(`${SELECT} WHERE e.lane = $1 AND e.service_day = $2 ORDER BY e.position, e.token`, [lane, day]);
  }

  async day(day: string): Promise<QueueEntryRow[]> {
    return this.tx.query(`${SELECT} WHERE e.service_day = $1 ORDER BY e.lane, e.position, e.token`, [day]);
  }

  /** The first waiting entry of the lane, locked; one that another caller holds is passed over. */
  async firstWaiting(lane: string, day: string): Promise<QueueEntryRow | undefined> {
    const [row] = await this.tx.query(
      `${SELECT} WHERE e.lane = $1 AND e.service_day = $2 AND e.status = 'waiting'
        ORDER BY e.position, e.token LIMIT 1 FOR UPDATE OF e SKIP LOCKED`,
      [lane, day],
    );
    return row;
  }

  async update(
    id: string,
    version: number,
    changes: Partial<{ status: QueueStatus; position: number; reorder_reason: string; stamp: 'called_at' | 'started_at' | 'ended_at' }>,
    userId: string | null,
  ): Promise<QueueEntryRow | undefined> {
    const sets: string[] = ['version = version + 1', 'updated_by = $3'];
    const params: unknown[] = [id, version, userId];
    if (changes.status) sets.push(`status = $${params.push(changes.status)}`);
    if (changes.position !== undefined) sets.push(`position = $${params.push(changes.position)}`);
    if (changes.reorder_reason) sets.push(`reorder_reason = $${params.push(changes.reorder_reason)}`);
    if (changes.stamp) sets.push(`${changes.stamp} = now()`);
    const result = await this.tx.query(
      `UPDATE clinical.queue_entries SET ${sets.join(', ')} WHERE id = $1 AND version = $2 RETURNING id`,
      params,
    );
    const rows = Array.isArray(result[0]) ? result[0] : result;
    return rows.length === 1 ? this.find(id) : undefined;
  }

  /**
   * The doctor's pace: median minutes of their last 20 consultations (started → ended) over the
   * past 14 days; null when they have none yet.
   */
  async paceMinutes(doctorId: string): Promise<number | null> {
    const [row] = await this.tx.query(
      `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY minutes) AS pace
         FROM (SELECT extract(epoch FROM e.ended_at - e.started_at) / 60 AS minutes
                 FROM clinical.queue_entries e
                WHERE e.doctor_id = $1 AND e.status = 'done' AND e.started_at IS NOT NULL
                  AND e.ended_at > now() - interval '14 days'
                ORDER BY e.ended_at DESC LIMIT 20) recent`,
      [doctorId],
    );
    return row?.pace === null || row?.pace === undefined ? null : Number(row.pace);
  }

  async slotMinutes(doctorId: string): Promise<number | null> {
    const [row] = await this.tx.query(`SELECT slot_minutes FROM clinical.doctor_schedules WHERE doctor_id = $1`, [doctorId]);
    return row ? Number(row.slot_minutes) : null;
  }

  /** "Your turn is near" goes to a waiting patient with at most this many ahead (clinic setting, default 3). */
  async turnNearAhead(): Promise<number> {
    const [row] = await this.tx.query(`SELECT turn_near_ahead FROM clinical.queue_settings`);
    return row ? Number(row.turn_near_ahead) : 3;
  }

  async isActiveDoctor(userId: string): Promise<boolean> {
    const rows: unknown[] = await this.tx.query(
      `SELECT 1 FROM core.users WHERE id = $1 AND status = 'active' AND 'doctor' = ANY (roles)`,
      [userId],
    );
    return rows.length > 0;
  }

  async patientActive(patientId: string): Promise<boolean> {
    const rows: unknown[] = await this.tx.query(`SELECT 1 FROM clinical.patients WHERE id = $1 AND active`, [patientId]);
    return rows.length === 1;
  }

  /** Tells every listener (the display streams of any API instance) that this clinic's queue changed, at commit. */
  async notifyChanged(tenantId: string): Promise<void> {
    await this.tx.query(`SELECT pg_notify('hims_queue_changed', $1)`, [tenantId]);
  }
}
