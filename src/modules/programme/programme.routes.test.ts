import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.js';
import { genevaInstant } from '../../platform/i18n/format.js';
import { rescheduleSession } from './programme.service.js';

describe('public site and API', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp();
  });
  after(() => t.close());
  const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });

  it('/ sends each visitor to their language', async () => {
    for (const [header, lc] of [
      ['ar-SA,ar;q=0.9', 'ar'],
      ['zh-CN', 'zh'],
      ['fr-CH, de;q=0.5', 'fr'],
      ['de-DE', 'en'],
    ]) {
      const res = await get('/', { 'accept-language': header });
      assert.equal(res.statusCode, 302);
      assert.equal(res.headers.location, `/${lc}/`);
      assert.match(String(res.headers.vary), /Accept-Language/);
    }
  });

  it('every page carries its language and direction, and a switcher that keeps the page', async () => {
    for (const lc of ['ar', 'zh', 'en', 'fr', 'ru', 'es']) {
      const res = await get(`/${lc}/programme?day=2026-07-08`);
      assert.equal(res.statusCode, 200);
      assert.match(res.body, new RegExp(`<html lang="${lc}" dir="${lc === 'ar' ? 'rtl' : 'ltr'}"`));
      for (const other of ['ar', 'zh', 'en', 'fr', 'ru', 'es']) {
        assert.ok(res.body.includes(`href="/${other}/programme?day=2026-07-08"`), `${lc} → ${other}`);
      }
    }
  });

  it('the week page shows every event on one timeline, with the letter', async () => {
    const res = await get('/en/');
    assert.equal(res.statusCode, 200);
    for (const slug of [
      'wsis-forum-2026',
      'ai-for-good-2026',
      'global-dialogue-ai-governance-2026',
      'wsis-high-level-track-2026',
      'regulators-roundtable-2026',
      'opening-ceremony-2026',
    ]) {
      assert.ok(res.body.includes(`/en/events/${slug}"`), slug);
    }
    assert.match(res.body, /CL-26\/17/);
    assert.match(res.body, /Doreen Bogdan-Martin/);
    const ar = await get('/ar/');
    assert.match(ar.body, /يوليو/); // month names from Intl in Arabic
  });

  it('the programme filters work as a plain GET form', async () => {
    const res = await get('/en/programme?day=2026-07-09&event=wsis-forum-2026&track=&line=&room=&q=');
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /<form[^>]+method="get"/);
    assert.match(res.body, /<option value="2026-07-09" selected/);
    assert.doesNotMatch(res.body, /id="day-2026-07-08"/);
    assert.match(res.body, /id="day-2026-07-09"/);
    assert.match(res.body, /Geneva time, CEST, UTC\+2/);
    const rr = await get('/en/programme?event=regulators-roundtable-2026');
    assert.match(rr.body, /Regulators/);
  });

  it('a malformed filter is a 400 that says why, in the page’s language', async () => {
    const res = await get('/fr/programme?day=8-juillet');
    assert.equal(res.statusCode, 400);
    assert.match(res.headers['content-type'] as string, /text\/html/);
    assert.match(res.body, /<html lang="fr"/);
    assert.match(res.body, /sous forme de date, par exemple 2026-07-07/);
    const api = await get('/api/v1/events/wsis-forum-2026/sessions?line=C12', { 'accept-language': 'es' });
    assert.equal(api.statusCode, 400);
    assert.match(api.headers['content-type'] as string, /application\/problem\+json/);
    const body = api.json();
    assert.equal(body.code, 'invalid_query');
    assert.equal(body.errors[0].field, 'line');
    assert.doesNotMatch(body.title, /Some of the filters/, 'title translated');
  });

  it('unknown pages are a translated 404, never a 500', async () => {
    for (const url of ['/xx/programme', '/ar/nowhere', '/ar/sessions/NOPE', '/ru/events/nope']) {
      const res = await get(url);
      assert.equal(res.statusCode, 404, url);
      assert.match(res.headers['content-type'] as string, /text\/html/, url);
    }
    assert.match((await get('/ar/nowhere')).body, /dir="rtl"/);
    const broken = await get('/en/sessions/%E0%A4%A');
    assert.equal(broken.statusCode, 400, 'a broken percent-encoding is a bad request');
    assert.match(broken.body, /<html lang="en"/);
    const api = await get('/api/v1/events/nope');
    assert.equal(api.statusCode, 404);
    assert.equal(api.json().code, 'event_not_found');
    assert.equal((await get('/api/v1/nothing')).json().code, 'not_found');
  });

  it('a session page has its time, room, speakers, Action Lines and event', async () => {
    const list = (await get('/api/v1/events/wsis-forum-2026/sessions?line=C2')).json();
    const s = list.sessions.find((x: { speakers: unknown[]; room: unknown }) => x.speakers.length && x.room);
    const res = await get(`/en/sessions/${s.code}`);
    assert.equal(res.statusCode, 200);
    assert.ok(res.body.includes(s.room.name));
    assert.ok(res.body.includes('C2'));
    assert.ok(res.body.includes(s.speakers[0].name));
    assert.ok(res.body.includes('/en/events/'));
    assert.match(res.body, /Geneva time/);
  });

  it('the sessions API gives ISO 8601 times with the Geneva offset and honours the filters', async () => {
    const res = await get('/api/v1/events/ai-for-good-2026/sessions?day=2026-07-08&lang=fr');
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.ok(body.count > 0);
    for (const s of body.sessions) {
      assert.match(s.startsAt, /^2026-07-08T\d\d:\d\d:00\+02:00$/);
      assert.equal(s.timeZone, 'Europe/Zurich');
      assert.ok(Array.isArray(s.actionLines) && Array.isArray(s.speakers));
    }
    const events = (await get('/api/v1/events?lang=ar')).json().events;
    const wsis = events.find((e: { slug: string }) => e.slug === 'wsis-forum-2026');
    assert.equal(wsis.startDate, '2026-07-06');
    assert.equal(wsis.endDate, '2026-07-10');
    assert.equal(wsis.timeZone, 'Europe/Zurich');
    assert.match(wsis.name, /[\u0600-\u06FF]/, 'Arabic name');
    assert.equal(wsis.venue.country, 'CH');
  });

  it('answers 304 to a current ETag, and a new ETag once the programme changes', async () => {
    const url = '/en/programme?day=2026-07-10';
    const first = await get(url);
    const etag = first.headers.etag as string;
    assert.ok(etag);
    assert.match(first.headers['cache-control'] as string, /public, max-age=\d+/);
    assert.equal((await get(url, { 'if-none-match': etag })).statusCode, 304);
    const api = await get('/api/v1/events');
    assert.equal((await get('/api/v1/events', { 'if-none-match': api.headers.etag as string })).statusCode, 304);

    const s = (await get('/api/v1/events/wsis-forum-2026/sessions?day=2026-07-10')).json().sessions[0];
    await rescheduleSession(
      { ...t.ctx(), db: t.database.db },
      {
        code: s.code,
        startsAt: genevaInstant('2026-07-10', '19:00'),
        endsAt: genevaInstant('2026-07-10', '19:45'),
        room: null,
      },
    );
    const after = await get(url, { 'if-none-match': etag });
    assert.equal(after.statusCode, 200);
    assert.notEqual(after.headers.etag, etag);
    assert.match(after.body, /19:00/);
  });

  it('sends the smallest encoding the client accepts, from the cache', async () => {
    const plain = await get('/en/programme');
    const br = await get('/en/programme', { 'accept-encoding': 'gzip, deflate, br' });
    assert.equal(br.headers['content-encoding'], 'br');
    assert.equal(zlib.brotliDecompressSync(br.rawPayload).toString(), plain.body);
    const gz = await get('/en/programme', { 'accept-encoding': 'gzip;q=1, br;q=0' });
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.equal(zlib.gunzipSync(gz.rawPayload).toString(), plain.body);
    assert.ok(
      gz.rawPayload.length < plain.rawPayload.length / 4,
      `${gz.rawPayload.length} vs ${plain.rawPayload.length}`,
    );
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.match(String(plain.headers.vary), /Accept-Encoding/);
  });

  it('iCalendar feeds per session and per event import as RFC 5545', async () => {
    const s = (await get('/api/v1/events/wsis-high-level-track-2026/sessions')).json().sessions[0];
    const one = await get(`/fr/sessions/${s.code}/calendar.ics`);
    assert.equal(one.statusCode, 200);
    assert.match(one.headers['content-type'] as string, /^text\/calendar/);
    const body = one.body;
    assert.match(body, /^BEGIN:VCALENDAR\r\n/);
    assert.match(body, /\r\nVERSION:2\.0\r\n/);
    assert.match(body, /\r\nPRODID:/);
    assert.match(body, new RegExp(`\\r\\nUID:${s.code}@`));
    const utc = new Date(s.startsAt)
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d{3}/, '');
    assert.ok(body.includes(`DTSTART:${utc}`), `DTSTART:${utc}`);
    assert.match(body, /END:VCALENDAR\r\n$/);
    for (const line of body.split('\r\n')) assert.ok(Buffer.byteLength(line) <= 75, `line too long: ${line}`);
    const feed = await get('/en/events/wsis-forum-2026/calendar.ics');
    const n = (feed.body.match(/BEGIN:VEVENT/g) ?? []).length;
    assert.equal(n, (await get('/api/v1/events/wsis-forum-2026/sessions')).json().count);
  });

  it('publishes OpenAPI 3.1 and browsable docs; /healthz answers', async () => {
    const spec = (await get('/api/openapi.json')).json();
    assert.equal(spec.openapi, '3.1.0');
    for (const p of [
      '/api/v1/events',
      '/api/v1/events/{slug}',
      '/api/v1/events/{slug}/sessions',
      '/api/v1/sessions/{code}',
    ])
      assert.ok(spec.paths[p], p);
    assert.ok(!Object.keys(spec.paths).some((p) => p.startsWith('/{lc}')), 'pages are not in the API spec');
    const params = spec.paths['/api/v1/events/{slug}/sessions'].get.parameters.map((x: { name: string }) => x.name);
    for (const f of ['day', 'track', 'line', 'room', 'q']) assert.ok(params.includes(f), f);
    // The reference for people is the site's own page, in the reader's language.
    const docs = await get('/api/docs/');
    assert.equal(docs.statusCode, 302);
    assert.equal(docs.headers.location, '/en/api-reference');
    assert.match((await get('/en/api-reference')).body, /<h1>API reference<\/h1>/);
    const health = await get('/healthz');
    assert.equal(health.statusCode, 200);
    assert.equal(health.json().status, 'ok');
  });

  it('shows the rehearsal banner only on a rehearsal clock', async () => {
    assert.doesNotMatch((await get('/en/')).body, /class="rehearsal"/);
  });
});

