/**
 * Badge PDFs: one badge per page, CR80 card (54 × 85.6 mm, portrait) or A6 (105 × 148 mm), any script.
 * A pure renderer: views in, PDF bytes out (no database, no HTTP). Text goes through the PDF platform
 * (fonts by coverage, bidi, Arabic shaped, subset embedding); the QR code is vector.
 *
 * Layout (top to bottom): category band with its label; the honorific, the name in the person's own script (bold,
 * shrunk to fit, two lines at most), the Latin name (unless identical), title, entity, country and the events the
 * badge admits to, centred; then a row with the photo (or a neutral placeholder) and the QR code with the reference
 * under it. When the text does not fit its area, every size is reduced step by step, then lines are capped (…).
 */
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import {
  addPage,
  drawQr,
  drawText,
  fitLines,
  fitSize,
  LINE_HEIGHT,
  measureText,
  MM,
  newDocument,
  truncate,
} from '../../platform/pdf/index.js';

export type BadgeSize = 'CR80' | 'A6';
export type BadgeView = {
  token: string; // what the QR holds, e.g. 'CVB1.<nonce>.<mac>' (no personal data)
  reference: string; // 'R-7KQ2M9XD', printed small under the QR
  category: string; // band label: 'VIP', 'Delegate', 'Speaker', 'Media', 'Secretariat', 'Staff', 'Participant'
  colour: string; // band colour '#rrggbb'; the band text is black or white, whichever contrasts better
  honorific: string; // 'H.E.', 'Dr', '' ...
  name: string; // name as written in the person's own script, e.g. 'محمد بن علي' or '王小明' or 'Иван Петров'
  nameLatin: string; // the same in Latin letters; printed smaller under `name` unless identical
  title: string; // function, e.g. 'Minister of Communications' ('' when none)
  entity: string; // organization / administration name
  country: string; // country name ('' when none)
  events: string[]; // short labels of the events the badge admits to, e.g. ['WSIS Forum 2026', 'AI for Good 2026']
  photo: Buffer | null; // JPEG (max 600x800, 3:4) or null: draw a neutral placeholder frame
  /** The organiser (its logo, a PNG, and its name), on a line of its own above the text block. */
  organiser?: { name: string; logo?: Buffer };
};

/** All positions in millimetres from the top-left corner of the page. */
type Spec = {
  w: number;
  h: number;
  margin: number;
  band: { h: number; maxSize: number; minSize: number };
  /** Thin strip of the band colour at the foot (A6), 0 for none. */
  footStrip: number;
  text: { top: number; bottom: number };
  photo: { x: number; y: number; w: number; h: number };
  qr: { x: number; y: number; size: number };
  ref: { size: number };
  /** The organiser's line: taken from the top of the text area when there is an organiser. */
  org: { h: number; logoH: number; size: number };
  sizes: {
    honorific: number;
    name: [number, number];
    latin: number;
    title: number;
    entity: number;
    country: number;
    events: number;
  };
};

const SPECS: Record<BadgeSize, Spec> = {
  CR80: {
    w: 54,
    h: 85.6,
    margin: 3,
    band: { h: 10.5, maxSize: 13, minSize: 7 },
    footStrip: 0,
    text: { top: 12, bottom: 53 },
    photo: { x: 3, y: 55.5, w: 18, h: 24 },
    qr: { x: 28, y: 55.5, size: 23 },
    ref: { size: 5.5 },
    org: { h: 5.5, logoH: 4.2, size: 5.5 },
    sizes: { honorific: 6.5, name: [15, 9], latin: 7.5, title: 6.5, entity: 6.5, country: 6.5, events: 5.8 },
  },
  A6: {
    w: 105,
    h: 148,
    margin: 7,
    band: { h: 17, maxSize: 26, minSize: 12 },
    footStrip: 5,
    text: { top: 73, bottom: 140 },
    photo: { x: 7, y: 23, w: 33, h: 44 },
    qr: { x: 59, y: 23, size: 39 },
    ref: { size: 8 },
    org: { h: 10, logoH: 8, size: 9 },
    sizes: { honorific: 11, name: [28, 14], latin: 13, title: 11, entity: 11, country: 11, events: 9.5 },
  },
};

