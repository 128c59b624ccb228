/**
 * Public pages and API answers: rendered once per (URL, locale, content version, Geneva day), kept in a bounded
 * in-process cache with their gzip and brotli forms (slow links far from Geneva get the smallest), sent with an ETag
 * and Cache-Control, and answered 304 when the client's copy is current.
 */
import { createHash } from 'node:crypto';
import zlib from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { cachedContentVersion } from '../content-version.js';
import { genevaDate } from '../i18n/format.js';

type Entry = { body: Buffer; gzip: Buffer; br: Buffer; etag: string; type: string; bytes: number };

/** Bytes of cached answers kept in memory, all encodings counted. */
const MAX_BYTES = 48 * 2 ** 20;
const store = new Map<string, Entry>();
let storedBytes = 0;

function remember(key: string, entry: Entry) {
  while (storedBytes + entry.bytes > MAX_BYTES && store.size) {
    const [oldKey, old] = store.entries().next().value!;
    store.delete(oldKey);
    storedBytes -= old.bytes;
  }
  store.set(key, entry);
  storedBytes += entry.bytes;
}

export const PUBLIC_CACHE_CONTROL = 'public, max-age=60, stale-while-revalidate=300';

export function etagOf(body: string | Buffer): string {
  return `"${createHash('sha1').update(body).digest('base64url')}"`;
}

export function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === '*') return true;
  return ifNoneMatch.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
}

function encode(body: string, type: string): Entry {
  const raw = Buffer.from(body);
  const gzip = zlib.gzipSync(raw, { level: 6 });
  const br = zlib.brotliCompressSync(raw, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5 } });
  return { body: raw, gzip, br, etag: etagOf(raw), type, bytes: raw.length + gzip.length + br.length };
}

function pickEncoding(accept: string | undefined): 'br' | 'gzip' | undefined {
  if (!accept) return undefined;
  const ok = (name: string) => new RegExp(`(^|,)\\s*${name}\\s*(;\\s*q=(?!0(\\.0*)?\\s*(,|$))[\\d.]+)?\\s*(,|$)`).test(accept);
  return ok('br') ? 'br' : ok('gzip') ? 'gzip' : undefined;
}

export type CacheableType = 'text/html; charset=utf-8' | 'application/json; charset=utf-8' | 'text/calendar; charset=utf-8';

/** Sends `render()`'s result as a cacheable public answer. */
export async function sendCached(req: FastifyRequest, reply: FastifyReply, type: CacheableType, render: () => Promise<string>): Promise<void> {
  const version = await cachedContentVersion(req.ctx.db);
  const key = `${version}|${genevaDate(req.ctx.now)}|${req.ctx.locale}|${type}|${req.url}`;
  let entry = store.get(key);
  if (entry) {
    store.delete(key);
    store.set(key, entry); // most recently used last
  } else {
    entry = encode(await render(), type);
    remember(key, entry);
  }
  reply.header('etag', entry.etag).header('cache-control', PUBLIC_CACHE_CONTROL).header('vary', 'Accept-Encoding').header('content-type', entry.type);
  if (matches(req.headers['if-none-match'], entry.etag)) {
    await reply.code(304).send();
    return;
  }
  const enc = pickEncoding(req.headers['accept-encoding']);
  if (enc) reply.header('content-encoding', enc);
  await reply.send(enc ? entry[enc] : entry.body);
}

/** For tests and operators: forget every cached answer. */
export function clearRenderCache(): void {
  store.clear();
  storedBytes = 0;
}
