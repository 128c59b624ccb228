/**
 * A circular letter as an A4 PDF in one language, on the platform's PDF text code (every script shaped, Arabic right
 * to left): letterhead, reference block and date, subject, body (headings, paragraphs, lists), signature block, annex
 * list and "page n of N". A pure renderer: the view comes resolved (texts already in the letter's language). Layout
 * is computed first (so the page count is known), then drawn.
 */
import { drawText, fitLines, LINE_HEIGHT, MM, newDocument } from '../../platform/pdf/index.js';
import type { Block } from './letters.rules.js';

export type LetterPdfView = {
  lang: string;
  rtl: boolean;
  /** The organiser's name and address line (organiser.ts), in the letter's language. */
  org: string;
  address: string;
  /** The organiser's logo (PNG), at the start of the letterhead. */
  logo?: Buffer;
  /** Label/value rows of the reference block (reference, contact, e-mail, addressees). */
  refRows: [string, string][];
  dateLine: string;
  /** "Original: Arabic", or "This text is the original (Arabic)": shown under the date. */
  languageNote?: string;
  subjectLabel: string;
  subject: string;
  body: Block[];
  signed: string;
  signatoryName: string;
  signatoryTitle: string;
  annexesLabel?: string;
  annexes: string[];
  page: (n: number, of: number) => string;
  title: string;
};

const [W, H] = [595.28, 841.89];
const M = 20 * MM;
const CONTENT = W - 2 * M;
const TOP = 52 * MM; // where pages after the first start
const BOTTOM = H - 22 * MM;
const BLUE = '#005a9c';
const INK = '#111111';

type Op = {
  page: number;
  y: number;
  text: string;
  size: number;
  bold?: boolean;
  x: number;
  width: number;
  color?: string;
  align?: 'start' | 'center' | 'end';
};

