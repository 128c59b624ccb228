/**
 * The secretariat's people desk (administrators): the list of people (country, organisation, both scripts, role;
 * filters, search in either script, pages of 50, CSV/XLSX export of what the filters select), a person's full page
 * (profile, registrations, badge, scans and speaking requests from the modules' `adminPerson` contributions, role and
 * capabilities, their audit trail, actions), correcting a participant's data with a reason, and registering someone
 * on their behalf. The rules stay in the accounts and registration services; these pages present them.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { VNode } from 'preact';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { CAPABILITIES } from '../../platform/context.js';
import { can } from '../../platform/permissions.js';
import { DomainError } from '../../platform/errors.js';
import { sendExport } from '../../platform/export/index.js';
import { parseForm } from '../../platform/http/forms.js';
import { countryName, countryOptions } from '../../platform/i18n/countries.js';
import { formatDateTime } from '../../platform/i18n/format.js';
import { text } from '../../platform/i18n/localized.js';
import { ENDONYMS, LOCALES, type Locale } from '../../platform/i18n/locales.js';
import { hasMessage, translator } from '../../platform/i18n/messages.js';
import { fullName, honorificLabel, honorificOptions, latinName } from '../../platform/i18n/names.js';
import { KeysetPager } from '../../platform/ui/bulk-table.js';
import {
  ChoiceField,
  type FieldErrors,
  Notice,
  PostForm,
  SelectField,
  TextAreaField,
  TextField,
} from '../../platform/ui/forms.js';
import { localePath } from '../../platform/ui/layout.js';
import { requireLocalePrefix } from '../../platform/ui/locale-routes.js';
import { sendPrivatePage, type View } from '../../platform/ui/page.js';
import { PersonNameView } from '../../platform/ui/person-name.js';
import { accounts, mergedIntoPerson, ProfileFields, ProfileInput, RoleInput } from '../accounts/index.js';
import { entityName, listEntities } from '../entities/index.js';
import { getEvents } from '../events/index.js';
import { FUNCTIONS, OnBehalfInput, registerOnBehalf, VIP_CATEGORIES } from '../registration/index.js';
import {
  actorNames,
  allPeople,
  listPeoplePage,
  PEOPLE_PAGE,
  type PeopleFilter,
  parsePeopleCursor,
  personAuditTrail,
} from './admin.people.js';
import { listMessagesTo } from './admin.outbox.js';
import type { AdminPersonSection } from './admin.slots.js';

const LcParams = z.object({ lc: z.string() });
const PersonParams = LcParams.extend({ id: z.string().uuid() });
const wctx = (req: FastifyRequest) => req.ctx as typeof req.ctx & { db: Db };
const opt = <T extends z.ZodTypeAny>(s: T) => s.optional().or(z.literal('').transform(() => undefined));
const REGISTRABLE = new Set(['forum', 'summit', 'dialogue', 'track', 'roundtable']);

const PeopleQuery = z.object({
  q: opt(z.string().max(100)),
  role: opt(z.enum(['admin', 'staff', 'participant'])),
  entity: opt(z.coerce.number().int().positive().max(2_000_000_000)),
  nationality: opt(z.string().regex(/^[A-Z]{2}$/)),
  verified: opt(z.enum(['yes', 'no'])),
  registered: opt(z.enum(['yes', 'no'])),
  after: opt(z.string().max(600)),
});
type PeopleQuery = z.infer<typeof PeopleQuery>;
const FILTER_KEYS = ['q', 'role', 'entity', 'nationality', 'verified', 'registered'] as const;
const filtersOf = (q: PeopleQuery): Record<string, string | undefined> =>
  Object.fromEntries(FILTER_KEYS.map((k) => [k, q[k] == null ? undefined : String(q[k])]));
function listUrl(locale: Locale, query: Record<string, string | undefined>, path = '/admin/people') {
  const qs = new URLSearchParams(Object.entries(query).filter((e): e is [string, string] => !!e[1])).toString();
  return localePath(locale, qs ? `${path}?${qs}` : path);
}
const filterOf = (q: PeopleQuery): PeopleFilter => ({
  q: q.q,
  role: q.role,
  entity: q.entity,
  nationality: q.nationality,
  verified: q.verified,
  registered: q.registered,
});

const roleLabel = (v: View, role: string, capabilities: readonly string[]) =>
  `${v.t(`admin.roles.${role}`)}${capabilities.length ? ` (${capabilities.join(', ')})` : ''}`;

async function entityOptions(req: FastifyRequest, locale: Locale): Promise<[string, string][]> {
  return (await listEntities(req.ctx))
    .map((e) => [String(e.id), entityName(e, locale)] as [string, string])
    .sort((a, b) => a[1].localeCompare(b[1], locale));
}

/** A change in the audit trail, in words: "field: before → after" (the arrow follows the reading direction). */
function Changes({
  v,
  changes,
  data,
}: {
  v: View;
  changes: Record<string, [unknown, unknown]>;
  data: Record<string, unknown>;
}) {
  const show = (x: unknown) => (x == null || x === '' ? '—' : typeof x === 'object' ? JSON.stringify(x) : String(x));
  const label = (k: string) =>
    hasMessage(v.locale, `secretariat.field.${k}`) ? v.t(`secretariat.field.${k}`) : <code dir="ltr">{k}</code>;
  const arrow = v.locale === 'ar' ? '←' : '→';
  const items = Object.entries(changes);
  return (
    <>
      {items.length > 0 && (
        <ul class="plain changes">
          {items.map(([k, [a, b]]) => (
            <li>
              {label(k)}: <bdi>{show(a)}</bdi> {arrow} <bdi>{show(b)}</bdi>
            </li>
          ))}
        </ul>
      )}
      {typeof data.reason === 'string' && (
        <p class="hint">
          <bdi>{data.reason}</bdi>
        </p>
      )}
    </>
  );
}

