/**
 * The secretariat's programme editor (no script needed): the list of sessions and drafts, the session form (six
 * languages, speakers and moderators in rows), conflicts shown before saving with an override reason, the conflicts
 * page, and publication.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { DomainError } from '../../platform/errors.js';
import { parseForm } from '../../platform/http/forms.js';
import { formatDay, formatTimeRange, genevaDate } from '../../platform/i18n/format.js';
import { pick, text } from '../../platform/i18n/localized.js';
import { LOCALES } from '../../platform/i18n/locales.js';
import { translator } from '../../platform/i18n/messages.js';
import { honorificOptions } from '../../platform/i18n/names.js';
import { ChoiceField, Notice, PostForm, SelectField, TextAreaField, TextField } from '../../platform/ui/forms.js';
import { localePath } from '../../platform/ui/layout.js';
import { requireLocalePrefix } from '../../platform/ui/locale-routes.js';
import { sendPrivatePage, type View } from '../../platform/ui/page.js';
import { getEvents } from '../events/index.js';
import { agendaCounts } from './programme.agenda.js';
import type { Conflict } from './programme.conflicts.js';
import { FORMATS, SDGS, SessionForm, SPEAKER_ROWS } from './programme.editor.input.js';
import {
  cancelSession,
  discardDraft,
  FormRefusal,
  formValuesOf,
  getEditable,
  listConflicts,
  listDrafts,
  listForEditor,
  saveSessionDraft,
} from './programme.editor.js';
import { publishProgramme } from './programme.publish.js';
import { getProgrammeFacets } from './programme.service.js';

const Lc = z.object({ lc: z.string() });
const LcCode = Lc.extend({ code: z.string().regex(/^[A-Za-z0-9-]{1,40}$/) });
const ListQuery = z.object({ done: z.string().max(20).optional() });
const NewQuery = z.object({
  from: z
    .string()
    .regex(/^[A-Za-z0-9-]{1,40}$/)
    .optional(),
});
const DONE = new Set(['saved', 'cancelled', 'discarded', 'published', 'nothing']);
const edit = { permission: 'programme.edit' as const };
const wctx = (req: FastifyRequest) => req.ctx as typeof req.ctx & { db: Db };
const BASE = '/secretariat/programme';

type Values = Record<string, string | string[] | undefined>;

/** One conflict as a sentence, with a link to the other session. */
export function ConflictText({ v, c }: { v: View; c: Conflict }) {
  const { t, locale } = v;
  return (
    <>
      {c.code && (
        <>
          <a href={localePath(locale, `${BASE}/${c.code}`)}>{c.code}</a>
          {t('list.separator')}
        </>
      )}
      {t(`programme_editor.conflict.${c.kind}`, { other: c.other ?? '', detail: c.detail ?? '' })}
      {c.other && (
        <>
          {' '}
          (<a href={localePath(locale, `${BASE}/${c.other}`)}>{c.other}</a>)
        </>
      )}
    </>
  );
}

