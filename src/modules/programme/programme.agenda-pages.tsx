/**
 * The personal agenda (no script needed): public programme pages link to a small confirmation page that posts the
 * addition (the cached public page stays the same for everyone); the agenda page lists sessions with their clashes,
 * the joining links for approved remote participants, and the private feed's address with its reset. Also the public
 * change log of an event.
 */
import { DomainError } from '../../platform/errors.js';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { formatDateTime, formatDay, genevaDate } from '../../platform/i18n/format.js';
import { text } from '../../platform/i18n/localized.js';
import { translate } from '../../platform/i18n/messages.js';
import { Notice, PostForm } from '../../platform/ui/forms.js';
import { localePath } from '../../platform/ui/layout.js';
import { requireLocalePrefix } from '../../platform/ui/locale-routes.js';
import { sendPage, sendPrivatePage } from '../../platform/ui/page.js';
import { getEvent, getEvents, withDescendants } from '../events/index.js';
import {
  addToAgenda,
  agendaOfFeed,
  feedToken,
  myAgenda,
  removeFromAgenda,
  resetFeedToken,
} from './programme.agenda.js';
import { agendaCalendar } from './programme.calendar.js';
import { slug } from './programme.input.js';
import { listChanges } from './programme.publish.js';
import { getSession } from './programme.service.js';
import { L, TimeRange } from './programme.views.js';

const Lc = z.object({ lc: z.string() });
const Code = z.string().regex(/^[A-Za-z0-9-]{1,40}$/);
const SessionBody = z.object({ session: Code });
const DONE = new Set(['added', 'removed', 'reset']);
const self = { permission: 'account.self' as const };
const wctx = (req: FastifyRequest) => req.ctx as typeof req.ctx & { db: Db };

