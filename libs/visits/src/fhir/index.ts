export { renderOpConsultDocument, bodyMassIndex } from './op-consult-document';
export type { OpConsultDocumentInput } from './op-consult-document';