export async function formPage(
  req: FastifyRequest,
  v: View,
  opts: {
    code: string | null;
    values: Values;
    errors?: Record<string, string>;
    error?: string;
    conflicts?: Conflict[];
  },
) {
  const { t, locale } = v;
  const facets = await getProgrammeFacets(req.ctx);
  const val = (k: string) => {
    const x = opts.values[k];
    return Array.isArray(x) ? x[0] : x;
  };
  const vals = (k: string) => {
    const x = opts.values[k];
    return x === undefined ? [] : Array.isArray(x) ? x : [x];
  };
  const e = opts.errors ?? {};
  const action = localePath(locale, opts.code ? `${BASE}/${opts.code}` : `${BASE}/new`);
  const title = opts.code ? t('programme_editor.edit_title', { code: opts.code }) : t('programme_editor.new_title');
  const langName = (l: string) => t(`programme_editor.lang.${l}`);
  return {
    title,
    body: (
      <>
        <p class="kicker">
          <a href={localePath(locale, BASE)}>{t('programme_editor.title')}</a>
        </p>
        <h1>{title}</h1>
        {opts.conflicts && opts.conflicts.length > 0 && (
          <div class="notice notice-error" role="alert" id="conflicts">
            <h2>{t('programme_editor.conflicts_found', { count: opts.conflicts.length })}</h2>
            <ul>
              {opts.conflicts.map((c) => (
                <li>
                  <ConflictText v={v} c={c} />
                </li>
              ))}
            </ul>
            <p>{t('programme_editor.override_lead')}</p>
          </div>
        )}
        <PostForm action={action} csrf={req.csrfToken()} errors={e} error={opts.error} label={title}>
          {opts.conflicts && opts.conflicts.length > 0 && (
            <TextAreaField
              name="override_reason"
              label={t('programme_editor.override_reason')}
              value={val('override_reason')}
              maxLength={500}
              rows={2}
              error={e.override_reason}
            />
          )}
          <fieldset class="field-wide">
            <legend>{t('programme_editor.titles')}</legend>
            <p class="hint">{t('programme_editor.titles_hint')}</p>
            {LOCALES.map((l) => (
              <TextField
                name={`title_${l}`}
                label={t('programme_editor.title_in', { lang: langName(l) })}
                value={val(`title_${l}`)}
                maxLength={300}
                dir={l === 'ar' ? 'rtl' : 'ltr'}
                error={e[`title_${l}`]}
                wide
              />
            ))}
            {LOCALES.map((l) => (
              <TextAreaField
                name={`desc_${l}`}
                label={t('programme_editor.description_in', { lang: langName(l) })}
                value={val(`desc_${l}`)}
                maxLength={4000}
                rows={3}
                dir={l === 'ar' ? 'rtl' : 'ltr'}
                error={e[`desc_${l}`]}
              />
            ))}
          </fieldset>
          <SelectField
            name="event"
            label={t('programme.event')}
            value={val('event')}
            options={facets.events.map((x) => [x.slug, text(x.shortName, locale)])}
            error={e.event}
            required
          />
          <SelectField
            name="track"
            label={t('programme.track')}
            any={t('programme_editor.none')}
            value={val('track')}
            options={facets.tracks.map((x) => [x.slug, text(x.name, locale)])}
            error={e.track}
          />
          <SelectField
            name="format"
            label={t('session.format')}
            value={val('format')}
            options={FORMATS.map((f) => [f, t(`format.${f}`)])}
            error={e.format}
          />
          <SelectField
            name="room"
            label={t('programme.room')}
            any={t('programme_editor.none')}
            value={val('room')}
            // A retired room is offered only to the sessions already in it.
            options={facets.rooms
              .filter((r) => !r.retiredAt || r.slug === val('room'))
              .map((r) => [r.slug, r.capacity ? `${text(r.name, locale)} (${r.capacity})` : text(r.name, locale)])}
            error={e.room}
          />
          <TextField name="day" type="date" label={t('programme.day')} value={val('day')} error={e.day} required />
          <TextField
            name="start"
            label={t('programme_editor.start')}
            hint={t('programme_editor.time_hint')}
            value={val('start')}
            maxLength={5}
            dir="ltr"
            error={e.start}
            required
          />
          <TextField
            name="end"
            label={t('programme_editor.end')}
            hint={t('programme_editor.time_hint')}
            value={val('end')}
            maxLength={5}
            dir="ltr"
            error={e.end}
            required
          />
          <TextField
            name="capacity"
            type="number"
            label={t('programme_editor.capacity')}
            value={val('capacity')}
            min={1}
            error={e.capacity}
          />
          <ChoiceField
            name="lines"
            type="checkbox"
            legend={t('session.action_lines')}
            options={facets.actionLines.map((a) => ({
              value: a.code,
              label: `${a.code} · ${text(a.name, locale)}`,
              checked: vals('lines').includes(a.code),
            }))}
            error={e.lines}
          />
          <ChoiceField
            name="sdgs"
            type="checkbox"
            legend={t('sdg.label')}
            options={SDGS.map((n) => ({
              value: String(n),
              label: `${t('sdg.short', { n })} · ${t(`sdg.g${n}`)}`,
              checked: vals('sdgs').includes(String(n)),
            }))}
            error={e.sdgs}
          />
          <fieldset class="field choices">
            <legend>{t('programme_editor.restrictions')}</legend>
            <label class="choice">
              <input type="checkbox" name="in_person_only" checked={val('in_person_only') === 'on'} />{' '}
              {t('programme_editor.in_person_only')}
            </label>
            <label class="choice">
              <input type="checkbox" name="invitation_only" checked={val('invitation_only') === 'on'} />{' '}
              {t('programme_editor.invitation_only')}
            </label>
          </fieldset>
          <SelectField
            name="language"
            label={t('programme_editor.language')}
            any={t('programme_editor.none')}
            value={val('language')}
            options={LOCALES.map((l) => [l, langName(l)])}
            error={e.language}
          />
          <ChoiceField
            name="interp"
            type="checkbox"
            legend={t('programme_editor.interpretation')}
            options={LOCALES.map((l) => ({ value: l, label: langName(l), checked: vals('interp').includes(l) }))}
            error={e.interp}
          />
          <TextField
            name="join_url"
            type="url"
            label={t('programme_editor.join_url')}
            hint={t('programme_editor.join_url_hint')}
            value={val('join_url')}
            dir="ltr"
            error={e.join_url}
            wide
          />
          <TextField
            name="webcast_url"
            type="url"
            label={t('programme_editor.webcast_url')}
            value={val('webcast_url')}
            dir="ltr"
            error={e.webcast_url}
            wide
          />
          <fieldset class="field-wide">
            <legend>{t('programme_editor.people')}</legend>
            <p class="hint">{t('programme_editor.people_hint')}</p>
            {Array.from({ length: SPEAKER_ROWS }, (_, i) => (
              <fieldset class="speaker-row">
                <legend>{t('programme_editor.person_n', { n: i + 1 })}</legend>
                <SelectField
                  name={`sp${i}_kind`}
                  label={t('programme_editor.role')}
                  value={val(`sp${i}_kind`)}
                  options={[
                    ['speaker', t('programme_editor.speaker')],
                    ['moderator', t('programme_editor.moderator')],
                  ]}
                />
                <TextField
                  name={`sp${i}_email`}
                  type="email"
                  label={t('programme_editor.account_email')}
                  value={val(`sp${i}_email`)}
                  error={e[`sp${i}_email`]}
                />
                <SelectField
                  name={`sp${i}_honorific`}
                  label={t('validation.field.honorific')}
                  value={val(`sp${i}_honorific`)}
                  options={honorificOptions(locale)}
                />
                <TextField
                  name={`sp${i}_given`}
                  label={t('validation.field.givenName')}
                  value={val(`sp${i}_given`)}
                  dir="auto"
                />
                <TextField
                  name={`sp${i}_family`}
                  label={t('validation.field.familyName')}
                  value={val(`sp${i}_family`)}
                  dir="auto"
                />
                <TextField
                  name={`sp${i}_given_latin`}
                  label={t('validation.field.givenNameLatin')}
                  value={val(`sp${i}_given_latin`)}
                  dir="ltr"
                />
                <TextField
                  name={`sp${i}_family_latin`}
                  label={t('validation.field.familyNameLatin')}
                  value={val(`sp${i}_family_latin`)}
                  dir="ltr"
                />
                <TextField
                  name={`sp${i}_title`}
                  label={t('validation.field.jobTitle')}
                  value={val(`sp${i}_title`)}
                  dir="auto"
                />
                <TextField
                  name={`sp${i}_org`}
                  label={t('programme_editor.organization')}
                  value={val(`sp${i}_org`)}
                  dir="auto"
                />
                {val(`sp${i}_country`) && <input type="hidden" name={`sp${i}_country`} value={val(`sp${i}_country`)} />}
              </fieldset>
            ))}
          </fieldset>
          <div class="form-actions">
            <button type="submit">{t('programme_editor.save_draft')}</button>
          </div>
        </PostForm>
      </>
    ),
  };
}

