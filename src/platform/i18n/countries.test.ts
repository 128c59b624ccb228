import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { countryFormalName, countryName, countryOptions, isMemberState, unGroups } from './countries.js';
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
});
