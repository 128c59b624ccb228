/** A letter as the reader gets it in one language: the PDF view and what pages and the API show. */
import { text } from '../../platform/i18n/localized.js';
import { direction, type Locale } from '../../platform/i18n/locales.js';
import { translate } from '../../platform/i18n/messages.js';
import { DEFAULT_ORGANISER, organiserAddress, organiserName, type Organiser } from '../../platform/organiser.js';
import type { LetterPdfView } from './letters.pdf.js';
import { parseBody } from './letters.rules.js';
import { letterText, type Annex, type Letter } from './letters.service.js';

const TAGS: Record<Locale, string> = { ar: 'ar', zh: 'zh-Hans', en: 'en-GB', fr: 'fr', ru: 'ru', es: 'es' };

/** The name of a language in the reader's language ("Arabic", « arabe », 阿拉伯文…). */
export function languageName(reader: Locale, lang: Locale): string {
  return new Intl.DisplayNames([TAGS[reader]], { type: 'language' }).of(lang) ?? lang;
}

/** "17 March 2026" (no weekday, as letters are dated). */
export function letterDate(locale: Locale, isoDate: string): string {
  return new Intl.DateTimeFormat(TAGS[locale], {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(`${isoDate}T00:00:00Z`));
}

export type LetterReading = {
  /** The language the text is in (the reader's, or the original's). */
  lang: Locale;
  fallback: boolean;
  isOriginal: boolean;
  subject: string;
  body: string;
};

export function readLetter(letter: Letter, locale: Locale): LetterReading {
  const b = letterText(letter, 'body', locale);
  const lang = b.lang;
  const s = letter.subject[lang] || letterText(letter, 'subject', lang).text;
  return { lang, fallback: b.fallback, isOriginal: lang === letter.originalLanguage, subject: s, body: b.text };
}

/** The languages the letter exists in (a body in that language). */
export const letterLanguages = (letter: Letter): Locale[] =>
  (['ar', 'zh', 'en', 'fr', 'ru', 'es'] as const).filter((l) => !!letter.body[l]);

export function letterPdfView(
  letter: Letter,
  annexes: Annex[],
  locale: Locale,
  organiser: Organiser = DEFAULT_ORGANISER,
): LetterPdfView {
  const r = readLetter(letter, locale);
  const lang = r.lang; // the PDF is entirely in the language of its text
  const t = (k: string, v?: Record<string, string | number>) => translate(lang, `letters.${k}`, v);
  const orig = letter.originalLanguage as Locale;
  return {
    lang,
    rtl: direction(lang) === 'rtl',
    org: organiserName(organiser, lang).text,
    address: organiserAddress(organiser, lang),
    logo: organiser.logo?.png,
    refRows: [
      [t('ref'), letter.reference],
      [t('from'), text(letter.sender, lang)],
      [t('to'), text(letter.addressees, lang)],
      [t('contact'), letter.contactName],
      [t('email'), letter.contactEmail],
    ],
    dateLine: t('date_line', { date: letterDate(lang, letter.sentOn) }),
    languageNote: t('original', { language: languageName(lang, orig) }),
    subjectLabel: t('subject'),
    subject: r.subject,
    body: parseBody(r.body),
    signed: t('signed'),
    signatoryName: letter.signatoryName,
    signatoryTitle: text(letter.signatoryTitle, lang),
    annexesLabel: t('annexes'),
    annexes: annexes.map((a) => a.title),
    page: (n, of) => t('page', { n, total: of }),
    title: `${letter.reference} — ${r.subject}`,
  };
}
