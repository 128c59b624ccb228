/**
 * The focal point's desk: one row per person (photo, nationality, name, title, organisation, the events asked for and
 * their states), search and filters, select-all and bulk decisions that work without JavaScript, pages of 50; and the
 * delegation view per event with its CSV/XLSX export. The secretariat's reviewers use the same desk for every entity.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { DomainError } from '../../platform/errors.js';
import { sendExport } from '../../platform/export/index.js';
import { parseForm } from '../../platform/http/forms.js';
import { countryName, countryOptions } from '../../platform/i18n/countries.js';
import { text } from '../../platform/i18n/localized.js';
import type { Locale } from '../../platform/i18n/locales.js';
import { fullName, honorificLabel, latinName } from '../../platform/i18n/names.js';
import { can, personOf } from '../../platform/permissions.js';
import { BulkTable, KeysetPager } from '../../platform/ui/bulk-table.js';
import { Notice, SelectField, TextField } from '../../platform/ui/forms.js';
import { localePath } from '../../platform/ui/layout.js';
import { requireLocalePrefix } from '../../platform/ui/locale-routes.js';
import { sendPrivatePage, type View } from '../../platform/ui/page.js';
import { PersonNameView } from '../../platform/ui/person-name.js';
import { listPendingAffiliations } from '../accounts/index.js';
import { entities } from '../entities/index.js';
import { getEvents } from '../events/index.js';
import { type DelegationColumn, loadDelegationColumns } from './registration.delegation-columns.js';
import { BulkDecisionInput } from './registration.input.js';
import { FUNCTIONS } from './registration.options.js';
import { confirmReject, REGISTRABLE } from './registration.pages.js';
import { personPhotos } from './registration.schema.js';
import { parseQueueCursor } from './registration.queries.js';
import * as svc from './registration.service.js';
import { REGISTRATION_STATES, type RegistrationState } from './registration.state.js';

const LcParams = z.object({ lc: z.string() });
const wctx = (req: FastifyRequest) => req.ctx as typeof req.ctx & { db: Db };
/** Rows per page. */
export const DESK_PAGE = 50;

const opt = <T extends z.ZodTypeAny>(s: T) => s.optional().or(z.literal('').transform(() => undefined));
const DeskQuery = z.object({
  q: opt(z.string().max(100)),
  event: opt(z.string().max(80)),
  function: opt(z.string().max(100)),
  state: opt(z.enum(REGISTRATION_STATES)),
  mode: opt(z.enum(['in_person', 'remote'])),
  nationality: opt(z.string().regex(/^[A-Z]{2}$/)),
  entity: opt(z.coerce.number().int().positive()),
  after: opt(z.string().max(200)),
  select: opt(z.literal('all')),
  done: opt(z.string().regex(/^\d{1,4}$/)),
  failed: opt(z.string().regex(/^\d{1,4}$/)),
  error: opt(z.string().regex(/^[a-z_]{1,60}$/)),
});
type DeskQuery = z.infer<typeof DeskQuery>;
const FILTER_KEYS = ['q', 'event', 'function', 'state', 'mode', 'nationality', 'entity'] as const;

/** The desk's URL with the given filters (empty ones dropped). */
function deskUrl(locale: Locale, query: Partial<Record<string, string | undefined>>, path = '/focal-point') {
  const qs = new URLSearchParams(Object.entries(query).filter((e): e is [string, string] => !!e[1]));
  const s = qs.toString();
  return localePath(locale, s ? `${path}?${s}` : path);
}
const filtersOf = (query: DeskQuery) =>
  Object.fromEntries(FILTER_KEYS.map((k) => [k, query[k] == null ? undefined : String(query[k])]));

const functionLabel = (v: View, fn: string) =>
  (FUNCTIONS as readonly string[]).includes(fn) ? v.t(`registration.function.${fn}`) : fn;

async function entityNames(db: Db, ids: (number | null)[], locale: Locale) {
  const wanted = [...new Set(ids.filter((x): x is number => x != null))];
  const rows = wanted.length ? await db.select().from(entities).where(inArray(entities.id, wanted)) : [];
  return new Map(rows.map((e) => [e.id, text(e.name, locale)]));
}

async function withPhotos(db: Db, personIds: string[]) {
  const rows = personIds.length
    ? await db.select({ id: personPhotos.personId }).from(personPhotos).where(inArray(personPhotos.personId, personIds))
    : [];
  return new Set(rows.map((r) => r.id));
}

