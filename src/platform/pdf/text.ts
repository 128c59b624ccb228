/**
 * One line of text in any script, drawn with pdfkit: split into runs by bidi level and by the font that has the
 * glyphs, runs put in visual order (Unicode bidi rule L2), each run drawn at its own x.
 *
 * What pdfkit/fontkit do by themselves (checked by rendering):
 * - fontkit shapes Arabic (joining forms, lam-alef) and, for a run whose script is right-to-left, returns the glyphs
 *   already in visual order (reversed), but does not mirror brackets: we mirror them. So an Arabic run is given to pdfkit in LOGICAL order.
 * - pdfkit does NOT apply the bidi algorithm, and without `features` it shapes word by word (cached per word), which
 *   put the words of an Arabic name in the wrong order. Every call here passes `features`, so a run is shaped whole.
 * - A right-to-left run with no Arabic letter in it (spaces, punctuation between Arabic words in another font) is not
 *   reversed by fontkit: we reverse and mirror it ourselves.
 * Widths are measured with fontkit directly (the same layout pdfkit does), so measuring needs no document.
 */
import bidiModule from 'bidi-js';
import type * as fontkit from 'fontkit';
import { FONT_KEYS, fontkitFont, hasGlyph, pdfFontName, SCRIPT_FONTS, type FontKey } from './fonts.js';

export type Dir = 'ltr' | 'rtl' | 'auto';
export type Align = 'left' | 'center' | 'right' | 'start';
export type TextStyle = { size: number; bold?: boolean; dir?: Dir };

/** text: what is given to pdfkit (reversed/mirrored as needed); logical: the same characters in reading order. */
export type Run = { text: string; logical: string; font: FontKey; level: number; width: number };
export type LineLayout = { runs: Run[]; width: number; rtl: boolean };

// bidi-js is CommonJS whose typings declare an ES default export: at run time (tsx) the import is the factory itself.
type BidiFactory = typeof import('bidi-js').default;
const bidiFactory = ((bidiModule as unknown as { default?: BidiFactory }).default ??
  bidiModule) as unknown as BidiFactory;
const bidi = bidiFactory();

/**
 * OpenType features per run. Noto Sans: `ccmp` off — it splits some precomposed letters (Vietnamese ị…) into base +
 * mark glyphs and pdfkit's ToUnicode (one code point per glyph) then maps text back wrongly; the precomposed glyphs
 * look the same. Arabic and Chinese: the shaper's defaults. Noto Naskh Arabic NEEDS its `ccmp` (without it dotted
 * letters lost their joining: 'جنيف' came out in pieces); it builds dotted letters from a dotless base + dots, so
 * medial ت/ي/ن share one glyph and ToUnicode cannot tell them apart: Arabic runs carry /ActualText (see drawText).
 * Any value (even []) also makes pdfkit shape a run whole instead of word by word. A new object per call: fontkit
 * writes the resolved feature set into the object it is given.
 */
function features(font: FontKey): PDFKit.Mixins.OpenTypeFeatures[] {
  return font === 'latin' ? ({ ccmp: false } as unknown as PDFKit.Mixins.OpenTypeFeatures[]) : [];
}

/** Scripts fontkit itself lays out right to left (it reverses their glyphs). */
const RTL_SCRIPT = /[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}]/u;
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Bopomofo}]/u;
const MARK = /\p{M}/u;
const STRONG = /[\p{L}\p{N}]/u;

function preferredFont(cp: number, ch: string): FontKey {
  for (const [script, key] of SCRIPT_FONTS) if (script.test(ch) && hasGlyph(key, cp)) return key;
  if (hasGlyph('latin', cp)) return 'latin';
  for (const key of FONT_KEYS) if (hasGlyph(key, cp)) return key;
  return 'latin'; // no font has it: .notdef (a box) rather than nothing
}

const widthCache = new Map<string, number>();
/** Advance width of a run at size 1 (fontkit layout, same features as drawing). */
function unitWidth(text: string, font: FontKey, bold: boolean): number {
  const key = `${font}${bold ? 'b' : ''}\u0000${text}`;
  let w = widthCache.get(key);
  if (w === undefined) {
    const f: fontkit.Font = fontkitFont(font, bold);
    w = f.layout(text, features(font) as unknown as string[]).advanceWidth / f.unitsPerEm;
    if (widthCache.size > 50_000) widthCache.clear();
    widthCache.set(key, w);
  }
  return w;
}

function rtlByFontkit(text: string): boolean {
  return RTL_SCRIPT.test(text);
}

/** Mirrored glyph forms (brackets) for a right-to-left run that fontkit reverses but does not mirror. */
function mirror(text: string): string {
  return [...text].map((c) => bidi.getMirroredCharacter(c) ?? c).join('');
}

