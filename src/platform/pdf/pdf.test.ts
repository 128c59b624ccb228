import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import * as fontkit from 'fontkit';
import {
  decodeQr,
  inkRatio,
  needPoppler,
  pdfFonts,
  pdfInfo,
  pdfText,
  pdfToPngs,
  RESULTS,
} from '../../../test/helpers/pdf.js';
import { fontFile } from './fonts.js';
import {
  drawParagraph,
  drawQr,
  drawText,
  fitLines,
  fitSize,
  layoutLine,
  measureText,
  newDocument,
  warmUpFonts,
} from './index.js';

const AR = 'محمد بن علي';
const AR2 = 'دورين بوغدان-مارتن';
const ZH = '王小明';
const RU = 'Иван Петров';
const FR = 'François Gérald Éloïse Nguyễn Thị Ánh';
const MIXED = 'الاتحاد الدولي للاتصالات ITU 2026 (جنيف)';

/** Arabic letters reduced to their dotless skeleton (rasm). */
function skeleton(s: string): string {
  return s
    .replace(/[بتثنيى]/g, 'ب')
    .replace(/[جحخ]/g, 'ح')
    .replace(/[دذ]/g, 'د')
    .replace(/[رز]/g, 'ر')
    .replace(/[سش]/g, 'س')
    .replace(/[صض]/g, 'ص')
    .replace(/[طظ]/g, 'ط')
    .replace(/[عغ]/g, 'ع')
    .replace(/[فق]/g, 'ف')
    .replace(/[هة]/g, 'ه');
}

async function render(file: string, draw: (doc: PDFKit.PDFDocument) => void): Promise<void> {
  const doc = newDocument({ size: 'A4' });
  const out = fs.createWriteStream(file);
  doc.pipe(out);
  draw(doc);
  doc.end();
  await new Promise<void>((res, rej) => out.on('finish', res).on('error', rej));
}

