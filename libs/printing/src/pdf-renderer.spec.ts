import { pdfPages, pdfText, squash } from '../../../test/support/pdf-text';
import { renderPdf } from './pdf-renderer';
import type { PrintableDocument } from './document.model';

const prescription = (size: 'A4' | 'A5', rows = 2): PrintableDocument => ({
  size,
  title: 'Prescription',
  lang: 'hi',
  letterhead: { name: 'शान्ति Clinic', lines: ['12 MG Road, Pune'] },
  blocks: [
    { kind: 'heading', text: 'पर्चा Prescription' },
    { kind: 'keyValues', columns: 2, rows: [['Patient', 'अर्जुन कुमार'], ['MRN', 'MRN-000123'], ['Date', '08/12/2026']] },
    {
      kind: 'table',
      headers: ['Medicine', 'Dose', 'Frequency', 'Days'],
      widths: [3, 1, 2, 1],
      rows: Array.from({ length: rows }, (_, i) => [`Paracetamol ${i + 1}`, '500 mg', 'तीन बार', '5']),
    },
    { kind: 'paragraph', label: 'Advice', text: 'Drink fluids. आराम करें' },
    { kind: 'qr', value: 'MRN-000123', caption: 'MRN-000123' },
    { kind: 'signature', label: 'Signature', name: 'Dr Meera Rao' },
  ],
  footer: 'Printed 08/12/2026 10:15',
});

describe('renderPdf', () => {
  it.each(['A4', 'A5'] as const)('lays out every kind of block on one %s page, Latin and Devanagari both extractable', async (size) => {
    const pdf = await renderPdf(prescription(size));
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const text = squash(pdfText(pdf));
    for (const words of ['Clinic', '12 MG Road, Pune', 'Prescription', 'Patient', 'कुमार', 'MRN MRN-000123', 'Date 08/12/2026', 'Medicine Dose Frequency Days', 'Paracetamol 1 500 mg तीन बार 5', 'Advice: Drink fluids. आराम करें', 'Dr Meera Rao', 'Signature', 'Printed 08/12/2026 10:15']) {
      expect(text).toContain(words);
    }
    expect(pdfPages(pdf)).toHaveLength(1);
  });

  it('uses the page size asked for (A4 595×842 pt, A5 420×595 pt)', async () => {
    const a4 = (await renderPdf(prescription('A4'))).toString('latin1');
    const a5 = (await renderPdf(prescription('A5'))).toString('latin1');
    expect(a4).toMatch(/\/MediaBox \[0 0 595\.28 841\.89\]/);
    expect(a5).toMatch(/\/MediaBox \[0 0 419\.53 595\.28\]/);
  });

  it('continues a long table on a second page and numbers the pages in the footer', async () => {
    const pdf = await renderPdf(prescription('A5', 40));
    const pages = pdfPages(pdf);
    expect(pages).toHaveLength(2);
    const text = squash(pdfText(pdf));
    expect(text).toContain('Paracetamol 40');
    expect(text).toContain('Printed 08/12/2026 10:15 · 1/2');
    expect(text).toContain('Printed 08/12/2026 10:15 · 2/2');
  });
});
