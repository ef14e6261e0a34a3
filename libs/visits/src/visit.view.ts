import type { Consultation } from './consultation.model';
import { bmiOf } from './consultation.merge';
import type { ConsultationView, VisitResponse, VisitVersionResponse } from './dto/visit.response';
import type { VisitRow, VisitVersionRow } from './visit.model';

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

/** The consultation as shown: stored content plus the derived BMI. */
export function toConsultationView(c: Consultation): ConsultationView {
  const bmi = bmiOf(c.vitals ?? {});
  return {
    ...c,
    vitals: { ...(c.vitals ?? {}), ...(bmi !== undefined ? { bmi } : {}) },
    complaints: c.complaints ?? [],
    diagnoses: c.diagnoses ?? [],
    medications: c.medications ?? [],
  };
}

/** The API's JSON representation of a visit (camelCase, no internal columns). */
export function toVisitView(v: VisitRow): VisitResponse {
  return {
    id: v.id,
    patientId: v.patient_id,
    type: v.visit_type,
    status: v.status,
    statusReason: v.status_reason,
    attendingDoctorId: v.attending_doctor_id,
    department: v.department,
    reason: v.reason,
    scheduledAt: iso(v.scheduled_at)!,
    startedAt: iso(v.started_at),
    endedAt: iso(v.ended_at),
    signed: v.signed_at !== null,
    signedAt: iso(v.signed_at),
    signedBy: v.signed_by,
    contentVersion: v.content_version,
    consultation: toConsultationView(v.content),
    version: v.version,
    createdAt: iso(v.created_at)!,
    updatedAt: iso(v.updated_at)!,
    createdBy: v.created_by,
    updatedBy: v.updated_by,
  };
}

export function toVersionView(r: VisitVersionRow): VisitVersionResponse {
  return {
    version: r.version,
    reason: r.reason,
    consultation: toConsultationView(r.content),
    createdAt: iso(r.created_at)!,
    createdBy: r.created_by,
  };
}
