/** Registration over JSON: participants, Designated Focal Points and the secretariat, with sessions or Bearer tokens. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { Problem } from '../../platform/http/api-schemas.js';
import { DecisionInput, SettingsInput, SubmitInput } from './registration.input.js';
import type { Registration } from './registration.queries.js';
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
  id: r.id, personId: r.personId, eventId: r.eventId, entityId: r.entityId, mode: r.mode, state: r.state, stakeholderType: r.stakeholderType,
  function: r.function, vipCategory: r.vipCategory, reason: r.reason, submittedAt: r.submittedAt.toISOString(), decidedAt: r.decidedAt?.toISOString() ?? null,
});
const List = z.object({ registrations: z.array(RegistrationOut) });
const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem };
const w = <T>(ctx: T) => ctx as T & { db: Db };
const Id = z.object({ id: z.string().uuid() });

export async function registrationApi(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  // Signed-in callers pass the gate; the services decide (a DFP for their own entity, staff with registration.review).
  const signedIn = { permission: 'account.self' as const };
  r.post('/api/v1/registrations', { config: signedIn, schema: { tags: ['registration'], summary: 'Register for one or several events (idempotent per event)', body: SubmitInput, response: { 200: List, ...errors } } }, async (req) => ({
    registrations: (await svc.submitRegistration(w(req.ctx), req.body)).registrations.map(present),
  }));
  r.get('/api/v1/registrations/mine', { config: signedIn, schema: { tags: ['registration'], summary: 'My registrations', response: { 200: List, ...errors } } }, async (req) => ({
    registrations: (await svc.listMyRegistrations(req.ctx)).map(present),
  }));
  r.post('/api/v1/registrations/:id/withdraw', { config: signedIn, schema: { tags: ['registration'], summary: 'Withdraw a registration', params: Id, response: { 200: RegistrationOut, ...errors } } }, async (req) =>
    present(await svc.withdrawRegistration(w(req.ctx), req.params.id)),
  );
  const decide = { permission: 'registration.decide' as const };
  r.get('/api/v1/registrations/queue', { config: decide, schema: { tags: ['registration'], summary: 'Requests awaiting my decision (DFP) or the secretariat', response: { 200: List, ...errors } } }, async (req) => ({
    registrations: (await svc.listQueue(req.ctx)).map(present),
  }));
  r.post('/api/v1/registrations/:id/decision', { config: decide, schema: { tags: ['registration'], summary: 'Approve (a place or the waiting list) or reject', params: Id, body: DecisionInput, response: { 200: RegistrationOut, ...errors } } }, async (req) =>
    present(await svc.decideRegistration(w(req.ctx), req.params.id, req.body)),
  );
  r.put('/api/v1/events/:slug/registration-settings', { config: { permission: 'registration.review' }, schema: { tags: ['registration'], summary: 'Registration window, capacity and secretariat categories of an event', params: z.object({ slug: z.string() }), body: SettingsInput } }, async (req) => {
    const s = await svc.setRegistrationSettings(w(req.ctx), req.params.slug, req.body);
    return { eventId: s.eventId, opensAt: s.opensAt?.toISOString() ?? null, closesAt: s.closesAt?.toISOString() ?? null, capacity: s.capacity, secretariatCategories: s.secretariatCategories };
  });
}
