/**
 * Light pages (issue 20 §3), on the demo programme of 500 sessions: every public HTML page reached from the home page
 * in the six languages is at most 150 KB as sent uncompressed and 25 KB with brotli (as the app sends it to a browser
 * that accepts br; pages the app does not compress are measured at the app's own brotli setting). The programme opens
 * on one day (today in Geneva during the week, else the first), links the other days and a whole-week view; the event
 * page links its days instead of listing every session; the sessions API pages its answer with a cursor.
 */
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { seedDemo } from '../src/demo/generate.js';
import { LOCALES } from '../src/platform/i18n/locales.js';
import { clearRenderCache } from '../src/platform/http/cache.js';
import { buildTestApp, type TestApp } from './helpers/app.js';
import { TEST_NOW } from './helpers/db.js';

const MAX_RAW = 150 * 1024;
const MAX_BR = 25 * 1024;
/** Pages of one shape (a session, a letter…) are alike: a few of each are enough. */
const PER_SHAPE = 3;

const shapeOf = (path: string) =>
  path
    .replace(/\?.*$/, (q) => (/[?&]day=/.test(q) ? q : ''))
    .replace(/\/(sessions|letters|speakers|events|partners)\/[^/?]+/, '/$1/*');

describe('page weight on the demo programme (500 sessions)', () => {
  let t: TestApp;
  const weights: { path: string; raw: number; br: number }[] = [];

  before(async () => {
    t = await buildTestApp();
    await seedDemo(t.database.db, { participants: 60, seed: 2026, benchAccounts: 0, now: TEST_NOW });
    clearRenderCache();
  });
  after(async () => t?.close());

  async function get(url: string) {
    const res = await t.app.inject({ url, headers: { 'accept-encoding': 'br' } });
    const raw = res.headers['content-encoding'] === 'br' ? zlib.brotliDecompressSync(res.rawPayload) : res.rawPayload;
    const br =
      res.headers['content-encoding'] === 'br'
        ? res.rawPayload.length
        : zlib.brotliCompressSync(raw, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5 } }).length;
    return { status: res.statusCode, type: String(res.headers['content-type'] ?? ''), raw, br };
  }

  it('every public page reached from the home page, in each language, is within 150 KB and 25 KB with brotli', async () => {
    const seen = new Set<string>();
    const perShape = new Map<string, number>();
    const queue = LOCALES.map((lc) => `/${lc}/`);
    while (queue.length) {
      const path = queue.shift()!;
      if (seen.has(path)) continue;
      seen.add(path);
      const r = await get(path);
      if (r.status !== 200 || !r.type.startsWith('text/html')) continue;
      weights.push({ path, raw: r.raw.length, br: r.br });
      for (const m of r.raw.toString('utf8').matchAll(/href="(\/(?:ar|zh|en|fr|ru|es)\/[^"#]*)"/g)) {
        const href = m[1].replaceAll('&amp;', '&');
        if (/\.(ics|pdf|csv|xlsx|png|svg)(\?|$)/.test(href) || seen.has(href)) continue;
        const shape = shapeOf(href);
        const n = perShape.get(shape) ?? 0;
        if (n >= PER_SHAPE && !/\/programme/.test(href)) continue;
        perShape.set(shape, n + 1);
        queue.push(href);
      }
    }
    const programme = weights.filter((w) => w.path.includes('/programme'));
    assert.ok(weights.length > 60, `pages crawled: ${weights.length}`);
    assert.ok(programme.length >= 6 * 6, `programme pages crawled: ${programme.length}`);
    const heavy = weights.filter((w) => w.raw > MAX_RAW || w.br > MAX_BR);
    assert.deepEqual(
      heavy.map((w) => `${w.path}: ${Math.round(w.raw / 1024)} KB, ${Math.round(w.br / 1024)} KB br`),
      [],
    );
    const top = [...weights].sort((a, b) => b.raw - a.raw)[0];
    console.log(`# ${weights.length} pages; heaviest ${top.path}: ${top.raw} bytes, ${top.br} with brotli`);
  });

  it('opens the programme on the first day before the week, on today during it, and links the whole week', async () => {
    const before = (await get('/en/programme')).raw.toString('utf8');
    assert.match(before, /<a href="\/en\/programme\?day=2026-07-06" aria-current="page">/);
    assert.match(before, /<a href="\/en\/programme\?day=all">Whole week<\/a>/);
    // Only sessions of 6 July in full; a session of another day is not on the page.
    const days = [...before.matchAll(/<h2 id="day-(\d{4}-\d{2}-\d{2})"/g)].map((m) => m[1]);
    assert.deepEqual(days, ['2026-07-06']);

    t.clock.set(new Date('2026-07-08T10:00:00+02:00'));
    clearRenderCache();
    const during = (await get('/ar/programme')).raw.toString('utf8');
    assert.deepEqual(
      [...during.matchAll(/<h2 id="day-(\d{4}-\d{2}-\d{2})"/g)].map((m) => m[1]),
      ['2026-07-08'],
    );
    const week = (await get('/ar/programme?day=all')).raw.toString('utf8');
    assert.deepEqual(
      [...week.matchAll(/<h2 id="day-(\d{4}-\d{2}-\d{2})"/g)].map((m) => m[1]),
      ['2026-07-06', '2026-07-07', '2026-07-08', '2026-07-09', '2026-07-10'],
    );
    // The whole week lists every session, briefly, each a link to its page.
    const all = (await t.app.inject({ url: '/api/v1/events/wsis-forum-2026/sessions?all=true' })).json();
    const linked = new Set([...week.matchAll(/href="\/ar\/sessions\/([^"]+)"/g)].map((m) => m[1]));
    for (const s of all.sessions) assert.ok(linked.has(s.code), `${s.code} on the whole week`);
    // A search looks through the whole week, and keeps the filters when moving to a day.
    const search = (await get('/en/programme?q=dialogue&event=wsis-forum-2026')).raw.toString('utf8');
    assert.match(search, /href="\/en\/programme\?event=wsis-forum-2026&amp;q=dialogue&amp;day=2026-07-07"/);
    t.clock.set(TEST_NOW);
    clearRenderCache();
  });

  it("the event page counts each day's sessions and links to that day of its programme", async () => {
    const html = (await get('/fr/events/wsis-forum-2026')).raw.toString('utf8');
    assert.doesNotMatch(html, /href="\/fr\/sessions\//);
    const all = (await t.app.inject({ url: '/api/v1/events/wsis-forum-2026/sessions?all=true&day=2026-07-09' })).json();
    assert.ok(all.count > 0);
    assert.match(html, /href="\/fr\/programme\?event=wsis-forum-2026&amp;day=2026-07-09"/);
    assert.ok(html.includes(`${all.count} séances`), 'the count of 9 July on the event page');
  });

  it('the sessions API pages its answer with a cursor: every session once, in programme order', async () => {
    const whole = (await t.app.inject({ url: '/api/v1/events/wsis-forum-2026/sessions?all=true' })).json();
    assert.ok(whole.count > 300);
    assert.equal(whole.sessions.length, whole.count);
    assert.equal(whole.nextCursor, null);
    const codes: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const url: string = `/api/v1/events/wsis-forum-2026/sessions?limit=70${cursor ? `&cursor=${cursor}` : ''}`;
      const page: { count: number; sessions: { code: string }[]; nextCursor: string | null } = (
        await t.app.inject({ url })
      ).json();
      assert.equal(page.count, whole.count);
      assert.ok(page.sessions.length <= 70);
      codes.push(...page.sessions.map((s: { code: string }) => s.code));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    assert.equal(pages, Math.ceil(whole.count / 70));
    assert.deepEqual(
      codes,
      whole.sessions.map((s: { code: string }) => s.code),
    );
    const first = (await t.app.inject({ url: '/api/v1/events/wsis-forum-2026/sessions' })).json();
    assert.equal(first.sessions.length, 100);
    const bad = await t.app.inject({ url: '/api/v1/events/wsis-forum-2026/sessions?limit=0' });
    assert.equal(bad.statusCode, 400);
  });
});
