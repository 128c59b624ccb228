import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { before, describe, it } from 'node:test';
import sharp from 'sharp';
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
import { countryName } from '../../platform/i18n/countries.js';
import { fullName, honorificLabel, latinIfDifferent } from '../../platform/i18n/names.js';
import { bandTextColour, renderBadges, type BadgeSize, type BadgeView } from './badges.pdf.js';

let photo: Buffer;
const token = (n: number) => `CVB1.${'x7Yq'.repeat(4)}${n}.${'Ab3_-9'.repeat(7)}`; // like the service's: ~65 characters

function views(): BadgeView[] {
  const base = { colour: '#1f4e9c', title: '', country: '', events: ['WSIS Forum 2026', 'AI for Good 2026'] };
  return [
    {
      ...base,
      token: token(1),
      reference: 'R-7KQ2M9XD',
      category: 'VIP',
      colour: '#b3122e',
      honorific: 'H.E.',
      name: 'محمد بن علي',
      nameLatin: 'Mohamed Ben Ali',
      title: 'وزير الاتصالات',
      entity: 'وزارة الاتصالات وتكنولوجيا المعلومات',
      country: 'تونس',
      photo,
    },
    {
      ...base,
      token: token(2),
      reference: 'R-3HX8P2LA',
      category: 'Delegate',
      honorific: '',
      name: '王小明',
      nameLatin: 'Wang Xiaoming',
      title: '司长',
      entity: '中华人民共和国工业和信息化部',
      country: '中国',
      photo: null,
    },
    {
      ...base,
      token: token(3),
      reference: 'R-9PD4KW2M',
      category: 'Speaker',
      colour: '#f2c500',
      honorific: 'Dr',
      name: 'Иван Петров',
      nameLatin: 'Ivan Petrov',
      title: 'Заместитель министра цифрового развития',
      entity: 'Министерство цифрового развития, связи и массовых коммуникаций Российской Федерации',
      country: 'Российская Федерация',
      photo,
    },
    {
      ...base,
      token: token(4),
      reference: 'R-2MM7QX4C',
      category: 'Media',
      colour: '#2e7d32',
      honorific: 'Mme',
      name: 'Hélène Nguyễn Thị Ánh Lefèvre-Çelik',
      nameLatin: 'Hélène Nguyễn Thị Ánh Lefèvre-Çelik',
      title: 'Rédactrice en chef adjointe',
      entity: 'Société Radio-Télévision Suisse Romande',
      country: 'Suisse',
      events: ['WSIS Forum 2026'],
      photo: null,
    },
    {
      ...base,
      token: token(5),
      reference: 'R-5ZZ1AB9E',
      category: 'Participant',
      colour: '#e0e0e0',
      honorific: 'Prof.',
      name: 'Maximilian Alexander Wolfgang von Hohenzollern-Sigmaringen Esterházy',
      nameLatin: '',
      title: 'Distinguished Professor of Telecommunications Policy and Spectrum Management, Emeritus',
      entity:
        'Eidgenössische Technische Hochschule Zürich — Department of Information Technology and Electrical Engineering',
      country: 'Switzerland',
      events: ['WSIS Forum 2026', 'AI for Good 2026', 'ITU Council Working Group', 'Youth Track'],
      photo,
    },
  ];
}

async function render(size: BadgeSize, list: BadgeView[] | AsyncIterable<BadgeView>, name: string) {
  const file = path.join(RESULTS, `${name}.pdf`);
  const out = fs.createWriteStream(file);
  const progress: number[] = [];
  const res = await renderBadges(out, list, { size, onProgress: (n) => void progress.push(n) });
  return { file, res, progress };
}

