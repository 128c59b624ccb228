/**
 * The speakers' list of a session as an A4 landscape PDF: a pure renderer (no database, no HTTP) from a resolved view.
 * Text is drawn by the platform's PDF text layer (src/platform/pdf): every script a name can be written in, each run
 * in the font that has its glyphs, laid out by the Unicode bidi algorithm. A cell wraps its text over as many lines as
 * it needs (a long name, title or organization never overprints its neighbour); the row is as tall as its tallest
 * cell. In a right-to-left list (Arabic) the table is mirrored: the first column on the right, every cell aligned to
 * the right, the headers over their columns.
 */
import {
  BASELINE,
  drawParagraph,
  drawText,
  fitLines,
  LINE_HEIGHT,
  newDocument,
  type TextStyle,
} from '../../platform/pdf/index.js';

export type SpeakersListView = {
  title: string;
  lines: string[]; // event, date and time, time per statement, total
  warning?: string; // an overrun, shown in red
  headers: string[];
  widths: number[]; // relative column widths, in reading order
  rows: string[][];
  footer: string;
  lang: string;
  /** Right to left (Arabic): the page and the table are laid out from the right. */
  rtl: boolean;
};

const PAGE: [number, number] = [841.89, 595.28];
const M = 36;
const PAD = 3;
/** A cell never takes more lines than this (the last one then ends with '…'). */
const MAX_LINES = 6;

/** Column boxes in reading order: [x, width]; mirrored when the list reads right to left. */
export function columnBoxes(widths: number[], rtl: boolean, left = M, total = PAGE[0] - 2 * M): [number, number][] {
  const sum = widths.reduce((a, b) => a + b, 0);
  const cols = widths.map((w) => (w / sum) * total);
  let edge = rtl ? left + total : left;
  return cols.map((w) => {
    const x = rtl ? edge - w : edge;
    edge = rtl ? edge - w : edge + w;
    return [x, w];
  });
}

export async function renderSpeakersList(v: SpeakersListView): Promise<Buffer> {
  const doc = newDocument({
    size: 'A4',
    autoFirstPage: false,
    lang: v.lang,
    info: { Title: v.title, Author: 'WSIS Forum 2026 secretariat' },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));

  const W = PAGE[0] - 2 * M;
  const boxes = columnBoxes(v.widths, v.rtl);
  const align = v.rtl ? 'right' : 'left';
  const dir = v.rtl ? 'rtl' : 'ltr';
  const ink = '#1a1a1a';

  /** The lines of each cell and the row's height. */
  const layoutRow = (cells: string[], style: TextStyle) => {
    const lines = cells.map((c, i) => fitLines(c ?? '', boxes[i][1] - 2 * PAD, { ...style, maxLines: MAX_LINES }));
    const n = Math.max(1, ...lines.map((l) => l.length));
    return { lines, height: n * style.size * LINE_HEIGHT + 2 * PAD };
  };
  const drawRow = (row: ReturnType<typeof layoutRow>, y: number, style: TextStyle) => {
    row.lines.forEach((lines, i) => {
      const [x, w] = boxes[i];
      lines.forEach((line, k) => {
        drawText(doc, line, {
          ...style,
          x: x + PAD,
          y: y + PAD + k * style.size * LINE_HEIGHT,
          width: w - 2 * PAD,
          align,
          dir: 'auto',
          color: ink,
        });
      });
    });
  };

  const head: TextStyle = { size: 9, bold: true };
  const body: TextStyle = { size: 9 };
  const header = layoutRow(v.headers, head);
  let page = 0;
  let y = 0;
  const newPage = () => {
    doc.addPage({ size: PAGE, margin: 0 });
    page++;
    y = M;
    y = drawParagraph(doc, v.title, { x: M, y, width: W, size: 15, bold: true, align, dir, color: ink });
    if (page === 1) {
      for (const line of v.lines) y = drawParagraph(doc, line, { x: M, y, width: W, size: 10, align, dir, color: ink });
      if (v.warning)
        y = drawParagraph(doc, v.warning, { x: M, y, width: W, size: 10, bold: true, align, dir, color: '#a01818' });
    }
    y += 6;
    doc.rect(M, y, W, header.height).fill('#e8eef5');
    drawRow(header, y, head);
    y += header.height;
    drawText(doc, `${v.footer} · ${page}`, {
      x: M,
      y: PAGE[1] - M + 8 - 8 * BASELINE,
      width: W,
      size: 8,
      align,
      dir,
      color: '#5b6470',
    });
  };
  newPage();
  for (const cells of v.rows) {
    const row = layoutRow(cells, body);
    if (y + row.height > PAGE[1] - M) newPage();
    drawRow(row, y, body);
    y += row.height;
    doc
      .moveTo(M, y)
      .lineTo(M + W, y)
      .lineWidth(0.4)
      .strokeColor('#c3cad3')
      .stroke();
  }
  doc.end();
  return done;
}
