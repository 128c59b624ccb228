/** How each figure's groups are named in the reader's language (and "not given" for an empty group). */
import { countryName } from '../../platform/i18n/countries.js';
import { formatDay } from '../../platform/i18n/format.js';
import type { Locale } from '../../platform/i18n/locales.js';
import { text } from '../../platform/i18n/localized.js';
import { hasMessage, translate } from '../../platform/i18n/messages.js';
import type { FigureKey, Figures } from './reports.figures.js';

const PREFIX: Partial<Record<FigureKey, string>> = {
  byState: 'registration.state',
  byMode: 'registration.mode',
  byItuRegion: 'entities.itu_region',
  byItudRegion: 'entities.itud_region',
  byUnGroup: 'entities.un_group',
  byDevelopmentGroup: 'reports.dev',
  byStakeholderType: 'registration.stakeholder',
  byFunction: 'registration.function',
  byProtocol: 'registration.vip',
  byGender: 'accounts.gender',
};

export type Labelled = { key: string | null; label: string; count: number };

export function labelled(f: Figures, key: FigureKey, locale: Locale): Labelled[] {
  const names = new Map(f.byEntity.map((e) => [e.key, e.name]));
  return f[key].map((g) => {
    let label: string;
    if (g.key == null) label = translate(locale, 'reports.not_given');
    else if (key === 'byCountry') label = countryName(locale, g.key);
    else if (key === 'byEntity') label = text(names.get(g.key), locale) || g.key;
    else if (key === 'registrationsPerDay' || key === 'checkInsPerDay') label = formatDay(locale, g.key, 'short');
    else if (key === 'checkInsPerHour' || key === 'registrationsPerHour') label = `${g.key}:00`;
    else if (key === 'byState' && g.key === 'checked_in') label = translate(locale, 'reports.checked_in');
    else {
      const k = `${PREFIX[key]}.${g.key}`;
      label = hasMessage(locale, k) ? translate(locale, k) : g.key;
    }
    return { key: g.key, label, count: g.count };
  });
}