/** Where a bulk decision goes back to: the desk with the same filters (only a path of the desk is accepted). */
function backTo(locale: Locale, back: unknown, extra: Record<string, string>) {
  const path = typeof back === 'string' && back.startsWith(`/${locale}/focal-point`) ? back : `/${locale}/focal-point`;
  const u = new URL(path, 'http://x');
  for (const k of ['done', 'failed', 'error', 'select', 'after']) u.searchParams.delete(k);
  for (const [k, v] of Object.entries(extra)) u.searchParams.set(k, v);
  return `${u.pathname}${u.search}`;
}

export async function registrationDeskPages(
  app: FastifyInstance,
  opts: { delegationColumns?: readonly DelegationColumn[] } = {},
) {
  await app.register(async (plain) => {
    const r = plain.withTypeProvider<ZodTypeProvider>();
    await requireLocalePrefix(plain);
    const decide = { permission: 'registration.decide' as const };

    r.get(
      '/:lc/focal-point',
      { config: decide, schema: { hide: true, params: LcParams, querystring: DeskQuery } },
      (req, reply) =>
        sendPrivatePage(req, reply, async (v) => {
          const query = req.query;
          const events = (await getEvents(req.ctx)).filter((e) => REGISTRABLE.has(e.kind));
          const event = query.event ? events.find((e) => e.slug === query.event) : undefined;
          if (query.event && !event) throw new DomainError('event_not_found', 404, { slug: query.event });
          const after = query.after ? parseQueueCursor(query.after) : undefined;
          if (query.after && !after) throw new DomainError('invalid_query', 400);
          const page = await svc.deskQueue(req.ctx, {
            search: query.q,
            eventId: event?.id,
            function: query.function,
            state: query.state as RegistrationState | undefined,
            mode: query.mode,
            nationality: query.nationality,
            entityId: query.entity,
            after,
            limit: DESK_PAGE,
          });
          const reviewer = can(req.ctx.actor, 'registration.review');
          const allEntities = reviewer ? await (req.ctx.db as Db).select().from(entities) : [];
          const db = req.ctx.db as Db;
          const [orgs, photos, claims] = await Promise.all([
            entityNames(
              db,
              page.rows.map((x) => x.person.entityId),
              v.locale,
            ),
            withPhotos(
              db,
              page.rows.map((x) => x.person.id),
            ),
            // People who say they belong to the focal point's organisation, waiting for a word.
            listPendingAffiliations(req.ctx),
          ]);
          const eventName = (id: number) => text(events.find((e) => e.id === id)?.shortName, v.locale);
          const t = v.t;
          const filters = filtersOf(query);
          const pageUrl = deskUrl(v.locale, { ...filters, after: query.after });
          const dfp = req.ctx.actor.kind === 'person' && req.ctx.actor.focalPointOf.length > 0;
          return {
            title: t('registration.queue.title'),
            body: (
              <section class="desk">
                <h1>{t('registration.queue.title')}</h1>
                {query.done && (
                  <Notice kind="ok">{t('registration.queue.done_many', { count: Number(query.done) })}</Notice>
                )}
                {query.failed && Number(query.failed) > 0 && (
                  <Notice kind="error">{t('registration.desk.failed', { count: Number(query.failed) })}</Notice>
                )}
                {query.error && <Notice kind="error">{t(`errors.${query.error}`)}</Notice>}
                {claims.length > 0 && (
                  <p id="pending-affiliations">
                    <a href={localePath(v.locale, '/affiliations')}>
                      {t('accounts.affiliations.pending_count', { count: claims.length })}
                    </a>
                  </p>
                )}
                <p class="actions">
                  <a href={localePath(v.locale, '/focal-point/delegation')}>{t('registration.delegation.title')}</a>
                  {dfp && (
                    <a class="button" href={localePath(v.locale, '/focal-point/vip')}>
                      {t('registration.vip_form.title')}
                    </a>
                  )}
                  {can(req.ctx.actor, 'registration.review') && (
                    <a href={localePath(v.locale, '/secretariat/registration')}>{t('registration.office.title')}</a>
                  )}
                </p>
                <form
                  method="get"
                  action={localePath(v.locale, '/focal-point')}
                  class="filters"
                  aria-label={t('registration.queue.filters')}
                >
                  <TextField name="q" type="search" label={t('registration.desk.search')} value={query.q} />
                  <SelectField
                    name="event"
                    label={t('registration.col.event')}
                    any={t('registration.queue.all')}
                    value={query.event}
                    options={events.map((e) => [e.slug, text(e.shortName, v.locale)])}
                  />
                  <SelectField
                    name="state"
                    label={t('registration.col.state')}
                    any={t('registration.queue.awaiting')}
                    value={query.state}
                    options={REGISTRATION_STATES.map((x) => [x, t(`registration.state.${x}`)])}
                  />
                  <SelectField
                    name="function"
                    label={t('registration.col.function')}
                    any={t('registration.queue.all')}
                    value={query.function}
                    options={FUNCTIONS.map((x) => [x, t(`registration.function.${x}`)])}
                  />
                  <SelectField
                    name="mode"
                    label={t('registration.col.mode')}
                    any={t('registration.queue.all')}
                    value={query.mode}
                    options={(['in_person', 'remote'] as const).map((x) => [x, t(`registration.mode.${x}`)])}
                  />
                  <SelectField
                    name="nationality"
                    label={t('registration.desk.nationality')}
                    any={t('registration.queue.all')}
                    value={query.nationality}
                    options={countryOptions(v.locale)}
                  />
                  {reviewer && (
                    <SelectField
                      name="entity"
                      label={t('registration.delegation.entity')}
                      any={t('registration.queue.all')}
                      value={query.entity ? String(query.entity) : ''}
                      options={allEntities
                        .map((e) => [String(e.id), text(e.name, v.locale)] as [string, string])
                        .sort((a, b) => a[1].localeCompare(b[1], v.locale))}
                    />
                  )}
                  <button type="submit" class="secondary">
                    {t('registration.queue.filter')}
                  </button>
                </form>
                {page.rows.length === 0 ? (
                  <p>{t('registration.queue.none')}</p>
                ) : (
                  <BulkTable
                    t={t}
                    action={localePath(v.locale, '/focal-point/bulk')}
                    csrf={req.csrfToken()}
                    legend={t('registration.desk.bulk', { count: page.rows.length })}
                    pageUrl={pageUrl}
                    allSelected={query.select === 'all'}
                    actions={
                      <>
                        <input type="hidden" name="back" value={pageUrl} />
                        <TextField
                          name="reason"
                          label={t('registration.desk.reason')}
                          hint={t('registration.desk.reason_hint')}
                          maxLength={500}
                        />
                        <span class="actions">
                          <button type="submit" name="decision" value="approve">
                            {t('registration.queue.approve_selected')}
                          </button>
                          <button type="submit" name="decision" value="reject" class="secondary">
                            {t('registration.queue.reject_selected')}
                          </button>
                        </span>
                      </>
                    }
                    columns={[
                      t('registration.desk.photo'),
                      t('registration.col.person'),
                      t('registration.desk.nationality'),
                      t('registration.desk.title_org'),
                      t('registration.desk.events'),
                    ]}
                    rows={page.rows.map(({ person, registrations }) => ({
                      value: registrations.map((x) => x.id).join(','),
                      label: fullName(person),
                      cells: [
                        photos.has(person.id) ? (
                          <img
                            class="thumb"
                            src={`/api/v1/people/${person.id}/photo/thumb`}
                            alt={t('registration.desk.photo_of', { name: fullName(person) })}
                            width={48}
                            height={64}
                            loading="lazy"
                          />
                        ) : (
                          <span class="hint">{t('registration.desk.no_photo')}</span>
                        ),
                        <>
                          <PersonNameView p={person} locale={v.locale} />
                          <div class="hint">
                            <bdi>{person.email}</bdi>
                          </div>
                        </>,
                        person.nationality ? countryName(v.locale, person.nationality) : '',
                        <>
                          {person.jobTitle && (
                            <div>
                              <bdi>{person.jobTitle}</bdi>
                            </div>
                          )}
                          {person.entityId != null && <div class="hint">{orgs.get(person.entityId)}</div>}
                          <div class="hint">{functionLabel(v, registrations[0]?.function ?? '')}</div>
                        </>,
                        <ul class="event-states">
                          {registrations.map((x) => (
                            <li>
                              {eventName(x.eventId)} · {t(`registration.mode.${x.mode}`)} ·{' '}
                              <strong>{t(`registration.state.${x.state}`)}</strong>
                              {x.vipCategory && <> · {x.vipCategory}</>}
                            </li>
                          ))}
                        </ul>,
                      ],
                    }))}
                  />
                )}
                <KeysetPager
                  t={t}
                  size={DESK_PAGE}
                  first={query.after ? deskUrl(v.locale, filters) : undefined}
                  next={page.next ? deskUrl(v.locale, { ...filters, after: page.next }) : null}
                />
              </section>
            ),
          };
        }),
    );

    r.post(
      '/:lc/focal-point/bulk',
      { config: decide, schema: { hide: true, params: LcParams } },
      async (req, reply) => {
        const body = req.body as Record<string, unknown>;
        const ids = [body.ids ?? []]
          .flat()
          .flatMap((x) => (typeof x === 'string' ? x.split(',') : []))
          .filter(Boolean);
        const reason = typeof body.reason === 'string' && body.reason.trim() ? body.reason.trim() : undefined;
        const back = (extra: Record<string, string>) => reply.redirect(backTo(req.locale, body.back, extra), 303);
        if (!ids.length) return back({ error: 'nothing_selected' });
        // A refusal says why: the participant reads it.
        if (body.decision === 'reject' && !reason) return back({ error: 'reason_required' });
        const form = parseForm(BulkDecisionInput, { ids, decision: body.decision, reason }, req.locale);
        if (!form.ok) return back({ error: 'invalid_input' });
        // Refusing asks first: the confirmation page shows the reason the participant will read.
        if (form.data.decision === 'reject' && body.confirmed !== '1')
          return confirmReject(req, reply, '/focal-point/bulk', form.data.ids, form.data.reason);
        const results = await svc.decideBulk(wctx(req), form.data);
        const ok = results.filter((x) => x.ok).length;
        return back({ done: String(ok), ...(ok < results.length ? { failed: String(results.length - ok) } : {}) });
      },
    );

    // The delegation view: an entity's delegation to each event, head of delegation first.
    const DelegationQuery = z.object({
      event: opt(z.string().max(80)),
      entity: opt(z.coerce.number().int().positive()),
    });
    const delegationFor = async (req: FastifyRequest, query: z.infer<typeof DelegationQuery>) => {
      const events = (await getEvents(req.ctx)).filter((e) => REGISTRABLE.has(e.kind));
      const event = query.event ? events.find((e) => e.slug === query.event) : events[0];
      if (!event) throw new DomainError('event_not_found', 404, { slug: query.event ?? '' });
      const reviewer = can(req.ctx.actor, 'registration.review');
      const mine = req.ctx.actor.kind === 'person' ? [...personOf(req.ctx).focalPointOf] : [];
      const choices = reviewer
        ? await (req.ctx.db as Db).select().from(entities)
        : mine.length
          ? await (req.ctx.db as Db).select().from(entities).where(inArray(entities.id, mine))
          : [];
      const entityId = query.entity ?? mine[0];
      const rows = entityId == null ? [] : await svc.delegationOf(req.ctx, entityId, event.id);
      // The other modules' columns (badge, arrival), read for these people only.
      const extra = await loadDelegationColumns(opts.delegationColumns ?? [], req.ctx.db, {
        eventId: event.id,
        eventSlug: event.slug,
        personIds: rows.map((r) => r.person.id),
        locale: req.locale,
      });
      return { events, event, entityId, choices, rows, extra };
    };

    r.get(
      '/:lc/focal-point/delegation',
      { config: decide, schema: { hide: true, params: LcParams, querystring: DelegationQuery } },
      (req, reply) =>
        sendPrivatePage(req, reply, async (v) => {
          const d = await delegationFor(req, req.query);
          const t = v.t;
          const qs = new URLSearchParams({
            event: d.event.slug,
            ...(d.entityId ? { entity: String(d.entityId) } : {}),
          });
          return {
            title: t('registration.delegation.title'),
            body: (
              <section>
                <h1>{t('registration.delegation.title')}</h1>
                <p class="lead">{t('registration.delegation.lead')}</p>
                <form
                  method="get"
                  action={localePath(v.locale, '/focal-point/delegation')}
                  class="filters"
                  aria-label={t('registration.queue.filters')}
                >
                  <SelectField
                    name="event"
                    label={t('registration.col.event')}
                    value={d.event.slug}
                    options={d.events.map((e) => [e.slug, text(e.shortName, v.locale)])}
                  />
                  {d.choices.length > 1 && (
                    <SelectField
                      name="entity"
                      label={t('registration.delegation.entity')}
                      value={d.entityId ? String(d.entityId) : ''}
                      any={d.entityId ? undefined : t('registration.delegation.choose_entity')}
                      options={d.choices
                        .map((e) => [String(e.id), text(e.name, v.locale)] as [string, string])
                        .sort((a, b) => a[1].localeCompare(b[1], v.locale))}
                    />
                  )}
                  <button type="submit" class="secondary">
                    {t('registration.queue.filter')}
                  </button>
                </form>
                {d.rows.length === 0 ? (
                  <p>{t('registration.delegation.none')}</p>
                ) : (
                  <>
                    <p class="actions">
                      <a href={localePath(v.locale, `/focal-point/delegation.csv?${qs}`)} download>
                        {t('registration.delegation.csv')}
                      </a>
                      <a href={localePath(v.locale, `/focal-point/delegation.xlsx?${qs}`)} download>
                        {t('registration.delegation.xlsx')}
                      </a>
                    </p>
                    <table class="data stacked delegation">
                      <thead>
                        <tr>
                          <th scope="col">{t('registration.delegation.role')}</th>
                          <th scope="col">{t('registration.col.person')}</th>
                          <th scope="col">{t('registration.col.function')}</th>
                          <th scope="col">{t('registration.desk.title_org')}</th>
                          <th scope="col">{t('registration.col.mode')}</th>
                          {d.extra.map(({ column }) => (
                            <th scope="col">{column.header(v.locale)}</th>
                          ))}
                        </tr>
                      </thead>
                      <tbody>
                        {d.rows.map(({ reg, person }, i) => (
                          <tr class={i === 0 ? 'head-of-delegation' : undefined}>
                            <td data-label={t('registration.delegation.role')}>
                              {i === 0 ? (
                                <strong>{t('registration.delegation.head')}</strong>
                              ) : (
                                t('registration.delegation.member')
                              )}
                            </td>
                            <td data-label={t('registration.col.person')}>
                              <PersonNameView p={person} locale={v.locale} />
                            </td>
                            <td data-label={t('registration.col.function')}>{functionLabel(v, reg.function)}</td>
                            <td data-label={t('registration.desk.title_org')}>
                              <bdi>{person.jobTitle}</bdi>
                            </td>
                            <td data-label={t('registration.col.mode')}>{t(`registration.mode.${reg.mode}`)}</td>
                            {d.extra.map(({ column, cells }) => (
                              <td data-label={column.header(v.locale)} class={`delegation-${column.key}`}>
                                {cells.get(person.id)?.label ?? '—'}
                              </td>
                            ))}
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </>
                )}
              </section>
            ),
          };
        }),
    );

    for (const format of ['csv', 'xlsx'] as const)
      r.get(
        `/:lc/focal-point/delegation.${format}`,
        { config: decide, schema: { hide: true, params: LcParams, querystring: DelegationQuery } },
        async (req, reply: FastifyReply) => {
          const d = await delegationFor(req, req.query as z.infer<typeof DelegationQuery>);
          if (d.entityId == null) throw new DomainError('invalid_query', 400);
          const locale = req.locale;
          const orgs = await entityNames(req.ctx.db as Db, [d.entityId], locale);
          return sendExport(reply, format, `delegation-${d.event.slug}-${d.entityId}`, {
            sheet: 'Delegation',
            columns: [
              'event',
              'organisation',
              'role',
              'honorific',
              'name',
              'name_latin',
              'function',
              'job_title',
              'nationality',
              'mode',
              'state',
              'reference',
              'email',
              ...d.extra.map(({ column }) => column.key),
            ],
            rows: d.rows.map(({ reg, person }, i) => ({
              event: text(d.event.name, locale),
              organisation: orgs.get(d.entityId!) ?? '',
              role: i === 0 ? 'head_of_delegation' : 'member',
              honorific: honorificLabel(person.honorific, locale),
              name: fullName(person),
              name_latin: latinName(person),
              function: reg.function,
              job_title: person.jobTitle,
              nationality: person.nationality ?? '',
              mode: reg.mode,
              state: reg.state,
              reference: svc.registrationReference(reg.id),
              email: person.email ?? '',
              ...Object.fromEntries(
                d.extra.map(({ column, cells }) => [column.key, cells.get(person.id)?.value ?? '']),
              ),
            })),
          });
        },
      );
  });
}
