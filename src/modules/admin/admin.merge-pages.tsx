/**
 * Merging a duplicate into a person, from the person's page (administrators): search for the duplicate, see both side
 * by side (names in both scripts, e-mail, nationality, organisation, role, and what every module holds about each),
 * read what the merge will decide where a one-per rule would break, give a reason, merge. The rules live in the
 * accounts service (`mergePeople`) and in each module's `personMerge` contribution; these pages present them.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { ComponentChildren } from 'preact';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { DomainError } from '../../platform/errors.js';
import { countryName } from '../../platform/i18n/countries.js';
import { formatDateTime } from '../../platform/i18n/format.js';
import { text } from '../../platform/i18n/localized.js';
import { translator } from '../../platform/i18n/messages.js';
import { latinName } from '../../platform/i18n/names.js';
import { type FieldErrors, Notice, PostForm, TextAreaField, TextField } from '../../platform/ui/forms.js';
import { localePath } from '../../platform/ui/layout.js';
import { requireLocalePrefix } from '../../platform/ui/locale-routes.js';
import { sendPrivatePage, type View } from '../../platform/ui/page.js';
import { PersonNameView } from '../../platform/ui/person-name.js';
import { accounts, type MergePreview, type PersonMerge } from '../accounts/index.js';
import { entityName, listEntities } from '../entities/index.js';
import { listPeoplePage } from './admin.people.js';

const Params = z.object({ lc: z.string(), id: z.string().uuid() });
const Query = z.object({
  q: z.string().max(100).optional(),
  from: z
    .string()
    .uuid()
    .optional()
    .or(z.literal('').transform(() => undefined)),
});
const wctx = (req: FastifyRequest) => req.ctx as typeof req.ctx & { db: Db };

/** The order of what modules hold, as the side-by-side view lists it. */
const HOLDINGS = [
  'registrations',
  'visa_requests',
  'photo',
  'badges',
  'scans',
  'speaking_requests',
  'speaker_places',
  'agenda_items',
  'focal_point_seats',
  'sessions',
  'api_tokens',
  'sso_identities',
];

