import type { Block, PageSize, PrintableDocument } from '@hims/printing';
import type { InvoiceDocumentData } from '../invoice-documents.service';
import { formatAmount as formatRupees } from '../money';
import { amountInWords, Language } from '../words';
import { LABELS } from './labels';

export type PrintWidth = 'a4' | 'a5' | '80mm';

/** What every printed form of an invoice shows, as label/value rows and table cells (plain text). */
export interface InvoiceSheet {
  title: string;
  letterhead: { name: string; lines: string[] };
  facts: Array<[string, string]>;
  itemHeaders: string[];
  items: string[][];
  taxRows: Array<[string, string]>;
  totals: Array<[string, string]>;
  inWords: string;
  paymentHeaders: string[];
  currencyNote: string;
  payments: string[][];
  footer: string;
}

const pct = (bp: number) => `${bp / 100}%`;

/** Builds the sheet in one language; amounts are formatted rupees from integer paise. */
export function invoiceSheet(d: InvoiceDocumentData, lang: Language, printedAt: Date): InvoiceSheet {
  const L = LABELS[lang];
  const inv = d.invoice;
  const when = (iso: string | Date) =>
    new Intl.DateTimeFormat('en-IN', {
      timeZone: d.timeZone,
      dateStyle: 'medium',
      timeStyle: 'short',
    }).format(new Date(iso));
  const credit = inv.kind === 'credit_note';
  const facts: Array<[string, string]> = [
    [credit ? L.creditNumber : L.number, inv.number ?? ''],
    [L.date, inv.finalisedAt ? when(inv.finalisedAt) : ''],
    [L.patient, d.patient.name],
    [L.mrn, d.patient.mrn],
  ];
  if (credit && d.creditNoteForNumber) facts.push([L.creditFor, d.creditNoteForNumber]);
  if (inv.status === 'cancelled') facts.push([L.cancelled, inv.cancelReason ?? '']);
  const taxByRate = new Map<number, { cgst: number; sgst: number }>();
  for (const l of d.lines) {
    if (l.gstRateBp === null) continue;
    const t = taxByRate.get(l.gstRateBp) ?? { cgst: 0, sgst: 0 };
    t.cgst += l.cgstPaise;
    t.sgst += l.sgstPaise;
    taxByRate.set(l.gstRateBp, t);
  }
  const taxRows: Array<[string, string]> = [];
  for (const [rate, t] of [...taxByRate.entries()].sort((x, y) => x[0] - y[0])) {
    taxRows.push(
      [`CGST ${pct(rate / 2)}`, formatRupees(t.cgst)],
      [`SGST ${pct(rate / 2)}`, formatRupees(t.sgst)],
    );
  }
  const totals: Array<[string, string]> = [
    [L.subtotal, formatRupees(inv.subtotalPaise)],
    [L.discount, formatRupees(inv.discountPaise)],
    [L.tax, formatRupees(inv.taxPaise)],
    [L.total, formatRupees(inv.totalPaise)],
  ];
  if (!credit) {
    const owed = inv.status === 'cancelled' ? 0 : inv.totalPaise;
    totals.push([L.paid, formatRupees(inv.paidPaise)], [L.balance, formatRupees(owed - inv.paidPaise)]);
  }
  const refunded = new Map<string, number>();
  for (const r of d.refunds) refunded.set(r.paymentId, (refunded.get(r.paymentId) ?? 0) + r.amountPaise);
  return {
    title: `${credit ? L.creditNote : L.invoice} ${inv.number ?? ''}`.trim(),
    letterhead: {
      name: d.clinic.legalName ?? d.clinic.name,
      lines: [d.clinic.address, d.clinic.gstin ? `GSTIN ${d.clinic.gstin}` : null].filter(
        (x): x is string => !!x,
      ),
    },
    facts,
    itemHeaders: ['#', L.item, L.hsn, L.qty, L.rate, L.discount, L.tax, L.amount],
    items: d.lines.map((l) => [
      String(l.position),
      l.description,
      l.hsnSac ?? L.exempt,
      String(l.quantity),
      formatRupees(l.unitPricePaise),
      l.discountPaise ? formatRupees(l.discountPaise) : '',
      l.gstRateBp === null ? '' : `${formatRupees(l.cgstPaise + l.sgstPaise)} (${pct(l.gstRateBp)})`,
      formatRupees(l.totalPaise),
    ]),
    taxRows,
    totals,
    inWords: amountInWords(inv.totalPaise, lang),
    paymentHeaders: [L.date, L.mode, L.reference, L.amount, L.refunded],
    currencyNote: L.currency,
    payments: d.payments.map((p) => [
      when(p.receivedAt),
      L.modes[p.mode] ?? p.mode,
      p.reference ?? '',
      formatRupees(p.amountPaise),
      refunded.get(p.id) ? formatRupees(refunded.get(p.id)!) : '',
    ]),
    footer: `${L.printed} ${when(printedAt)}`,
  };
}

