/**
 * Money in integers only. An amount is an integer count of the currency's minor units (cents, fils, yen) with its
 * ISO 4217 code; the number of minor units per major unit comes from the runtime's ISO 4217 data
 * (`Intl.NumberFormat(…, { style: 'currency' })`: CHF 2, JPY 0, KWD 3). No amount ever passes through a float:
 * input is parsed digit by digit, output is formatted from a decimal string (Intl.NumberFormat formats strings
 * exactly), and conversions are exact rational products in BigInt.
 *
 * Exchange rates are decimal strings as staff typed them ("0.8123" = CHF per one unit of the currency), stored as
 * written. **Rounding rule**: a conversion computes the exact rational result in the target currency's minor units and
 * rounds it ONCE, half to even (banker's rounding: 0.5 → 0, 1.5 → 2, 2.5 → 2; symmetric for negative amounts). The
 * rounded CHF value of a payment is stored with the payment when it is recorded and never recomputed; a reversing
 * entry carries exactly the negated values.
 */
import { DomainError } from '../../platform/errors.js';
import { intlTag } from '../../platform/i18n/format.js';
import type { Locale } from '../../platform/i18n/locales.js';

export const BASE_CURRENCY = 'CHF';
const supported = new Set(Intl.supportedValuesOf('currency'));
const digitsCache = new Map<string, number>();

export function isCurrency(code: string): boolean {
  return /^[A-Z]{3}$/.test(code) && supported.has(code);
}

/** Minor-unit digits of an ISO 4217 currency (0, 2, 3 or 4); `currency_unknown` for anything else. */
export function currencyDigits(code: string): number {
  let d = digitsCache.get(code);
  if (d === undefined) {
    if (!isCurrency(code)) throw new DomainError('currency_unknown', 400, { currency: code.slice(0, 8) });
    d = new Intl.NumberFormat('en', { style: 'currency', currency: code }).resolvedOptions().maximumFractionDigits ?? 2;
    digitsCache.set(code, d);
  }
  return d;
}

const pow10 = (n: number) => 10n ** BigInt(n);

/** "1234.50" for 123450 CHF; "-12" for -12 JPY: the exact decimal value in major units. */
export function minorToDecimal(minor: number | bigint, currency: string): string {
  const d = currencyDigits(currency);
  const v = BigInt(minor);
  const neg = v < 0n;
  const abs = neg ? -v : v;
  const int = abs / pow10(d);
  const frac = (abs % pow10(d)).toString().padStart(d, '0');
  return `${neg ? '-' : ''}${int}${d ? `.${frac}` : ''}`;
}

const formats = new Map<string, Intl.NumberFormat>();
function nf(locale: Locale, currency: string | null, d: number): Intl.NumberFormat {
  const key = `${locale}|${currency}|${d}`;
  let f = formats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(
      intlTag(locale),
      currency
        ? { style: 'currency', currency }
        : { minimumFractionDigits: d, maximumFractionDigits: d, useGrouping: true },
    );
    formats.set(key, f);
  }
  return f;
}

/** The amount with the currency's own format in the language: "1 234,50 €", "١٢٬٣٤٥ ¥"… (exact, no float). */
export function formatMoney(locale: Locale, minor: number | bigint, currency: string): string {
  const d = currencyDigits(currency);
  // Intl.NumberFormat formats a decimal string exactly (NumberFormat v3), whatever its size.
  const out = nf(locale, currency, d).format(minorToDecimal(minor, currency) as unknown as number);
  // In a right-to-left line, "US$" at the end would show as "$US" (the "$" takes the paragraph's direction): a
  // left-to-right mark after it keeps the Latin symbol whole.
  return locale === 'ar' && /[A-Za-z]/.test(out) ? `${out}\u200e` : out;
}

/** The number alone, as a form shows it for editing ("1,234.50" in English, "1 234,50" in French). */
export function formatAmount(locale: Locale, minor: number | bigint, currency: string): string {
  const d = currencyDigits(currency);
  return nf(locale, null, d).format(minorToDecimal(minor, currency) as unknown as number);
}

const separators = new Map<Locale, { decimal: string; group: string }>();
function localeSeparators(locale: Locale) {
  let s = separators.get(locale);
  if (!s) {
    const parts = new Intl.NumberFormat(intlTag(locale)).formatToParts(12345.6);
    s = {
      decimal: parts.find((p) => p.type === 'decimal')?.value ?? '.',
      group: parts.find((p) => p.type === 'group')?.value ?? ',',
    };
    separators.set(locale, s);
  }
  return s;
}

/**
 * What a person typed ("1'234.50", "1 234,5", "١٢٣٤٫٥", "10.000" in Spanish) as minor units of `currency`, without
 * floats. Spaces, apostrophes and direction marks are grouping; Arabic-Indic digits are read; of '.' and ',' the last
 * one is the decimal separator when both appear, a repeated one is grouping, and a single one is the decimal separator
 * unless it is the language's grouping separator followed by exactly three digits. More decimals than the currency
 * has (other than trailing zeros) is `amount_too_precise`; anything else unreadable or not positive is `amount_invalid`.
 */
