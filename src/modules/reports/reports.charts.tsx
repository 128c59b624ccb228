/**
 * Bars and a line as server-rendered SVG, with a title, a description and an accessible name on every bar or point.
 * In Arabic bars grow from the right and the time axis runs right to left, as Arabic readers read a chart.
 */
import { formatNumber } from '../../platform/i18n/format.js';
import type { Locale } from '../../platform/i18n/locales.js';

const FONT = 'Noto Sans, Noto Naskh Arabic, Noto Sans CJK SC, sans-serif';

export type Bar = { label: string; count: number };

export function BarChart({ id, title, bars, locale }: { id: string; title: string; bars: Bar[]; locale: Locale }) {
  const rtl = locale === 'ar';
  const W = 640;
  const row = 26;
  const labelW = 220;
  const H = Math.max(1, bars.length) * row + 16;
  const max = Math.max(1, ...bars.map((b) => b.count));
  const scale = (W - labelW - 60) / max;
  return (
    <svg
      xmlns="http://www.w3.org/2000/svg"
      viewBox={`0 0 ${W} ${H}`}
      width={W}
      height={H}
      role="img"
      aria-labelledby={`${id}-title`}
      class="chart bar-chart"
      id={id}
      font-family={FONT}
      font-size="13"
    >
      <title id={`${id}-title`}>{title}</title>
      <rect width={W} height={H} fill="#ffffff" />
      {bars.map((b, i) => {
        const y = 8 + i * row;
        const w = Math.max(b.count > 0 ? 2 : 0, b.count * scale);
        const x = rtl ? W - labelW - w : labelW;
        const name = `${b.label}: ${formatNumber(locale, b.count)}`;
        return (
          // biome-ignore lint/a11y/noInteractiveElementToNoninteractiveRole: SVG shapes are not interactive; the role gives each its accessible name
          <g role="img" aria-label={name}>
            <title>{name}</title>
            <text
              x={rtl ? W - 6 : labelW - 8}
              y={y + 15}
              text-anchor={rtl ? 'start' : 'end'}
              direction={rtl ? 'rtl' : 'ltr'}
              fill="#222"
            >
              {b.label.length > 30 ? `${b.label.slice(0, 29)}…` : b.label}
            </text>
            <rect x={x} y={y + 3} width={w} height={row - 8} fill="#3182bd" />
            <text x={rtl ? x - 6 : x + w + 6} y={y + 15} text-anchor={rtl ? 'end' : 'start'} fill="#222">
              {formatNumber(locale, b.count)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

export function LineChart({
  id,
  title,
  points,
  locale,
}: {
  id: string;
  title: string;
  points: { label: string; count: number }[];
  locale: Locale;
}) {
  const rtl = locale === 'ar';
  const W = 640;
  const H = 240;
  const pad = { top: 16, bottom: 40, side: 48 };
  const max = Math.max(1, ...points.map((p) => p.count));
  const n = points.length;
  const xAt = (i: number) => {
    const x = n <= 1 ? W / 2 : pad.side + (i * (W - 2 * pad.side)) / (n - 1);
    return rtl ? W - x : x;
  };
  const yAt = (c: number) => H - pad.bottom - (c * (H - pad.top - pad.bottom)) / max;
  const line = points.map((p, i) => `${i ? 'L' : 'M'}${xAt(i).toFixed(1)},${yAt(p.count).toFixed(1)}`).join(' ');
  const ticks = n ? [0, Math.floor((n - 1) / 2), n - 1].filter((v, i, a) => a.indexOf(v) === i) : [];
  return (
    <svg
      xmlns="http://www.w3.org/2000/svg"
      viewBox={`0 0 ${W} ${H}`}
      width={W}
      height={H}
      role="img"
      aria-labelledby={`${id}-title`}
      class="chart line-chart"
      id={id}
      font-family={FONT}
      font-size="12"
    >
      <title id={`${id}-title`}>{title}</title>
      <rect width={W} height={H} fill="#ffffff" />
      <line x1={pad.side / 2} x2={W - pad.side / 2} y1={H - pad.bottom} y2={H - pad.bottom} stroke="#999" />
      <text x={rtl ? W - 4 : 4} y={yAt(max) + 4} text-anchor={rtl ? 'end' : 'start'} fill="#555">
        {formatNumber(locale, max)}
      </text>
      {n > 0 && <path d={line} fill="none" stroke="#3182bd" stroke-width="2" />}
      {points.map((p, i) => {
        const name = `${p.label}: ${formatNumber(locale, p.count)}`;
        return (
          // biome-ignore lint/a11y/noInteractiveElementToNoninteractiveRole: SVG shapes are not interactive; the role gives each its accessible name
          <circle cx={xAt(i)} cy={yAt(p.count)} r="3" fill="#08519c" role="img" aria-label={name}>
            <title>{name}</title>
          </circle>
        );
      })}
      {ticks.map((i) => (
        <text x={xAt(i)} y={H - pad.bottom + 18} text-anchor="middle" fill="#555">
          {points[i].label}
        </text>
      ))}
    </svg>
  );
}
