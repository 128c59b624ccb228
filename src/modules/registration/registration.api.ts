/** Registration over JSON: participants, Designated Focal Points and the secretariat, with sessions or Bearer tokens. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { Problem } from '../../platform/http/api-schemas.js';
import { DomainError } from '../../platform/errors.js';
import { personOf } from '../../platform/permissions.js';
import {
  BulkDecisionInput,
  DecisionInput,
  EditInput,
  SettingsInput,
  SubmitInput,
  VipInput,
  VisaInput,
} from './registration.input.js';
import { getPhoto, getThumbnail, PHOTO_MAX_BYTES, PHOTO_TYPES, savePhoto } from './registration.photo.js';
import * as visa from './registration.visa.js';
import { getEvents } from '../events/index.js';
import type { Registration } from './registration.queries.js';
import * as q from './registration.queries.js';
import * as svc from './registration.service.js';

const RegistrationOut = z.object({
  id: z.string(),
  personId: z.string(),
  eventId: z.number(),
  entityId: z.number().nullable(),
  mode: z.string(),
  state: z.string(),
  stakeholderType: z.string(),
  function: z.string(),
  vipCategory: z.string().nullable(),
  reason: z.string().nullable(),
  submittedAt: z.string(),
  decidedAt: z.string().nullable(),
});
const present = (r: Registration): z.infer<typeof RegistrationOut> => ({
  id: r.id,
  personId: r.personId,
  eventId: r.eventId,
  entityId: r.entityId,
  mode: r.mode,
  state: r.state,
  stakeholderType: r.stakeholderType,
  function: r.function,
  vipCategory: r.vipCategory,
  reason: r.reason,
  submittedAt: r.submittedAt.toISOString(),
  decidedAt: r.decidedAt?.toISOString() ?? null,
});
const List = z.object({ registrations: z.array(RegistrationOut) });
const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem };
const w = <T>(ctx: T) => ctx as T & { db: Db };
const Id = z.object({ id: z.string().uuid() });
const NumId = z.object({ id: z.coerce.number().int().positive() });
const QueueQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(200).describe('Requests per page (oldest first)'),
  after: z.string().max(200).optional().describe('The `next` cursor of the previous page'),
  event: z.string().max(80).optional(),
  function: z.string().max(100).optional(),
  state: z.enum(['pending_dfp', 'pending_secretariat', 'approved', 'waitlisted', 'rejected', 'withdrawn']).optional(),
  mode: z.enum(['in_person', 'remote']).optional(),
});
const VisaOut = z.object({
  id: z.number(),
  registrationId: z.string(),
  state: z.string(),
  reference: z.string().nullable(),
  letterLocale: z.string(),
  visaPlace: z.string(),
  requestedAt: z.string(),
  issuedAt: z.string().nullable(),
  sentCount: z.number(),
});
const presentVisa = (v: visa.VisaRequest): z.infer<typeof VisaOut> => ({
  id: v.id,
  registrationId: v.registrationId,
  state: v.state,
  reference: v.reference,
  letterLocale: v.letterLocale,
  visaPlace: v.visaPlace,
  requestedAt: v.requestedAt.toISOString(),
  issuedAt: v.issuedAt?.toISOString() ?? null,
  sentCount: v.sentCount,
});

/** The queue's filters: an event slug becomes its id. */
export async function queueFilter(ctx: Parameters<typeof getEvents>[0], query: z.infer<typeof QueueQuery>) {
  const eventId = query.event ? (await getEvents(ctx)).find((e) => e.slug === query.event)?.id : undefined;
  if (query.event && !eventId) throw new DomainError('event_not_found', 404, { slug: query.event });
  const after = query.after ? q.parseQueueCursor(query.after) : undefined;
  if (query.after && !after) throw new DomainError('invalid_query', 400);
  return {
    eventId,
    function: query.function || undefined,
    state: query.state,
    mode: query.mode,
    limit: query.limit,
    after,
  };
}

function sendPhoto(reply: import('fastify').FastifyReply, photo: { jpeg: Buffer; sha256: string } | undefined) {
  if (!photo) throw new DomainError('photo_not_found', 404);
  return reply
    .type('image/jpeg')
    .header('cache-control', 'private, no-store')
    .header('etag', `"${photo.sha256.slice(0, 32)}"`)
    .send(photo.jpeg);
}

