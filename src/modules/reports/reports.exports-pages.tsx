/**
 * The Exports page (`/{lc}/reports/exports`): the five lists, each with the filters that make sense for it, a preview
 * of its first rows (keyset pages) and its downloads as CSV and XLSX (streamed through the export writer). The
 * secretariat sees every entity; a focal point the same page for their own delegation. Plain GET forms, no script.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DomainError } from '../../platform/errors.js';
import { sendExport } from '../../platform/export/index.js';
import { parseForm } from '../../platform/http/forms.js';
import { countryOptions } from '../../platform/i18n/countries.js';
import { text } from '../../platform/i18n/localized.js';
import { KeysetPager } from '../../platform/ui/bulk-table.js';
import { ErrorSummary, SelectField, TextField } from '../../platform/ui/forms.js';
import { localePath } from '../../platform/ui/layout.js';
import { requireLocalePrefix } from '../../platform/ui/locale-routes.js';
import { sendPrivatePage, type View } from '../../platform/ui/page.js';
import { entityName, ITU_REGIONS, listEntities } from '../entities/index.js';
import { getEvents } from '../events/index.js';
import { apiPath, listQuerySchema } from './reports.exports-api.js';
import {
  LIST_FILTERS,
  LISTS,
  type ListKey,
  type ListQuery,
  listPage,
  listTable,
  MODES,
  statesOf,
} from './reports.exports.js';
import { reportScope } from './reports.scope.js';

const LcParams = z.object({ lc: z.string() });
const ListParams = LcParams.extend({ list: z.enum(LISTS) });
const PREVIEW = 25;

/** The columns the preview shows (the files hold them all). */
const PREVIEW_COLUMNS: Record<ListKey, string[]> = {
  participants: ['name', 'name_latin', 'organisation', 'nationality', 'events', 'mode'],
  registrations: ['name', 'organisation', 'event', 'state', 'mode', 'submitted_at'],
  delegations: ['organisation', 'event', 'head_of_delegation', 'approved', 'pending', 'in_person'],
  speaking: ['organisation', 'kind', 'state', 'name', 'rank', 'submitted_at'],
  arrivals: ['scanned_at', 'checkpoint', 'name', 'organisation', 'nationality', 'mode'],
};

/** A query string of the filters (and extras), without empty values. */
function qs(q: Record<string, unknown>, extra: Record<string, string> = {}) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...q, ...extra })) if (v != null && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}

/** The list's filters from the query string; fields that do not read are said and left out. */
function readFilter(req: FastifyRequest, list: ListKey): { q: ListQuery; errors: Record<string, string> } {
  const schema = listQuerySchema(list);
  const raw = { ...(req.query as Record<string, unknown>) };
  const parsed = parseForm(schema, raw, req.locale);
  if (parsed.ok) return { q: parsed.data as ListQuery, errors: {} };
  for (const k of Object.keys(parsed.errors)) delete raw[k];
  const again = schema.safeParse(raw);
  return { q: (again.success ? again.data : {}) as ListQuery, errors: parsed.errors };
}

