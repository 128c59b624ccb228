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

const isArabic = (c: number) => (c >= 0x0600 && c <= 0x06ff) || (c >= 0x0750 && c <= 0x077f) || (c >= 0x08a0 && c <= 0x08ff) || (c >= 0xfb50 && c <= 0xfdff) || (c >= 0xfe70 && c <= 0xfeff);
const isCjk = (c: number) => (c >= 0x2e80 && c <= 0x9fff) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xff00 && c <= 0xffef) || (c >= 0x20000 && c <= 0x2fa1f);
const isNeutral = (ch: string) => /[\s\p{P}\p{S}\p{N}]/u.test(ch);
const scriptOf = (ch: string): Script => {
  const c = ch.codePointAt(0)!;
  return isArabic(c) ? 'arabic' : isCjk(c) ? 'cjk' : 'latin';
};

export type Run = { text: string; script: Script };

/** Splits text into runs of one script; spaces and punctuation go with the run they sit in. */
export function runsOf(text: string): Run[] {
  const runs: Run[] = [];
  let pending = '';
  for (const ch of text) {
    if (isNeutral(ch)) {
      pending += ch;
      continue;
    }
    const s = scriptOf(ch);
    const last = runs.at(-1);
    if (last && last.script === s) last.text += pending + ch;
    else {
      if (pending && last) last.text += pending; // a neutral between scripts ends the previous run
      else if (pending) {
        runs.push({ text: pending + ch, script: s });
        pending = '';
        continue;
      }
      runs.push({ text: ch, script: s });
    }
    pending = '';
  }
  if (pending) {
    if (runs.length) runs.at(-1)!.text += pending;
    else runs.push({ text: pending, script: 'latin' });
  }
  return runs;
}

const FEATURES: Record<Script, unknown> = { latin: { ccmp: false }, arabic: [], cjk: [] };

function runWidth(doc: Doc, r: Run, size: number): number {
  doc.font(FONT[r.script]).fontSize(size);
  return doc.widthOfString(r.text, { features: FEATURES[r.script] as PDFKit.Mixins.OpenTypeFeatures[] });
}

/** Draws one line of text in a cell, by runs; right to left when its first letter is Arabic. */
function drawCell(doc: Doc, text: string, x: number, y: number, width: number, size: number, bold = false) {
  const runs = runsOf(text.trim()).map((r) => (bold && r.script === 'latin' ? r : r));
  if (!runs.length) return;
  let s = size;
  let total = runs.reduce((a, r) => a + runWidth(doc, r, s), 0);
  while (total > width && s > 6) {
    s -= 0.5;
    total = runs.reduce((a, r) => a + runWidth(doc, r, s), 0);
  }
  const rtl = runs[0].script === 'arabic';
  const ordered = rtl ? [...runs].reverse() : runs;
  let cx = rtl ? x + width - total : x;
  for (const r of ordered) {
    const w = runWidth(doc, r, s);
    doc.font(bold && r.script === 'latin' ? FONT.bold : FONT[r.script]).fontSize(s);
    doc.text(r.script === 'arabic' ? r.text.trim() : r.text, cx, y, { lineBreak: false, baseline: 'alphabetic', features: FEATURES[r.script] as PDFKit.Mixins.OpenTypeFeatures[] });
    cx += w;
  }
}

const PAGE: [number, number] = [841.89, 595.28];
const M = 36;

export async function renderSpeakersList(v: SpeakersListView): Promise<Buffer> {
  const f = fonts();
  const doc = new PDFDocument({ size: PAGE, margins: { top: M, bottom: M, left: M, right: M }, autoFirstPage: false, lang: v.lang, info: { Title: v.title, Author: 'WSIS Forum 2026 secretariat' } });
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
    drawCell(doc, v.title, M, y, W, 15, true);
    y += 22;
    if (page === 1) {
      for (const line of v.lines) {
        drawCell(doc, line, M, y, W, 10);
        y += 15;
      }
      if (v.warning) {
        doc.fillColor('#a01818');
        drawCell(doc, v.warning, M, y, W, 10, true);
        doc.fillColor('#1a1a1a');
        y += 15;
      }
      y += 6;
    }
    doc.rect(M, y - 13, W, rowH).fill('#e8eef5');
    doc.fillColor('#1a1a1a');
    let x = M;
    v.headers.forEach((h, i) => {
      drawCell(doc, h, x + 3, y, cols[i] - 6, 9, true);
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
    doc.moveTo(M, y + 6).lineTo(M + W, y + 6).lineWidth(0.4).strokeColor('#c3cad3').stroke();
    y += rowH;
  }
  doc.end();
  return done;
}
