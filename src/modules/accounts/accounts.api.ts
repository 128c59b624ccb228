/** JSON API for accounts: one's own profile, data and tokens; people and roles for administrators. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { Problem } from '../../platform/http/api-schemas.js';
import { RoleInput, TokenCreateInput } from './accounts.input.js';
import type { Person } from './accounts.queries.js';
import * as aff from './accounts.affiliation.js';
import * as svc from './accounts.service.js';

export const PersonOut = z.object({
  id: z.string(),
  email: z.string().nullable(),
  givenName: z.string(),
  familyName: z.string(),
  givenNameLatin: z.string(),
  familyNameLatin: z.string(),
  honorific: z.string(),
  jobTitle: z.string(),
  preferredLocale: z.string(),
  nationality: z.string().nullable(),
  entityId: z.number().nullable(),
  /** Whether the organisation (`entityId`) is verified; a claim alone grants nothing. */
  entityVerified: z.boolean(),
  function: z.string(),
  role: z.string(),
  capabilities: z.array(z.string()),
  emailVerified: z.boolean(),
});

export function presentPerson(p: Person): z.infer<typeof PersonOut> {
  return {
    id: p.id,
    email: p.email,
    givenName: p.givenName,
    familyName: p.familyName,
    givenNameLatin: p.givenNameLatin,
    familyNameLatin: p.familyNameLatin,
    honorific: p.honorific,
    jobTitle: p.jobTitle,
    preferredLocale: p.preferredLocale,
    nationality: p.nationality,
    entityId: p.entityId,
    entityVerified: p.entityId != null && p.entityVerifiedAt != null,
    function: p.function,
    role: p.role,
    capabilities: p.capabilities,
    emailVerified: !!p.emailVerifiedAt,
  };
}

const TokenOut = z.object({
  id: z.number(),
  name: z.string(),
  prefix: z.string(),
  expiresAt: z.string(),
  revoked: z.boolean(),
});
const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem };

