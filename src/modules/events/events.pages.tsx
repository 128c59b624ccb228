/** The summit week at a glance (home) and one page per event. */
import type { FastifyInstance } from 'fastify';
import { formatDateRange, formatDay } from '../../platform/i18n/format.js';
import { text } from '../../platform/i18n/localized.js';
import { sendPage, type View } from '../../platform/ui/page.js';
import { requireLocalePrefix } from '../../platform/ui/locale-routes.js';
import { localePath } from '../../platform/ui/layout.js';
import { getOrganiser, organiserLogoPath } from '../../platform/organiser.js';
import { eventLogoPath, getEventLogo } from './events.identity.js';
import { getEvent, getEvents, summitDays, type EventTree } from './events.service.js';

/** A block of an event's page that another module renders (the programme's sessions, the letters about it). */
export type EventPageBlock = (
  v: View,
  req: import('fastify').FastifyRequest,
  event: { id: number; slug: string },
) => Promise<import('preact').VNode | null>;

/** A block of the home page (the summit week) that another module renders (the current circular letter). */
export type HomePageBlock = (v: View, req: import('fastify').FastifyRequest) => Promise<import('preact').VNode | null>;

declare module '../../platform/module.js' {
  interface ContributionSlots {
    /** Blocks shown on each event's page, in the order of the module list. */
    eventPage: EventPageBlock;
    /** Blocks shown on the home page below the week, in the order of the module list. */
    homePage: HomePageBlock;
  }
}

type Deps = { blocks: EventPageBlock[]; home: HomePageBlock[] };

function WeekTimeline({ v, events, days }: { v: View; events: EventTree[]; days: string[] }) {
  const { t, locale } = v;
  const col = (d: string) => days.indexOf(d) + 2;
  return (
    <div class="timeline" role="table" aria-label={t('week.timeline_label')} style={`--days:${days.length}`}>
      <div class="timeline-row timeline-head" role="row">
        <span role="columnheader" class="timeline-corner">
          {t('week.event')}
        </span>
        {days.map((d) => (
          <span role="columnheader" class="timeline-day">
            <a href={localePath(locale, `/programme?day=${d}`)}>{formatDay(locale, d, 'short')}</a>
          </span>
        ))}
      </div>
      {events.map((e) => (
        <div class={`timeline-row kind-${e.kind}${e.parentId ? ' is-child' : ''}`} role="row">
          <span role="rowheader" class="timeline-name">
            <a href={localePath(locale, `/events/${e.slug}`)}>{text(e.shortName, locale)}</a>
          </span>
          <span role="cell" class="timeline-bar" style={`grid-column:${col(e.startDate)} / ${col(e.endDate) + 1}`}>
            {formatDateRange(locale, e.startDate, e.endDate)}
          </span>
        </div>
      ))}
    </div>
  );
}

