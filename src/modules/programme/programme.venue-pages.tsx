/**
 * The venue in public: `/{lc}/venue` shows each floor's plan with its rooms numbered on it, and the rooms as text
 * (capacity, interpretation, hours, accessibility, a link to their sessions); a session's page shows where its room
 * is. Plans are served from `/venue/plans/{floor}-{hash}.{ext}` (cached for good; an SVG under a CSP that lets
 * nothing run or load) and shown only through `<img>` with alt text; the marks over them are decoration, the room
 * names beside them are the text.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DomainError } from '../../platform/errors.js';
import { text } from '../../platform/i18n/localized.js';
import { localePath } from '../../platform/ui/layout.js';
import { requireLocalePrefix } from '../../platform/ui/locale-routes.js';
import { sendPage, type View } from '../../platform/ui/page.js';
import { WHOLE_WEEK } from './programme.input.js';
import { getPlanFile, PLAN_CSP, planPath, publicVenue, type PublicRoom, type RoomPlace } from './programme.plans.js';

type Mark = { n: number; name: string; x: number; y: number };

/** A floor's plan with rooms marked on it (numbered, or one pin); the marks are hidden from screen readers. */
export function PlanFigure(props: {
  v: View;
  floorName: string;
  plan: { path: string; width: number; height: number };
  marks: Mark[];
  /** One room: a pin instead of numbers, and a caption naming it. */
  pin?: boolean;
  caption?: string;
}) {
  const { v, plan } = props;
  return (
    <figure class="plan">
      <div class="plan-box" dir="ltr">
        <img
          src={plan.path}
          alt={v.t('venue.plan_alt', { floor: props.floorName })}
          width={plan.width}
          height={plan.height}
          loading="lazy"
          decoding="async"
        />
        {props.marks.map((m) => (
          <span
            class={props.pin ? 'plan-mark plan-pin' : 'plan-mark'}
            style={`left:${m.x}%;top:${m.y}%`}
            aria-hidden="true"
            title={m.name}
          >
            {props.pin ? '' : m.n}
          </span>
        ))}
      </div>
      {props.caption && <figcaption>{props.caption}</figcaption>}
    </figure>
  );
}

/** Where a session's room is: its floor, and the plan with the room marked when it has a place on one. */
export function SessionPlace({ v, place }: { v: View; place: RoomPlace }) {
  const { t, locale } = v;
  const room = text(place.room.name, locale);
  const floor = place.floor ? text(place.floor.name, locale) : '';
  return (
    <section aria-labelledby="where-title" class="session-where">
      <h2 id="where-title">{t('venue.where')}</h2>
      <p>{floor ? t('venue.room_on_floor', { room, floor }) : room}</p>
      {place.plan && place.at && (
        <PlanFigure
          v={v}
          floorName={floor}
          plan={place.plan}
          marks={[{ n: 1, name: room, ...place.at }]}
          pin
          caption={t('venue.marked', { room, floor })}
        />
      )}
      <p>
        <a href={localePath(locale, `/venue#room-${place.room.slug}`)}>{t('venue.see_venue')}</a>
      </p>
    </section>
  );
}

function RoomItem({ v, r, n }: { v: View; r: PublicRoom; n: number }) {
  const { t, locale } = v;
  const access = text(r.accessibility, locale);
  return (
    <li id={`room-${r.slug}`} class="venue-room">
      <h3>
        <span class="plan-num" aria-hidden="true">
          {n}
        </span>{' '}
        {text(r.name, locale)}
      </h3>
      <dl class="facts">
        {r.capacity != null && (
          <>
            <dt>{t('venue.capacity')}</dt>
            <dd>{t('venue.seats', { count: r.capacity })}</dd>
          </>
        )}
        {r.booths.length > 0 && (
          <>
            <dt>{t('venue.interpretation')}</dt>
            <dd>{r.booths.map((b) => t(`programme_editor.lang.${b}`)).join(t('list.separator'))}</dd>
          </>
        )}
        <dt>{t('venue.hours')}</dt>
        <dd>
          <span dir="ltr">{`${r.opens}–${r.closes}`}</span>
        </dd>
        {access && (
          <>
            <dt>{t('venue.access')}</dt>
            <dd>{access}</dd>
          </>
        )}
      </dl>
      <p>
        <a href={localePath(locale, `/programme?room=${r.slug}&day=${WHOLE_WEEK}`)}>{t('venue.room_sessions')}</a>
      </p>
    </li>
  );
}

