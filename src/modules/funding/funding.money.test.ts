import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { LOCALES } from '../../platform/i18n/locales.js';
import type { DomainError } from '../../platform/errors.js';
import {
  convert,
  currencyDigits,
  divRoundHalfEven,
  formatAmount,
  formatMoney,
  minorToDecimal,
  normalizeRate,
  parseAmount,
  parseRate,
  splitEvenly,
  sum,
  toChf,
} from './funding.money.js';
import { assertMove, nextState, stateByReceived, type PledgeMove, type PledgeState } from './funding.state.js';

const code = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return (e as DomainError).code;
  }
  return 'no error';
};
const CURRENCIES = ['CHF', 'USD', 'EUR', 'JPY', 'KWD', 'BHD', 'CNY', 'RUB', 'SAR', 'XOF'];
const currency = fc.constantFrom(...CURRENCIES);
const locale = fc.constantFrom(...LOCALES);
const amount = fc.integer({ min: 1, max: 10 ** 10 });
const rate = fc
  .tuple(fc.integer({ min: 0, max: 999 }), fc.integer({ min: 0, max: 999_999 }), fc.integer({ min: 0, max: 6 }))
  .filter(([i, f]) => i + f > 0)
  .map(([i, f, n]) => (n === 0 ? String(i || 1) : `${i}.${String(f).padStart(6, '0').slice(0, n)}`))
  .filter((r) => code(() => parseRate(r)) === 'no error');

describe('money: currency digits from ISO 4217 (Intl)', () => {
  it('knows 0-, 2- and 3-decimal currencies and refuses unknown codes', () => {
    assert.equal(currencyDigits('CHF'), 2);
    assert.equal(currencyDigits('JPY'), 0);
    assert.equal(currencyDigits('KWD'), 3);
    assert.equal(currencyDigits('BHD'), 3);
    assert.equal(
      code(() => currencyDigits('XYZ')),
      'currency_unknown',
    );
    assert.equal(
      code(() => currencyDigits('chf')),
      'currency_unknown',
    );
  });

  it('formats minor units exactly in each language, with the currency’s own format', () => {
    assert.equal(minorToDecimal(123450, 'CHF'), '1234.50');
    assert.equal(minorToDecimal(1234, 'JPY'), '1234');
    assert.equal(minorToDecimal(1234567, 'KWD'), '1234.567');
    assert.equal(minorToDecimal(-5, 'CHF'), '-0.05');
    assert.equal(formatMoney('en', 123450, 'USD'), 'US$1,234.50');
    assert.equal(formatMoney('en', 1234, 'JPY'), 'JP¥1,234');
    assert.match(formatMoney('fr', 123450, 'EUR'), /^1\s234[.,]50\s€$/); // fr-CH writes a point for money
    assert.match(formatMoney('es', 123450, 'EUR'), /^1234,50\s€$/);
    assert.match(formatMoney('ar', 1234567, 'KWD'), /1,234\.567/);
    assert.match(formatMoney('ru', 123450, 'RUB'), /^1\s234,50\s₽$/);
    // Beyond a float's exact range of cents: still exact (formatted from a decimal string).
    assert.match(formatMoney('en', 9_007_199_254_740_991, 'CHF'), /90,071,992,547,409\.91$/);
  });
});

