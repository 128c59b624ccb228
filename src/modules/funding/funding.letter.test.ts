import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { needPoppler, pdfText, RESULTS } from '../../../test/helpers/pdf.js';
import { LOCALES } from '../../platform/i18n/locales.js';
import { renderAcknowledgement } from './funding.letter.js';

describe('acknowledgement letter', () => {
  it('renders in all six languages with the reference and the amount in the currency’s own format', async (ctx) => {
    if (!needPoppler(ctx)) return;
    fs.mkdirSync(RESULTS, { recursive: true });
    const expected: Record<string, RegExp> = {
      ar: /250,000\.00/,
      zh: /250,000\.00/,
      en: /€250,000\.00/,
      fr: /250\s000[.,]00\s€/,
      ru: /250\s000,00\s€/,
      es: /250\.000,00\s€/,
    };
    for (const locale of LOCALES) {
      const pdf = await renderAcknowledgement({
        locale,
        ack: {
          event: 'confirmed',
          reference: 'TF26-0042-C',
          amountMinor: 25_000_000,
          currency: 'EUR',
          createdAt: new Date('2026-05-04T09:00:00Z'),
        },
        pledge: {
          contactName: 'Ms Anne Contact',
          purpose: 'wsis_prizes',
          purposeDetail: '',
          reference: 'TF26-0042',
          kind: 'cash',
          inKindDescription: '',
        },
        entity: { name: { en: 'France', fr: 'France', ar: 'فرنسا', zh: '法国', ru: 'Франция', es: 'Francia' } },
      });
      const file = path.join(RESULTS, `funding-letter-${locale}.pdf`);
      fs.writeFileSync(file, pdf);
      const txt = pdfText(file).replace(/\u00a0|\u202f/g, ' ');
      assert.match(txt, /TF26-0042-C/, locale);
      assert.match(txt, expected[locale], `${locale}: ${txt}`);
      execFileSync('pdftoppm', ['-png', '-r', '60', '-singlefile', file, file.replace(/\.pdf$/, '')]);
    }
  });
});
