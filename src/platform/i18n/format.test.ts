import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  countryName,
  formatDateRange,
  formatDay,
  formatTimeRange,
  genevaDate,
  genevaInstant,
  zoneOffset,
} from './format.js';
import { tidy, translate } from './messages.js';
import { isoInGeneva } from '../http/api-schemas.js';

describe('Geneva time', () => {
  it('turns wall-clock times into instants in summer and in winter', () => {
    assert.equal(genevaInstant('2026-07-08', '09:00').toISOString(), '2026-07-08T07:00:00.000Z');
    assert.equal(genevaInstant('2026-01-15', '09:00').toISOString(), '2026-01-15T08:00:00.000Z');
    // the night DST starts (29 March 2026, 02:00 → 03:00)
    assert.equal(genevaInstant('2026-03-29', '03:30').toISOString(), '2026-03-29T01:30:00.000Z');
  });

  it('writes ISO 8601 with the offset', () => {
    assert.equal(isoInGeneva(new Date('2026-07-08T07:00:00Z')), '2026-07-08T09:00:00+02:00');
    assert.equal(isoInGeneva(new Date('2026-12-01T23:30:00Z')), '2026-12-02T00:30:00+01:00');
  });

  it('knows the Geneva date of an instant', () => {
    assert.equal(genevaDate(new Date('2026-07-07T22:30:00Z')), '2026-07-08');
  });

  it('formats times and names the offset in each language', () => {
    const from = genevaInstant('2026-07-08', '09:00');
    const to = genevaInstant('2026-07-08', '10:30');
    assert.match(formatTimeRange('en', from, to), /09:00.+10:30/);
    assert.match(formatTimeRange('fr', from, to), /09:00.+10:30/);
    // The zone label follows the date: summer time in July, not in December.
    assert.equal(zoneOffset('en', from), 'CEST, UTC+2');
    assert.equal(zoneOffset('ru', genevaInstant('2026-12-07', '09:00')), 'CET, UTC+1');
  });

  it('a Russian sentence ending on a date takes one full stop ("2026 г.", never "2026 г..")', () => {
    assert.equal(tidy('ru', 'Запросы принимаются до 1 мая 2026 г..'), 'Запросы принимаются до 1 мая 2026 г.');
    assert.equal(tidy('en', 'Ends.. here'), 'Ends.. here');
    const deadline = new Intl.DateTimeFormat('ru', { dateStyle: 'long', timeZone: 'UTC' }).format(
      new Date('2026-05-01T12:00:00Z'),
    );
    assert.ok(
      !translate('ru', 'mail.speaking_reminder.body', {
        greeting: 'X',
        event: 'E',
        days: 3,
        deadline,
        link: 'L',
      }).includes('г..'),
    );
  });

  it('writes a Chinese date range the way it writes a date: one format on a page, never "2026/7/6"', () => {
    assert.equal(formatDateRange('zh', '2026-07-06', '2026-07-10'), '2026年7月6日至10日');
    assert.equal(formatDateRange('zh', '2026-06-30', '2026-07-02'), '2026年6月30日至7月2日');
    assert.equal(formatDateRange('zh', '2026-12-30', '2027-01-02'), '2026年12月30日至2027年1月2日');
    assert.equal(formatDateRange('zh', '2026-07-09', '2026-07-09'), '2026年7月9日');
    assert.match(formatDay('zh', '2026-07-09'), /^2026年7月9日/);
    for (const lc of ['ar', 'en', 'fr', 'ru', 'es'] as const)
      assert.doesNotMatch(formatDateRange(lc, '2026-07-06', '2026-07-10'), /\d\/\d/);
  });

  it('names countries in the six languages from Intl', () => {
    assert.equal(countryName('en', 'CH'), 'Switzerland');
    assert.equal(countryName('fr', 'CH'), 'Suisse');
    assert.equal(countryName('es', 'CH'), 'Suiza');
    assert.equal(countryName('ru', 'CH'), 'Швейцария');
    assert.equal(countryName('zh', 'CH'), '瑞士');
    assert.equal(countryName('ar', 'CH'), 'سويسرا');
  });
});
