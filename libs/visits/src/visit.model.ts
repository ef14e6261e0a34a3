import type { Consultation } from './consultation.model';

/**
 * Visit lifecycle (FHIR Encounter.status): planned → arrived → in-progress → finished,
 * or cancelled (before the consultation starts) / entered-in-error (a record that should
 * not exist: hidden from clinical views, never deleted). Signing is not a status: a signed
 * visit has `signed_at` and is finished (or later entered in error).
 */
export const VISIT_STATUSES = [
  'planned',
  'arrived',
  'in-progress',
  'finished',
  'cancelled',
  'entered-in-error',
] as const;
export type VisitStatus = (typeof VISIT_STATUSES)[number];

/** Kinds of visit; outpatient consultation first, the column and this list leave room for others. */
export const VISIT_TYPES = ['outpatient-consultation'] as const;
export type VisitType = (typeof VISIT_TYPES)[number];

/** The consultation of a visit that nothing has been recorded for yet. */
export function emptyConsultation(): Consultation {
  return { vitals: {}, complaints: [], diagnoses: [], medications: [] };
}

/** A row of clinical.visits as the API layer sees it. */
export interface VisitRow {
  tenant_id: string;
  id: string;
  patient_id: string;
  visit_type: VisitType;
  attending_doctor_id: string;
  department: string;
  reason: string | null;
  scheduled_at: Date;
  started_at: Date | null;
  ended_at: Date | null;
  status: VisitStatus;
  status_reason: string | null;
  /** The current content: a draft until signed, then the latest signed version's content. */
  content: Consultation;
  /** 0 until signed; 1 at signing, +1 per amendment (the FHIR document's version). */
  content_version: number;
  signed_at: Date | null;
  signed_by: string | null;
  /** The row's version (the ETag): +1 on every change. */
  version: number;
  created_at: Date;
  updated_at: Date;
  created_by: string | null;
  updated_by: string | null;
}

/** One signed version of a visit's consultation (clinical.visit_versions, append-only). */
export interface VisitVersionRow {
  tenant_id: string;
  id: string;
  visit_id: string;
  version: number;
  content: Consultation;
  /** null for version 1 (the content as signed); the amendment's reason otherwise. */
  reason: string | null;
  created_by: string | null;
  created_at: Date;
}

/** What booking a visit needs. */
export interface NewVisit {
  patientId: string;
  attendingDoctorId: string;
  department: string;
  scheduledAt: Date;
  type?: VisitType;
  reason?: string | null;
}
