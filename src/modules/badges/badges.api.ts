/** Badges over JSON: the desk's search and actions, the photo, a single badge's PDF, print batches with progress. */
import fs from 'node:fs';
import { PassThrough } from 'node:stream';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { DomainError } from '../../platform/errors.js';
import { Problem } from '../../platform/http/api-schemas.js';
import { text } from '../../platform/i18n/localized.js';
import { authorize } from '../../platform/permissions.js';
import { getPhoto } from '../registration/index.js';
import { badges } from './badges.schema.js';
import {
  BatchFilter,
  badgeColours,
  batchFile,
  ColoursInput,
  createBatch,
  getBatch,
  listBatches,
  setBadgeColours,
  singleBadgePdf,
  type Batch,
} from './badges.print.js';
import {
  confirmIdChecked,
  getBadge,
  markCollected,
  revokeAndReissue,
  searchDesk,
  type DeskCard,
} from './badges.service.js';
import { fullName, latinName } from '../../platform/i18n/names.js';

const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 422: Problem };
const w = <T>(ctx: T) => ctx as T & { db: Db };
const NumId = z.object({ id: z.coerce.number().int().positive() });
const Size = z.enum(['CR80', 'A6']);

const BadgeOut = z.object({
  id: z.number(),
  category: z.string(),
  issuedAt: z.string(),
  printCount: z.number(),
  idCheckedAt: z.string().nullable(),
  collectedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  person: z.object({ id: z.string(), honorific: z.string(), name: z.string(), nameLatin: z.string() }),
  entity: z.string().nullable(),
  events: z.array(z.object({ slug: z.string(), name: z.string() })),
});
export const presentCard = (c: DeskCard, locale: Parameters<typeof text>[1]): z.infer<typeof BadgeOut> => ({
  id: c.badge.id,
  category: c.badge.category,
  issuedAt: c.badge.issuedAt.toISOString(),
  printCount: c.badge.printCount,
  idCheckedAt: c.badge.idCheckedAt?.toISOString() ?? null,
  collectedAt: c.badge.collectedAt?.toISOString() ?? null,
  revokedAt: c.badge.revokedAt?.toISOString() ?? null,
  person: {
    id: c.person.id,
    honorific: c.person.honorific,
    name: fullName(c.person),
    nameLatin: latinName(c.person),
  },
  entity: c.entity ? text(c.entity.name as Parameters<typeof text>[0], locale) : null,
  events: c.events.map((e) => ({ slug: e.slug, name: text(e.name as Parameters<typeof text>[0], locale) })),
});

const BatchOut = z.object({
  id: z.number(),
  state: z.string(),
  size: z.string(),
  total: z.number(),
  done: z.number(),
  filter: z.record(z.string(), z.unknown()),
  error: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  pdf: z.string().nullable(),
});
export const presentBatch = (b: Omit<Batch, 'badgeIds'>): z.infer<typeof BatchOut> => ({
  id: b.id,
  state: b.state,
  size: b.size,
  total: b.total,
  done: b.done,
  filter: JSON.parse(b.filter),
  error: b.error,
  createdAt: b.createdAt.toISOString(),
  finishedAt: b.finishedAt?.toISOString() ?? null,
  pdf: b.state === 'done' ? `/api/v1/badge-batches/${b.id}/pdf` : null,
});

/** A badge's photo: badge staff at the desk and door staff comparing the face. */
export async function badgePhoto(ctx: Parameters<typeof getPhoto>[0], id: number, reply: FastifyReply) {
  authorize(ctx, 'badges.view');
  const [b] = await ctx.db.select({ personId: badges.personId }).from(badges).where(eq(badges.id, id));
  if (!b) throw new DomainError('badge_not_found', 404);
  const photo = await getPhoto(ctx, b.personId);
  if (!photo) throw new DomainError('photo_not_found', 404);
  return reply
    .type('image/jpeg')
    .header('cache-control', 'private, max-age=300')
    .header('etag', `"${photo.sha256.slice(0, 32)}"`)
    .send(photo.jpeg);
}

/** A single badge as PDF, rendered into memory (one page) and sent. */
export async function sendBadgePdf(
  ctx: Parameters<typeof singleBadgePdf>[0],
  id: number,
  size: 'CR80' | 'A6',
  reply: FastifyReply,
) {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  await singleBadgePdf(ctx, id, size, out);
  return reply
    .type('application/pdf')
    .header('cache-control', 'private, no-store')
    .header('content-disposition', `inline; filename="badge-${id}.pdf"`)
    .send(Buffer.concat(chunks));
}