const GREY = '#555555';
const TEXT = '#000000';

function validColour(c: string): string {
  return /^#[0-9a-f]{6}$/i.test(c) ? c : '#777777';
}

/** WCAG relative luminance of '#rrggbb'. */
function luminance(hex: string): number {
  const ch = [1, 3, 5]
    .map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
    .map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
  return 0.2126 * ch[0] + 0.7152 * ch[1] + 0.0722 * ch[2];
}

/** Black or white, whichever contrasts better with the band colour. */
export function bandTextColour(colour: string): '#000000' | '#ffffff' {
  const l = luminance(validColour(colour));
  return 1.05 / (l + 0.05) >= (l + 0.05) / 0.05 ? '#ffffff' : '#000000';
}

const same = (a: string, b: string) =>
  a.normalize('NFC').trim().toLowerCase() === b.normalize('NFC').trim().toLowerCase();

type Line = { text: string; size: number; bold: boolean; color: string; gapBefore: number };

/** The centred text block: lines at a scale (1 = nominal sizes) with at most `cap` lines per field. */
function textLines(v: BadgeView, s: Spec, scale: number, cap: number): Line[] {
  const width = (s.w - 2 * s.margin) * MM;
  const z = s.sizes;
  const out: Line[] = [];
  const add = (text: string, size: number, bold: boolean, maxLines: number, color = TEXT, gapBefore = 0) => {
    if (!text.trim()) return;
    const lines = fitLines(text, width, { size, bold, maxLines });
    for (const [i, l] of lines.entries()) out.push({ text: l, size, bold, color, gapBefore: i === 0 ? gapBefore : 0 });
  };
  add(v.honorific, z.honorific * scale, false, 1, GREY);
  // The name, never cut: one line shrunk to fit; below the minimum size, the largest size at which it takes two
  // lines (down to 80 % of the minimum), then three.
  const name = v.name.trim() || v.nameLatin.trim();
  const [maxN, minN] = [z.name[0] * scale, z.name[1] * scale];
  const nSize = fitSize(name, width, maxN, minN, { bold: true });
  let nameLines = [name];
  let nameSize = nSize;
  if (measureText(name, { size: nSize, bold: true }) > width) {
    for (const [n, floor] of [
      [2, minN * 0.8],
      [3, minN * 0.6],
    ] as const) {
      for (nameSize = Math.min(maxN * 0.8, minN * 1.2); nameSize >= floor; nameSize -= 0.25) {
        nameLines = fitLines(name, width, { size: nameSize, bold: true });
        if (nameLines.length <= n) break;
      }
      if (nameLines.length <= n) break;
    }
    if (nameLines.length > 3) nameLines = fitLines(name, width, { size: nameSize, bold: true, maxLines: 3 });
  }
  for (const l of nameLines) out.push({ text: l, size: nameSize, bold: true, color: TEXT, gapBefore: 0 });
  if (v.nameLatin.trim() && !same(v.nameLatin, name)) {
    const lSize = fitSize(v.nameLatin, width, z.latin * scale, Math.min(z.latin * scale, 6));
    // Naskh descends deep (ي, ن): more room under an Arabic name.
    const gap = nameSize * (/\p{Script=Arabic}/u.test(name) ? 0.3 : 0.08);
    out.push({
      text: truncate(v.nameLatin.trim(), width, { size: lSize }),
      size: lSize,
      bold: false,
      color: GREY,
      gapBefore: gap,
    });
  }
  add(v.title, z.title * scale, false, cap, TEXT, z.title * scale * 0.5);
  add(v.entity, z.entity * scale, true, cap, TEXT, v.title.trim() ? 0 : z.entity * scale * 0.5);
  add(v.country, z.country * scale, false, 1);
  add(v.events.filter((e) => e.trim()).join('  ·  '), z.events * scale, true, cap, GREY, z.events * scale * 0.6);
  return out;
}

const heightOf = (lines: Line[]) => lines.reduce((h, l) => h + l.gapBefore + l.size * LINE_HEIGHT, 0);

