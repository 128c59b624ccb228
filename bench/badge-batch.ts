/**
 * `npm run bench:badges`: 11,000 badges (or BENCH_BADGES) printed in one batch by the app on PostgreSQL, while
 * autocannon asks for a page the whole time. Prints how long the batch took, ms and bytes per badge, the server's
 * peak RSS, and the page's p50/p99 before and during the batch: whether the server kept answering.
 * Needs `seed:demo` (the data) and PostgreSQL (BENCH_DATABASE_URL or DATABASE_URL, default the local `test`).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { eq } from 'drizzle-orm';
import pg from 'pg';
import { openDatabase } from '../src/db/client.js';
import { createApiToken } from '../src/modules/accounts/accounts.service.js';
import { people } from '../src/modules/accounts/accounts.schema.js';
import { badges } from '../src/modules/badges/badges.schema.js';
import { issueMissingBadges } from '../src/modules/badges/badges.service.js';

const adminUrl =
  process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const participants = Number(process.env.BENCH_BADGES ?? 11000);
const PORT = 3921;
const dbName = 'convene_bench_badges';

function rssMb(pid: number): number {
  const tree = (p: number): number[] => {
    let kids: number[] = [];
    try {
      kids = fs.readFileSync(`/proc/${p}/task/${p}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
    } catch {
      /* gone */
    }
    return [p, ...kids.flatMap(tree)];
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

async function load(url: string, seconds: number) {
  const r = await autocannon({ url, connections: 10, duration: seconds });
  return {
    rps: Math.round(r.requests.average),
    p50: r.latency.p50,
    p99: r.latency.p99,
    max: r.latency.max,
    errors: r.errors + r.non2xx,
  };
}

async function main() {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${dbName} with (force)`);
  await admin.query(`create database ${dbName}`);
  await admin.end();
  const u = new URL(adminUrl);
  u.pathname = `/${dbName}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'convene-bench-badges-'));
  const env = { ...process.env, DATABASE_URL: u.toString(), CONVENE_DATA_DIR: dataDir, LOG_LEVEL: 'warn' };

  console.log(`Seeding ${participants} participants into ${dbName}…`);
  let t0 = performance.now();
  execFileSync(
    process.execPath,
    ['--import', 'tsx', 'src/cli.ts', 'seed:demo', '--participants', String(participants)],
    { env, stdio: 'inherit' },
  );
  console.log(`seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const database = await openDatabase({ databaseUrl: u.toString(), dataDir });
  const now = new Date();
  await issueMissingBadges(database.db, now);
  const live = (await database.db.select({ id: badges.id }).from(badges)).length;
  const [staff] = await database.db
    .insert(people)
    .values({
      email: `badge-bench-${Date.now()}@example.org`,
      givenName: 'Badge',
      familyName: 'Bench',
      role: 'staff',
      capabilities: ['badges.print'],
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  const token = (
    await createApiToken(
      {
        db: database.db,
        locale: 'en',
        now,
        actor: {
          kind: 'person',
          id: staff.id,
          role: 'staff',
          capabilities: ['badges.print'],
          focalPointOf: [],
          entityId: null,
          via: 'session',
        },
      },
      { name: 'bench', days: 1 },
    )
  ).token;
  await database.db.update(people).set({ emailVerifiedAt: now }).where(eq(people.id, staff.id));
  await database.close();

  const app: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    env: { ...env, PORT: String(PORT), HOST: '127.0.0.1', NODE_ENV: 'production' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  try {
    for (let i = 0; i < 300; i++) {
      try {
        if ((await fetch(`http://127.0.0.1:${PORT}/healthz`)).ok) break;
      } catch {
        /* starting */
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    const page = `http://127.0.0.1:${PORT}/en/sessions/HLT-01`;
    await load(page, 3); // warm-up
    const idle = await load(page, 10);
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    t0 = performance.now();
    const made = await (
      await fetch(`http://127.0.0.1:${PORT}/api/v1/badge-batches`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ filter: {}, size: 'CR80' }),
      })
    ).json();
    if (!made.id) throw new Error(`batch not made: ${JSON.stringify(made)}`);
    let peak = 0;
    let state = made;
    const during: Awaited<ReturnType<typeof load>>[] = [];
    while (state.state !== 'done' && state.state !== 'failed') {
      during.push(await load(page, 5));
      peak = Math.max(peak, rssMb(app.pid!));
      state = await (await fetch(`http://127.0.0.1:${PORT}/api/v1/badge-batches/${made.id}`, { headers })).json();
      console.log(`  ${state.done} / ${state.total} badges, page p99 ${during.at(-1)!.p99} ms`);
    }
    const seconds = (performance.now() - t0) / 1000;
    if (state.state === 'failed') throw new Error(`batch failed: ${state.error}`);
    const file = fs.readdirSync(path.join(dataDir, 'badges')).find((f) => f.endsWith('.pdf'))!;
    const bytes = fs.statSync(path.join(dataDir, 'badges', file)).size;
    const pages = Number(
      /Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [path.join(dataDir, 'badges', file)], { encoding: 'utf8' }))![1],
    );
    const worst = during.reduce((a, b) => (b.p99 > a.p99 ? b : a));
    const result = {
      badges: state.total,
      liveBadges: live,
      pages,
      seconds: +seconds.toFixed(1),
      msPerBadge: +((seconds * 1000) / state.total).toFixed(2),
      mb: +(bytes / 2 ** 20).toFixed(1),
      kbPerBadge: +(bytes / 1024 / state.total).toFixed(1),
      serverPeakRssMb: peak,
      pageIdle: idle,
      pageDuringWorst: worst,
      pageDuringMedianP99: during.map((d) => d.p99).sort((a, b) => a - b)[Math.floor(during.length / 2)],
    };
    console.table([result]);
    fs.mkdirSync('bench/results', { recursive: true });
    const out = path.join('bench/results', `badges-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    fs.writeFileSync(
      out,
      JSON.stringify(
        { machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, node: process.version }, ...result },
        null,
        2,
      ),
    );
    console.log(`Results written to ${out}`);
  } finally {
    app.kill('SIGTERM');
    fs.rmSync(dataDir, { recursive: true, force: true });
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