function ListNav({ v, current }: { v: View; current?: ListKey }) {
  return (
    <nav class="export-lists" aria-label={v.t('report_exports.lists')}>
      <ul>
        {LISTS.map((l) => (
          <li>
            <a href={localePath(v.locale, `/reports/exports/${l}`)} aria-current={l === current ? 'page' : undefined}>
              {v.t(`report_exports.list.${l}`)}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

async function entityOptions(req: FastifyRequest, v: View): Promise<[string, string][]> {
  const scope = reportScope(req.ctx);
  const all = await listEntities({ ...req.ctx, locale: v.locale });
  return all
    .filter((e) => scope === 'all' || scope.entityIds.includes(e.id))
    .map((e) => [String(e.id), entityName(e, v.locale)]);
}

async function listView(req: FastifyRequest, v: View, list: ListKey) {
  const { q, errors } = readFilter(req, list);
  const after =
    typeof (req.query as Record<string, unknown>).after === 'string'
      ? (req.query as { after: string }).after
      : undefined;
  const own = reportScope(req.ctx) !== 'all';
  const [page, events, entities] = await Promise.all([
    listPage(req.ctx, list, q, { after, limit: PREVIEW, locale: v.locale, dates: 'sheet' }),
    getEvents(req.ctx),
    entityOptions(req, v),
  ]);
  const has = (k: string) => (LIST_FILTERS[list] as readonly string[]).includes(k);
  const t = v.t;
  const filters = q as Record<string, unknown>;
  const base = localePath(v.locale, `/reports/exports/${list}`);
  const cols = PREVIEW_COLUMNS[list];
  return (
    <section class="reports-page exports-page">
      <p class="meta">
        <a href={localePath(v.locale, '/reports')}>{t(own ? 'reports.title_own' : 'reports.title')}</a>
        {' › '}
        <a href={localePath(v.locale, '/reports/exports')}>{t('report_exports.title')}</a>
      </p>
      <h1>{t(`report_exports.list.${list}`)}</h1>
      <p class="lead">{t(`report_exports.about.${list}`)}</p>
      {own && <p class="hint">{t('report_exports.own_only')}</p>}
      <ListNav v={v} current={list} />
      <ErrorSummary errors={errors} />
      <form method="get" action={base} class="filters" role="search">
        {has('event') && (
          <SelectField
            name="event"
            label={t('reports.filter.event')}
            any={t('reports.filter.any_event')}
            value={q.event}
            options={events.map((e) => [e.slug, text(e.shortName, v.locale)])}
          />
        )}
        {has('state') && (
          <SelectField
            name="state"
            label={t('report_exports.filter.state')}
            any={list === 'participants' ? t('report_exports.filter.approved_default') : t('report_exports.filter.any')}
            value={q.state}
            options={statesOf(list).map((s) => [
              s,
              t(list === 'speaking' ? `speaking.state.${s}` : `registration.state.${s}`),
            ])}
          />
        )}
        {has('mode') && (
          <SelectField
            name="mode"
            label={t('report_exports.filter.mode')}
            any={t('report_exports.filter.any')}
            value={q.mode}
            options={MODES.map((m) => [m, t(`registration.mode.${m}`)])}
          />
        )}
        {has('nationality') && (
          <SelectField
            name="nationality"
            label={t(
              list === 'speaking' || list === 'delegations'
                ? 'report_exports.filter.country'
                : 'report_exports.filter.nationality',
            )}
            any={t('report_exports.filter.any')}
            value={q.nationality}
            options={countryOptions(v.locale)}
          />
        )}
        {has('entity') && (
          <SelectField
            name="entity"
            label={t('report_exports.filter.entity')}
            any={t(own ? 'report_exports.filter.any_own' : 'report_exports.filter.any')}
            value={q.entity != null ? String(q.entity) : undefined}
            options={entities}
            error={errors.entity}
          />
        )}
        {has('region') && (
          <SelectField
            name="region"
            label={t('report_exports.filter.region')}
            any={t('report_exports.filter.any')}
            value={q.region}
            options={ITU_REGIONS.map((r) => [r, t(`entities.itu_region.${r}`)])}
          />
        )}
        <TextField
          name="from"
          type="date"
          label={t(`report_exports.filter.from_${list === 'arrivals' ? 'arrived' : 'submitted'}`)}
          value={q.from}
          error={errors.from}
        />
        <TextField
          name="to"
          type="date"
          label={t(`report_exports.filter.to_${list === 'arrivals' ? 'arrived' : 'submitted'}`)}
          value={q.to}
          error={errors.to}
        />
        <div class="field">
          <button type="submit">{t('reports.filter.apply')}</button>
        </div>
      </form>
      <h2>{t('report_exports.download')}</h2>
      <p class="actions downloads">
        <a class="button" href={`${base}/download${qs(filters, { format: 'csv' })}`} download>
          {t('report_exports.csv')}
        </a>
        <a class="button" href={`${base}/download${qs(filters, { format: 'xlsx' })}`} download>
          {t('report_exports.xlsx')}
        </a>
      </p>
      <p class="hint">{t('report_exports.download_hint')}</p>
      <p class="hint">
        {t('report_exports.api')} <code dir="ltr">{`GET ${apiPath(list)}${qs(filters)}`}</code>
      </p>
      <h2>{t('report_exports.preview')}</h2>
      {page.items.length === 0 ? (
        <p>{t('report_exports.none')}</p>
      ) : (
        <div class="table-scroll">
          <table class="data" data-list={list}>
            <thead>
              <tr>
                {cols.map((c) => (
                  <th scope="col">{t(`report_exports.col.${c}`)}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {page.items.map((row) => (
                <tr>
                  {cols.map((c) => (
                    <td class={typeof row[c] === 'number' ? 'num' : undefined}>
                      <bdi>{String(row[c] ?? '')}</bdi>
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <KeysetPager
        t={t}
        size={PREVIEW}
        first={after ? `${base}${qs(filters)}` : undefined}
        next={page.next ? `${base}${qs(filters, { after: page.next })}` : null}
      />
    </section>
  );
}

export async function reportsExportsPages(app: FastifyInstance) {
  await app.register(async (scoped) => {
    await requireLocalePrefix(scoped);
    const r = scoped.withTypeProvider<ZodTypeProvider>();
    const config = { permission: 'reports.delegation' as const };

    r.get('/:lc/reports/exports', { config, schema: { hide: true, params: LcParams } }, (req, reply) =>
      sendPrivatePage(req, reply, async (v) => {
        const own = reportScope(req.ctx) !== 'all';
        return {
          title: v.t('report_exports.title'),
          body: (
            <section class="reports-page exports-page">
              <p class="meta">
                <a href={localePath(v.locale, '/reports')}>{v.t(own ? 'reports.title_own' : 'reports.title')}</a>
              </p>
              <h1>{v.t('report_exports.title')}</h1>
              <p class="lead">{v.t('report_exports.lead')}</p>
              {own && <p class="hint">{v.t('report_exports.own_only')}</p>}
              <dl class="export-index">
                {LISTS.map((l) => (
                  <div>
                    <dt>
                      <a href={localePath(v.locale, `/reports/exports/${l}`)}>{v.t(`report_exports.list.${l}`)}</a>
                    </dt>
                    <dd>{v.t(`report_exports.about.${l}`)}</dd>
                  </div>
                ))}
              </dl>
            </section>
          ),
        };
      }),
    );

    r.get('/:lc/reports/exports/:list', { config, schema: { hide: true, params: ListParams } }, (req, reply) =>
      sendPrivatePage(req, reply, async (v) => ({
        title: v.t(`report_exports.list.${req.params.list}`),
        body: await listView(req, v, req.params.list),
      })),
    );

    r.get(
      '/:lc/reports/exports/:list/download',
      { config, schema: { hide: true, params: ListParams } },
      async (req, reply) => {
        const list = req.params.list;
        const raw = req.query as Record<string, unknown>;
        const format = raw.format === 'xlsx' ? 'xlsx' : 'csv';
        const { format: _f, after: _a, ...rest } = raw;
        const parsed = listQuerySchema(list).safeParse(rest);
        if (!parsed.success) throw new DomainError('invalid_query', 400);
        const q = parsed.data as ListQuery;
        const table = await listTable(req.ctx, list, q, { locale: req.locale });
        return sendExport(reply, format, `${list}${q.event ? `-${q.event}` : ''}`, table);
      },
    );
  });
}