/** The top of the text area: below the organiser's line when there is one. */
const textTop = (v: BadgeView, s: Spec) => s.text.top + (v.organiser ? s.org.h : 0);

function layoutText(v: BadgeView, s: Spec): Line[] {
  const avail = (s.text.bottom - textTop(v, s)) * MM;
  let lines: Line[] = [];
  // Full sizes with up to three lines per field first; then smaller (not below 85 %), then fewer lines; then 75 %.
  for (const [cap, minScale] of [
    [3, 0.85],
    [2, 0.85],
    [1, 0.75],
  ] as const) {
    for (let scale = 1; scale >= minScale - 1e-9; scale -= 0.05) {
      lines = textLines(v, s, scale, cap);
      if (heightOf(lines) <= avail) return lines;
    }
  }
  // Still too tall (absurd input): keep what fits from the top.
  const kept: Line[] = [];
  let h = 0;
  for (const l of lines) {
    h += l.gapBefore + l.size * LINE_HEIGHT;
    if (h > avail) break;
    kept.push(l);
  }
  return kept;
}

function drawPlaceholder(doc: PDFKit.PDFDocument, x: number, y: number, w: number, h: number): void {
  doc.save();
  doc.rect(x, y, w, h).fill('#eeeeee');
  doc.rect(x, y, w, h).clip();
  const cx = x + w / 2;
  doc.circle(cx, y + h * 0.38, w * 0.2).fill('#c8c8c8');
  doc.ellipse(cx, y + h * 0.95, w * 0.38, h * 0.28).fill('#c8c8c8');
  doc.restore();
  doc.rect(x, y, w, h).lineWidth(0.5).stroke('#bbbbbb');
}

/** pdfkit's openImage (missing from @types/pdfkit): an image object that doc.image() embeds once and then reuses. */
type PdfImage = { width: number; height: number };
type ImageCache = WeakMap<Buffer, PdfImage>;
const openImage = (doc: PDFKit.PDFDocument, src: Buffer) =>
  (doc as unknown as { openImage(b: Buffer): PdfImage }).openImage(src);

/** The organiser's logo and name, centred together on their line at the top of the text area. */
function drawOrganiser(doc: PDFKit.PDFDocument, o: NonNullable<BadgeView['organiser']>, s: Spec, images: ImageCache) {
  const W = s.w * MM;
  const m = s.margin * MM;
  const top = s.text.top * MM;
  const lineH = s.org.h * MM;
  let logo: PdfImage | undefined;
  if (o.logo) {
    logo = images.get(o.logo);
    if (!logo) {
      logo = openImage(doc, o.logo);
      images.set(o.logo, logo);
    }
  }
  const logoH = s.org.logoH * MM;
  const logoW = logo ? Math.min((logo.width * logoH) / logo.height, (W - 2 * m) * 0.45) : 0;
  const gap = logo ? 1.2 * MM : 0;
  const maxName = W - 2 * m - logoW - gap;
  const size = fitSize(o.name, maxName, s.org.size, s.org.size * 0.75, { bold: true });
  const name = truncate(o.name, maxName, { size, bold: true });
  const nameW = Math.min(measureText(name, { size, bold: true }), maxName);
  const x0 = (W - (logoW + gap + nameW)) / 2;
  if (logo)
    doc.image(logo as unknown as Buffer, x0, top + (lineH - logoH) / 2, { fit: [logoW, logoH], valign: 'center' });
  drawText(doc, name, {
    x: x0 + logoW + gap,
    y: top + (lineH - size * LINE_HEIGHT) / 2 + size * (LINE_HEIGHT - 1) * 0.35,
    width: nameW + 1,
    size,
    bold: true,
    align: 'start',
    color: GREY,
  });
}

