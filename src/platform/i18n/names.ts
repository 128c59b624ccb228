/**
 * One way to write a person's name. A person has given and family names in their own script and in Latin letters, a
 * name order (family name first or last) and may have a single name (either field empty). Every page, e-mail, PDF,
 * CSV and API view composes names here, for one use each: the full name (badge line), the Latin form shown beside it
 * only when it differs, the list form "Family, Given", the honorific in the reader's language and the greeting.
 *
 * Name order defaults from the script (Han, Hangul and Kana: family name first, no space; Khmer: family name first)
 * and else from the nationality (China, Japan, the Koreas, Viet Nam, Hungary, Cambodia…); a person may set it.
 */
import { collator } from './countries.js';
import type { Locale } from './locales.js';
import { translate } from './messages.js';

export const NAME_ORDERS = ['given_first', 'family_first'] as const;
export type NameOrder = (typeof NAME_ORDERS)[number];

/** The honorifics a person may carry, stored as these codes; shown translated (`names.honorific.*`). */
export const HONORIFICS = ['', 'H.E.', 'Hon.', 'Dr', 'Prof.', 'Amb.', 'Mr', 'Ms', 'Mx'] as const;
export type Honorific = (typeof HONORIFICS)[number];
const HONORIFIC_KEY: Record<string, string> = {
  'H.E.': 'he',
  'Hon.': 'hon',
  Dr: 'dr',
  'Prof.': 'prof',
  'Amb.': 'amb',
  Mr: 'mr',
  Ms: 'ms',
  Mx: 'mx',
};

export type PersonName = {
  givenName: string;
  familyName: string;
  givenNameLatin?: string | null;
  familyNameLatin?: string | null;
  nameOrder?: string | null;
  nationality?: string | null;
  honorific?: string | null;
};

/** Scripts written without a space between family and given name. */
const NO_SPACE = /^[\p{Script=Han}\p{Script=Hangul}\p{Script=Hiragana}\p{Script=Katakana}\u30FC\u00B7\u30FB]+$/u;
const FAMILY_FIRST_SCRIPT = /[\p{Script=Han}\p{Script=Hangul}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Khmer}]/u;
/** Countries whose names are written family name first, also in Latin letters. */
const FAMILY_FIRST_COUNTRIES = new Set(['CN', 'TW', 'HK', 'MO', 'JP', 'KR', 'KP', 'VN', 'HU', 'KH']);

const clean = (s: string | null | undefined) => (s ?? '').replace(/\s+/g, ' ').trim();

/** The person's name order: as set, else from the script of the name, else from the nationality. */
export function nameOrder(p: PersonName): NameOrder {
  if (p.nameOrder === 'given_first' || p.nameOrder === 'family_first') return p.nameOrder;
  if (FAMILY_FIRST_SCRIPT.test(`${p.givenName}${p.familyName}`)) return 'family_first';
  if (p.nationality && FAMILY_FIRST_COUNTRIES.has(p.nationality.toUpperCase())) return 'family_first';
  return 'given_first';
}

function join(given: string, family: string, order: NameOrder): string {
  if (!given || !family) return given || family;
  const [a, b] = order === 'family_first' ? [family, given] : [given, family];
  return NO_SPACE.test(a) && NO_SPACE.test(b) ? `${a}${b}` : `${a} ${b}`;
}

/** The name in the person's own script, in their order ("陈超", "Chao Chen", "Nguyễn Thị Ánh"); Latin if none. */
export function fullName(p: PersonName): string {
  const order = nameOrder(p);
  return join(clean(p.givenName), clean(p.familyName), order) || latinName(p);
}

/** The name in Latin letters, in the same order ("Chen Chao"); '' when none was given. */
export function latinName(p: PersonName): string {
  return join(clean(p.givenNameLatin), clean(p.familyNameLatin), nameOrder(p));
}

/** Equal as written ("Paulo SILVA" beside "Paulo Silva" still says how the passport writes the family name). */
const same = (a: string, b: string) => a.normalize('NFC') === b.normalize('NFC');

/** The Latin form, only when it says something the native one does not ("" for "Min-jun Smith" twice). */
export function latinIfDifferent(p: PersonName): string {
  const latin = latinName(p);
  return latin && !same(latin, fullName(p)) ? latin : '';
}

/** For lists: "Family, Given"; names written without a space stay whole ("陈超"); a single name stays as it is. */
export function listName(p: PersonName): string {
  const given = clean(p.givenName);
  const family = clean(p.familyName);
  if (!given || !family) return fullName(p);
  if (NO_SPACE.test(given) && NO_SPACE.test(family)) return `${family}${given}`;
  // Arabic script takes its own comma ("السواحه، عبد الله").
  return ARABIC_NAME.test(`${family}${given}`) ? `${family}، ${given}` : `${family}, ${given}`;
}

