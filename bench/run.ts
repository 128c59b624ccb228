/**
 * `npm run bench`: the app on PostgreSQL filled by `seed:demo`, under autocannon, beside two baselines measured in the
 * same run: a bare Fastify route (for reads) and a loop of single-row insert transactions on the same PostgreSQL from
 * a few clients (the commit ceiling, for writes). Every scenario is printed with its ratio to its baseline; the
 * programme page, participant search, badge desk search and statistics are repeated at each size to show how cost
 * grows. Door scans run twice: at the doors' pace (100 scanners each scanning at random moments, once a second on
 * average: the latency a door sees, bench/paced.ts) and as a closed loop of 100 connections (capacity). A table on
 * stdout, JSON in bench/results/.
 *
 * Options (env): BENCH_DATABASE_URL (postgres://postgres@127.0.0.1:5432/test: the server; scratch databases
 * convene_bench_<size> are made and dropped), BENCH_SECONDS (10), BENCH_ROUNDS (2), BENCH_CONNECTIONS (50; the door
 * scan always uses BENCH_SCAN_CONNECTIONS, 100), BENCH_SIZES (1000,10000,100000), BENCH_MAIN (10000: the size every
 * scenario runs at), BENCH_SEED (2026), BENCH_COMMIT_CLIENTS (4), BENCH_QUICK=1 (3 s, one round, sizes 1000,10000).
 * BENCH_LETTERS=0 skips the letter-sending measure that follows (bench/letters-send.ts, its own env).
 * Nothing here is a test: tests never time things.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { benchLettersSend } from './letters-send.js';
import { pacedLoad } from './paced.js';
import { DEMO_CHECKPOINT } from '../src/demo/generate.js';
import { readDemoTokens } from '../src/demo/tokens-file.js';

const quick = process.env.BENCH_QUICK === '1';
const adminUrl =
  process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const seconds = Number(process.env.BENCH_SECONDS ?? (quick ? 3 : 10));
const rounds = Number(process.env.BENCH_ROUNDS ?? (quick ? 1 : 2));
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const scanConnections = Number(process.env.BENCH_SCAN_CONNECTIONS ?? 100);
const sizes = (process.env.BENCH_SIZES ?? (quick ? '1000,10000' : '1000,10000,100000'))
  .split(',')
  .map(Number)
  .filter((x) => x > 0);
const mainSize = Number(process.env.BENCH_MAIN ?? (sizes.includes(10000) ? 10000 : sizes[sizes.length - 1]));
if (!sizes.includes(mainSize)) sizes.push(mainSize);
sizes.sort((a, b) => a - b);
const seed = Number(process.env.BENCH_SEED ?? 2026);
const commitClients = Number(process.env.BENCH_COMMIT_CLIENTS ?? 4);
/** Ports picked free at start (other runs on the machine may hold the usual ones). */
let APP_PORT = 0;
let BASE_PORT = 0;
async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise((r) => srv.close(r));
  return port;
}

type Kind = 'read' | 'write' | 'baseline';
type Request = { method?: string; path: string; headers?: Record<string, string>; body?: string };
type Scenario = {
  name: string;
  kind: Kind;
  port?: number;
  /** A fixed request, or one made per request (a new scan id, the next applicant). */
  request: Request | (() => Request);
  connections?: number;
  /** Writes that may happen once each (a registration, a decision): how many this round may make. */
  amount?: () => number;
  /** Run before each pass (reads what the previous scenarios changed). */
  before?: () => Promise<void>;
  growth?: boolean;
  /** An open load instead of a closed loop: each connection sends at random moments, this many ms apart on average. */
  pacedGapMs?: number;
};
type Run = { rps: number; p50: number; p99: number; errors: number; total: number; rssMb: number };

function rssMb(pid: number): number {
  try {
    const m = fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/);
    return m ? Math.round(Number(m[1]) / 1024) : NaN;
  } catch {
    return NaN;
  }
}

/** The process listening (tsx runs the server in a child of its own): the largest RSS in the tree. */
function treeRssMb(pid: number): number {
  const kids = (() => {
    try {
      return fs
        .readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
        .trim()
        .split(/\s+/)
        .filter(Boolean)
        .map(Number);
    } catch {
      return [];
    }
  })();
  return Math.max(rssMb(pid), ...kids.map(treeRssMb));
}

