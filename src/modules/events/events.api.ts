/** GET /api/v1/events, /api/v1/events/{slug}. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { sendCached } from '../../platform/http/cache.js';
import { LangQuery, LocalizedText, Problem } from '../../platform/http/api-schemas.js';
import { text } from '../../platform/i18n/localized.js';
import type { Locale } from '../../platform/i18n/locales.js';
import { getEvent, getEvents, type EventTree } from './events.service.js';

export const EventOut = z.object({
  slug: z.string(),
  kind: z.enum(['forum', 'summit', 'dialogue', 'track', 'ceremony', 'roundtable']),
  parent: z.string().nullable(),
  children: z.array(z.string()),
  name: z.string(),
  names: LocalizedText,
  shortName: z.string(),
  description: z.string(),
  startDate: z.string().describe('YYYY-MM-DD, in the event time zone'),
  endDate: z.string(),
  timeZone: z.string(),
  venue: z.object({ slug: z.string(), name: z.string(), city: z.string(), country: z.string(), address: z.string() }),
});

export function presentEvent(e: EventTree, locale: Locale): z.infer<typeof EventOut> {
  return {
    slug: e.slug,
    kind: e.kind,
    parent: e.parentSlug,
    children: e.children,
    name: text(e.name, locale),
    names: e.name,
    shortName: text(e.shortName, locale),
    description: text(e.description, locale),
    startDate: e.startDate,
    endDate: e.endDate,
    timeZone: e.timeZone,
    venue: {
      slug: e.venue.slug,
      name: text(e.venue.name, locale),
      city: text(e.venue.city, locale),
      country: e.venue.country,
      address: e.venue.address,
    },
  };
}

export async function eventsApi(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/v1/events',
    {
      config: { permission: 'public' },
      schema: {
        tags: ['events'],
        summary: 'The events of the summit week',
        querystring: LangQuery,
        response: { 200: z.object({ events: z.array(EventOut) }) },
      },
    },
    (req, reply) =>
      sendCached(req, reply, 'application/json; charset=utf-8', async () =>
        JSON.stringify({ events: (await getEvents(req.ctx)).map((e) => presentEvent(e, req.locale)) }),
      ),
  );
  r.get(
    '/api/v1/events/:slug',
    {
      config: { permission: 'public' },
      schema: {
        tags: ['events'],
        summary: 'One event',
        params: z.object({ slug: z.string() }),
        querystring: LangQuery,
        response: { 200: EventOut, 404: Problem },
      },
    },
    (req, reply) =>
      sendCached(req, reply, 'application/json; charset=utf-8', async () =>
        JSON.stringify(presentEvent((await getEvent(req.ctx, req.params.slug)).event, req.locale)),
      ),
  );
}