function drawBadge(doc: PDFKit.PDFDocument, v: BadgeView, s: Spec, images: ImageCache): void {
  const W = s.w * MM;
  const m = s.margin * MM;
  const colour = validColour(v.colour);
  const onBand = bandTextColour(colour);

  // Band with the category label.
  const bandH = s.band.h * MM;
  doc.rect(0, 0, W, bandH).fill(colour);
  const label = v.category.trim().toUpperCase();
  const lSize = fitSize(label, W - 2 * m, s.band.maxSize, s.band.minSize, { bold: true });
  drawText(doc, truncate(label, W - 2 * m, { size: lSize, bold: true }), {
    x: m,
    y: (bandH - lSize * 1.05) / 2,
    width: W - 2 * m,
    size: lSize,
    bold: true,
    align: 'center',
    color: onBand,
  });
  if (s.footStrip) doc.rect(0, (s.h - s.footStrip) * MM, W, s.footStrip * MM).fill(colour);

  // Photo or placeholder.
  const p = { x: s.photo.x * MM, y: s.photo.y * MM, w: s.photo.w * MM, h: s.photo.h * MM };
  if (v.photo) {
    let img = images.get(v.photo);
    if (!img) {
      img = openImage(doc, v.photo);
      images.set(v.photo, img);
    }
    doc.save();
    doc.rect(p.x, p.y, p.w, p.h).clip();
    doc.image(img as unknown as Buffer, p.x, p.y, { cover: [p.w, p.h], align: 'center', valign: 'center' });
    doc.restore();
    doc.rect(p.x, p.y, p.w, p.h).lineWidth(0.3).stroke('#999999');
  } else drawPlaceholder(doc, p.x, p.y, p.w, p.h);

  // QR (vector, quiet zone painted white) and the reference under it.
  const q = { x: s.qr.x * MM, y: s.qr.y * MM, size: s.qr.size * MM };
  drawQr(doc, v.token, { ...q, errorCorrectionLevel: 'M' });
  drawText(doc, v.reference, {
    x: q.x - 2 * MM,
    y: q.y + q.size + 0.8 * MM,
    width: q.size + 4 * MM,
    size: s.ref.size,
    align: 'center',
    color: GREY,
  });

  if (v.organiser) drawOrganiser(doc, v.organiser, s, images);

  // Centred text block, vertically centred in its area.
  const lines = layoutText(v, s);
  const area = { top: textTop(v, s) * MM, bottom: s.text.bottom * MM };
  let y = area.top + Math.max(0, (area.bottom - area.top - heightOf(lines)) / 2);
  for (const l of lines) {
    y += l.gapBefore;
    drawText(doc, l.text, {
      x: m,
      y: y + l.size * (LINE_HEIGHT - 1) * 0.35,
      width: W - 2 * m,
      size: l.size,
      bold: l.bold,
      align: 'center',
      color: l.color,
    });
    y += l.size * LINE_HEIGHT;
  }
}

/** Renders one badge per page into `out` (a PDF), yielding to the event loop between badges so the server keeps
 * answering while 11,000 badges render, and calling onProgress(done) after each. Resolves when the PDF is fully written. */
export async function renderBadges(
  out: NodeJS.WritableStream,
  views: Iterable<BadgeView> | AsyncIterable<BadgeView>,
  opts: { size: BadgeSize; onProgress?: (done: number) => void | Promise<void> },
): Promise<{ pages: number }> {
  const spec = SPECS[opts.size];
  const doc = newDocument({
    size: opts.size,
    autoFirstPage: false,
    info: { Title: 'Badges', Subject: `Badges ${opts.size}` },
  });
  doc.pipe(out);
  const written = finished(out);
  written.catch(() => undefined); // observed below; avoid an unhandled rejection while rendering
  const images: ImageCache = new WeakMap();
  const w = out as NodeJS.WritableStream & { writableNeedDrain?: boolean };
  let pages = 0;
  try {
    for await (const v of views) {
      addPage(doc, opts.size);
      drawBadge(doc, v, spec, images);
      pages++;
      await opts.onProgress?.(pages);
      // Let the page's bytes flow out and other requests run; wait when the destination is full.
      await new Promise<void>((r) => setImmediate(r));
      if (w.writableNeedDrain) await once(out as unknown as NodeJS.EventEmitter, 'drain');
    }
  } catch (e) {
    doc.unpipe(out as unknown as NodeJS.WritableStream);
    throw e;
  }
  doc.end();
  await written;
  return { pages };
}
