import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it, type TestContext } from 'node:test';
import {
  formatCalendarDate,
  formatGenevaDate,
  renderVisaLetter,
  type VisaLetterView,
} from './registration.visa-letter.js';

const RESULTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../test-results');
const A4_PTS = '595.28 x 841.89 pts';

/** Poppler's tools are needed to check the PDF: in CI they must be there; on a laptop, skip loudly. */
const popplerMissing = ['pdfinfo', 'pdftotext', 'pdftoppm'].filter((t) => spawnSync(t, ['-v']).error);
function needPoppler(t: TestContext): boolean {
  if (!popplerMissing.length) return true;
  const msg = `poppler-utils missing (${popplerMissing.join(', ')}): cannot check the visa letter PDF`;
  if (process.env.CI === 'true') assert.fail(`${msg} — install poppler-utils on the CI image`);
  console.error(
    `\n!!!!!!!! SKIPPED: ${msg}. Install poppler-utils (apt-get install poppler-utils) to run these checks. !!!!!!!!\n`,
  );
  t.skip(msg);
  return false;
}

const NAME = 'NGUYỄN Thị Ngọc Ánh Đặng-Lê Quỳnh Hương';
const ISSUED = new Date('2026-04-20T23:30:00Z'); // 21 April in Geneva (CEST, UTC+2)

function view(locale: 'en' | 'fr', over: Partial<VisaLetterView> = {}): VisaLetterView {
  const fr = locale === 'fr';
  return {
    reference: 'WSIS26/VISA/000123',
    issuedOn: ISSUED,
    locale,
    passportName: NAME,
    nationality: fr ? 'Viet Nam' : 'Viet Nam',
    dateOfBirth: '1987-03-01',
    passportNumber: 'C4829173X',
    passportExpiry: '2031-11-30',
    visaPlace: fr
      ? 'Consulat général de Suisse à Hô-Chi-Minh-Ville, section des visas, 37 Tôn Đức Thắng, District 1, Hô-Chi-Minh-Ville, Viet Nam'
      : 'Consulate General of Switzerland in Ho Chi Minh City, Visa Section, 37 Tôn Đức Thắng Street, District 1, Ho Chi Minh City, Viet Nam',
    entityName: fr
      ? 'Ministère de l’information et des communications, Département de la coopération internationale'
      : 'Ministry of Information and Communications, Department of International Cooperation',
    function: fr
      ? 'Directrice adjointe chargée des organisations internationales'
      : 'Deputy Director for International Organizations',
    events: fr
      ? [
          { name: 'Forum du SMSI 2026', dates: '6–10 juillet 2026' },
          { name: 'Sommet mondial AI for Good 2026', dates: '7–10 juillet 2026' },
        ]
      : [
          { name: 'WSIS Forum 2026', dates: '6–10 July 2026' },
          { name: 'AI for Good Global Summit 2026', dates: '7–10 July 2026' },
        ],
    venue: fr ? 'Palexpo, Genève, Suisse' : 'Palexpo, Geneva, Switzerland',
    signatory: fr
      ? { name: 'Secrétariat', title: 'Secrétariat du Forum du SMSI 2026, Union internationale des télécommunications' }
      : { name: 'Secretariat', title: 'WSIS Forum 2026 Secretariat, International Telecommunication Union' },
    verifyUrl: 'https://convene.example.org/verify/visa/WSIS26-VISA-000123?c=7f3a9c2e',
    ...over,
  };
}

type Checked = { info: string; text: string; words: { w: string; x0: number; y0: number; x1: number; y1: number }[] };

