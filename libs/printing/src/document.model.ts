/** What a printable page holds. Plain data: callers build it, `renderPdf` lays it out. */
export type PageSize = 'A4' | 'A5';

export interface Letterhead {
  /** The clinic's name, printed large at the top of every first page. */
  name: string;
  /** Address, phone, registration number: one short line each. */
  lines?: string[];
}

export type Block =
  | { kind: 'heading'; text: string }
  /** Label/value pairs; `columns: 2` puts them in two columns (A4 banners). */
  | { kind: 'keyValues'; rows: Array<[label: string, value: string]>; columns?: 1 | 2 }
  /** A ruled table; `widths` are relative (default equal), rows are plain text cells. */
  | { kind: 'table'; headers: string[]; rows: string[][]; widths?: number[] }
  /** Text that wraps; an optional bold label before it ("Advice: …"). */
  | { kind: 'paragraph'; text: string; label?: string }
  /** A QR code of `value` (e.g. an MRN), `caption` under it, left-aligned. */
  | { kind: 'qr'; value: string; caption?: string; sizePt?: number }
  /** A line to sign on, right-aligned, with `label` (and the signer's name) under it. */
  | { kind: 'signature'; label: string; name?: string };

export interface PrintableDocument {
  size: PageSize;
  /** PDF metadata title (shown in viewers' title bars). */
  title: string;
  /** BCP 47 language of the text (PDF /Lang, for screen readers). */
  lang?: string;
  letterhead?: Letterhead;
  blocks: Block[];
  /** Small print at the bottom of every page, e.g. "Printed 08/12/2026 10:15". */
  footer?: string;
}
