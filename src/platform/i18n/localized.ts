/** Text that people write, stored per language: `{ "en": "…", "fr": "…" }`. */
import { CONTENT_FALLBACK, type Locale } from './locales.js';

export type Localized = Partial<Record<Locale, string>>;

export type Resolved = { text: string; lang: Locale | undefined };

/** The text in `locale`, else in the first language of the declared fallback order that has it. */
export function pick(value: Localized | null | undefined, locale: Locale): Resolved {
  if (value) {
    const own = value[locale];
    if (own) return { text: own, lang: locale };
    for (const l of CONTENT_FALLBACK) {
      const t = value[l];
      if (t) return { text: t, lang: l };
    }
  }
  return { text: '', lang: undefined };
}

export function text(value: Localized | null | undefined, locale: Locale): string {
  return pick(value, locale).text;
}
