export { renderOpConsultDocument, bodyMassIndex } from './op-consult-document';
export type { OpConsultDocumentInput } from './op-consult-document';
export { renderPrescriptionDocument } from './prescription-document';
export { renderWellnessDocument } from './wellness-document';
export type { VisitDocumentInput } from './document-frame';
export {
  VISIT_DOCUMENT_TYPES,
  isVisitDocumentType,
  renderVisitDocument,
  visitDocumentTypes,
} from './documents';
export type { VisitDocumentType } from './documents';
