import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { LOCALES, negotiateLocale } from './locales.js';
import { loadCatalogue, translate } from './messages.js';
import { pick } from './localized.js';

function argsOf(els: MessageFormatElement[], out = new Set<string>()): Set<string> {
  for (const el of els) {
    if (el.type === TYPE.argument || el.type === TYPE.number || el.type === TYPE.date) out.add(el.value);
    if (el.type === TYPE.plural || el.type === TYPE.select) {
      out.add(el.value);
      for (const o of Object.values(el.options)) argsOf(o.value, out);
    }
  }
  return out;
}

describe('message catalogues', () => {
  const en = loadCatalogue('en');

  for (const locale of LOCALES) {
    it(`${locale} has exactly the keys of en, each valid ICU with the same arguments`, () => {
      const cat = loadCatalogue(locale);
      assert.deepEqual(
        [...cat.keys()].filter((k) => !en.has(k)),
        [],
        'keys only in this language',
      );
      assert.deepEqual(
        [...en.keys()].filter((k) => !cat.has(k)),
        [],
        'keys missing from this language',
      );
      for (const [key, source] of en) {
        const mine = cat.get(key)!;
        assert.deepEqual(
          [...argsOf(parse(mine))].sort(),
          [...argsOf(parse(source))].sort(),
          `${locale}:${key} arguments`,
        );
        assert.ok(mine.trim().length > 0, `${locale}:${key} is empty`);
      }
    });
  }

  it('every language but English is really translated (not a copy of English)', () => {
    for (const locale of LOCALES.filter((l) => l !== 'en')) {
      const cat = loadCatalogue(locale);
      const same = [...en].filter(([k, v]) => cat.get(k) === v && /[a-z]{4,}/i.test(v.replace(/\{[^}]*\}/g, '')));
      // Some words are the same in French and English (Programme, Date, Contact, Forum): allow a few.
      assert.ok(
        same.length <= en.size * 0.15,
        `${locale}: ${same.length} messages identical to English: ${same.map(([k]) => k).join(', ')}`,
      );
    }
  });

  it('Arabic plurals use all six CLDR forms', () => {
    const counts = [0, 1, 2, 3, 11, 100].map((n) => translate('ar', 'programme.count', { count: n }));
    assert.equal(new Set(counts).size, 6, counts.join(' | '));
  });

  it('English and Russian plurals differ by number', () => {
    assert.equal(translate('en', 'programme.count', { count: 1 }), '1 session');
    assert.equal(translate('en', 'programme.count', { count: 72 }), '72 sessions');
    const ru = [1, 2, 5].map((n) => translate('ru', 'programme.count', { count: n }));
    assert.equal(new Set(ru).size, 3, ru.join(' | '));
  });
});

describe('locale negotiation', () => {
  it('picks the best of our six from Accept-Language', () => {
    assert.equal(negotiateLocale('fr-CH, fr;q=0.9, en;q=0.8'), 'fr');
    assert.equal(negotiateLocale('de-CH, ar;q=0.5, en;q=0.4'), 'ar');
    assert.equal(negotiateLocale('zh-Hans-CN'), 'zh');
    assert.equal(negotiateLocale('en;q=0.1, ru'), 'ru');
    assert.equal(negotiateLocale('de, it'), 'en');
    assert.equal(negotiateLocale(undefined), 'en');
    assert.equal(negotiateLocale('garbage;;q=x,,'), 'en');
  });
});

describe('localized content', () => {
  it('falls back in the declared order and says which language it used', () => {
    assert.deepEqual(pick({ en: 'Opening', fr: 'Ouverture' }, 'fr'), { text: 'Ouverture', lang: 'fr' });
    assert.deepEqual(pick({ en: 'Opening', fr: 'Ouverture' }, 'ar'), { text: 'Opening', lang: 'en' });
    assert.deepEqual(pick({ fr: 'Ouverture', es: 'Apertura' }, 'zh'), { text: 'Ouverture', lang: 'fr' });
    assert.deepEqual(pick({}, 'en'), { text: '', lang: undefined });
  });
});
