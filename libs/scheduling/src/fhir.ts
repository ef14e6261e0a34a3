import type { Appointment, Bundle, Schedule, Slot } from '@medplum/fhirtypes';
import type { AppointmentRow } from './appointments.repository';
import type { ScheduleRow } from './schedules.repository';
import type { SlotRow } from './slots.repository';

/**
 * FHIR R4 views of schedules, slots and appointments (read-only representations, like Medplum's
 * scheduling resources). Ids are ours; a slot has no row, so its id is derived from the doctor
 * and the start. The doctor is a Practitioner, the patient a Patient, by our ids.
 */
const iso = (d: Date | string) => new Date(d).toISOString();
const practitioner = (id: string) => ({ reference: `Practitioner/${id}` });

export function scheduleResource(s: ScheduleRow, timeZone: string): Schedule {
  const hours = s.weekly.map((p) => `${['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'][p.weekday]} ${p.start}-${p.end}`);
  return {
    resourceType: 'Schedule',
    id: s.doctor_id,
    meta: { versionId: String(s.version) },
    active: true,
    serviceType: [{ text: s.department }],
    actor: [{ ...practitioner(s.doctor_id) }],
    comment: `${s.slot_minutes}-minute slots, ${s.capacity} per slot; ${hours.join(', ')} (${timeZone})`,
  };
}

export function slotResource(s: SlotRow): Slot {
  const start = iso(s.slot_start);
  return {
    resourceType: 'Slot',
    id: `${s.doctor_id}-${Date.parse(start) / 1000}`,
    schedule: { reference: `Schedule/${s.doctor_id}` },
    serviceType: [{ text: s.department }],
    status: s.booked >= s.capacity ? 'busy' : 'free',
    start,
    end: iso(s.slot_end),
    overbooked: false,
    comment: `${Math.max(0, s.capacity - s.booked)} of ${s.capacity} places free`,
  };
}

export function slotBundle(slots: SlotRow[]): Bundle<Slot> {
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    total: slots.length,
    entry: slots.map((s) => ({ resource: slotResource(s), search: { mode: 'match' } })),
  };
}

const APPOINTMENT_STATUS = {
  booked: 'booked',
  'checked-in': 'checked-in',
  cancelled: 'cancelled',
  'no-show': 'noshow',
} as const;

export function appointmentResource(a: AppointmentRow): Appointment {
  return {
    resourceType: 'Appointment',
    id: a.id,
    meta: { versionId: String(a.version) },
    status: APPOINTMENT_STATUS[a.status],
    ...(a.status === 'cancelled' ? { cancelationReason: { text: 'Cancelled by the clinic' } } : {}),
    serviceType: [{ text: a.department }],
    start: iso(a.slot_start),
    end: iso(a.slot_end),
    slot: [{ reference: `Slot/${a.doctor_id}-${Date.parse(iso(a.slot_start)) / 1000}` }],
    participant: [
      { actor: { reference: `Patient/${a.patient_id}` }, status: 'accepted' },
      { actor: practitioner(a.doctor_id), status: 'accepted' },
    ],
  };
}
