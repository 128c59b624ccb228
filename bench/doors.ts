/**
 * `npm run bench:doors`: 100 door scanners at once against the app on PostgreSQL, with 11,000 badge holders
 * (BENCH_BADGES). Each request is a new scan (its own id) of a random badge: most are admitted, a share are second
 * scans (`already_checked_in`), a few are forged codes. Two loads: the doors' pace (each of the 100 scanners scanning
 * once a second — faster than people walk through a gate — 100 scans/s offered whatever the answers' speed), and
 * saturation (each scanner sends its next scan the moment it has an answer: the most this machine can take). With 100
 * requests always in flight, latency is 100 ÷ throughput (Little's law), so saturation measures capacity, the paced
 * load the latency a door sees. Beside it, in the same run, a bare Fastify route. Then an offline queue of 500 scans.
 * Prints req/s, p50, p99, p99.9, errors, server RSS; JSON to bench/results/.
 */
import { randomUUID } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { eq } from 'drizzle-orm';
import pg from 'pg';
import { openDatabase } from '../src/db/client.js';
import { runMigrations } from '../src/db/migrate.js';
import { pacedLoad } from './paced.js';
import { loadSeed } from '../src/seed/load-seed.js';
import { createApiToken } from '../src/modules/accounts/accounts.service.js';
import { people } from '../src/modules/accounts/accounts.schema.js';
import { badges } from '../src/modules/badges/badges.schema.js';
import { issueMissingBadges } from '../src/modules/badges/badges.service.js';
import { events } from '../src/modules/events/events.schema.js';
import { registrations } from '../src/modules/registration/registration.schema.js';

const adminUrl =
  process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const holders = Number(process.env.BENCH_BADGES ?? 11000);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 100);
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const APP = 3931;
const BASE = 3932;
const dbName = 'convene_bench_doors';

