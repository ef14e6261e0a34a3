import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Noto Sans Devanagari from @fontsource (an npm dependency, so no system font is needed):
 * the package splits the face into a Latin and a Devanagari file, so text is cut into runs
 * by script and each run is set in its file. fontkit (inside pdfkit) shapes the Devanagari
 * runs: conjuncts, reph and the pre-base i-matra come out in visual order.
 */
export const FONT = {
  latin: 'latin-400',
  latinBold: 'latin-700',
  deva: 'deva-400',
  devaBold: 'deva-700',
} as const;

const PACKAGE_DIR = dirname(require.resolve('@fontsource/noto-sans-devanagari/package.json'));

let cache: Record<string, Buffer> | undefined;

export function fontFiles(): Record<string, Buffer> {
  cache ??= {
    [FONT.latin]: load('latin', 400),
    [FONT.latinBold]: load('latin', 700),
    [FONT.deva]: load('devanagari', 400),
    [FONT.devaBold]: load('devanagari', 700),
  };
  return cache;
}

function load(subset: string, weight: number): Buffer {
  return readFileSync(join(PACKAGE_DIR, 'files', `noto-sans-devanagari-${subset}-${weight}-normal.woff`));
}

export interface ScriptRun {
  text: string;
  devanagari: boolean;
}

/** Devanagari, its extensions, the dotted circle, and the joiners that steer conjuncts. */
const DEVANAGARI_RANGES: Array<[number, number]> = [
  [0x0900, 0x097f],
  [0xa8e0, 0xa8ff],
  [0x1cd0, 0x1cff],
  [0x200c, 0x200d],
  [0x25cc, 0x25cc],
];
const isDevanagari = (ch: string) => {
  const cp = ch.codePointAt(0) ?? 0;
  return DEVANAGARI_RANGES.some(([lo, hi]) => cp >= lo && cp <= hi);
};
/** Cuts text into runs of one script (spaces and digits are set in the Latin file). */
export function scriptRuns(text: string): ScriptRun[] {
  const runs: ScriptRun[] = [];
  for (const ch of text) {
    const deva = isDevanagari(ch);
    const last = runs[runs.length - 1];
    if (last && last.devanagari === deva) last.text += ch;
    else runs.push({ text: ch, devanagari: deva });
  }
  return runs;
}
