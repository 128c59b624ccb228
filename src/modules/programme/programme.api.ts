/** GET /api/v1/events/{slug}/sessions (same filters as the programme page), /api/v1/sessions/{code}. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { sendCached } from '../../platform/http/cache.js';
import { isoInGeneva, LangQuery, LocalizedText, Problem } from '../../platform/http/api-schemas.js';
import { text } from '../../platform/i18n/localized.js';
import type { Locale } from '../../platform/i18n/locales.js';
import { getEvent } from '../events/index.js';
import type { Db } from '../../db/client.js';
import { EventSessionsQuery, RescheduleBody, SESSIONS_PAGE } from './programme.input.js';
import type { SessionRow } from './programme.queries.js';
import { findSessions, getSession, rescheduleSession } from './programme.service.js';
import { profileSlugs, speakerKeyOf } from './programme.speakers.js';

export const SessionOut = z.object({
  code: z.string(),
  event: z.string(),
  title: z.string(),
  titles: LocalizedText,
  description: z.string(),
  format: z.string(),
  startsAt: z.string().describe('ISO 8601 with Geneva offset, e.g. 2026-07-08T09:00:00+02:00'),
  endsAt: z.string(),
  timeZone: z.literal('Europe/Zurich'),
  room: z.object({ slug: z.string(), name: z.string(), capacity: z.number().nullable() }).nullable(),
  track: z.object({ slug: z.string(), name: z.string() }).nullable(),
  actionLines: z.array(z.string()).describe('WSIS Action Lines, C1–C11'),
  sdgs: z.array(z.number().int()).describe('Sustainable Development Goals, 1–17'),
  speakers: z.array(
    z.object({
      name: z.string(),
      nameLatin: z.string().nullable(),
      role: z.string(),
      organization: z.string(),
      country: z.string().nullable(),
      profile: z.string().nullable().describe('the public speaker page, e.g. /en/speakers/ana-silva; null without one'),
    }),
  ),
});

/** `profiles`: the speakers' profile addresses by speaker key (see profileSlugs). */
export function presentSession(
  s: SessionRow,
  locale: Locale,
  profiles?: Map<string, string>,
): z.infer<typeof SessionOut> {
  return {
    code: s.code,
    event: s.eventSlug,
    title: text(s.title, locale),
    titles: s.title,
    description: text(s.description, locale),
    format: s.format,
    startsAt: isoInGeneva(s.startsAt),
    endsAt: isoInGeneva(s.endsAt),
    timeZone: 'Europe/Zurich',
    room: s.room ? { slug: s.room.slug, name: text(s.room.name, locale), capacity: s.room.capacity } : null,
    track: s.track ? { slug: s.track.slug, name: text(s.track.name, locale) } : null,
    actionLines: s.actionLines,
    sdgs: s.sdgs,
    speakers: s.speakers.map((p) => ({
      name: p.name,
      nameLatin: p.nameLatin,
      role: text(p.role, locale),
      organization: p.organization,
      country: p.country,
      profile: (() => {
        const slug = p.position < 1000 ? profiles?.get(speakerKeyOf(p)) : undefined;
        return slug ? `/${locale}/speakers/${slug}` : null;
      })(),
    })),
  };
}

/**
 * A page of sessions in programme order after the one a cursor names (its code; if that session has gone, the first
 * that starts after it), and the cursor of the next page. A programme holds hundreds of sessions, not millions: the
 * list is read whole and cut here, so a page never skips or repeats a session because two share a start time.
 */
export function pageAfter(sessions: SessionRow[], cursor: string | undefined, limit = SESSIONS_PAGE) {
  let start = 0;
  if (cursor) {
    const [code, at] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
    const i = sessions.findIndex((s) => s.code === code);
    start = i >= 0 ? i + 1 : sessions.findIndex((s) => s.startsAt.getTime() > Number(at));
    if (start < 0) start = sessions.length;
  }
  const items = sessions.slice(start, start + limit);
  const last = items[items.length - 1];
  const next =
    start + limit < sessions.length && last
      ? Buffer.from(`${last.code}|${last.startsAt.getTime()}`).toString('base64url')
      : null;
  return { items, next };
}

export async function programmeApi(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/v1/events/:slug/sessions',
    {
      config: { permission: 'public' },
      schema: {
        tags: ['programme'],
        summary:
          "An event's sessions (with those of the events nested in it), filtered like the programme page, in pages of `limit` (100) with a cursor, or all at once with all=true",
        params: z.object({ slug: z.string() }),
        querystring: EventSessionsQuery,
        response: {
          200: z.object({
            event: z.string(),
            count: z.number().describe('every session matching the filters, on all pages'),
            sessions: z.array(SessionOut),
            nextCursor: z.string().nullable().describe('pass as cursor for the next page; null on the last page'),
          }),
          400: Problem,
          404: Problem,
        },
      },
    },
    (req, reply) =>
      sendCached(req, reply, 'application/json; charset=utf-8', async () => {
        const { event, all } = await getEvent(req.ctx, req.params.slug);
        const { limit, cursor, all: whole, ...filters } = req.query;
        const sessions = await findSessions(req.ctx, { ...filters, event: event.slug }, all);
        const page = whole === 'true' ? { items: sessions, next: null } : pageAfter(sessions, cursor, limit);
        const profiles = await profileSlugs(req.ctx.db, page.items);
        return JSON.stringify({
          event: event.slug,
          count: sessions.length,
          sessions: page.items.map((s) => presentSession(s, req.locale, profiles)),
          nextCursor: page.next,
        });
      }),
  );
  r.get(
    '/api/v1/sessions/:code',
    {
      config: { permission: 'public' },
      schema: {
        tags: ['programme'],
        summary: 'One session',
        params: z.object({ code: z.string() }),
        querystring: LangQuery,
        response: { 200: SessionOut, 404: Problem },
      },
    },
    (req, reply) =>
      sendCached(req, reply, 'application/json; charset=utf-8', async () => {
        const s = await getSession(req.ctx, req.params.code);
        return JSON.stringify(presentSession(s, req.locale, await profileSlugs(req.ctx.db, [s])));
      }),
  );
  r.patch(
    '/api/v1/sessions/:code',
    {
      config: { permission: 'programme.edit' },
      schema: {
        tags: ['programme'],
        summary: 'Move a session to another time or room (secretariat, programme.edit)',
        params: z.object({ code: z.string() }),
        body: RescheduleBody,
        response: { 200: SessionOut, 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem },
      },
    },
    async (req) => {
      const { startsAt, endsAt, room } = req.body;
      await rescheduleSession(req.ctx as typeof req.ctx & { db: Db }, {
        code: req.params.code,
        startsAt: new Date(startsAt),
        endsAt: new Date(endsAt),
        room,
      });
      return presentSession(await getSession(req.ctx, req.params.code), req.locale);
    },
  );
}
