import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { createTestDatabase, type TestDatabase } from '../../test/helpers/db.js';
import { manualClock } from './clock.js';
import { countStatements } from '../db/statements.js';
import { startSmtpSink } from '../../test/helpers/smtp.js';
import { enqueue, enqueueMany, runDueJobs } from './jobs.js';
import { mailHandlers } from './mail/mail.js';
import { jobs } from './platform.schema.js';

describe('jobs / outbox', () => {
  let database: TestDatabase;
  const clock = manualClock(new Date('2026-05-01T08:00:00Z'));
  before(async () => {
    database = await createTestDatabase();
  });
  after(() => database.close());

  it('a job enqueued in a transaction that rolls back never runs', async () => {
    const seen: unknown[] = [];
    await assert.rejects(
      database.db.transaction(async (tx) => {
        await enqueue(tx, clock.now(), 'test.rollback', { n: 1 });
        throw new Error('decision failed');
      }),
    );
    assert.equal(await runDueJobs(database.db, clock, { 'test.rollback': async (p) => void seen.push(p) }), 0);
    assert.deepEqual(seen, []);
  });

  it('runs a committed job once, after commit, and marks it done', async () => {
    const seen: unknown[] = [];
    const id = await database.db.transaction((tx) => enqueue(tx, clock.now(), 'test.once', { to: 'dfp@example.org' }));
    const handlers = { 'test.once': async (p: Record<string, unknown>) => void seen.push(p) };
    assert.equal(await runDueJobs(database.db, clock, handlers), 1);
    assert.equal(await runDueJobs(database.db, clock, handlers), 0);
    assert.deepEqual(seen, [{ to: 'dfp@example.org' }]);
    const [row] = await database.db.select().from(jobs).where(eq(jobs.id, id));
    assert.equal(row.state, 'done');
  });

  it('waits for run_at', async () => {
    const seen: unknown[] = [];
    await enqueue(database.db, clock.now(), 'test.later', {}, { runAt: new Date(clock.now().getTime() + 60_000) });
    const handlers = { 'test.later': async () => void seen.push(1) };
    assert.equal(await runDueJobs(database.db, clock, handlers), 0);
    clock.advance(61_000);
    assert.equal(await runDueJobs(database.db, clock, handlers), 1);
  });

  it('retries a failing job with backoff, then gives up and keeps the error', async () => {
    let calls = 0;
    const id = await enqueue(database.db, clock.now(), 'test.flaky', {}, { maxAttempts: 2 });
    const handlers = {
      'test.flaky': async () => {
        calls++;
        throw new Error('SMTP 451 try later');
      },
    };
    assert.equal(await runDueJobs(database.db, clock, handlers), 1);
    let [row] = await database.db.select().from(jobs).where(eq(jobs.id, id));
    assert.equal(row.state, 'pending');
    assert.equal(await runDueJobs(database.db, clock, handlers), 0, 'not before its backoff');
    clock.advance(31_000);
    assert.equal(await runDueJobs(database.db, clock, handlers), 1);
    [row] = await database.db.select().from(jobs).where(eq(jobs.id, id));
    assert.equal(row.state, 'failed');
    assert.equal(calls, 2);
    assert.match(row.lastError ?? '', /SMTP 451/);
  });

  it('two workers at once run each job exactly once', async () => {
    const ran: number[] = [];
    for (let i = 0; i < 20; i++) await enqueue(database.db, clock.now(), 'test.parallel', { i });
    const handlers = {
      'test.parallel': async (p: Record<string, unknown>) => {
        await new Promise((r) => setTimeout(r, 2));
        ran.push(p.i as number);
      },
    };
    const [a, b] = await Promise.all([
      runDueJobs(database.db, clock, handlers),
      runDueJobs(database.db, clock, handlers),
    ]);
    assert.equal(a + b, 20);
    assert.deepEqual(
      [...ran].sort((x, y) => x - y),
      Array.from({ length: 20 }, (_, i) => i),
    );
  });

  it('drains e-mail in batches: two workers claiming 25 at a time send each of 300 messages once, over pooled SMTP', async () => {
    const sink = await startSmtpSink();
    try {
      const n = 300;
      await database.db.transaction((tx) =>
        enqueueMany(
          tx,
          clock.now(),
          Array.from({ length: n }, (_, i) => ({
            kind: 'mail.send',
            payload: {
              to: `delegate${i}@example.org`,
              locale: 'en',
              template: 'sign_in_link',
              params: { name: `Delegate ${i}`, link: `https://convene.test/${i}`, minutes: 30 },
              queuedAt: clock.now().toISOString(),
            },
          })),
        ),
      );
      const config = { smtpUrl: sink.url, mailFrom: 'Convene <no-reply@convene.test>' };
      // Two workers, each with its own pool of SMTP connections, draining the same queue at once.
      const { result, work } = await countStatements(() =>
        Promise.all([
          runDueJobs(database.db, clock, mailHandlers(config, 'memory://'), 1000, 25),
          runDueJobs(database.db, clock, mailHandlers(config, 'memory://'), 1000, 25),
        ]),
      );
      assert.equal(result[0] + result[1], n, 'every job ran once between them');
      assert.ok(result[0] > 0 && result[1] > 0, `both workers took batches (${result.join(' + ')})`);
      const to = sink.received.map((m) => (Array.isArray(m.to) ? m.to[0] : m.to)?.text).sort();
      assert.equal(to.length, n, 'each message received once');
      assert.equal(new Set(to).size, n, 'no message twice');
      assert.equal(new Set(sink.received.map((m) => m.messageId)).size, n);
      // A batch costs two statements (claim, mark done), whatever its size; each worker ends with one empty claim.
      assert.ok(work.length <= 2 * Math.ceil(n / 25) + 4, `${work.length} statements to drain ${n} jobs`);
      const states = await database.db.select({ state: jobs.state }).from(jobs).where(eq(jobs.kind, 'mail.send'));
      assert.ok(states.every((r) => r.state === 'done'));
    } finally {
      await sink.close();
    }
  });
});