/** Starts a server and waits until `readyUrl` answers 200. */
async function startProcess(args: string[], env: Record<string, string>, readyUrl: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out = (out + d).slice(-20_000)));
  child.stderr!.on('data', (d) => (out = (out + d).slice(-20_000)));
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited ${child.exitCode}:\n${out}`);
    try {
      if ((await fetch(readyUrl)).ok) return child;
    } catch {
      /* starting */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill('SIGKILL');
  throw new Error(`${args.join(' ')} did not become ready:\n${out}`);
}

async function stop(child: ChildProcess) {
  if (child.exitCode !== null) return;
  const done = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await Promise.race([done, new Promise((r) => setTimeout(r, 5000))]);
  if (child.exitCode === null) child.kill('SIGKILL');
}

async function runScenario(s: Scenario, pid: number, amount?: number): Promise<Run> {
  if (s.pacedGapMs) {
    const make = typeof s.request === 'function' ? s.request : () => s.request as Request;
    const r = await pacedLoad({
      port: s.port ?? APP_PORT,
      clients: s.connections ?? connections,
      seconds,
      meanGapMs: s.pacedGapMs,
      request: make,
    });
    return { rps: r.rps, p50: r.p50, p99: r.p99, errors: r.errors, total: r.total, rssMb: treeRssMb(pid) };
  }
  const opts: autocannon.Options = {
    url: `http://127.0.0.1:${s.port ?? APP_PORT}`,
    connections: s.connections ?? connections,
    duration: seconds,
  };
  if (amount !== undefined) {
    opts.amount = amount;
    opts.connections = Math.min(opts.connections!, Math.max(1, amount));
  }
  const make = typeof s.request === 'function' ? s.request : () => s.request as Request;
  opts.requests = [
    {
      setupRequest: (req) => {
        const r = make();
        return {
          ...req,
          method: (r.method ?? 'GET') as 'GET',
          path: r.path,
          headers: { ...(r.body ? { 'content-type': 'application/json' } : {}), ...r.headers },
          body: r.body,
        };
      },
    },
  ];
  const r = await autocannon(opts);
  return {
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors + r.non2xx + r.timeouts,
    total: r.requests.total,
    rssMb: treeRssMb(pid),
  };
}

/** Baseline 2: single-row insert transactions from a few clients on the same server, for `seconds`. */
async function commitCeiling(url: string): Promise<Run> {
  const setup = new pg.Client({ connectionString: url });
  await setup.connect();
  await setup.query(
    'create table if not exists bench_commit (id bigserial primary key, v text not null, at timestamptz not null default now())',
  );
  await setup.end();
  const lat: number[] = [];
  const until = performance.now() + seconds * 1000;
  let errors = 0;
  await Promise.all(
    Array.from({ length: commitClients }, async () => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      while (performance.now() < until) {
        const t = performance.now();
        try {
          await c.query('begin');
          await c.query('insert into bench_commit (v) values ($1)', [randomUUID()]);
          await c.query('commit');
          lat.push(performance.now() - t);
        } catch {
          errors++;
        }
      }
      await c.end();
    }),
  );
  lat.sort((a, b) => a - b);
  const q = (p: number) => +(lat[Math.min(lat.length - 1, Math.floor(lat.length * p))] ?? NaN).toFixed(2);
  return { rps: lat.length / seconds, p50: q(0.5), p99: q(0.99), errors, total: lat.length, rssMb: NaN };
}

