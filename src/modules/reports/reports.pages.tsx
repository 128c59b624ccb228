/**
 * The statistics dashboard (`/{lc}/reports`): headline numbers, the world map, bars by region and function, the line
 * of registrations, then every figure as a table with its definition and its downloads. The secretariat sees every
 * registration; a focal point the same page for their own delegation. Filters are a plain GET form.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { sendExport } from '../../platform/export/index.js';
import { parseForm } from '../../platform/http/forms.js';
import { formatDateTime, formatNumber } from '../../platform/i18n/format.js';
import { text } from '../../platform/i18n/localized.js';
import { ErrorSummary, PostForm, SelectField, TextField } from '../../platform/ui/forms.js';
import { localePath } from '../../platform/ui/layout.js';
import { requireLocalePrefix } from '../../platform/ui/locale-routes.js';
import { sendPrivatePage, type View } from '../../platform/ui/page.js';
import { getEvents } from '../events/index.js';
import { FIGURE_KEYS, type FigureKey, type Figures, getFigures } from './reports.figures.js';
import { ChartFormat, ChartParam, DataFormat, FigureParam, FilterQuery } from './reports.input.js';
import { labelled } from './reports.labels.js';
import { publicFiguresPublished, setPublicFigures } from './reports.public.js';
import { chartNode, chartPng, chartSvg, figureTable, type Chart } from './reports.present.js';

const LcParams = z.object({ lc: z.string() });

/** The filter as a query string (for the download links), without empty values. */
function qs(q: FilterQuery, extra: Record<string, string> = {}) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...q, ...extra })) if (v) p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}

function Downloads({ v, q, figure, chart }: { v: View; q: FilterQuery; figure: FigureKey; chart?: Chart }) {
  const base = (p: string) => localePath(v.locale, p);
  return (
    <p class="meta downloads">
      <span>{v.t('reports.download')}</span>
      {chart && <a href={base(`/reports/charts/${chart}${qs(q, { format: 'svg' })}`)}>SVG</a>}
      {chart && <a href={base(`/reports/charts/${chart}${qs(q, { format: 'png' })}`)}>PNG</a>}
      <a href={base(`/reports/figures/${figure}${qs(q, { format: 'csv' })}`)}>CSV</a>
      <a href={base(`/reports/figures/${figure}${qs(q, { format: 'xlsx' })}`)}>XLSX</a>
    </p>
  );
}

