/**
 * The world choropleth, drawn on the server as SVG: Natural Earth country shapes (world-atlas, 1:110m) projected with
 * d3-geo's Equal Earth, each country shaded by its number of participants in five classes. Every country with a value
 * carries an accessible name and a tooltip ("Switzerland: 12"); the legend is part of the picture (so a downloaded
 * SVG or PNG stands alone) and the page shows the same numbers as a table. Geography is never mirrored; in Arabic the
 * legend reads right to left.
 */
import { createRequire } from 'node:module';
import { geoEqualEarth, geoPath } from 'd3-geo';
import type { FeatureCollection, Geometry } from 'geojson';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import { countryName, m49Of } from '../../platform/i18n/countries.js';
import { formatNumber } from '../../platform/i18n/format.js';
import type { Locale } from '../../platform/i18n/locales.js';
import type { T } from '../../platform/i18n/messages.js';

const require = createRequire(import.meta.url);
export const MAP_W = 960;
export const MAP_H = 500;
const LEGEND_H = 40;

/** Numeric codes of places that are not Member States but have a shape (and may be a nationality). */
const NON_MEMBER_M49: Record<string, number> = {
  PS: 275,
  TW: 158,
  EH: 732,
  GL: 304,
  PR: 630,
  NC: 540,
  FK: 238,
  TF: 260,
  AQ: 10,
};

type Shape = { m49: number; d: string };
let shapes: Shape[] | undefined;

/** The countries' outlines as SVG path data, projected once per process. */
function worldShapes(): Shape[] {
  if (shapes) return shapes;
  const topo = require('world-atlas/countries-110m.json') as Topology<{ countries: GeometryCollection }>;
  const fc = feature(topo, topo.objects.countries) as unknown as FeatureCollection<Geometry, { name: string }>;
  fc.features = fc.features.filter((f) => f.id !== '010'); // Antarctica: no participants, half the picture
  const projection = geoEqualEarth().fitSize([MAP_W, MAP_H], fc);
  const path = geoPath(projection);
  shapes = fc.features
    .map((f) => ({ m49: Number(f.id ?? -1), d: (path(f) ?? '').replace(/(\.\d)\d+/g, '$1') }))
    .filter((s) => s.d);
  return shapes;
}

/** Five blues, light to dark (readable with colour-blindness; the numbers are in the tooltip and the table). */
export const CLASS_COLOURS = ['#deebf7', '#9ecae1', '#6baed6', '#3182bd', '#08519c'];
const NONE = '#eeeeee';

/** Upper bounds of five classes growing by powers (1, 10, 100…) or, for small numbers, evenly. */
export function classBounds(max: number): number[] {
  if (max <= 5) return [1, 2, 3, 4, 5].map((i) => Math.max(1, Math.ceil((max * i) / 5)));
  const b = [1, 2, 3, 4, 5].map((i) => Math.max(1, Math.round(max ** (i / 5))));
  for (let i = 1; i < 5; i++) if (b[i] <= b[i - 1]) b[i] = b[i - 1] + 1;
  b[4] = Math.max(max, b[4]);
  return b;
}
const classOf = (n: number, bounds: number[]) => bounds.findIndex((b) => n <= b);

export type MapData = { iso2: string; count: number }[];

export function WorldMap({ data, locale, t, id = 'world-map' }: { data: MapData; locale: Locale; t: T; id?: string }) {
  const byM49 = new Map<number, { iso2: string; count: number }>();
  for (const d of data) {
    const m = m49Of(d.iso2) ?? NON_MEMBER_M49[d.iso2.toUpperCase()];
    if (m != null) byM49.set(m, d);
  }
  const max = Math.max(0, ...data.map((d) => d.count));
  const bounds = classBounds(max);
  const rtl = locale === 'ar';
  const n = (x: number) => formatNumber(locale, x);
  const legend = bounds.map((b, i) => ({
    colour: CLASS_COLOURS[i],
    label: i === 0 ? n(b) : bounds[i - 1] + 1 >= b ? n(b) : `${n(bounds[i - 1] + 1)}–${n(b)}`,
  }));
  const cell = 120;
  const lx = (i: number) => (rtl ? MAP_W - 10 - (i + 1) * cell : 10 + i * cell);
  return (
    <svg
      xmlns="http://www.w3.org/2000/svg"
      viewBox={`0 0 ${MAP_W} ${MAP_H + LEGEND_H}`}
      width={MAP_W}
      height={MAP_H + LEGEND_H}
      role="img"
      aria-labelledby={`${id}-title ${id}-desc`}
      class="chart world-map"
      id={id}
      font-family="Noto Sans, Noto Naskh Arabic, Noto Sans CJK SC, sans-serif"
    >
      <title id={`${id}-title`}>{t('reports.map.title')}</title>
      <desc id={`${id}-desc`}>{t('reports.map.desc', { countries: data.length, max: n(max) })}</desc>
      <rect width={MAP_W} height={MAP_H + LEGEND_H} fill="#ffffff" />
      <g stroke="#ffffff" stroke-width="0.5">
        {worldShapes().map((s) => {
          const d = byM49.get(s.m49);
          // biome-ignore lint/a11y/noAriaHiddenOnFocusable: SVG shapes take no focus; unnamed shapes and the legend are decoration (the table has the numbers)
          if (!d) return <path d={s.d} fill={NONE} aria-hidden="true" />;
          const label = t('reports.map.country_value', { country: countryName(locale, d.iso2), n: n(d.count) });
          return (
            // biome-ignore lint/a11y/noInteractiveElementToNoninteractiveRole: SVG shapes are not interactive; the role gives each its accessible name
            <path
              d={s.d}
              fill={CLASS_COLOURS[classOf(d.count, bounds)]}
              data-country={d.iso2}
              role="img"
              aria-label={label}
            >
              <title>{label}</title>
            </path>
          );
        })}
      </g>
      {/* biome-ignore lint/a11y/noAriaHiddenOnFocusable: SVG shapes take no focus; unnamed shapes and the legend are decoration (the table has the numbers) */}
      <g class="legend" aria-hidden="true" font-size="13" direction={rtl ? 'rtl' : 'ltr'}>
        {legend.map((l, i) => (
          <g>
            <rect
              x={lx(i) + (rtl ? cell - 24 : 0)}
              y={MAP_H + 10}
              width="20"
              height="14"
              fill={l.colour}
              stroke="#999"
            />
            <text x={rtl ? lx(i) + cell - 30 : lx(i) + 26} y={MAP_H + 22} text-anchor="start" fill="#222">
              {l.label}
            </text>
          </g>
        ))}
      </g>
    </svg>
  );
}