async function query<T>(url: string, text: string, params: unknown[] = []): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(text, params)).rows as T[];
  } finally {
    await c.end();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const cycle = <T>(xs: T[]) => {
  let i = 0;
  return () => xs[i++ % xs.length];
};

/** The scenarios at one size, with the data they need read from the seeded database. */
async function scenariosFor(url: string, full: boolean, tokensFile: string): Promise<Scenario[]> {
  // The demo accounts' tokens derive from the secret that this size's seed:demo run drew and wrote to tokensFile.
  const demo = readDemoTokens(tokensFile);
  const bearer = (label: string) => ({ authorization: `Bearer ${demo.token(label)}` });
  const staff = bearer('bench-staff');
  const admin = bearer('bench-admin');
  const names = (
    await query<{ n: string }>(
      url,
      `select family_name_latin as n from people where email like 'p%@demo.convene.test' order by md5(id) limit 200`,
    )
  ).map((r) => r.n);
  const searchName = cycle(names.map((n) => encodeURIComponent(n.toLowerCase())));
  const list: Scenario[] = [
    { name: 'programme page (en)', kind: 'read', request: { path: '/en/programme' }, growth: true },
    {
      name: 'secretariat statistics (arrivals per checkpoint)',
      kind: 'read',
      request: { path: '/api/v1/checkin/arrivals', headers: staff },
      growth: true,
    },
    {
      name: 'participant search (admin, by name)',
      kind: 'read',
      request: () => ({ path: `/api/v1/people?q=${searchName()}`, headers: admin }),
      growth: true,
    },
    {
      name: 'badge desk search (by name)',
      kind: 'read',
      request: () => ({ path: `/api/v1/badges?q=${searchName()}`, headers: staff }),
      growth: true,
    },
  ];
  if (!full) return list;
  const badgeTokens = (
    await query<{ token: string }>(
      url,
      `select token from badges where revoked_at is null order by md5(token) limit 5000`,
    )
  ).map((r) => r.token);
  const nextBadge = cycle(badgeTokens);
  const applicants = (
    await query<{ email: string }>(
      url,
      `select email from people p where email like 'applicant%@demo.convene.test' and not exists (select 1 from registrations r where r.person_id = p.id) order by email`,
    )
  ).map((r) => r.email.split('@')[0]);
  let nextApplicant = 0;
  // Requests awaiting a focal point, each with its DFP's token; refreshed before each round (submits add to it).
  let pending: { id: string; code: string }[] = [];
  let nextPending = 0;
  const refreshPending = async () => {
    pending = await query<{ id: string; code: string }>(
      url,
      `select r.id, lower(e.code) as code from registrations r join entities e on e.id = r.entity_id where r.state = 'pending_dfp' and exists (select 1 from focal_points f where f.entity_id = r.entity_id) order by r.id`,
    );
    nextPending = 0;
  };
  await refreshPending();
  const budget = (left: () => number) => () => Math.max(0, Math.floor(left() / (rounds + 1)));
  const applicantsAtStart = applicants.length;
  const pendingBudget = { total: 0 };
  list.unshift(
    ...['ar', 'zh', 'fr', 'ru', 'es'].map((lc) => ({
      name: `programme page (${lc})`,
      kind: 'read' as const,
      request: { path: `/${lc}/programme` },
    })),
    { name: 'programme page, filtered by day', kind: 'read', request: { path: '/en/programme?day=2026-07-08' } },
    {
      name: 'programme page, uncached (new search each time)',
      kind: 'read',
      request: () => ({ path: `/en/programme?q=${Math.random().toString(36).slice(2, 5)}` }),
    },
    {
      name: 'sessions API (WSIS Forum, all)',
      kind: 'read',
      request: { path: '/api/v1/events/wsis-forum-2026/sessions' },
    },
    { name: 'session page', kind: 'read', request: { path: '/en/sessions/HLT-01' } },
    {
      // Issue 16: 194 Member States' answers to CL-26/17 for 10 staff at once (target: p99 under 100 ms).
      name: 'letters tracker (CL-26/17, every Member State, 10 staff)',
      kind: 'read',
      connections: 10,
      request: { path: '/api/v1/letters/CL-26-17/tracker', headers: admin },
      growth: true,
    },
    {
      name: 'secretariat queue (WSIS Forum, awaiting the secretariat)',
      kind: 'read',
      request: { path: '/api/v1/registrations/queue?event=wsis-forum-2026&state=pending_secretariat', headers: staff },
    },
  );
  list.push(
    {
      name: `door scan at the doors' pace (${scanConnections} scanners, each once a second on average)`,
      kind: 'write',
      connections: scanConnections,
      pacedGapMs: 1000,
      request: () => ({
        method: 'POST',
        path: '/api/v1/checkin/scan',
        headers: staff,
        body: JSON.stringify({
          scanId: randomUUID(),
          code: nextBadge(),
          checkpoint: DEMO_CHECKPOINT,
          deviceId: 'bench-1',
        }),
      }),
    },
    {
      name: `door scan (${scanConnections} connections, closed loop)`,
      kind: 'write',
      connections: scanConnections,
      request: () => ({
        method: 'POST',
        path: '/api/v1/checkin/scan',
        headers: staff,
        body: JSON.stringify({
          scanId: randomUUID(),
          code: nextBadge(),
          checkpoint: DEMO_CHECKPOINT,
          deviceId: 'bench-1',
        }),
      }),
    },
    {
      name: 'registration submit (a new participant each)',
      kind: 'write',
      amount: budget(() => applicantsAtStart),
      request: () => ({
        method: 'POST',
        path: '/api/v1/registrations',
        headers: bearer(applicants[nextApplicant++ % applicants.length]),
        body: JSON.stringify({
          events: ['wsis-forum-2026'],
          mode: 'in_person',
          stakeholderType: 'government',
          function: 'other',
        }),
      }),
    },
    {
      name: 'DFP approval (each request once)',
      kind: 'write',
      // Picks up the requests the submits just made; approved ones have left the list.
      before: refreshPending,
      amount: () => {
        pendingBudget.total ||= pending.length;
        return Math.min(pending.length, Math.max(1, Math.floor(pendingBudget.total / (rounds + 1))));
      },
      request: () => {
        const p = pending[nextPending++ % pending.length];
        return {
          method: 'POST',
          path: `/api/v1/registrations/${p.id}/decision`,
          headers: bearer(`dfp-${p.code}`),
          body: JSON.stringify({ decision: 'approve' }),
        };
      },
    },
  );
  return list;
}

async function createDb(name: string) {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.query(`create database ${name}`);
  await admin.end();
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return u.toString();
}
async function dropDb(name: string) {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.end();
}

type Row = {
  size: number;
  scenario: string;
  kind: Kind;
  rps: number;
  p50ms: number;
  p99ms: number;
  errors: number;
  rssMb: number;
  ratio: number;
  baseline: string;
};

async function main() {
  const started = Date.now();
  BASE_PORT = await freePort();
  APP_PORT = await freePort();
  console.log(
    `Sizes ${sizes.join(', ')} (every scenario at ${mainSize}); ${seconds} s × ${rounds} rounds; ${connections} connections (door scan ${scanConnections}).`,
  );
  const base = await startProcess(
    ['bench/baseline-server.ts'],
    { PORT: String(BASE_PORT) },
    `http://127.0.0.1:${BASE_PORT}/`,
  );
  const rows: Row[] = [];
  const seeding: Record<number, number> = {};
  const dbs: string[] = [];
  // Each seed:demo run writes its demo tokens' secret here (owner-only); BENCH_KEEP=1 keeps them with the databases.
  const tokensDir = fs.mkdtempSync(path.join(os.tmpdir(), 'convene-bench-tokens-'));
  try {
    for (const size of sizes) {
      const dbName = `convene_bench_${size}`;
      dbs.push(dbName);
      const url = await createDb(dbName);
      const tokensFile = path.join(tokensDir, `${dbName}.json`);
      const t = Date.now();
      const seeded = spawnSync(
        process.execPath,
        [
          '--import',
          'tsx',
          'src/cli.ts',
          'seed:demo',
          '--participants',
          String(size),
          '--seed',
          String(seed),
          '--tokens-file',
          tokensFile,
        ],
        {
          env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'warn' },
          encoding: 'utf8',
        },
      );
      if (seeded.status !== 0) throw new Error(`seed:demo failed:\n${seeded.stdout}\n${seeded.stderr}`);
      seeding[size] = (Date.now() - t) / 1000;
      console.log(
        `\n== ${size} participants: seeded in ${seeding[size].toFixed(1)} s (including migrations)\n${seeded.stdout.trim().split('\n').pop()}`,
      );
      const app = await startProcess(
        ['src/server.ts'],
        {
          DATABASE_URL: url,
          PORT: String(APP_PORT),
          HOST: '127.0.0.1',
          LOG_LEVEL: 'warn',
          NODE_ENV: 'production',
          CONVENE_WORKER: 'off',
        },
        `http://127.0.0.1:${APP_PORT}/healthz`,
      );
      try {
        const full = size === mainSize;
        const scenarios: Scenario[] = [
          { name: 'baseline: bare Fastify route', kind: 'baseline', port: BASE_PORT, request: { path: '/' } },
          ...(await scenariosFor(url, full, tokensFile)),
        ];
        const results = new Map<string, Run[]>();
        const commits: Run[] = [];
        // Warm-up: caches filled, JIT warm (writes take a small share of their budget).
        for (const s of scenarios) {
          await s.before?.();
          await runScenario(
            { ...s },
            s.kind === 'baseline' ? base.pid! : app.pid!,
            s.amount ? Math.min(s.amount(), 50) : undefined,
          );
        }
        for (let round = 1; round <= rounds; round++) {
          if (full) {
            const c = await commitCeiling(url);
            commits.push(c);
            console.log(
              `round ${round}: baseline: PostgreSQL single-row commit loop (${commitClients} clients): ${Math.round(c.rps)} tx/s`,
            );
          }
          for (const s of scenarios) {
            await s.before?.();
            const amount = s.amount?.();
            if (amount !== undefined && amount < 1) continue;
            const r = await runScenario(s, s.kind === 'baseline' ? base.pid! : app.pid!, amount);
            (results.get(s.name) ?? results.set(s.name, []).get(s.name)!).push(r);
            console.log(
              `round ${round}: ${s.name}: ${Math.round(r.rps)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms${r.errors ? `, ${r.errors} errors` : ''}`,
            );
          }
        }
        const agg = (rs: Run[]) => ({
          rps: median(rs.map((r) => r.rps)),
          p50: median(rs.map((r) => r.p50)),
          p99: median(rs.map((r) => r.p99)),
          errors: rs.reduce((a, r) => a + r.errors, 0),
          rssMb: Math.max(...rs.map((r) => r.rssMb)),
        });
        const fastify = agg(results.get('baseline: bare Fastify route')!);
        const ceiling = commits.length ? agg(commits) : undefined;
        if (ceiling)
          rows.push({
            size,
            scenario: `baseline: PostgreSQL single-row commit loop (${commitClients} clients)`,
            kind: 'baseline',
            rps: Math.round(ceiling.rps),
            p50ms: ceiling.p50,
            p99ms: ceiling.p99,
            errors: ceiling.errors,
            rssMb: NaN,
            ratio: 1,
            baseline: '',
          });
        for (const s of scenarios) {
          const rs = results.get(s.name);
          if (!rs?.length) continue;
          const a = agg(rs);
          const against = s.kind === 'write' ? ceiling : fastify;
          rows.push({
            size,
            scenario: s.name,
            kind: s.kind,
            rps: Math.round(a.rps),
            p50ms: a.p50,
            p99ms: a.p99,
            errors: a.errors,
            rssMb: a.rssMb,
            // A paced load's req/s is the pace offered, not a capacity: no ratio.
            ratio: s.kind === 'baseline' ? 1 : s.pacedGapMs ? NaN : +(a.rps / (against?.rps ?? NaN)).toFixed(3),
            baseline: s.pacedGapMs
              ? 'paced'
              : s.kind === 'write'
                ? 'commit loop'
                : s.kind === 'read'
                  ? 'bare Fastify'
                  : '',
          });
        }
      } finally {
        await stop(app);
      }
    }
  } finally {
    await stop(base);
    if (process.env.BENCH_KEEP !== '1') {
      for (const d of dbs) await dropDb(d).catch(() => {});
      fs.rmSync(tokensDir, { recursive: true, force: true });
    } else console.log(`Demo tokens of the kept databases: ${tokensDir}`);
  }

  console.log(
    `\nAt ${mainSize} participants: ${seconds} s × ${rounds} rounds, median of rounds; reads ÷ bare Fastify req/s, writes ÷ commit-loop tx/s`,
  );
  console.table(rows.filter((r) => r.size === mainSize).map(({ size: _s, kind: _k, ...r }) => r));
  const growthNames = [
    ...new Set(
      rows
        .filter((r) => r.kind === 'read' && rows.filter((x) => x.scenario === r.scenario).length === sizes.length)
        .map((r) => r.scenario),
    ),
  ];
  const growth = growthNames.map((name) => {
    const of = (size: number) => rows.find((r) => r.scenario === name && r.size === size)!;
    const first = of(sizes[0]);
    return {
      scenario: name,
      ...Object.fromEntries(
        sizes.flatMap((size) => [
          [`req/s @${size}`, of(size).rps],
          [`p50 ms @${size}`, of(size).p50ms],
        ]),
      ),
      ...Object.fromEntries(
        sizes
          .slice(1)
          .map((size) => [
            `cost ×${+(size / sizes[0]).toFixed(1)} data`,
            of(size).rps ? +(first.rps / of(size).rps).toFixed(2) : 'none done in the window',
          ]),
      ),
    };
  });
  console.log(
    `\nHow cost grows (cost = req/s at ${sizes[0]} ÷ req/s at the size; 1 = flat; 0 req/s = no answer within ${seconds} s)`,
  );
  console.table(growth);
  console.log('Seeding (s, including migrations):', seeding);
  const machine = {
    cpus: os.cpus().length,
    cpu: os.cpus()[0]?.model,
    memGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.type()} ${os.release()}`,
    load: os.loadavg(),
  };
  const pgVersion = (await query<{ v: string }>(adminUrl, 'show server_version'))[0]?.v;
  fs.mkdirSync('bench/results', { recursive: true });
  const file = path.join('bench/results', `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(
    file,
    JSON.stringify(
      {
        machine,
        postgres: pgVersion,
        seconds,
        rounds,
        connections,
        scanConnections,
        commitClients,
        sizes,
        mainSize,
        seed,
        seeding,
        rows,
        growth,
        minutes: +((Date.now() - started) / 60000).toFixed(1),
      },
      null,
      2,
    ),
  );
  console.log(`Results written to ${file} (${((Date.now() - started) / 60000).toFixed(1)} min)`);
  // Sending a letter to 2,000 recipients: queuing in one transaction, the worker's drain (bench/letters-send.ts).
  if (process.env.BENCH_LETTERS !== '0') await benchLettersSend();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
