/** GET /api/v1/floors, /api/v1/rooms: the venue's floors (with their plans' addresses) and rooms in use, public data only. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { sendCached } from '../../platform/http/cache.js';
import { LangQuery, LocalizedText } from '../../platform/http/api-schemas.js';
import { text } from '../../platform/i18n/localized.js';
import { planPath, publicVenue } from './programme.plans.js';

export const FloorOut = z.object({
  slug: z.string(),
  name: z.string(),
  names: LocalizedText,
  position: z.number().int(),
  plan: z
    .object({
      url: z.string().describe('the plan image (SVG, PNG or JPEG); its address changes with its content'),
      contentType: z.enum(['image/svg+xml', 'image/png', 'image/jpeg']),
      width: z.number().int(),
      height: z.number().int(),
    })
    .nullable(),
});

export const RoomOut = z.object({
  slug: z.string(),
  name: z.string(),
  names: LocalizedText,
  capacity: z.number().int().nullable(),
  floor: z.string().nullable().describe('the slug of its floor'),
  accessibility: z.string(),
  interpretationBooths: z.array(z.string()).describe('languages with an interpretation booth in the room'),
  opens: z.string().describe('usual opening time, HH:MM, Geneva'),
  closes: z.string(),
  plan: z
    .object({ x: z.number(), y: z.number() })
    .nullable()
    .describe("place on its floor's plan, in percent of the plan's width and height from the top-left corner"),
});

export async function venueApi(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/v1/floors',
    {
      config: { permission: 'public' },
      schema: {
        tags: ['programme'],
        summary: "The venue's floors in order, each with its plan",
        querystring: LangQuery,
        response: { 200: z.object({ floors: z.array(FloorOut) }) },
      },
    },
    (req, reply) =>
      sendCached(req, reply, 'application/json; charset=utf-8', async () => {
        const { floors } = await publicVenue(req.ctx.db);
        return JSON.stringify({
          floors: floors.map((f) => ({
            slug: f.slug,
            name: text(f.name, req.locale),
            names: f.name,
            position: f.position,
            plan: f.plan
              ? {
                  url: planPath(f.slug, f.plan),
                  contentType: f.plan.contentType,
                  width: f.plan.width,
                  height: f.plan.height,
                }
              : null,
          })),
        });
      }),
  );
  r.get(
    '/api/v1/rooms',
    {
      config: { permission: 'public' },
      schema: {
        tags: ['programme'],
        summary: "The venue's rooms in use (retired rooms are not listed), with capacity, floor, booths and hours",
        querystring: LangQuery,
        response: { 200: z.object({ rooms: z.array(RoomOut) }) },
      },
    },
    (req, reply) =>
      sendCached(req, reply, 'application/json; charset=utf-8', async () => {
        const { rooms } = await publicVenue(req.ctx.db);
        return JSON.stringify({
          rooms: rooms.map((x) => ({
            slug: x.slug,
            name: text(x.name, req.locale),
            names: x.name,
            capacity: x.capacity,
            floor: x.floor,
            accessibility: text(x.accessibility, req.locale),
            interpretationBooths: x.booths,
            opens: x.opens,
            closes: x.closes,
            plan: x.plan,
          })),
        });
      }),
  );
}
