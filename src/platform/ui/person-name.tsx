/**
 * A person's name on a page: the honorific in the page's language, placed as the language places it, the name in
 * the person's own script isolated in a `<bdi>` (so an Arabic page never scrambles a Latin or Cyrillic name, nor the
 * reverse), and the Latin form beside it, isolated left-to-right, only when it differs.
 */
import type { Locale } from '../i18n/locales.js';
import { fullName, latinIfDifferent, type PersonName, titled } from '../i18n/names.js';

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
  return (
    <span class="person-name">
      {before}
      <bdi>{fullName(p)}</bdi>
      {after}
      {other && (
        <>
          {' '}
          <bdi dir="ltr" class="name-latin" lang="und-Latn">
            ({other})
          </bdi>
        </>
      )}
    </span>
  );
}