const ARABIC_NAME = /^[\p{Script=Arabic}\s'’-]+$/u;

/** "Family, Given" in Latin letters, for CSV exports and badge batches sorted by Latin name. */
export function latinListName(p: PersonName): string {
  const given = clean(p.givenNameLatin);
  const family = clean(p.familyNameLatin);
  if (!given || !family) return given || family;
  return `${family}, ${given}`;
}

/** The honorific in the reader's language ("Ms" → "Mme", "السيدة", "女士"); '' for none or one this language omits. */
export function honorificLabel(code: string | null | undefined, locale: Locale): string {
  const key = code ? HONORIFIC_KEY[code] : undefined;
  if (!key) return clean(code); // free text stored before the list existed: shown as written
  const label = translate(locale, `names.honorific.${key}`);
  return label === '-' ? '' : label;
}

/** The honorific with a name, placed as the language does ("Dr Chen", "陈博士", "د. أحمد"); the name alone without. */
export function titled(code: string | null | undefined, name: string, locale: Locale): string {
  const key = code ? HONORIFIC_KEY[code] : undefined;
  if (!key) return code ? `${clean(code)} ${name}` : name;
  if (translate(locale, `names.honorific.${key}`) === '-') return name;
  return translate(locale, `names.titled.${key}`, { name });
}

/** The full name with its honorific, for lists and the badge desk ("H.E. Aigerim Ivanova", "陈超博士"). */
export function titledName(p: PersonName, locale: Locale): string {
  return titled(p.honorific, fullName(p), locale);
}

const LOCALE_SCRIPT: Record<Locale, RegExp> = {
  ar: /\p{Script=Arabic}/u,
  zh: /\p{Script=Han}/u,
  ru: /\p{Script=Cyrillic}/u,
  en: /\p{Script=Latin}/u,
  fr: /\p{Script=Latin}/u,
  es: /\p{Script=Latin}/u,
};

/** The name as a reader of `locale` can read it: the Latin form when the own script is not the reader's ("Zhang"). */
function readable(p: PersonName, locale: Locale): PersonName {
  const own = `${p.givenName}${p.familyName}`;
  if (!own || !latinName(p) || LOCALE_SCRIPT[locale].test(own) || LOCALE_SCRIPT.en.test(own)) return p;
  return { ...p, nameOrder: nameOrder(p), givenName: clean(p.givenNameLatin), familyName: clean(p.familyNameLatin) };
}

const RTL_CHAR = /[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}]/u;
const LTR_CHAR =
  /[^\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Common}\p{Script=Inherited}]/u;

/** A name inside text of the other direction, between FSI and PDI (Unicode's isolates; `<bdi>` in plain text). */
export function isolate(name: string, locale: Locale): string {
  const rtl = locale === 'ar';
  return (rtl ? LTR_CHAR : RTL_CHAR).test(name) ? `\u2068${name}\u2069` : name;
}

/** The opening line of a letter or e-mail in the reader's language, with exactly one honorific. */
export function greeting(person: PersonName, locale: Locale): string {
  const p = readable(person, locale);
  const family = clean(p.familyName) || clean(p.familyNameLatin);
  const key = p.honorific ? HONORIFIC_KEY[p.honorific] : undefined;
  const hasTitle = !!key && translate(locale, `names.honorific.${key}`) !== '-';
  const full = isolate(fullName(p), locale);
  if (!hasTitle) return translate(locale, 'names.greeting.none', { name: full });
  // French addresses the person by the full name ("À l’attention de Mme Chao Zhang"); the others by the family name.
  const name = titled(p.honorific, locale === 'fr' || !family ? full : isolate(family, locale), locale);
  const kind = key === 'mr' ? 'mr' : key === 'ms' ? 'ms' : 'titled';
  return translate(locale, `names.greeting.${kind}`, { name });
}

/** Compares people for a list in `locale`: family name (Latin letters when given), then given name. */
export function comparePeople(locale: Locale): (a: PersonName, b: PersonName) => number {
  const c = collator(locale);
  const fam = (p: PersonName) =>
    clean(p.familyNameLatin) || clean(p.familyName) || clean(p.givenNameLatin) || clean(p.givenName);
  const giv = (p: PersonName) => clean(p.givenNameLatin) || clean(p.givenName);
  return (a, b) => c.compare(fam(a), fam(b)) || c.compare(giv(a), giv(b)) || c.compare(fullName(a), fullName(b));
}

/** Emoji and other pictographs have no place in a name (they print as boxes on badges and in passports). */
export const hasEmoji = (s: string): boolean =>
  /\p{Extended_Pictographic}|\p{Regional_Indicator}|\u{FE0F}|\u{20E3}/u.test(s);

/** [code, label] of every honorific in the reader's language, for drop-downs ("none" first). */
export function honorificOptions(locale: Locale): [string, string][] {
  return HONORIFICS.map((h) => [h, h ? honorificLabel(h, locale) || h : translate(locale, 'names.no_honorific')]);
}

