/** Dates, times, numbers and country names from Intl, always in Geneva time for times. */
import type { Locale } from './locales.js';

export const GENEVA_TZ = 'Europe/Zurich';

const INTL_TAG: Record<Locale, string> = { ar: 'ar', zh: 'zh-Hans', en: 'en-GB', fr: 'fr-CH', ru: 'ru', es: 'es' };
export const intlTag = (l: Locale) => INTL_TAG[l];

const cache = new Map<string, Intl.DateTimeFormat>();
function dtf(locale: Locale, opts: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(opts)}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(INTL_TAG[locale], { timeZone: GENEVA_TZ, ...opts });
    cache.set(key, f);
  }
  return f;
}

/** A calendar date (YYYY-MM-DD), e.g. "Wednesday 8 July 2026". */
export function formatDay(locale: Locale, isoDate: string, style: 'long' | 'short' = 'long'): string {
  const d = new Date(`${isoDate}T12:00:00Z`);
  return dtf(locale, {
    timeZone: 'UTC',
    weekday: style,
    day: 'numeric',
    month: style === 'long' ? 'long' : 'short',
    ...(style === 'long' ? { year: 'numeric' } : {}),
  }).format(d);
}

export function formatDateRange(locale: Locale, startIso: string, endIso: string): string {
  const f = dtf(locale, { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' });
  const a = new Date(`${startIso}T12:00:00Z`);
  const b = new Date(`${endIso}T12:00:00Z`);
  if (startIso === endIso) return f.format(a);
  // ICU's Chinese range falls back to numbers ("2026/7/6 – 2026/7/10") beside single dates written "2026年7月9日":
  // one way per page, the range is written as Chinese writes it, "2026年7月6日至10日".
  if (locale === 'zh') {
    const [ya, ma] = startIso.split('-');
    const [yb, mb, db] = endIso.split('-').map(Number);
    const end = ya !== String(yb) ? f.format(b) : ma !== String(mb).padStart(2, '0') ? `${mb}月${db}日` : `${db}日`;
    return `${f.format(a)}至${end}`;
  }
  return f.formatRange(a, b);
}

/** "09:00" in Geneva. */
export function formatTime(locale: Locale, at: Date): string {
  return dtf(locale, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);
}

export function formatTimeRange(locale: Locale, from: Date, to: Date): string {
  return dtf(locale, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatRange(from, to);
}

/** Geneva's zone at an instant, following the date: "CEST, UTC+2" in summer, "CET, UTC+1" in winter. */
export function zoneOffset(_locale: Locale, at: Date): string {
  const p = genevaParts(at);
  const wall = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second);
  const hours = Math.round((wall - Math.floor(at.getTime() / 1000) * 1000) / 3_600_000);
  return hours === 2 ? 'CEST, UTC+2' : `CET, UTC+${hours}`;
}

export function formatDateTime(locale: Locale, at: Date): string {
  // Geneva time, 24-hour clock in every language (plain Arabic would give a 12-hour clock).
  return dtf(locale, { dateStyle: 'full', timeStyle: 'short', hourCycle: 'h23' }).format(at);
}

/** The calendar date in Geneva of an instant, YYYY-MM-DD. */
const isoDayFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: GENEVA_TZ,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});
export function genevaDate(at: Date): string {
  return isoDayFormat.format(at);
}

/** Geneva wall-clock parts of an instant. */
const partsFormat = new Intl.DateTimeFormat('en-US', {
  timeZone: GENEVA_TZ,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});
export function genevaParts(at: Date): Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', string> {
  return Object.fromEntries(partsFormat.formatToParts(at).map((x) => [x.type, x.value])) as never;
}

/** The instant of a Geneva wall-clock time, e.g. ("2026-07-08", "09:30"). Correct across DST changes. */
export function genevaInstant(isoDate: string, hhmm: string): Date {
  const guess = new Date(`${isoDate}T${hhmm}:00Z`);
  // Offset of Geneva at that moment, in minutes: wall-clock minus UTC.
  const offsetAt = (d: Date) => {
    const p = genevaParts(d);
    const wall = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second);
    return (wall - d.getTime()) / 60000;
  };
  const first = new Date(guess.getTime() - offsetAt(guess) * 60000);
  return new Date(guess.getTime() - offsetAt(first) * 60000);
}

const numberFormats = new Map<Locale, Intl.NumberFormat>();
export function formatNumber(locale: Locale, n: number): string {
  let f = numberFormats.get(locale);
  if (!f) numberFormats.set(locale, (f = new Intl.NumberFormat(INTL_TAG[locale])));
  return f.format(n);
}

/** Country names: the UN's for Member States (see countries.ts). */
export { countryName } from './countries.js';