export async function programmeEditorPages(app: FastifyInstance) {
  await app.register(async (plain) => {
    const r = plain.withTypeProvider<ZodTypeProvider>();
    await requireLocalePrefix(plain);

    r.get(`/:lc${BASE}`, { config: edit, schema: { hide: true, params: Lc, querystring: ListQuery } }, (req, reply) =>
      sendPrivatePage(req, reply, async (v) => {
        const { t, locale } = v;
        const [all, drafts, events] = await Promise.all([
          listForEditor(req.ctx),
          listDrafts(req.ctx),
          getEvents(req.ctx),
        ]);
        const counts = await agendaCounts(req.ctx.db);
        const eventName = new Map(events.map((e) => [e.id, text(e.shortName, locale)]));
        const done = req.query.done && DONE.has(req.query.done) ? req.query.done : undefined;
        return {
          title: t('programme_editor.title'),
          body: (
            <>
              <h1>{t('programme_editor.title')}</h1>
              {done && <Notice kind="ok">{t(`programme_editor.done.${done}`)}</Notice>}
              <p class="actions">
                <a class="button" href={localePath(locale, `${BASE}/new`)}>
                  {t('programme_editor.new_title')}
                </a>{' '}
                <a class="button secondary" href={localePath(locale, `${BASE}/conflicts`)}>
                  {t('programme_editor.conflicts_title')}
                </a>{' '}
                <a class="button secondary" href={localePath(locale, `${BASE}/grid`)}>
                  {t('programme_grid.nav')}
                </a>
              </p>
              <section aria-labelledby="drafts-title">
                <h2 id="drafts-title">{t('programme_editor.drafts', { count: drafts.length })}</h2>
                {drafts.length > 0 && (
                  <>
                    <ul id="drafts">
                      {drafts.map((d) => (
                        <li>
                          <a href={localePath(locale, `${BASE}/${d.code}`)}>{d.code}</a>
                          {t('list.separator')}
                          <bdi>{pick(d.data.title, locale).text}</bdi>
                          {t('list.separator')}
                          {d.data.cancelled
                            ? t('programme_editor.change.cancelled')
                            : d.isNew
                              ? t('programme_editor.change.added')
                              : t('programme_editor.change.changed')}
                          {d.overrideReason && (
                            <>
                              {t('list.separator')}
                              {t('programme_editor.overridden', { reason: d.overrideReason })}
                            </>
                          )}
                        </li>
                      ))}
                    </ul>
                    <PostForm action={localePath(locale, `${BASE}/publish`)} csrf={req.csrfToken()} class="inline">
                      <button type="submit">{t('programme_editor.publish', { count: drafts.length })}</button>
                    </PostForm>
                  </>
                )}
              </section>
              <section aria-labelledby="sessions-title">
                <h2 id="sessions-title">{t('programme_editor.sessions', { count: all.length })}</h2>
                <div class="table-scroll">
                  <table class="data" id="editor-sessions">
                    <thead>
                      <tr>
                        <th>{t('programme_editor.col.code')}</th>
                        <th>{t('programme_editor.col.session')}</th>
                        <th>{t('session.when')}</th>
                        <th>{t('session.room')}</th>
                        <th>{t('programme_editor.col.agendas')}</th>
                        <th>{t('programme_editor.col.actions')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {all.map((s) => (
                        <tr>
                          <td>{s.code}</td>
                          <td>
                            <bdi>{text(s.title, locale)}</bdi>
                            <br />
                            <small>{eventName.get(s.eventId)}</small>
                            {s.cancelledAt && <strong> {t('programme_editor.cancelled')}</strong>}
                          </td>
                          <td>
                            {formatDay(locale, genevaDate(s.startsAt), 'short')}{' '}
                            <span dir="ltr">{formatTimeRange(locale, s.startsAt, s.endsAt)}</span>
                          </td>
                          <td>{s.room ? text(s.room.name, locale) : ''}</td>
                          <td>{counts.get(s.id) ?? 0}</td>
                          <td>
                            <a href={localePath(locale, `${BASE}/${s.code}`)}>{t('programme_editor.edit')}</a>{' '}
                            <a href={localePath(locale, `${BASE}/new?from=${s.code}`)}>
                              {t('programme_editor.duplicate')}
                            </a>
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </section>
            </>
          ),
        };
      }),
    );

    r.get(`/:lc${BASE}/conflicts`, { config: edit, schema: { hide: true, params: Lc } }, (req, reply) =>
      sendPrivatePage(req, reply, async (v) => {
        const conflicts = await listConflicts(req.ctx);
        const { t, locale } = v;
        return {
          title: t('programme_editor.conflicts_title'),
          body: (
            <>
              <p class="kicker">
                <a href={localePath(locale, BASE)}>{t('programme_editor.title')}</a>
              </p>
              <h1>{t('programme_editor.conflicts_title')}</h1>
              <p>{t('programme_editor.conflicts_found', { count: conflicts.length })}</p>
              <ul id="conflict-list">
                {conflicts.map((c) => (
                  <li data-kind={c.kind}>
                    <ConflictText v={v} c={c} />
                  </li>
                ))}
              </ul>
            </>
          ),
        };
      }),
    );

    r.get(
      `/:lc${BASE}/new`,
      { config: edit, schema: { hide: true, params: Lc, querystring: NewQuery } },
      (req, reply) =>
        sendPrivatePage(req, reply, async (v) => {
          let values: Values = { format: 'panel' };
          if (req.query.from) {
            const src = await getEditable(req.ctx, req.query.from);
            values = await formValuesOf(req.ctx.db, { ...src.data, cancelled: false });
          }
          return formPage(req, v, { code: null, values });
        }),
    );

    r.get(`/:lc${BASE}/:code`, { config: edit, schema: { hide: true, params: LcCode } }, (req, reply) =>
      sendPrivatePage(req, reply, async (v) => {
        const cur = await getEditable(req.ctx, req.params.code);
        const page = await formPage(req, v, {
          code: req.params.code,
          values: { ...(await formValuesOf(req.ctx.db, cur.data)), override_reason: cur.overrideReason ?? '' },
        });
        const { t, locale } = v;
        return {
          ...page,
          body: (
            <>
              {cur.draft && <Notice kind="ok">{t('programme_editor.has_draft')}</Notice>}
              {page.body}
              <div class="actions">
                {cur.published && !cur.published.cancelledAt && (
                  <PostForm
                    action={localePath(locale, `${BASE}/${req.params.code}/cancel`)}
                    csrf={req.csrfToken()}
                    class="inline"
                  >
                    <button type="submit" class="secondary">
                      {t('programme_editor.cancel_session')}
                    </button>
                  </PostForm>
                )}
                {cur.draft && (
                  <PostForm
                    action={localePath(locale, `${BASE}/${req.params.code}/discard`)}
                    csrf={req.csrfToken()}
                    class="inline"
                  >
                    <button type="submit" class="secondary">
                      {t('programme_editor.discard')}
                    </button>
                  </PostForm>
                )}
              </div>
            </>
          ),
        };
      }),
    );

    const save = async (req: FastifyRequest, reply: FastifyReply, code: string | null) => {
      const body = (req.body ?? {}) as Values;
      const form = parseForm(SessionForm, body, req.locale);
      const again = (o: { errors?: Record<string, string>; error?: string; conflicts?: Conflict[] }, status: number) =>
        sendPrivatePage(req, reply, async (v) => ({
          ...(await formPage(req, v, { code, values: body, ...o })),
          status,
        }));
      if (!form.ok) return again({ errors: form.errors }, 400);
      try {
        const res = await saveSessionDraft(wctx(req), code, form.data);
        if (!res.ok) return again({ conflicts: res.conflicts }, 409);
        return reply.redirect(localePath(req.locale, `${BASE}?done=saved`), 303);
      } catch (e) {
        if (e instanceof FormRefusal) {
          const t = translator(req.locale);
          return again(
            { errors: Object.fromEntries(Object.entries(e.fields).map(([k, c]) => [k, t(`errors.${c}`)])) },
            400,
          );
        }
        if (e instanceof DomainError && e.status !== 404) {
          const t = translator(req.locale);
          return again({ error: t(`errors.${e.code}`, e.params) }, e.status);
        }
        throw e;
      }
    };
    r.post(`/:lc${BASE}/new`, { config: edit, schema: { hide: true, params: Lc } }, (req, reply) =>
      save(req, reply, null),
    );
    r.post(`/:lc${BASE}/:code`, { config: edit, schema: { hide: true, params: LcCode } }, (req, reply) =>
      save(req, reply, req.params.code),
    );
    r.post(`/:lc${BASE}/:code/cancel`, { config: edit, schema: { hide: true, params: LcCode } }, async (req, reply) => {
      await cancelSession(wctx(req), req.params.code);
      return reply.redirect(localePath(req.locale, `${BASE}?done=cancelled`), 303);
    });
    r.post(
      `/:lc${BASE}/:code/discard`,
      { config: edit, schema: { hide: true, params: LcCode } },
      async (req, reply) => {
        await discardDraft(wctx(req), req.params.code);
        return reply.redirect(localePath(req.locale, `${BASE}?done=discarded`), 303);
      },
    );
    r.post(`/:lc${BASE}/publish`, { config: edit, schema: { hide: true, params: Lc } }, async (req, reply) => {
      try {
        await publishProgramme(wctx(req));
      } catch (e) {
        if (e instanceof DomainError && e.code === 'nothing_to_publish')
          return reply.redirect(localePath(req.locale, `${BASE}?done=nothing`), 303);
        throw e;
      }
      return reply.redirect(localePath(req.locale, `${BASE}?done=published`), 303);
    });
  });
}