/** A PNG's size in pixels (from its IHDR), to size the letterhead's logo. */
function openLogo(png: Buffer): { width: number; height: number } | undefined {
  if (png.length < 24 || png.readUInt32BE(12) !== 0x49484452) return undefined;
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

export async function renderLetterPdf(v: LetterPdfView): Promise<Buffer> {
  const ops: Op[] = [];
  const dir = v.rtl ? 'rtl' : 'ltr';
  let page = 1;
  let y = 0;
  const need = (h: number) => {
    if (y + h > BOTTOM) {
      page++;
      y = TOP;
    }
  };
  /** Wrapped text in [x, x+width] measured from the start edge (right in Arabic). */
  const para = (text: string, o: { size: number; bold?: boolean; indent?: number; color?: string; gap?: number }) => {
    const indent = o.indent ?? 0;
    const width = CONTENT - indent;
    const lh = o.size * LINE_HEIGHT;
    for (const line of fitLines(text, width, { size: o.size, bold: o.bold, dir })) {
      need(lh);
      ops.push({ page, y, text: line, size: o.size, bold: o.bold, x: v.rtl ? M : M + indent, width, color: o.color });
      y += lh;
    }
    y += o.gap ?? 0;
  };

  // Letterhead (first page): the logo at the start side, the name and address beside it.
  const LOGO_H = 14 * MM;
  const logoImg = v.logo ? openLogo(v.logo) : undefined;
  const logoW = logoImg ? Math.min((logoImg.width * LOGO_H) / logoImg.height, 45 * MM) : 0;
  const headX = logoW ? logoW + 4 * MM : 0;
  ops.push({
    page,
    y: 11 * MM,
    text: v.org,
    size: 14,
    bold: true,
    x: v.rtl ? M : M + headX,
    width: CONTENT - headX,
    color: BLUE,
  });
  ops.push({
    page,
    y: 18.5 * MM,
    text: v.address,
    size: 8.5,
    x: v.rtl ? M : M + headX,
    width: CONTENT - headX,
    color: '#444444',
  });
  y = 32 * MM;
  // Reference block (start side) and date (end side)
  const labelW = 34 * MM;
  const valueW = CONTENT * 0.62 - labelW;
  ops.push({ page, y, text: v.dateLine, size: 10, x: M, width: CONTENT, align: 'end' });
  if (v.languageNote)
    ops.push({
      page,
      y: y + 14,
      text: v.languageNote,
      size: 8.5,
      x: M,
      width: CONTENT,
      align: 'end',
      color: '#444444',
    });
  for (const [label, value] of v.refRows) {
    const lines = fitLines(value, valueW, { size: 10, dir });
    ops.push({ page, y, text: label, size: 10, bold: true, x: v.rtl ? W - M - labelW : M, width: labelW });
    for (const l of lines) {
      ops.push({ page, y, text: l, size: 10, x: v.rtl ? W - M - labelW - valueW : M + labelW, width: valueW });
      y += 10 * LINE_HEIGHT;
    }
    y += 2;
  }
  y += 6 * MM;
  // Subject
  para(`${v.subjectLabel} ${v.subject}`, { size: 11, bold: true, gap: 5 * MM });
  // Body
  for (const b of v.body) {
    if (b.kind === 'heading') {
      need(11 * LINE_HEIGHT * 2);
      para(b.text, { size: 11, bold: true, color: BLUE, gap: 2 * MM });
    } else if (b.kind === 'paragraph') para(b.text, { size: 10.5, gap: 3 * MM });
    else {
      for (const item of b.items) {
        need(10.5 * LINE_HEIGHT);
        ops.push({ page, y, text: '•', size: 10.5, x: v.rtl ? W - M - 5 * MM : M + 2 * MM, width: 3 * MM });
        para(item, { size: 10.5, indent: 7 * MM, gap: 1 * MM });
      }
      y += 2 * MM;
    }
  }
  // Signature block, kept together
  need(4 * 11 * LINE_HEIGHT + 6 * MM);
  y += 4 * MM;
  para(v.signed, { size: 10, color: '#444444', gap: 2 * MM });
  para(v.signatoryName, { size: 11, bold: true });
  para(v.signatoryTitle, { size: 10.5, gap: 6 * MM });
  // Annexes
  if (v.annexes.length && v.annexesLabel) {
    need(2 * 10 * LINE_HEIGHT);
    para(v.annexesLabel, { size: 10, bold: true });
    for (const [i, a] of v.annexes.entries()) para(`${i + 1}. ${a}`, { size: 10, indent: 4 * MM });
  }

  const pages = page;
  const doc = newDocument({ size: 'A4', info: { Title: v.title, Author: v.org }, lang: v.lang });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });
  for (let p = 1; p <= pages; p++) {
    if (p > 1) doc.addPage({ size: [W, H], margin: 0 });
    if (p === 1) {
      doc.rect(M, 27 * MM, CONTENT, 0.8).fill(BLUE);
      if (v.logo && logoImg)
        doc.image(v.logo, v.rtl ? W - M - logoW : M, 11 * MM, { fit: [logoW, LOGO_H], valign: 'center' });
    } else {
      drawText(doc, `${v.org} · ${v.refRows[0]?.[1] ?? ''}`, {
        x: M,
        y: 14 * MM,
        size: 8.5,
        width: CONTENT,
        align: 'start',
        dir,
        color: '#444444',
      });
      doc.rect(M, 20 * MM, CONTENT, 0.5).fill(BLUE);
    }
    for (const o of ops.filter((x) => x.page === p)) {
      const align = o.align === 'end' ? (v.rtl ? 'left' : 'right') : o.align === 'center' ? 'center' : 'start';
      drawText(doc, o.text, {
        x: o.x,
        y: o.y,
        size: o.size,
        bold: o.bold,
        width: o.width,
        align,
        dir,
        color: o.color ?? INK,
      });
    }
    drawText(doc, v.page(p, pages), {
      x: M,
      y: H - 14 * MM,
      size: 8,
      width: CONTENT,
      align: 'center',
      dir,
      color: '#444444',
    });
  }
  doc.end();
  await done;
  return Buffer.concat(chunks);
}
