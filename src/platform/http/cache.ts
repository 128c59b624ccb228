/**
 * Public pages and API answers: rendered once per (URL, locale, content version, Geneva day), kept in a bounded
 * in-process cache, sent with an ETag and Cache-Control, and answered 304 when the client's copy is current.
 */
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { getContentVersion } from '../content-version.js';
import { genevaDate } from '../i18n/format.js';

type Entry = { body: string; etag: string; type: string };

const MAX_ENTRIES = 2000;
const store = new Map<string, Entry>();

function remember(key: string, entry: Entry) {
  if (store.size >= MAX_ENTRIES) store.delete(store.keys().next().value!);
  store.set(key, entry);
}

export const PUBLIC_CACHE_CONTROL = 'public, max-age=60, stale-while-revalidate=300';

export function etagOf(body: string): string {
  return `"${createHash('sha1').update(body).digest('base64url')}"`;
}

export function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === '*') return true;
  return ifNoneMatch.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
}

/** Sends `render()`'s result as a cacheable public answer. */
export async function sendCached(
  req: FastifyRequest,
  reply: FastifyReply,
  type: 'text/html; charset=utf-8' | 'application/json; charset=utf-8' | 'text/calendar; charset=utf-8',
  render: () => Promise<string>,
): Promise<void> {
  const version = await getContentVersion(req.ctx.db);
  const key = `${version}|${genevaDate(req.ctx.now)}|${req.ctx.locale}|${type}|${req.url}`;
  let entry = store.get(key);
  if (entry) {
    store.delete(key);
    store.set(key, entry); // most recently used last
  } else {
    const body = await render();
    entry = { body, etag: etagOf(body), type };
    remember(key, entry);
  }
  reply.header('etag', entry.etag).header('cache-control', PUBLIC_CACHE_CONTROL).header('content-type', entry.type);
  if (matches(req.headers['if-none-match'], entry.etag)) await reply.code(304).send();
  else await reply.send(entry.body);
}

/** For tests and operators: forget every cached answer. */
export function clearRenderCache(): void {
  store.clear();
}
