/**
 * The speakers' list of a session as an A4 landscape PDF: a pure renderer (no database, no HTTP) from a resolved view.
 * Names come in their own script and in Latin letters, so a cell may be Latin, Cyrillic, Arabic or Chinese: each cell is
 * split into runs by script, each run drawn in the Noto font that has its glyphs (Noto Sans, Noto Naskh Arabic, Noto
 * Sans SC, from npm). Arabic runs are shaped by fontkit as whole runs (`features: []`; word-by-word shaping lost spaces
 * and order); a cell whose first strong letter is Arabic is laid out right to left (runs in reverse order, aligned to the
 * cell's right edge). One line per cell: a value too wide for its column is drawn smaller, down to 6 pt.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import bidiModule, { type Bidi } from 'bidi-js';
import PDFDocument from 'pdfkit';

export type SpeakersListView = {
  title: string;
  lines: string[]; // event, date and time, time per statement, total
  warning?: string; // an overrun, shown in red
  headers: string[];
  widths: number[]; // relative column widths
  rows: string[][];
  footer: string;
  lang: string;
  /** Right to left (Arabic): the title and lines are laid out from the right. */
  rtl: boolean;
};

type Doc = InstanceType<typeof PDFDocument>;
type Script = 'latin' | 'arabic' | 'cjk';

const FONT = { latin: 'NotoSans', bold: 'NotoSans-Bold', arabic: 'NotoNaskhArabic', cjk: 'NotoSansSC' } as const;
let fontCache: Record<keyof typeof FONT, Buffer> | undefined;

function fonts() {
  if (!fontCache) {
    const require = createRequire(import.meta.url);
    const read = (p: string) => fs.readFileSync(require.resolve(`@expo-google-fonts/${p}`));
    fontCache = {
      latin: read('noto-sans/400Regular/NotoSans_400Regular.ttf'),
      bold: read('noto-sans/700Bold/NotoSans_700Bold.ttf'),
      arabic: read('noto-naskh-arabic/400Regular/NotoNaskhArabic_400Regular.ttf'),
      cjk: read('noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf'),
    };
  }
  return fontCache;
}

const isArabic = (c: number) =>
  (c >= 0x0600 && c <= 0x06ff) ||
  (c >= 0x0750 && c <= 0x077f) ||
  (c >= 0x08a0 && c <= 0x08ff) ||
  (c >= 0xfb50 && c <= 0xfdff) ||
  (c >= 0xfe70 && c <= 0xfeff);
const isCjk = (c: number) =>
  (c >= 0x2e80 && c <= 0x9fff) ||
  (c >= 0xf900 && c <= 0xfaff) ||
  (c >= 0xff00 && c <= 0xffef) ||
  (c >= 0x20000 && c <= 0x2fa1f);
const scriptOf = (ch: string): Script => {
  const c = ch.codePointAt(0)!;
  return isArabic(c) ? 'arabic' : isCjk(c) ? 'cjk' : 'latin';
};

// bidi-js is CommonJS: its default export is the factory itself at run time, whatever its typings say.
const bidiFactory =
  (bidiModule as unknown as { default?: () => Bidi }).default ?? (bidiModule as unknown as () => Bidi);
const bidi = bidiFactory();

export type Run = { text: string; script: Script; level: number };

/**
 * Splits a line into runs of one bidi level and one font, in visual order (Unicode rule L2). Spaces between two Arabic
 * letters stay in the Arabic run, so it is shaped whole; digits, Latin and punctuation take Noto Sans. Arabic runs keep
 * their logical order (fontkit lays them out right to left); other right-to-left runs (brackets, spaces between Arabic
 * words and digits) are reversed and mirrored here.
 */
export function visualRuns(text: string, rtl: boolean): Run[] {
  const chars = [...text];
  // getEmbeddingLevels indexes UTF-16 code units: map each code point to its first unit.
  const { levels } = bidi.getEmbeddingLevels(text, rtl ? 'rtl' : 'ltr');
  const units: number[] = [];
  let u = 0;
  for (const ch of chars) {
    units.push(u);
    u += ch.length;
  }
  const scripts = chars.map((ch) => scriptOf(ch));
  const isSpace = (ch: string) => /\s/.test(ch);
  for (let i = 0; i < chars.length; i++) {
    if (!isSpace(chars[i])) continue;
    let a = i - 1;
    while (a >= 0 && isSpace(chars[a])) a--;
    let b = i + 1;
    while (b < chars.length && isSpace(chars[b])) b++;
    if (a >= 0 && b < chars.length && scripts[a] === 'arabic' && scripts[b] === 'arabic') scripts[i] = 'arabic';
  }
  const runs: Run[] = [];
  chars.forEach((ch, i) => {
    const level = levels[units[i]];
    const last = runs.at(-1);
    if (last && last.level === level && last.script === scripts[i]) last.text += ch;
    else runs.push({ text: ch, script: scripts[i], level });
  });
  // L2: from the highest level down to the lowest odd level, reverse every sequence at that level or higher.
  const max = Math.max(0, ...runs.map((r) => r.level));
  const minOdd = Math.min(...runs.map((r) => r.level).filter((l) => l % 2 === 1), Infinity);
  for (let lv = max; lv >= minOdd && lv >= 1; lv--) {
    for (let i = 0; i < runs.length; ) {
      if (runs[i].level < lv) {
        i++;
        continue;
      }
      let j = i;
      while (j < runs.length && runs[j].level >= lv) j++;
      runs.splice(i, j - i, ...runs.slice(i, j).reverse());
      i = j;
    }
  }
  return runs.map((r) =>
    r.level % 2 === 1 && r.script !== 'arabic'
      ? {
          ...r,
          text: [...r.text]
            .reverse()
            .map((c) => bidi.getMirroredCharacter(c) ?? c)
            .join(''),
        }
      : r,
  );
}

