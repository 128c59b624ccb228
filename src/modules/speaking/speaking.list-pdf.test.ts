import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import { columnBoxes, renderSpeakersList, type SpeakersListView } from './speaking.list-pdf.js';

const HAS_POPPLER = fs.existsSync('/usr/bin/pdftotext');
type Word = { text: string; x0: number; x1: number; y0: number };

/** The words of page 1 with their boxes (pdftotext -bbox), and a PNG beside the PDF to look at. */
function words(pdf: Buffer, name: string): Word[] {
  fs.mkdirSync('test-results', { recursive: true });
  const file = `test-results/${name}.pdf`;
  fs.writeFileSync(file, pdf);
  execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', file, `test-results/${name}`]);
  const html = execFileSync('pdftotext', ['-bbox', '-f', '1', '-l', '1', file, '-'], { encoding: 'utf8' });
  return [...html.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)<\/word>/g)].map(
    (m) => ({ text: m[4], x0: Number(m[1]), y0: Number(m[2]), x1: Number(m[3]) }),
  );
}

const LONG_TITLE =
  'Minister of Communications, Information Technology, Digital Transformation, Innovation and Postal Services';
const LONG_ENTITY = 'International Organization for Standardization and the International Electrotechnical Commission';

const view = (o: Partial<SpeakersListView>): SpeakersListView => ({
  title: "Speakers' list: HLT-04",
  lang: 'en',
  rtl: false,
  lines: ['WSIS Forum 2026 · HLT-04'],
  footer: 'HLT-04',
  headers: ['#', 'Name', 'Latin', 'Title', 'Entity'],
  widths: [4, 20, 17, 24, 15],
  rows: [],
  ...o,
});

describe("speakers' list PDF", () => {
  it('lays out columns in reading order, mirrored right to left', () => {
    const ltr = columnBoxes([1, 3], false, 0, 400);
    const rtl = columnBoxes([1, 3], true, 0, 400);
    assert.deepEqual(ltr, [
      [0, 100],
      [100, 300],
    ]);
    assert.deepEqual(rtl, [
      [300, 100],
      [0, 300],
    ]);
  });

  it('renders names in Arabic, Chinese, Cyrillic, Khmer and Latin on one page', async () => {
    const pdf = await renderSpeakersList(
      view({
        title: 'قائمة المتكلمين: بيانات السياسات رفيعة المستوى (الجلسة 1)',
        lang: 'ar',
        rtl: true,
        headers: ['#', 'الاسم', 'Latin'],
        widths: [1, 4, 4],
        rows: [
          ['1', 'عبد الله السواحه', 'Abdullah ALSWAHA'],
          ['2', '王小明', 'WANG Xiaoming'],
          ['3', 'Максут Шадаев', 'Maksut SHADAEV'],
          ['4', 'ចាន់ សុខា', 'CHAN Sokha'],
        ],
      }),
    );
    assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
    if (!HAS_POPPLER) return;
    const w = words(pdf, 'speakers-list-scripts');
    const text = w.map((x) => x.text).join(' ');
    for (const s of ['ALSWAHA', 'Xiaoming', 'Шадаев', '王小明', 'Sokha']) assert.ok(text.includes(s), s);
    const fonts = execFileSync('pdffonts', ['test-results/speakers-list-scripts.pdf'], { encoding: 'utf8' });
    assert.match(fonts, /Khmer/, 'a Khmer font for the Khmer name (no empty boxes)');
    assert.match(
      execFileSync('pdfinfo', ['test-results/speakers-list-scripts.pdf'], { encoding: 'utf8' }),
      /Pages:\s+1\n/,
    );
  });

  it('wraps a long title or organization inside its cell instead of overprinting the next column', async () => {
    const pdf = await renderSpeakersList(
      view({ rows: [['1', 'Paulo Silva', 'Paulo SILVA', LONG_TITLE, LONG_ENTITY]] }),
    );
    if (!HAS_POPPLER) return;
    const w = words(pdf, 'speakers-list-wrap');
    const [titleX, titleW] = columnBoxes([4, 20, 17, 24, 15], false)[3];
    const [entityX, entityW] = columnBoxes([4, 20, 17, 24, 15], false)[4];
    const titleWords = new Set(LONG_TITLE.split(' '));
    const inTitle = w.filter((x) => titleWords.has(x.text) && x.x0 >= titleX - 1 && x.x0 < entityX);
    const inEntity = w.filter((x) => x.x0 >= entityX - 1 && /Organization|Standardization|Commission/.test(x.text));
    assert.ok(inTitle.length >= 10, `title words found: ${inTitle.length}`);
    for (const x of inTitle) assert.ok(x.x1 <= titleX + titleW + 0.5, `${x.text} stays in its column (${x.x1})`);
    for (const x of inEntity) assert.ok(x.x1 <= entityX + entityW + 0.5, `${x.text} stays in its column (${x.x1})`);
    assert.ok(new Set(inTitle.map((x) => Math.round(x.y0))).size >= 2, 'the title takes several lines');
    assert.ok(
      w.some((x) => x.text === 'Commission'),
      'nothing cut off',
    );
  });

  it('mirrors the Arabic list: the first column on the right, headers over their columns', async () => {
    const pdf = await renderSpeakersList(
      view({
        title: 'قائمة المتكلمين',
        lang: 'ar',
        rtl: true,
        headers: ['#', 'الاسم', 'الاسم بالحروف اللاتينية', 'المنصب', 'الجهة'],
        rows: [['7', 'عبد الله السواحه', 'Abdullah ALSWAHA', 'وزير الاتصالات وتقنية المعلومات', 'Saudi Arabia']],
      }),
    );
    if (!HAS_POPPLER) return;
    const w = words(pdf, 'speakers-list-ar');
    const hash = w.find((x) => x.text === '#');
    const seven = w.find((x) => x.text === '7');
    const latin = w.find((x) => x.text === 'ALSWAHA');
    const entity = w.find((x) => x.text === 'Arabia');
    assert.ok(hash && seven && latin && entity);
    const [posX, posW] = columnBoxes([4, 20, 17, 24, 15], true)[0];
    assert.ok(seven.x0 >= posX && seven.x1 <= posX + posW, 'the position sits in the rightmost column');
    assert.ok(hash.x0 >= posX && hash.x1 <= posX + posW, 'its header over it');
    assert.ok(seven.x0 > latin.x1 && latin.x0 > entity.x1, 'columns run from right to left');
    // Cells are aligned to the right edge of their column.
    assert.ok(posX + posW - seven.x1 < 6, `right-aligned (${posX + posW - seven.x1})`);
  });
});
