/** The programme (filters work without JavaScript: a GET form), one page per session, iCalendar feeds. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { formatDay, formatNumber, genevaDate } from '../../platform/i18n/format.js';
import { text } from '../../platform/i18n/localized.js';
import { sendCached } from '../../platform/http/cache.js';
import { SelectField, TextField } from '../../platform/ui/forms.js';
import { localePath } from '../../platform/ui/layout.js';
import { requireLocalePrefix } from '../../platform/ui/locale-routes.js';
import { sendPage, type View } from '../../platform/ui/page.js';
import { getEvent, getEvents, withDescendants } from '../events/index.js';
import { eventCalendar, sessionCalendar } from './programme.calendar.js';
import { SDGS } from './programme.editor.input.js';
import { ProgrammeQuery, slug, WHOLE_WEEK } from './programme.input.js';
import { findSessions, getProgrammeFacets, getSession } from './programme.service.js';
import { profileSlugs, speakerKeyOf } from './programme.speakers.js';
import { L, Sessions, SpeakerCard, TimeRange } from './programme.views.js';
import { roomPlace } from './programme.plans.js';
import { SessionPlace } from './programme.venue-pages.js';

const LcParams = z.object({ lc: z.string() });
const SessionParams = LcParams.extend({ code: z.string().regex(/^[A-Za-z0-9-]{1,40}$/) });
const EventParams = LcParams.extend({ slug });

/**
 * The sessions block of an event page: how many sessions each day, each day a link to that day of the event's
 * programme (the page itself stays light however full the programme is).
 */
export async function eventSessionsBlock(v: View, req: FastifyRequest, eventSlug: string) {
  const events = await getEvents(req.ctx);
  const sessions = await findSessions(req.ctx, { event: eventSlug }, events);
  const perDay = new Map<string, number>();
  for (const s of sessions) perDay.set(genevaDate(s.startsAt), (perDay.get(genevaDate(s.startsAt)) ?? 0) + 1);
  const count = (n: number) => v.t('programme.count', { count: n, n: formatNumber(v.locale, n) });
  return (
    <section aria-labelledby="event-sessions">
      <h2 id="event-sessions">{v.t('event.programme_by_day')}</h2>
      <p>{count(sessions.length)}</p>
      <ul class="plain day-counts">
        {[...perDay].map(([day, n]) => (
          <li>
            <a href={localePath(v.locale, `/programme?event=${eventSlug}&day=${day}`)}>{formatDay(v.locale, day)}</a>
            {v.t('list.separator')}
            {count(n)}
          </li>
        ))}
      </ul>
      <p>
        <a href={localePath(v.locale, `/programme?event=${eventSlug}&day=${WHOLE_WEEK}`)}>
          {v.t('programme.whole_week')}
        </a>
        {v.t('list.separator')}
        <a href={localePath(v.locale, `/events/${eventSlug}/changes`)}>{v.t('changelog.link')}</a>
      </p>
    </section>
  );
}

/**
 * The day a programme page shows: the one asked for; else the whole week for a search; else today in Geneva during
 * the week, or the first day before and after it.
 */
export function programmeDay(query: ProgrammeQuery, days: string[], now: Date): string {
  if (query.day) return query.day;
  if (query.q) return WHOLE_WEEK;
  const today = genevaDate(now);
  return days.includes(today) ? today : (days[0] ?? WHOLE_WEEK);
}

/** The programme's address with these filters and another day. */
function dayHref(locale: View['locale'], query: ProgrammeQuery, day: string): string {
  const params = new URLSearchParams();
  for (const [k, val] of Object.entries({ ...query, day })) if (val) params.set(k, String(val));
  return localePath(locale, `/programme?${params}`);
}

