import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import { renderSpeakersList, visualRuns } from './speaking.list-pdf.js';

const texts = (s: string, rtl: boolean) => visualRuns(s, rtl).map((r) => `${r.script}:${r.text}`);

describe("speakers' list PDF", () => {
  it('lays out mixed lines in visual order: Arabic shaped whole, digits left to right, brackets mirrored', () => {
    assert.deepEqual(
      texts('عبد الله بن محمد السواحه', true),
      ['arabic:عبد الله بن محمد السواحه'],
      'one run, spaces kept, shaped whole',
    );
    assert.deepEqual(texts('(الجلسة 1)', true), ['latin:(', 'latin:1', 'latin: ', 'arabic:الجلسة', 'latin:)']);
    assert.deepEqual(texts('الأربعاء، 8 يوليو 2026', true), [
      'latin:2026',
      'latin: ',
      'arabic:يوليو',
      'latin: ',
      'latin:8',
      'latin: ',
      'arabic:الأربعاء،',
    ]);
    assert.deepEqual(texts('H.E. 王 小明', false), ['latin:H.E. ', 'cjk:王', 'latin: ', 'cjk:小明']);
    assert.deepEqual(texts('Minister (ICT)', false), ['latin:Minister (ICT)']);
  });

  it('renders names in Arabic, Chinese, Cyrillic and Latin on one page', async () => {
    const pdf = await renderSpeakersList({
      title: 'قائمة المتكلمين: بيانات السياسات رفيعة المستوى (الجلسة 1)',
      lang: 'ar',
      rtl: true,
      lines: ['HLT-04'],
      footer: 'HLT-04',
      headers: ['#', 'الاسم', 'Latin'],
      widths: [1, 4, 4],
      rows: [
        ['1', 'عبد الله السواحه', 'Abdullah ALSWAHA'],
        ['2', '王小明', 'WANG Xiaoming'],
        ['3', 'Максут Шадаев', 'Maksut SHADAEV'],
      ],
    });
    assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
    if (!fs.existsSync('/usr/bin/pdftotext')) return;
    fs.mkdirSync('test-results', { recursive: true });
    fs.writeFileSync('test-results/speakers-list-scripts.pdf', pdf);
    const text = execFileSync('pdftotext', ['test-results/speakers-list-scripts.pdf', '-'], { encoding: 'utf8' });
    for (const s of ['Abdullah ALSWAHA', 'WANG Xiaoming', 'Максут Шадаев', '王小明']) assert.ok(text.includes(s), s);
    assert.match(
      execFileSync('pdfinfo', ['test-results/speakers-list-scripts.pdf'], { encoding: 'utf8' }),
      /Pages:\s+1\n/,
    );
  });
});
