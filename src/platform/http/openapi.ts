/**
 * The OpenAPI document's shape beyond what each route's Zod schemas say: how a caller authenticates (a personal token
 * as HTTP bearer, or the session cookie with its CSRF header for writes), which operations need it (from each route's
 * declared permission: public ones say `security: []`), and the errors every operation can answer, as
 * `application/problem+json` with a stable `code`. Applied to every route in one place, so no route can forget it.
 */
import type { FastifySchema, RouteOptions } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';

export const securitySchemes = {
  bearer: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'cvn_…',
    description: 'A personal API token (`cvn_…`), created on the account page or with `convene create-token`.',
  },
  session: {
    type: 'apiKey',
    in: 'cookie',
    name: 'cvn_session',
    description: 'The session of a signed-in browser. Writes also need the `x-csrf-token` header (see `csrf`).',
  },
  csrf: {
    type: 'apiKey',
    in: 'header',
    name: 'x-csrf-token',
    description: 'The CSRF token of the session, required with the session cookie on POST, PUT, PATCH and DELETE.',
  },
} as const;

export const problemSchema = {
  type: 'object' as const,
  description: 'RFC 9457 problem details. `code` is stable (snake_case); `title` is in the request’s language.',
  required: ['type', 'title', 'status', 'code'],
  properties: {
    type: { type: 'string' as const },
    title: { type: 'string' as const },
    status: { type: 'integer' as const },
    code: { type: 'string' as const, examples: ['registration_not_pending', 'deadline_passed', 'forbidden'] },
    errors: {
      type: 'array' as const,
      description: 'Each invalid field of the request, with its message in the request’s language.',
      items: {
        type: 'object' as const,
        required: ['field', 'message'],
        properties: { field: { type: 'string' as const }, message: { type: 'string' as const } },
      },
    },
    params: { type: 'object' as const, description: 'Values the message names (a date, a limit).' },
  },
};

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

type TransformArgs = Parameters<typeof jsonSchemaTransform>[0];

export function openapiTransform(args: TransformArgs) {
  const out = jsonSchemaTransform(args);
  const route = args.route as RouteOptions & { config?: { permission?: string } };
  const permission = route.config?.permission;
  const methods = [route.method].flat().map(String);
  const schema = { ...(out.schema as Record<string, unknown>) } as FastifySchema & Record<string, unknown>;
  const isPublic = permission === 'public';
  const writes = methods.some((m) => WRITES.has(m));
  schema.security = isPublic
    ? []
    : writes
      ? [{ bearer: [] }, { session: [], csrf: [] }]
      : [{ bearer: [] }, { session: [] }];
  const responses = { ...((schema.response as Record<string, unknown> | undefined) ?? {}) };
  const add = (status: number, description: string) => {
    if (!(status in responses)) responses[status] = problem(description);
  };
  if (schema.body || schema.querystring || schema.params)
    add(400, 'The request is invalid (`errors` lists the fields).');
  if (!isPublic) {
    add(401, 'Not signed in, or the token is unknown or expired (`unauthenticated`).');
    add(403, 'Signed in, but not allowed (`forbidden`).');
  }
  if (schema.params) add(404, 'Nothing with that identifier (a `*_not_found` code).');
  if (writes) add(409, 'The request conflicts with the current state (for example `registration_not_pending`).');
  add(429, 'Too many requests (`rate_limited`); retry later.');
  schema.response = responses;
  return { schema, url: out.url };
}