describe('PDF text platform', () => {
  it('orders mixed Arabic, Latin and digits visually by the bidi algorithm, Arabic runs whole', () => {
    const line = layoutLine(MIXED, { size: 12 });
    assert.equal(line.rtl, true);
    // Left to right on the page: '(جنيف)' then 'ITU 2026' then the Arabic name of the union.
    const visual = line.runs.map((r) => r.text.trim()).filter(Boolean);
    assert.equal(visual[visual.length - 1], 'الاتحاد الدولي للاتصالات');
    // Digits after a Latin word take its direction (W7): 'ITU 2026' reads left to right, as one run.
    assert.ok(
      visual.indexOf('ITU 2026') >= 0 && visual.indexOf('ITU 2026') < visual.indexOf('الاتحاد الدولي للاتصالات'),
      JSON.stringify(visual),
    );
    assert.ok(visual.findIndex((t) => t.includes('جنيف')) < visual.indexOf('ITU 2026'));
    // Brackets in a right-to-left run are mirrored for display.
    assert.ok(
      visual.some((t) => t === ')جنيف('),
      JSON.stringify(visual),
    );
    // A pure Arabic name is a single run (shaped whole, spaces kept), in the Arabic font.
    const name = layoutLine(AR, { size: 12 });
    assert.deepEqual(
      name.runs.map((r) => [r.text, r.font]),
      [[AR, 'arabic']],
    );
    // Chinese in the CJK font, a Latin honorific in Noto Sans.
    assert.deepEqual(
      layoutLine(`Dr ${ZH}`, { size: 12 }).runs.map((r) => r.font),
      ['latin', 'sc'],
    );
  });

  it('warms every face up front (start-up), after which measuring works', () => {
    warmUpFonts();
    assert.ok(measureText(ZH, { size: 10, bold: true }) > 0);
  });

  it('shapes Arabic into joining forms (not isolated letters)', () => {
    const f = fontkit.create(fontFile('arabic', false)) as fontkit.Font;
    const names = f.layout('محمد', []).glyphs.map((g) => g.name);
    assert.deepEqual(names, ['uni062F.fina', 'uni0645.medi', 'uni062D.medi', 'uni0645.init']);
  });

  it('shrinks long names to fit and wraps paragraphs', () => {
    const long = 'Son Excellence Monsieur Jean-Baptiste Alexandre de la Fontaine-Beauregard';
    const size = fitSize(long, 300, 20, 6, { bold: true });
    assert.ok(size < 20 && size >= 6);
    assert.ok(measureText(long, { size, bold: true }) <= 300);
    assert.ok(measureText(long, { size: size + 0.5, bold: true }) > 300, 'the largest size that fits');
    assert.equal(fitSize(long, 100, 20, 6, { bold: true }), 6, 'never below the minimum');
    assert.equal(fitSize('Li', 150, 20, 6), 20);
    const lines = fitLines(long, 100, { size: 10 });
    assert.ok(lines.length >= 3);
    for (const l of lines) assert.ok(measureText(l, { size: 10 }) <= 100, l);
    assert.equal(lines.join(' '), long);
    const capped = fitLines(long, 100, { size: 10, maxLines: 2 });
    assert.equal(capped.length, 2);
    assert.ok(capped[1].endsWith('…'));
    // Chinese breaks between characters.
    const zh = fitLines('中华人民共和国工业和信息化部国际合作司', 60, { size: 10 });
    assert.ok(zh.length > 1);
    assert.equal(zh.join(''), '中华人民共和国工业和信息化部国际合作司');
  });

  it('renders every script with embedded subset fonts; text extracts; pages are not blank; vector QR scans', async (t) => {
    if (!needPoppler(t)) return;
    fs.mkdirSync(RESULTS, { recursive: true });
    const file = path.join(RESULTS, 'pdf-platform.pdf');
    await render(file, (doc) => {
      let y = 40;
      for (const [text, bold] of [
        [AR, false],
        [AR2, true],
        [ZH, false],
        [RU, false],
        [FR, false],
        [MIXED, false],
      ] as const) {
        doc.rect(40, y, 515, 28).lineWidth(0.3).stroke('#bbbbbb');
        drawText(doc, text, { x: 40, y, size: 20, bold, width: 515, align: 'start', color: '#000000' });
        y += 36;
      }
      drawText(doc, AR, { x: 40, y, size: 20, width: 515, align: 'center' });
      y += 36;
      y = drawParagraph(doc, 'Ministère des Communications et de l’Économie numérique', {
        x: 40,
        y,
        size: 12,
        width: 200,
      });
      y = drawParagraph(doc, 'وزارة الاتصالات وتكنولوجيا المعلومات في المملكة', {
        x: 40,
        y,
        size: 12,
        width: 200,
        align: 'start',
      });
      drawQr(doc, 'CVB1.platform-test.0123456789', { x: 60, y: y + 20, size: 120 });
    });
    assert.equal(pdfInfo(file).pages, 1);
    const text = pdfText(file);
    for (const s of [ZH, RU, FR, AR, 'ITU 2026', 'Ministère des Communications et']) {
      assert.ok(text.includes(s), `pdftotext lacks ${s}:\n${text}`);
    }
    // Arabic letters that share a dotless base glyph in Noto Naskh can extract as a sibling (same skeleton): compare
    // skeletons, which still proves the letters and words come back in logical order.
    const sk = skeleton(text);
    for (const s of [AR2, 'الاتحاد الدولي للاتصالات', 'جنيف', 'وزارة الاتصالات وتكنولوجيا المعلومات في']) {
      assert.ok(sk.includes(skeleton(s)), `pdftotext lacks ${s}:\n${text}`);
    }
    const fonts = pdfFonts(file);
    for (const face of ['NotoSans-Regular', 'NotoNaskhArabic-Regular', 'NotoNaskhArabic-Bold', 'NotoSansSC-Regular']) {
      const f = fonts.find((x) => x.name.endsWith(`+${face}`));
      assert.ok(f, `${face} not in ${JSON.stringify(fonts)}`);
      assert.match(f.name, /^[A-Z]{6}\+/);
      assert.ok(f.emb && f.sub, `${face} embedded and subset`);
    }
    assert.ok(fs.statSync(file).size < 120_000, `subset fonts keep the file small (${fs.statSync(file).size} bytes)`);
    const [png] = pdfToPngs(file, path.join(RESULTS, 'pdf-platform'), 100);
    assert.ok((await inkRatio(png)) > 0.005, 'page has ink');
    const [hi] = pdfToPngs(file, path.join(RESULTS, 'pdf-platform-qr'), 200);
    assert.equal(await decodeQr(hi), 'CVB1.platform-test.0123456789');
  });
});
