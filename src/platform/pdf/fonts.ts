/**
 * The fonts the PDFs use, one per script: Noto Sans (Latin, Cyrillic, Greek), Noto Naskh Arabic, Noto Sans SC (Chinese,
 * kana), KR (Hangul), Lao (@expo-google-fonts/*, full TTFs) and the script subsets of @fontsource/noto-sans-* (WOFF:
 * Hebrew, Armenian, Georgian, Ethiopic, Devanagari, Bengali, Tamil, Sinhala, Thai, Khmer, Myanmar). All come from npm,
 * so a fresh machine needs nothing else.
 *
 * Files are read once per process; fontkit opens them once for the coverage checks (`hasGlyphForCodePoint`).
 * pdfkit opens its own copy per document (it keeps per-document subset state), only when a font is first used.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import * as fontkit from 'fontkit';

/** One face per script family; Latin (with Greek and Cyrillic) first, the fallback for what no other font covers. */
export const FONT_KEYS = [
  'latin',
  'arabic',
  'sc',
  'kr',
  'hebrew',
  'armenian',
  'georgian',
  'ethiopic',
  'devanagari',
  'bengali',
  'tamil',
  'sinhala',
  'thai',
  'lao',
  'khmer',
  'myanmar',
] as const;
export type FontKey = (typeof FONT_KEYS)[number];

/** A script's subset of a @fontsource package: WOFF (fontkit reads it; pdfkit draws nothing with WOFF2). */
const fontsource = (script: string) => ({
  regular: `@fontsource/noto-sans-${script}/files/noto-sans-${script}-${script}-400-normal.woff`,
  bold: `@fontsource/noto-sans-${script}/files/noto-sans-${script}-${script}-700-normal.woff`,
});

const FILES: Record<FontKey, { regular: string; bold: string }> = {
  latin: {
    regular: '@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf',
    bold: '@expo-google-fonts/noto-sans/700Bold/NotoSans_700Bold.ttf',
  },
  arabic: {
    regular: '@expo-google-fonts/noto-naskh-arabic/400Regular/NotoNaskhArabic_400Regular.ttf',
    bold: '@expo-google-fonts/noto-naskh-arabic/700Bold/NotoNaskhArabic_700Bold.ttf',
  },
  /** Chinese, and Japanese kana. */
  sc: {
    regular: '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf',
    bold: '@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf',
  },
  /** Hangul. */
  kr: {
    regular: '@expo-google-fonts/noto-sans-kr/400Regular/NotoSansKR_400Regular.ttf',
    bold: '@expo-google-fonts/noto-sans-kr/700Bold/NotoSansKR_700Bold.ttf',
  },
  lao: {
    regular: '@expo-google-fonts/noto-sans-lao/400Regular/NotoSansLao_400Regular.ttf',
    bold: '@expo-google-fonts/noto-sans-lao/700Bold/NotoSansLao_700Bold.ttf',
  },
  hebrew: fontsource('hebrew'),
  armenian: fontsource('armenian'),
  georgian: fontsource('georgian'),
  ethiopic: fontsource('ethiopic'),
  devanagari: fontsource('devanagari'),
  bengali: fontsource('bengali'),
  tamil: fontsource('tamil'),
  sinhala: fontsource('sinhala'),
  thai: fontsource('thai'),
  khmer: fontsource('khmer'),
  myanmar: fontsource('myanmar'),
};

/** The font of a script, for characters of that script (others go by coverage). */
export const SCRIPT_FONTS: [RegExp, FontKey][] = [
  [/\p{Script=Arabic}/u, 'arabic'],
  [/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Bopomofo}]/u, 'sc'],
  [/\p{Script=Hangul}/u, 'kr'],
  [/\p{Script=Hebrew}/u, 'hebrew'],
  [/\p{Script=Armenian}/u, 'armenian'],
  [/\p{Script=Georgian}/u, 'georgian'],
  [/\p{Script=Ethiopic}/u, 'ethiopic'],
  [/\p{Script=Devanagari}/u, 'devanagari'],
  [/\p{Script=Bengali}/u, 'bengali'],
  [/\p{Script=Tamil}/u, 'tamil'],
  [/\p{Script=Sinhala}/u, 'sinhala'],
  [/\p{Script=Thai}/u, 'thai'],
  [/\p{Script=Lao}/u, 'lao'],
  [/\p{Script=Khmer}/u, 'khmer'],
  [/\p{Script=Myanmar}/u, 'myanmar'],
];

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
