/** Country names in the six languages, from the runtime's CLDR data (Intl.DisplayNames). */
import { LOCALES, type Locale } from '../../platform/i18n/locales.js';
import type { Localized } from '../../platform/i18n/localized.js';

/** The language tags Intl is asked for: Chinese in simplified script, as the UN writes it. */
const TAGS: Record<Locale, string> = { ar: 'ar', zh: 'zh-Hans', en: 'en', fr: 'fr', ru: 'ru', es: 'es' };

const displayNames = new Map<Locale, Intl.DisplayNames>(
  LOCALES.map((l) => [l, new Intl.DisplayNames([TAGS[l]], { type: 'region', fallback: 'code' })]),
);

/** A known ISO 3166-1 alpha-2 code (one Intl has a name for), not a reserved or private-use one. */
export function isRegionCode(code: string): boolean {
  if (!/^[A-Z]{2}$/.test(code) || /^(AA|Q[M-Z]|X[A-Z]|ZZ|EU|EZ|UN)$/.test(code)) return false;
  const name = displayNames.get('en')!.of(code);
  return !!name && name !== code;
}

/** The country's name in each of the six languages. */
export function countryNames(code: string): Localized {
  return Object.fromEntries(LOCALES.map((l) => [l, displayNames.get(l)!.of(code) ?? code])) as Localized;
}
