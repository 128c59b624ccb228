/** The dashboard's charts and tables, shared by the page and the downloads (SVG, PNG, CSV, XLSX). */
import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import sharp from 'sharp';
import type { ExportTable } from '../../platform/export/index.js';
import type { Locale } from '../../platform/i18n/locales.js';
import { translator } from '../../platform/i18n/messages.js';
import { BarChart, LineChart } from './reports.charts.js';
import type { FigureKey, Figures } from './reports.figures.js';
import { labelled } from './reports.labels.js';
import { WorldMap } from './reports.map.js';

export const CHARTS = ['map', 'regions', 'functions', 'registrations'] as const;
export type Chart = (typeof CHARTS)[number];

/** Which figure each chart draws. */
export const CHART_FIGURE: Record<Chart, FigureKey> = {
  map: 'byCountry',
  regions: 'byItudRegion',
  functions: 'byFunction',
  registrations: 'registrationsPerDay',
};

export function chartNode(f: Figures, chart: Chart, locale: Locale): VNode {
  const t = translator(locale);
  if (chart === 'map')
    return (
      <WorldMap
        data={f.byCountry.filter((c) => c.key).map((c) => ({ iso2: c.key as string, count: c.count }))}
        locale={locale}
        t={t}
      />
    );
  const rows = labelled(f, CHART_FIGURE[chart], locale);
  if (chart === 'registrations')
    return (
      <LineChart id="chart-registrations" title={t('reports.fig.registrationsPerDay')} points={rows} locale={locale} />
    );
  return <BarChart id={`chart-${chart}`} title={t(`reports.fig.${CHART_FIGURE[chart]}`)} bars={rows} locale={locale} />;
}

/** A chart as a standalone SVG file. */
export const chartSvg = (f: Figures, chart: Chart, locale: Locale) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n${renderToString(chartNode(f, chart, locale))}`;

/** A chart as PNG (librsvg through sharp), twice the size for sharp print. */
export const chartPng = (f: Figures, chart: Chart, locale: Locale) =>
  sharp(Buffer.from(chartSvg(f, chart, locale)), { density: 144 })
    .png()
    .toBuffer();

/** One figure as a table for the export writer: stable columns (key, label in the reader's language, count). */
export function figureTable(f: Figures, key: FigureKey, locale: Locale): ExportTable {
  return {
    columns: ['key', 'label', 'count'],
    rows: labelled(f, key, locale).map((r) => ({ key: r.key ?? '', label: r.label, count: r.count })),
    sheet: key,
  };
}