function FigureTable({ v, f, figure, q }: { v: View; f: Figures; figure: FigureKey; q: FilterQuery }) {
  const rows = labelled(f, figure, v.locale);
  const id = `fig-${figure}`;
  return (
    <section class="figure" aria-labelledby={id}>
      <h3 id={id}>{v.t(`reports.fig.${figure}`)}</h3>
      <p class="hint">{v.t(`reports.def.${figure}`)}</p>
      {rows.length === 0 ? (
        <p>{v.t('reports.none')}</p>
      ) : (
        <div class="table-scroll">
          <table class="data">
            <thead>
              <tr>
                <th scope="col">{v.t(`reports.col.${figure === 'byEntity' ? 'entity' : 'group'}`)}</th>
                <th scope="col">{v.t('reports.col.count')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr data-key={r.key ?? ''}>
                  <th scope="row">{r.label}</th>
                  <td class="num">{formatNumber(v.locale, r.count)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Downloads v={v} q={q} figure={figure} />
    </section>
  );
}

function ChartBlock({
  v,
  f,
  chart,
  figure,
  q,
}: {
  v: View;
  f: Figures;
  chart: Chart;
  figure: FigureKey;
  q: FilterQuery;
}) {
  return (
    <figure class="chart-block">
      <figcaption>
        <strong>{v.t(chart === 'map' ? 'reports.map.title' : `reports.fig.${figure}`)}</strong>
        <span class="hint"> {v.t(`reports.def.${figure}`)}</span>
      </figcaption>
      <div class="chart-frame">{chartNode(f, chart, v.locale)}</div>
      <Downloads v={v} q={q} figure={figure} chart={chart} />
    </figure>
  );
}

async function dashboard(req: FastifyRequest, v: View, q: FilterQuery, errors: Record<string, string>) {
  const f = await getFigures(req.ctx, q);
  const events = await getEvents(req.ctx);
  const published = await publicFiguresPublished(req.ctx.db);
  const h = f.headline;
  const n = (x: number) => formatNumber(v.locale, x);
  const own = f.scope !== 'all';
  const cards: [string, number][] = [
    ['participants', h.participants],
    ['countries', h.countries],
    ['member_states', h.memberStates],
    ['member_states_ministerial', h.memberStatesMinisterial],
    ['ministerial', h.ministerial],
    ['requests', h.requests],
    ['checked_in', h.checkedIn],
  ];
  return (
    <section class="reports-page">
      <h1>{v.t(own ? 'reports.title_own' : 'reports.title')}</h1>
      <p class="lead">{v.t('reports.as_of', { at: formatDateTime(v.locale, req.ctx.now) })}</p>
      <p>
        <a href={localePath(v.locale, '/reports/exports')}>{v.t('report_exports.link')}</a>
      </p>
      {!own && (
        <p>
          <a href={localePath(v.locale, '/reports/list-of-participants')}>{v.t('reports.lop.link')}</a>
        </p>
      )}
      {!own && (
        <PostForm
          action={localePath(v.locale, '/reports/public')}
          csrf={req.csrfToken()}
          label={v.t('reports.public.title')}
        >
          <p>{v.t(published ? 'reports.public.published' : 'reports.public.unpublished')}</p>
          <input type="hidden" name="published" value={published ? 'false' : 'true'} />
          <button type="submit">{v.t(published ? 'reports.public.withdraw' : 'reports.public.publish')}</button>
        </PostForm>
      )}
      <ErrorSummary errors={errors} />
      <form method="get" action={localePath(v.locale, '/reports')} class="filters" role="search">
        <SelectField
          name="event"
          label={v.t('reports.filter.event')}
          any={v.t('reports.filter.any_event')}
          value={q.event}
          options={events.map((e) => [e.slug, text(e.shortName, v.locale)])}
        />
        <TextField name="from" type="date" label={v.t('reports.filter.from')} value={q.from} error={errors.from} />
        <TextField name="to" type="date" label={v.t('reports.filter.to')} value={q.to} error={errors.to} />
        <div class="field">
          <button type="submit">{v.t('reports.filter.apply')}</button>
        </div>
      </form>
      <h2>{v.t('reports.headline')}</h2>
      <dl class="cards headline-figures">
        {cards.map(([k, x]) => (
          <div class="card" data-figure={k}>
            <dt>{v.t(`reports.h.${k}`)}</dt>
            <dd class="big">{n(x)}</dd>
            <dd class="hint">{v.t(`reports.hdef.${k}`)}</dd>
          </div>
        ))}
      </dl>
      <h2>{v.t('reports.charts')}</h2>
      <ChartBlock v={v} f={f} chart="map" figure="byCountry" q={q} />
      <ChartBlock v={v} f={f} chart="regions" figure="byItudRegion" q={q} />
      <ChartBlock v={v} f={f} chart="functions" figure="byFunction" q={q} />
      <ChartBlock v={v} f={f} chart="registrations" figure="registrationsPerDay" q={q} />
      <h2>{v.t('reports.tables')}</h2>
      {FIGURE_KEYS.map((k) => (
        <FigureTable v={v} f={f} figure={k} q={q} />
      ))}
      <section class="figure" aria-labelledby="fig-speaking">
        <h3 id="fig-speaking">{v.t('reports.fig.speaking')}</h3>
        <p class="hint">{v.t('reports.def.speaking')}</p>
        <div class="table-scroll">
          <table class="data">
            <thead>
              <tr>
                <th scope="col">{v.t('reports.col.kind')}</th>
                <th scope="col">{v.t('reports.col.state')}</th>
                <th scope="col">{v.t('reports.col.count')}</th>
              </tr>
            </thead>
            <tbody>
              {f.speaking.map((s) => (
                <tr>
                  <td>{v.t(`speaking.kind.${s.kind}`)}</td>
                  <td>{v.t(`speaking.state.${s.state}`)}</td>
                  <td class="num">{n(s.count)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </section>
  );
}

/** The filter from the query string; invalid fields are reported and left out. */
function readFilter(req: FastifyRequest): { q: FilterQuery; errors: Record<string, string> } {
  const raw = req.query as Record<string, unknown>;
  const parsed = parseForm(FilterQuery, raw, req.locale);
  if (parsed.ok) return { q: parsed.data, errors: {} };
  const clean = { ...raw };
  for (const k of Object.keys(parsed.errors)) delete clean[k];
  const again = FilterQuery.safeParse(clean);
  return { q: again.success ? again.data : {}, errors: parsed.errors };
}

export async function reportsPages(app: FastifyInstance) {
  await app.register(async (scoped) => {
    await requireLocalePrefix(scoped);
    const r = scoped.withTypeProvider<ZodTypeProvider>();
    const config = { permission: 'reports.delegation' as const };

    r.get('/:lc/reports', { config, schema: { hide: true, params: LcParams } }, (req, reply) =>
      sendPrivatePage(req, reply, async (v) => {
        const { q, errors } = readFilter(req);
        return { title: v.t('reports.title'), body: await dashboard(req, v, q, errors) };
      }),
    );

    r.post(
      '/:lc/reports/public',
      { config: { permission: 'reports.view' }, schema: { hide: true, params: LcParams } },
      async (req, reply) => {
        const body = (req.body ?? {}) as Record<string, unknown>;
        await setPublicFigures(req.ctx as typeof req.ctx & { db: Db }, body.published === 'true');
        return reply.redirect(localePath(req.locale, '/reports'), 303);
      },
    );

    r.get(
      '/:lc/reports/figures/:figure',
      {
        config,
        schema: { hide: true, params: LcParams.merge(FigureParam), querystring: FilterQuery.merge(DataFormat) },
      },
      async (req, reply) => {
        const { format, ...q } = req.query;
        const f = await getFigures(req.ctx, q);
        return sendExport(reply, format, `figures-${req.params.figure}`, figureTable(f, req.params.figure, req.locale));
      },
    );

    r.get(
      '/:lc/reports/charts/:chart',
      {
        config,
        schema: { hide: true, params: LcParams.merge(ChartParam), querystring: FilterQuery.merge(ChartFormat) },
      },
      async (req, reply) => {
        const { format, ...q } = req.query;
        const f = await getFigures(req.ctx, q);
        reply.header('cache-control', 'private, no-store').header('x-content-type-options', 'nosniff');
        reply.header('content-disposition', `attachment; filename="${req.params.chart}.${format}"`);
        if (format === 'png') return reply.type('image/png').send(await chartPng(f, req.params.chart, req.locale));
        return reply.type('image/svg+xml; charset=utf-8').send(chartSvg(f, req.params.chart, req.locale));
      },
    );
  });
}
