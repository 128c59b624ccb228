/**
 * The secretariat's pages for entities: the list (filters by kind, region, UN group and text), a new entity, one
 * entity (edit, focal points, merge) and the CSV import with its report. Plain HTML forms, no JavaScript needed.
 * Staff with `entities.view` read; administrators change.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { VNode } from 'preact';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { DomainError } from '../../platform/errors.js';
import { parseForm } from '../../platform/http/forms.js';
import { formatDateTime } from '../../platform/i18n/format.js';
import { LOCALES } from '../../platform/i18n/locales.js';
import { can } from '../../platform/permissions.js';
import {
  ErrorSummary,
  Notice,
  PostForm,
  SelectField,
  TextAreaField,
  TextField,
  type FieldErrors,
} from '../../platform/ui/forms.js';
import { localePath } from '../../platform/ui/layout.js';
import { requireLocalePrefix } from '../../platform/ui/locale-routes.js';
import { sendPrivatePage, type View } from '../../platform/ui/page.js';
import {
  check,
  CODE_MAX,
  CSV_COLUMNS,
  EntityFlat,
  EntityListQuery,
  FocalPointInput,
  ImportInput,
  MergeInput,
  NAME_MAX,
  toFlat,
  type EntityPatch,
} from './entities.input.js';
import { ENTITY_KINDS, ITU_REGIONS, ITUD_REGIONS, UN_GROUPS } from './entities.schema.js';
import * as svc from './entities.service.js';
import { PersonNameView } from '../../platform/ui/person-name.js';

const LcParams = z.object({ lc: z.string() });
const EntityParams = LcParams.extend({
  id: z.coerce
    .number()
    .int()
    .positive()
    .max(2 ** 31 - 1),
});
const FocalParams = EntityParams.extend({ personId: z.string().uuid() });
const DONE = ['created', 'saved', 'merged', 'appointed', 'removed'] as const;
const DoneQuery = z.object({ done: z.enum(DONE).optional().catch(undefined) });

const wctx = (req: FastifyRequest) => req.ctx as typeof req.ctx & { db: Db };

/** A translated message for a DomainError raised by a form's service call; anything else goes to the error handler. */
function formError(v: View, e: unknown): string {
  if (e instanceof DomainError) return v.t(`errors.${e.code}`, e.params);
  throw e;
}
const statusOf = (e: unknown) => (e instanceof DomainError ? e.status : 500);

/** Field errors from our own check (messages of our rules from the catalogue), keyed by form field. */
function fieldErrors(errors: { field: string; message: string }[]): FieldErrors {
  const out: FieldErrors = {};
  for (const e of errors) out[e.field || '_'] ??= e.message;
  return out;
}

const kindOptions = (v: View): [string, string][] => ENTITY_KINDS.map((k) => [k, v.t(`entities.kind.${k}`)]);
const ituOptions = (v: View): [string, string][] => ITU_REGIONS.map((r) => [r, v.t(`entities.itu_region.${r}`)]);
const itudOptions = (v: View): [string, string][] => ITUD_REGIONS.map((r) => [r, v.t(`entities.itud_region.${r}`)]);
const unOptions = (v: View): [string, string][] => UN_GROUPS.map((g) => [g, v.t(`entities.un_group.${g}`)]);