export async function accountsApi(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const w = (ctx: unknown) => ctx as Parameters<typeof svc.updateProfile>[0] & { db: Db };
  const self = { permission: 'account.self' as const };
  const admin = { permission: 'accounts.manage' as const };

  r.get(
    '/api/v1/me',
    { config: self, schema: { tags: ['accounts'], summary: 'Who I am', response: { 200: PersonOut, ...errors } } },
    async (req) => presentPerson(await svc.getMe(req.ctx)),
  );
  r.get(
    '/api/v1/me/export',
    { config: self, schema: { tags: ['accounts'], summary: 'Everything the platform holds about me' } },
    async (req, reply) => reply.header('cache-control', 'no-store').send(await svc.exportPersonData(req.ctx)),
  );
  r.get(
    '/api/v1/me/tokens',
    {
      config: self,
      schema: {
        tags: ['accounts'],
        summary: 'My API tokens',
        response: { 200: z.object({ tokens: z.array(TokenOut) }) },
      },
    },
    async (req) => ({
      tokens: (await svc.listMyTokens(req.ctx)).map((t) => ({
        id: t.id,
        name: t.name,
        prefix: t.prefix,
        expiresAt: t.expiresAt.toISOString(),
        revoked: !!t.revokedAt,
      })),
    }),
  );
  r.post(
    '/api/v1/me/tokens',
    {
      config: self,
      schema: {
        tags: ['accounts'],
        summary: 'Create an API token (shown once)',
        body: TokenCreateInput,
        response: {
          201: z.object({ id: z.number(), token: z.string(), name: z.string(), expiresAt: z.string() }),
          ...errors,
        },
      },
    },
    async (req, reply) => {
      const t = await svc.createApiToken(w(req.ctx), req.body);
      return reply.code(201).send({ id: t.id, token: t.token, name: t.name, expiresAt: t.expiresAt.toISOString() });
    },
  );
  r.delete(
    '/api/v1/me/tokens/:id',
    {
      config: self,
      schema: {
        tags: ['accounts'],
        summary: 'Revoke an API token',
        params: z.object({ id: z.coerce.number().int() }),
        response: { 204: z.null(), ...errors },
      },
    },
    async (req, reply) => {
      await svc.revokeApiToken(w(req.ctx), req.params.id);
      return reply.code(204).send(null);
    },
  );

  r.get(
    '/api/v1/people',
    {
      config: admin,
      schema: {
        tags: ['accounts'],
        summary: 'People (administrators)',
        querystring: z.object({ q: z.string().max(100).optional() }),
        response: { 200: z.object({ people: z.array(PersonOut) }), ...errors },
      },
    },
    async (req) => ({
      people: (await svc.listPeople(req.ctx, req.query.q)).map(presentPerson),
    }),
  );
  r.put(
    '/api/v1/people/:id/role',
    {
      config: admin,
      schema: {
        tags: ['accounts'],
        summary: 'Set role and capabilities',
        params: z.object({ id: z.string().uuid() }),
        body: RoleInput,
        response: { 200: PersonOut, ...errors, 409: Problem },
      },
    },
    async (req) => presentPerson(await svc.setRole(w(req.ctx), req.params.id, req.body)),
  );
  r.get(
    '/api/v1/people/:id/export',
    {
      config: admin,
      schema: { tags: ['accounts'], summary: "A person's data", params: z.object({ id: z.string().uuid() }) },
    },
    async (req, reply) =>
      reply.header('cache-control', 'no-store').send(await svc.exportPersonData(req.ctx, req.params.id)),
  );
  r.post(
    '/api/v1/people/:id/erase',
    {
      config: admin,
      schema: {
        tags: ['accounts'],
        summary: 'Erase a person (keeps anonymous counts)',
        params: z.object({ id: z.string().uuid() }),
        response: { 204: z.null(), ...errors, 409: Problem },
      },
    },
    async (req, reply) => {
      await svc.erasePerson(w(req.ctx), req.params.id);
      return reply.code(204).send(null);
    },
  );

  // Affiliations: claims awaiting confirmation by the entity's focal point or the secretariat.
  const confirm = { permission: 'affiliation.confirm' as const };
  const Pending = z.object({
    personId: z.string(),
    email: z.string().nullable(),
    givenName: z.string(),
    familyName: z.string(),
    givenNameLatin: z.string(),
    familyNameLatin: z.string(),
    jobTitle: z.string(),
    entityId: z.number(),
    since: z.string(),
  });
  const Decision = z.enum(['confirm', 'refuse']);
  r.get(
    '/api/v1/affiliations/pending',
    {
      config: confirm,
      schema: {
        tags: ['accounts'],
        summary: 'Claimed affiliations awaiting confirmation (the secretariat: all; a focal point: their entities)',
        querystring: z.object({ entityId: z.coerce.number().int().positive().optional() }),
        response: { 200: z.object({ pending: z.array(Pending) }), ...errors },
      },
    },
    async (req) => ({
      pending: (await aff.listPendingAffiliations(req.ctx, { entityId: req.query.entityId })).map((p) => ({
        personId: p.personId,
        email: p.email,
        givenName: p.givenName,
        familyName: p.familyName,
        givenNameLatin: p.givenNameLatin,
        familyNameLatin: p.familyNameLatin,
        jobTitle: p.jobTitle,
        entityId: p.entityId,
        since: p.since.toISOString(),
      })),
    }),
  );
  r.post(
    '/api/v1/people/:id/affiliation',
    {
      config: confirm,
      schema: {
        tags: ['accounts'],
        summary: "Confirm (verify) or refuse a person's claimed affiliation; audited",
        params: z.object({ id: z.string().uuid() }),
        body: z.object({ decision: Decision, entityId: z.number().int().positive().optional() }),
        response: {
          200: z.object({ personId: z.string(), entityId: z.number(), state: z.enum(['verified', 'refused']) }),
          ...errors,
          409: Problem,
        },
      },
    },
    async (req) => aff.decideAffiliation(w(req.ctx), req.params.id, req.body.decision, req.body.entityId),
  );
  r.post(
    '/api/v1/affiliations/decisions',
    {
      config: confirm,
      schema: {
        tags: ['accounts'],
        summary: 'Confirm or refuse several claimed affiliations; the outcome of each is reported',
        body: z.object({ personIds: z.array(z.string().uuid()).min(1).max(500), decision: Decision }),
        response: {
          200: z.object({
            results: z.array(
              z.object({
                personId: z.string(),
                ok: z.boolean(),
                state: z.enum(['verified', 'refused']).optional(),
                code: z.string().optional(),
              }),
            ),
          }),
          ...errors,
        },
      },
    },
    async (req) => ({ results: await aff.decideAffiliations(w(req.ctx), req.body.personIds, req.body.decision) }),
  );
}
