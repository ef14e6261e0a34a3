import { Injectable } from '@nestjs/common';
import { AuditRecorder } from '@hims/audit';
import { ProblemException } from '@hims/errors';
import { OutboxWriter } from '@hims/events';
import { QueueService } from '@hims/queue';
import { clinicTimeZone, TenantScope } from '@hims/tenancy';
import { VisitsService } from '@hims/visits';
import { AppointmentRow, AppointmentsRepository } from './appointments.repository';
import { notFound, requireRole, staleProblem } from './rules';
import { SlotRow, SlotsRepository } from './slots.repository';
import { AppointmentSettingsRepository } from './appointment-settings.repository';

/** The front desk books, reschedules, cancels, marks no-shows and checks patients in. */
export const APPOINTMENT_DESK = ['receptionist'] as const;
/** Longest range one slot search may cover (a month and then some). */
export const MAX_SEARCH_DAYS = 62;

/**
 * Appointments: a place in a doctor's slot. Capacity holds under concurrency because every
 * booking takes a place on the slot's counter row (SlotsRepository.take); a cancelled or
 * rescheduled appointment gives its place back. Check-in turns the appointment into a visit
 * (the visits module's own rules) and gives the patient a token in the doctor's queue.
 */
@Injectable()
export class AppointmentsService {
  constructor(
    private readonly repo: AppointmentsRepository,
    private readonly slots: SlotsRepository,
    private readonly settings: AppointmentSettingsRepository,
    private readonly scope: TenantScope,
    private readonly audit: AuditRecorder,
    private readonly outbox: OutboxWriter,
    private readonly visits: VisitsService,
    private readonly queue: QueueService,
  ) {}

  get timeZone(): string {
    return clinicTimeZone(this.scope.state);
  }

  async searchSlots(q: { doctorId?: string; department?: string; from: string; to: string; limit?: number }): Promise<SlotRow[]> {
    const days = (Date.parse(q.to) - Date.parse(q.from)) / 86_400_000;
    if (days < 0 || days > MAX_SEARCH_DAYS) {
      throw new ProblemException('validation', '1 field(s) failed validation', {
        errors: [{ field: 'to', message: `to must be on or after from, at most ${MAX_SEARCH_DAYS} days later` }],
      });
    }
    return this.slots.search({ ...q, timeZone: this.timeZone, freeOnly: true, limit: q.limit ?? 200 });
  }

  async get(id: string): Promise<AppointmentRow> {
    const row = await this.repo.find(id);
    if (!row) throw notFound('appointment');
    await this.audit.record({ action: 'read', entityType: 'appointment', entityId: id });
    return row;
  }

  async listDay(day: string, doctorId?: string, status?: string): Promise<AppointmentRow[]> {
    const rows = await this.repo.listDay(day, this.timeZone, doctorId, status);
    await this.audit.record({ action: 'list_appointments', entityType: 'appointment', details: { day, count: rows.length } });
    return rows;
  }

  async book(patientId: string, doctorId: string, slotStart: Date): Promise<AppointmentRow> {
    requireRole(this.scope.roles, APPOINTMENT_DESK, 'book appointments');
    if (!(await this.repo.patientActive(patientId))) throw notFound('patient');
    const slot = await this.takePlace(doctorId, slotStart);
    const id = await this.repo.insert(
      this.scope.tenantId!,
      { patientId, doctorId, department: slot.department, start: slotStart, end: new Date(slot.slot_end) },
      this.scope.userId ?? null,
    );
    const row = (await this.repo.find(id))!;
    await this.audit.record({ action: 'create', entityType: 'appointment', entityId: id });
    await this.event(row, 'appointment.booked', {});
    return row;
  }

  async reschedule(id: string, expected: number, doctorId: string | undefined, slotStart: Date): Promise<AppointmentRow> {
    requireRole(this.scope.roles, APPOINTMENT_DESK, 'reschedule appointments');
    const current = await this.openAppointment(id, expected);
    const toDoctor = doctorId?.toLowerCase() ?? current.doctor_id;
    if (toDoctor === current.doctor_id && new Date(current.slot_start).getTime() === slotStart.getTime()) return current;
    const slot = await this.takePlace(toDoctor, slotStart);
    await this.slots.release(current.doctor_id, new Date(current.slot_start));
    const ok = await this.repo.update(
      id,
      expected,
      { doctor_id: toDoctor, department: slot.department, slot_start: slotStart, slot_end: new Date(slot.slot_end) },
      this.scope.userId ?? null,
    );
    if (!ok) throw staleProblem('appointment');
    const row = (await this.repo.find(id))!;
    await this.audit.record({
      action: 'reschedule',
      entityType: 'appointment',
      entityId: id,
      details: { from: new Date(current.slot_start).toISOString(), to: slotStart.toISOString() },
    });
    await this.event(row, 'appointment.rescheduled', { previousSlotStart: new Date(current.slot_start).toISOString() });
    return row;
  }

