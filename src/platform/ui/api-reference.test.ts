/**
 * The API reference is a page of the site, generated from the OpenAPI document: every operation, by tag, with its
 * parameters, body, answers and access rule, in headings and tables, in six languages (identifiers left as they are).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.js';
import { LOCALES } from '../i18n/locales.js';
import { translate } from '../i18n/messages.js';
import { exampleOf, operationKey, typeOf } from './api-reference.js';

describe('API reference', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp();
  });
  after(() => t.close());
  const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });

  it('/api/docs leads to the reference in the reader’s language', async () => {
    const ar = await get('/api/docs', { 'accept-language': 'ar' });
    assert.equal(ar.statusCode, 302);
    assert.equal(ar.headers.location, '/ar/api-reference');
    assert.equal(
      (await get('/api/docs/', { 'accept-language': 'fr-CH, en;q=0.5' })).headers.location,
      '/fr/api-reference',
    );
  });

  it('lists every operation of the document, with tables a screen reader can walk, and no script', async () => {
    const doc = (await get('/api/openapi.json')).json() as { paths: Record<string, Record<string, unknown>> };
    const ops = Object.entries(doc.paths).flatMap(([p, o]) => Object.keys(o).map((m) => [m, p] as const));
    assert.ok(ops.length > 50);
    const res = await get('/en/api-reference');
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /<h1>API reference<\/h1>/);
    // The front page lists the tags; each tag is a page of its own.
    const tagPages = [...res.body.matchAll(/href="(\/en\/api-reference\/[a-z0-9_-]+)"/g)].map((m) => m[1]);
    assert.ok(tagPages.length >= 8, `tag pages: ${tagPages.length}`);
    const pages = await Promise.all(tagPages.map((u) => get(u)));
    for (const p of pages) assert.equal(p.statusCode, 200);
    assert.equal((await get('/en/api-reference/nothing-here')).statusCode, 404);
    const html = res.body + pages.map((p) => p.body).join('');
    assert.equal(html.match(/class="api-op"/g)?.length, ops.length, 'one section per operation');
    for (const [m, p] of ops) {
      assert.ok(html.includes(`id="op-${operationKey(m, p)}"`), `${m} ${p}`);
      assert.ok(html.includes(`</span> ${p}</code>`), `${m} ${p} is shown`);
    }
    // Tables: a caption and header cells for columns and rows.
    const tables = html.match(/<table[\s\S]*?<\/table>/g) ?? [];
    assert.ok(tables.length > ops.length);
    for (const tb of tables) {
      assert.match(tb, /<caption>/);
      assert.match(tb, /<th scope="col">/);
    }
    // What each operation needs, said in words; the request body with an example.
    assert.match(html, /Access:<\/strong> public, no sign-in needed\./);
    assert.match(html, /a personal API token, or a signed-in session with its CSRF token\./);
    assert.match(html, /<caption>Request body \(JSON\)<\/caption>/);
    assert.match(html, /<pre class="api-example" tabindex="0"/);
    // Only the site's own script (the page works without it).
    for (const page of [res, ...pages])
      assert.deepEqual(page.body.match(/<script[^>]*src="[^"]+"/g), ['<script src="/assets/site.js"']);
    assert.match(html, /href="\/en\/api-reference">API<\/a>/, 'the header links here');
  });

  it('speaks each of the six languages; identifiers stay left to right; English words are marked', async () => {
    for (const lc of LOCALES) {
      const front = (await get(`/${lc}/api-reference`)).body;
      const html =
        front +
        (await get(`/${lc}/api-reference/registration`)).body +
        (await get(`/${lc}/api-reference/programme`)).body +
        (await get(`/${lc}/api-reference/events`)).body;
      assert.ok(front.includes(`<h1>${translate(lc, 'apiref.title')}</h1>`), lc);
      assert.ok(html.includes(translate(lc, 'apiref.tag.registration')), lc);
      assert.ok(html.includes(translate(lc, 'apiref.status.429')), lc);
      assert.doesNotMatch(html, /apiref\./, `${lc}: no key shows as itself`);
      assert.match(html, /<code dir="ltr"><span class="api-method api-get">GET<\/span> \/api\/v1\/events<\/code>/);
      if (lc !== 'en') assert.match(html, /<span lang="en">/, `${lc}: a summary in English says so`);
    }
    const ar = (await get('/ar/api-reference/programme')).body;
    assert.match(ar, /<html lang="ar" dir="rtl">/);
    assert.match(ar, /<caption>المعاملات<\/caption>/);
  });

  it('writes types and examples from schemas', () => {
    assert.equal(typeOf({ type: 'string', format: 'date' }), 'string (date)');
    assert.equal(typeOf({ type: 'array', items: { type: 'string', enum: ['en', 'fr'] } }), 'array<"en" | "fr">');
    assert.equal(typeOf({ anyOf: [{ type: 'string' }, { type: 'null' }] }), 'string | null');
    assert.equal(typeOf({ $ref: '#/components/schemas/Problem' }), 'Problem');
    assert.deepEqual(
      exampleOf({
        type: 'object',
        properties: {
          events: { type: 'array', items: { type: 'string' } },
          mode: { type: 'string', enum: ['in_person', 'remote'] },
          at: { type: 'string', format: 'date' },
          n: { type: 'integer', minimum: 0 },
        },
      }),
      { events: ['text'], mode: 'in_person', at: '2026-07-06', n: 0 },
    );
  });
});