export async function registrationApi(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  // Signed-in callers pass the gate; the services decide (a DFP for their own entity, staff with registration.review).
  const signedIn = { permission: 'account.self' as const };
  r.post(
    '/api/v1/registrations',
    {
      config: signedIn,
      schema: {
        tags: ['registration'],
        summary: 'Register for one or several events (idempotent per event)',
        body: SubmitInput,
        response: { 200: List, ...errors },
      },
    },
    async (req) => ({
      registrations: (await svc.submitRegistration(w(req.ctx), req.body)).registrations.map(present),
    }),
  );
  r.get(
    '/api/v1/registrations/mine',
    {
      config: signedIn,
      schema: { tags: ['registration'], summary: 'My registrations', response: { 200: List, ...errors } },
    },
    async (req) => ({
      registrations: (await svc.listMyRegistrations(req.ctx)).map(present),
    }),
  );
  r.post(
    '/api/v1/registrations/:id/withdraw',
    {
      config: signedIn,
      schema: {
        tags: ['registration'],
        summary: 'Withdraw a registration',
        params: Id,
        response: { 200: RegistrationOut, ...errors },
      },
    },
    async (req) => present(await svc.withdrawRegistration(w(req.ctx), req.params.id)),
  );
  const decide = { permission: 'registration.decide' as const };
  r.get(
    '/api/v1/registrations/queue',
    {
      config: decide,
      schema: {
        tags: ['registration'],
        summary: 'Requests awaiting my decision (DFP) or the secretariat, filtered, a page at a time (oldest first)',
        querystring: QueueQuery,
        response: { 200: List.extend({ next: z.string().nullable() }), ...errors },
      },
    },
    async (req) => {
      const f = await queueFilter(req.ctx, req.query);
      const page = await svc.listQueue(req.ctx, f);
      return {
        registrations: page.map(present),
        next: page.length === f.limit ? q.queueCursor(page[page.length - 1]) : null,
      };
    },
  );
  r.post(
    '/api/v1/registrations/decisions',
    {
      config: decide,
      schema: {
        tags: ['registration'],
        summary: 'Approve or reject many requests; each succeeds or fails on its own',
        body: BulkDecisionInput,
        response: {
          200: z.object({
            results: z.array(
              z.object({ id: z.string(), ok: z.boolean(), state: z.string().optional(), code: z.string().optional() }),
            ),
          }),
          ...errors,
        },
      },
    },
    async (req) => ({
      results: await svc.decideBulk(w(req.ctx), req.body),
    }),
  );
  r.post(
    '/api/v1/registrations/vip',
    {
      config: decide,
      schema: {
        tags: ['registration'],
        summary: 'A focal point registers a VIP of their entity (approved at once)',
        body: VipInput,
        response: { 200: List.extend({ personId: z.string(), created: z.boolean() }), ...errors },
      },
    },
    async (req) => {
      const res = await svc.registerVip(w(req.ctx), req.body);
      return { personId: res.personId, created: res.created, registrations: res.registrations.map(present) };
    },
  );
  r.patch(
    '/api/v1/registrations/:id',
    {
      config: signedIn,
      schema: {
        tags: ['registration'],
        summary: 'Change a request awaiting a decision',
        params: Id,
        body: EditInput,
        response: { 200: RegistrationOut, ...errors },
      },
    },
    async (req) => present(await svc.editRegistration(w(req.ctx), req.params.id, req.body)),
  );

  // Badge photo: the image itself as the body (image/jpeg, image/png or image/webp).
  await app.register(async (photos) => {
    photos.addContentTypeParser(
      Object.values(PHOTO_TYPES),
      { parseAs: 'buffer', bodyLimit: PHOTO_MAX_BYTES },
      (_req, body, done) => done(null, body),
    );
    const p = photos.withTypeProvider<ZodTypeProvider>();
    p.put(
      '/api/v1/me/photo',
      {
        config: signedIn,
        schema: {
          tags: ['registration'],
          summary: 'Upload my badge photo (JPEG, PNG or WebP; re-encoded, metadata removed)',
          consumes: Object.values(PHOTO_TYPES),
        },
      },
      async (req) => {
        if (!Buffer.isBuffer(req.body)) throw new DomainError('photo_type_unsupported', 415);
        return savePhoto(w(req.ctx), personOf(req.ctx).id, req.body as Buffer, req.headers['content-type']);
      },
    );
    p.get(
      '/api/v1/me/photo',
      { config: signedIn, schema: { tags: ['registration'], summary: 'My badge photo (JPEG)' } },
      async (req, reply) => sendPhoto(reply, await getPhoto(req.ctx, personOf(req.ctx).id)),
    );
    p.get(
      '/api/v1/people/:personId/photo',
      {
        config: decide,
        schema: {
          tags: ['registration'],
          summary: "A person's badge photo (their entity's focal point, the secretariat)",
          params: z.object({ personId: z.string().uuid() }),
        },
      },
      async (req, reply) => sendPhoto(reply, await getPhoto(req.ctx, req.params.personId)),
    );
    p.get(
      '/api/v1/people/:personId/photo/thumb',
      {
        config: decide,
        schema: {
          tags: ['registration'],
          summary: "A person's badge photo as a 96 × 128 WebP thumbnail, for lists",
          params: z.object({ personId: z.string().uuid() }),
        },
      },
      async (req, reply) => {
        const thumb = await getThumbnail(req.ctx, req.params.personId);
        if (!thumb) throw new DomainError('photo_not_found', 404);
        return reply
          .type('image/webp')
          .header('cache-control', 'private, no-store')
          .header('etag', `"t${thumb.sha256.slice(0, 31)}"`)
          .send(thumb.webp);
      },
    );
  });

  r.post(
    '/api/v1/registrations/:id/visa',
    {
      config: signedIn,
      schema: {
        tags: ['registration'],
        summary: 'Ask for a visa-support letter (or update the details before it is issued)',
        params: Id,
        body: VisaInput,
        response: { 200: z.object({ request: VisaOut, daysBefore: z.number(), late: z.boolean() }), ...errors },
      },
    },
    async (req) => {
      const res = await visa.requestVisaLetter(w(req.ctx), req.params.id, req.body);
      return { request: presentVisa(res.request), daysBefore: res.daysBefore, late: res.late };
    },
  );
  const review = { permission: 'registration.review' as const };
  r.get(
    '/api/v1/visa-requests',
    {
      config: review,
      schema: {
        tags: ['registration'],
        summary: 'Visa-support letter requests',
        querystring: z.object({ state: z.enum(['requested', 'issued']).optional() }),
      },
    },
    async (req) => ({
      requests: (await visa.listVisaRequests(req.ctx, req.query)).map((x) => ({
        ...presentVisa(x.v),
        person: x.person,
        registrationState: x.reg.state,
      })),
    }),
  );
  r.post(
    '/api/v1/visa-requests/:id/issue',
    {
      config: review,
      schema: {
        tags: ['registration'],
        summary: 'Issue the letter (PDF, e-mailed to the participant)',
        params: NumId,
        response: { 200: VisaOut, ...errors },
      },
    },
    async (req) => presentVisa(await visa.issueVisaLetter(w(req.ctx), req.params.id)),
  );
  r.post(
    '/api/v1/visa-requests/:id/resend',
    {
      config: review,
      schema: {
        tags: ['registration'],
        summary: 'Send the issued letter again',
        params: NumId,
        response: { 200: VisaOut, ...errors },
      },
    },
    async (req) => presentVisa(await visa.resendVisaLetter(w(req.ctx), req.params.id)),
  );
  r.get(
    '/api/v1/visa-requests/:id/letter.pdf',
    {
      config: signedIn,
      schema: {
        tags: ['registration'],
        summary: 'The issued letter (its participant, the secretariat)',
        params: NumId,
      },
    },
    async (req, reply) => {
      const { pdf, reference } = await visa.visaLetterPdf(req.ctx, req.params.id);
      return reply
        .type('application/pdf')
        .header('cache-control', 'private, no-store')
        .header('content-disposition', `attachment; filename="${reference.replace(/\//g, '-')}.pdf"`)
        .send(pdf);
    },
  );
  r.post(
    '/api/v1/registrations/:id/decision',
    {
      config: decide,
      schema: {
        tags: ['registration'],
        summary: 'Approve (a place or the waiting list) or reject',
        params: Id,
        body: DecisionInput,
        response: { 200: RegistrationOut, ...errors },
      },
    },
    async (req) => present(await svc.decideRegistration(w(req.ctx), req.params.id, req.body)),
  );
  r.put(
    '/api/v1/events/:slug/registration-settings',
    {
      config: { permission: 'registration.review' },
      schema: {
        tags: ['registration'],
        summary: 'Registration window, capacity and secretariat categories of an event',
        params: z.object({ slug: z.string() }),
        body: SettingsInput,
      },
    },
    async (req) => {
      const s = await svc.setRegistrationSettings(w(req.ctx), req.params.slug, req.body);
      return {
        eventId: s.eventId,
        opensAt: s.opensAt?.toISOString() ?? null,
        closesAt: s.closesAt?.toISOString() ?? null,
        capacity: s.capacity,
        secretariatCategories: s.secretariatCategories,
        eligibleFunctions: s.eligibleFunctions,
        invitationOnly: s.invitationOnly,
      };
    },
  );
}