function DayNav({ v, query, days, day }: { v: View; query: ProgrammeQuery; days: string[]; day: string }) {
  const items: [string, string][] = [
    ...days.map((d): [string, string] => [d, formatDay(v.locale, d, 'short')]),
    [WHOLE_WEEK, v.t('programme.whole_week')],
  ];
  return (
    <nav class="day-nav" aria-label={v.t('programme.days_nav')}>
      <ul>
        {items.map(([d, label]) => (
          <li>
            <a href={dayHref(v.locale, query, d)} aria-current={d === day ? 'page' : undefined}>
              {label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export async function programmePages(app: FastifyInstance, opts: { publicUrl: string }) {
  await app.register(async (plain) => {
    const scoped = plain.withTypeProvider<ZodTypeProvider>();
    await requireLocalePrefix(plain);

    scoped.get(
      '/:lc/programme',
      { config: { permission: 'public' }, schema: { hide: true, params: LcParams, querystring: ProgrammeQuery } },
      (req, reply) =>
        sendPage(req, reply, async (v) => {
          const { t, locale } = v;
          const facets = await getProgrammeFacets(req.ctx);
          const day = programmeDay(req.query, facets.days, req.ctx.now);
          const query = { ...req.query, day };
          const sessions = await findSessions(req.ctx, query, facets.events);
          const filtered = Object.entries(req.query).some(([k, val]) => k !== 'lang' && k !== 'day' && val);
          return {
            title: t('programme.title'),
            nav: 'programme',
            body: (
              <>
                <h1>{t('programme.title')}</h1>
                <p class="lead">
                  {t('layout.times_note')} <a href={localePath(locale, '/speakers')}>{t('speakers.all_link')}</a>
                </p>
                <DayNav v={v} query={req.query} days={facets.days} day={day} />
                <form
                  class="filters"
                  method="get"
                  action={localePath(locale, '/programme')}
                  role="search"
                  aria-label={t('programme.filters')}
                >
                  <SelectField
                    name="day"
                    label={t('programme.day')}
                    value={day}
                    options={[
                      ...facets.days.map((d): [string, string] => [d, formatDay(locale, d)]),
                      [WHOLE_WEEK, t('programme.whole_week')],
                    ]}
                  />
                  <SelectField
                    name="event"
                    label={t('programme.event')}
                    any={t('programme.any_event')}
                    value={query.event}
                    options={facets.events.map((e) => [e.slug, text(e.shortName, locale)])}
                  />
                  <SelectField
                    name="track"
                    label={t('programme.track')}
                    any={t('programme.any_track')}
                    value={query.track}
                    options={facets.tracks.map((x) => [x.slug, text(x.name, locale)])}
                  />
                  <SelectField
                    name="line"
                    label={t('programme.action_line')}
                    any={t('programme.any_line')}
                    value={query.line}
                    options={facets.actionLines.map((a) => [a.code, `${a.code} · ${text(a.name, locale)}`])}
                  />
                  <SelectField
                    name="sdg"
                    label={t('sdg.label')}
                    any={t('sdg.any')}
                    value={query.sdg === undefined ? undefined : String(query.sdg)}
                    options={SDGS.map((n) => [String(n), `${n} · ${t(`sdg.g${n}`)}`])}
                  />
                  <SelectField
                    name="room"
                    label={t('programme.room')}
                    any={t('programme.any_room')}
                    value={query.room}
                    options={facets.rooms.map((r) => [r.slug, text(r.name, locale)])}
                  />
                  <TextField
                    name="q"
                    type="search"
                    label={t('programme.search')}
                    value={query.q}
                    maxLength={100}
                    wide
                  />
                  <div class="form-actions">
                    <button type="submit">{t('programme.apply')}</button>
                    {filtered && <a href={localePath(locale, '/programme')}>{t('programme.clear')}</a>}
                  </div>
                </form>
                <p class="result-count" role="status">
                  {t('programme.count', { count: sessions.length, n: formatNumber(locale, sessions.length) })}
                </p>
                {sessions.length === 0 ? (
                  <p class="empty">{t('programme.none')}</p>
                ) : (
                  <Sessions v={v} sessions={sessions} events={facets.events} />
                )}
              </>
            ),
          };
        }),
    );

    scoped.get(
      '/:lc/sessions/:code',
      { config: { permission: 'public' }, schema: { hide: true, params: SessionParams } },
      (req, reply) =>
        sendPage(req, reply, async (v) => {
          const { t, locale } = v;
          const s = await getSession(req.ctx, req.params.code);
          const events = await getEvents(req.ctx);
          const event = events.find((e) => e.slug === s.eventSlug)!;
          const lines = (await getProgrammeFacets(req.ctx)).actionLines.filter((a) => s.actionLines.includes(a.code));
          const place = s.room ? await roomPlace(req.ctx.db, s.room.slug) : null;
          const profiles = await profileSlugs(req.ctx.db, [s]);
          return {
            title: text(s.title, locale),
            nav: 'programme',
            body: (
              <article class="session-page" aria-labelledby="session-title">
                <p class="kicker">
                  <a href={localePath(locale, `/events/${event.slug}`)}>{text(event.name, locale)}</a>
                </p>
                <h1 id="session-title">
                  <L v={v} value={s.title} />
                </h1>
                <dl class="facts">
                  <dt>{t('session.when')}</dt>
                  <dd>
                    {formatDay(locale, genevaDate(s.startsAt))}
                    {t('list.separator')}
                    <TimeRange v={v} s={s} />
                  </dd>
                  {s.room && (
                    <>
                      <dt>{t('session.room')}</dt>
                      <dd>{text(s.room.name, locale)}</dd>
                    </>
                  )}
                  {s.track && (
                    <>
                      <dt>{t('session.track')}</dt>
                      <dd>{text(s.track.name, locale)}</dd>
                    </>
                  )}
                  <dt>{t('session.format')}</dt>
                  <dd>{t(`format.${s.format}`)}</dd>
                  {lines.length > 0 && (
                    <>
                      <dt>{t('session.action_lines')}</dt>
                      <dd>
                        <ul class="plain">
                          {lines.map((a) => (
                            <li>
                              <a href={localePath(locale, `/programme?line=${a.code}`)}>{a.code}</a> ·{' '}
                              {text(a.name, locale)}
                            </li>
                          ))}
                        </ul>
                      </dd>
                    </>
                  )}
                  {s.sdgs.length > 0 && (
                    <>
                      <dt>{t('sdg.label')}</dt>
                      <dd>
                        <ul class="plain">
                          {s.sdgs.map((n) => (
                            <li>
                              <a href={localePath(locale, `/programme?sdg=${n}`)}>{t('sdg.short', { n })}</a> ·{' '}
                              {t(`sdg.g${n}`)}
                            </li>
                          ))}
                        </ul>
                      </dd>
                    </>
                  )}
                </dl>
                {text(s.description, locale) && (
                  <p>
                    <L v={v} value={s.description} />
                  </p>
                )}
                {s.speakers.length > 0 && (
                  <section aria-labelledby="speakers-title">
                    <h2 id="speakers-title">{t('session.speakers')}</h2>
                    <ul class="speakers-list">
                      {s.speakers.map((p) => {
                        const slug = p.position < 1000 ? profiles.get(speakerKeyOf(p)) : undefined;
                        return <SpeakerCard v={v} p={p} href={slug && localePath(locale, `/speakers/${slug}`)} />;
                      })}
                    </ul>
                  </section>
                )}
                {place && <SessionPlace v={v} place={place} />}
                <p class="actions">
                  <a class="button" href={localePath(locale, `/agenda/add?session=${s.code}`)}>
                    {t('agenda.add')}
                  </a>{' '}
                  <a class="button secondary" href={localePath(locale, `/sessions/${s.code}/calendar.ics`)}>
                    {t('session.calendar_link')}
                  </a>
                </p>
              </article>
            ),
          };
        }),
    );

    scoped.get(
      '/:lc/sessions/:code/calendar.ics',
      { config: { permission: 'public' }, schema: { hide: true, params: SessionParams } },
      (req, reply) =>
        sendCached(req, reply, 'text/calendar; charset=utf-8', async () => {
          const s = await getSession(req.ctx, req.params.code);
          const events = await getEvents(req.ctx);
          return sessionCalendar(opts.publicUrl, req.locale, s, events.find((e) => e.slug === s.eventSlug)!);
        }),
    );

    scoped.get(
      '/:lc/events/:slug/calendar.ics',
      { config: { permission: 'public' }, schema: { hide: true, params: EventParams } },
      (req, reply) =>
        sendCached(req, reply, 'text/calendar; charset=utf-8', async () => {
          const { event, all } = await getEvent(req.ctx, req.params.slug);
          const sessions = await findSessions(req.ctx, { event: event.slug }, all);
          return eventCalendar(opts.publicUrl, req.locale, event, sessions, withDescendants(all, event));
        }),
    );
  });
}