export function parseAmount(input: string, currency: string, locale: Locale = 'en'): number {
  const d = currencyDigits(currency);
  let s = input
    .normalize('NFKC')
    .replace(/[\u0660-\u0669]/g, (c) => String(c.charCodeAt(0) - 0x0660))
    .replace(/[\u06f0-\u06f9]/g, (c) => String(c.charCodeAt(0) - 0x06f0))
    .replace(/[\s\u00a0\u202f\u200e\u200f\u061c'’\u066c]/g, '')
    .replace(/\u066b/g, '\u0000'); // the Arabic decimal separator is always one
  if (s.includes('\u0000')) s = s.replace(/[.,]/g, '').replace('\u0000', '.');
  else {
    const dots = (s.match(/\./g) ?? []).length;
    const commas = (s.match(/,/g) ?? []).length;
    let dec: string | null = null;
    if (dots && commas) dec = s.lastIndexOf('.') > s.lastIndexOf(',') ? '.' : ',';
    else if (dots === 1 || commas === 1) {
      const c = dots ? '.' : ',';
      const after = s.length - s.indexOf(c) - 1;
      dec = c === localeSeparators(locale).group && after === 3 ? null : c;
    }
    const [int, frac, ...more] = dec ? s.split(dec) : [s];
    if (more.length) throw new DomainError('amount_invalid', 400);
    const groups = int.split(/[.,]/);
    // Grouped digits: 1 to 3 digits, then groups of exactly three.
    if (groups.length > 1 && !groups.every((g, i) => (i === 0 ? /^\d{1,3}$/ : /^\d{3}$/).test(g)))
      throw new DomainError('amount_invalid', 400);
    s = groups.join('') + (frac !== undefined ? `.${frac}` : '');
  }
  const m = /^(\d{1,20})(?:\.(\d{1,20}))?$/.exec(s);
  if (!m) throw new DomainError('amount_invalid', 400);
  const frac = (m[2] ?? '').replace(/0+$/, '');
  if (frac.length > d) throw new DomainError('amount_too_precise', 400, { digits: d, currency });
  const v = BigInt(m[1]) * pow10(d) + BigInt(frac.padEnd(d, '0') || '0');
  if (v <= 0n) throw new DomainError('amount_invalid', 400);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new DomainError('amount_invalid', 400);
  return Number(v);
}

/** A rate as an exact fraction. */
export type Rate = { num: bigint; den: bigint };

/** "0.8123" (CHF for one unit of the currency) → 8123/10000; `rate_invalid` unless a positive decimal. */
export function parseRate(input: string): Rate {
  const s = input.trim().replace(',', '.');
  const m = /^(\d{1,9})(?:\.(\d{1,12}))?$/.exec(s);
  if (!m) throw new DomainError('rate_invalid', 400);
  const frac = m[2] ?? '';
  const num = BigInt(m[1] + frac);
  if (num === 0n) throw new DomainError('rate_invalid', 400);
  return { num, den: pow10(frac.length) };
}

/** The rate as it is stored: digits, one '.', no exponent ("0.8123"). */
export function normalizeRate(input: string): string {
  parseRate(input);
  const [int, frac] = input.trim().replace(',', '.').split('.');
  return `${int.replace(/^0+(?=\d)/, '')}${frac ? `.${frac}` : ''}`;
}

/** n / d rounded half to even (d > 0). */
export function divRoundHalfEven(n: bigint, d: bigint): bigint {
  if (d <= 0n) throw new RangeError('divisor must be positive');
  const neg = n < 0n;
  const a = neg ? -n : n;
  let q = a / d;
  const r2 = (a % d) * 2n;
  if (r2 > d || (r2 === d && q % 2n === 1n)) q += 1n;
  return neg ? -q : q;
}

/**
 * Converts an amount between currencies through their rates to CHF, with ONE rounding (half even) of the exact result:
 * target = amount × rateFrom / rateTo × 10^(digits of target − digits of source). To CHF, `rateTo` is 1.
 */
export function convert(
  minor: number,
  from: { currency: string; rate: string },
  to: { currency: string; rate: string } = { currency: BASE_CURRENCY, rate: '1' },
): number {
  if (from.currency === to.currency) return minor;
  const rf = parseRate(from.rate);
  const rt = parseRate(to.rate);
  const df = currencyDigits(from.currency);
  const dt = currencyDigits(to.currency);
  // amount_major × rf.num/rf.den ÷ (rt.num/rt.den) = target_major; × 10^dt for minor units.
  const n = BigInt(minor) * rf.num * rt.den * pow10(dt);
  const d = rf.den * rt.num * pow10(df);
  return safe(divRoundHalfEven(n, d));
}

const MAX = BigInt(Number.MAX_SAFE_INTEGER);
function safe(v: bigint): number {
  if (v > MAX || v < -MAX) throw new DomainError('amount_invalid', 400);
  return Number(v);
}

/** The CHF value (minor units) of an amount at a rate to CHF. */
export const toChf = (minor: number, currency: string, rate: string) => convert(minor, { currency, rate });

/** Integer sum that refuses to leave the safe range (the database stores bigint). */
export function sum(values: readonly number[]): number {
  return safe(values.reduce((a, b) => a + BigInt(b), 0n));
}

/** Splits an amount into n instalments whose sum is the amount exactly (the first ones take the remainder). */
export function splitEvenly(minor: number, n: number): number[] {
  if (!Number.isInteger(n) || n < 1) throw new DomainError('instalments_invalid', 400);
  const total = BigInt(minor);
  const base = total / BigInt(n);
  const rest = Number(total % BigInt(n));
  return Array.from({ length: n }, (_, i) => Number(base + (i < rest ? 1n : 0n)));
}
