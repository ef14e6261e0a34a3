import { Injectable } from '@nestjs/common';
import { AuditRecorder } from '@hims/audit';
import { ProblemException } from '@hims/errors';
import { OutboxWriter } from '@hims/events';
import { clinicTimeZone, TenantScope } from '@hims/tenancy';
import type { CreateScheduleExceptionDto, PutScheduleDto } from './dto/schedule.dto';
import { fieldProblem, notFound, requireRole, staleProblem } from './rules';
import { ExceptionRow, ScheduleRow, SchedulesRepository } from './schedules.repository';

/** Who may change schedules and exceptions: the clinic's administrator and the front desk. */
export const SCHEDULE_EDITORS = ['tenant_admin', 'receptionist'] as const;

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * Doctors' weekly schedules (periods per weekday, slot length, capacity) in the clinic's local
 * time, and leave/holiday exceptions. Every change is versioned (If-Match), audited and an event.
 */
@Injectable()
export class SchedulesService {
  constructor(
    private readonly repo: SchedulesRepository,
    private readonly scope: TenantScope,
    private readonly audit: AuditRecorder,
    private readonly outbox: OutboxWriter,
  ) {}

  get timeZone(): string {
    return clinicTimeZone(this.scope.state);
  }

  async get(doctorId: string): Promise<ScheduleRow> {
    const row = await this.repo.find(doctorId);
    if (!row) throw notFound('schedule for this doctor');
    return row;
  }

  list(department?: string): Promise<ScheduleRow[]> {
    return this.repo.list(department);
  }

  /**
   * Creates the schedule (no If-Match) or replaces it at the version If-Match names. Periods of
   * one weekday must not overlap and must hold at least one whole slot.
   */
  async put(doctorId: string, dto: PutScheduleDto, expected: number | undefined): Promise<ScheduleRow> {
    requireRole(this.scope.roles, SCHEDULE_EDITORS, 'change schedules');
    checkPeriods(dto);
    if (!(await this.repo.isActiveDoctor(doctorId))) throw notFound('doctor');
    const current = await this.repo.find(doctorId, true);
    if (current && expected === undefined) {
      throw new ProblemException('preconditionRequired', 'This doctor has a schedule: send If-Match with its ETag to replace it');
    }
    if (!current && expected !== undefined) throw notFound('schedule for this doctor');
    if (current && current.version !== expected) throw staleProblem('schedule', current.version);
    const version = await this.repo.save(
      this.scope.tenantId!,
      doctorId,
      { department: dto.department, slotMinutes: dto.slotMinutes, capacity: dto.capacity, weekly: dto.weekly },
      expected,
      this.scope.userId ?? null,
    );
    if (version === undefined) throw staleProblem('schedule');
    await this.audit.record({
      action: current ? 'update' : 'create',
      entityType: 'doctor_schedule',
      entityId: doctorId,
      details: { version, periods: dto.weekly.length, slotMinutes: dto.slotMinutes, capacity: dto.capacity },
    });
    await this.outbox.append({
      aggregateType: 'appointment',
      aggregateId: doctorId,
      eventType: 'appointment.schedule_changed',
      payload: {
        doctorId,
        version,
        department: dto.department,
        slotMinutes: dto.slotMinutes,
        capacity: dto.capacity,
        periods: dto.weekly.length,
      },
    });
    return (await this.repo.find(doctorId))!;
  }

  async addException(dto: CreateScheduleExceptionDto): Promise<ExceptionRow> {
    requireRole(this.scope.roles, SCHEDULE_EDITORS, 'record leave and holidays');
    if (dto.kind === 'leave' && !dto.doctorId) throw fieldProblem('doctorId', 'doctorId is required for leave');
    if (dto.kind === 'holiday' && dto.doctorId) throw fieldProblem('doctorId', 'a holiday is for the whole clinic: leave doctorId out');
    const doctorId = dto.doctorId?.toLowerCase() ?? null;
    if (doctorId && !(await this.repo.isActiveDoctor(doctorId))) throw fieldProblem('doctorId', 'not an active doctor of this clinic');
    const row = await this.repo.insertException(
      this.scope.tenantId!,
      { kind: dto.kind, doctorId, day: dto.day, note: dto.note ?? null },
      this.scope.userId ?? null,
    );
    if (!row) throw new ProblemException('conflict', `An exception for this ${doctorId ? 'doctor' : 'clinic'} on ${dto.day} exists already`);
    await this.audit.record({ action: 'create', entityType: 'schedule_exception', entityId: row.id, details: { kind: row.kind, day: row.day } });
    return row;
  }

  async removeException(id: string): Promise<void> {
    requireRole(this.scope.roles, SCHEDULE_EDITORS, 'remove leave and holidays');
    const row = await this.repo.deleteException(id);
    if (!row) throw notFound('schedule exception');
    await this.audit.record({ action: 'delete', entityType: 'schedule_exception', entityId: id, details: { kind: row.kind, day: row.day } });
  }

  exceptions(from: string, to: string): Promise<ExceptionRow[]> {
    if (from > to) throw fieldProblem('to', 'to must not be before from');
    return this.repo.exceptions(from, to);
  }
}

function checkPeriods(dto: PutScheduleDto): void {
  const byDay = new Map<number, { start: number; end: number; i: number }[]>();
  dto.weekly.forEach((p, i) => {
    const start = minutes(p.start);
    const end = minutes(p.end);
    if (end - start < dto.slotMinutes) {
      throw fieldProblem(`weekly[${i}].end`, 'a period must end after its start and hold at least one slot');
    }
    byDay.set(p.weekday, [...(byDay.get(p.weekday) ?? []), { start, end, i }]);
  });
  for (const periods of byDay.values()) {
    periods.sort((a, b) => a.start - b.start);
    for (let k = 1; k < periods.length; k++) {
      if (periods[k].start < periods[k - 1].end) {
        throw fieldProblem(`weekly[${periods[k].i}].start`, 'periods of the same weekday must not overlap');
      }
    }
  }
}