/** Reverse a right-to-left run that fontkit will not reverse (no Arabic letter in it), mirroring brackets. */
function reverseNeutral(text: string): string {
  return [...text]
    .reverse()
    .map((c) => bidi.getMirroredCharacter(c) ?? c)
    .join('');
}

/** Runs of one line in visual order (left to right), each with its font, bidi level and width. */
export function layoutLine(text: string, style: TextStyle): LineLayout {
  const bold = !!style.bold;
  const clean = text.replace(/[\r\n\t]+/g, ' ').normalize('NFC');
  if (!clean) return { runs: [], width: 0, rtl: style.dir === 'rtl' };
  const dir = style.dir && style.dir !== 'auto' ? style.dir : undefined;
  const { levels, paragraphs } = bidi.getEmbeddingLevels(clean, dir);
  const baseRtl = ((paragraphs[0]?.level ?? 0) & 1) === 1;

  // Code points with their level and font choice (null = neutral, decided from neighbours).
  type Cp = { ch: string; cp: number; level: number; font: FontKey | null };
  const cps: Cp[] = [];
  for (let i = 0; i < clean.length; ) {
    const cp = clean.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    const level = levels[i];
    let font: FontKey | null = null;
    if (MARK.test(ch)) font = cps.length ? null : preferredFont(cp, ch);
    else if (STRONG.test(ch)) font = preferredFont(cp, ch);
    cps.push({ ch, cp, level, font });
    i += ch.length;
  }
  // Marks take the font of the character they sit on; other neutrals (spaces, punctuation) join a neighbour at the
  // same level whose font has the glyph, so a whole Arabic name stays one run and shapes across its spaces.
  for (let i = 0; i < cps.length; i++) {
    const c = cps[i];
    if (c.font) continue;
    if (MARK.test(c.ch) && i > 0) {
      c.font = cps[i - 1].font;
      continue;
    }
    let chosen: FontKey | null = null;
    for (let j = i - 1; j >= 0 && !chosen; j--) {
      if (cps[j].level !== c.level) break;
      if (cps[j].font && hasGlyph(cps[j].font!, c.cp)) chosen = cps[j].font;
      if (cps[j].font) break;
    }
    for (let j = i + 1; j < cps.length && !chosen; j++) {
      if (cps[j].level !== c.level) break;
      if (cps[j].font && STRONG.test(cps[j].ch)) {
        if (hasGlyph(cps[j].font!, c.cp)) chosen = cps[j].font;
        break;
      }
    }
    c.font = chosen ?? preferredFont(c.cp, c.ch);
  }

  // Logical runs of equal (level, font).
  const logical: { text: string; font: FontKey; level: number }[] = [];
  for (const c of cps) {
    const last = logical[logical.length - 1];
    if (last && last.font === c.font && last.level === c.level) last.text += c.ch;
    else logical.push({ text: c.ch, font: c.font!, level: c.level });
  }

  // L2: from the highest level down to the lowest odd level, reverse every sequence of runs at that level or higher.
  const maxLevel = Math.max(...logical.map((r) => r.level));
  const minOdd = Math.min(...logical.map((r) => (r.level & 1 ? r.level : r.level + 1)));
  let visual = logical.slice();
  for (let lvl = maxLevel; lvl >= minOdd; lvl--) {
    const out: typeof visual = [];
    for (let i = 0; i < visual.length; ) {
      if (visual[i].level >= lvl) {
        let j = i;
        while (j < visual.length && visual[j].level >= lvl) j++;
        out.push(...visual.slice(i, j).reverse());
        i = j;
      } else out.push(visual[i++]);
    }
    visual = out;
  }

  const size = style.size;
  const runs: Run[] = visual.map((r) => {
    const t = r.level & 1 ? (rtlByFontkit(r.text) ? mirror(r.text) : reverseNeutral(r.text)) : r.text;
    return { text: t, logical: r.text, font: r.font, level: r.level, width: unitWidth(t, r.font, bold) * size };
  });
  return { runs, width: runs.reduce((s, r) => s + r.width, 0), rtl: baseRtl };
}

/** Width of one line of text (points) as drawText would draw it. */
export function measureText(text: string, style: TextStyle): number {
  return layoutLine(text, style).width;
}

/** Largest size from maxSize down to minSize (in 0.25 pt steps) at which the line fits `width`; minSize if none. */
export function fitSize(
  text: string,
  width: number,
  maxSize: number,
  minSize: number,
  style: { bold?: boolean; dir?: Dir } = {},
): number {
  const w1 = measureText(text, { ...style, size: 1 }); // widths scale linearly with the size
  if (w1 <= 0) return maxSize;
  const best = Math.floor((width / w1) * 4) / 4;
  return Math.max(minSize, Math.min(maxSize, best));
}

