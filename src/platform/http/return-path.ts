/**
 * Where a visitor was going before they had to sign in or sign up: kept in a short-lived cookie across the e-mail
 * step, and only ever a path of this site under a language prefix (never another origin, `//host`, or `\`).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { LOCALES } from '../i18n/locales.js';

export const RETURN_COOKIE = 'cvn_next';
const SAFE = new RegExp(`^/(${LOCALES.join('|')})(/[A-Za-z0-9._~!$&'()*+,;=:@%/?-]*)?$`);

/** A same-origin relative path under a language prefix, or undefined. */
export function safeReturnPath(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 500) return undefined;
  if (!SAFE.test(value) || value.includes('//') || value.includes('\\')) return undefined;
  return value;
}

/** Remembers where to return to (for a day), if the path is safe. */
export function rememberReturnPath(reply: FastifyReply, value: unknown, secure: boolean) {
  const path = safeReturnPath(value);
  if (path)
    reply.setCookie(RETURN_COOKIE, path, { path: '/', httpOnly: true, sameSite: 'lax', secure, maxAge: 86_400 });
  return path;
}

/** The remembered path (checked again), forgotten once read. */
export function takeReturnPath(req: FastifyRequest, reply: FastifyReply): string | undefined {
  const path = safeReturnPath(req.cookies[RETURN_COOKIE]);
  if (req.cookies[RETURN_COOKIE] !== undefined) reply.clearCookie(RETURN_COOKIE, { path: '/' });
  return path;
}