describe('badge PDFs', () => {
  before(async () => {
    fs.mkdirSync(RESULTS, { recursive: true });
    // A 3:4 portrait photo with shapes (not a flat colour), as registration stores them.
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="600" height="800"><rect width="600" height="800" fill="#8fb3d9"/><circle cx="300" cy="300" r="150" fill="#d9a77a"/><ellipse cx="300" cy="800" rx="260" ry="250" fill="#334455"/></svg>`;
    photo = await sharp(Buffer.from(svg)).jpeg({ quality: 80 }).toBuffer();
  });

  it('picks black or white band text, whichever contrasts better', () => {
    assert.equal(bandTextColour('#f2c500'), '#000000');
    assert.equal(bandTextColour('#e0e0e0'), '#000000');
    assert.equal(bandTextColour('#1f4e9c'), '#ffffff');
    assert.equal(bandTextColour('#b3122e'), '#ffffff');
    assert.equal(
      bandTextColour('not a colour'),
      '#000000',
      'an invalid colour prints as mid grey (#777777), black contrasts better',
    );
  });

  for (const size of ['CR80', 'A6'] as const) {
    it(`renders ${size} badges in every script: one page each, names as text, fonts subset, scannable QR`, async (t) => {
      if (!needPoppler(t)) return;
      const list = views();
      // A6 from an async iterable (as from a database cursor); CR80 from an array.
      const input =
        size === 'A6'
          ? (async function* () {
              yield* list;
            })()
          : list;
      const { file, res, progress } = await render(size, input, `badges-${size.toLowerCase()}`);
      assert.equal(res.pages, list.length);
      assert.deepEqual(
        progress,
        list.map((_, i) => i + 1),
      );
      const info = pdfInfo(file);
      assert.equal(info.pages, list.length);
      assert.equal(info.pageSize, size === 'CR80' ? '153.071 x 242.646 pts' : '297.64 x 419.53 pts');
      for (const [i, v] of list.entries()) {
        const text = pdfText(file, { page: i + 1 }).replace(/\s+/g, ' ');
        const name = v.name.includes('Maximilian') ? 'Maximilian Alexander' : v.name;
        assert.ok(text.includes(name), `page ${i + 1} lacks ${name}:\n${text}`);
        assert.ok(text.includes(v.reference), `page ${i + 1} lacks ${v.reference}`);
        assert.ok(text.includes(v.category.toUpperCase()));
        if (v.nameLatin && v.nameLatin !== v.name)
          assert.ok(text.includes(v.nameLatin), `page ${i + 1} lacks ${v.nameLatin}`);
      }
      assert.equal(
        pdfText(file, { page: 4 }).split('Hélène Nguyễn').length - 1,
        1,
        'the Latin name is not repeated when identical',
      );
      const fonts = pdfFonts(file);
      assert.ok(fonts.length >= 4);
      for (const f of fonts) assert.ok(f.emb && f.sub && /^[A-Z]{6}\+Noto/.test(f.name), JSON.stringify(f));
      // Photos: one image object per badge that has one (the same buffer twice here is embedded once).
      const imgs = execFileSync('pdfimages', ['-list', file], { encoding: 'utf8' })
        .split('\n')
        .slice(2)
        .filter((l) => l.trim());
      assert.equal(imgs.length, list.filter((v) => v.photo).length, 'one image use per photo badge');
      assert.equal(new Set(imgs.map((l) => l.trim().split(/\s+/)[10])).size, 1, 'one shared photo embedded once');
      console.log(`${size}: ${fs.statSync(file).size} bytes for ${list.length} badges`);

      const pngs = pdfToPngs(file, path.join(RESULTS, `badges-${size.toLowerCase()}`), 200);
      assert.equal(pngs.length, list.length);
      for (const [i, png] of pngs.entries()) {
        assert.ok((await inkRatio(png)) > 0.02, `${png} has ink`);
        assert.equal(await decodeQr(png), list[i].token, `QR on ${png}`);
      }
    });
  }

  it('rejects when the views fail midway (a cursor error), after the badges before it', async () => {
    const seen: number[] = [];
    async function* failing() {
      yield views()[1];
      throw new Error('cursor lost');
    }
    const out = new PassThrough();
    out.resume();
    await assert.rejects(
      renderBadges(out, failing(), { size: 'A6', onProgress: (n) => void seen.push(n) }),
      /cursor lost/,
    );
    assert.deepEqual(seen, [1]);
  });

  it('yields to the event loop between badges and writes a complete PDF to any stream', async () => {
    const list = Array.from({ length: 12 }, (_, i) => ({ ...views()[i % 5], token: token(100 + i) }));
    let ticks = 0;
    let running = true;
    const tick = () => {
      ticks++;
      if (running) setImmediate(tick);
    };
    setImmediate(tick);
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    const res = await renderBadges(out, list, { size: 'CR80' });
    running = false;
    assert.equal(res.pages, 12);
    assert.ok(ticks >= 11, `other work ran while rendering (${ticks} turns)`);
    const pdf = Buffer.concat(chunks);
    assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
    assert.match(pdf.subarray(-8).toString(), /%%EOF\s*$/);
  });

  it('prints Arabic, Chinese, Khmer and Russian names in their order and fonts, Latin beside only when different', async (t) => {
    if (!needPoppler(t)) return;
    const people = [
      {
        givenName: 'عبد الله',
        familyName: 'السواحه',
        givenNameLatin: 'Abdullah',
        familyNameLatin: 'ALSWAHA',
        honorific: 'H.E.',
        country: 'SA',
      },
      {
        givenName: '超',
        familyName: '陈',
        givenNameLatin: 'Chao',
        familyNameLatin: 'CHEN',
        honorific: 'Dr',
        country: 'CN',
      },
      {
        givenName: 'សុខា',
        familyName: 'ចាន់',
        givenNameLatin: 'Sokha',
        familyNameLatin: 'CHAN',
        honorific: 'Ms',
        country: 'KH',
      },
      {
        givenName: 'Айгерим',
        familyName: 'Иванова',
        givenNameLatin: 'Aigerim',
        familyNameLatin: 'IVANOVA',
        honorific: 'Ms',
        country: 'RU',
      },
    ];
    const list: BadgeView[] = people.map((p, i) => ({
      token: token(10 + i),
      reference: `R-SCRIPT${i}`,
      category: 'Delegate',
      colour: '#1f4e9c',
      honorific: honorificLabel(p.honorific, 'en'),
      name: fullName(p),
      nameLatin: latinIfDifferent(p),
      title: '',
      entity: '',
      country: countryName('en', p.country),
      events: ['WSIS Forum 2026'],
      photo: null,
    }));
    assert.deepEqual(
      list.map((v) => v.name),
      ['عبد الله السواحه', '陈超', 'ចាន់ សុខា', 'Айгерим Иванова'],
    );
    const { file } = await render('A6', list, 'badges-scripts');
    const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' });
    for (const face of ['NotoNaskhArabic', 'NotoSansSC', 'NotoSansKhmer', 'NotoSans-'])
      assert.ok(fonts.includes(face), `${face} not embedded:\n${fonts}`);
    execFileSync('pdftoppm', ['-r', '60', '-png', file, path.join(RESULTS, 'badges-scripts')]);
    const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
    for (const s of ['陈超', 'Chen'.toUpperCase(), 'Айгерим Иванова', 'Russian Federation', 'Cambodia'])
      assert.ok(text.includes(s), s);
  });
});