export type DrawTextOptions = TextStyle & {
  x: number;
  /** Top of the line box; the baseline sits at y + size × 0.93 (so mixed fonts share one baseline). */
  y: number;
  align?: Align;
  /** Box width for alignment (needed for center/right/start). */
  width?: number;
  color?: string;
};

export const BASELINE = 0.93;
/** Line height used by the paragraph helpers (room for Naskh's descenders and marks). */
export const LINE_HEIGHT = 1.4;

/** Draws one line; returns its layout (width, runs). Never wraps, never adds a page. */
export function drawText(doc: PDFKit.PDFDocument, text: string, o: DrawTextOptions): LineLayout {
  const line = layoutLine(text, o);
  const box = o.width ?? 0;
  const align = o.align === 'start' || !o.align ? (o.align === 'start' && line.rtl ? 'right' : 'left') : o.align;
  let x = o.x;
  if (align === 'center') x = o.x + (box - line.width) / 2;
  else if (align === 'right') x = o.x + box - line.width;
  const baseline = o.y + o.size * BASELINE;
  if (o.color) doc.fillColor(o.color);
  for (const r of line.runs) {
    doc.font(pdfFontName(r.font, !!o.bold)).fontSize(o.size);
    doc.text(r.text, x, baseline, { lineBreak: false, baseline: 'alphabetic', features: features(r.font) });
    x += r.width;
  }
  return line;
}

const ELLIPSIS = '…';

/** Break opportunities: after spaces, and before/after each CJK character. Returns the pieces in logical order. */
function pieces(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (const ch of text) {
    if (CJK.test(ch) && cur && !/\s$/.test(cur)) {
      out.push(cur);
      cur = '';
    }
    cur += ch;
    if (/\s/.test(ch) || CJK.test(ch)) {
      out.push(cur);
      cur = '';
    }
  }
  if (cur) out.push(cur);
  return out;
}

/** Shortens `text` with an ellipsis until it fits. */
export function truncate(text: string, width: number, style: TextStyle): string {
  if (measureText(text, style) <= width) return text;
  const chars = [...text];
  while (chars.length && measureText(chars.join('').trimEnd() + ELLIPSIS, style) > width) chars.pop();
  return chars.join('').trimEnd() + ELLIPSIS;
}

/**
 * Wraps text into lines no wider than `width` (greedy, at spaces and between CJK characters; a word longer than a
 * line is cut by characters). With maxLines, the last line is shortened with an ellipsis.
 */
export function fitLines(text: string, width: number, style: TextStyle & { maxLines?: number }): string[] {
  const lines: string[] = [];
  let cur = '';
  const push = (l: string) => lines.push(l.trim());
  for (const p of pieces(text.replace(/\s+/g, ' ').trim())) {
    if (measureText((cur + p).trimEnd(), style) <= width) {
      cur += p;
      continue;
    }
    if (cur.trim()) push(cur);
    cur = '';
    if (measureText(p.trimEnd(), style) <= width) cur = p;
    else {
      // A piece wider than the line: cut by characters.
      for (const ch of p) {
        if (cur && measureText((cur + ch).trimEnd(), style) > width) {
          push(cur);
          cur = '';
        }
        cur += ch;
      }
    }
  }
  if (cur.trim()) push(cur);
  if (style.maxLines !== undefined && lines.length > style.maxLines) {
    const kept = lines.slice(0, style.maxLines);
    kept[kept.length - 1] = truncate(`${kept[kept.length - 1]} ${lines.slice(style.maxLines).join(' ')}`, width, style);
    return kept;
  }
  return lines;
}

/** Draws wrapped text from y; returns the y below the last line. */
export function drawParagraph(
  doc: PDFKit.PDFDocument,
  text: string,
  o: DrawTextOptions & { width: number; maxLines?: number; lineHeight?: number },
): number {
  const lh = o.size * (o.lineHeight ?? LINE_HEIGHT);
  let y = o.y;
  for (const line of fitLines(text, o.width, o)) {
    drawText(doc, line, { ...o, y, dir: o.dir ?? dirOf(text) });
    y += lh;
  }
  return y;
}

/** 'rtl' when the first strong character of the text is right-to-left, else 'ltr'. */
export function dirOf(text: string): 'ltr' | 'rtl' {
  const { paragraphs } = bidi.getEmbeddingLevels(text);
  return ((paragraphs[0]?.level ?? 0) & 1) === 1 ? 'rtl' : 'ltr';
}

/**
 * Reads and opens every face and lays out a sample in each script and weight, so the first badge or letter does not
 * pay for it (measured ~0.5 s, mostly Noto Sans SC's 10 MB file and its layout tables, with the event loop blocked).
 * Call once at start-up in processes that render PDFs. pdfkit still opens its own copy per document (~0.1 s).
 */
export function warmUpFonts(): void {
  for (const bold of [false, true]) layoutLine('Aé Ж محمد 王小明 (1)', { size: 10, bold });
}