export async function eventsPages(app: FastifyInstance, deps: Deps) {
  await app.register(async (scoped) => {
    await requireLocalePrefix(scoped);

    scoped.get('/:lc', { config: { permission: 'public' }, schema: { hide: true } }, (req, reply) =>
      sendPage(req, reply, async (v) => {
        const { t, locale } = v;
        const events = await getEvents(req.ctx);
        const days = summitDays(events);
        const top = events.filter((e) => !e.parentId);
        return {
          title: t('week.title'),
          nav: 'week',
          body: (
            <>
              <section class="hero" aria-labelledby="week-title">
                <h1 id="week-title">{t('week.title')}</h1>
                <p class="lead">
                  {t('week.lead', {
                    venue: events[0] ? text(events[0].venue.name, locale) : '',
                    dates: days.length ? formatDateRange(locale, days[0], days.at(-1)!) : '',
                  })}
                </p>
                <p>
                  <a class="button" href={localePath(locale, '/register')}>
                    {t('way_in.register')}
                  </a>
                </p>
              </section>
              <section aria-labelledby="timeline-title">
                <h2 id="timeline-title">{t('week.at_a_glance')}</h2>
                <WeekTimeline v={v} events={events} days={days} />
              </section>
              <section aria-labelledby="events-title">
                <h2 id="events-title">{t('week.events')}</h2>
                <ul class="cards">
                  {top.map((e) => (
                    <li class="card">
                      <h3>
                        <a href={localePath(locale, `/events/${e.slug}`)}>{text(e.name, locale)}</a>
                      </h3>
                      <p class="meta">{formatDateRange(locale, e.startDate, e.endDate)}</p>
                      <p>{text(e.description, locale)}</p>
                    </li>
                  ))}
                </ul>
              </section>
              {await Promise.all(deps.home.map((block) => block(v, req)))}
            </>
          ),
        };
      }),
    );

    scoped.get<{ Params: { lc: string; slug: string } }>(
      '/:lc/events/:slug',
      { config: { permission: 'public' }, schema: { hide: true } },
      (req, reply) =>
        sendPage(req, reply, async (v) => {
          const { t, locale } = v;
          const { event, all } = await getEvent(req.ctx, req.params.slug);
          // The event's own logo, else the organiser's.
          const own = await getEventLogo(req.ctx.db, event.id);
          const organiserLogo = own ? undefined : (await getOrganiser(req.ctx.db)).logo;
          const brand = own
            ? { src: eventLogoPath(event.slug, own.sha256), width: own.width, height: own.height }
            : organiserLogo
              ? {
                  src: organiserLogoPath(organiserLogo.sha256),
                  width: organiserLogo.width,
                  height: organiserLogo.height,
                }
              : undefined;
          const parent = all.find((e) => e.id === event.parentId);
          const children = all.filter((e) => e.parentId === event.id);
          return {
            title: text(event.name, locale),
            body: (
              <>
                <article class="event" aria-labelledby="event-title">
                  <p class="event-brand">
                    {brand && (
                      <img
                        src={brand.src}
                        alt=""
                        height={48}
                        width={Math.round((brand.width * 48) / brand.height)}
                        data-logo={own ? 'event' : 'organiser'}
                      />
                    )}
                    <span class="event-short-name">{text(event.shortName, locale)}</span>
                  </p>
                  <p class="kicker">{t(`event_kind.${event.kind}`)}</p>
                  <h1 id="event-title">{text(event.name, locale)}</h1>
                  <p>
                    <a class="button" href={localePath(locale, '/register')}>
                      {t('way_in.register')}
                    </a>
                  </p>
                  <dl class="facts">
                    <dt>{t('event.dates')}</dt>
                    <dd>{formatDateRange(locale, event.startDate, event.endDate)}</dd>
                    <dt>{t('event.venue')}</dt>
                    <dd>
                      {text(event.venue.name, locale)}, {text(event.venue.city, locale)}
                    </dd>
                    {text(event.organizers, locale) && (
                      <>
                        <dt>{t('event.organizers')}</dt>
                        <dd>{text(event.organizers, locale)}</dd>
                      </>
                    )}
                    {parent && (
                      <>
                        <dt>{t('event.part_of')}</dt>
                        <dd>
                          <a href={localePath(locale, `/events/${parent.slug}`)}>{text(parent.name, locale)}</a>
                        </dd>
                      </>
                    )}
                    {children.length > 0 && (
                      <>
                        <dt>{t('event.includes')}</dt>
                        <dd>
                          {children.map((c, i) => (
                            <>
                              {i > 0 && ', '}
                              <a href={localePath(locale, `/events/${c.slug}`)}>{text(c.name, locale)}</a>
                            </>
                          ))}
                        </dd>
                      </>
                    )}
                  </dl>
                  <p>{text(event.description, locale)}</p>
                  <p class="actions">
                    <a class="button" href={localePath(locale, `/programme?event=${event.slug}`)}>
                      {t('event.programme_link')}
                    </a>{' '}
                    <a class="button secondary" href={localePath(locale, `/events/${event.slug}/calendar.ics`)}>
                      {t('event.calendar_link')}
                    </a>
                  </p>
                </article>
                {await Promise.all(deps.blocks.map((block) => block(v, req, event)))}
              </>
            ),
          };
        }),
    );
  });
}