/** The language a script is most often written in, for the `lang` of a name; refined by the nationality below. */
const SCRIPT_LANGS: [RegExp, string][] = [
  [/[\p{Script=Hiragana}\p{Script=Katakana}]/u, 'ja'],
  [/\p{Script=Hangul}/u, 'ko'],
  [/\p{Script=Han}/u, 'zh-Hans'],
  [/\p{Script=Arabic}/u, 'ar'],
  [/\p{Script=Cyrillic}/u, 'ru'],
  [/\p{Script=Greek}/u, 'el'],
  [/\p{Script=Hebrew}/u, 'he'],
  [/\p{Script=Armenian}/u, 'hy'],
  [/\p{Script=Georgian}/u, 'ka'],
  [/\p{Script=Ethiopic}/u, 'am'],
  [/\p{Script=Devanagari}/u, 'hi'],
  [/\p{Script=Bengali}/u, 'bn'],
  [/\p{Script=Tamil}/u, 'ta'],
  [/\p{Script=Sinhala}/u, 'si'],
  [/\p{Script=Thai}/u, 'th'],
  [/\p{Script=Lao}/u, 'lo'],
  [/\p{Script=Khmer}/u, 'km'],
  [/\p{Script=Myanmar}/u, 'my'],
  [/\p{Script=Latin}/u, 'en'],
];
/** Where a country writes a script in another language than the script's most common one. */
const COUNTRY_LANGS: Record<string, Record<string, string>> = {
  'zh-Hans': { TW: 'zh-Hant', HK: 'zh-Hant', MO: 'zh-Hant', JP: 'ja' },
  ar: { IR: 'fa', AF: 'fa', PK: 'ur' },
  ru: { UA: 'uk', BG: 'bg', RS: 'sr', MK: 'mk', BY: 'be', KZ: 'kk', KG: 'ky', MN: 'mn', TJ: 'tg' },
  hi: { NP: 'ne' },
  am: { ER: 'ti' },
  en: {
    ...Object.fromEntries(
      ['FR', 'SN', 'CI', 'ML', 'BF', 'NE', 'GN', 'TG', 'BJ', 'CD', 'CG', 'GA', 'MC'].map((c) => [c, 'fr']),
    ),
    ...Object.fromEntries(
      [
        'ES',
        'MX',
        'AR',
        'CO',
        'CL',
        'PE',
        'VE',
        'CU',
        'EC',
        'BO',
        'PY',
        'UY',
        'GT',
        'HN',
        'SV',
        'NI',
        'CR',
        'PA',
        'DO',
      ].map((c) => [c, 'es']),
    ),
    ...Object.fromEntries(['PT', 'BR', 'AO', 'MZ', 'CV'].map((c) => [c, 'pt'])),
    DE: 'de',
    AT: 'de',
    IT: 'it',
    NL: 'nl',
    PL: 'pl',
    TR: 'tr',
    VN: 'vi',
    ID: 'id',
    SE: 'sv',
    NO: 'nb',
    DK: 'da',
    FI: 'fi',
    HU: 'hu',
    CZ: 'cs',
    RO: 'ro',
  },
};

/**
 * The language of a name or other short text, from its first letter's script and the writer's nationality ("Иванова"
 * → "ru", "陈超" → "zh-Hans", "陳超" from Taiwan → "zh-Hant", "محمد" → "ar"); undefined for text without letters. A
 * name in Latin letters reads as English unless the nationality says otherwise (the Latin form is the international
 * one).
 */
export function textLang(text: string, nationality?: string | null): string | undefined {
  const first = [...text].find((ch) => /\p{L}/u.test(ch));
  if (!first) return undefined;
  const found = SCRIPT_LANGS.find(([re]) => re.test(first));
  if (!found) return undefined;
  // Kana anywhere makes Han text Japanese.
  const lang = found[1] === 'zh-Hans' && SCRIPT_LANGS[0][0].test(text) ? 'ja' : found[1];
  return COUNTRY_LANGS[lang]?.[(nationality ?? '').toUpperCase()] ?? lang;
}

const LATIN_PAGE = new Set<Locale>(['en', 'fr', 'es']);

/**
 * The `lang` to put on a name or text shown on a page in `locale`: its language when that differs from the page's,
 * else undefined (nothing to say). Latin letters on an English, French or Spanish page stay unmarked unless the
 * nationality names another language.
 */
export function langOnPage(text: string, locale: Locale, nationality?: string | null): string | undefined {
  const lang = textLang(text, nationality);
  if (!lang) return undefined;
  const primary = lang.split('-')[0];
  if (primary === locale) return undefined;
  if (LATIN_PAGE.has(locale) && lang === 'en' && /\p{Script=Latin}/u.test(text)) return undefined;
  return lang;
}
