import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderToString } from 'preact-render-to-string';
import { h } from 'preact';
import { PersonNameView } from '../ui/person-name.js';
import { LOCALES } from './locales.js';
import {
  comparePeople,
  fullName,
  greeting,
  hasEmoji,
  honorificLabel,
  HONORIFICS,
  langOnPage,
  latinIfDifferent,
  latinName,
  listName,
  nameOrder,
  textLang,
  titledName,
} from './names.js';

const chen = { givenName: '超', familyName: '陈', givenNameLatin: 'Chao', familyNameLatin: 'Chen', honorific: 'Dr' };
const zhang = { givenName: '洋', familyName: '张', givenNameLatin: 'Yang', familyNameLatin: 'Zhang', honorific: 'Ms' };

describe('one way to write a person’s name', () => {
  it('Han, Hangul and Kana names are written family name first without a space; the Latin form follows the order', () => {
    assert.equal(fullName(chen), '陈超');
    assert.equal(latinName(chen), 'Chen Chao');
    assert.equal(fullName({ givenName: '민준', familyName: '김' }), '김민준');
    assert.equal(fullName({ givenName: 'はると', familyName: '佐藤' }), '佐藤はると');
    assert.equal(listName(chen), '陈超');
  });

  it('Vietnamese, Hungarian and Khmer names are family name first with a space; others given name first', () => {
    assert.equal(
      fullName({ givenName: 'Thị Ngọc Ánh', familyName: 'Nguyễn', nationality: 'VN' }),
      'Nguyễn Thị Ngọc Ánh',
    );
    assert.equal(fullName({ givenName: 'Zoltán', familyName: 'Kovács', nationality: 'HU' }), 'Kovács Zoltán');
    assert.equal(fullName({ givenName: 'សុខា', familyName: 'ចាន់' }), 'ចាន់ សុខា');
    assert.equal(fullName({ givenName: 'Amélie', familyName: 'Dupont', nationality: 'FR' }), 'Amélie Dupont');
    assert.equal(listName({ givenName: 'Amélie', familyName: 'Dupont' }), 'Dupont, Amélie');
    assert.equal(listName({ givenName: 'عبد الله', familyName: 'السواحه' }), 'السواحه، عبد الله');
    // A person may set the order: a Chinese national who writes "Chao Chen" in Latin letters on a UK passport.
    assert.equal(
      nameOrder({ givenName: 'Chao', familyName: 'Chen', nationality: 'CN', nameOrder: 'given_first' }),
      'given_first',
    );
  });

  it('a person may have a single name; nothing else is printed in its place', () => {
    const one = { givenName: 'Sukarno', familyName: '' };
    assert.equal(fullName(one), 'Sukarno');
    assert.equal(listName(one), 'Sukarno');
    assert.equal(greeting({ ...one, honorific: 'Mr' }, 'en'), 'Dear Mr Sukarno,');
  });

  it('the Latin form is shown only when it differs from the native one', () => {
    assert.equal(
      latinIfDifferent({
        givenName: 'Min-jun',
        familyName: 'Smith',
        givenNameLatin: 'Min-jun',
        familyNameLatin: 'Smith',
      }),
      '',
    );
    assert.equal(latinIfDifferent(chen), 'Chen Chao');
  });

  it('honorifics come from one list, each translated as the language’s protocol writes it', () => {
    assert.deepEqual([...HONORIFICS], ['', 'H.E.', 'Hon.', 'Dr', 'Prof.', 'Amb.', 'Mr', 'Ms', 'Mx']);
    assert.equal(honorificLabel('Ms', 'fr'), 'Mme');
    assert.equal(honorificLabel('Ms', 'ar'), 'السيدة');
    assert.equal(honorificLabel('Ms', 'ru'), 'г-жа');
    assert.equal(honorificLabel('Ms', 'zh'), '女士');
    assert.equal(honorificLabel('H.E.', 'es'), 'S. E.');
    assert.equal(titledName(chen, 'zh'), '陈超博士');
    assert.equal(titledName(chen, 'en'), 'Dr 陈超');
    for (const l of LOCALES.filter((x) => x !== 'en'))
      for (const h of ['Mr', 'Ms', 'H.E.', 'Dr'])
        assert.ok(
          !/[A-Za-z]/.test(honorificLabel(h, l).replace(/^(Dr\.?|Pr|Prof\.|S\. E\.|Sr\.|Sra\.|M\.|Mme)$/, '')),
          `${l} ${h}`,
        );
  });

  it('greetings carry exactly one honorific, in the reader’s language', () => {
    assert.equal(greeting(zhang, 'en'), 'Dear Ms Zhang,');
    assert.equal(greeting(zhang, 'zh'), '尊敬的张女士：');
    assert.equal(greeting(zhang, 'ar'), 'السيدة \u2068Zhang\u2069 المحترمة،');
    assert.equal(greeting({ ...zhang, honorific: '' }, 'ar'), 'السيد/السيدة \u2068Zhang Yang\u2069،');
    assert.equal(greeting({ givenName: 'Ivan', familyName: 'Petrov', honorific: 'Mr' }, 'ru'), 'Уважаемый г-н Petrov!');
    assert.equal(greeting({ givenName: 'Ana', familyName: 'López', honorific: 'Ms' }, 'es'), 'Estimada Sra. López:');
    assert.equal(
      greeting({ givenName: 'Ana', familyName: 'López', honorific: 'Ms' }, 'fr'),
      'À l’attention de Mme Ana López',
    );
    for (const l of LOCALES) {
      const g = greeting({ givenName: 'Ana', familyName: 'López', honorific: 'Ms' }, l);
      assert.ok(!g.includes('Ms') || l === 'en', `${l}: ${g}`);
      assert.ok(!g.includes('السيد/السيدة'), `${l}: ${g}`);
    }
  });

  it('people sort by the locale’s collation, not by code point', () => {
    const ps = ['Zhao', 'Ångström', 'al-Hashimi', 'Ñúñez', 'Bach', 'Nuñez'].map((f) => ({
      givenName: 'A',
      familyName: f,
    }));
    assert.deepEqual(
      [...ps].sort(comparePeople('en')).map((p) => p.familyName),
      ['al-Hashimi', 'Ångström', 'Bach', 'Nuñez', 'Ñúñez', 'Zhao'],
    );
    // Spanish collates ñ after n.
    const es = [...ps].sort(comparePeople('es')).map((p) => p.familyName);
    assert.ok(es.indexOf('Nuñez') < es.indexOf('Ñúñez'));
  });

  it('emoji are recognised in names', () => {
    assert.equal(hasEmoji('Ana 🌸'), true);
    assert.equal(hasEmoji('Ana 🇨🇭'), true);
    assert.equal(hasEmoji('Ngọc Ánh'), false);
    assert.equal(hasEmoji('陈超'), false);
  });

  it('on a page, the name is isolated and the Latin form sits beside it only when different', () => {
    const html = renderToString(
      h(PersonNameView, {
        p: {
          givenName: 'Айгерим',
          familyName: 'Иванова',
          givenNameLatin: 'Aigerim',
          familyNameLatin: 'Ivanova',
          honorific: 'H.E.',
        },
        locale: 'ar',
      }),
    );
    assert.equal(
      html,
      '<span class="person-name">سعادة <bdi lang="ru">Айгерим Иванова</bdi> <bdi dir="ltr" class="name-latin" lang="en">(Aigerim Ivanova)</bdi></span>',
    );
    const same = renderToString(
      h(PersonNameView, {
        p: { givenName: 'Min-jun', familyName: 'Smith', givenNameLatin: 'Min-jun', familyNameLatin: 'Smith' },
        locale: 'en',
      }),
    );
    assert.equal(same, '<span class="person-name"><bdi>Min-jun Smith</bdi></span>');
  });

  it('a name carries the language of its script when it is not the page’s (lang of parts)', () => {
    assert.equal(textLang('Айгерим Иванова'), 'ru');
    assert.equal(textLang('Олена Шевченко', 'UA'), 'uk');
    assert.equal(textLang('陈超'), 'zh-Hans');
    assert.equal(textLang('陳超', 'TW'), 'zh-Hant');
    assert.equal(textLang('やまだ 太郎'), 'ja');
    assert.equal(textLang('山田太郎', 'JP'), 'ja');
    assert.equal(textLang('김민준'), 'ko');
    assert.equal(textLang('محمد رضایی', 'IR'), 'fa');
    assert.equal(textLang('ចាន់ សុខា'), 'km');
    assert.equal(textLang('Amélie Dupont', 'FR'), 'fr');
    assert.equal(textLang('12-34'), undefined);
    // On the page: only when it differs from the page's language.
    assert.equal(langOnPage('Amélie Dupont', 'ar'), 'en');
    assert.equal(langOnPage('Amélie Dupont', 'ar', 'FR'), 'fr');
    assert.equal(langOnPage('Amélie Dupont', 'en'), undefined, 'Latin letters on an English page: nothing to say');
    assert.equal(langOnPage('Amélie Dupont', 'en', 'FR'), 'fr');
    assert.equal(langOnPage('Amélie Dupont', 'fr', 'FR'), undefined);
    assert.equal(langOnPage('عبد الله السواحه', 'en'), 'ar');
    assert.equal(langOnPage('عبد الله السواحه', 'ar'), undefined);
    assert.equal(langOnPage('陈超', 'zh'), undefined);
    assert.equal(langOnPage('陈超', 'ru'), 'zh-Hans');
    const en = renderToString(
      h(PersonNameView, {
        p: { givenName: '超', familyName: '陈', givenNameLatin: 'Chao', familyNameLatin: 'Chen' },
        locale: 'en',
      }),
    );
    assert.equal(
      en,
      '<span class="person-name"><bdi lang="zh-Hans">陈超</bdi> <bdi dir="ltr" class="name-latin">(Chen Chao)</bdi></span>',
    );
  });
});
