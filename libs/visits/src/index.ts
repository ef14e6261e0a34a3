/**
 * Public face of outpatient visits. Stable surface (other modules, e.g. ABDM, rely on it):
 * - VisitsModule: import it to inject VisitsService.
 * - VisitsService.create(NewVisit), .get(id), .sign(id), .listSignedForPatient(patientId):
 *   run inside a TenantScope transaction; audited; 404 for foreign ids.
 * - VisitRow, NewVisit, VisitStatus, VISIT_STATUSES.
 */
export { VisitsModule } from './visits.module';
export { VisitsService } from './visits.service';
export { VISIT_STATUSES } from './visit.model';
export type { VisitRow, NewVisit, VisitStatus } from './visit.model';
export { renderOpConsultDocument } from './fhir';
export type { OpConsultDocumentInput } from './fhir';
