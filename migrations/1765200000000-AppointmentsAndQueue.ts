import { MigrationInterface, QueryRunner } from 'typeorm';
import { tenantIsolation } from './lib/rls';

/**
 * Appointments and the OPD queue (issue 24).
 * - clinical.doctor_schedules + schedule_periods: a doctor's weekly hours (several periods a day;
 *   a break is the gap between two), slot length and capacity per slot; versioned (If-Match).
 * - clinical.schedule_exceptions: a doctor's leave or a whole-clinic holiday (doctor_id NULL).
 * - clinical.slot_bookings: one counter row per booked slot; booking increments it only while
 *   below the slot's capacity, so concurrent bookings of the last place serialise on that row alone.
 * - clinical.appointments: booked → checked-in (a visit) / cancelled (reason) / no-show.
 * - clinical.queue_counters: last token per (tenant, lane, day); a lane is a doctor (its uuid) or
 *   a named counter ("counter:<context>", ABDM scan-and-share). Tokens come from an upsert of that
 *   row: no per-tenant lock, and the unique key on queue_entries refuses any duplicate.
 * - clinical.queue_entries: the OPD queue; clinical.queue_displays: waiting-room display keys
 *   (hash only); clinical.queue_settings: per-clinic display and no-show settings.
 * - clinical.sms_opt_outs, clinical.reminders_sent: reminder opt-out and exactly-once ledger.
 * Every table: tenant_id first in every key, ENABLE + FORCE RLS, audit trigger on patient-facing rows.
 */
export class AppointmentsAndQueue1765200000000 implements MigrationInterface {
  name = 'AppointmentsAndQueue1765200000000';

