/**
 * Speaking-request pages: the focal point's (or stakeholder's) page with the countdown to the deadline, the
 * secretariat's queue, and a session's speakers' list with moves by hand, the time per statement and exports.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { DomainError } from '../../platform/errors.js';
import { parseForm } from '../../platform/http/forms.js';
import {
  formatDateTime,
  formatDay,
  formatTimeRange,
  genevaDate,
  genevaInstant,
  genevaParts,
} from '../../platform/i18n/format.js';
import { text } from '../../platform/i18n/localized.js';
import { LOCALES } from '../../platform/i18n/locales.js';
import { can } from '../../platform/permissions.js';
import { Notice, PostForm, SelectField, TextAreaField, TextField } from '../../platform/ui/forms.js';
import { localePath } from '../../platform/ui/layout.js';
import { requireLocalePrefix } from '../../platform/ui/locale-routes.js';
import { sendPrivatePage, type View } from '../../platform/ui/page.js';
import { DecisionInput, EditInput, MoveInput, QueueQuery, SubmitInput, TimeLimitInput } from './speaking.input.js';
import type { SpeakingRequest } from './speaking.queries.js';
import { countdown, isBeforeDeadline, KINDS, RANKS, STATES, timeLeft } from './speaking.rules.js';
import { SPEAKING_EVENTS } from './speaking.seed.js';
import * as svc from './speaking.service.js';
import { PersonNameView } from '../../platform/ui/person-name.js';
import type { Locale } from '../../platform/i18n/locales.js';
import { honorificOptions, langOnPage, titledName } from '../../platform/i18n/names.js';

const EVENT = SPEAKING_EVENTS[0];
const Lc = z.object({ lc: z.string() });
const LcId = Lc.extend({ id: z.string().uuid() });
const LcCode = Lc.extend({ code: z.string().max(40) });
const Done = z.object({ done: z.string().max(20).optional() });
/** A posted form read with the API's schema; a malformed one is a translated 400. */
function parsed<S extends z.ZodType>(schema: S, body: unknown, locale: FastifyRequest['locale']): z.infer<S> {
  const form = parseForm(schema, body, locale);
  if (!form.ok) throw new DomainError('invalid_input', 400);
  return form.data;
}
const DONE = new Set(['submitted', 'edited', 'withdrawn', 'decided', 'assigned', 'moved', 'time', 'deadline', 'late']);
const wctx = (req: FastifyRequest) => req.ctx as typeof req.ctx & { db: Db };

function DoneNotice({ v, done }: { v: View; done?: string }) {
  return done && DONE.has(done) ? <Notice kind="ok">{v.t(`speaking.done.${done}`)}</Notice> : null;
}

function SpeakerCell({ r, locale }: { r: SpeakingRequest; locale: Locale }) {
  return (
    <>
      <PersonNameView p={r} locale={locale} />
      {r.title && (
        <div class="hint">
          <bdi lang={langOnPage(r.title, locale)}>{r.title}</bdi>
        </div>
      )}
    </>
  );
}

/** "Requests close on …, Geneva time" and the time left, in the page's language. */
function Deadline({ v, deadline, now }: { v: View; deadline: Date; now: Date }) {
  if (!isBeforeDeadline(now, deadline)) return <Notice kind="error">{v.t('speaking.closed')}</Notice>;
  const left = countdown(timeLeft(now, deadline));
  return (
    <div class="notice notice-ok" role="status" id="deadline">
      <p>{v.t('speaking.deadline', { deadline: formatDateTime(v.locale, deadline) })}</p>
      <p class="countdown">
        <strong>{v.t('speaking.remaining', left)}</strong>
      </p>
    </div>
  );
}

