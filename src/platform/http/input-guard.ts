/**
 * Every input answered cleanly, once, for every route (not route by route):
 * - text PostgreSQL cannot store — a NUL character, an unpaired UTF-16 surrogate (in the path, the query or any string
 *   or key of a body), or a JSON body that is not valid UTF-8 — is refused with 400 `text_unstorable` before any
 *   handler or query sees it (a NUL reaching the database failed with 500 and filled the error log);
 * - a multipart body sent to the JSON API is refused with 415 `unsupported_media_type` (no API operation takes one;
 *   pages that upload a file declare it).
 */
import { isUtf8 } from 'node:buffer';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DomainError } from '../errors.js';

/** NUL, or a surrogate without its pair. */
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export function isStorableText(s: string): boolean {
  return !UNSTORABLE.test(s);
}

/** Whether any string (or key) in a parsed value cannot be stored. Multipart file parts are not walked. */
export function hasUnstorableText(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return UNSTORABLE.test(value);
  if (value == null || typeof value !== 'object' || depth > 32) return false;
  if (Buffer.isBuffer(value)) return false;
  if (Array.isArray(value)) return value.some((v) => hasUnstorableText(v, depth + 1));
  const o = value as Record<string, unknown>;
  if (o.type === 'file' && 'file' in o) return typeof o.filename === 'string' && UNSTORABLE.test(o.filename);
  for (const [k, v] of Object.entries(o)) {
    if (UNSTORABLE.test(k)) return true;
    if (o.type === 'field' && k !== 'value') continue;
    if (hasUnstorableText(v, depth + 1)) return true;
  }
  return false;
}

const isApi = (req: FastifyRequest) => req.url.startsWith('/api/');

export function registerInputGuard(app: FastifyInstance) {
  // JSON bodies are read as bytes, so that invalid UTF-8 is refused instead of silently becoming U+FFFD.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body, done) => {
    const buf = body as Buffer;
    if (!isUtf8(buf)) return done(new DomainError('text_unstorable', 400), undefined);
    return parseJson(req, buf.toString('utf8'), done);
  });

  app.addHook('onRequest', async (req) => {
    if (isApi(req) && /^\s*multipart\//i.test(String(req.headers['content-type'] ?? '')))
      throw new DomainError('unsupported_media_type', 415);
    // The address as sent: a %00 anywhere (also in a part no route reads) is refused.
    if (req.url.includes('%00') || UNSTORABLE.test(req.url)) throw new DomainError('text_unstorable', 400);
  });
  app.addHook('preValidation', async (req) => {
    if (hasUnstorableText(req.params) || hasUnstorableText(req.query) || hasUnstorableText(req.body))
      throw new DomainError('text_unstorable', 400);
  });
}
