import type { QueueEntryResponse } from './dto/queue.dto';
import type { QueueEntryRow } from './queue.repository';

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

export const queueEntryView = (e: QueueEntryRow & { estimated_wait_minutes?: number | null }): QueueEntryResponse => ({
  id: e.id,
  day: e.service_day,
  doctorId: e.doctor_id,
  doctorName: e.doctor_name,
  token: e.token,
  patientId: e.patient_id,
  patientName: e.patient_name,
  appointmentId: e.appointment_id,
  visitId: e.visit_id,
  source: e.source,
  status: e.status,
  reorderReason: e.reorder_reason,
  joinedAt: iso(e.joined_at)!,
  calledAt: iso(e.called_at),
  estimatedWaitMinutes: e.estimated_wait_minutes ?? null,
  version: e.version,
});
