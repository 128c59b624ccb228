export { newDocument, addPage, MM, PAGE_SIZES, type PageSize, type NewDocumentOptions } from './document.js';
export {
  drawText,
  measureText,
  fitSize,
  fitLines,
  drawParagraph,
  truncate,
  layoutLine,
  dirOf,
  warmUpFonts,
  BASELINE,
  LINE_HEIGHT,
  type DrawTextOptions,
  type TextStyle,
  type Align,
  type Dir,
} from './text.js';
export { drawQr, qrModules, type QrOptions } from './qr.js';
export { hasGlyph, type FontKey } from './fonts.js';
