/**
 * Every script a name can be written in prints: one name per script is laid out (each run's font has a real glyph,
 * not .notdef, for every character), drawn into a PDF whose fonts pdffonts lists embedded, and rendered to PNG with
 * ink on every line (test-results/pdf-scripts-1.png, to look at).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { inkRatio, needPoppler, pdfFonts, pdfToPngs, RESULTS } from '../../../test/helpers/pdf.js';
import { fontkitFont, type FontKey } from './fonts.js';
import { drawText, layoutLine, newDocument } from './index.js';

export const NAMES: [string, string, FontKey][] = [
  ['Latin', 'Nguyễn Thị Ngọc Ánh', 'latin'],
  ['Greek', 'Γιώργος Παπαδόπουλος', 'latin'],
  ['Cyrillic', 'Айгерим Иванова', 'latin'],
  ['Arabic', 'عبد الله السواحه', 'arabic'],
  ['Hebrew', 'דוד כהן', 'hebrew'],
  ['Armenian', 'Արամ Խաչատրյան', 'armenian'],
  ['Georgian', 'გიორგი ბერიძე', 'georgian'],
  ['Ethiopic', 'አበበ ቢቂላ', 'ethiopic'],
  ['Devanagari', 'अश्विनी वैष्णव', 'devanagari'],
  ['Bengali', 'শেখ হাসিনা', 'bengali'],
  ['Tamil', 'சுந்தர் பிச்சை', 'tamil'],
  ['Sinhala', 'කුමාර සංගක්කාර', 'sinhala'],
  ['Thai', 'สมชาย ใจดี', 'thai'],
  ['Lao', 'ສົມພອນ ແກ້ວມະນີ', 'lao'],
  ['Khmer', 'ចាន់ សុខា', 'khmer'],
  ['Myanmar', 'အောင်ဆန်းစုကြည်', 'myanmar'],
  ['Han', '陈超', 'sc'],
  ['Hangul', '김민준', 'kr'],
  ['Kana', 'さとう はると', 'sc'],
];

describe('every script in every PDF', () => {
  it('each name is laid out in its script’s font, with no .notdef glyph', () => {
    for (const [script, name, key] of NAMES) {
      const line = layoutLine(name, { size: 12 });
      const fonts = new Set(line.runs.filter((r) => /\S/.test(r.text)).map((r) => r.font));
      assert.ok(fonts.has(key), `${script}: runs in ${[...fonts].join(',')}, expected ${key}`);
      for (const r of line.runs) {
        const glyphs = fontkitFont(r.font, false).layout(r.logical).glyphs;
        const missing = glyphs.filter((g) => g.id === 0);
        assert.equal(missing.length, 0, `${script}: ${r.logical} has .notdef in ${r.font}`);
      }
    }
  });

  it('Hebrew, like Arabic, is drawn right to left (the first letter rightmost)', () => {
    const line = layoutLine('דוד כהן', { size: 12 });
    assert.equal(line.rtl, true);
    // One run in the Hebrew font, handed to fontkit in logical order: fontkit lays Hebrew out right to left itself.
    assert.deepEqual(
      line.runs.map((r) => r.text),
      ['דוד כהן'],
    );
  });

  it('a PDF with one name per script embeds a font for each and prints ink on every line', async (t) => {
    if (!needPoppler(t)) return;
    fs.mkdirSync(RESULTS, { recursive: true });
    const file = path.join(RESULTS, 'pdf-scripts.pdf');
    const doc = newDocument({ size: 'A4' });
    const out = fs.createWriteStream(file);
    doc.pipe(out);
    const top = 30;
    const step = 40;
    NAMES.forEach(([script, name], i) => {
      drawText(doc, script, { x: 40, y: top + i * step, size: 10, width: 120, color: '#666666' });
      drawText(doc, name, { x: 170, y: top + i * step, size: 18, width: 380, bold: i % 2 === 1 });
    });
    doc.end();
    await new Promise<void>((res, rej) => out.on('finish', res).on('error', rej));

    const embedded = pdfFonts(file);
    assert.ok(
      embedded.every((f) => f.emb && f.sub),
      JSON.stringify(embedded),
    );
    for (const face of [
      'Hebrew',
      'Armenian',
      'Georgian',
      'Ethiopic',
      'Devanagari',
      'Bengali',
      'Tamil',
      'Sinhala',
      'Thai',
      'Lao',
      'Khmer',
      'Myanmar',
      'SC',
      'KR',
    ])
      assert.ok(
        embedded.some((f) => f.name.includes(`NotoSans${face}`)),
        `${face} not embedded: ${embedded.map((f) => f.name).join(' ')}`,
      );

    const [png] = pdfToPngs(file, path.join(RESULTS, 'pdf-scripts'), 72);
    assert.ok(png);
    // Each name's band, cropped from the page, has ink.
    const sharp = (await import('sharp')).default;
    for (const [i, [script]] of NAMES.entries()) {
      const band = path.join(RESULTS, `pdf-scripts-band-${i}.png`);
      await sharp(png)
        .extract({ left: 170, top: top + i * step, width: 380, height: 28 })
        .toFile(band);
      assert.ok((await inkRatio(band)) > 0.002, `${script}: no ink`);
      fs.rmSync(band);
    }
  });
});
