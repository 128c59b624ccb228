/**
 * Country names as a United Nations audience expects them. The 194 Member States carry the UN's M49 names (UN
 * Statistics Division, six languages: "Republic of Korea", "Iran (Islamic Republic of)", "Russian Federation") and,
 * for letters, the UNTERM formal names ("the Republic of Korea"); `data/un-country-names.json` is derived from
 * `un-country-names.csv` of the domain notes with their corrections applied (Côte d’Ivoire, Türkiye, Netherlands
 * (Kingdom of the), Vatican as ITU lists it). Territories that are not Member States keep their usual CLDR names.
 * Lists of countries are sorted with `Intl.Collator` in the reader's language, never by code.
 */
import { readFileSync } from 'node:fs';
import { LOCALES, type Locale } from './locales.js';
import type { Localized } from './localized.js';

type UnRow = { m49: number; name: Record<Locale, string>; formal: Record<Locale, string>; ldc?: 1; lldc?: 1; sids?: 1 };
const UN: Record<string, UnRow> = JSON.parse(
  readFileSync(new URL('./data/un-country-names.json', import.meta.url), 'utf8'),
) as Record<string, UnRow>;

/** Language tags Intl is asked for (Chinese in simplified script, as the UN writes it). */
const TAG: Record<Locale, string> = { ar: 'ar', zh: 'zh-Hans', en: 'en-GB', fr: 'fr-CH', ru: 'ru', es: 'es' };

const displayNames = new Map<Locale, Intl.DisplayNames>(
  LOCALES.map((l) => [l, new Intl.DisplayNames([TAG[l]], { type: 'region', fallback: 'code' })]),
);
const collators = new Map<Locale, Intl.Collator>();

/** The collator of a language, for sorting names of countries, entities and people. */
export function collator(locale: Locale): Intl.Collator {
  let c = collators.get(locale);
  if (!c) collators.set(locale, (c = new Intl.Collator(TAG[locale])));
  return c;
}

/** One of the 194 Member States (ISO 3166-1 alpha-2). */
export const isMemberState = (iso2: string): boolean => Object.hasOwn(UN, iso2.toUpperCase());

/** The country's everyday CLDR name (what Intl says), whatever the UN calls it. */
export const cldrCountryName = (locale: Locale, iso2: string): string =>
  displayNames.get(locale)!.of(iso2.toUpperCase()) ?? iso2;

/** The name for lists, drop-downs, badges and pages: the M49 name of a Member State, the usual name otherwise. */
export function countryName(locale: Locale, iso2: string): string {
  const code = iso2.toUpperCase();
  return UN[code]?.name[locale] ?? cldrCountryName(locale, code);
}

/** The formal name for letters ("the Republic of Korea"); territories have none and keep their usual name. */
export function countryFormalName(locale: Locale, iso2: string): string {
  const code = iso2.toUpperCase();
  return UN[code]?.formal[locale] ?? cldrCountryName(locale, code);
}

/** The country's name in each of the six languages. */
export function countryNames(iso2: string): Localized {
  return Object.fromEntries(LOCALES.map((l) => [l, countryName(l, iso2)])) as Localized;
}

/** UN development groups of a Member State: Least Developed, Landlocked Developing, Small Island Developing. */
export function unGroups(iso2: string): { ldc: boolean; lldc: boolean; sids: boolean } {
  const r = UN[iso2.toUpperCase()];
  return { ldc: !!r?.ldc, lldc: !!r?.lldc, sids: !!r?.sids };
}

/** The UN M49 (ISO 3166-1 numeric) code of a Member State, as maps number their shapes. */
export function m49Of(iso2: string): number | undefined {
  return UN[iso2.toUpperCase()]?.m49;
}

/** Every ISO 3166-1 region code Intl names (reserved, private-use and grouping codes left out). */
export const REGION_CODES: readonly string[] = (() => {
  const dn = displayNames.get('en')!;
  const out: string[] = [];
  for (let a = 65; a <= 90; a++)
    for (let b = 65; b <= 90; b++) {
      const c = String.fromCharCode(a, b);
      if (/^(AA|Q[M-Z]|X[A-Z]|ZZ|EU|EZ|UN)$/.test(c)) continue;
      const name = dn.of(c);
      if (name && name !== c && !/Unknown|Outlying|Pseudo/i.test(name)) out.push(c);
    }
  return out;
})();

/**
 * The current ISO 3166-1 alpha-2 codes (249). Intl also names retired ones (DY Dahomey, HV Upper Volta, ZR Zaire, YU,
 * CS, SU, AN…) and reserved ones (AC, CP, DG, EA, IC, TA, UK): those are not offered, only read.
 */
export const ISO_3166_CODES: ReadonlySet<string> = new Set(
  (
    'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT ' +
    'BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ' +
    'ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT ' +
    'HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS ' +
    'LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI ' +
    'NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG ' +
    'SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG ' +
    'UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW'
  ).split(' '),
);

/** A code a person may choose today (a stored retired code stays readable, see countryOptions). */
export const isCurrentCountryCode = (iso2: string): boolean => ISO_3166_CODES.has(iso2.toUpperCase());

const optionsCache = new Map<Locale, [string, string][]>();
/**
 * [code, name] of every current country (ISO 3166-1), sorted by name in the reader's language: for nationality
 * drop-downs. `keep`, a value already stored that is no longer current (a retired code), is added so it stays readable.
 */
export function countryOptions(locale: Locale, keep?: string | null): [string, string][] {
  let o = optionsCache.get(locale);
  if (!o) {
    const c = collator(locale);
    o = [...ISO_3166_CODES]
      .map((code) => [code, countryName(locale, code)] as [string, string])
      .sort((a, b) => c.compare(a[1], b[1]));
    optionsCache.set(locale, o);
  }
  return keep && !isCurrentCountryCode(keep) ? [...o, [keep, countryName(locale, keep)]] : o;
}
