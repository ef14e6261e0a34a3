import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import type { Block, PrintableDocument } from './document.model';
import { FONT, fontFiles, scriptRuns } from './fonts';

type Doc = PDFKit.PDFDocument;

const MARGIN = { A4: 48, A5: 32 } as const;
const BODY = { A4: 10.5, A5: 9 } as const;
const RULE = '#888888';

/**
 * Renders a printable document to PDF bytes. Pure: no I/O but reading the bundled fonts;
 * the same input gives the same pages (the creation date is the only varying metadata).
 */
export async function renderPdf(input: PrintableDocument): Promise<Buffer> {
  const doc = new PDFDocument({
    size: input.size,
    margin: MARGIN[input.size],
    bufferPages: true,
    lang: input.lang,
    info: { Title: input.title },
    displayTitle: true,
  });
  for (const [name, data] of Object.entries(fontFiles())) doc.registerFont(name, data);
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const layout = new Layout(doc, BODY[input.size]);
  if (input.letterhead) layout.letterhead(input.letterhead.name, input.letterhead.lines ?? []);
  for (const block of input.blocks) layout.block(block);
  if (input.footer) layout.footers(input.footer);
  doc.end();
  return done;
}

class Layout {
  constructor(
    private readonly doc: Doc,
    private readonly body: number,
  ) {}

  private get left() {
    return this.doc.page.margins.left;
  }
  private get width() {
    return this.doc.page.width - this.doc.page.margins.left - this.doc.page.margins.right;
  }
  private get bottom() {
    return this.doc.page.height - this.doc.page.margins.bottom;
  }

  /** Starts a new page when `height` more points would not fit. */
  private room(height: number) {
    if (this.doc.y + height > this.bottom) this.doc.addPage();
  }

  /** Sets mixed Latin/Devanagari text at (x, y) wrapped to `width`; leaves doc.y below it. */
  text(text: string, x: number, y: number, width: number, opts: { bold?: boolean; size?: number; align?: 'left' | 'right' | 'center' } = {}) {
    const doc = this.doc;
    const size = opts.size ?? this.body;
    const runs = scriptRuns(text.length ? text : ' ');
    const total = this.measure(text, opts.bold ?? false, size);
    if (opts.align && opts.align !== 'left' && total <= width) {
      // pdfkit centres each continued run on its own: place the runs of one line by hand.
      let cx = x + (opts.align === 'center' ? (width - total) / 2 : width - total);
      for (const run of runs) {
        this.font(run.devanagari, opts.bold ?? false, size);
        doc.text(run.text, cx, y, { lineBreak: false });
        cx += doc.widthOfString(run.text);
      }
      doc.x = x;
      doc.y = y + doc.currentLineHeight(true);
      return;
    }
    runs.forEach((run, i) => {
      this.font(run.devanagari, opts.bold ?? false, size);
      const o = { width, continued: i < runs.length - 1 };
      if (i === 0) doc.text(run.text, x, y, o);
      else doc.text(run.text, o);
    });
  }

  private font(devanagari: boolean, bold: boolean, size: number) {
    this.doc.fontSize(size).font(devanagari ? (bold ? FONT.devaBold : FONT.deva) : bold ? FONT.latinBold : FONT.latin);
  }

  /** Height the text would take (same metrics for both script files of the face). */
  private height(text: string, width: number, size = this.body, bold = false) {
    this.doc.fontSize(size).font(bold ? FONT.latinBold : FONT.latin);
    return this.doc.heightOfString(text || ' ', { width });
  }

  letterhead(name: string, lines: string[]) {
    this.text(name, this.left, this.doc.y, this.width, { bold: true, size: this.body * 1.8, align: 'center' });
    for (const line of lines) this.text(line, this.left, this.doc.y, this.width, { size: this.body * 0.9, align: 'center' });
    this.gap(0.3);
    this.rule(1.2);
    this.gap(0.6);
  }

  block(block: Block) {
    switch (block.kind) {
      case 'heading':
        this.room(this.height(block.text, this.width, this.body * 1.3, true) + this.body * 3);
        this.gap(0.4);
        this.text(block.text, this.left, this.doc.y, this.width, { bold: true, size: this.body * 1.3 });
        this.gap(0.3);
        return;
      case 'paragraph':
        return this.paragraph(block.text, block.label);
      case 'keyValues':
        return this.keyValues(block.rows, block.columns ?? 1);
      case 'table':
        return this.table(block.headers, block.rows, block.widths);
      case 'qr':
        return this.qr(block.value, block.caption, block.sizePt ?? 72);
      case 'signature':
        return this.signature(block.label, block.name);
    }
  }

  private paragraph(text: string, label?: string) {
    const full = label ? `${label}: ${text}` : text;
    this.room(Math.min(this.height(full, this.width), this.body * 4));
    if (!label) {
      this.text(text, this.left, this.doc.y, this.width);
    } else {
      const x = this.left;
      const labelWidth = Math.min(this.width * 0.3, this.measure(`${label}:`, true) + 6);
      const y = this.doc.y;
      this.text(`${label}:`, x, y, labelWidth, { bold: true });
      const afterLabel = this.doc.y;
      this.text(text, x + labelWidth, y, this.width - labelWidth);
      this.doc.y = Math.max(this.doc.y, afterLabel);
    }
    this.gap(0.4);
  }

