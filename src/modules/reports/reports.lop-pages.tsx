/**
 * The List of Participants for the secretariat. "Make the list" (event or the week, edition, language) queues the
 * worker's job and leads to the edition's page, which shows rows done of total and reloads itself without script
 * (a small script, `/assets/lop-edition.js`; without script a link reloads it) while the job runs, then offers the PDF and the XLSX. The editions made are listed,
 * one per event × language × provisional/final, with their date. A small screen sets the order of the entity kinds
 * after the Member States.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { contentDisposition } from '../../platform/export/index.js';
import { DomainError } from '../../platform/errors.js';
import { parseForm } from '../../platform/http/forms.js';
import { formatDateTime, formatDay, formatNumber } from '../../platform/i18n/format.js';
import { ENDONYMS, isLocale, LOCALES } from '../../platform/i18n/locales.js';
import { text } from '../../platform/i18n/localized.js';
import { translator } from '../../platform/i18n/messages.js';
import { type FieldErrors, Notice, PostForm, SelectField } from '../../platform/ui/forms.js';
import { localePath } from '../../platform/ui/layout.js';
import { requireLocalePrefix } from '../../platform/ui/locale-routes.js';
import { sendPrivatePage, type View } from '../../platform/ui/page.js';
import { ENTITY_KINDS } from '../entities/index.js';
import { getEvents } from '../events/index.js';
import { lopKindOrder, setLopKindOrder } from './reports.lop.js';
import {
  getLopEdition,
  listLopEditions,
  type LopEdition,
  lopEditionFile,
  requestLopEdition,
} from './reports.lop-editions.js';

const LcParams = z.object({ lc: z.string() });
const EditionParams = LcParams.extend({ id: z.coerce.number().int().positive().max(2_147_483_647) });
const FileParams = EditionParams.extend({ file: z.enum(['list.pdf', 'list.xlsx']) });

export const LopRequest = z.object({
  event: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z
      .string()
      .regex(/^[a-z0-9-]{1,80}$/)
      .optional(),
  ),
  edition: z.enum(['provisional', 'final']).default('provisional'),
  lang: z.enum(LOCALES),
});

/** Seconds between two reloads of a running edition's page. */
const REFRESH_S = 3;

const wctx = (req: FastifyRequest) => req.ctx as typeof req.ctx & { db: Db };
const isRunning = (e: LopEdition) => e.state === 'queued' || e.state === 'running';