export async function badgesApi(app: FastifyInstance, opts: { dataDir: string }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const desk = { permission: 'badges.print' as const };
  r.get(
    '/api/v1/badges',
    {
      config: desk,
      schema: {
        tags: ['badges'],
        summary: 'Find badges by QR (badge or confirmation), reference R-XXXXXXXX, or name in any script',
        querystring: z.object({ q: z.string().max(200) }),
        response: { 200: z.object({ badges: z.array(BadgeOut) }), ...errors },
      },
    },
    async (req) => ({
      badges: (await searchDesk(req.ctx, req.query.q)).map((c) => presentCard(c, req.ctx.locale)),
    }),
  );
  r.get(
    '/api/v1/badges/:id',
    {
      config: desk,
      schema: { tags: ['badges'], summary: 'One badge', params: NumId, response: { 200: BadgeOut, ...errors } },
    },
    async (req) => presentCard(await getBadge(req.ctx, req.params.id), req.ctx.locale),
  );
  r.post(
    '/api/v1/badges/:id/id-check',
    {
      config: desk,
      schema: {
        tags: ['badges'],
        summary: 'Record that a photo ID matching the badge was checked',
        params: NumId,
        response: { 200: BadgeOut, ...errors },
      },
    },
    async (req) => {
      await confirmIdChecked(w(req.ctx), req.params.id);
      return presentCard(await getBadge(req.ctx, req.params.id), req.ctx.locale);
    },
  );
  r.post(
    '/api/v1/badges/:id/collect',
    {
      config: desk,
      schema: {
        tags: ['badges'],
        summary: 'Hand the badge over (after the ID check)',
        params: NumId,
        response: { 200: BadgeOut, ...errors },
      },
    },
    async (req) => {
      await markCollected(w(req.ctx), req.params.id);
      return presentCard(await getBadge(req.ctx, req.params.id), req.ctx.locale);
    },
  );
  r.post(
    '/api/v1/badges/:id/reissue',
    {
      config: desk,
      schema: {
        tags: ['badges'],
        summary: 'Revoke the badge (its QR stops working) and issue a new one',
        params: NumId,
        body: z.object({ reason: z.string().trim().min(1).max(300) }),
        response: { 200: BadgeOut, ...errors },
      },
    },
    async (req) => {
      const fresh = await revokeAndReissue(w(req.ctx), req.params.id, req.body.reason);
      return presentCard(await getBadge(req.ctx, fresh.id), req.ctx.locale);
    },
  );
  r.get(
    '/api/v1/badges/:id/photo',
    {
      config: { permission: 'badges.view' as const },
      schema: { tags: ['badges'], summary: "The badge holder's photo (JPEG)", params: NumId },
    },
    async (req, reply) => badgePhoto(req.ctx, req.params.id, reply),
  );
  r.get(
    '/api/v1/badges/:id/pdf',
    {
      config: desk,
      schema: {
        tags: ['badges'],
        summary: 'The badge as a PDF to print now (counted as a print)',
        params: NumId,
        querystring: z.object({ size: Size.default('CR80') }),
      },
    },
    async (req, reply) => sendBadgePdf(w(req.ctx), req.params.id, req.query.size, reply),
  );

  r.get(
    '/api/v1/badge-colours/:slug',
    {
      config: desk,
      schema: {
        tags: ['badges'],
        summary: "An event's category band colours (`default`: every event's)",
        params: z.object({ slug: z.string().max(80) }),
        response: { 200: ColoursInput, ...errors },
      },
    },
    async (req) =>
      badgeColours(req.ctx.db, req.params.slug === 'default' ? undefined : req.params.slug) as Promise<
        z.infer<typeof ColoursInput>
      >,
  );
  r.put(
    '/api/v1/badge-colours/:slug',
    {
      config: desk,
      schema: {
        tags: ['badges'],
        summary: "Set an event's category band colours",
        params: z.object({ slug: z.string().max(80) }),
        body: ColoursInput,
        response: { 200: ColoursInput, ...errors },
      },
    },
    async (req) => {
      await setBadgeColours(w(req.ctx), req.params.slug, req.body);
      return req.body;
    },
  );
  r.post(
    '/api/v1/badge-batches',
    {
      config: desk,
      schema: {
        tags: ['badges'],
        summary: 'Print a batch: badges chosen by filter, rendered into one PDF by a job',
        body: z.object({ filter: BatchFilter.default({}), size: Size.default('CR80') }),
        response: { 201: BatchOut, ...errors },
      },
    },
    async (req, reply) =>
      reply.code(201).send(presentBatch(await createBatch(w(req.ctx), req.body.filter, req.body.size))),
  );
  r.get(
    '/api/v1/badge-batches',
    {
      config: desk,
      schema: {
        tags: ['badges'],
        summary: 'Recent print batches with their progress',
        response: { 200: z.object({ batches: z.array(BatchOut) }), ...errors },
      },
    },
    async (req) => ({
      batches: (await listBatches(req.ctx)).map(presentBatch),
    }),
  );
  r.get(
    '/api/v1/badge-batches/:id',
    {
      config: desk,
      schema: {
        tags: ['badges'],
        summary: 'A print batch and its progress',
        params: NumId,
        response: { 200: BatchOut, ...errors },
      },
    },
    async (req) => presentBatch(await getBatch(req.ctx, req.params.id)),
  );
  r.get(
    '/api/v1/badge-batches/:id/pdf',
    { config: desk, schema: { tags: ['badges'], summary: "A finished batch's PDF", params: NumId } },
    async (req, reply) => {
      const file = await batchFile(req.ctx, req.params.id, opts.dataDir);
      return reply
        .type('application/pdf')
        .header('cache-control', 'private, no-store')
        .header('content-disposition', `attachment; filename="badges-batch-${req.params.id}.pdf"`)
        .send(fs.createReadStream(file));
    },
  );
}
