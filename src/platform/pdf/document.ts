/**
 * New pdfkit documents with the platform's fonts registered (opened by pdfkit only when first used, then embedded
 * as subsets: `ABCDEF+NotoSans-Regular`), compression on, no margins (everything is positioned explicitly).
 */
import PDFDocument from 'pdfkit';
import { FONT_KEYS, fontFile, pdfFontName } from './fonts.js';

/** Points per millimetre. */
export const MM = 72 / 25.4;

export type PageSize = 'A4' | 'A6' | 'CR80';

/** Portrait page sizes in points. CR80 is the ID card (54 × 85.6 mm), portrait as a badge hangs. */
export const PAGE_SIZES: Record<PageSize, [number, number]> = {
  A4: [595.28, 841.89],
  A6: [297.64, 419.53],
  CR80: [54 * MM, 85.6 * MM],
};

export type NewDocumentOptions = {
  size: PageSize;
  /** Add the first page now (default true). */
  autoFirstPage?: boolean;
  info?: { Title?: string; Author?: string; Subject?: string };
  lang?: string;
};

export function newDocument(o: NewDocumentOptions): PDFKit.PDFDocument {
  const doc = new PDFDocument({
    size: PAGE_SIZES[o.size],
    margin: 0,
    compress: true,
    autoFirstPage: o.autoFirstPage ?? true,
    info: { Creator: 'Convene', Producer: 'Convene', ...o.info },
    lang: o.lang,
    pdfVersion: '1.7',
  });
  for (const key of FONT_KEYS) {
    for (const bold of [false, true]) doc.registerFont(pdfFontName(key, bold), fontFile(key, bold));
  }
  return doc;
}

/** Adds a page of the document's size (no margins). */
export function addPage(doc: PDFKit.PDFDocument, size: PageSize): void {
  doc.addPage({ size: PAGE_SIZES[size], margin: 0 });
}
