/**
 * Who is asking: a session cookie (pages) or `Authorization: Bearer` (scripts). Also the cookie and CSRF plugins:
 * every state-changing request authenticated by cookie, or sent from a form, carries a CSRF token; requests with a
 * bearer token carry no cookie and need none.
 */
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Db } from '../../db/client.js';
import { DomainError } from '../../platform/errors.js';
import { resolveActor, SESSION_TTL_MS, type NewSession } from './accounts.service.js';

export const SESSION_COOKIE = 'cvn_session';

declare module 'fastify' {
  interface FastifyRequest {
    /** The CSRF token for forms on this page. */
    csrfToken(): string;
  }
}

export const accountsHttp = fp<{ db: Db; secret: string; secure: boolean }>(async (app, opts) => {
  await app.register(cookie, { secret: opts.secret });
  await app.register(csrf, {
    sessionPlugin: '@fastify/cookie',
    cookieKey: 'cvn_csrf',
    cookieOpts: { path: '/', httpOnly: true, sameSite: 'lax', secure: opts.secure, signed: true },
    // Forms post `_csrf` as a field; multipart forms (photo upload) as a field object `{ value }`.
    getToken: (req) => {
      const t = (req.body as { _csrf?: string | { value?: unknown } } | undefined)?._csrf;
      if (typeof t === 'string') return t;
      if (t && typeof t.value === 'string') return t.value;
      return req.headers['x-csrf-token'] as string | undefined;
    },
  });

  app.decorateRequest('csrfToken', function (this: FastifyRequest) {
    // generateCsrf lives on the reply; pages call req.csrfToken() through the reply captured below
    throw new Error('csrfToken() called outside a page');
  });
  app.addHook('onRequest', async (req, reply) => {
    let token: string | undefined;
    req.csrfToken = () => (token ??= reply.generateCsrf());
    const auth = req.headers.authorization;
    const bearer = auth?.startsWith('Bearer ') ? auth.slice(7).trim() : undefined;
    const session = bearer ? undefined : req.cookies[SESSION_COOKIE];
    if (!bearer && !session) return;
    const actor = await resolveActor(opts.db, req.ctx.now, { session, bearer });
    if (actor) req.ctx.actor = actor;
    else if (bearer) throw new DomainError('unauthenticated', 401);
    else reply.clearCookie(SESSION_COOKIE, { path: '/' });
  });

  const unsafe = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
  app.addHook('preHandler', (req, reply, done) => {
    const viaToken = req.ctx.actor.kind === 'person' && req.ctx.actor.via === 'token';
    if (!unsafe.has(req.method) || viaToken) return done();
    app.csrfProtection(req, reply, done);
  });
});

export function setSessionCookie(reply: FastifyReply, session: NewSession, secure: boolean) {
  reply.setCookie(SESSION_COOKIE, session.token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure,
    maxAge: SESSION_TTL_MS / 1000,
  });
}

export function clearSessionCookie(reply: FastifyReply) {
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
}

export type { FastifyInstance };