export async function adminMergePages(app: FastifyInstance, opts: { merges: PersonMerge[] }) {
  await app.register(async (plain) => {
    const r = plain.withTypeProvider<ZodTypeProvider>();
    await requireLocalePrefix(plain);
    const manage = { permission: 'accounts.manage' as const };

    const pickPage = async (req: FastifyRequest, v: View, id: string, q: string | undefined, error?: string) => {
      const t = v.t;
      const p = await accounts.getPersonForAdmin(req.ctx, id);
      const found = q?.trim()
        ? (await listPeoplePage(req.ctx, { q, limit: 20 })).rows.filter((x) => x.person.id !== id)
        : [];
      const base = `/admin/people/${id}/merge`;
      return (
        <section class="merge-desk">
          <h1>{t('merge.title')}</h1>
          <p>
            <PersonNameView p={p} locale={v.locale} />
          </p>
          {error && <Notice kind="error">{error}</Notice>}
          <p class="hint">{t('merge.intro')}</p>
          <form method="get" action={localePath(v.locale, base)} class="filters" role="search">
            <TextField
              name="q"
              type="search"
              label={t('merge.search')}
              hint={t('secretariat.search_hint')}
              value={q}
              maxLength={100}
            />
            <div class="form-actions">
              <button type="submit">{t('admin.search')}</button>
            </div>
          </form>
          {q?.trim() &&
            (found.length === 0 ? (
              <p>{t('merge.no_match')}</p>
            ) : (
              <table class="data stacked merge-candidates">
                <thead>
                  <tr>
                    <th scope="col">{t('secretariat.col.name')}</th>
                    <th scope="col">{t('secretariat.col.country')}</th>
                    <th scope="col">{t('secretariat.col.organisation')}</th>
                    <th scope="col">{t('secretariat.col.registrations')}</th>
                    <th scope="col">
                      <span class="visually-hidden">{t('merge.compare')}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {found.map(({ person: c, entityName: org, registrations }) => (
                    <tr>
                      <td data-label={t('secretariat.col.name')}>
                        <PersonNameView p={c} locale={v.locale} />
                        <div class="hint">
                          <bdi class="email">{c.email}</bdi>
                        </div>
                      </td>
                      <td data-label={t('secretariat.col.country')}>
                        {c.nationality ? countryName(v.locale, c.nationality) : ''}
                      </td>
                      <td data-label={t('secretariat.col.organisation')}>{org ? text(org, v.locale) : ''}</td>
                      <td data-label={t('secretariat.col.registrations')}>{registrations}</td>
                      <td>
                        <a href={localePath(v.locale, `${base}?from=${c.id}`)}>{t('merge.compare')}</a>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ))}
          <p>
            <a href={localePath(v.locale, `/admin/people/${id}`)}>{t('secretariat.back_to_person')}</a>
          </p>
        </section>
      );
    };

    const comparePage = async (
      req: FastifyRequest,
      v: View,
      pv: MergePreview,
      values: Record<string, string | undefined> = {},
      errors: FieldErrors = {},
    ) => {
      const t = v.t;
      const { into: a, from: b } = pv;
      const orgs = a.entityId != null || b.entityId != null ? await listEntities(req.ctx) : [];
      const org = (id: number | null) => {
        const e = orgs.find((x) => x.id === id);
        return e ? entityName(e, v.locale) : '';
      };
      const kept = t('merge.kept');
      const dup = t('merge.duplicate');
      const row = (label: string, av: ComponentChildren, bv: ComponentChildren) => (
        <tr>
          <th scope="row">{label}</th>
          <td data-label={kept}>{av}</td>
          <td data-label={dup}>{bv}</td>
        </tr>
      );
      const kinds = HOLDINGS.filter((k) => k in pv.holdings.into || k in pv.holdings.from);
      for (const k of [...Object.keys(pv.holdings.into), ...Object.keys(pv.holdings.from)])
        if (!kinds.includes(k)) kinds.push(k);
      const latin = (p: typeof a) =>
        latinName(p) ? (
          <bdi dir="ltr" lang="en">
            {latinName(p)}
          </bdi>
        ) : (
          '—'
        );
      return (
        <section class="merge-desk">
          <h1>{t('merge.compare_title')}</h1>
          <p class="hint">{t('merge.intro')}</p>
          <table class="data merge-compare">
            <thead>
              <tr>
                <td />
                <th scope="col">
                  {kept}
                  <div>
                    <a href={localePath(v.locale, `/admin/people/${a.id}`)}>
                      <PersonNameView p={a} locale={v.locale} latin={false} />
                    </a>
                  </div>
                </th>
                <th scope="col">
                  {dup}
                  <div>
                    <a href={localePath(v.locale, `/admin/people/${b.id}`)}>
                      <PersonNameView p={b} locale={v.locale} latin={false} />
                    </a>
                  </div>
                </th>
              </tr>
            </thead>
            <tbody>
              {row(
                t('secretariat.person.name_own'),
                <bdi>{`${a.givenName} ${a.familyName}`.trim()}</bdi>,
                <bdi>{`${b.givenName} ${b.familyName}`.trim()}</bdi>,
              )}
              {row(t('secretariat.person.name_latin'), latin(a), latin(b))}
              {row(t('admin.email'), <bdi class="email">{a.email}</bdi>, <bdi class="email">{b.email}</bdi>)}
              {row(
                t('accounts.field.nationality'),
                a.nationality ? countryName(v.locale, a.nationality) : '—',
                b.nationality ? countryName(v.locale, b.nationality) : '—',
              )}
              {row(t('secretariat.col.organisation'), org(a.entityId) || '—', org(b.entityId) || '—')}
              {row(t('secretariat.export.job_title'), <bdi>{a.jobTitle || '—'}</bdi>, <bdi>{b.jobTitle || '—'}</bdi>)}
              {row(t('admin.role'), t(`admin.roles.${a.role}`), t(`admin.roles.${b.role}`))}
              {row(
                t('secretariat.person.since'),
                formatDateTime(v.locale, a.createdAt),
                formatDateTime(v.locale, b.createdAt),
              )}
              {kinds.map((k) =>
                row(
                  t(`merge.holding.${k}`),
                  <span data-holding={`into-${k}`}>{pv.holdings.into[k] ?? 0}</span>,
                  <span data-holding={`from-${k}`}>{pv.holdings.from[k] ?? 0}</span>,
                ),
              )}
            </tbody>
          </table>
          <p>
            <a href={localePath(v.locale, `/admin/people/${b.id}/merge?from=${a.id}`)}>{t('merge.swap')}</a>
          </p>
          <h2>{t('merge.decisions')}</h2>
          <ul class="merge-decisions">
            {pv.conflicts.length === 0 && <li>{t('merge.no_conflict')}</li>}
            {pv.conflicts.map((c) => (
              <li data-conflict={c.key}>{c.text}</li>
            ))}
            {pv.filled.length > 0 && (
              <li data-conflict="filled">
                {t('merge.filled', {
                  fields: pv.filled.map((f) => t(`secretariat.field.${f}`)).join(v.locale === 'zh' ? '、' : ', '),
                })}
              </li>
            )}
            <li>{t('merge.tombstone')}</li>
          </ul>
          <PostForm
            action={localePath(v.locale, `/admin/people/${a.id}/merge`)}
            csrf={req.csrfToken()}
            errors={errors}
            label={t('merge.submit')}
          >
            <input type="hidden" name="from" value={b.id} />
            <TextAreaField
              name="reason"
              label={t('merge.reason')}
              hint={t('merge.reason_hint')}
              value={values.reason}
              error={errors.reason}
              required
              maxLength={500}
            />
            <button type="submit">{t('merge.submit')}</button>
          </PostForm>
          <p>
            <a href={localePath(v.locale, `/admin/people/${a.id}/merge`)}>{t('merge.other')}</a> ·{' '}
            <a href={localePath(v.locale, `/admin/people/${a.id}`)}>{t('secretariat.back_to_person')}</a>
          </p>
        </section>
      );
    };

    r.get(
      '/:lc/admin/people/:id/merge',
      { config: manage, schema: { hide: true, params: Params, querystring: Query } },
      (req, reply) =>
        sendPrivatePage(req, reply, async (v) => {
          const { id } = req.params;
          const { from, q } = req.query;
          if (!from) return { title: v.t('merge.title'), body: await pickPage(req, v, id, q) };
          try {
            const pv = await accounts.previewMerge(req.ctx, { from, into: id }, opts.merges);
            return { title: v.t('merge.compare_title'), body: await comparePage(req, v, pv) };
          } catch (e) {
            if (!(e instanceof DomainError) || e.code === 'person_not_found') throw e;
            return {
              title: v.t('merge.title'),
              status: e.status,
              body: await pickPage(req, v, id, q, v.t(`errors.${e.code}`, e.params)),
            };
          }
        }),
    );

    const MergeBody = z.object({ from: z.string().uuid(), reason: z.string().max(500).optional().default('') });
    r.post(
      '/:lc/admin/people/:id/merge',
      { config: manage, schema: { hide: true, params: Params } },
      async (req, reply) => {
        const body = MergeBody.safeParse(req.body);
        if (!body.success) throw new DomainError('invalid_input', 400);
        const pair = { from: body.data.from, into: req.params.id };
        const fail = (errors: FieldErrors, status: number) =>
          sendPrivatePage(req, reply, async (v) => {
            // A pair that cannot be merged at all goes back to the choice of a duplicate, with why.
            const pv = await accounts.previewMerge(req.ctx, pair, opts.merges).catch((e: unknown) => {
              if (e instanceof DomainError && e.code !== 'person_not_found') return undefined;
              throw e;
            });
            return {
              title: v.t(pv ? 'merge.compare_title' : 'merge.title'),
              status,
              body: pv
                ? await comparePage(req, v, pv, { reason: body.data.reason }, errors)
                : await pickPage(req, v, pair.into, undefined, errors._),
            };
          });
        try {
          await accounts.mergePeople(wctx(req), { ...pair, reason: body.data.reason }, opts.merges);
        } catch (e) {
          if (!(e instanceof DomainError) || e.code === 'person_not_found') throw e;
          const message = translator(req.locale)(`errors.${e.code}`, e.params);
          return fail(e.code === 'reason_required' ? { reason: message } : { _: message }, e.status);
        }
        return reply.redirect(localePath(req.locale, `/admin/people/${pair.into}?done=merged`), 303);
      },
    );
  });
}
