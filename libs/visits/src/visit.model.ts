/** Visit lifecycle states; `signed` content is immutable, `entered_in_error` hides a visit from clinical views. */
export const VISIT_STATUSES = ['booked', 'checked_in', 'in_progress', 'signed', 'cancelled', 'entered_in_error'] as const;
export type VisitStatus = (typeof VISIT_STATUSES)[number];

/** A row of clinical.visits as the API layer sees it. */
export interface VisitRow {
  tenant_id: string;
  id: string;
  patient_id: string;
  attending_doctor_id: string;
  department: string;
  scheduled_at: Date;
  status: VisitStatus;
  signed_at: Date | null;
  signed_by: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
  created_by: string | null;
  updated_by: string | null;
}

/** What booking a visit needs. */
export interface NewVisit {
  patientId: string;
  attendingDoctorId: string;
  department: string;
  scheduledAt: Date;
}