export async function agendaPages(app: FastifyInstance, opts: { publicUrl: string }) {
  await app.register(async (plain) => {
    const r = plain.withTypeProvider<ZodTypeProvider>();
    await requireLocalePrefix(plain);

    r.get(
      '/:lc/agenda',
      {
        config: self,
        schema: { hide: true, params: Lc, querystring: z.object({ done: z.string().max(20).optional() }) },
      },
      (req, reply) =>
        sendPrivatePage(req, reply, async (v) => {
          const { t, locale } = v;
          const [entries, token] = await Promise.all([myAgenda(req.ctx), feedToken(wctx(req))]);
          const feed = `${opts.publicUrl}/${locale}/agenda/feed/${token}/calendar.ics`;
          const done = req.query.done && DONE.has(req.query.done) ? req.query.done : undefined;
          return {
            title: t('agenda.title'),
            body: (
              <>
                <h1>{t('agenda.title')}</h1>
                {done && <Notice kind="ok">{t(`agenda.done.${done}`)}</Notice>}
                {entries.length === 0 ? (
                  <p>
                    {t('agenda.empty')} <a href={localePath(locale, '/programme')}>{t('programme.title')}</a>
                  </p>
                ) : (
                  <ol class="sessions" id="agenda">
                    {entries.map((s) => (
                      <li class="session" id={`agenda-${s.code}`}>
                        <p>
                          {formatDay(locale, genevaDate(s.startsAt))} <TimeRange v={v} s={s} />
                        </p>
                        <h2 class="session-title">
                          <a href={localePath(locale, `/sessions/${s.code}`)}>
                            <L v={v} value={s.title} />
                          </a>
                        </h2>
                        {s.room && <p>{text(s.room.name, locale)}</p>}
                        {s.cancelledAt && <p class="notice notice-error">{t('agenda.cancelled')}</p>}
                        {s.clashesWith.length > 0 && (
                          <p class="clash">{t('agenda.clash', { codes: s.clashesWith.join(', ') })}</p>
                        )}
                        {s.remote && (
                          <p class="remote">
                            {s.remote.joinUrl && (
                              <a class="button" href={s.remote.joinUrl} rel="noopener">
                                {t('agenda.join')}
                              </a>
                            )}{' '}
                            {s.remote.webcastUrl && (
                              <a href={s.remote.webcastUrl} rel="noopener">
                                {t('agenda.webcast')}
                              </a>
                            )}
                          </p>
                        )}
                        <PostForm action={localePath(locale, '/agenda/remove')} csrf={req.csrfToken()} class="inline">
                          <input type="hidden" name="session" value={s.code} />
                          <button type="submit" class="secondary">
                            {t('agenda.remove')}
                          </button>
                        </PostForm>
                      </li>
                    ))}
                  </ol>
                )}
                <section aria-labelledby="feed-title">
                  <h2 id="feed-title">{t('agenda.feed_title')}</h2>
                  <p>{t('agenda.feed_lead')}</p>
                  <p>
                    <input
                      type="text"
                      readOnly
                      value={feed}
                      dir="ltr"
                      id="feed-url"
                      aria-label={t('agenda.feed_title')}
                      class="wide"
                    />
                  </p>
                  <PostForm action={localePath(locale, '/agenda/feed/reset')} csrf={req.csrfToken()} class="inline">
                    <button type="submit" class="secondary">
                      {t('agenda.feed_reset')}
                    </button>
                  </PostForm>
                </section>
              </>
            ),
          };
        }),
    );

    r.get(
      '/:lc/agenda/add',
      { config: self, schema: { hide: true, params: Lc, querystring: SessionBody } },
      (req, reply) =>
        sendPrivatePage(req, reply, async (v) => {
          const { t, locale } = v;
          const s = await getSession(req.ctx, req.query.session);
          return {
            title: t('agenda.add'),
            body: (
              <>
                <h1>{t('agenda.add')}</h1>
                <p>
                  <bdi>
                    <L v={v} value={s.title} />
                  </bdi>
                  {t('list.separator')}
                  {formatDay(locale, genevaDate(s.startsAt))} <TimeRange v={v} s={s} />
                </p>
                <PostForm action={localePath(locale, '/agenda/add')} csrf={req.csrfToken()}>
                  <input type="hidden" name="session" value={s.code} />
                  <div class="form-actions">
                    <button type="submit">{t('agenda.add')}</button>
                    <a href={localePath(locale, `/sessions/${s.code}`)}>{t('agenda.back')}</a>
                  </div>
                </PostForm>
              </>
            ),
          };
        }),
    );

    // No body schema: it would strip the form's CSRF field before the check. The code is read with the same schema.
    const codeOf = (req: FastifyRequest) => {
      const parsed = SessionBody.safeParse(req.body ?? {});
      // A form without a session code (or a forged one) is a bad request, not a server error.
      if (!parsed.success) throw new DomainError('invalid_input', 400);
      return parsed.data.session;
    };
    r.post('/:lc/agenda/add', { config: self, schema: { hide: true, params: Lc } }, async (req, reply) => {
      await addToAgenda(req.ctx, codeOf(req));
      return reply.redirect(localePath(req.locale, '/agenda?done=added'), 303);
    });
    r.post('/:lc/agenda/remove', { config: self, schema: { hide: true, params: Lc } }, async (req, reply) => {
      await removeFromAgenda(req.ctx, codeOf(req));
      return reply.redirect(localePath(req.locale, '/agenda?done=removed'), 303);
    });
    r.post('/:lc/agenda/feed/reset', { config: self, schema: { hide: true, params: Lc } }, async (req, reply) => {
      await resetFeedToken(wctx(req));
      return reply.redirect(localePath(req.locale, '/agenda?done=reset'), 303);
    });

    // The secret address is the credential: calendar apps do not sign in. Private data: never cached.
    r.get(
      '/:lc/agenda/feed/:token/calendar.ics',
      {
        config: { permission: 'public' },
        schema: { hide: true, params: Lc.extend({ token: z.string().regex(/^[A-Za-z0-9_-]{20,64}$/) }) },
      },
      async (req, reply) => {
        const [entries, events] = await Promise.all([agendaOfFeed(req.ctx.db, req.params.token), getEvents(req.ctx)]);
        const body = agendaCalendar(opts.publicUrl, req.locale, translate(req.locale, 'agenda.title'), entries, events);
        return reply
          .header('cache-control', 'private, no-store')
          .header('referrer-policy', 'no-referrer')
          .type('text/calendar; charset=utf-8')
          .send(body);
      },
    );

    // The public change log of an event (with the events nested in it): cached like every public page.
    r.get(
      '/:lc/events/:slug/changes',
      { config: { permission: 'public' }, schema: { hide: true, params: Lc.extend({ slug }) } },
      (req, reply) =>
        sendPage(req, reply, async (v) => {
          const { t, locale } = v;
          const { event, all } = await getEvent(req.ctx, req.params.slug);
          const changes = await listChanges(
            req.ctx.db,
            withDescendants(all, event).map((e) => e.id),
          );
          return {
            title: t('changelog.title', { event: text(event.shortName, locale) }),
            nav: 'programme',
            body: (
              <>
                <p class="kicker">
                  <a href={localePath(locale, `/events/${event.slug}`)}>{text(event.name, locale)}</a>
                </p>
                <h1>{t('changelog.title', { event: text(event.shortName, locale) })}</h1>
                {changes.length === 0 ? (
                  <p>{t('changelog.none')}</p>
                ) : (
                  <ul id="changelog">
                    {changes.map((c) => (
                      <li>
                        <time dateTime={c.publishedAt.toISOString()}>{formatDateTime(locale, c.publishedAt)}</time>
                        {t('list.separator')}
                        {c.kind === 'cancelled' ? (
                          <bdi>
                            <L v={v} value={c.title} />
                          </bdi>
                        ) : (
                          <a href={localePath(locale, `/sessions/${c.code}`)}>
                            <L v={v} value={c.title} />
                          </a>
                        )}
                        {t('list.separator')}
                        {c.kind === 'changed'
                          ? c.fields.map((f) => t(`programme_editor.field.${f}`)).join(t('list.separator'))
                          : t(`programme_editor.change.${c.kind}`)}
                      </li>
                    ))}
                  </ul>
                )}
              </>
            ),
          };
        }),
    );
  });
}