function check(pdf: Buffer, name: string): Checked {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'visa-letter-'));
  try {
    const file = path.join(dir, `${name}.pdf`);
    fs.writeFileSync(file, pdf);
    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' })
      .normalize('NFC')
      .replace(/\s+/g, ' ');
    const bbox = execFileSync('pdftotext', ['-bbox', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
    const words = [
      ...bbox.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g),
    ].map((m) => ({
      w: m[5],
      x0: +m[1],
      y0: +m[2],
      x1: +m[3],
      y1: +m[4],
    }));
    return { info, text, words };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function assertOnePageA4(info: string): void {
  assert.match(info, /^Pages:\s+1$/m, info);
  assert.ok(info.includes(A4_PTS), `expected A4 (${A4_PTS}):\n${info}`);
}

/** No two words overlap, and every word stays inside the page's side margins. */
function assertCleanLayout(words: Checked['words']): void {
  assert.ok(words.length > 150, `too few words: ${words.length}`);
  for (const w of words) {
    assert.ok(
      w.x0 >= 50 && w.x1 <= 595.28 - 50 && w.y0 >= 30 && w.y1 <= 841.89 - 20,
      `word outside the margins: ${JSON.stringify(w)}`,
    );
  }
  for (let i = 0; i < words.length; i++) {
    for (let j = i + 1; j < words.length; j++) {
      const a = words[i];
      const b = words[j];
      const ox = Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0);
      const oy = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0);
      assert.ok(!(ox > 0.5 && oy > 0.5), `words overlap: ${JSON.stringify(a)} / ${JSON.stringify(b)}`);
    }
  }
}

function toPng(pdf: Buffer, base: string): string {
  fs.mkdirSync(RESULTS, { recursive: true });
  const tmp = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'visa-letter-')), `${base}.pdf`);
  fs.writeFileSync(tmp, pdf);
  execFileSync('pdftoppm', ['-png', '-r', '80', tmp, path.join(RESULTS, base)]);
  fs.rmSync(path.dirname(tmp), { recursive: true, force: true });
  return path.join(RESULTS, `${base}-1.png`);
}

