import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TxHost } from '@hims/database';

export type ReminderKind = 'appointment-reminder' | 'turn-near';
export type ReminderOutcome = 'sent' | 'opted-out' | 'no-phone';

export interface DueAppointment {
  id: string;
  patient_id: string;
  slot_start: Date;
}

/** Reminder opt-outs and the exactly-once ledger of reminders (tenant transaction, RLS). */
@Injectable()
export class RemindersRepository {
  constructor(private readonly txHost: TransactionHost) {}

  private get tx() {
    return (this.txHost as TxHost).tx;
  }

  /**
   * Claims the event for one message: true once per event key, ever (the primary key), so a
   * retried or concurrent trigger never sends a second message.
   */
  async claim(tenantId: string, eventKey: string, kind: ReminderKind, patientId: string, outcome: ReminderOutcome): Promise<boolean> {
    const rows = await this.tx.query(
      `INSERT INTO clinical.reminders_sent (tenant_id, event_key, kind, patient_id, outcome) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT DO NOTHING RETURNING event_key`,
      [tenantId, eventKey, kind, patientId, outcome],
    );
    return rows.length === 1;
  }

  /** The patient's first phone, and whether they opted out of reminders. */
  async contact(patientId: string): Promise<{ phone: string | null; optedOut: boolean }> {
    const [row] = await this.tx.query(
      `SELECT p.phones[1] AS phone, EXISTS (SELECT 1 FROM clinical.sms_opt_outs o WHERE o.patient_id = p.id) AS opted_out
         FROM clinical.patients p WHERE p.id = $1 AND p.active`,
      [patientId],
    );
    return { phone: row?.phone ?? null, optedOut: row?.opted_out === true };
  }

  async patientExists(patientId: string): Promise<boolean> {
    const rows: unknown[] = await this.tx.query(`SELECT 1 FROM clinical.patients WHERE id = $1`, [patientId]);
    return rows.length === 1;
  }

  async optOut(tenantId: string, patientId: string, userId: string | null): Promise<void> {
    await this.tx.query(
      `INSERT INTO clinical.sms_opt_outs (tenant_id, patient_id, created_by) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
      [tenantId, patientId, userId],
    );
  }

  async optIn(patientId: string): Promise<void> {
    await this.tx.query(`DELETE FROM clinical.sms_opt_outs WHERE patient_id = $1`, [patientId]);
  }

  /** Booked appointments starting within the next `hours`, not reminded yet. */
  async dueAppointments(hours: number): Promise<DueAppointment[]> {
    return this.tx.query(
      `SELECT a.id, a.patient_id, a.slot_start FROM clinical.appointments a
        WHERE a.status = 'booked' AND a.slot_start > now() AND a.slot_start <= now() + make_interval(hours => $1)
          AND NOT EXISTS (SELECT 1 FROM clinical.reminders_sent r WHERE r.event_key = 'appointment-reminder:' || a.id::text)
        ORDER BY a.slot_start LIMIT 500`,
      [hours],
    );
  }
}