const FEATURES: Record<Script, unknown> = { latin: { ccmp: false }, arabic: [], cjk: [] };

function runWidth(doc: Doc, r: Run, size: number, bold: boolean): number {
  doc.font(bold && r.script === 'latin' ? FONT.bold : FONT[r.script]).fontSize(size);
  return doc.widthOfString(r.text, { features: FEATURES[r.script] as PDFKit.Mixins.OpenTypeFeatures[] });
}

/** Draws one line of text in a cell, by runs; right-aligned when the line is right to left. */
function drawCell(
  doc: Doc,
  text: string,
  x: number,
  y: number,
  width: number,
  size: number,
  opts: { bold?: boolean; rtl?: boolean } = {},
) {
  const t = text.trim();
  if (!t) return;
  const first = [...t].find((ch) => /\p{L}/u.test(ch));
  const rtl = opts.rtl ?? (first != null && scriptOf(first) === 'arabic');
  const runs = visualRuns(t, rtl);
  const bold = !!opts.bold;
  let s = size;
  let total = runs.reduce((a, r) => a + runWidth(doc, r, s, bold), 0);
  while (total > width && s > 6) {
    s -= 0.5;
    total = runs.reduce((a, r) => a + runWidth(doc, r, s, bold), 0);
  }
  let cx = rtl ? x + width - total : x;
  for (const r of runs) {
    const w = runWidth(doc, r, s, bold);
    doc.text(r.text, cx, y, {
      lineBreak: false,
      baseline: 'alphabetic',
      features: FEATURES[r.script] as PDFKit.Mixins.OpenTypeFeatures[],
    });
    cx += w;
  }
}

const PAGE: [number, number] = [841.89, 595.28];
const M = 36;

export async function renderSpeakersList(v: SpeakersListView): Promise<Buffer> {
  const f = fonts();
  const doc = new PDFDocument({
    size: PAGE,
    margins: { top: M, bottom: M, left: M, right: M },
    autoFirstPage: false,
    lang: v.lang,
    info: { Title: v.title, Author: 'WSIS Forum 2026 secretariat' },
  });
  for (const [k, name] of Object.entries(FONT)) doc.registerFont(name, f[k as keyof typeof FONT]);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));

  const W = PAGE[0] - 2 * M;
  const sum = v.widths.reduce((a, b) => a + b, 0);
  const cols = v.widths.map((w) => (w / sum) * W);
  const rowH = 20;
  let page = 0;
  let y = 0;
  const newPage = () => {
    doc.addPage();
    page++;
    y = M + 16;
    drawCell(doc, v.title, M, y, W, 15, { bold: true, rtl: v.rtl });
    y += 22;
    if (page === 1) {
      for (const line of v.lines) {
        drawCell(doc, line, M, y, W, 10, { rtl: v.rtl });
        y += 15;
      }
      if (v.warning) {
        doc.fillColor('#a01818');
        drawCell(doc, v.warning, M, y, W, 10, { bold: true, rtl: v.rtl });
        doc.fillColor('#1a1a1a');
        y += 15;
      }
      y += 6;
    }
    doc.rect(M, y - 13, W, rowH).fill('#e8eef5');
    doc.fillColor('#1a1a1a');
    let x = M;
    v.headers.forEach((h, i) => {
      drawCell(doc, h, x + 3, y, cols[i] - 6, 9, { bold: true });
      x += cols[i];
    });
    y += rowH;
    doc.font(FONT.latin).fontSize(8).fillColor('#5b6470');
    doc.page.margins.bottom = 0; // the footer sits in the margin: no automatic page
    doc.text(`${v.footer} · ${page}`, M, PAGE[1] - M + 8, { width: W, lineBreak: false, baseline: 'alphabetic' });
    doc.fillColor('#1a1a1a');
  };
  newPage();
  for (const row of v.rows) {
    if (y + rowH > PAGE[1] - M - 10) newPage();
    let x = M;
    row.forEach((cell, i) => {
      drawCell(doc, cell, x + 3, y, cols[i] - 6, 10);
      x += cols[i];
    });
    doc
      .moveTo(M, y + 6)
      .lineTo(M + W, y + 6)
      .lineWidth(0.4)
      .strokeColor('#c3cad3')
      .stroke();
    y += rowH;
  }
  doc.end();
  return done;
}
