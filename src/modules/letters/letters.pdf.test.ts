import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, TEST_NOW, type TestDatabase } from '../../../test/helpers/db.js';
import { inkRatio, needPoppler, pdfFonts, pdfInfo, pdfText, pdfToPngs, RESULTS } from '../../../test/helpers/pdf.js';
import { LOCALES } from '../../platform/i18n/locales.js';
import { renderLetterPdf } from './letters.pdf.js';
import { letterPdfView } from './letters.present.js';
import * as svc from './letters.service.js';

describe('circular letter PDF', () => {
  let database: TestDatabase;
  before(async () => {
    database = await createTestDatabase();
  });
  after(() => database.close());

  it('renders CL-26/17 in the six languages: letterhead, reference, subject, body, signature, page numbers', async (t) => {
    if (!needPoppler(t)) return;
    const ctx = { db: database.db, actor: { kind: 'anonymous' } as const, locale: 'en' as const, now: TEST_NOW };
    const letter = await svc.getPublishedLetter(ctx, 'CL-26/17');
    fs.mkdirSync(RESULTS, { recursive: true });
    const expect = {
      en: [
        'International Telecommunication Union',
        'CL-26/17',
        'Geneva, 17 March 2026',
        '(original signed)',
        'Original: Arabic',
        '1 May 2026',
      ],
      fr: ['Union internationale des télécommunications', 'Genève, le 17 mars 2026', '(original signé)'],
      es: ['Unión Internacional de Telecomunicaciones', '(firmado en el original)'],
      ru: ['Международный союз электросвязи', '(оригинал подписан)'],
      zh: ['国际电信联盟', '原件已签署'],
      ar: ['CL-26/17', 'Gitanjali Sah', 'wsis-info@itu.int'],
    } as const;
    for (const lc of LOCALES) {
      const pdf = await renderLetterPdf(letterPdfView(letter, [], lc));
      const file = path.join(RESULTS, `letter-CL-26-17-${lc}.pdf`);
      fs.writeFileSync(file, pdf);
      const info = pdfInfo(file);
      assert.equal(info.pageSize.startsWith('595.28 x 841.89'), true, info.pageSize);
      assert.ok(info.pages >= 2 && info.pages <= 4, `${lc}: ${info.pages} pages`);
      const txt = pdfText(file);
      for (const s of expect[lc]) assert.ok(txt.includes(s), `${lc}: ${s}`);
      const last = pdfText(file, { page: info.pages });
      assert.ok(last.includes(String(info.pages)), `${lc}: page number on the last page`);
      assert.ok(last.includes('Doreen Bogdan-Martin') || lc === 'ar', `${lc}: signatory`);
      for (const f of pdfFonts(file)) assert.ok(f.emb && f.sub, `${lc}: ${f.name} embedded as a subset`);
      const pngs = pdfToPngs(file, path.join(RESULTS, `letter-CL-26-17-${lc}`), 60, { first: 1, last: 1 });
      assert.ok((await inkRatio(pngs[0])) > 0.01, `${lc}: page 1 has ink`);
    }
  });

  it('lists annexes and keeps Arabic right to left', async (t) => {
    if (!needPoppler(t)) return;
    const ctx = { db: database.db, actor: { kind: 'anonymous' } as const, locale: 'ar' as const, now: TEST_NOW };
    const letter = await svc.getPublishedLetter(ctx, 'CL-26/17');
    const annexes = [
      { id: 1, letterId: letter.id, title: 'Programme', filename: 'p.pdf', size: 1, sha256: '', uploadedAt: TEST_NOW },
    ];
    const file = path.join(RESULTS, 'letter-annexes-en.pdf');
    fs.writeFileSync(file, await renderLetterPdf(letterPdfView(letter, annexes, 'en')));
    const txt = pdfText(file);
    assert.match(txt, /Annexes:\s+1\. Programme/);
  });
});
