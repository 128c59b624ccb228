/**
 * A person's name on a page: the honorific in the page's language, placed as the language places it, the name in
 * the person's own script isolated in a `<bdi>` (so an Arabic page never scrambles a Latin or Cyrillic name, nor the
 * reverse), and the Latin form beside it, isolated left-to-right, only when it differs. Each carries `lang` when its
 * language is not the page's (a Cyrillic name on an English page: "ru"; a Latin name on an Arabic page: "en").
 */
import type { Locale } from '../i18n/locales.js';
import { fullName, langOnPage, latinIfDifferent, type PersonName, titled } from '../i18n/names.js';

const MARK = '\u0000';

export function PersonNameView({
  p,
  locale,
  honorific = true,
  latin = true,
}: {
  p: PersonName;
  locale: Locale;
  honorific?: boolean;
  latin?: boolean;
}) {
  const [before = '', after = ''] = (honorific ? titled(p.honorific, MARK, locale) : MARK).split(MARK);
  const other = latin ? latinIfDifferent(p) : '';
  const own = fullName(p);
  return (
    <span class="person-name">
      {before}
      <bdi lang={langOnPage(own, locale, p.nationality)}>{own}</bdi>
      {after}
      {other && (
        <>
          {' '}
          <bdi dir="ltr" class="name-latin" lang={langOnPage(other, locale, p.nationality)}>
            ({other})
          </bdi>
        </>
      )}
    </span>
  );
}