describe('money: parsing what people type, without floats', () => {
  it('reads the usual ways of writing an amount', () => {
    assert.equal(parseAmount('1234.5', 'CHF'), 123450);
    assert.equal(parseAmount("1'234.50", 'CHF', 'fr'), 123450);
    assert.equal(parseAmount('1 234,50', 'EUR', 'fr'), 123450);
    assert.equal(parseAmount('10.000', 'EUR', 'es'), 1_000_000);
    assert.equal(parseAmount('1,000', 'USD', 'en'), 100_000);
    assert.equal(parseAmount('1,5', 'USD', 'en'), 150);
    assert.equal(parseAmount('١٢٣٤٫٥', 'SAR', 'ar'), 123450);
    assert.equal(parseAmount('1.000', 'KWD', 'en'), 1000);
    assert.equal(parseAmount('5000', 'JPY'), 5000);
    assert.equal(parseAmount('0.10', 'CHF'), 10);
  });

  it('refuses more decimals than the currency has, nonsense, zero and negatives', () => {
    assert.equal(
      code(() => parseAmount('12.345', 'CHF')),
      'amount_too_precise',
    );
    assert.equal(
      code(() => parseAmount('12.5', 'JPY')),
      'amount_too_precise',
    );
    assert.equal(
      code(() => parseAmount('1.2345', 'KWD')),
      'amount_too_precise',
    );
    for (const bad of ['', 'abc', '1e6', '-5', '0', '0.00', '1..2', '1,2,3', '12,34.5', 'NaN', '99999999999999999999'])
      assert.equal(
        code(() => parseAmount(bad, 'CHF')),
        'amount_invalid',
        bad,
      );
  });

  it('reads back every amount as each language formats it (property)', () => {
    fc.assert(
      fc.property(amount, currency, locale, (minor, cur, lc) => {
        assert.equal(parseAmount(formatAmount(lc, minor, cur), cur, lc), minor);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('money: conversions round once, half to even', () => {
  it('rounds half to even, symmetrically', () => {
    assert.equal(divRoundHalfEven(5n, 10n), 0n);
    assert.equal(divRoundHalfEven(15n, 10n), 2n);
    assert.equal(divRoundHalfEven(25n, 10n), 2n);
    assert.equal(divRoundHalfEven(26n, 10n), 3n);
    assert.equal(divRoundHalfEven(-25n, 10n), -2n);
    assert.equal(divRoundHalfEven(-26n, 10n), -3n);
  });

  it('converts across different minor-unit digits exactly', () => {
    assert.equal(toChf(100_000, 'JPY', '0.0057'), 57_000); // ¥100,000 × 0.0057 = CHF 570.00
    assert.equal(toChf(1000, 'KWD', '2.6'), 260); // KWD 1.000 = CHF 2.60
    assert.equal(toChf(1, 'KWD', '2.6'), 0); // 0.26 centimes → 0
    assert.equal(toChf(12345, 'USD', '0.8'), 9876);
    assert.equal(toChf(5, 'USD', '0.5'), 2); // 2.5 → 2 (half even)
    assert.equal(toChf(7, 'USD', '0.5'), 4); // 3.5 → 4
    assert.equal(convert(10_000, { currency: 'EUR', rate: '0.94' }, { currency: 'USD', rate: '0.8' }), 11_750);
    assert.equal(toChf(777, 'CHF', '1'), 777);
  });

  it('is exactly the rational result rounded once: within half a minor unit, never a double rounding (property)', () => {
    fc.assert(
      fc.property(amount, currency, rate, (minor, cur, r) => {
        fc.pre(cur !== 'CHF'); // a CHF amount is its own CHF value, whatever rate is typed
        const chf = BigInt(toChf(minor, cur, r));
        const { num, den } = parseRate(r);
        // exact = minor × num/den × 10^2 / 10^digits; |chf − exact| ≤ 1/2  ⇔  |2·chf·D − 2·N| ≤ D
        const N = BigInt(minor) * num * 100n;
        const D = den * 10n ** BigInt(currencyDigits(cur));
        const diff = 2n * chf * D - 2n * N;
        assert.ok((diff < 0n ? -diff : diff) <= D);
        // a reversing entry is the exact negation
        assert.equal(BigInt(toChf(-minor, cur, r)), -chf);
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps rates exactly as typed', () => {
    assert.equal(normalizeRate('0.8123'), '0.8123');
    assert.equal(normalizeRate('00.50'), '0.50');
    assert.equal(normalizeRate('1,07'), '1.07');
    for (const bad of ['0', '0.0', '-1', '1e3', 'abc', '1.2.3', ''])
      assert.equal(
        code(() => parseRate(bad)),
        'rate_invalid',
        bad,
      );
  });
});

describe('money: sums', () => {
  it('instalments split evenly add up to the amount exactly (property)', () => {
    fc.assert(
      fc.property(amount, fc.integer({ min: 1, max: 24 }), (minor, n) => {
        const parts = splitEvenly(minor, n);
        assert.equal(parts.length, n);
        assert.equal(sum(parts), minor);
        assert.ok(Math.max(...parts) - Math.min(...parts) <= 1);
      }),
    );
  });

  it('payments and their reversals: received is the sum, a reversed payment counts for nothing (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ minor: amount, reversed: fc.boolean() }), { maxLength: 30 }),
        currency,
        rate,
        (payments, cur, r) => {
          const rows = payments.flatMap((p) => {
            const chf = toChf(p.minor, cur, r);
            const entry = { minor: p.minor, chf };
            return p.reversed ? [entry, { minor: -p.minor, chf: -chf }] : [entry];
          });
          const kept = payments.filter((p) => !p.reversed);
          assert.equal(sum(rows.map((x) => x.minor)), sum(kept.map((p) => p.minor)));
          assert.equal(sum(rows.map((x) => x.chf)), sum(kept.map((p) => toChf(p.minor, cur, r))));
        },
      ),
    );
  });
});

describe('pledge states', () => {
  const cash = { kind: 'cash' as const, received: 0, pledged: 100 };
  it('follows announced → confirmed → partially_paid → paid', () => {
    assert.equal(nextState('announced', 'confirm', cash), 'confirmed');
    assert.equal(nextState('confirmed', 'pay', { ...cash, received: 40 }), 'partially_paid');
    assert.equal(nextState('partially_paid', 'pay', { ...cash, received: 100 }), 'paid');
    assert.equal(nextState('paid', 'pay', { ...cash, received: 130 }), 'paid');
    assert.equal(nextState('paid', 'reverse', { ...cash, received: 60 }), 'partially_paid');
    assert.equal(nextState('partially_paid', 'reverse', { ...cash, received: 0 }), 'confirmed');
    assert.equal(nextState('partially_paid', 'reduce', { ...cash, pledged: 60, received: 60 }), 'paid');
    assert.equal(nextState('announced', 'reduce', { ...cash, pledged: 60 }), 'announced');
    assert.equal(nextState('confirmed', 'cancel', cash), 'cancelled');
    assert.equal(stateByReceived(100, 99), 'partially_paid');
  });

  it('refuses the moves that make no sense, each with its code', () => {
    const cases: [PledgeState, PledgeMove, string, number?][] = [
      ['confirmed', 'confirm', 'pledge_transition_invalid'],
      ['paid', 'confirm', 'pledge_transition_invalid'],
      ['announced', 'pay', 'pledge_not_confirmed'],
      ['cancelled', 'pay', 'pledge_transition_invalid'],
      ['announced', 'reverse', 'pledge_transition_invalid'],
      ['paid', 'reduce', 'pledge_transition_invalid'],
      ['cancelled', 'reduce', 'pledge_transition_invalid'],
      ['paid', 'cancel', 'pledge_transition_invalid'],
      ['cancelled', 'cancel', 'pledge_transition_invalid'],
      ['partially_paid', 'cancel', 'pledge_has_payments', 10],
    ];
    for (const [from, move, expected, received] of cases)
      assert.equal(
        code(() => assertMove(from, move, { kind: 'cash', received: received ?? 0 })),
        expected,
      );
    assert.equal(
      code(() => assertMove('confirmed', 'pay', { kind: 'in_kind', received: 0 })),
      'pledge_in_kind',
    );
  });
});

describe('funding errors are translated', () => {
  it('every DomainError code of the module has a message in all six languages', async () => {
    const fs = await import('node:fs');
    const { hasMessage } = await import('../../platform/i18n/messages.js');
    const dir = new URL('.', import.meta.url);
    const codes = new Set<string>();
    for (const f of fs.readdirSync(dir).filter((f) => /\.tsx?$/.test(f) && !f.includes('.test.')))
      for (const m of fs.readFileSync(new URL(f, dir), 'utf8').matchAll(/DomainError\('([a-z_]+)'/g)) codes.add(m[1]);
    assert.ok(codes.size >= 15);
    for (const c of codes) for (const l of LOCALES) assert.ok(hasMessage(l, `errors.${c}`), `${l}: errors.${c}`);
  });
});