  private measure(text: string, bold: boolean, size = this.body) {
    return scriptRuns(text).reduce((w, run) => {
      this.font(run.devanagari, bold, size);
      return w + this.doc.widthOfString(run.text);
    }, 0);
  }

  private keyValues(rows: Array<[string, string]>, columns: 1 | 2) {
    const colWidth = (this.width - (columns - 1) * 12) / columns;
    const labelWidth = Math.min(colWidth * 0.4, Math.max(...rows.map(([l]) => this.measure(l, true))) + 8);
    for (let i = 0; i < rows.length; i += columns) {
      const line = rows.slice(i, i + columns);
      const h = Math.max(...line.map(([l, v]) => Math.max(this.height(l, labelWidth, this.body, true), this.height(v, colWidth - labelWidth))));
      this.room(h);
      const y = this.doc.y;
      let bottom = y;
      line.forEach(([label, value], c) => {
        const x = this.left + c * (colWidth + 12);
        this.text(label, x, y, labelWidth, { bold: true });
        bottom = Math.max(bottom, this.doc.y);
        this.text(value, x + labelWidth, y, colWidth - labelWidth);
        bottom = Math.max(bottom, this.doc.y);
      });
      this.doc.y = bottom + this.body * 0.15;
    }
    this.gap(0.3);
  }

  private table(headers: string[], rows: string[][], widths?: number[]) {
    const weights = widths ?? headers.map(() => 1);
    const total = weights.reduce((a, b) => a + b, 0);
    const cols = weights.map((w) => (w / total) * this.width);
    const pad = 3;
    const drawRow = (cells: string[], bold: boolean) => {
      const h = Math.max(...cells.map((c, i) => this.height(c, cols[i] - 2 * pad, this.body, bold))) + 2 * pad;
      this.room(h);
      const y = this.doc.y;
      let x = this.left;
      let bottom = y + h;
      cells.forEach((cell, i) => {
        this.text(cell, x + pad, y + pad, cols[i] - 2 * pad, { bold });
        bottom = Math.max(bottom, this.doc.y + pad);
        x += cols[i];
      });
      this.doc.moveTo(this.left, bottom).lineTo(this.left + this.width, bottom).lineWidth(bold ? 0.9 : 0.4).strokeColor(RULE).stroke();
      this.doc.x = this.left;
      this.doc.y = bottom;
    };
    this.doc.moveTo(this.left, this.doc.y).lineTo(this.left + this.width, this.doc.y).lineWidth(0.9).strokeColor(RULE).stroke();
    drawRow(headers, true);
    for (const row of rows) drawRow(headers.map((_, i) => row[i] ?? ''), false);
    this.gap(0.6);
  }

  private qr(value: string, caption: string | undefined, size: number) {
    const code = QRCode.create(value, { errorCorrectionLevel: 'M' });
    const n = code.modules.size;
    const cell = size / n;
    this.room(size + this.body * 2);
    const x0 = this.left;
    const y0 = this.doc.y;
    this.doc.fillColor('#000000');
    for (let r = 0; r < n; r++) {
      for (let c = 0; c < n; c++) {
        if (code.modules.get(r, c)) this.doc.rect(x0 + c * cell, y0 + r * cell, cell, cell);
      }
    }
    this.doc.fill();
    this.doc.y = y0 + size + 2;
    if (caption) this.text(caption, x0, this.doc.y, Math.max(size, 160), { size: this.body * 0.85 });
    this.gap(0.4);
  }

  private signature(label: string, name?: string) {
    const w = Math.min(200, this.width / 2);
    this.room(this.body * 7);
    this.gap(3);
    const x = this.left + this.width - w;
    this.doc.moveTo(x, this.doc.y).lineTo(x + w, this.doc.y).lineWidth(0.6).strokeColor('#000000').stroke();
    this.gap(0.2);
    if (name) this.text(name, x, this.doc.y, w, { bold: true, align: 'center' });
    this.text(label, x, this.doc.y, w, { align: 'center', size: this.body * 0.9 });
    this.doc.x = this.left;
  }

  footers(footer: string) {
    const range = this.doc.bufferedPageRange();
    for (let i = range.start; i < range.start + range.count; i++) {
      this.doc.switchToPage(i);
      const bottomMargin = this.doc.page.margins.bottom;
      // Writing below the bottom margin would add a page: lift the margin while writing.
      this.doc.page.margins.bottom = 0;
      const y = this.doc.page.height - bottomMargin * 0.6;
      const suffix = range.count > 1 ? `  ·  ${i - range.start + 1}/${range.count}` : '';
      this.text(footer + suffix, this.left, y, this.width, { size: this.body * 0.75, align: 'center' });
      this.doc.page.margins.bottom = bottomMargin;
    }
  }

  private gap(lines: number) {
    this.doc.y += this.body * lines;
  }

  private rule(weight: number) {
    this.doc.moveTo(this.left, this.doc.y).lineTo(this.left + this.width, this.doc.y).lineWidth(weight).strokeColor(RULE).stroke();
  }
}
