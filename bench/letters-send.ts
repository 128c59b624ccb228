/**
 * Sending a circular letter to 2,000 recipients: how long queuing takes (the one transaction that marks the letter sent
 * and inserts every delivery and its job — the issue's target is under 2 s), how fast the job worker drains the queue
 * through a real SMTP server on loopback (messages per second, each in its recipient's language with the PDF
 * attached), and how the tracker answers while it drains. On PostgreSQL (a scratch database `convene_bench_letters`,
 * migrated and seeded, 2,000 contacts spread over the 194 Member States) and on the embedded PGlite. Printed as a table
 * and written to bench/results/. Nothing here is a test: tests never time things.
 *
 * `npm run bench` runs it after its HTTP scenarios; alone: `tsx bench/letters-send.ts`.
 * Env: BENCH_DATABASE_URL (postgres://postgres@127.0.0.1:5432/test), BENCH_LETTER_RECIPIENTS (2000),
 * BENCH_LETTER_ROUNDS (5 letters queued per database), BENCH_LETTER_DRAIN (2000: messages sent in the drain; 0 skips).
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { SMTPServer } from 'smtp-server';
import { type Database, openDatabase } from '../src/db/client.js';
import { runMigrations } from '../src/db/migrate.js';
import { systemClock } from '../src/platform/clock.js';
import type { Actor } from '../src/platform/context.js';
import { runDueJobs } from '../src/platform/jobs.js';
import { mailHandlers } from '../src/platform/mail/mail.js';
import { lettersHandlers } from '../src/modules/letters/index.js';
import { sendLetter } from '../src/modules/letters/letters.sending.js';
import { approveLetter, createLetter } from '../src/modules/letters/letters.service.js';
import { getTracker } from '../src/modules/letters/letters.tracker.js';
import { loadSeed } from '../src/seed/load-seed.js';
import pg from 'pg';
import { sql } from 'drizzle-orm';

const admin = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const recipients = Number(process.env.BENCH_LETTER_RECIPIENTS ?? 2000);
const rounds = Number(process.env.BENCH_LETTER_ROUNDS ?? 5);
const drainCount = Number(process.env.BENCH_LETTER_DRAIN ?? 2000);

const staff: Actor = {
  kind: 'person',
  id: 'bench-secretariat',
  role: 'staff',
  capabilities: ['letters.send'],
  focalPointOf: [],
  entityId: null,
  via: 'session',
};

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};
const ms = (x: number) => `${x.toFixed(0)} ms`;

/** `recipients` official addresses over the Member States, in the six languages in turn. */
async function addContacts(database: Database, n: number) {
  await database.db.execute(sql`
    insert into entity_contacts (entity_id, role, email, name, locale, created_at)
    select e.id, 'mission', 'contact' || g || '@bench.example', 'Contact ' || g,
      (array['en','fr','es','ru','zh','ar'])[1 + g % 6], now()
    from generate_series(1, ${n}) g
    join lateral (
      select id from entities where kind = 'member_state' order by id offset (g % 194) limit 1
    ) e on true`);
}