export async function lopPages(app: FastifyInstance) {
  await app.register(async (scoped) => {
    await requireLocalePrefix(scoped);
    const r = scoped.withTypeProvider<ZodTypeProvider>();
    const config = { permission: 'reports.view' as const };
    const editionPath = (v: View, id: number) => localePath(v.locale, `/reports/list-of-participants/editions/${id}`);

    const eventNames = async (req: FastifyRequest, v: View) =>
      new Map((await getEvents(req.ctx)).map((e) => [e.slug, text(e.shortName, v.locale)]));
    const scopeName = (v: View, names: Map<string, string>, scope: string) =>
      scope === 'week' ? v.t('reports.lop.week_option') : (names.get(scope) ?? scope);
    const langName = (l: string) => (isLocale(l) ? ENDONYMS[l] : l);

    function Progress({ v, e }: { v: View; e: LopEdition }) {
      return (
        <span class="lop-progress">
          {isRunning(e) && (
            <progress max={Math.max(e.total, 1)} value={e.done} aria-label={v.t('reports.lop.progress')} />
          )}{' '}
          <span class="lop-state">{v.t(`reports.lop.state.${e.state}`)}</span>
          {isRunning(e) && e.total > 0 && (
            <span class="lop-count">
              {' '}
              {v.t('reports.lop.rows', {
                done: formatNumber(v.locale, e.done),
                total: formatNumber(v.locale, e.total),
              })}
            </span>
          )}
        </span>
      );
    }

    function Files({ v, e }: { v: View; e: LopEdition }) {
      if (!e.hasPdf) return null;
      const base = `${editionPath(v, e.id)}/list`;
      return (
        <span class="lop-files">
          <a class="lop-pdf" href={`${base}.pdf`}>
            PDF
          </a>{' '}
          ·{' '}
          <a class="lop-xlsx" href={`${base}.xlsx`}>
            XLSX
          </a>
        </span>
      );
    }

    const listPage = async (
      req: FastifyRequest,
      v: View,
      values: Record<string, string> = {},
      errors: FieldErrors = {},
    ) => {
      const [events, editions] = await Promise.all([getEvents(req.ctx), listLopEditions(req.ctx)]);
      const names = new Map(events.map((e) => [e.slug, text(e.shortName, v.locale)]));
      return (
        <section>
          <h1>{v.t('reports.lop.title')}</h1>
          <p class="lead">{v.t('reports.lop.lead')}</p>
          <p class="hint">{v.t('reports.lop.made_by_worker')}</p>
          <PostForm
            action={localePath(v.locale, '/reports/list-of-participants')}
            csrf={req.csrfToken()}
            errors={errors}
            class="filters"
            label={v.t('reports.lop.make')}
          >
            <SelectField
              name="event"
              label={v.t('reports.filter.event')}
              any={v.t('reports.lop.week_option')}
              value={values.event}
              error={errors.event}
              options={events.map((e) => [e.slug, text(e.shortName, v.locale)])}
            />
            <SelectField
              name="edition"
              label={v.t('reports.lop.edition')}
              value={values.edition}
              error={errors.edition}
              options={[
                ['provisional', v.t('reports.lop.provisional')],
                ['final', v.t('reports.lop.final')],
              ]}
            />
            <SelectField
              name="lang"
              label={v.t('reports.lop.language')}
              value={values.lang ?? v.locale}
              error={errors.lang}
              options={LOCALES.map((l) => [l, ENDONYMS[l]])}
            />
            <div class="field">
              <button type="submit">{v.t('reports.lop.make')}</button>
            </div>
          </PostForm>
          <p>
            <a href={localePath(v.locale, '/reports/list-of-participants/order')}>{v.t('reports.lop.order.link')}</a>
          </p>
          <h2>{v.t('reports.lop.editions')}</h2>
          {editions.length === 0 ? (
            <p>{v.t('reports.lop.no_editions')}</p>
          ) : (
            <div class="table-scroll">
              <table class="data lop-editions">
                <thead>
                  <tr>
                    <th scope="col">{v.t('reports.filter.event')}</th>
                    <th scope="col">{v.t('reports.lop.language')}</th>
                    <th scope="col">{v.t('reports.lop.edition')}</th>
                    <th scope="col">{v.t('reports.lop.dated')}</th>
                    <th scope="col">{v.t('reports.lop.progress')}</th>
                    <th scope="col">{v.t('reports.lop.files')}</th>
                  </tr>
                </thead>
                <tbody>
                  {editions.map((e) => (
                    <tr data-edition={e.id} data-state={e.state}>
                      <th scope="row">
                        <a href={editionPath(v, e.id)}>{scopeName(v, names, e.scope)}</a>
                      </th>
                      <td lang={e.locale}>{langName(e.locale)}</td>
                      <td>{v.t(`reports.lop.${e.edition}`)}</td>
                      <td>{e.dated ? formatDay(v.locale, e.dated, 'short') : '—'}</td>
                      <td>
                        <Progress v={v} e={e} />
                      </td>
                      <td>
                        <Files v={v} e={e} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      );
    };

    r.get('/:lc/reports/list-of-participants', { config, schema: { hide: true, params: LcParams } }, (req, reply) =>
      sendPrivatePage(req, reply, async (v) => ({ title: v.t('reports.lop.title'), body: await listPage(req, v) })),
    );

    r.post(
      '/:lc/reports/list-of-participants',
      { config, schema: { hide: true, params: LcParams } },
      async (req, reply) => {
        const form = parseForm(LopRequest, req.body, req.locale);
        const fail = (errors: FieldErrors, status = 400) =>
          sendPrivatePage(req, reply, async (v) => ({
            title: v.t('reports.lop.title'),
            status,
            body: await listPage(req, v, form.values, errors),
          }));
        if (!form.ok) return fail(form.errors);
        try {
          const { event, edition, lang } = form.data;
          const made = await requestLopEdition(wctx(req), { event, edition, locale: lang });
          const q = made.started ? '' : '?already=1';
          return reply.redirect(
            localePath(req.locale, `/reports/list-of-participants/editions/${made.edition.id}${q}`),
            303,
          );
        } catch (e) {
          if (!(e instanceof DomainError)) throw e;
          const field = e.code === 'event_not_found' ? 'event' : '_';
          return fail({ [field]: translator(req.locale)(`errors.${e.code}`, e.params) }, e.status);
        }
      },
    );

    r.get(
      '/:lc/reports/list-of-participants/editions/:id',
      {
        config,
        schema: { hide: true, params: EditionParams, querystring: z.object({ already: z.string().optional() }) },
      },
      (req, reply) =>
        sendPrivatePage(req, reply, async (v) => {
          const e = await getLopEdition(req.ctx, req.params.id);
          const names = await eventNames(req, v);
          const title = `${v.t('reports.lop.title')} — ${scopeName(v, names, e.scope)}`;
          return {
            title,
            scripts: isRunning(e) ? ['/assets/lop-edition.js'] : undefined,
            body: (
              <section class="lop-edition" data-state={e.state} data-reload={String(REFRESH_S)}>
                <h1>{title}</h1>
                {req.query.already && isRunning(e) && <Notice kind="ok">{v.t('reports.lop.already')}</Notice>}
                <dl class="facts">
                  <dt>{v.t('reports.lop.language')}</dt>
                  <dd lang={e.locale}>{langName(e.locale)}</dd>
                  <dt>{v.t('reports.lop.edition')}</dt>
                  <dd>{v.t(`reports.lop.${e.edition}`)}</dd>
                  <dt>{v.t('reports.lop.requested')}</dt>
                  <dd>{formatDateTime(v.locale, e.requestedAt)}</dd>
                  <dt>{v.t('reports.lop.progress')}</dt>
                  <dd>
                    <Progress v={v} e={e} />
                  </dd>
                </dl>
                {isRunning(e) && (
                  <p class="hint">
                    {v.t('reports.lop.reloads', { s: String(REFRESH_S) })}{' '}
                    <a href={localePath(v.locale, `/reports/list-of-participants/editions/${e.id}`)}>
                      {v.t('reports.lop.reload_now')}
                    </a>
                  </p>
                )}
                {e.state === 'failed' && <Notice kind="error">{v.t('reports.lop.failed')}</Notice>}
                {e.hasPdf && e.dated && (
                  <p class="lop-download">
                    {e.state === 'done'
                      ? v.t('reports.lop.ready', {
                          date: formatDay(v.locale, e.dated),
                          n: formatNumber(v.locale, e.total),
                        })
                      : v.t('reports.lop.previous', { date: formatDay(v.locale, e.dated) })}{' '}
                    <Files v={v} e={e} />
                  </p>
                )}
                <p>
                  <a href={localePath(v.locale, '/reports/list-of-participants')}>{v.t('reports.lop.back')}</a>
                </p>
              </section>
            ),
          };
        }),
    );

    r.get(
      '/:lc/reports/list-of-participants/editions/:id/:file',
      { config, schema: { hide: true, params: FileParams } },
      async (req, reply) => {
        const format = req.params.file === 'list.pdf' ? 'pdf' : 'xlsx';
        const { file, name } = await lopEditionFile(req.ctx, req.params.id, format);
        return reply
          .type(
            format === 'pdf' ? 'application/pdf' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          )
          .header('cache-control', 'private, no-store')
          .header('x-content-type-options', 'nosniff')
          .header('content-disposition', contentDisposition(name))
          .send(file);
      },
    );

    // The order of the kinds of entity after the Member States: one button moves a kind up or down, saved at once.
    const orderPage = async (req: FastifyRequest, v: View, notice?: string, error?: string) => {
      const order = await lopKindOrder(req.ctx.db);
      const others = order.filter((k) => k !== 'member_state');
      return (
        <section class="narrow lop-order">
          <h1>{v.t('reports.lop.order.title')}</h1>
          <p class="lead">{v.t('reports.lop.order.lead')}</p>
          {notice && <Notice kind="ok">{notice}</Notice>}
          <PostForm
            action={localePath(v.locale, '/reports/list-of-participants/order')}
            csrf={req.csrfToken()}
            error={error}
            label={v.t('reports.lop.order.title')}
          >
            <ol class="plain stack kind-order">
              <li data-kind="member_state">
                <strong>{v.t('entities.kind.member_state')}</strong> — {v.t('reports.lop.order.first')}
              </li>
              {others.map((k, i) => (
                <li data-kind={k}>
                  <input type="hidden" name="order" value={k} />
                  <span>{v.t(`entities.kind.${k}`)}</span>{' '}
                  <span class="actions">
                    <button
                      type="submit"
                      name="up"
                      value={k}
                      class="secondary"
                      disabled={i === 0}
                      aria-label={v.t('reports.lop.order.up_label', { kind: v.t(`entities.kind.${k}`) })}
                    >
                      {v.t('reports.lop.order.up')}
                    </button>
                    <button
                      type="submit"
                      name="down"
                      value={k}
                      class="secondary"
                      disabled={i === others.length - 1}
                      aria-label={v.t('reports.lop.order.down_label', { kind: v.t(`entities.kind.${k}`) })}
                    >
                      {v.t('reports.lop.order.down')}
                    </button>
                  </span>
                </li>
              ))}
            </ol>
          </PostForm>
          <p>
            <a href={localePath(v.locale, '/reports/list-of-participants')}>{v.t('reports.lop.back')}</a>
          </p>
        </section>
      );
    };

    r.get(
      '/:lc/reports/list-of-participants/order',
      { config, schema: { hide: true, params: LcParams, querystring: z.object({ done: z.string().optional() }) } },
      (req, reply) =>
        sendPrivatePage(req, reply, async (v) => ({
          title: v.t('reports.lop.order.title'),
          body: await orderPage(req, v, req.query.done ? v.t('reports.lop.order.saved') : undefined),
        })),
    );

    const Kind = z.enum(ENTITY_KINDS);
    const OrderForm = z.object({
      order: z.preprocess((x) => (Array.isArray(x) ? x : x == null ? [] : [x]), z.array(Kind)),
      up: Kind.optional(),
      down: Kind.optional(),
    });
    r.post(
      '/:lc/reports/list-of-participants/order',
      { config, schema: { hide: true, params: LcParams } },
      async (req, reply) => {
        const parsed = OrderForm.safeParse(req.body ?? {});
        const fail = () =>
          sendPrivatePage(req, reply, async (v) => ({
            title: v.t('reports.lop.order.title'),
            status: 400,
            body: await orderPage(req, v, undefined, v.t('errors.invalid_input')),
          }));
        if (!parsed.success) return fail();
        const order = [...parsed.data.order];
        const moved = parsed.data.up ?? parsed.data.down;
        const at = moved ? order.indexOf(moved) : -1;
        const to = parsed.data.up ? at - 1 : at + 1;
        if (moved && at >= 0 && to >= 0 && to < order.length) [order[at], order[to]] = [order[to], order[at]];
        try {
          await setLopKindOrder(wctx(req), order);
        } catch (e) {
          if (e instanceof DomainError && e.code === 'invalid_input') return fail();
          throw e;
        }
        return reply.redirect(localePath(req.locale, '/reports/list-of-participants/order?done=1'), 303);
      },
    );
  });
}
