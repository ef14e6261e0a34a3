/**
 * The clinical documents a signed visit gives, one per ABDM health-information type, and which
 * of them a visit has. Adding a type is one row here (and its renderer).
 */
import type { Bundle } from '@medplum/fhirtypes';
import type { Consultation } from '../consultation.model';
import { hasVitals, type VisitDocumentInput } from './document-frame';
import { renderOpConsultDocument } from './op-consult-document';
import { renderPrescriptionDocument } from './prescription-document';
import { renderWellnessDocument } from './wellness-document';

interface VisitDocumentKind {
  render(input: VisitDocumentInput): Bundle;
  /** Whether the visit's signed content gives this document. */
  present(c: Consultation): boolean;
}

/** Keyed by the ABDM hiType (HIE-CM v3 HiTypeEnum spelling). */
export const VISIT_DOCUMENTS = {
  OPConsultation: { render: renderOpConsultDocument, present: () => true },
  Prescription: { render: renderPrescriptionDocument, present: (c) => (c.medications ?? []).length > 0 },
  WellnessRecord: { render: renderWellnessDocument, present: (c) => hasVitals(c.vitals ?? {}) },
} satisfies Record<string, VisitDocumentKind>;

export type VisitDocumentType = keyof typeof VISIT_DOCUMENTS;
export const VISIT_DOCUMENT_TYPES = Object.keys(VISIT_DOCUMENTS) as VisitDocumentType[];

export function isVisitDocumentType(t: string): t is VisitDocumentType {
  return Object.prototype.hasOwnProperty.call(VISIT_DOCUMENTS, t);
}

/** The document types a signed visit's content gives, OP consultation first. */
export function visitDocumentTypes(c: Consultation): VisitDocumentType[] {
  return VISIT_DOCUMENT_TYPES.filter((t) => VISIT_DOCUMENTS[t].present(c));
}

export function renderVisitDocument(type: VisitDocumentType, input: VisitDocumentInput): Bundle {
  return VISIT_DOCUMENTS[type].render(input);
}