export async function venuePages(app: FastifyInstance) {
  app.get(
    '/venue/plans/:file',
    { config: { permission: 'public' }, schema: { hide: true, params: z.object({ file: z.string().max(120) }) } },
    async (req, reply) => {
      const m = /^([a-z0-9]+(?:-[a-z0-9]+)*)-([0-9a-f]{16})\.(svg|png|jpg)$/.exec(
        (req.params as { file: string }).file,
      );
      if (!m) throw new DomainError('plan_not_found', 404);
      const plan = await getPlanFile(req.ctx.db, m[1]!);
      if (!plan.sha256.startsWith(m[2]!)) return reply.redirect(planPath(m[1]!, plan), 302);
      return reply
        .type(plan.contentType)
        .header('cache-control', 'public, max-age=31536000, immutable')
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', PLAN_CSP)
        .header('content-disposition', `inline; filename="${m[0]}"`)
        .send(plan.bytes);
    },
  );

  await app.register(async (plain) => {
    const r = plain.withTypeProvider<ZodTypeProvider>();
    await requireLocalePrefix(plain);
    r.get(
      '/:lc/venue',
      { config: { permission: 'public' }, schema: { hide: true, params: z.object({ lc: z.string() }) } },
      (req, reply) =>
        sendPage(req, reply, async (v) => {
          const { t, locale } = v;
          const { venue, floors, rooms } = await publicVenue(req.ctx.db);
          const loose = rooms.filter((x) => !x.floor || !floors.some((f) => f.slug === x.floor));
          return {
            title: t('venue.title'),
            body: (
              <article class="venue-page" aria-labelledby="venue-title">
                <h1 id="venue-title">{t('venue.title')}</h1>
                {venue && (
                  <p class="lead">
                    {text(venue.name, locale)}
                    {t('list.separator')}
                    {text(venue.city, locale)}
                    {venue.address && (
                      <>
                        {t('list.separator')}
                        <bdi>{venue.address}</bdi>
                      </>
                    )}
                  </p>
                )}
                <p>{t('venue.lead')}</p>
                {floors.map((f) => {
                  const here = rooms.filter((x) => x.floor === f.slug);
                  if (!here.length && !f.plan) return null;
                  const name = text(f.name, locale);
                  return (
                    <section aria-labelledby={`floor-${f.slug}`} class="venue-floor" id={`floor-${f.slug}-section`}>
                      <h2 id={`floor-${f.slug}`}>{name}</h2>
                      {f.plan ? (
                        <PlanFigure
                          v={v}
                          floorName={name}
                          plan={{ path: planPath(f.slug, f.plan), width: f.plan.width, height: f.plan.height }}
                          marks={here.flatMap((x, i) =>
                            x.plan ? [{ n: i + 1, name: text(x.name, locale), ...x.plan }] : [],
                          )}
                        />
                      ) : (
                        <p>{t('venue.no_plan')}</p>
                      )}
                      <ul class="plain venue-rooms">
                        {here.map((x, i) => (
                          <RoomItem v={v} r={x} n={i + 1} />
                        ))}
                      </ul>
                    </section>
                  );
                })}
                {loose.length > 0 && (
                  <section aria-labelledby="floor-none" class="venue-floor">
                    <h2 id="floor-none">{t('venue.other_rooms')}</h2>
                    <ul class="plain venue-rooms">
                      {loose.map((x, i) => (
                        <RoomItem v={v} r={x} n={i + 1} />
                      ))}
                    </ul>
                  </section>
                )}
              </article>
            ),
          };
        }),
    );
  });
}
