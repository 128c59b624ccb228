/**
 * The fonts the PDFs use, by coverage: Noto Sans (Latin, Cyrillic, Greek), Noto Naskh Arabic, Noto Sans SC (Chinese).
 * They come from npm (@expo-google-fonts/*, full TTFs) so a fresh machine needs nothing else.
 *
 * Files are read once per process; fontkit opens them once for the coverage checks (`hasGlyphForCodePoint`).
 * pdfkit opens its own copy per document (it keeps per-document subset state), only when a font is first used.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import * as fontkit from 'fontkit';

export type FontKey = 'latin' | 'arabic' | 'sc';
export const FONT_KEYS: readonly FontKey[] = ['latin', 'arabic', 'sc'];

const FILES: Record<FontKey, { regular: string; bold: string }> = {
  latin: {
    regular: '@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf',
    bold: '@expo-google-fonts/noto-sans/700Bold/NotoSans_700Bold.ttf',
  },
  arabic: {
    regular: '@expo-google-fonts/noto-naskh-arabic/400Regular/NotoNaskhArabic_400Regular.ttf',
    bold: '@expo-google-fonts/noto-naskh-arabic/700Bold/NotoNaskhArabic_700Bold.ttf',
  },
  sc: {
    regular: '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf',
    bold: '@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf',
  },
};

const require = createRequire(import.meta.url);
const bufferCache = new Map<string, Buffer>();

/** The TTF bytes of one face (cached for the process). */
export function fontFile(key: FontKey, bold: boolean): Buffer {
  const spec = FILES[key][bold ? 'bold' : 'regular'];
  let buf = bufferCache.get(spec);
  if (!buf) {
    buf = fs.readFileSync(require.resolve(spec));
    bufferCache.set(spec, buf);
  }
  return buf;
}

/** pdfkit's registered name for a face. */
export function pdfFontName(key: FontKey, bold: boolean): string {
  return `${key}${bold ? '-bold' : ''}`;
}

const opened = new Map<string, fontkit.Font>();

/** fontkit's view of one face (opened once per process), for coverage checks and measuring. */
export function fontkitFont(key: FontKey, bold: boolean): fontkit.Font {
  const name = pdfFontName(key, bold);
  let font = opened.get(name);
  if (!font) {
    font = fontkit.create(fontFile(key, bold)) as fontkit.Font;
    opened.set(name, font);
  }
  return font;
}

const glyphCache = new Map<FontKey, Map<number, boolean>>();

/** Whether the font (regular face; the bold faces cover the same characters) has a glyph for the code point. */
export function hasGlyph(key: FontKey, cp: number): boolean {
  let cache = glyphCache.get(key);
  if (!cache) glyphCache.set(key, (cache = new Map()));
  let has = cache.get(cp);
  if (has === undefined) {
    has = fontkitFont(key, false).hasGlyphForCodePoint(cp);
    cache.set(cp, has);
  }
  return has;
}
