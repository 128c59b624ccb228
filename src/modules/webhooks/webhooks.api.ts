/**
 * Webhook subscriptions over JSON (administrators, `webhooks.manage`): the catalogue of events, subscriptions, their
 * deliveries with every attempt, replays and a test message. The secret is returned when created or rotated only.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import type { Ctx } from '../../platform/context.js';
import { isoInGeneva, Problem } from '../../platform/http/api-schemas.js';
import { SubscriptionInput, SubscriptionPatch } from './webhooks.input.js';
import { DELIVERY_STATES } from './webhooks.schema.js';
import * as svc from './webhooks.service.js';

const SubscriptionOut = z.object({
  id: z.number(),
  url: z.string(),
  description: z.string(),
  eventTypes: z.array(z.string()),
  active: z.boolean(),
  disabledReason: z.enum(['failures', 'manual']).nullable().describe('Why it is inactive'),
  consecutiveFailures: z.number().describe('Failed attempts in a row; disabled at 10'),
  createdAt: z.string(),
  updatedAt: z.string(),
});
const WithSecret = SubscriptionOut.extend({
  secret: z.string().describe('`whsec_…`: verify `webhook-signature` with it (Standard Webhooks). Shown once.'),
});
const AttemptOut = z.object({
  at: z.string(),
  status: z.number().nullable().describe('HTTP status; null when no answer came'),
  durationMs: z.number(),
  error: z.string().nullable(),
  response: z.string().nullable().describe('The first 1,000 characters of the answer'),
});
const DeliveryOut = z.object({
  id: z.number(),
  messageId: z.string().describe('The `webhook-id` header'),
  type: z.string(),
  state: z.enum(DELIVERY_STATES),
  attempts: z.array(AttemptOut),
  replayOf: z.number().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});

const present = (s: svc.Subscription): z.infer<typeof SubscriptionOut> => ({
  id: s.id,
  url: s.url,
  description: s.description,
  eventTypes: s.eventTypes,
  active: s.active,
  disabledReason: (s.disabledReason as 'failures' | 'manual' | null) ?? null,
  consecutiveFailures: s.consecutiveFailures,
  createdAt: isoInGeneva(s.createdAt),
  updatedAt: isoInGeneva(s.updatedAt),
});

const presentDelivery = (d: svc.DeliveryView): z.infer<typeof DeliveryOut> => ({
  id: d.id,
  messageId: d.messageId,
  type: d.type,
  state: d.state,
  replayOf: d.replayOf,
  createdAt: isoInGeneva(d.createdAt),
  finishedAt: d.finishedAt ? isoInGeneva(d.finishedAt) : null,
  attempts: d.attemptsLog.map((a) => ({
    at: isoInGeneva(a.attemptedAt),
    status: a.status,
    durationMs: a.durationMs,
    error: a.error,
    response: a.response,
  })),
});

const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem };
const w = (req: FastifyRequest) => req.ctx as Ctx & { db: Db };
const Id = z.object({ id: z.coerce.number().int().positive() });
const config = { permission: 'webhooks.manage' as const };

export async function webhooksApi(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['webhooks'];

  r.get(
    '/api/v1/webhooks/event-types',
    {
      config,
      schema: {
        tags,
        summary: 'The catalogue: every event a subscription may choose, with what it means',
        response: {
          200: z.object({ eventTypes: z.array(z.object({ type: z.string(), summary: z.string() })) }),
          ...errors,
        },
      },
    },
    async () => ({ eventTypes: [...svc.catalogue()] }),
  );
  r.get(
    '/api/v1/webhooks',
    {
      config,
      schema: {
        tags,
        summary: 'Subscriptions',
        response: { 200: z.object({ webhooks: z.array(SubscriptionOut) }), ...errors },
      },
    },
    async (req) => ({ webhooks: (await svc.listSubscriptions(req.ctx)).map(present) }),
  );
  r.post(
    '/api/v1/webhooks',
    {
      config,
      schema: {
        tags,
        summary: 'Subscribe a URL (https, or http on this machine) to events; the answer holds the secret, once',
        body: SubscriptionInput,
        response: { 201: WithSecret, ...errors },
      },
    },
    async (req, reply) => {
      const s = await svc.createSubscription(w(req), req.body);
      return reply.code(201).send({ ...present(s), secret: s.secret });
    },
  );
  r.get(
    '/api/v1/webhooks/:id',
    {
      config,
      schema: { tags, summary: 'One subscription', params: Id, response: { 200: SubscriptionOut, ...errors } },
    },
    async (req) => present(await svc.getSubscription(req.ctx, req.params.id)),
  );
  r.patch(
    '/api/v1/webhooks/:id',
    {
      config,
      schema: {
        tags,
        summary: 'Change the URL, events or description; disable, or enable again (the failure count restarts)',
        params: Id,
        body: SubscriptionPatch,
        response: { 200: SubscriptionOut, ...errors },
      },
    },
    async (req) => present(await svc.updateSubscription(w(req), req.params.id, req.body)),
  );
  r.delete(
    '/api/v1/webhooks/:id',
    {
      config,
      schema: {
        tags,
        summary: 'Delete a subscription and its delivery log',
        params: Id,
        response: { 204: z.null(), ...errors },
      },
    },
    async (req, reply) => {
      await svc.deleteSubscription(w(req), req.params.id);
      return reply.code(204).send(null);
    },
  );
  r.post(
    '/api/v1/webhooks/:id/rotate-secret',
    {
      config,
      schema: {
        tags,
        summary: 'A new secret; the old one stops signing at once',
        params: Id,
        response: { 200: z.object({ secret: z.string() }), ...errors },
      },
    },
    async (req) => svc.rotateSecret(w(req), req.params.id),
  );
  r.post(
    '/api/v1/webhooks/:id/test',
    {
      config,
      schema: {
        tags,
        summary: 'Send a `webhook.test` message now, to check the receiver and the signature',
        params: Id,
        response: { 202: z.object({ deliveryId: z.number() }), ...errors },
      },
    },
    async (req, reply) => reply.code(202).send({ deliveryId: await svc.sendTestMessage(w(req), req.params.id) }),
  );
  r.get(
    '/api/v1/webhooks/:id/deliveries',
    {
      config,
      schema: {
        tags,
        summary: 'Deliveries, newest first, each with its attempts (status and time); page with `before`',
        params: Id,
        querystring: z.object({
          before: z.coerce.number().int().positive().optional().describe('Deliveries with a smaller id'),
          limit: z.coerce.number().int().min(1).max(200).optional(),
        }),
        response: { 200: z.object({ deliveries: z.array(DeliveryOut) }), ...errors },
      },
    },
    async (req) => ({
      deliveries: (await svc.listDeliveries(req.ctx, req.params.id, req.query)).map(presentDelivery),
    }),
  );
  r.post(
    '/api/v1/webhooks/:id/deliveries/:deliveryId/replay',
    {
      config,
      schema: {
        tags,
        summary: 'Deliver a finished delivery’s message again (same `webhook-id`)',
        params: Id.extend({ deliveryId: z.coerce.number().int().positive() }),
        response: { 202: z.object({ deliveryId: z.number() }), ...errors },
      },
    },
    async (req, reply) =>
      reply.code(202).send({ deliveryId: await svc.replayDelivery(w(req), req.params.id, req.params.deliveryId) }),
  );
}
