/**
 * The world map, drawn on the server as SVG: Natural Earth country shapes (world-atlas, 1:110m) projected with d3-geo's
 * Equal Earth. The caller says how each country is filled and named (a count in classes for the statistics, a response
 * state for the letters tracker) and what the legend says; the map draws it. Every coloured country carries an
 * accessible name and a tooltip; the legend is part of the picture (a downloaded SVG or PNG stands alone) and the
 * pages show the same data as a table. Geography is never mirrored; in Arabic the legend reads right to left.
 * Modules use it directly (it is platform code): reports for participants by country, letters for the tracker.
 */
import { createRequire } from 'node:module';
import { geoEqualEarth, geoPath } from 'd3-geo';
import type { FeatureCollection, Geometry } from 'geojson';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import { m49Of } from '../i18n/countries.js';
import { formatNumber } from '../i18n/format.js';
import type { Locale } from '../i18n/locales.js';

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
/** Countries the map has nothing to say about. */
export const NO_DATA = '#eeeeee';

/** Upper bounds of five classes growing by powers (1, 10, 100…) or, for small numbers, evenly. */
export function classBounds(max: number): number[] {
  if (max <= 5) return [1, 2, 3, 4, 5].map((i) => Math.max(1, Math.ceil((max * i) / 5)));
  const b = [1, 2, 3, 4, 5].map((i) => Math.max(1, Math.round(max ** (i / 5))));
  for (let i = 1; i < 5; i++) if (b[i] <= b[i - 1]) b[i] = b[i - 1] + 1;
  b[4] = Math.max(max, b[4]);
  return b;
}
export const classOf = (n: number, bounds: number[]) => bounds.findIndex((b) => n <= b);

/** The five classes' legend for counts up to `max` ("1", "2–10", …) in the reader's digits. */
export function classLegend(locale: Locale, bounds: number[]): MapLegendItem[] {
  const n = (x: number) => formatNumber(locale, x);
  return bounds.map((b, i) => ({
    colour: CLASS_COLOURS[i],
    label: i === 0 ? n(b) : bounds[i - 1] + 1 >= b ? n(b) : `${n(bounds[i - 1] + 1)}–${n(b)}`,
  }));
}

/** One country on the map: its ISO code, its fill, and its accessible name (also the tooltip). */
export type MapArea = { iso2: string; fill: string; label: string; state?: string };
export type MapLegendItem = { colour: string; label: string };

export function WorldMap({
  areas,
  legend,
  title,
  desc,
  locale,
  id = 'world-map',
  legendCell = 120,
}: {
  areas: MapArea[];
  legend: MapLegendItem[];
  title: string;
  desc: string;
  locale: Locale;
  id?: string;
  /** Width of one legend entry (wider for words than for numbers); entries wrap to a second line when needed. */
  legendCell?: number;
}) {
  const byM49 = new Map<number, MapArea>();
  for (const a of areas) {
    const m = m49Of(a.iso2) ?? NON_MEMBER_M49[a.iso2.toUpperCase()];
    if (m != null) byM49.set(m, a);
  }
  const rtl = locale === 'ar';
  const perLine = Math.max(1, Math.floor((MAP_W - 20) / legendCell));
  const lines = Math.ceil(legend.length / perLine);
  const height = MAP_H + LEGEND_H * Math.max(1, lines);
  const lx = (i: number) => {
    const k = i % perLine;
    return rtl ? MAP_W - 10 - (k + 1) * legendCell : 10 + k * legendCell;
  };
  const ly = (i: number) => MAP_H + 10 + Math.floor(i / perLine) * LEGEND_H;
  return (
    <svg
      xmlns="http://www.w3.org/2000/svg"
      viewBox={`0 0 ${MAP_W} ${height}`}
      width={MAP_W}
      height={height}
      role="img"
      aria-labelledby={`${id}-title ${id}-desc`}
      class="chart world-map"
      id={id}
      font-family="Noto Sans, Noto Naskh Arabic, Noto Sans CJK SC, sans-serif"
    >
      <title id={`${id}-title`}>{title}</title>
      <desc id={`${id}-desc`}>{desc}</desc>
      <rect width={MAP_W} height={height} fill="#ffffff" />
      <g stroke="#ffffff" stroke-width="0.5">
        {worldShapes().map((s) => {
          const a = byM49.get(s.m49);
          // biome-ignore lint/a11y/noAriaHiddenOnFocusable: SVG shapes take no focus; unnamed shapes and the legend are decoration (the table has the data)
          if (!a) return <path d={s.d} fill={NO_DATA} aria-hidden="true" />;
          return (
            // biome-ignore lint/a11y/noInteractiveElementToNoninteractiveRole: SVG shapes are not interactive; the role gives each its accessible name
            <path d={s.d} fill={a.fill} data-country={a.iso2} data-state={a.state} role="img" aria-label={a.label}>
              <title>{a.label}</title>
            </path>
          );
        })}
      </g>
      {/* biome-ignore lint/a11y/noAriaHiddenOnFocusable: SVG shapes take no focus; the legend is decoration (the table has the data) */}
      <g class="legend" aria-hidden="true" font-size="13" direction={rtl ? 'rtl' : 'ltr'}>
        {legend.map((l, i) => (
          <g>
            <rect
              x={lx(i) + (rtl ? legendCell - 24 : 0)}
              y={ly(i)}
              width="20"
              height="14"
              fill={l.colour}
              stroke="#999"
            />
            <text x={rtl ? lx(i) + legendCell - 30 : lx(i) + 26} y={ly(i) + 12} text-anchor="start" fill="#222">
              {l.label}
            </text>
          </g>
        ))}
      </g>
    </svg>
  );
}