  async cancel(id: string, reason: string, expected?: number): Promise<AppointmentRow> {
    requireRole(this.scope.roles, APPOINTMENT_DESK, 'cancel appointments');
    const current = await this.openAppointment(id, expected);
    await this.slots.release(current.doctor_id, new Date(current.slot_start));
    if (!(await this.repo.update(id, current.version, { status: 'cancelled', cancel_reason: reason }, this.scope.userId ?? null))) {
      throw staleProblem('appointment');
    }
    const row = (await this.repo.find(id))!;
    await this.audit.record({ action: 'cancel', entityType: 'appointment', entityId: id, details: { reason } });
    await this.event(row, 'appointment.cancelled', {});
    return row;
  }

  /** No-show: only once the clinic's grace time after the slot's start has passed. */
  async noShow(id: string, expected?: number): Promise<AppointmentRow> {
    requireRole(this.scope.roles, APPOINTMENT_DESK, 'mark no-shows');
    const current = await this.openAppointment(id, expected);
    const grace = await this.settings.noShowGraceMinutes();
    const due = new Date(current.slot_start).getTime() + grace * 60_000;
    if (Date.now() < due) {
      throw new ProblemException(
        'conflict',
        `A patient is a no-show only ${grace} minutes after the slot's start (from ${new Date(due).toISOString()})`,
      );
    }
    if (!(await this.repo.update(id, current.version, { status: 'no-show' }, this.scope.userId ?? null))) throw staleProblem('appointment');
    const row = (await this.repo.find(id))!;
    await this.audit.record({ action: 'no_show', entityType: 'appointment', entityId: id });
    await this.event(row, 'appointment.no_show', {});
    return row;
  }

  /** Check-in on the appointment's day: a visit (arrived) and a token in the doctor's queue. */
  async checkIn(id: string, expected?: number): Promise<{ appointment: AppointmentRow; entryId: string; token: number }> {
    requireRole(this.scope.roles, APPOINTMENT_DESK, 'check patients in');
    const current = await this.openAppointment(id, expected);
    const today = await this.queue.today();
    const day = localDay(new Date(current.slot_start), this.timeZone);
    if (day !== today) throw new ProblemException('conflict', `This appointment is on ${day}; check-in is on the day (today is ${today})`);
    const visit = await this.visits.create({
      patientId: current.patient_id,
      attendingDoctorId: current.doctor_id,
      department: current.department,
      scheduledAt: new Date(current.slot_start),
      type: 'outpatient-consultation',
      reason: null,
    });
    await this.visits.changeStatus(visit.id, { status: 'arrived' });
    const entry = await this.queue.join({
      doctorId: current.doctor_id,
      patientId: current.patient_id,
      appointmentId: id,
      visitId: visit.id,
      source: 'appointment',
    });
    if (!(await this.repo.update(id, current.version, { status: 'checked-in', visit_id: visit.id }, this.scope.userId ?? null))) {
      throw staleProblem('appointment');
    }
    const row = (await this.repo.find(id))!;
    await this.audit.record({ action: 'check_in', entityType: 'appointment', entityId: id, details: { visitId: visit.id, token: entry.token } });
    await this.event(row, 'appointment.checked_in', { visitId: visit.id, queueEntryId: entry.id, token: entry.token });
    return { appointment: row, entryId: entry.id, token: entry.token };
  }

  private async openAppointment(id: string, expected?: number): Promise<AppointmentRow> {
    const current = await this.repo.find(id, true);
    if (!current) throw notFound('appointment');
    if (expected !== undefined && current.version !== expected) throw staleProblem('appointment', current.version);
    if (current.status !== 'booked') throw new ProblemException('conflict', `The appointment is ${current.status}`);
    return current;
  }

  /** The slot must exist in the doctor's schedule, lie ahead and have a free place, which this takes. */
  private async takePlace(doctorId: string, slotStart: Date): Promise<SlotRow> {
    const slot = await this.slots.slotAt(doctorId, slotStart, this.timeZone);
    if (!slot) {
      throw new ProblemException('validation', '1 field(s) failed validation', {
        errors: [{ field: 'slotStart', message: "slotStart is not a slot of this doctor's schedule (or the day is leave or a holiday)" }],
      });
    }
    if (slotStart.getTime() <= Date.now()) throw new ProblemException('conflict', 'This slot has already started');
    if (!(await this.slots.take(this.scope.tenantId!, doctorId, slotStart, slot.capacity))) {
      throw new ProblemException('conflict', 'This slot is fully booked', { slotFull: true });
    }
    return slot;
  }

  private async event(row: AppointmentRow, eventType: string, extra: Record<string, unknown>): Promise<void> {
    await this.outbox.append({
      aggregateType: 'appointment',
      aggregateId: row.id,
      eventType,
      payload: {
        appointmentId: row.id,
        patientId: row.patient_id,
        doctorId: row.doctor_id,
        department: row.department,
        slotStart: new Date(row.slot_start).toISOString(),
        status: row.status,
        version: row.version,
        ...extra,
      },
    });
  }
}

/** The clinic-local calendar day of an instant (YYYY-MM-DD). */
export function localDay(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}