/** The sheet as the shared printing library's document (A4 or A5 PDF). */
export function invoicePrintable(sheet: InvoiceSheet, lang: Language, size: PageSize): PrintableDocument {
  const L = LABELS[lang];
  const blocks: Block[] = [
    { kind: 'heading', text: sheet.title },
    { kind: 'keyValues', rows: sheet.facts, columns: size === 'A4' ? 2 : 1 },
    {
      kind: 'table',
      headers: sheet.itemHeaders,
      rows: sheet.items,
      widths: [0.4, 3, 1.4, 0.8, 1.5, 1.6, 1.7, 1.7],
    },
  ];
  if (sheet.taxRows.length) blocks.push({ kind: 'keyValues', rows: sheet.taxRows });
  blocks.push(
    { kind: 'keyValues', rows: sheet.totals },
    { kind: 'paragraph', label: L.inWords, text: sheet.inWords },
    { kind: 'paragraph', text: sheet.currencyNote },
  );
  if (sheet.payments.length) {
    blocks.push(
      { kind: 'heading', text: L.payments },
      {
        kind: 'table',
        headers: sheet.paymentHeaders,
        rows: sheet.payments,
        widths: [2.4, 1.2, 2.4, 1.6, 1.6],
      },
    );
  }
  return { size, title: sheet.title, lang, letterhead: sheet.letterhead, blocks, footer: sheet.footer };
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const PAGE_CSS: Record<PrintWidth, string> = {
  a4: '@page { size: A4; margin: 14mm } body { font-size: 11pt; max-width: 182mm }',
  a5: '@page { size: A5; margin: 10mm } body { font-size: 9.5pt; max-width: 128mm }',
  // 80 mm thermal roll: 72 mm printable; the item table drops HSN, rate and discount columns.
  '80mm':
    '@page { size: 80mm auto; margin: 3mm 4mm } body { font-size: 8.5pt; width: 72mm } .wide { display: none }',
};

/** A printable HTML page of the sheet for A4, A5 or an 80 mm thermal roll (the console prints it). */
export function invoiceHtml(sheet: InvoiceSheet, lang: Language, width: PrintWidth): string {
  const L = LABELS[lang];
  const wide = new Set([2, 4, 5]);
  const cell = (tag: string, i: number, v: string) =>
    `<${tag}${wide.has(i) ? ' class="wide"' : ''}>${esc(v)}</${tag}>`;
  const kv = (rows: Array<[string, string]>) =>
    rows.map(([k, v]) => `<tr><th scope="row">${esc(k)}</th><td>${esc(v)}</td></tr>`).join('');
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><title>${esc(sheet.title)}</title>
<style>
body { font-family: 'Noto Sans', 'Noto Sans Devanagari', 'Lohit Devanagari', sans-serif; color: #000; margin: 0 auto }
${PAGE_CSS[width]}
h1 { font-size: 1.4em; margin: 0 } h2 { font-size: 1.15em; margin: .6em 0 .3em } p { margin: .2em 0 }
table { border-collapse: collapse; width: 100%; margin: .3em 0 } th, td { text-align: left; padding: .15em .3em; vertical-align: top }
.items th, .items td { border-bottom: 1px solid #999 } .items td:last-child, .kv td { text-align: right }
.kv th { font-weight: normal } .kv tr:last-child th, .kv tr:last-child td { font-weight: bold }
</style></head><body>
<header><h1>${esc(sheet.letterhead.name)}</h1>${sheet.letterhead.lines.map((l) => `<p>${esc(l)}</p>`).join('')}</header>
<h2>${esc(sheet.title)}</h2>
<table class="facts">${kv(sheet.facts)}</table>
<table class="items"><thead><tr>${sheet.itemHeaders.map((h, i) => cell('th', i, h)).join('')}</tr></thead>
<tbody>${sheet.items.map((r) => `<tr>${r.map((v, i) => cell('td', i, v)).join('')}</tr>`).join('')}</tbody></table>
${sheet.taxRows.length ? `<table class="kv">${kv(sheet.taxRows)}</table>` : ''}
<table class="kv">${kv(sheet.totals)}</table>
<p><strong>${esc(L.inWords)}:</strong> ${esc(sheet.inWords)}</p>
<p>${esc(sheet.currencyNote)}</p>
${sheet.payments.length ? `<h2>${esc(L.payments)}</h2><table class="items"><thead><tr>${sheet.paymentHeaders.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${sheet.payments.map((r) => `<tr>${r.map((v) => `<td>${esc(v)}</td>`).join('')}</tr>`).join('')}</tbody></table>` : ''}
<footer><p>${esc(sheet.footer)}</p></footer>
</body></html>`;
}