export async function speakingPages(app: FastifyInstance) {
  await app.register(async (plain) => {
    const r = plain.withTypeProvider<ZodTypeProvider>();
    await requireLocalePrefix(plain);
    const request = { permission: 'speaking.request' as const };
    const review = { permission: 'speaking.review' as const };

    // ---------------------------------------------------------------- the requester's page
    const requestForm = async (
      req: FastifyRequest,
      v: View,
      opts: {
        values?: Record<string, string>;
        errors?: Record<string, string>;
        error?: string;
        editing?: SpeakingRequest;
      },
    ) => {
      const mine = await svc.speakingEntitiesOf(req.ctx);
      const values = opts.values ?? {};
      const e = opts.errors ?? {};
      const editing = opts.editing;
      const people = mine.flatMap((m) =>
        m.people.map(
          (p) => [p.id, `${titledName(p, v.locale)} · ${text(m.entity.name, v.locale)}`] as [string, string],
        ),
      );
      const val = (k: keyof SpeakingRequest & string) => values[k] ?? (editing ? String(editing[k] ?? '') : '');
      return (
        <section>
          <h2 id="form-title">{editing ? v.t('speaking.edit') : v.t('speaking.new')}</h2>
          <PostForm
            action={localePath(v.locale, editing ? `/speaking/${editing.id}` : '/speaking')}
            csrf={req.csrfToken()}
            class="stack speaking-form"
            errors={e}
            error={opts.error}
          >
            {!editing && (
              <>
                <SelectField
                  name="entityId"
                  label={v.t('speaking.field.entity')}
                  value={values.entityId}
                  error={e.entityId}
                  options={mine.map((m) => [String(m.entity.id), text(m.entity.name, v.locale)])}
                />
                <SelectField
                  name="kind"
                  label={v.t('speaking.field.kind')}
                  value={values.kind}
                  error={e.kind}
                  options={KINDS.map((k) => [k, v.t(`speaking.kind.${k}`)])}
                />
              </>
            )}
            <SelectField
              name="speakerPersonId"
              label={v.t('speaking.field.speaker_person')}
              any={v.t('speaking.field.typed')}
              value={val('speakerPersonId')}
              error={e.speakerPersonId}
              options={people}
            />
            <fieldset class="field">
              <legend>{v.t('speaking.field.speaker_typed')}</legend>
              <small class="hint">{v.t('speaking.field.speaker_typed_hint')}</small>
              <SelectField
                name="honorific"
                label={v.t('speaking.field.honorific')}
                value={val('honorific')}
                error={e.honorific}
                options={honorificOptions(v.locale)}
              />
              <TextField
                name="givenName"
                label={v.t('speaking.field.given_name')}
                value={val('givenName')}
                maxLength={100}
                error={e.givenName}
                dir="auto"
              />
              <TextField
                name="familyName"
                label={v.t('speaking.field.family_name')}
                value={val('familyName')}
                maxLength={100}
                error={e.familyName}
                dir="auto"
              />
              <TextField
                name="givenNameLatin"
                label={v.t('speaking.field.given_name_latin')}
                value={val('givenNameLatin')}
                error={e.givenNameLatin}
                maxLength={100}
                dir="ltr"
              />
              <TextField
                name="familyNameLatin"
                label={v.t('speaking.field.family_name_latin')}
                value={val('familyNameLatin')}
                error={e.familyNameLatin}
                maxLength={100}
                dir="ltr"
              />
              <TextField
                name="speakerEmail"
                type="email"
                label={v.t('speaking.field.email')}
                value={val('speakerEmail')}
                maxLength={254}
                error={e.speakerEmail}
              />
              <SelectField
                name="speakerLocale"
                label={v.t('speaking.field.speaker_locale')}
                value={val('speakerLocale') || v.locale}
                error={e.speakerLocale}
                options={LOCALES.map((l) => [l, v.t(`speaking.lang.${l}`)])}
              />
            </fieldset>
            <TextField
              name="title"
              label={v.t('speaking.field.title')}
              value={val('title')}
              error={e.title}
              maxLength={200}
              wide
              dir="auto"
            />
            <SelectField
              name="rank"
              label={v.t('speaking.field.rank')}
              any="—"
              value={val('rank')}
              error={e.rank}
              options={RANKS.map((x) => [x, v.t(`speaking.rank.${x}`)])}
            />
            <SelectField
              name="preferredDay"
              label={v.t('speaking.field.preferred_day')}
              any={v.t('speaking.field.any_day')}
              value={val('preferredDay')}
              error={e.preferredDay}
              options={['2026-07-08', '2026-07-09'].map((d) => [d, formatDay(v.locale, d)])}
            />
            <SelectField
              name="language"
              label={v.t('speaking.field.language')}
              value={val('language') || v.locale}
              error={e.language}
              options={LOCALES.map((l) => [l, v.t(`speaking.lang.${l}`)])}
            />
            <TextAreaField
              name="abstract"
              label={v.t('speaking.field.abstract')}
              value={val('abstract')}
              error={e.abstract}
              maxLength={1500}
            />
            <button type="submit">{editing ? v.t('speaking.save') : v.t('speaking.submit')}</button>
          </PostForm>
        </section>
      );
    };

    const minePage =
      (req: FastifyRequest, done?: string, form?: Parameters<typeof requestForm>[2]) => async (v: View) => {
        const { settings } = await svc.getSpeakingEvent(req.ctx.db, EVENT);
        const mine = await svc.speakingEntitiesOf(req.ctx);
        const requests = mine.length ? await svc.listMySpeakingRequests(req.ctx, EVENT) : [];
        const open = isBeforeDeadline(req.ctx.now, settings.deadline);
        return {
          title: v.t('speaking.title'),
          body: (
            <section>
              <h1>{v.t('speaking.title')}</h1>
              <p class="lead">{v.t('speaking.lead')}</p>
              <DoneNotice v={v} done={done} />
              <Deadline v={v} deadline={settings.deadline} now={req.ctx.now} />
              {!mine.length ? (
                <p>{v.t('speaking.no_entity')}</p>
              ) : (
                <>
                  {requests.length === 0 ? (
                    <p>{v.t('speaking.none')}</p>
                  ) : (
                    <table class="data" id="my-requests">
                      <thead>
                        <tr>
                          <th>{v.t('speaking.col.entity')}</th>
                          <th>{v.t('speaking.col.kind')}</th>
                          <th>{v.t('speaking.col.speaker')}</th>
                          <th>{v.t('speaking.col.state')}</th>
                          <th>{v.t('speaking.col.session')}</th>
                          <th>{v.t('speaking.col.actions')}</th>
                        </tr>
                      </thead>
                      <tbody>
                        {requests.map(({ r: x, entity, session }) => (
                          <tr>
                            <td>{text(entity.name, v.locale)}</td>
                            <td>{v.t(`speaking.kind.${x.kind}`)}</td>
                            <td>
                              <SpeakerCell r={x} locale={v.locale} />
                            </td>
                            <td>
                              <strong>{v.t(`speaking.state.${x.state}`)}</strong>
                              {x.reason && <div class="hint">{x.reason}</div>}
                            </td>
                            <td>
                              {session ? (
                                <a href={localePath(v.locale, `/sessions/${session.code}`)}>{session.code}</a>
                              ) : (
                                ''
                              )}
                            </td>
                            <td>
                              {(x.state === 'submitted' || x.state === 'waitlisted') && (open || x.late) && (
                                <a href={localePath(v.locale, `/speaking/${x.id}/edit`)}>{v.t('speaking.edit')}</a>
                              )}{' '}
                              {['submitted', 'accepted', 'waitlisted'].includes(x.state) && (
                                <PostForm
                                  action={localePath(v.locale, `/speaking/${x.id}/withdraw`)}
                                  csrf={req.csrfToken()}
                                  class="inline-form"
                                  confirm="withdraw_speaking"
                                >
                                  <button type="submit" class="link-button">
                                    {v.t('speaking.withdraw')}
                                  </button>
                                </PostForm>
                              )}
                            </td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  )}
                  {(open || form?.error) && (await requestForm(req, v, form ?? {}))}
                </>
              )}
              {can(req.ctx.actor, 'speaking.review') && (
                <p>
                  <a href={localePath(v.locale, '/secretariat/speaking')}>{v.t('speaking.queue.title')}</a>
                </p>
              )}
            </section>
          ),
        };
      };

    r.get('/:lc/speaking', { config: request, schema: { hide: true, params: Lc, querystring: Done } }, (req, reply) =>
      sendPrivatePage(req, reply, minePage(req, req.query.done)),
    );

    const formBody = (req: FastifyRequest) => {
      const body = { ...(req.body as Record<string, unknown>) };
      delete body._csrf;
      return body;
    };
    r.post('/:lc/speaking', { config: request, schema: { hide: true, params: Lc } }, async (req, reply) => {
      const body = formBody(req);
      const values = body as Record<string, string>;
      const form = parseForm(SubmitInput, body, req.locale);
      if (!form.ok)
        return sendPrivatePage(req, reply, async (v) => ({
          ...(await minePage(req, undefined, { values, errors: form.errors })(v)),
          status: 400,
        }));
      try {
        await svc.submitSpeakingRequest(wctx(req), EVENT, form.data);
      } catch (e) {
        if (!(e instanceof DomainError)) throw e;
        return sendPrivatePage(req, reply, async (v) => ({
          ...(await minePage(req, undefined, { values, error: v.t(`errors.${e.code}`, e.params) })(v)),
          status: e.status,
        }));
      }
      return reply.redirect(localePath(req.locale, '/speaking?done=submitted'), 303);
    });

    const editPage =
      (
        req: FastifyRequest,
        id: string,
        form: { values?: Record<string, string>; errors?: Record<string, string>; error?: string } = {},
      ) =>
      async (v: View) => {
        const mine = await svc.listMySpeakingRequests(req.ctx, EVENT);
        const found =
          mine.find((x) => x.r.id === id) ??
          (can(req.ctx.actor, 'speaking.review')
            ? (await svc.listSpeakingQueue(req.ctx, EVENT)).find((x) => x.r.id === id)
            : undefined);
        if (!found) throw new DomainError('speaking_request_not_found', 404);
        const { settings } = await svc.getSpeakingEvent(req.ctx.db, EVENT);
        return {
          title: v.t('speaking.edit'),
          body: (
            <section>
              <h1>{v.t('speaking.edit')}</h1>
              <p>
                {text(found.entity.name, v.locale)} · {v.t(`speaking.kind.${found.r.kind}`)}
              </p>
              <Deadline v={v} deadline={settings.deadline} now={req.ctx.now} />
              {await requestForm(req, v, { ...form, editing: found.r })}
            </section>
          ),
        };
      };
    r.get('/:lc/speaking/:id/edit', { config: request, schema: { hide: true, params: LcId } }, (req, reply) =>
      sendPrivatePage(req, reply, editPage(req, req.params.id)),
    );
    r.post('/:lc/speaking/:id', { config: request, schema: { hide: true, params: LcId } }, async (req, reply) => {
      const body = formBody(req);
      const values = body as Record<string, string>;
      const form = parseForm(EditInput, body, req.locale);
      if (!form.ok)
        return sendPrivatePage(req, reply, async (v) => ({
          ...(await editPage(req, req.params.id, { values, errors: form.errors })(v)),
          status: 400,
        }));
      try {
        await svc.editSpeakingRequest(wctx(req), req.params.id, form.data);
      } catch (e) {
        if (!(e instanceof DomainError) || e.status === 404) throw e;
        return sendPrivatePage(req, reply, async (v) => ({
          ...(await editPage(req, req.params.id, { values, error: v.t(`errors.${e.code}`, e.params) })(v)),
          status: e.status,
        }));
      }
      return reply.redirect(localePath(req.locale, '/speaking?done=edited'), 303);
    });
    r.post(
      '/:lc/speaking/:id/withdraw',
      { config: request, schema: { hide: true, params: LcId } },
      async (req, reply) => {
        await svc.withdrawSpeakingRequest(wctx(req), req.params.id);
        return reply.redirect(localePath(req.locale, '/speaking?done=withdrawn'), 303);
      },
    );

    // ---------------------------------------------------------------- the secretariat's queue
    r.get(
      '/:lc/secretariat/speaking',
      { config: review, schema: { hide: true, params: Lc, querystring: QueueQuery.extend(Done.shape) } },
      (req, reply) =>
        sendPrivatePage(req, reply, async (v) => {
          const { done, ...filter } = req.query;
          const [queue, sessions, { settings }, permitEntities] = await Promise.all([
            svc.listSpeakingQueue(req.ctx, EVENT, filter),
            svc.listTrackSessions(req.ctx, EVENT),
            svc.getSpeakingEvent(req.ctx.db, EVENT),
            svc.listEntitiesForPermits(req.ctx),
          ]);
          const p = genevaParts(settings.deadline);
          const short = (x: string) => (x.length > 32 ? `${x.slice(0, 31)}…` : x);
          // Each request is offered only the sessions that take its kind (the service refuses the others).
          const sessionOptions = (kind: SpeakingRequest['kind']) =>
            sessions
              .filter((s) => s.kinds.includes(kind))
              .map(
                (s) =>
                  [
                    s.code,
                    `${s.code} · ${formatDay(v.locale, genevaDate(s.startsAt), 'short')} ${formatTimeRange(v.locale, s.startsAt, s.endsAt)} · ${short(text(s.title, v.locale))}`,
                  ] as [string, string],
              );
          return {
            title: v.t('speaking.queue.title'),
            body: (
              <section>
                <h1>{v.t('speaking.queue.title')}</h1>
                <DoneNotice v={v} done={done} />
                <Deadline v={v} deadline={settings.deadline} now={req.ctx.now} />
                <form
                  method="get"
                  action={localePath(v.locale, '/secretariat/speaking')}
                  class="filters"
                  aria-label={v.t('speaking.queue.filters')}
                >
                  <SelectField
                    name="kind"
                    label={v.t('speaking.col.kind')}
                    any={v.t('speaking.queue.any')}
                    value={filter.kind}
                    options={KINDS.map((k) => [k, v.t(`speaking.kind.${k}`)])}
                  />
                  <SelectField
                    name="region"
                    label={v.t('speaking.queue.region')}
                    any={v.t('speaking.queue.any')}
                    value={filter.region}
                    options={['A', 'B', 'C', 'D', 'E'].map((x) => [x, x])}
                  />
                  <SelectField
                    name="rank"
                    label={v.t('speaking.col.rank')}
                    any={v.t('speaking.queue.any')}
                    value={filter.rank}
                    options={RANKS.map((x) => [x, v.t(`speaking.rank.${x}`)])}
                  />
                  <SelectField
                    name="state"
                    label={v.t('speaking.col.state')}
                    any={v.t('speaking.queue.any')}
                    value={filter.state}
                    options={STATES.map((x) => [x, v.t(`speaking.state.${x}`)])}
                  />
                  <button type="submit" class="secondary">
                    {v.t('speaking.queue.filter')}
                  </button>
                </form>
                <p>{v.t('speaking.queue.count', { count: queue.length })}</p>
                <table class="data" id="speaking-queue">
                  <thead>
                    <tr>
                      <th>{v.t('speaking.col.entity')}</th>
                      <th>{v.t('speaking.col.kind')}</th>
                      <th>{v.t('speaking.col.speaker')}</th>
                      <th>{v.t('speaking.col.language')}</th>
                      <th>{v.t('speaking.col.submitted')}</th>
                      <th>{v.t('speaking.col.state')}</th>
                      <th>{v.t('speaking.col.actions')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {queue.map(({ r: x, entity, session }) => (
                      <tr data-id={x.id}>
                        <td>
                          {text(entity.name, v.locale)}
                          {entity.ituRegion && (
                            <div class="hint">
                              {v.t('speaking.queue.region')} {entity.ituRegion}
                            </div>
                          )}
                        </td>
                        <td>{v.t(`speaking.kind.${x.kind}`)}</td>
                        <td>
                          <SpeakerCell r={x} locale={v.locale} />
                          <div class="hint">{v.t(`speaking.rank.${x.rank}`)}</div>
                        </td>
                        <td>{v.t(`speaking.lang.${x.language}`)}</td>
                        <td>
                          {formatDateTime(v.locale, x.submittedAt)}
                          {x.late && <strong> · {v.t('speaking.queue.late')}</strong>}
                        </td>
                        <td>
                          <strong>{v.t(`speaking.state.${x.state}`)}</strong>
                          {x.reason && <div class="hint">{x.reason}</div>}
                        </td>
                        <td>
                          {x.state !== 'declined' && x.state !== 'withdrawn' && (
                            <PostForm
                              action={localePath(v.locale, `/secretariat/speaking/${x.id}/decide`)}
                              csrf={req.csrfToken()}
                              class="decision"
                            >
                              <TextField name="reason" label={v.t('speaking.queue.reason')} maxLength={500} />
                              {x.state !== 'accepted' && (
                                <button type="submit" name="decision" value="accept">
                                  {v.t('speaking.queue.accept')}
                                </button>
                              )}{' '}
                              {x.state !== 'waitlisted' && (
                                <button type="submit" name="decision" value="waitlist" class="secondary">
                                  {v.t('speaking.queue.waitlist')}
                                </button>
                              )}{' '}
                              <button type="submit" name="decision" value="decline" class="secondary">
                                {v.t('speaking.queue.decline')}
                              </button>
                            </PostForm>
                          )}
                          {x.state === 'accepted' && (
                            <PostForm
                              action={localePath(v.locale, `/secretariat/speaking/${x.id}/assign`)}
                              csrf={req.csrfToken()}
                              class="assign"
                            >
                              <SelectField
                                name="session"
                                label={v.t('speaking.queue.session')}
                                any={v.t('speaking.queue.no_session')}
                                value={session?.code}
                                options={sessionOptions(x.kind)}
                              />
                              <button type="submit">{v.t('speaking.queue.assign')}</button>
                              {session && (
                                <p>
                                  <a href={localePath(v.locale, `/secretariat/speaking/sessions/${session.code}`)}>
                                    {v.t('speaking.list.title', { session: session.code })}
                                  </a>
                                </p>
                              )}
                            </PostForm>
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                <h2>{v.t('speaking.queue.lists')}</h2>
                <ul>
                  {sessions
                    .filter((s) => s.kinds.length > 0)
                    .map((s) => (
                      <li>
                        <a href={localePath(v.locale, `/secretariat/speaking/sessions/${s.code}`)}>{s.code}</a> ·{' '}
                        {text(s.title, v.locale)}
                      </li>
                    ))}
                </ul>
                <h2>{v.t('speaking.queue.deadline_title')}</h2>
                <PostForm action={localePath(v.locale, '/secretariat/speaking/deadline')} csrf={req.csrfToken()}>
                  <TextField
                    name="deadline"
                    type="datetime-local"
                    label={v.t('speaking.queue.deadline_label')}
                    value={`${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`}
                  />
                  <button type="submit">{v.t('speaking.queue.deadline_save')}</button>
                </PostForm>
                <h2>{v.t('speaking.queue.late_title')}</h2>
                <PostForm action={localePath(v.locale, '/secretariat/speaking/late')} csrf={req.csrfToken()}>
                  <SelectField
                    name="entityId"
                    label={v.t('speaking.queue.late_entity')}
                    options={permitEntities
                      .map((x) => [String(x.id), text(x.name, v.locale)] as [string, string])
                      .sort((a, b) => a[1].localeCompare(b[1], v.locale))}
                  />
                  <TextField name="reason" label={v.t('speaking.queue.late_reason')} maxLength={500} required />
                  <button type="submit">{v.t('speaking.queue.late_save')}</button>
                </PostForm>
              </section>
            ),
          };
        }),
    );
    const back = (req: FastifyRequest, done: string) => localePath(req.locale, `/secretariat/speaking?done=${done}`);
    r.post(
      '/:lc/secretariat/speaking/:id/decide',
      { config: review, schema: { hide: true, params: LcId } },
      async (req, reply) => {
        const body = formBody(req);
        if (body.reason === '') delete body.reason;
        const input = parsed(DecisionInput, body, req.locale);
        await svc.decideSpeakingRequest(wctx(req), req.params.id, input);
        return reply.redirect(back(req, 'decided'), 303);
      },
    );
    r.post(
      '/:lc/secretariat/speaking/:id/assign',
      { config: review, schema: { hide: true, params: LcId } },
      async (req, reply) => {
        const session = String((req.body as Record<string, unknown>).session ?? '');
        await svc.assignSpeakingRequest(wctx(req), req.params.id, session || null);
        return reply.redirect(back(req, 'assigned'), 303);
      },
    );
    r.post(
      '/:lc/secretariat/speaking/deadline',
      { config: review, schema: { hide: true, params: Lc } },
      async (req, reply) => {
        const raw = String((req.body as Record<string, unknown>).deadline ?? '');
        const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::(\d{2}))?$/.exec(raw);
        if (!m) throw new DomainError('invalid_input', 400);
        // A minute given in Geneva time: the deadline is its last second (23:59 → 23:59:59).
        await svc.setSpeakingDeadline(
          wctx(req),
          EVENT,
          new Date(genevaInstant(m[1], m[2]).getTime() + (m[3] ? Number(m[3]) : 59) * 1000),
        );
        return reply.redirect(back(req, 'deadline'), 303);
      },
    );
    r.post(
      '/:lc/secretariat/speaking/late',
      { config: review, schema: { hide: true, params: Lc } },
      async (req, reply) => {
        const body = req.body as Record<string, unknown>;
        const reason = String(body.reason ?? '').trim();
        if (reason.length < 3) throw new DomainError('reason_required', 400);
        await svc.grantLatePermit(wctx(req), EVENT, Number(body.entityId), reason);
        return reply.redirect(back(req, 'late'), 303);
      },
    );

    // ---------------------------------------------------------------- a session's speakers' list
    const minutes = (s: number) => Math.round((s / 60) * 10) / 10;
    r.get(
      '/:lc/secretariat/speaking/sessions/:code',
      { config: review, schema: { hide: true, params: LcCode, querystring: Done } },
      (req, reply) =>
        sendPrivatePage(req, reply, async (v) => {
          const l = await svc.getSpeakersList(req.ctx, req.params.code);
          const title = v.t('speaking.list.title', { session: text(l.session.title, v.locale) });
          return {
            title,
            body: (
              <section>
                <h1>{title}</h1>
                <p>
                  {l.session.code} · {formatDay(v.locale, genevaDate(l.session.startsAt))}
                  {v.t('list.separator')}
                  <span dir="ltr">{formatTimeRange(v.locale, l.session.startsAt, l.session.endsAt)}</span> (
                  {v.t('speaking.geneva_time')})
                </p>
                <DoneNotice v={v} done={req.query.done} />
                <p class="lead">{v.t('speaking.list.lead')}</p>
                <p id="timing">
                  {v.t('speaking.list.timing', { total: minutes(l.timing.total), length: minutes(l.timing.length) })}
                </p>
                {l.timing.overrun && (
                  <Notice kind="error">
                    <span id="overrun">{v.t('speaking.list.overrun', { over: minutes(l.timing.over) })}</span>
                  </Notice>
                )}
                <PostForm
                  action={localePath(v.locale, `/secretariat/speaking/sessions/${l.session.code}/time`)}
                  csrf={req.csrfToken()}
                  class="inline-fields"
                >
                  <TextField
                    name="seconds"
                    type="number"
                    label={v.t('speaking.list.time_limit')}
                    value={String(l.timeLimit)}
                  />
                  <button type="submit">{v.t('speaking.list.time_save')}</button>
                </PostForm>
                <p>
                  <a
                    class="button secondary"
                    href={`/api/v1/sessions/${l.session.code}/speakers-list.pdf?lang=${v.locale}`}
                  >
                    {v.t('speaking.list.pdf')}
                  </a>{' '}
                  <a
                    class="button secondary"
                    href={`/api/v1/sessions/${l.session.code}/speakers-list.csv?lang=${v.locale}`}
                  >
                    {v.t('speaking.list.csv')}
                  </a>{' '}
                  <a
                    class="button secondary"
                    href={`/api/v1/sessions/${l.session.code}/speakers-list.xlsx?lang=${v.locale}`}
                  >
                    {v.t('speaking.list.xlsx')}
                  </a>
                </p>
                {l.speakers.length === 0 ? (
                  <p>{v.t('speaking.list.empty')}</p>
                ) : (
                  <table class="data" id="speakers-list">
                    <thead>
                      <tr>
                        <th>{v.t('speaking.col.position')}</th>
                        <th>{v.t('speaking.col.speaker')}</th>
                        <th>{v.t('speaking.col.rank')}</th>
                        <th>{v.t('speaking.col.entity')}</th>
                        <th>{v.t('speaking.col.language')}</th>
                        <th>{v.t('speaking.list.move')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {l.speakers.map((s) => (
                        <tr data-id={s.r.id}>
                          <td>{s.position}</td>
                          <td>
                            <SpeakerCell r={s.r} locale={v.locale} />
                            {s.r.manualPosition != null && (
                              <div class="hint">{v.t('speaking.list.moved', { reason: s.r.moveReason ?? '' })}</div>
                            )}
                          </td>
                          <td>{v.t(`speaking.rank.${s.r.rank}`)}</td>
                          <td>{text(s.entity.name, v.locale)}</td>
                          <td>{v.t(`speaking.lang.${s.r.language}`)}</td>
                          <td>
                            <PostForm
                              action={localePath(v.locale, `/secretariat/speaking/sessions/${l.session.code}/move`)}
                              csrf={req.csrfToken()}
                              class="move"
                            >
                              <input type="hidden" name="id" value={s.r.id} />
                              <TextField
                                name="position"
                                type="number"
                                label={v.t('speaking.list.move_to')}
                                value={String(s.position)}
                              />
                              <TextField
                                name="reason"
                                label={v.t('speaking.list.move_reason')}
                                maxLength={500}
                                required
                              />
                              <button type="submit" class="secondary">
                                {v.t('speaking.list.move')}
                              </button>
                            </PostForm>
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                )}
                <p>
                  <a href={localePath(v.locale, '/secretariat/speaking')}>{v.t('speaking.queue.title')}</a> ·{' '}
                  <a href={localePath(v.locale, `/sessions/${l.session.code}`)}>{l.session.code}</a>
                </p>
              </section>
            ),
          };
        }),
    );
    r.post(
      '/:lc/secretariat/speaking/sessions/:code/move',
      { config: review, schema: { hide: true, params: LcCode } },
      async (req, reply) => {
        const body = formBody(req);
        const { id } = parsed(z.object({ id: z.string().uuid() }), body, req.locale);
        const input = parsed(MoveInput, body, req.locale);
        await svc.moveSpeaker(wctx(req), id, input.position, input.reason);
        return reply.redirect(
          localePath(req.locale, `/secretariat/speaking/sessions/${req.params.code}?done=moved`),
          303,
        );
      },
    );
    r.post(
      '/:lc/secretariat/speaking/sessions/:code/time',
      { config: review, schema: { hide: true, params: LcCode } },
      async (req, reply) => {
        const input = parsed(TimeLimitInput, formBody(req), req.locale);
        await svc.setSessionTimeLimit(wctx(req), req.params.code, input.seconds);
        return reply.redirect(
          localePath(req.locale, `/secretariat/speaking/sessions/${req.params.code}?done=time`),
          303,
        );
      },
    );
  });
}
