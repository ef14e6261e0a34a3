export type { Block, Letterhead, PageSize, PrintableDocument } from './document.model';
export { renderPdf } from './pdf-renderer';