function rssMb(pid: number): number {
  const tree = (p: number): number[] => {
    try {
      return [
        p,
        ...fs
          .readFileSync(`/proc/${p}/task/${p}/children`, 'utf8')
          .trim()
          .split(/\s+/)
          .filter(Boolean)
          .map(Number)
          .flatMap(tree),
      ];
    } catch {
      return [p];
    }
  };
  return Math.max(
    ...tree(pid).map((p) => {
      try {
        return Math.round(Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${p}/status`, 'utf8'))![1]) / 1024);
      } catch {
        return 0;
      }
    }),
  );
}

async function start(
  args: string[],
  env: Record<string, string>,
  ready: string,
  nodeArgs: string[] = [],
): Promise<ChildProcess> {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(ready)).ok) return child;
    } catch {
      /* starting */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill('SIGKILL');
  throw new Error(`${args.join(' ')} did not start`);
}

async function main() {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${dbName} with (force)`);
  await admin.query(`create database ${dbName}`);
  await admin.end();
  const u = new URL(adminUrl);
  u.pathname = `/${dbName}`;

  // Data: the seeded summit, and `holders` people registered in person for the WSIS Forum, approved, with badges.
  let t0 = performance.now();
  const database = await openDatabase({ databaseUrl: u.toString(), dataDir: 'memory://' });
  const now = new Date();
  await runMigrations(database);
  await loadSeed(database.db, now);
  const [forum] = await database.db.select({ id: events.id }).from(events).where(eq(events.slug, 'wsis-forum-2026'));
  for (let i = 0; i < holders; i += 1000) {
    const ps = await database.db
      .insert(people)
      .values(
        Array.from({ length: Math.min(1000, holders - i) }, (_, k) => ({
          email: `holder${i + k}@bench.example`,
          givenName: `Holder${i + k}`,
          familyName: 'Bench',
          givenNameLatin: `Holder${i + k}`,
          familyNameLatin: 'Bench',
          createdAt: now,
          updatedAt: now,
        })),
      )
      .returning({ id: people.id });
    await database.db.insert(registrations).values(
      ps.map((p) => ({
        personId: p.id,
        eventId: forum.id,
        mode: 'in_person' as const,
        state: 'approved' as const,
        stakeholderType: 'government',
        function: 'technical_expert',
        registeredBy: p.id,
        submittedAt: now,
        updatedAt: now,
      })),
    );
  }
  await issueMissingBadges(database.db, now);
  const tokens = (await database.db.select({ token: badges.token }).from(badges)).map((b) => b.token);
  const [scanner] = await database.db
    .insert(people)
    .values({
      email: 'door@bench.example',
      givenName: 'Door',
      familyName: 'Bench',
      role: 'staff',
      capabilities: ['checkin.scan'],
      emailVerifiedAt: now,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  const bearer = (
    await createApiToken(
      {
        db: database.db,
        locale: 'en',
        now,
        actor: {
          kind: 'person',
          id: scanner.id,
          role: 'staff',
          capabilities: ['checkin.scan'],
          focalPointOf: [],
          entityId: null,
          via: 'session',
        },
      },
      { name: 'bench', days: 1 },
    )
  ).token;
  await database.close();
  console.log(`${tokens.length} badges ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const app = await start(
    ['src/server.ts'],
    {
      DATABASE_URL: u.toString(),
      PORT: String(APP),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
      CONVENE_WORKER: 'off',
      CONVENE_DATA_DIR: 'memory://',
    },
    `http://127.0.0.1:${APP}/healthz`,
    (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean),
  );
  const base = await start(['bench/baseline-server.ts'], { PORT: String(BASE) }, `http://127.0.0.1:${BASE}/`);
  const headers: Record<string, string> = { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' };
  const pick = () => {
    const r = Math.random();
    const token = tokens[Math.floor(Math.random() * tokens.length)];
    return r < 0.02 ? `${token.slice(0, -2)}xx` : token;
  };
  const pace = Number(process.env.BENCH_SCAN_INTERVAL_MS ?? 1000);
  const scanBody = () =>
    JSON.stringify({ scanId: randomUUID(), code: pick(), checkpoint: 'event:wsis-forum-2026', deviceId: 'bench' });
  // Saturation: autocannon, each connection sending its next scan on the answer.
  const saturate = () =>
    autocannon({
      url: `http://127.0.0.1:${APP}`,
      connections,
      duration: seconds,
      requests: [
        {
          method: 'POST',
          path: '/api/v1/checkin/scan',
          headers,
          setupRequest: (req) => ({ ...req, body: scanBody() }),
        },
      ],
    });
  // The doors' pace: each scanner on its own, scanning at random moments (bench/paced.ts).
  const paced = async () => {
    const r = await pacedLoad({
      port: APP,
      clients: connections,
      seconds,
      meanGapMs: pace,
      request: () => ({ method: 'POST', path: '/api/v1/checkin/scan', headers, body: scanBody() }),
    });
    return {
      requests: { average: r.rps },
      latency: { p50: r.p50, p99: r.p99, p99_9: r.p999, max: r.max },
      errors: r.errors,
      non2xx: 0,
    };
  };
  const scanRun = (isPaced: boolean) => (isPaced ? paced() : saturate());
  const rows: Record<string, unknown>[] = [];
  try {
    await scanRun(false); // warm-up (and a first wave of admissions)
    for (let round = 1; round <= rounds; round++) {
      const b = await autocannon({ url: `http://127.0.0.1:${BASE}/`, connections, duration: seconds });
      for (const paced of [true, false]) {
        const s = await scanRun(paced);
        const row = {
          load: paced ? `doors' pace (each scanner every ${pace / 1000} s on average)` : 'saturation',
          round,
          scansPerSec: Math.round(s.requests.average),
          p50ms: s.latency.p50,
          p99ms: s.latency.p99,
          p999ms: s.latency.p99_9,
          maxMs: s.latency.max,
          errors: s.errors + s.non2xx,
          rssMb: rssMb(app.pid!),
          baselineRps: Math.round(b.requests.average),
          baselineP99ms: b.latency.p99,
          ratio: +(s.requests.average / b.requests.average).toFixed(3),
        };
        rows.push(row);
        console.log(`round ${round}, ${row.load}: ${row.scansPerSec} scans/s, p99 ${row.p99ms} ms`);
      }
    }
    // An offline scanner comes back with 500 scans.
    const queue = Array.from({ length: 500 }, () => ({
      scanId: randomUUID(),
      code: pick(),
      checkpoint: 'session:HLT-01',
      deviceId: 'offline-bench',
      scannedAt: new Date().toISOString(),
      offlineResult: 'admitted',
    }));
    t0 = performance.now();
    const res = await fetch(`http://127.0.0.1:${APP}/api/v1/checkin/sync`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ scans: queue }),
    });
    const syncMs = Math.round(performance.now() - t0);
    const synced = ((await res.json()) as { results: unknown[] }).results.length;
    console.log(`\n${connections} scanners, ${seconds} s × ${rounds} rounds; ratio = scans/s ÷ bare Fastify req/s`);
    console.table(rows);
    console.log(`offline queue of 500 scans synced in ${syncMs} ms (${synced} answers)`);
    fs.mkdirSync('bench/results', { recursive: true });
    const out = path.join('bench/results', `doors-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    fs.writeFileSync(
      out,
      JSON.stringify(
        {
          machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, node: process.version },
          holders: tokens.length,
          connections,
          seconds,
          rounds,
          rows,
          sync: { scans: 500, ms: syncMs },
        },
        null,
        2,
      ),
    );
    console.log(`Results written to ${out}`);
  } finally {
    app.kill('SIGTERM');
    base.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    const a = new pg.Client({ connectionString: adminUrl });
    await a.connect();
    await a.query(`drop database if exists ${dbName} with (force)`);
    await a.end();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