/** The fields of an entity, for the new and the edit forms. */
function EntityFields({ v, values, errors }: { v: View; values: Record<string, string>; errors: FieldErrors }) {
  return (
    <>
      <SelectField
        name="kind"
        label={v.t('entities.field.kind')}
        value={values.kind}
        error={errors.kind}
        options={kindOptions(v)}
      />
      <TextField
        name="code"
        label={v.t('entities.field.code')}
        hint={v.t('entities.field.code_hint')}
        value={values.code}
        error={errors.code}
        maxLength={CODE_MAX}
      />
      <fieldset class="stack">
        <legend>{v.t('entities.field.names')}</legend>
        {(['en', 'fr', 'es', 'ar', 'zh', 'ru'] as const).map((l) => (
          <TextField
            name={`name_${l}`}
            label={v.t(`entities.field.name_in.${l}`)}
            value={values[`name_${l}`]}
            error={errors[`name_${l}`]}
            maxLength={NAME_MAX}
            wide
          />
        ))}
      </fieldset>
      <TextField
        name="country"
        label={v.t('entities.field.country')}
        value={values.country}
        error={errors.country}
        maxLength={2}
      />
      <SelectField
        name="itu_region"
        label={v.t('entities.field.itu_region')}
        any="—"
        value={values.itu_region}
        error={errors.itu_region}
        options={ituOptions(v)}
      />
      <SelectField
        name="itud_region"
        label={v.t('entities.field.itud_region')}
        any="—"
        value={values.itud_region}
        error={errors.itud_region}
        options={itudOptions(v)}
      />
      <SelectField
        name="un_group"
        label={v.t('entities.field.un_group')}
        any="—"
        value={values.un_group}
        error={errors.un_group}
        options={unOptions(v)}
      />
    </>
  );
}

/** The flat form as a full replacement: an empty field clears the value. */
function formPatch(d: ReturnType<typeof EntityFlat.parse>): EntityPatch {
  return {
    kind: d.kind,
    code: d.code ?? null,
    name: Object.fromEntries(LOCALES.map((l) => [l, d.name[l] ?? null])) as EntityPatch['name'],
    country: d.country ?? null,
    ituRegion: d.ituRegion ?? null,
    itudRegion: d.itudRegion ?? null,
    unGroup: d.unGroup ?? null,
  };
}

/** The posted fields as strings, without the CSRF token. */
const formValues = (body: unknown): Record<string, string> =>
  Object.fromEntries(
    Object.entries((body ?? {}) as Record<string, unknown>).filter(
      (kv): kv is [string, string] => kv[0] !== '_csrf' && typeof kv[1] === 'string',
    ),
  );

