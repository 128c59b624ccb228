import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { createTestDatabase, TEST_NOW, type TestDatabase } from '../../../test/helpers/db.js';
import { clearRenderCache, sendCached } from './cache.js';

describe('the public answer cache', () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  const renders = new Map<string, number>();

  before(async () => {
    database = await createTestDatabase();
    clearRenderCache();
    app = Fastify();
    app.decorateRequest('ctx', undefined as never);
    app.addHook('onRequest', async (req) => {
      req.ctx = { db: database.db, actor: { kind: 'anonymous' }, locale: 'en', now: TEST_NOW };
    });
    // A page that takes a while to render and weighs ~200 KB, like the programme.
    app.get('/page/:name', async (req, reply) =>
      sendCached(req, reply, 'text/html; charset=utf-8', async () => {
        renders.set(req.url, (renders.get(req.url) ?? 0) + 1);
        await new Promise((r) => setTimeout(r, 20));
        return `<p>${req.url}</p>${Math.random().toString(36).repeat(20_000)}`;
      }),
    );
    await app.ready();
  });
  after(async () => {
    await app.close();
    await database.close();
  });

  it('fifty readers missing together wait for one render, and all get the same answer', async () => {
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => app.inject({ method: 'GET', url: '/page/programme' })),
    );
    assert.equal(renders.get('/page/programme'), 1);
    assert.equal(new Set(answers.map((a) => a.headers.etag)).size, 1);
    assert.ok(answers.every((a) => a.statusCode === 200 && a.body.startsWith('<p>/page/programme</p>')));
  });

  it('a stream of new searches does not push the pages out', async () => {
    await app.inject({ method: 'GET', url: '/page/timetable' });
    // 300 searches of ~200 KB (each kept with its gzip and brotli forms): far beyond what is kept in memory.
    for (let i = 0; i < 300; i++) await app.inject({ method: 'GET', url: `/page/programme?q=s${i}` });
    await app.inject({ method: 'GET', url: '/page/timetable' });
    await app.inject({ method: 'GET', url: '/page/programme' });
    assert.deepEqual([renders.get('/page/timetable'), renders.get('/page/programme')], [1, 1]);
    await app.inject({ method: 'GET', url: '/page/programme?q=s0' });
    assert.equal(renders.get('/page/programme?q=s0'), 2, 'the oldest searches made room for the newer');
    await app.inject({ method: 'GET', url: '/page/programme?q=s299' });
    assert.equal(renders.get('/page/programme?q=s299'), 1, 'recent searches are kept');
  });
});
