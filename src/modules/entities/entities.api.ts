/**
 * JSON API for entities: the public list and entity; creating, changing, merging and importing for administrators;
 * focal points for administrators and, read-only, for an entity's own DFPs.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { LangQuery, LocalizedText, Problem } from '../../platform/http/api-schemas.js';
import { sendCached } from '../../platform/http/cache.js';
import type { Locale } from '../../platform/i18n/locales.js';
import {
  EntityInput,
  EntityListQuery,
  EntityPatch,
  FocalPointInput,
  ImportInput,
  MergeInput,
} from './entities.input.js';
import { ENTITY_KINDS } from './entities.schema.js';
import * as svc from './entities.service.js';

export const EntityOut = z.object({
  id: z.number().int(),
  kind: z.enum(ENTITY_KINDS),
  code: z.string().nullable().describe('ISO 3166-1 alpha-2 for Member States'),
  name: z.string().describe('In the requested language, or the first available'),
  names: LocalizedText,
  country: z.string().nullable(),
  ituRegion: z.string().nullable().describe('ITU administrative region, A–E'),
  itudRegion: z.string().nullable().describe('ITU-D region'),
  unGroup: z.string().nullable().describe('UN regional group'),
  mergedInto: z.number().int().nullable().describe('Set when this entity was merged into another'),
});

export function presentEntity(e: svc.Entity, locale: Locale): z.infer<typeof EntityOut> {
  return {
    id: e.id,
    kind: e.kind,
    code: e.code,
    name: svc.entityName(e, locale),
    names: e.name,
    country: e.country,
    ituRegion: e.ituRegion,
    itudRegion: e.itudRegion,
    unGroup: e.unGroup,
    mergedInto: e.mergedInto,
  };
}

const FocalPointOut = z.object({
  personId: z.string(),
  email: z.string().nullable(),
  givenName: z.string(),
  familyName: z.string(),
  appointedAt: z.string(),
  appointedBy: z.string(),
});

const ImportReportOut = z.object({
  inserted: z.number().int(),
  updated: z.number().int(),
  rejected: z.array(
    z.object({ line: z.number().int(), errors: z.array(z.object({ field: z.string(), message: z.string() })) }),
  ),
});

const IdParams = z.object({
  id: z.coerce
    .number()
    .int()
    .positive()
    .max(2 ** 31 - 1),
});
const FocalPointParams = IdParams.extend({ personId: z.string().uuid() });
const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem };
const tags = ['entities'];

const wctx = (req: FastifyRequest) => req.ctx as typeof req.ctx & { db: Db };

export async function entitiesApi(app: FastifyInstance) {
  // A CSV file can be posted as it is (text/csv), in this plugin only.
  app.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: 2 * 2 ** 20 }, (_req, body, done) =>
    done(null, body),
  );
  const r = app.withTypeProvider<ZodTypeProvider>();
  const manage = { permission: 'entities.manage' as const };

  r.get(
    '/api/v1/entities',
    {
      config: { permission: 'public' },
      schema: {
        tags,
        summary: 'Member States and other entities, sorted by name in the requested language (merged ones left out)',
        querystring: EntityListQuery,
        response: { 200: z.object({ count: z.number().int(), entities: z.array(EntityOut) }), 400: Problem },
      },
    },
    (req, reply) =>
      sendCached(req, reply, 'application/json; charset=utf-8', async () => {
        const list = await svc.listEntities(req.ctx, req.query);
        return JSON.stringify({ count: list.length, entities: list.map((e) => presentEntity(e, req.locale)) });
      }),
  );

  r.get(
    '/api/v1/entities/:id',
    {
      config: { permission: 'public' },
      schema: {
        tags,
        summary: 'One entity',
        params: IdParams,
        querystring: LangQuery,
        response: { 200: EntityOut, 400: Problem, 404: Problem },
      },
    },
    (req, reply) =>
      sendCached(req, reply, 'application/json; charset=utf-8', async () =>
        JSON.stringify(presentEntity(await svc.getEntity(req.ctx, req.params.id), req.locale)),
      ),
  );

  r.post(
    '/api/v1/entities',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Create an entity',
        body: EntityInput,
        response: { 201: EntityOut, ...errors, 409: Problem },
      },
    },
    async (req, reply) =>
      reply
        .code(201)
        .header('cache-control', 'no-store')
        .send(presentEntity(await svc.createEntity(wctx(req), req.body), req.locale)),
  );

  r.patch(
    '/api/v1/entities/:id',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Change an entity (absent fields kept, null clears; names per language)',
        params: IdParams,
        body: EntityPatch,
        response: { 200: EntityOut, ...errors, 409: Problem },
      },
    },
    async (req, reply) =>
      reply
        .header('cache-control', 'no-store')
        .send(presentEntity(await svc.updateEntity(wctx(req), { id: req.params.id, patch: req.body }), req.locale)),
  );

  r.post(
    '/api/v1/entities/:id/merge',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Merge this entity into another: its people and focal points move there',
        params: IdParams,
        body: MergeInput,
        response: {
          200: z.object({
            from: z.number().int(),
            into: z.number().int(),
            people: z.number().int(),
            focalPoints: z.number().int(),
          }),
          ...errors,
          409: Problem,
        },
      },
    },
    async (req, reply) =>
      reply
        .header('cache-control', 'no-store')
        .send(await svc.mergeEntities(wctx(req), { from: req.params.id, into: req.body.into })),
  );

  r.post(
    '/api/v1/entities/import',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Import entities from CSV (text/csv body, or JSON {"csv": "…"}); rejected lines are reported',
        description:
          'Columns: kind,code,name_en,name_fr,name_es,name_ar,name_zh,name_ru,country,itu_region,itud_region,un_group (only kind is required). ' +
          'A row matching a live entity by kind and code (or, without code, kind and English name) updates it; empty cells keep what is there.',
        body: z.union([z.string().max(2_000_000), ImportInput]),
        response: { 200: ImportReportOut, ...errors, 413: Problem },
      },
    },
    async (req, reply) => {
      const csv = typeof req.body === 'string' ? req.body : req.body.csv;
      return reply.header('cache-control', 'no-store').send(await svc.importEntitiesCsv(wctx(req), csv));
    },
  );

  r.get(
    '/api/v1/entities/:id/focal-points',
    {
      config: { permission: 'entity.act' },
      schema: {
        tags,
        summary: "An entity's Designated Focal Points (secretariat, or the entity's own DFPs)",
        params: IdParams,
        response: { 200: z.object({ entityId: z.number().int(), focalPoints: z.array(FocalPointOut) }), ...errors },
      },
    },
    async (req, reply) => {
      const list = await svc.listFocalPoints(req.ctx, req.params.id);
      return reply.header('cache-control', 'no-store').send({
        entityId: req.params.id,
        focalPoints: list.map((f) => ({ ...f, appointedAt: f.appointedAt.toISOString() })),
      });
    },
  );

  r.post(
    '/api/v1/entities/:id/focal-points',
    {
      config: { permission: 'focal_points.manage' },
      schema: {
        tags,
        summary: 'Appoint a person (by e-mail) focal point of the entity; appointing again changes nothing',
        params: IdParams,
        body: FocalPointInput,
        response: {
          200: z.object({ personId: z.string(), created: z.boolean() }),
          201: z.object({ personId: z.string(), created: z.boolean() }),
          ...errors,
        },
      },
    },
    async (req, reply) => {
      const res = await svc.appointFocalPoint(wctx(req), { entityId: req.params.id, email: req.body.email });
      return reply
        .code(res.created ? 201 : 200)
        .header('cache-control', 'no-store')
        .send(res);
    },
  );

  r.delete(
    '/api/v1/entities/:id/focal-points/:personId',
    {
      config: { permission: 'focal_points.manage' },
      schema: { tags, summary: 'End an appointment', params: FocalPointParams, response: { 204: z.null(), ...errors } },
    },
    async (req, reply) => {
      await svc.removeFocalPoint(wctx(req), { entityId: req.params.id, personId: req.params.personId });
      return reply.code(204).send(null);
    },
  );
}