  async up(q: QueryRunner): Promise<void> {
    const audited = (table: string, name: string) =>
      `CREATE TRIGGER ${name}_audit AFTER INSERT OR UPDATE OR DELETE ON ${table}
         FOR EACH ROW EXECUTE FUNCTION audit.capture_row_change('tenant_id')`;
    const statements = [
      `CREATE TABLE clinical.doctor_schedules (
         tenant_id uuid NOT NULL REFERENCES core.tenants (id),
         doctor_id uuid NOT NULL,
         department text NOT NULL CHECK (length(department) BETWEEN 1 AND 100),
         slot_minutes integer NOT NULL CHECK (slot_minutes BETWEEN 5 AND 240),
         capacity integer NOT NULL CHECK (capacity BETWEEN 1 AND 100),
         version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
         created_at timestamptz NOT NULL DEFAULT now(),
         updated_at timestamptz NOT NULL DEFAULT now(),
         updated_by uuid,
         PRIMARY KEY (tenant_id, doctor_id),
         FOREIGN KEY (tenant_id, doctor_id) REFERENCES core.users (tenant_id, id)
       )`,
      `CREATE INDEX doctor_schedules_department_idx ON clinical.doctor_schedules (tenant_id, department)`,
      `CREATE TABLE clinical.schedule_periods (
         tenant_id uuid NOT NULL,
         doctor_id uuid NOT NULL,
         weekday smallint NOT NULL CHECK (weekday BETWEEN 1 AND 7),
         starts time NOT NULL,
         ends time NOT NULL CHECK (ends > starts),
         PRIMARY KEY (tenant_id, doctor_id, weekday, starts),
         FOREIGN KEY (tenant_id, doctor_id) REFERENCES clinical.doctor_schedules (tenant_id, doctor_id) ON DELETE CASCADE
       )`,
      `CREATE TABLE clinical.schedule_exceptions (
         tenant_id uuid NOT NULL REFERENCES core.tenants (id),
         id uuid NOT NULL DEFAULT gen_random_uuid(),
         doctor_id uuid,
         day date NOT NULL,
         kind text NOT NULL CHECK (kind IN ('leave', 'holiday')),
         note text CHECK (length(note) <= 200),
         created_at timestamptz NOT NULL DEFAULT now(),
         created_by uuid,
         PRIMARY KEY (tenant_id, id),
         CHECK ((kind = 'holiday') = (doctor_id IS NULL))
       )`,
      `CREATE UNIQUE INDEX schedule_exceptions_day_key ON clinical.schedule_exceptions (tenant_id, day, doctor_id) NULLS NOT DISTINCT`,
      `CREATE TABLE clinical.slot_bookings (
         tenant_id uuid NOT NULL REFERENCES core.tenants (id),
         doctor_id uuid NOT NULL,
         slot_start timestamptz NOT NULL,
         booked integer NOT NULL CHECK (booked >= 0),
         PRIMARY KEY (tenant_id, doctor_id, slot_start)
       )`,
      `CREATE TABLE clinical.appointments (
         tenant_id uuid NOT NULL REFERENCES core.tenants (id),
         id uuid NOT NULL DEFAULT gen_random_uuid(),
         patient_id uuid NOT NULL,
         doctor_id uuid NOT NULL,
         department text NOT NULL CHECK (length(department) BETWEEN 1 AND 100),
         slot_start timestamptz NOT NULL,
         slot_end timestamptz NOT NULL CHECK (slot_end > slot_start),
         status text NOT NULL DEFAULT 'booked' CHECK (status IN ('booked', 'checked-in', 'cancelled', 'no-show')),
         cancel_reason text CHECK (length(cancel_reason) BETWEEN 1 AND 500),
         visit_id uuid,
         version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
         created_at timestamptz NOT NULL DEFAULT now(),
         updated_at timestamptz NOT NULL DEFAULT now(),
         created_by uuid,
         updated_by uuid,
         PRIMARY KEY (tenant_id, id),
         FOREIGN KEY (tenant_id, patient_id) REFERENCES clinical.patients (tenant_id, id),
         CHECK ((status = 'cancelled') = (cancel_reason IS NOT NULL)),
         CHECK ((status = 'checked-in') = (visit_id IS NOT NULL))
       )`,
      `CREATE INDEX appointments_doctor_slot_idx ON clinical.appointments (tenant_id, doctor_id, slot_start)`,
      `CREATE INDEX appointments_patient_idx ON clinical.appointments (tenant_id, patient_id, slot_start)`,
      `CREATE TABLE clinical.queue_counters (
         tenant_id uuid NOT NULL REFERENCES core.tenants (id),
         lane text NOT NULL CHECK (length(lane) BETWEEN 1 AND 250),
         service_day date NOT NULL,
         last_token integer NOT NULL CHECK (last_token > 0),
         PRIMARY KEY (tenant_id, lane, service_day)
       )`,
      `CREATE TABLE clinical.queue_entries (
         tenant_id uuid NOT NULL REFERENCES core.tenants (id),
         id uuid NOT NULL DEFAULT gen_random_uuid(),
         service_day date NOT NULL,
         lane text NOT NULL CHECK (length(lane) BETWEEN 1 AND 250),
         doctor_id uuid,
         token integer NOT NULL CHECK (token > 0),
         patient_id uuid,
         appointment_id uuid,
         visit_id uuid,
         source text NOT NULL CHECK (source IN ('walk-in', 'appointment', 'scan-share')),
         status text NOT NULL DEFAULT 'waiting'
           CHECK (status IN ('waiting', 'called', 'in-consultation', 'done', 'skipped', 'recalled')),
         position double precision NOT NULL,
         reorder_reason text CHECK (length(reorder_reason) BETWEEN 1 AND 200),
         joined_at timestamptz NOT NULL DEFAULT now(),
         called_at timestamptz,
         started_at timestamptz,
         ended_at timestamptz,
         version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
         updated_by uuid,
         PRIMARY KEY (tenant_id, id),
         UNIQUE (tenant_id, lane, service_day, token),
         FOREIGN KEY (tenant_id, patient_id) REFERENCES clinical.patients (tenant_id, id),
         CHECK ((lane LIKE 'counter:%') = (doctor_id IS NULL))
       )`,
      `CREATE INDEX queue_entries_day_idx ON clinical.queue_entries (tenant_id, service_day, lane, position)`,
      `CREATE UNIQUE INDEX queue_entries_appointment_key ON clinical.queue_entries (tenant_id, appointment_id)
         WHERE appointment_id IS NOT NULL`,
      `CREATE TABLE clinical.queue_displays (
         tenant_id uuid NOT NULL REFERENCES core.tenants (id),
         id uuid NOT NULL DEFAULT gen_random_uuid(),
         key_hash bytea NOT NULL,
         label text NOT NULL CHECK (length(label) BETWEEN 1 AND 100),
         created_at timestamptz NOT NULL DEFAULT now(),
         created_by uuid,
         revoked_at timestamptz,
         PRIMARY KEY (tenant_id, id),
         UNIQUE (tenant_id, key_hash)
       )`,
      `CREATE TABLE clinical.queue_settings (
         tenant_id uuid NOT NULL REFERENCES core.tenants (id) PRIMARY KEY,
         display_initials boolean NOT NULL DEFAULT false,
         no_show_grace_minutes integer NOT NULL DEFAULT 30 CHECK (no_show_grace_minutes BETWEEN 0 AND 480),
         turn_near_ahead integer NOT NULL DEFAULT 3 CHECK (turn_near_ahead BETWEEN 1 AND 20),
         version integer NOT NULL DEFAULT 1,
         updated_by uuid
       )`,
      `CREATE TABLE clinical.sms_opt_outs (
         tenant_id uuid NOT NULL REFERENCES core.tenants (id),
         patient_id uuid NOT NULL,
         created_at timestamptz NOT NULL DEFAULT now(),
         created_by uuid,
         PRIMARY KEY (tenant_id, patient_id),
         FOREIGN KEY (tenant_id, patient_id) REFERENCES clinical.patients (tenant_id, id)
       )`,
      `CREATE TABLE clinical.reminders_sent (
         tenant_id uuid NOT NULL REFERENCES core.tenants (id),
         event_key text NOT NULL CHECK (length(event_key) BETWEEN 1 AND 200),
         kind text NOT NULL CHECK (kind IN ('appointment-reminder', 'turn-near')),
         patient_id uuid NOT NULL,
         outcome text NOT NULL CHECK (outcome IN ('sent', 'opted-out', 'no-phone')),
         created_at timestamptz NOT NULL DEFAULT now(),
         PRIMARY KEY (tenant_id, event_key)
       )`,
    ];
    const tables = [
      'clinical.doctor_schedules',
      'clinical.schedule_periods',
      'clinical.schedule_exceptions',
      'clinical.slot_bookings',
      'clinical.appointments',
      'clinical.queue_counters',
      'clinical.queue_entries',
      'clinical.queue_displays',
      'clinical.queue_settings',
      'clinical.sms_opt_outs',
      'clinical.reminders_sent',
    ];
    for (const sql of statements) await q.query(sql);
    for (const t of tables) for (const sql of tenantIsolation(t)) await q.query(sql);
    for (const sql of [
      audited('clinical.doctor_schedules', 'doctor_schedules'),
      audited('clinical.schedule_exceptions', 'schedule_exceptions'),
      audited('clinical.appointments', 'appointments'),
      audited('clinical.queue_entries', 'queue_entries'),
      audited('clinical.queue_settings', 'queue_settings'),
      audited('clinical.sms_opt_outs', 'sms_opt_outs'),
      `GRANT SELECT, INSERT, UPDATE ON clinical.doctor_schedules, clinical.slot_bookings, clinical.appointments,
         clinical.queue_counters, clinical.queue_entries, clinical.queue_displays, clinical.queue_settings TO hims_app`,
      `GRANT SELECT, INSERT, DELETE ON clinical.schedule_periods, clinical.schedule_exceptions, clinical.sms_opt_outs TO hims_app`,
      `GRANT SELECT, INSERT ON clinical.reminders_sent TO hims_app`,
    ])
      await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE clinical.reminders_sent, clinical.sms_opt_outs, clinical.queue_settings,
      clinical.queue_displays, clinical.queue_entries, clinical.queue_counters, clinical.appointments,
      clinical.slot_bookings, clinical.schedule_exceptions, clinical.schedule_periods, clinical.doctor_schedules`);
  }
}
