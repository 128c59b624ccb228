/**
 * `npm run bench`: the app on PostgreSQL under autocannon, beside a bare Fastify route measured in the same run.
 * Prints req/s, p50, p99, errors and server RSS per scenario with its ratio to the baseline, and writes JSON to
 * bench/results/. Options (env): BENCH_DATABASE_URL, BENCH_SECONDS (10), BENCH_CONNECTIONS (50), BENCH_ROUNDS (2).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';

const adminUrl = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const rounds = Number(process.env.BENCH_ROUNDS ?? 2);
const APP_PORT = 3911;
const BASE_PORT = 3912;

type Scenario = { name: string; port: number; path: string | (() => string); baseline?: boolean };

const scenarios: Scenario[] = [
  { name: 'baseline: bare Fastify route', port: BASE_PORT, path: '/', baseline: true },
  ...['en', 'ar', 'zh', 'fr', 'ru', 'es'].map((lc) => ({ name: `programme page (${lc})`, port: APP_PORT, path: `/${lc}/programme` })),
  { name: 'programme page, filtered by day', port: APP_PORT, path: '/en/programme?day=2026-07-08' },
  { name: 'programme page, uncached (new search each time)', port: APP_PORT, path: () => `/en/programme?q=${Math.random().toString(36).slice(2, 5)}` },
  { name: 'sessions API (WSIS Forum, all)', port: APP_PORT, path: '/api/v1/events/wsis-forum-2026/sessions' },
  { name: 'session page', port: APP_PORT, path: '/en/sessions/HLT-01' },
  { name: 'week page (ar)', port: APP_PORT, path: '/ar/' },
];

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
      return fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
    } catch {
      return [];
    }
  })();
  return Math.max(rssMb(pid), ...kids.map(treeRssMb));
}

/** Starts a server and waits until `readyUrl` answers 200. */
async function startProcess(args: string[], env: Record<string, string>, readyUrl: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  for (let i = 0; i < 300; i++) {
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

async function run(s: Scenario) {
  const opts: autocannon.Options = { url: `http://127.0.0.1:${s.port}`, connections, duration: seconds };
  if (typeof s.path === 'string') opts.url += s.path;
  else opts.requests = [{ setupRequest: (req) => ({ ...req, path: (s.path as () => string)() }) }];
  const r = await autocannon(opts);
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx, total: r.requests.total };
}

async function main() {
  const dbName = 'convene_bench';
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${dbName} with (force)`);
  await admin.query(`create database ${dbName}`);
  await admin.end();
  const u = new URL(adminUrl);
  u.pathname = `/${dbName}`;

  console.log(`Starting the app on PostgreSQL (${u.host}/${dbName}) and the baseline…`);
  const app = await startProcess(
    ['src/server.ts'],
    { DATABASE_URL: u.toString(), PORT: String(APP_PORT), HOST: '127.0.0.1', LOG_LEVEL: 'warn', NODE_ENV: 'production', CONVENE_WORKER: 'off' },
    `http://127.0.0.1:${APP_PORT}/healthz`,
  );
  const base = await startProcess(['bench/baseline-server.ts'], { PORT: String(BASE_PORT) }, `http://127.0.0.1:${BASE_PORT}/`);

  const results: Record<string, { rps: number[]; p50: number[]; p99: number[]; errors: number; rssMb: number }> = {};
  try {
    for (const s of scenarios) await run({ ...s }); // warm-up: caches filled, JIT warm
    for (let round = 1; round <= rounds; round++) {
      for (const s of scenarios) {
        const r = await run(s);
        const slot = (results[s.name] ??= { rps: [], p50: [], p99: [], errors: 0, rssMb: 0 });
        slot.rps.push(r.rps);
        slot.p50.push(r.p50);
        slot.p99.push(r.p99);
        slot.errors += r.errors;
        slot.rssMb = Math.max(slot.rssMb, treeRssMb(s.baseline ? base.pid! : app.pid!));
        process.stdout.write(`round ${round}: ${s.name}: ${Math.round(r.rps)} req/s\n`);
      }
    }
  } finally {
    app.kill('SIGTERM');
    base.kill('SIGTERM');
  }

  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const baseRps = median(results[scenarios[0].name].rps);
  const rows = scenarios.map((s) => {
    const r = results[s.name];
    return { scenario: s.name, rps: Math.round(median(r.rps)), p50ms: median(r.p50), p99ms: median(r.p99), errors: r.errors, rssMb: r.rssMb, ratio: +(median(r.rps) / baseRps).toFixed(3) };
  });
  console.log(`\n${seconds}s × ${rounds} rounds, ${connections} connections, median of rounds; ratio = req/s ÷ baseline req/s`);
  console.table(rows);
  const machine = { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memGb: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.type()} ${os.release()}` };
  fs.mkdirSync('bench/results', { recursive: true });
  const file = path.join('bench/results', `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(file, JSON.stringify({ machine, seconds, rounds, connections, rows }, null, 2));
  console.log(`Results written to ${file}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
