/**
 * Participants by country on the platform's world map (`src/platform/ui/world-map.tsx`): each country shaded by its
 * number of participants in five classes, named "Switzerland: 12"; the page shows the same numbers as a table.
 */
import { countryName } from '../../platform/i18n/countries.js';
import { formatNumber } from '../../platform/i18n/format.js';
import type { Locale } from '../../platform/i18n/locales.js';
import type { T } from '../../platform/i18n/messages.js';
import {
  CLASS_COLOURS,
  classBounds,
  classLegend,
  classOf,
  WorldMap as PlatformWorldMap,
} from '../../platform/ui/world-map.js';

export type MapData = { iso2: string; count: number }[];

export function WorldMap({ data, locale, t, id = 'world-map' }: { data: MapData; locale: Locale; t: T; id?: string }) {
  const max = Math.max(0, ...data.map((d) => d.count));
  const bounds = classBounds(max);
  const n = (x: number) => formatNumber(locale, x);
  return (
    <PlatformWorldMap
      id={id}
      locale={locale}
      title={t('reports.map.title')}
      desc={t('reports.map.desc', { countries: data.length, max: n(max) })}
      legend={classLegend(locale, bounds)}
      areas={data.map((d) => ({
        iso2: d.iso2,
        fill: CLASS_COLOURS[classOf(d.count, bounds)],
        label: t('reports.map.country_value', { country: countryName(locale, d.iso2), n: n(d.count) }),
      }))}
    />
  );
}
