/**
 * Public face of outpatient visits. Stable surface (other modules, e.g. ABDM, rely on it):
 * - VisitsModule: the HTTP routes (the API imports it). VisitRecordsModule: import it to inject
 *   VisitsService without mounting any route (ABDM, the worker).
 * - VisitDocumentsModule / VisitDocumentService.render(id, type?): the signed visit's FHIR document
 *   (OP consultation by default: what GET /api/v1/visits/{id}/fhir answers; or Prescription,
 *   WellnessRecord: VISIT_DOCUMENT_TYPES, visitDocumentTypes(content)), without mounting a route.
 * - VisitsService.create(NewVisit), .get(id), .sign(id), .listSignedForPatient(patientId), and the
 *   HTTP use cases (listForPatient, update, changeStatus, amend, versions): run inside a
 *   TenantScope transaction; audited; 404 for foreign ids.
 * - VisitRow, VisitVersionRow, NewVisit, VisitStatus, VISIT_STATUSES, VisitType, VISIT_TYPES.
 * - The consultation model (Consultation, Vitals, CodedFinding, Prescription, CLINICAL_STATUSES) and bmiOf.
 */
export { VisitsModule, VisitRecordsModule, VisitDocumentsModule } from './visits.module';
export { VisitDocumentService } from './visit-document.service';
export { VisitsService } from './visits.service';
export { VISIT_STATUSES, VISIT_TYPES, emptyConsultation } from './visit.model';
export type { VisitRow, VisitVersionRow, NewVisit, VisitStatus, VisitType } from './visit.model';
export { CLINICAL_STATUSES } from './consultation.model';
export type { Consultation, Vitals, CodedFinding, Prescription, ClinicalStatus } from './consultation.model';
export { bmiOf } from './consultation.merge';
export {
  renderOpConsultDocument,
  renderPrescriptionDocument,
  renderWellnessDocument,
  VISIT_DOCUMENT_TYPES,
  isVisitDocumentType,
  visitDocumentTypes,
} from './fhir';
export type { OpConsultDocumentInput, VisitDocumentInput, VisitDocumentType } from './fhir';