export async function entitiesPages(app: FastifyInstance) {
  await app.register(async (plain) => {
    const r = plain.withTypeProvider<ZodTypeProvider>();
    await requireLocalePrefix(plain);
    const view = { permission: 'entities.view' as const };
    const manage = { permission: 'entities.manage' as const };
    const focal = { permission: 'focal_points.manage' as const };

    const page = (
      req: FastifyRequest,
      reply: FastifyReply,
      title: (v: View) => string,
      body: (v: View) => Promise<VNode> | VNode,
      status = 200,
    ) => sendPrivatePage(req, reply, async (v) => ({ title: title(v), body: await body(v), status }));

    // ---- the list
    r.get(
      '/:lc/admin/entities',
      { config: view, schema: { hide: true, params: LcParams, querystring: EntityListQuery } },
      (req, reply) =>
        page(
          req,
          reply,
          (v) => v.t('entities.title'),
          async (v) => {
            const f = req.query;
            const list = await svc.listEntities(req.ctx, f);
            const manager = can(req.ctx.actor, 'entities.manage');
            return (
              <section>
                <h1>{v.t('entities.title')}</h1>
                {manager && (
                  <p class="form-actions">
                    <a class="button" href={localePath(v.locale, '/admin/entities/new')}>
                      {v.t('entities.new')}
                    </a>{' '}
                    <a class="button secondary" href={localePath(v.locale, '/admin/entities/import')}>
                      {v.t('entities.import.link')}
                    </a>
                  </p>
                )}
                <form method="get" action={localePath(v.locale, '/admin/entities')} class="filters" role="search">
                  <SelectField
                    name="kind"
                    label={v.t('entities.field.kind')}
                    any={v.t('entities.filter.any_kind')}
                    value={f.kind}
                    options={kindOptions(v)}
                  />
                  <TextField name="q" type="search" label={v.t('entities.filter.q')} value={f.q} maxLength={100} />
                  <SelectField
                    name="region"
                    label={v.t('entities.filter.region')}
                    any={v.t('entities.filter.any_region')}
                    value={f.region}
                    options={[
                      ...ituOptions(v),
                      ...ITUD_REGIONS.map(
                        (x) =>
                          [x, v.t('entities.filter.itud_option', { region: v.t(`entities.itud_region.${x}`) })] as [
                            string,
                            string,
                          ],
                      ),
                    ]}
                  />
                  <SelectField
                    name="unGroup"
                    label={v.t('entities.field.un_group')}
                    any={v.t('entities.filter.any_group')}
                    value={f.unGroup}
                    options={unOptions(v)}
                  />
                  <div class="form-actions">
                    <button type="submit">{v.t('entities.filter.submit')}</button>
                  </div>
                </form>
                <p class="result-count" role="status">
                  {v.t('entities.count', { count: list.length })}
                </p>
                {list.length === 0 ? (
                  <p>{v.t('entities.none')}</p>
                ) : (
                  <table class="data">
                    <thead>
                      <tr>
                        <th scope="col">{v.t('entities.col.name')}</th>
                        <th scope="col">{v.t('entities.field.kind')}</th>
                        <th scope="col">{v.t('entities.field.code')}</th>
                        <th scope="col">{v.t('entities.col.itu_region')}</th>
                        <th scope="col">{v.t('entities.col.itud_region')}</th>
                        <th scope="col">{v.t('entities.col.un_group')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {list.map((e) => (
                        <tr>
                          <td>
                            <a href={localePath(v.locale, `/admin/entities/${e.id}`)}>
                              <bdi>{svc.entityName(e, v.locale)}</bdi>
                            </a>
                          </td>
                          <td>{v.t(`entities.kind.${e.kind}`)}</td>
                          <td>{e.code && <code dir="ltr">{e.code}</code>}</td>
                          <td>
                            {e.ituRegion && (
                              <abbr title={v.t(`entities.itu_region.${e.ituRegion}`)}>{e.ituRegion}</abbr>
                            )}
                          </td>
                          <td>{e.itudRegion && v.t(`entities.itud_region.${e.itudRegion}`)}</td>
                          <td>{e.unGroup && v.t(`entities.un_group.${e.unGroup}`)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                )}
              </section>
            );
          },
        ),
    );

    // ---- a new entity
    const newForm = (
      req: FastifyRequest,
      v: View,
      values: Record<string, string> = {},
      errors: FieldErrors = {},
      error?: string,
    ) => (
      <section class="narrow">
        <h1>{v.t('entities.new')}</h1>
        <PostForm
          action={localePath(v.locale, '/admin/entities/new')}
          csrf={req.csrfToken()}
          errors={errors}
          error={error}
        >
          <EntityFields v={v} values={values} errors={errors} />
          <button type="submit">{v.t('entities.form.create')}</button>
        </PostForm>
      </section>
    );
    r.get('/:lc/admin/entities/new', { config: manage, schema: { hide: true, params: LcParams } }, (req, reply) =>
      page(
        req,
        reply,
        (v) => v.t('entities.new'),
        (v) => newForm(req, v, { kind: 'member_state' }),
      ),
    );
    r.post(
      '/:lc/admin/entities/new',
      { config: manage, schema: { hide: true, params: LcParams } },
      async (req, reply) => {
        const values = formValues(req.body);
        const form = check(EntityFlat, values, req.locale);
        if (!form.ok)
          return page(
            req,
            reply,
            (v) => v.t('entities.new'),
            (v) => newForm(req, v, values, fieldErrors(form.errors)),
            400,
          );
        try {
          const e = await svc.createEntity(wctx(req), form.data);
          return reply.redirect(localePath(req.locale, `/admin/entities/${e.id}?done=created`), 303);
        } catch (e) {
          return page(
            req,
            reply,
            (v) => v.t('entities.new'),
            (v) => newForm(req, v, values, {}, formError(v, e)),
            statusOf(e),
          );
        }
      },
    );

    // ---- the CSV import
    const importPage = (req: FastifyRequest, v: View, csv = '', report?: svc.ImportReport, error?: string) => (
      <section>
        <h1>{v.t('entities.import.title')}</h1>
        <ErrorSummary error={error} />
        {report && (
          <section aria-labelledby="import-report">
            <h2 id="import-report">{v.t('entities.import.report')}</h2>
            <Notice kind={report.rejected.length ? 'error' : 'ok'}>
              <ul class="plain">
                <li>{v.t('entities.import.inserted', { count: report.inserted })}</li>
                <li>{v.t('entities.import.updated', { count: report.updated })}</li>
                <li>{v.t('entities.import.rejected', { count: report.rejected.length })}</li>
              </ul>
            </Notice>
            {report.rejected.length > 0 && (
              <table class="data">
                <thead>
                  <tr>
                    <th scope="col">{v.t('entities.import.line')}</th>
                    <th scope="col">{v.t('entities.import.reasons')}</th>
                  </tr>
                </thead>
                <tbody>
                  {report.rejected.map((x) => (
                    <tr>
                      <td>{x.line}</td>
                      <td>
                        <ul class="plain">
                          {x.errors.map((e) => (
                            <li>
                              {e.field && <code dir="ltr">{e.field}</code>} {e.message}
                            </li>
                          ))}
                        </ul>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        )}
        <p>{v.t('entities.import.intro')}</p>
        <p>
          {v.t('entities.import.columns')} <code dir="ltr">{CSV_COLUMNS.join(',')}</code>
        </p>
        <PostForm action={localePath(v.locale, '/admin/entities/import')} csrf={req.csrfToken()}>
          <TextAreaField
            name="csv"
            label={v.t('entities.import.csv')}
            value={csv}
            rows={14}
            dir="ltr"
            spellcheck={false}
            required
          />
          <button type="submit">{v.t('entities.import.submit')}</button>
        </PostForm>
      </section>
    );
    r.get('/:lc/admin/entities/import', { config: manage, schema: { hide: true, params: LcParams } }, (req, reply) =>
      page(
        req,
        reply,
        (v) => v.t('entities.import.title'),
        (v) => importPage(req, v),
      ),
    );
    // The report is the answer to the POST itself: it exists nowhere else to redirect to.
    r.post(
      '/:lc/admin/entities/import',
      { config: manage, schema: { hide: true, params: LcParams } },
      async (req, reply) => {
        const form = parseForm(ImportInput, req.body, req.locale);
        if (!form.ok)
          return page(
            req,
            reply,
            (v) => v.t('entities.import.title'),
            (v) => importPage(req, v, form.values.csv ?? '', undefined, v.t('errors.invalid_input')),
            400,
          );
        try {
          const report = await svc.importEntitiesCsv(wctx(req), form.data.csv);
          return page(
            req,
            reply,
            (v) => v.t('entities.import.title'),
            (v) => importPage(req, v, report.rejected.length ? form.data.csv : '', report),
          );
        } catch (e) {
          return page(
            req,
            reply,
            (v) => v.t('entities.import.title'),
            (v) => importPage(req, v, form.data.csv, undefined, formError(v, e)),
            statusOf(e),
          );
        }
      },
    );

    // ---- one entity
    type Problems = {
      values?: Record<string, string>;
      errors?: FieldErrors;
      error?: string;
      email?: string;
      emailError?: string;
    };
    const entityPage = async (
      req: FastifyRequest,
      v: View,
      id: number,
      done?: (typeof DONE)[number],
      p: Problems = {},
    ) => {
      const e = await svc.getEntity(req.ctx, id);
      const manager = can(req.ctx.actor, 'entities.manage') && !e.mergedInto;
      const appointer = can(req.ctx.actor, 'focal_points.manage') && !e.mergedInto;
      const [focalPoints, into, candidates] = await Promise.all([
        svc.listFocalPoints(req.ctx, id),
        e.mergedInto ? svc.getEntity(req.ctx, e.mergedInto) : undefined,
        manager ? svc.listEntities(req.ctx, e.kind === 'member_state' ? { kind: 'member_state' } : {}) : [],
      ]);
      const targets = candidates.filter(
        (c) => c.id !== e.id && (c.kind === 'member_state') === (e.kind === 'member_state'),
      );
      const values = p.values ?? toFlat(e);
      const errors = p.errors ?? {};
      return (
        <section>
          <p>
            <a href={localePath(v.locale, '/admin/entities')}>{v.t('entities.back')}</a>
          </p>
          <h1>
            <bdi>{svc.entityName(e, v.locale)}</bdi>
          </h1>
          {done && <Notice kind="ok">{v.t(`entities.done.${done}`)}</Notice>}
          <ErrorSummary error={p.error} />
          {into && (
            <Notice kind="error">
              {v.t('entities.merged_into')}{' '}
              <a href={localePath(v.locale, `/admin/entities/${into.id}`)}>
                <bdi>{svc.entityName(into, v.locale)}</bdi>
              </a>
            </Notice>
          )}
          {manager ? (
            <PostForm action={localePath(v.locale, `/admin/entities/${e.id}`)} csrf={req.csrfToken()} errors={errors}>
              <EntityFields v={v} values={values} errors={errors} />
              <button type="submit">{v.t('entities.form.save')}</button>
            </PostForm>
          ) : (
            <dl class="facts">
              <dt>{v.t('entities.field.kind')}</dt>
              <dd>{v.t(`entities.kind.${e.kind}`)}</dd>
              {e.code && (
                <>
                  <dt>{v.t('entities.field.code')}</dt>
                  <dd>
                    <code dir="ltr">{e.code}</code>
                  </dd>
                </>
              )}
              {LOCALES.filter((l) => e.name[l]).map((l) => (
                <>
                  <dt>{v.t(`entities.field.name_in.${l}`)}</dt>
                  <dd lang={l}>
                    <bdi>{e.name[l]}</bdi>
                  </dd>
                </>
              ))}
              {e.ituRegion && (
                <>
                  <dt>{v.t('entities.field.itu_region')}</dt>
                  <dd>{v.t(`entities.itu_region.${e.ituRegion}`)}</dd>
                </>
              )}
              {e.itudRegion && (
                <>
                  <dt>{v.t('entities.field.itud_region')}</dt>
                  <dd>{v.t(`entities.itud_region.${e.itudRegion}`)}</dd>
                </>
              )}
              {e.unGroup && (
                <>
                  <dt>{v.t('entities.field.un_group')}</dt>
                  <dd>{v.t(`entities.un_group.${e.unGroup}`)}</dd>
                </>
              )}
            </dl>
          )}

          <h2 id="focal-points">{v.t('entities.focal.title')}</h2>
          {focalPoints.length === 0 ? (
            <p>{v.t('entities.focal.none')}</p>
          ) : (
            <table class="data" aria-labelledby="focal-points">
              <thead>
                <tr>
                  <th scope="col">{v.t('entities.col.name')}</th>
                  <th scope="col">{v.t('entities.focal.email')}</th>
                  <th scope="col">{v.t('entities.focal.since')}</th>
                  {appointer && <th scope="col">{v.t('entities.focal.action')}</th>}
                </tr>
              </thead>
              <tbody>
                {focalPoints.map((f) => (
                  <tr>
                    <td>
                      <PersonNameView p={f} locale={v.locale} />
                    </td>
                    <td>
                      <bdi class="email">{f.email ?? ''}</bdi>
                    </td>
                    <td>{formatDateTime(v.locale, f.appointedAt)}</td>
                    {appointer && (
                      <td>
                        <PostForm
                          action={localePath(v.locale, `/admin/entities/${e.id}/focal-points/${f.personId}/remove`)}
                          csrf={req.csrfToken()}
                          class="inline-form"
                        >
                          <button type="submit" class="secondary">
                            {v.t('entities.focal.remove')}
                          </button>
                        </PostForm>
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {appointer && (
            <PostForm
              action={localePath(v.locale, `/admin/entities/${e.id}/focal-points`)}
              csrf={req.csrfToken()}
              errors={p.emailError ? { email: p.emailError } : undefined}
            >
              <TextField
                name="email"
                type="email"
                label={v.t('entities.focal.add_email')}
                value={p.email}
                error={p.emailError}
                required
                autocomplete="off"
              />
              <button type="submit">{v.t('entities.focal.appoint')}</button>
            </PostForm>
          )}

          {manager && targets.length > 0 && (
            <>
              <h2>{v.t('entities.merge.title')}</h2>
              <p>{v.t('entities.merge.intro')}</p>
              <PostForm action={localePath(v.locale, `/admin/entities/${e.id}/merge`)} csrf={req.csrfToken()}>
                <SelectField
                  name="into"
                  label={v.t('entities.merge.target')}
                  options={targets.map((c) => [
                    String(c.id),
                    c.kind === 'member_state'
                      ? svc.entityName(c, v.locale)
                      : `${svc.entityName(c, v.locale)} (${v.t(`entities.kind.${c.kind}`)})`,
                  ])}
                />
                <button type="submit" class="secondary">
                  {v.t('entities.merge.submit')}
                </button>
              </PostForm>
            </>
          )}
        </section>
      );
    };
    const title = (v: View) => v.t('entities.title');

    r.get(
      '/:lc/admin/entities/:id',
      { config: view, schema: { hide: true, params: EntityParams, querystring: DoneQuery } },
      (req, reply) => page(req, reply, title, (v) => entityPage(req, v, req.params.id, req.query.done)),
    );

    r.post(
      '/:lc/admin/entities/:id',
      { config: manage, schema: { hide: true, params: EntityParams } },
      async (req, reply) => {
        const values = formValues(req.body);
        const form = check(EntityFlat, values, req.locale);
        if (!form.ok)
          return page(
            req,
            reply,
            title,
            (v) => entityPage(req, v, req.params.id, undefined, { values, errors: fieldErrors(form.errors) }),
            400,
          );
        try {
          await svc.updateEntity(wctx(req), { id: req.params.id, patch: formPatch(form.data) });
        } catch (e) {
          if (e instanceof DomainError && e.status === 404) throw e;
          return page(
            req,
            reply,
            title,
            (v) => entityPage(req, v, req.params.id, undefined, { values, error: formError(v, e) }),
            statusOf(e),
          );
        }
        return reply.redirect(localePath(req.locale, `/admin/entities/${req.params.id}?done=saved`), 303);
      },
    );

    r.post(
      '/:lc/admin/entities/:id/focal-points',
      { config: focal, schema: { hide: true, params: EntityParams } },
      async (req, reply) => {
        const form = parseForm(FocalPointInput, req.body, req.locale);
        if (!form.ok)
          return page(
            req,
            reply,
            title,
            (v) =>
              entityPage(req, v, req.params.id, undefined, { email: form.values.email, emailError: form.errors.email }),
            400,
          );
        try {
          await svc.appointFocalPoint(wctx(req), { entityId: req.params.id, email: form.data.email });
        } catch (e) {
          if (e instanceof DomainError && e.code === 'entity_not_found') throw e;
          return page(
            req,
            reply,
            title,
            (v) =>
              entityPage(req, v, req.params.id, undefined, { email: form.values.email, emailError: formError(v, e) }),
            statusOf(e),
          );
        }
        return reply.redirect(
          localePath(req.locale, `/admin/entities/${req.params.id}?done=appointed#focal-points`),
          303,
        );
      },
    );

    r.post(
      '/:lc/admin/entities/:id/focal-points/:personId/remove',
      { config: focal, schema: { hide: true, params: FocalParams } },
      async (req, reply) => {
        await svc.removeFocalPoint(wctx(req), { entityId: req.params.id, personId: req.params.personId });
        return reply.redirect(
          localePath(req.locale, `/admin/entities/${req.params.id}?done=removed#focal-points`),
          303,
        );
      },
    );

    r.post(
      '/:lc/admin/entities/:id/merge',
      { config: manage, schema: { hide: true, params: EntityParams } },
      async (req, reply) => {
        const form = parseForm(MergeInput, req.body, req.locale);
        if (!form.ok)
          return page(
            req,
            reply,
            title,
            (v) => entityPage(req, v, req.params.id, undefined, { error: v.t('errors.invalid_input') }),
            400,
          );
        try {
          const res = await svc.mergeEntities(wctx(req), { from: req.params.id, into: form.data.into });
          return reply.redirect(localePath(req.locale, `/admin/entities/${res.into}?done=merged`), 303);
        } catch (e) {
          if (e instanceof DomainError && e.code === 'entity_not_found') throw e;
          return page(
            req,
            reply,
            title,
            (v) => entityPage(req, v, req.params.id, undefined, { error: formError(v, e) }),
            statusOf(e),
          );
        }
      },
    );
  });
}
