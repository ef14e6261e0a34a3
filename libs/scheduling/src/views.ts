import type { AppointmentResponse, SlotResponse } from './dto/appointment.dto';
import type { ScheduleExceptionResponse, ScheduleResponse } from './dto/schedule.dto';
import type { AppointmentRow } from './appointments.repository';
import type { ExceptionRow, ScheduleRow } from './schedules.repository';
import type { SlotRow } from './slots.repository';

export const scheduleView = (s: ScheduleRow, timeZone: string): ScheduleResponse => ({
  doctorId: s.doctor_id,
  doctorName: s.doctor_name,
  department: s.department,
  slotMinutes: s.slot_minutes,
  capacity: s.capacity,
  weekly: s.weekly,
  version: s.version,
  timeZone,
});

export const exceptionView = (e: ExceptionRow): ScheduleExceptionResponse => ({
  id: e.id,
  kind: e.kind,
  doctorId: e.doctor_id,
  day: e.day,
  note: e.note,
});

export const slotView = (s: SlotRow): SlotResponse => ({
  doctorId: s.doctor_id,
  department: s.department,
  start: new Date(s.slot_start).toISOString(),
  end: new Date(s.slot_end).toISOString(),
  capacity: s.capacity,
  free: Math.max(0, s.capacity - s.booked),
});

export const appointmentView = (a: AppointmentRow): AppointmentResponse => ({
  id: a.id,
  patientId: a.patient_id,
  patientName: a.patient_name,
  doctorId: a.doctor_id,
  department: a.department,
  slotStart: new Date(a.slot_start).toISOString(),
  slotEnd: new Date(a.slot_end).toISOString(),
  status: a.status,
  cancelReason: a.cancel_reason,
  visitId: a.visit_id,
  version: a.version,
});
