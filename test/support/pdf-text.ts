import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Reads a PDF as a person would: its words through pdftotext (layout kept), and its pages as
 * PNG through pdftoppm. poppler-utils comes from scripts/ensure-poppler.sh (npm test runs it).
 */
export function pdfText(pdf: Buffer): string {
  return execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', '-', '-'], { input: pdf }).toString('utf8');
}

/** Page count from pdfinfo-free means: one PNG per page. Writes them to `outDir` when given. */
export function pdfPages(pdf: Buffer, dpi = 60, outDir?: string, prefix = 'page'): Buffer[] {
  const dir = mkdtempSync(join(tmpdir(), 'pdf-pages-'));
  try {
    const src = join(dir, 'in.pdf');
    writeFileSync(src, pdf);
    execFileSync('pdftoppm', ['-r', String(dpi), '-png', src, join(dir, prefix)]);
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.png'))
      .sort();
    const pages = files.map((f) => readFileSync(join(dir, f)));
    if (outDir) files.forEach((f, i) => writeFileSync(join(outDir, f), pages[i]));
    return pages;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Whitespace-insensitive: pdftotext spaces columns apart. */
export const squash = (s: string) => s.replace(/\s+/g, ' ').trim();
