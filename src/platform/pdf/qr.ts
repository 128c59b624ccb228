/**
 * QR codes drawn as vectors (rectangles from `qrcode`'s module matrix; no raster, sharp at any print resolution).
 * Horizontal runs of dark modules are merged into one rectangle and everything is filled at once: a few hundred
 * path operators per code, which compress well.
 */
import QRCode from 'qrcode';

export type QrOptions = {
  x: number;
  y: number;
  /** Size of the symbol itself (without the quiet zone), in points. */
  size: number;
  /** Quiet zone in modules painted white around the symbol (default 4, the standard's minimum). */
  quietZone?: number;
  errorCorrectionLevel?: 'L' | 'M' | 'Q' | 'H';
  color?: string;
};

/** Number of modules per side for the text (to choose a size before drawing). */
export function qrModules(text: string, level: QrOptions['errorCorrectionLevel'] = 'M'): number {
  return QRCode.create(text, { errorCorrectionLevel: level }).modules.size;
}

/** Draws the QR code; returns the outer box including the quiet zone. */
export function drawQr(doc: PDFKit.PDFDocument, text: string, o: QrOptions): { x: number; y: number; size: number } {
  const qr = QRCode.create(text, { errorCorrectionLevel: o.errorCorrectionLevel ?? 'M' });
  const n = qr.modules.size;
  const m = o.size / n;
  const q = (o.quietZone ?? 4) * m;
  doc.save();
  doc.rect(o.x - q, o.y - q, o.size + 2 * q, o.size + 2 * q).fill('#ffffff');
  for (let r = 0; r < n; r++) {
    let c = 0;
    while (c < n) {
      if (!qr.modules.get(r, c)) {
        c++;
        continue;
      }
      const start = c;
      while (c < n && qr.modules.get(r, c)) c++;
      // A hair of overlap so anti-aliased viewers show no seams between rows.
      doc.rect(o.x + start * m, o.y + r * m, (c - start) * m, m + 0.01);
    }
  }
  doc.fill(o.color ?? '#000000');
  doc.restore();
  return { x: o.x - q, y: o.y - q, size: o.size + 2 * q };
}
