import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProfileInput } from '../../modules/accounts/accounts.input.js';
import {
  countryFormalName,
  countryName,
  countryOptions,
  isCurrentCountryCode,
  isMemberState,
  unGroups,
} from './countries.js';
import { humanIssues } from './validation.js';
import { LOCALES } from './locales.js';

describe('country names', () => {
  it('Member States have their M49 name, formal name for letters, in the six languages', () => {
    assert.equal(countryName('en', 'kr'), 'Republic of Korea');
    assert.equal(countryName('en', 'MM'), 'Myanmar');
    assert.equal(countryName('en', 'CD'), 'Democratic Republic of the Congo');
    assert.equal(countryName('en', 'KN'), 'Saint Kitts and Nevis');
    assert.equal(countryName('ru', 'VN'), 'Вьетнам');
    assert.equal(countryFormalName('en', 'KR'), 'the Republic of Korea');
    assert.equal(countryFormalName('fr', 'KR'), 'la République de Corée');
    assert.equal(countryFormalName('en', 'TR'), 'the Republic of Türkiye');
    for (const l of LOCALES) {
      assert.ok(!countryName(l, 'VA').includes('*'));
      assert.ok(!countryFormalName(l, 'VA').includes('*'));
    }
    assert.deepEqual(unGroups('AF'), { ldc: true, lldc: true, sids: false });
  });

  it('territories that are not Member States keep their usual names', () => {
    assert.equal(isMemberState('HK'), false);
    assert.equal(countryName('en', 'HK'), 'Hong Kong SAR China');
    assert.equal(countryName('en', 'PR'), 'Puerto Rico');
  });

  it('drop-downs are sorted by name in the language, not by code', () => {
    const en = countryOptions('en').map((o) => o[0]);
    assert.ok(en.indexOf('AF') < en.indexOf('AD') && en.indexOf('AD') < en.indexOf('AE'));
    const fr = countryOptions('fr').map((o) => o[1]);
    assert.deepEqual(fr, [...fr].sort(new Intl.Collator('fr').compare));
    // "Émirats arabes unis" sorts among the E, not after Z.
    assert.ok(fr.indexOf('Émirats arabes unis') < fr.indexOf('Zambie'));
  });

  it('nationality lists offer the 249 current ISO 3166-1 codes only; a retired stored code stays readable', () => {
    const codes = countryOptions('en').map((o) => o[0]);
    assert.equal(codes.length, 249);
    for (const old of [
      'DY',
      'HV',
      'ZR',
      'YU',
      'CS',
      'SU',
      'AN',
      'DD',
      'TP',
      'BU',
      'AC',
      'CP',
      'DG',
      'EA',
      'IC',
      'TA',
      'UK',
    ])
      assert.ok(!codes.includes(old), old);
    for (const c of ['SS', 'CW', 'SX', 'BQ', 'UM', 'PS', 'TW', 'ME']) assert.ok(codes.includes(c), c);
    // Someone whose profile says ZR (Zaire) still sees it, by name, until they choose a current code.
    const kept = countryOptions('fr', 'ZR');
    assert.equal(kept.length, 250);
    assert.deepEqual(kept.at(-1), ['ZR', countryName('fr', 'ZR')]);
    assert.equal(countryOptions('fr', 'CD').length, 249);
    assert.ok(isCurrentCountryCode('cd') && !isCurrentCountryCode('ZR'));
  });

  it('the profile refuses a retired code, in words', () => {
    const base = { givenName: 'Mbala', familyName: 'Kabongo', preferredLocale: 'en' };
    assert.deepEqual(humanIssues(ProfileInput, { ...base, nationality: 'CD' }, 'en'), []);
    const [e] = humanIssues(ProfileInput, { ...base, nationality: 'ZR' }, 'en');
    assert.equal(e.field, 'nationality');
    assert.match(e.message, /no longer in use/);
    assert.match(humanIssues(ProfileInput, { ...base, nationality: 'ZR' }, 'ar')[0].message, /لم يعد مستخدمًا/);
  });
});
