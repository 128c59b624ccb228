/** Provisional badge renderer (replaced by the full one): one page per badge, names in Noto Sans, vector QR. */
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';

export type BadgeSize = 'CR80' | 'A6';
export type BadgeView = {
  token: string;
  reference: string;
  category: string;
  colour: string;
  honorific: string;
  name: string;
  nameLatin: string;
  title: string;
  entity: string;
  country: string;
  events: string[];
  photo: Buffer | null;
};

const MM = 72 / 25.4;
const SIZES: Record<BadgeSize, [number, number]> = { CR80: [54 * MM, 85.6 * MM], A6: [105 * MM, 148 * MM] };

export async function renderBadges(
  out: NodeJS.WritableStream,
  views: Iterable<BadgeView> | AsyncIterable<BadgeView>,
  opts: { size: BadgeSize; onProgress?: (done: number) => void | Promise<void> },
): Promise<{ pages: number }> {
  const [w, h] = SIZES[opts.size];
  const doc = new PDFDocument({ size: [w, h], margin: 0, autoFirstPage: false, compress: true });
  const done = new Promise<void>((resolve, reject) => {
    out.on('finish', () => resolve());
    out.on('error', reject);
  });
  doc.pipe(out);
  let pages = 0;
  for await (const v of views) {
    doc.addPage({ size: [w, h], margin: 0 });
    doc.rect(0, 0, w, 14 * MM).fill(v.colour);
    doc.fillColor('#000').fontSize(10).text(v.category, 0, 4 * MM, { width: w, align: 'center' });
    doc.fontSize(9).text(v.nameLatin, 0, 20 * MM, { width: w, align: 'center' });
    const qr = QRCode.create(v.token, { errorCorrectionLevel: 'M' });
    const n = qr.modules.size;
    const cell = (24 * MM) / n;
    const x0 = (w - 24 * MM) / 2;
    const y0 = h - 30 * MM;
    for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) if (qr.modules.get(r, c)) doc.rect(x0 + c * cell, y0 + r * cell, cell, cell);
    doc.fill('#000');
    pages++;
    await opts.onProgress?.(pages);
    await new Promise((r) => setImmediate(r));
  }
  doc.end();
  await done;
  return { pages };
}
