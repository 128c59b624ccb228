/**
 * Public pages and API answers: rendered once per (URL, locale, content version, Geneva day) — readers that miss
 * together wait for the same render — kept in a bounded
 * in-process cache with their gzip and brotli forms (slow links far from Geneva get the smallest), sent with an ETag
 * and Cache-Control, and answered 304 when the client's copy is current.
 */
import { createHash } from 'node:crypto';
import zlib from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { cachedContentVersion } from '../content-version.js';
import { genevaDate } from '../i18n/format.js';

type Entry = { body: Buffer; gzip: Buffer; br: Buffer; etag: string; type: string; bytes: number };

/**
 * A bounded in-process store, least recently used out first. Answers to free-text searches (`?q=`) are kept in a store
 * of their own: a stream of new searches (each a new key) must not push the programme pages out.
 */
class Store {
  private entries = new Map<string, Entry>();
  private bytes = 0;
  constructor(private readonly maxBytes: number) {}
  get(key: string): Entry | undefined {
    const e = this.entries.get(key);
    if (e) {
      this.entries.delete(key);
      this.entries.set(key, e); // most recently used last
    }
    return e;
  }
  set(key: string, entry: Entry) {
    while (this.bytes + entry.bytes > this.maxBytes && this.entries.size) {
      const [oldKey, old] = this.entries.entries().next().value!;
      this.entries.delete(oldKey);
      this.bytes -= old.bytes;
    }
    this.entries.set(key, entry);
    this.bytes += entry.bytes;
  }
  clear() {
    this.entries.clear();
    this.bytes = 0;
  }
}

/** Bytes of cached answers kept in memory, all encodings counted: pages, and searches apart. */
const pages = new Store(48 * 2 ** 20);
const searches = new Store(8 * 2 ** 20);
const storeFor = (url: string) => (/[?&]q=/.test(url) ? searches : pages);
/** Renders under way, by key. */
const rendering = new Map<string, Promise<Entry>>();

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
  const ok = (name: string) =>
    new RegExp(`(^|,)\\s*${name}\\s*(;\\s*q=(?!0(\\.0*)?\\s*(,|$))[\\d.]+)?\\s*(,|$)`).test(accept);
  return ok('br') ? 'br' : ok('gzip') ? 'gzip' : undefined;
}

export type CacheableType =
  | 'text/html; charset=utf-8'
  | 'application/json; charset=utf-8'
  | 'text/calendar; charset=utf-8';

/**
 * Sends `render()`'s result as a cacheable public answer. `variant` names a version of the page that is the same for
 * everyone in a group (e.g. the header for signed-in people with the same links, never one person's): it is cached
 * here under its own key, and sent as private so that a shared cache keeps only the signed-out page.
 */
export async function sendCached(
  req: FastifyRequest,
  reply: FastifyReply,
  type: CacheableType,
  render: () => Promise<string>,
  variant = '',
): Promise<void> {
  const version = await cachedContentVersion(req.ctx.db);
  const key = `${version}|${genevaDate(req.ctx.now)}|${req.ctx.locale}|${type}|${variant}|${req.url}`;
  const store = storeFor(req.url);
  let entry = store.get(key);
  if (!entry) {
    // Requests that miss together wait for one render: after a change, fifty readers of the programme cost one
    // render and one compression, not fifty.
    let pending = rendering.get(key);
    if (!pending) {
      pending = render().then((body) => {
        const made = encode(body, type);
        store.set(key, made);
        return made;
      });
      rendering.set(key, pending);
      void pending.then(
        () => rendering.delete(key),
        () => rendering.delete(key),
      );
    }
    entry = await pending;
  }
  reply
    .header('etag', entry.etag)
    .header('cache-control', variant ? 'private, no-cache' : PUBLIC_CACHE_CONTROL)
    .header('vary', 'Accept-Encoding')
    .header('content-type', entry.type);
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
  pages.clear();
  searches.clear();
}