describe('programme editing through the API', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp();
  });
  after(() => t.close());

  it('staff with programme.edit move a session; others may not; the public page follows at once', async () => {
    const { createPerson, client } = await import('../../../test/helpers/actors.js');
    const editor = await client(t, await createPerson(t, { role: 'staff', capabilities: ['programme.edit'] }));
    const reporter = await client(t, await createPerson(t, { role: 'staff', capabilities: ['reports.view'] }));
    const s = (await t.app.inject({ url: '/api/v1/events/ai-for-good-2026/sessions?day=2026-07-10' })).json()
      .sessions[0];
    const page = await t.app.inject({ url: `/en/sessions/${s.code}` });
    const body = { startsAt: '2026-07-10T18:45:00+02:00', endsAt: '2026-07-10T19:30:00+02:00' };
    const denied = await reporter.inject({
      method: 'PATCH',
      url: `/api/v1/sessions/${s.code}`,
      payload: body,
      headers: { 'x-csrf-token': reporter.csrf },
    });
    assert.equal(denied.statusCode, 403);
    const bad = await editor.inject({
      method: 'PATCH',
      url: `/api/v1/sessions/${s.code}`,
      payload: { ...body, endsAt: '2026-07-10T18:00:00+02:00' },
      headers: { 'x-csrf-token': editor.csrf },
    });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().errors[0].field, 'endsAt');
    const ok = await editor.inject({
      method: 'PATCH',
      url: `/api/v1/sessions/${s.code}`,
      payload: body,
      headers: { 'x-csrf-token': editor.csrf },
    });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.equal(ok.json().startsAt, '2026-07-10T18:45:00+02:00');
    const after = await t.app.inject({
      url: `/en/sessions/${s.code}`,
      headers: { 'if-none-match': page.headers.etag as string },
    });
    assert.equal(after.statusCode, 200);
    assert.match(after.body, /18:45/);
  });
});