/** A loopback SMTP server that takes every message and counts it (without parsing: the app is measured, not it). */
async function smtpCounter() {
  let count = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _s, cb) {
      stream.on('data', () => {});
      stream.on('end', () => {
        count++;
        cb();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.server.address() as { port: number }).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    count: () => count,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

type Result = {
  database: string;
  recipients: number;
  queueMs: number[];
  drain?: { messages: number; seconds: number; perSecond: number; trackerP50: number; trackerP99: number };
};

async function measure(label: string, database: Database): Promise<Result> {
  await runMigrations(database);
  await loadSeed(database.db, new Date());
  await addContacts(database, recipients);
  const ctx = { db: database.db, actor: staff, locale: 'en' as const, now: new Date() };
  const letterIds: number[] = [];
  const queueMs: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const l = await createLetter(ctx, {
      date: '2026-04-20',
      sender: { en: 'ITU General Secretariat' },
      addressees: { en: 'ITU Member States' },
      audiences: ['member_states'],
      subject: { en: `Practical information ${i + 1}`, fr: `Informations pratiques ${i + 1}` },
      body: { en: 'Dear Sir/Madam,\n\n## Visas\n\n- Apply early', fr: 'Madame, Monsieur,\n\n- Demandez tôt' },
      originalLanguage: 'en',
      signatoryName: 'Doreen Bogdan-Martin',
      signatoryTitle: { en: 'Secretary-General' },
      contactName: 'Ms Gitanjali Sah',
      contactEmail: 'wsis-info@itu.int',
    });
    await approveLetter(ctx, l.id);
    const t0 = performance.now();
    const r = await sendLetter({ ...ctx, now: new Date() }, l.id);
    queueMs.push(performance.now() - t0);
    if (r.queued < recipients) throw new Error(`queued ${r.queued}, expected at least ${recipients}`);
    letterIds.push(l.id);
  }
  const result: Result = { database: label, recipients, queueMs };
  if (drainCount > 0) {
    // Only the first letter's messages are left pending: the drain is one letter to every recipient.
    await database.db.execute(sql`
      update jobs set state = 'done' where kind = 'letters.deliver' and state = 'pending'
      and (payload->>'deliveryId')::int in (select id from letter_deliveries where letter_id <> ${letterIds[0]})`);
    const smtp = await smtpCounter();
    const handlers = lettersHandlers(
      database.db,
      systemClock,
      mailHandlers({ smtpUrl: smtp.url, mailFrom: 'WSIS <wsis@itu.int>' }, 'memory://')['mail.send'],
      'https://convene.example',
    );
    // While the worker drains, the secretariat keeps reading the tracker: its latency is the page's responsiveness.
    const trackerMs: number[] = [];
    let draining = true;
    const reader = (async () => {
      while (draining) {
        const t0 = performance.now();
        await getTracker(ctx, letterIds[0]);
        trackerMs.push(performance.now() - t0);
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    const t0 = performance.now();
    let sent = 0;
    while (sent < drainCount) {
      const ran = await runDueJobs(database.db, systemClock, handlers, 100);
      if (!ran) break;
      sent += ran;
    }
    const seconds = (performance.now() - t0) / 1000;
    draining = false;
    await reader;
    await smtp.close();
    result.drain = {
      messages: smtp.count(),
      seconds,
      perSecond: smtp.count() / seconds,
      trackerP50: pct(trackerMs, 50),
      trackerP99: pct(trackerMs, 99),
    };
  }
  return result;
}

export async function benchLettersSend(): Promise<Result[]> {
  const results: Result[] = [];
  const name = 'convene_bench_letters';
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  await c.query(`drop database if exists ${name}`);
  await c.query(`create database ${name}`);
  const server = await openDatabase({ dataDir: 'memory://', databaseUrl: admin.replace(/\/[^/]*$/, `/${name}`) });
  try {
    results.push(await measure('PostgreSQL', server));
  } finally {
    await server.close();
    await c.query(`drop database if exists ${name}`);
    await c.end();
  }
  const embedded = await openDatabase({ dataDir: 'memory://' });
  try {
    results.push(await measure('PGlite', embedded));
  } finally {
    await embedded.close();
  }
  console.log(`\nSending a letter to ${recipients} recipients (queuing: ${rounds} letters, one transaction each)`);
  console.log('| database | queue median | queue max | drained | messages/s | tracker while draining p50 / p99 |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const r of results)
    console.log(
      `| ${r.database} | ${ms(pct(r.queueMs, 50))} | ${ms(Math.max(...r.queueMs))} | ${
        r.drain ? `${r.drain.messages} in ${r.drain.seconds.toFixed(1)} s` : '—'
      } | ${r.drain ? r.drain.perSecond.toFixed(0) : '—'} | ${
        r.drain ? `${ms(r.drain.trackerP50)} / ${ms(r.drain.trackerP99)}` : '—'
      } |`,
    );
  const dir = path.resolve('bench/results');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `letters-send-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(file, JSON.stringify({ at: new Date().toISOString(), recipients, rounds, results }, null, 2));
  console.log(`written: ${path.relative(process.cwd(), file)}`);
  return results;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await benchLettersSend();