describe('visa support letter (PDF)', () => {
  it('formats the issue date as a calendar date in Geneva, and passport dates without time zone shifts', () => {
    assert.equal(formatGenevaDate(ISSUED, 'en'), '21 April 2026');
    assert.equal(formatGenevaDate(ISSUED, 'fr'), '21 avril 2026');
    assert.equal(formatGenevaDate(new Date('2026-01-31T23:30:00Z'), 'en'), '1 February 2026'); // CET, UTC+1
    assert.equal(formatGenevaDate(new Date('2026-06-30T22:00:00Z'), 'fr'), '1er juillet 2026');
    assert.equal(formatCalendarDate('1987-03-01', 'en', 'dateOfBirth'), '1 March 1987');
    assert.equal(formatCalendarDate('1987-03-01', 'fr', 'dateOfBirth'), '1er mars 1987');
    assert.throws(() => formatCalendarDate('1987-02-30', 'en', 'dateOfBirth'), RangeError);
    assert.throws(() => formatCalendarDate('01/03/1987', 'en', 'dateOfBirth'), RangeError);
  });

  it('sets Title and Lang, and refuses a letter without events', async () => {
    const pdf = await renderVisaLetter(view('fr'));
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
    const raw = pdf.toString('latin1');
    assert.match(raw, /\/Lang \(fr-CH\)/);
    assert.match(raw, /\/Title /);
    await assert.rejects(renderVisaLetter(view('en', { events: [] })), RangeError);
    await assert.rejects(renderVisaLetter(view('en', { dateOfBirth: '1987-13-01' })), RangeError);
  });

  for (const locale of ['en', 'fr'] as const) {
    it(`renders the ${locale === 'en' ? 'English' : 'French'} letter on one A4 page with the particulars, and a PNG`, async (t) => {
      if (!needPoppler(t)) return;
      const pdf = await renderVisaLetter(view(locale));
      const { info, text, words } = check(pdf, `visa-letter-${locale}`);
      assertOnePageA4(info);
      assert.match(
        info,
        locale === 'en'
          ? /^Title:\s+Visa support letter WSIS26\/VISA\/000123$/m
          : /^Title:\s+Lettre d’appui à une demande de visa WSIS26\/VISA\/000123$/m,
      );

      for (const s of [NAME, 'WSIS26/VISA/000123', 'C4829173X', 'Palexpo', 'Viet Nam'])
        assert.ok(text.includes(s), `missing ${JSON.stringify(s)} in:\n${text}`);
      if (locale === 'en') {
        for (const s of [
          'Geneva, 21 April 2026',
          'To the Embassy/Consulate of Switzerland',
          'Subject: Visa support letter — WSIS Forum 2026 and AI for Good Global Summit 2026',
          '1 March 1987',
          '30 November 2031',
          'WSIS Forum 2026: 6–10 July 2026',
          'does not commit the Union to any financial responsibility',
          'facilitate the issuance of the appropriate visa',
          'Yours faithfully,',
          'Page 1 of 1',
        ])
          assert.ok(text.includes(s), `missing ${JSON.stringify(s)} in:\n${text}`);
        assert.ok(!text.includes('20 April 2026'), 'the date must be Geneva time, not UTC');
      } else {
        for (const s of [
          'Genève',
          'Genève, le 21 avril 2026',
          'À l’Ambassade/au Consulat de Suisse',
          'Objet : Lettre d’appui à une demande de visa — Forum du SMSI 2026 et Sommet mondial AI for Good 2026',
          '1er mars 1987',
          'Forum du SMSI 2026 : 6–10 juillet 2026',
          'n’engage l’Union à aucune responsabilité financière',
          'faciliter la délivrance du visa',
          'Madame, Monsieur,',
          'Page 1 sur 1',
        ])
          assert.ok(text.includes(s), `missing ${JSON.stringify(s)} in:\n${text}`);
        assert.ok(!text.includes('20 avril 2026'), 'the date must be Geneva time, not UTC');
      }
      assertCleanLayout(words);

      const png = toPng(pdf, `visa-letter-${locale}`);
      assert.ok(fs.existsSync(png), `${png} not written`);
      assert.ok(fs.statSync(png).size > 10 * 1024, `${png} is only ${fs.statSync(png).size} bytes`);
    });
  }

  it('stays on one page with absurdly long values (type shrinks, then values are capped)', async (t) => {
    if (!needPoppler(t)) return;
    const long = (s: string, n: number) => Array.from({ length: n }, () => s).join(' ');
    const pdf = await renderVisaLetter(
      view('en', {
        passportName: long('NGUYỄN Thị Ngọc Ánh', 12),
        visaPlace: long('Consulate General of Switzerland in Ho Chi Minh City', 6),
        entityName: long('Ministry of Information and Communications', 10),
        function: long('Deputy Director', 20),
        events: Array.from({ length: 6 }, (_, i) => ({
          name: `Event ${i + 1} with a rather long official title`,
          dates: '6–10 July 2026',
        })),
        signatory: {
          name: 'Secretariat',
          title: long('WSIS Forum 2026 Secretariat, International Telecommunication Union', 3),
        },
      }),
    );
    const { info, text, words } = check(pdf, 'visa-letter-long');
    assertOnePageA4(info);
    assert.ok(text.includes('Page 1 of 1') && text.includes('Yours faithfully,'));
    assertCleanLayout(words);
    toPng(pdf, 'visa-letter-long');
  });

  it('omits the optional rows and the QR code when not given', async (t) => {
    if (!needPoppler(t)) return;
    const pdf = await renderVisaLetter(
      view('en', {
        passportExpiry: undefined,
        entityName: undefined,
        function: undefined,
        verifyUrl: undefined,
        events: [{ name: 'WSIS Forum 2026', dates: '6–10 July 2026' }],
      }),
    );
    const { info, text } = check(pdf, 'visa-letter-min');
    assertOnePageA4(info);
    assert.ok(!text.includes('Passport expiry') && !text.includes('Function') && !text.includes('verified'));
    assert.ok(text.includes('attend the following event,') && text.includes('Event and dates'));
  });
});