export async function adminPeoplePages(app: FastifyInstance, opts: { sections: AdminPersonSection[] }) {
  await app.register(async (plain) => {
    const r = plain.withTypeProvider<ZodTypeProvider>();
    await requireLocalePrefix(plain);
    const manage = { permission: 'accounts.manage' as const };

    // ---------------------------------------------------------------- the list
    r.get(
      '/:lc/admin/people',
      { config: manage, schema: { hide: true, params: LcParams, querystring: PeopleQuery } },
      (req, reply) =>
        sendPrivatePage(req, reply, async (v) => {
          const query = req.query;
          const after = query.after ? parsePeopleCursor(query.after) : undefined;
          if (query.after && !after) throw new DomainError('invalid_query', 400);
          const [page, orgs] = await Promise.all([
            listPeoplePage(req.ctx, { ...filterOf(query), after }),
            entityOptions(req, v.locale),
          ]);
          const t = v.t;
          const filters = filtersOf(query);
          const cols = ['name', 'country', 'organisation', 'role', 'registrations'] as const;
          const label = (c: (typeof cols)[number]) => t(`secretariat.col.${c}`);
          return {
            title: t('admin.people'),
            body: (
              <section class="people-desk">
                <h1>{t('admin.people')}</h1>
                <p class="actions">
                  <a class="button" href={localePath(v.locale, '/admin/people/register')}>
                    {t('secretariat.on_behalf.new_person')}
                  </a>
                </p>
                <form
                  method="get"
                  action={localePath(v.locale, '/admin/people')}
                  class="filters"
                  role="search"
                  aria-label={t('secretariat.filters')}
                >
                  <TextField
                    name="q"
                    type="search"
                    label={t('admin.search')}
                    hint={t('secretariat.search_hint')}
                    value={query.q}
                    maxLength={100}
                  />
                  <SelectField
                    name="role"
                    label={t('admin.role')}
                    any={t('secretariat.any')}
                    value={query.role}
                    options={(['participant', 'staff', 'admin'] as const).map((x) => [x, t(`admin.roles.${x}`)])}
                  />
                  <SelectField
                    name="entity"
                    label={t('secretariat.col.organisation')}
                    any={t('secretariat.any')}
                    value={query.entity ? String(query.entity) : ''}
                    options={orgs}
                  />
                  <SelectField
                    name="nationality"
                    label={t('accounts.field.nationality')}
                    any={t('secretariat.any')}
                    value={query.nationality}
                    options={countryOptions(v.locale)}
                  />
                  <SelectField
                    name="verified"
                    label={t('secretariat.verified')}
                    any={t('secretariat.any')}
                    value={query.verified}
                    options={[
                      ['yes', t('secretariat.yes')],
                      ['no', t('secretariat.no')],
                    ]}
                  />
                  <SelectField
                    name="registered"
                    label={t('secretariat.registered')}
                    any={t('secretariat.any')}
                    value={query.registered}
                    options={[
                      ['yes', t('secretariat.yes')],
                      ['no', t('secretariat.no')],
                    ]}
                  />
                  <div class="form-actions">
                    <button type="submit">{t('admin.filter')}</button>
                  </div>
                </form>
                <p class="actions export-links">
                  <a href={listUrl(v.locale, { ...filters, format: 'csv' }, '/admin/people/export')} download>
                    {t('secretariat.export_csv')}
                  </a>
                  <a href={listUrl(v.locale, { ...filters, format: 'xlsx' }, '/admin/people/export')} download>
                    {t('secretariat.export_xlsx')}
                  </a>
                </p>
                {page.rows.length === 0 ? (
                  <p>{t('admin.none')}</p>
                ) : (
                  <table class="data stacked people-list">
                    <thead>
                      <tr>
                        {cols.map((c) => (
                          <th scope="col">{label(c)}</th>
                        ))}
                      </tr>
                    </thead>
                    <tbody>
                      {page.rows.map(({ person: p, entityName: org, registrations }) => (
                        <tr>
                          <td data-label={label('name')}>
                            <a href={localePath(v.locale, `/admin/people/${p.id}`)}>
                              <PersonNameView p={p} locale={v.locale} />
                            </a>
                            {p.erasureRequestedAt && <> · {t('admin.erasure_requested')}</>}
                            <div class="hint">
                              <bdi class="email">{p.email}</bdi>
                            </div>
                          </td>
                          <td data-label={label('country')}>
                            {p.nationality ? countryName(v.locale, p.nationality) : ''}
                          </td>
                          <td data-label={label('organisation')}>
                            {org ? text(org, v.locale) : ''}
                            {org && (
                              <div class="hint">
                                {p.entityVerifiedAt ? t('secretariat.verified_yes') : t('secretariat.verified_no')}
                              </div>
                            )}
                          </td>
                          <td data-label={label('role')}>{roleLabel(v, p.role, p.capabilities)}</td>
                          <td data-label={label('registrations')}>{registrations}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                )}
                <KeysetPager
                  t={t}
                  size={PEOPLE_PAGE}
                  first={query.after ? listUrl(v.locale, filters) : undefined}
                  next={page.next ? listUrl(v.locale, { ...filters, after: page.next }) : null}
                />
              </section>
            ),
          };
        }),
    );

    r.get(
      '/:lc/admin/people/export',
      {
        config: manage,
        schema: {
          hide: true,
          params: LcParams,
          querystring: PeopleQuery.omit({ after: true }).extend({ format: z.enum(['csv', 'xlsx']).default('csv') }),
        },
      },
      async (req, reply) => {
        const locale = req.locale;
        const t = translator(locale);
        const rows = (async function* () {
          for await (const { person: p, entityName: org, registrations } of allPeople(req.ctx, filterOf(req.query)))
            yield {
              id: p.id,
              honorific: honorificLabel(p.honorific, locale),
              name: fullName(p),
              name_latin: latinName(p),
              family_name: p.familyName,
              given_name: p.givenName,
              family_name_latin: p.familyNameLatin,
              given_name_latin: p.givenNameLatin,
              email: p.email,
              nationality: p.nationality,
              country: p.nationality ? countryName(locale, p.nationality) : '',
              organisation: org ? text(org, locale) : '',
              verified: p.entityVerifiedAt != null,
              job_title: p.jobTitle,
              role: p.role,
              registrations,
            };
        })();
        const keys = [
          'id',
          'honorific',
          'name',
          'name_latin',
          'family_name',
          'given_name',
          'family_name_latin',
          'given_name_latin',
          'email',
          'nationality',
          'country',
          'organisation',
          'verified',
          'job_title',
          'role',
          'registrations',
        ];
        return sendExport(reply, req.query.format, 'people', {
          columns: keys.map((key) => ({ key, header: t(`secretariat.export.${key}`) })),
          rows,
          sheet: t('admin.people'),
        });
      },
    );

    // ---------------------------------------------------------------- one person
    const personPage = async (req: FastifyRequest, id: string, v: View, notice?: string, error?: string) => {
      const p = await accounts.getPersonForAdmin(req.ctx, id);
      const t = v.t;
      const [orgs, trail, sections] = await Promise.all([
        p.entityId != null ? listEntities(req.ctx) : Promise.resolve([]),
        personAuditTrail(req.ctx, p.id),
        Promise.all(opts.sections.map((s) => s(v, req, p.id))),
      ]);
      // The e-mails sent to them (and to duplicates merged into them), for those who may read the outbox.
      const mails = can(req.ctx.actor, 'outbox.view')
        ? await listMessagesTo(req.ctx, [
            p.email ?? '',
            ...(await mergedIntoPerson(req.ctx.db, p.id)).map((x) => x.email ?? ''),
          ])
        : undefined;
      const names = new Map(
        (
          await actorNames(
            req.ctx.db,
            trail.map((a) => a.actor),
          )
        ).map((x) => [x.id, x]),
      );
      const org = orgs.find((e) => e.id === p.entityId);
      const fact = (label: string, value: VNode | string | null | undefined) =>
        value ? (
          <>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </>
        ) : null;
      return (
        <section class="person-page">
          <h1>
            <PersonNameView p={p} locale={v.locale} />
          </h1>
          {notice && <Notice kind="ok">{notice}</Notice>}
          <p class="actions">
            <a class="button" href={localePath(v.locale, `/admin/people/${p.id}/edit`)}>
              {t('secretariat.edit.title')}
            </a>
            <a href={localePath(v.locale, `/admin/people/${p.id}/register`)}>{t('secretariat.on_behalf.title')}</a>
            <a href={localePath(v.locale, `/admin/people/${p.id}/merge`)}>{t('merge.title')}</a>
            <a href={`/api/v1/people/${p.id}/export`}>{t('admin.export')}</a>
          </p>
          <h2>{t('secretariat.person.profile')}</h2>
          <dl class="facts">
            {fact(t('accounts.field.honorific'), p.honorific ? honorificLabel(p.honorific, v.locale) : '')}
            {fact(t('secretariat.person.name_own'), <bdi>{fullName(p)}</bdi>)}
            {fact(
              t('secretariat.person.name_latin'),
              latinName(p) ? (
                <bdi dir="ltr" lang="en">
                  {latinName(p)}
                </bdi>
              ) : null,
            )}
            {fact(t('accounts.field.nationality'), p.nationality ? countryName(v.locale, p.nationality) : '')}
            {fact(
              t('secretariat.col.organisation'),
              org ? (
                <>
                  {entityName(org, v.locale)} ·{' '}
                  {p.entityVerifiedAt ? t('secretariat.verified_yes') : t('secretariat.verified_no')}
                </>
              ) : null,
            )}
            {fact(t('secretariat.export.job_title'), p.jobTitle ? <bdi>{p.jobTitle}</bdi> : null)}
            {fact(t('accounts.field.function'), p.function ? <bdi>{p.function}</bdi> : null)}
            {fact(
              t('admin.email'),
              p.email ? (
                <a href={`mailto:${p.email}`}>
                  <bdi class="email">{p.email}</bdi>
                </a>
              ) : null,
            )}
            {fact(t('accounts.field.language'), ENDONYMS[p.preferredLocale as Locale])}
            {fact(t('admin.role'), roleLabel(v, p.role, p.capabilities))}
            {fact(t('secretariat.person.since'), formatDateTime(v.locale, p.createdAt))}
          </dl>
          {sections}
          {mails && (
            <>
              <h2 id="emails">{t('merge.mail.title')}</h2>
              {mails.length === 0 ? (
                <p>{t('merge.mail.none')}</p>
              ) : (
                <table class="data stacked person-mails">
                  <thead>
                    <tr>
                      <th scope="col">{t('merge.mail.date')}</th>
                      <th scope="col">{t('merge.mail.subject')}</th>
                      <th scope="col">{t('merge.mail.state')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {mails.map((m) => (
                      <tr data-message={m.id}>
                        <td data-label={t('merge.mail.date')}>{formatDateTime(v.locale, m.createdAt)}</td>
                        <td data-label={t('merge.mail.subject')}>
                          <a href={localePath(v.locale, `/admin/outbox/${m.id}`)}>
                            <bdi>{m.subject}</bdi>
                          </a>
                          {m.to !== p.email && (
                            <div class="hint">
                              {t('merge.mail.to')} <bdi class="email">{m.to}</bdi>
                            </div>
                          )}
                        </td>
                        <td data-label={t('merge.mail.state')}>{t(`outbox.states.${m.state}`)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </>
          )}
          <h2>{t('secretariat.person.roles')}</h2>
          <PostForm action={localePath(v.locale, `/admin/people/${p.id}/role`)} csrf={req.csrfToken()} error={error}>
            <SelectField
              name="role"
              label={t('admin.role')}
              value={p.role}
              options={(['participant', 'staff', 'admin'] as const).map((x) => [x, t(`admin.roles.${x}`)])}
            />
            <SelectField
              name="capabilities"
              label={t('admin.capabilities')}
              multiple
              values={p.capabilities}
              options={CAPABILITIES.map((c) => [c, c])}
            />
            <button type="submit">{t('admin.save_role')}</button>
          </PostForm>
          <h2 id="trail">{t('secretariat.person.trail')}</h2>
          {trail.length === 0 ? (
            <p>{t('admin.none')}</p>
          ) : (
            <table class="data stacked audit-trail">
              <thead>
                <tr>
                  <th scope="col">{t('admin.audit_cols.at')}</th>
                  <th scope="col">{t('admin.audit_cols.actor')}</th>
                  <th scope="col">{t('admin.audit_cols.action')}</th>
                  <th scope="col">{t('admin.audit_cols.changes')}</th>
                </tr>
              </thead>
              <tbody>
                {trail.map((a) => {
                  const who = names.get(a.actor);
                  return (
                    <tr>
                      <td data-label={t('admin.audit_cols.at')}>{formatDateTime(v.locale, a.at)}</td>
                      <td data-label={t('admin.audit_cols.actor')}>
                        {who ? (
                          <PersonNameView p={who} locale={v.locale} latin={false} />
                        ) : (
                          <code dir="ltr">{a.actor}</code>
                        )}
                      </td>
                      <td data-label={t('admin.audit_cols.action')}>
                        <code dir="ltr">{a.action}</code>
                      </td>
                      <td data-label={t('admin.audit_cols.changes')}>
                        <Changes v={v} changes={a.changes} data={a.data} />
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}
          <h2>{t('secretariat.person.danger')}</h2>
          <PostForm
            action={localePath(v.locale, `/admin/people/${p.id}/erase`)}
            csrf={req.csrfToken()}
            class="inline-form"
            confirm="erase_person"
          >
            <button type="submit" class="secondary">
              {t('admin.erase')}
            </button>
          </PostForm>
        </section>
      );
    };
    const Done = z.object({ done: opt(z.enum(['saved', 'corrected', 'registered', 'merged', '1'])) });
    r.get(
      '/:lc/admin/people/:id',
      { config: manage, schema: { hide: true, params: PersonParams, querystring: Done } },
      async (req, reply) => {
        // A duplicate merged into someone: its page is theirs now.
        const merged = (await accounts.getPersonForAdmin(req.ctx, req.params.id)).mergedInto;
        if (merged) return reply.redirect(localePath(req.locale, `/admin/people/${merged}`), 303);
        return sendPrivatePage(req, reply, async (v) => {
          const done = req.query.done;
          const notice = !done
            ? undefined
            : done === 'merged'
              ? v.t('merge.done')
              : done === 'corrected' || done === 'registered'
                ? v.t(`secretariat.done.${done}`)
                : v.t('admin.saved');
          return { title: v.t('admin.people'), body: await personPage(req, req.params.id, v, notice) };
        });
      },
    );
    r.post(
      '/:lc/admin/people/:id/role',
      { config: manage, schema: { hide: true, params: PersonParams } },
      async (req, reply) => {
        const form = parseForm(RoleInput, req.body, req.locale);
        try {
          if (!form.ok) throw new DomainError('invalid_input', 400);
          await accounts.setRole(wctx(req), req.params.id, form.data);
        } catch (e) {
          if (!(e instanceof DomainError)) throw e;
          return sendPrivatePage(req, reply, async (v) => ({
            title: v.t('admin.people'),
            body: await personPage(req, req.params.id, v, undefined, v.t(`errors.${e.code}`, e.params)),
            status: e.status,
          }));
        }
        return reply.redirect(localePath(req.locale, `/admin/people/${req.params.id}?done=saved`), 303);
      },
    );
    r.post(
      '/:lc/admin/people/:id/erase',
      { config: manage, schema: { hide: true, params: PersonParams } },
      async (req, reply) => {
        await accounts.erasePerson(wctx(req), req.params.id);
        return reply.redirect(localePath(req.locale, '/admin/people'), 303);
      },
    );

    // ---------------------------------------------------------------- correcting a participant's data
    const editPage = async (
      req: FastifyRequest,
      v: View,
      id: string,
      values?: Record<string, string>,
      errors: FieldErrors = {},
    ) => {
      const p = await accounts.getPersonForAdmin(req.ctx, id);
      const orgs = await entityOptions(req, v.locale);
      const current: Record<string, string | undefined> = values ?? {
        honorific: p.honorific,
        givenName: p.givenName,
        familyName: p.familyName,
        nameOrder: p.nameOrder,
        givenNameLatin: p.givenNameLatin,
        familyNameLatin: p.familyNameLatin,
        jobTitle: p.jobTitle,
        function: p.function,
        nationality: p.nationality ?? '',
        entityId: p.entityId == null ? '' : String(p.entityId),
        preferredLocale: p.preferredLocale,
      };
      return (
        <section>
          <h1>{v.t('secretariat.edit.title')}</h1>
          <p>
            <PersonNameView p={p} locale={v.locale} />
          </p>
          <p class="hint">{v.t('secretariat.edit.intro')}</p>
          <PostForm action={localePath(v.locale, `/admin/people/${p.id}/edit`)} csrf={req.csrfToken()} errors={errors}>
            <ProfileFields v={v} values={current} errors={errors} orgs={orgs} />
            <TextAreaField
              name="reason"
              label={v.t('secretariat.edit.reason')}
              hint={v.t('secretariat.edit.reason_hint')}
              value={current.reason}
              error={errors.reason}
              required
              maxLength={500}
            />
            <button type="submit">{v.t('secretariat.edit.save')}</button>
          </PostForm>
          <p>
            <a href={localePath(v.locale, `/admin/people/${p.id}`)}>{v.t('secretariat.back_to_person')}</a>
          </p>
        </section>
      );
    };
    r.get(
      '/:lc/admin/people/:id/edit',
      { config: manage, schema: { hide: true, params: PersonParams } },
      (req, reply) =>
        sendPrivatePage(req, reply, async (v) => ({
          title: v.t('secretariat.edit.title'),
          body: await editPage(req, v, req.params.id),
        })),
    );
    const Correction = ProfileInput.extend({
      reason: z.string().trim().min(1).max(500),
    });
    r.post(
      '/:lc/admin/people/:id/edit',
      { config: manage, schema: { hide: true, params: PersonParams } },
      async (req, reply) => {
        const form = parseForm(Correction, req.body, req.locale);
        const fail = (errors: FieldErrors, status = 400) =>
          sendPrivatePage(req, reply, async (v) => ({
            title: v.t('secretariat.edit.title'),
            status,
            body: await editPage(req, v, req.params.id, form.values, errors),
          }));
        if (!form.ok) return fail(form.errors);
        const { reason, ...input } = form.data;
        try {
          await accounts.correctProfile(wctx(req), req.params.id, input, reason);
        } catch (e) {
          if (!(e instanceof DomainError) || e.code === 'person_not_found') throw e;
          const field = e.code === 'entity_not_found' ? 'entityId' : e.code === 'reason_required' ? 'reason' : '_';
          return fail({ [field]: translator(req.locale)(`errors.${e.code}`, e.params) }, e.status);
        }
        return reply.redirect(localePath(req.locale, `/admin/people/${req.params.id}?done=corrected`), 303);
      },
    );

    // ---------------------------------------------------------------- registering on someone's behalf
    const registerPage = async (
      req: FastifyRequest,
      v: View,
      personId: string | undefined,
      values: Record<string, string | string[] | undefined> = {},
      errors: FieldErrors = {},
      error?: string,
    ) => {
      const person = personId ? await accounts.getPersonForAdmin(req.ctx, personId) : undefined;
      const [events, orgs] = await Promise.all([getEvents(req.ctx), person ? [] : entityOptions(req, v.locale)]);
      const chosen = new Set([values.events ?? []].flat());
      const s = (k: string) => (typeof values[k] === 'string' ? (values[k] as string) : undefined);
      const t = v.t;
      const action = localePath(v.locale, person ? `/admin/people/${person.id}/register` : '/admin/people/register');
      return (
        <section>
          <h1>{person ? t('secretariat.on_behalf.title') : t('secretariat.on_behalf.new_person')}</h1>
          {person && (
            <p>
              <PersonNameView p={person} locale={v.locale} />
            </p>
          )}
          <p class="hint">{t('secretariat.on_behalf.intro')}</p>
          <PostForm action={action} csrf={req.csrfToken()} errors={errors} error={error}>
            {!person && (
              <>
                <TextField
                  name="email"
                  type="email"
                  label={t('admin.email')}
                  value={s('email')}
                  error={errors.email}
                  maxLength={254}
                  required
                />
                <SelectField
                  name="honorific"
                  label={t('accounts.field.honorific')}
                  value={s('honorific')}
                  error={errors.honorific}
                  options={honorificOptions(v.locale)}
                />
                <TextField
                  name="givenName"
                  label={t('accounts.field.given_name')}
                  value={s('givenName')}
                  error={errors.givenName}
                  maxLength={100}
                  required
                />
                <TextField
                  name="familyName"
                  label={t('accounts.field.family_name')}
                  hint={t('names.order.single')}
                  value={s('familyName')}
                  error={errors.familyName}
                  maxLength={100}
                />
                <TextField
                  name="givenNameLatin"
                  dir="ltr"
                  label={t('accounts.field.given_name_latin')}
                  value={s('givenNameLatin')}
                  error={errors.givenNameLatin}
                  maxLength={100}
                />
                <TextField
                  name="familyNameLatin"
                  dir="ltr"
                  label={t('accounts.field.family_name_latin')}
                  value={s('familyNameLatin')}
                  error={errors.familyNameLatin}
                  maxLength={100}
                />
                <TextField
                  name="jobTitle"
                  label={t('accounts.field.job_title')}
                  value={s('jobTitle')}
                  error={errors.jobTitle}
                  maxLength={200}
                />
                <SelectField
                  name="entityId"
                  label={t('accounts.field.entity')}
                  any="—"
                  value={s('entityId')}
                  error={errors.entityId}
                  options={orgs}
                />
                <SelectField
                  name="preferredLocale"
                  label={t('accounts.field.language')}
                  value={s('preferredLocale') ?? v.locale}
                  options={LOCALES.map((l) => [l, ENDONYMS[l]])}
                />
              </>
            )}
            <ChoiceField
              name="events"
              type="checkbox"
              legend={t('registration.register.events')}
              error={errors.events}
              options={events
                .filter((e) => REGISTRABLE.has(e.kind))
                .map((e) => ({ value: e.slug, label: text(e.name, v.locale), checked: chosen.has(e.slug) }))}
            />
            <ChoiceField
              name="mode"
              type="radio"
              legend={t('registration.register.mode')}
              error={errors.mode}
              options={(['in_person', 'remote'] as const).map((m) => ({
                value: m,
                label: t(`registration.mode.${m}`),
                checked: (s('mode') ?? 'in_person') === m,
              }))}
            />
            <SelectField
              name="function"
              label={t('registration.register.function')}
              any="—"
              value={s('function') ?? person?.function}
              error={errors.function}
              options={FUNCTIONS.map((f) => [f, t(`registration.function.${f}`)])}
            />
            <SelectField
              name="vipCategory"
              label={t('registration.register.vip')}
              any={t('registration.register.no_vip')}
              value={s('vipCategory')}
              options={VIP_CATEGORIES.map((c) => [c, t(`registration.vip.${c}`)])}
            />
            <button type="submit">{t('secretariat.on_behalf.submit')}</button>
          </PostForm>
        </section>
      );
    };
    const registerForm = (personId?: string) => async (req: FastifyRequest, reply: import('fastify').FastifyReply) => {
      const body = { ...(req.body as Record<string, unknown>) };
      body.events = [body.events ?? []].flat();
      if (body.vipCategory === '') delete body.vipCategory;
      if (personId) body.personId = personId;
      else delete body.personId;
      const form = parseForm(OnBehalfInput, body, req.locale);
      const values = body as Record<string, string | string[]>;
      const fail = (errors: FieldErrors, error?: string, status = 400) =>
        sendPrivatePage(req, reply, async (v) => ({
          title: v.t('secretariat.on_behalf.title'),
          status,
          body: await registerPage(req, v, personId, values, errors, error),
        }));
      if (!form.ok) return fail(form.errors);
      let result: Awaited<ReturnType<typeof registerOnBehalf>>;
      try {
        result = await registerOnBehalf(wctx(req), form.data);
      } catch (e) {
        if (!(e instanceof DomainError) || e.code === 'person_not_found') throw e;
        const t = translator(req.locale);
        if (e.code === 'person_exists') return fail({ email: t('errors.person_exists') }, undefined, e.status);
        return fail({}, t(`errors.${e.code}`, e.params), e.status);
      }
      return reply.redirect(localePath(req.locale, `/admin/people/${result.personId}?done=registered`), 303);
    };
    r.get('/:lc/admin/people/register', { config: manage, schema: { hide: true, params: LcParams } }, (req, reply) =>
      sendPrivatePage(req, reply, async (v) => ({
        title: v.t('secretariat.on_behalf.new_person'),
        body: await registerPage(req, v, undefined),
      })),
    );
    r.post('/:lc/admin/people/register', { config: manage, schema: { hide: true, params: LcParams } }, (req, reply) =>
      registerForm()(req, reply),
    );
    r.get(
      '/:lc/admin/people/:id/register',
      { config: manage, schema: { hide: true, params: PersonParams } },
      (req, reply) =>
        sendPrivatePage(req, reply, async (v) => ({
          title: v.t('secretariat.on_behalf.title'),
          body: await registerPage(req, v, req.params.id),
        })),
    );
    r.post(
      '/:lc/admin/people/:id/register',
      { config: manage, schema: { hide: true, params: PersonParams } },
      (req, reply) => registerForm(req.params.id)(req, reply),
    );
  });
}
