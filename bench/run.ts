/**
 * `npm run bench`: the app (built, `node dist/server.js`, as in production) on PostgreSQL filled by `seed:demo`, under
 * load, beside two baselines measured in the same run: a bare Fastify route (for reads) and a loop of single-row
 * insert transactions on the same PostgreSQL (the commit ceiling, for writes), at 8 and 32 clients, writes being run
 * at the same concurrencies. Every scenario is printed with its ratio to its baseline, the server's CPU per request
 * and the load generator's own CPU (bench/load.ts: wrk for reads when installed, autocannon for writes that happen
 * once each); the programme page, participant search, badge desk search and statistics are repeated at each size to
 * show how cost grows. Door scans run at the doors' pace (bench/paced.ts) and as a closed loop of 100 connections.
 * The run prints the machine's load first, measures start-up (/healthz on a new and an existing embedded database),
 * and refuses to give ratios for a size whose baselines moved more than 30% between rounds (exit status 3).
 * A table on stdout, JSON in bench/results/.
 *
 * Options (env): BENCH_DATABASE_URL (postgres://postgres@127.0.0.1:5432/test: the server; scratch databases
 * convene_bench_<size> are made and dropped), BENCH_SECONDS (10), BENCH_ROUNDS (2), BENCH_CONNECTIONS (50, reads; the
 * door scan always uses BENCH_SCAN_CONNECTIONS, 100), BENCH_WRITE_CONNECTIONS (8,32), BENCH_SIZES (1000,10000,100000),
 * BENCH_MAIN (10000: the size every scenario runs at), BENCH_SEED (2026), BENCH_TOOL (wrk; `autocannon` for all),
 * BENCH_STARTUP (1; 0 skips the start-up measure), BENCH_NOW (2026-07-07T10:00:00+02:00: the rehearsal clock),
 * BENCH_QUICK=1 (3 s, one round, sizes 1000,10000), BENCH_KEEP=1 (keep the databases and their demo tokens),
 * BENCH_TOKENS_DIR (where the demo tokens go; a temporary folder when not given), BENCH_REUSE=1 (a database of this
 * prefix and size kept with its tokens in BENCH_TOKENS_DIR is used as it is, not seeded again; never dropped), BENCH_ONLY (comma-separated fragments of scenario names: only those run, beside the baselines; `drain` names the
 * e-mail drain), BENCH_DRAIN_JOBS (20000: e-mail jobs queued for each drain), BENCH_LETTERS (1; 0 skips the
 * letter-sending measure that follows, bench/letters-send.ts, with its own env), BENCH_BULK_BATCHES (bulk approvals of
 * 50 per pass; one per connection, at least 16, by default).
 *
 * The e-mail drain (after the other scenarios, at the main size): BENCH_DRAIN_JOBS `mail.send` jobs are queued, then
 * a worker process (`src/worker.ts`, as in production beside web processes with CONVENE_WORKER=off) drains them,
 * once to the .eml outbox and once to an SMTP sink on loopback (a child process that accepts and discards); the rate
 * is jobs ÷ (last finished_at − first), and the session page is driven the whole time: its p99 while it drains is
 * printed beside its p99 idle.
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
import { hasWrk, machineLoad, movedBaselines, treeCpuSeconds, wrkLoad } from './load.js';
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
/**
 * The clock of the seed and the app (a rehearsal clock): a day of the summit, when registration is still open and the
 * doors admit. On the real clock after the week every submit would be refused (registration closed).
 */
const benchNow = process.env.BENCH_NOW ?? '2026-07-07T10:00:00+02:00';
/** Writes run at each of these concurrencies, each against the commit loop at the same number of clients. */
const writeConcurrency = (process.env.BENCH_WRITE_CONNECTIONS ?? '8,32')
  .split(',')
  .map(Number)
  .filter((x) => x > 0);
const only = (process.env.BENCH_ONLY ?? '')
  .split(',')
  .map((x) => x.trim().toLowerCase())
  .filter(Boolean);
/** Whether a scenario runs under BENCH_ONLY (the baselines always do). */
const selected = (name: string) =>
  !only.length || name.startsWith('baseline') || only.some((o) => name.toLowerCase().includes(o));
const drainJobs = Number(process.env.BENCH_DRAIN_JOBS ?? 20000);
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
type Request = import('./load.js').Request;
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
  /** A write compared with the commit loop at this many clients (its own connections when not given). */
  commitClients?: number;
};
type Run = {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  total: number;
  rssMb: number;
  /** CPU seconds the load generator used in the run. */
  clientCpuS: number;
  /** The server's CPU time per request (ms), all its processes. */
  serverCpuMs: number;
  tool: string;
};
const useWrk = process.env.BENCH_TOOL !== 'autocannon' && hasWrk();

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

/** Starts a server and waits until `readyUrl` answers 200 (`.ts` files through tsx, built `.js` as they are). */
async function startProcess(args: string[], env: Record<string, string>, readyUrl: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [...(args[0].endsWith('.ts') ? ['--import', 'tsx'] : []), ...args], {
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
  const serverCpu0 = treeCpuSeconds(pid);
  const clientCpu0 = process.cpuUsage();
  const r = await load(s, amount);
  const serverCpu = treeCpuSeconds(pid) - serverCpu0;
  const own = process.cpuUsage(clientCpu0);
  return {
    ...r,
    rssMb: treeRssMb(pid),
    clientCpuS: r.tool === 'wrk' ? r.clientCpuS : +((own.user + own.system) / 1e6).toFixed(2),
    serverCpuMs: r.total ? +((serverCpu * 1000) / r.total).toFixed(3) : NaN,
  };
}

/**
 * One scenario's load: reads through wrk (when installed), writes and paced loads from this process. A read whose
 * request changes each time (a search by the next name) goes to wrk as a list of 500 requests taken in turn.
 */
async function load(s: Scenario, amount?: number): Promise<Omit<Run, 'rssMb' | 'serverCpuMs'>> {
  if (useWrk && s.kind !== 'write' && amount === undefined && !s.pacedGapMs) {
    const requests =
      typeof s.request === 'function' ? Array.from({ length: 500 }, s.request as () => Request) : [s.request];
    return wrkLoad({ port: s.port ?? APP_PORT, connections: s.connections ?? connections, seconds, requests });
  }
  if (s.pacedGapMs) {
    const make = typeof s.request === 'function' ? s.request : () => s.request as Request;
    const r = await pacedLoad({
      port: s.port ?? APP_PORT,
      clients: s.connections ?? connections,
      seconds,
      meanGapMs: s.pacedGapMs,
      request: make,
    });
    return { rps: r.rps, p50: r.p50, p99: r.p99, errors: r.errors, total: r.total, clientCpuS: 0, tool: 'paced' };
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
  // The time of the last answer: autocannon notices a spent budget only at its next one-second tick, so its own
  // duration (and per-second average) of a short write run is rounded up to whole seconds.
  const started = performance.now();
  let lastAnswer = started;
  opts.requests = [
    {
      onResponse: () => {
        lastAnswer = performance.now();
      },
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
    // Requests over the time they really took, from the first request to the last answer: a write run with `amount`
    // stops when its budget is spent, and autocannon's average divides by whole seconds.
    rps: lastAnswer > started ? r.requests.total / ((lastAnswer - started) / 1000) : r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors + r.non2xx + r.timeouts,
    total: r.requests.total,
    clientCpuS: 0,
    tool: 'autocannon',
  };
}

/** Baseline 2: single-row insert transactions from a few clients on the same server, for `seconds`. */
async function commitCeiling(url: string, commitClients: number): Promise<Run> {
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
  return {
    rps: lat.length / seconds,
    p50: q(0.5),
    p99: q(0.99),
    errors,
    total: lat.length,
    rssMb: NaN,
    clientCpuS: NaN,
    serverCpuMs: NaN,
    tool: 'pg',
  };
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
    {
      // Issue 20 §4: the first page (200, oldest first) of a state's requests, at every size.
      name: 'secretariat queue (WSIS Forum, awaiting the secretariat)',
      kind: 'read',
      request: { path: '/api/v1/registrations/queue?event=wsis-forum-2026&state=pending_secretariat', headers: staff },
      growth: true,
    },
    {
      // Issue 16: 194 Member States' answers to CL-26/17 for 10 staff at once (target: p99 under 100 ms), at every size.
      name: 'letters tracker (CL-26/17, every Member State, 10 staff)',
      kind: 'read',
      connections: 10,
      request: { path: '/api/v1/letters/CL-26-17/tracker', headers: admin },
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
  // Speaking requests (issue 20): each (entity with a focal point, kind) that has no live request yet, asked once by
  // the entity's focal point. The rehearsal clock is after the CL-26/17 deadline: the bench's database moves the
  // deadline a month past it, so a submit takes the ordinary path (no late permit).
  await query(
    url,
    `update speaking_settings set deadline = $1::timestamptz + interval '30 days' where event_id = (select id from events where slug = 'wsis-high-level-track-2026')`,
    [benchNow],
  );
  const speakingFree = await query<{ id: number; code: string; kind: string }>(
    url,
    `select e.id, lower(e.code) as code, k.kind from entities e
     cross join unnest(array['policy_statement', 'high_level_session', 'ministerial_roundtable', 'regulators_roundtable']) k(kind)
     where e.kind = 'member_state' and e.merged_into is null and exists (select 1 from focal_points f where f.entity_id = e.id)
       and not exists (select 1 from speaking_requests s join events ev on ev.id = s.event_id
         where ev.slug = 'wsis-high-level-track-2026' and s.entity_id = e.id and s.kind = k.kind
           and s.state in ('submitted', 'accepted', 'waitlisted'))
     order by md5(e.code || k.kind)`,
  );
  let nextSpeaking = 0;
  let bulkPending: string[] = [];
  let nextBulk = 0;
  /** Bulk approvals per pass: one per connection, at least 16 (BENCH_BULK_BATCHES overrides). */
  const bulkBatches = (c: number) => Number(process.env.BENCH_BULK_BATCHES ?? Math.max(16, c));
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
      name: 'programme page, whole week (brief list)',
      kind: 'read',
      request: { path: '/en/programme?day=all' },
    },
    {
      name: 'sessions API (WSIS Forum, first page of 100)',
      kind: 'read',
      request: { path: '/api/v1/events/wsis-forum-2026/sessions' },
    },
    {
      name: 'sessions API (WSIS Forum, all=true)',
      kind: 'read',
      request: { path: '/api/v1/events/wsis-forum-2026/sessions?all=true' },
    },
    { name: 'session page', kind: 'read', request: { path: '/en/sessions/HLT-01' } },
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
    ...writeConcurrency.map(
      (c): Scenario => ({
        name: `registration submit (a new participant each), ${c} connections`,
        kind: 'write',
        connections: c,
        commitClients: c,
        amount: budget(() => applicantsAtStart / writeConcurrency.length),
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
      }),
    ),
    ...writeConcurrency.map(
      (c): Scenario => ({
        name: `DFP approval (each request once), ${c} connections`,
        kind: 'write',
        connections: c,
        commitClients: c,
        // Picks up the requests the submits just made; approved ones have left the list.
        before: refreshPending,
        amount: () => {
          pendingBudget.total ||= pending.length;
          const share = Math.floor(pendingBudget.total / ((rounds + 1) * writeConcurrency.length));
          return Math.min(pending.length, Math.max(1, share));
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
      }),
    ),
    ...writeConcurrency.map(
      (c): Scenario => ({
        // The secretariat approves 50 waiting requests in one request (one transaction); req/s × 50 approvals/s. Its
        // own waiting requests are made before each pass (demo people × events without a capacity and without a live
        // request, inserted as a submit would leave them), so the single approvals and the submits keep theirs. A
        // person's requests are neighbours, so two batches seldom share a person (they would wait for each other's
        // lock on that person).
        name: `bulk approval of 50 (each request once), ${c} connections`,
        kind: 'write',
        connections: c,
        commitClients: c,
        before: async () => {
          bulkPending = (
            await query<{ id: string }>(
              url,
              `insert into registrations (person_id, event_id, entity_id, mode, state, stakeholder_type, function, registered_by, submitted_at, updated_at)
               select p.id, e.id, p.entity_id, 'in_person', 'pending_dfp', 'government', 'other', p.id, $1, $1
               from people p cross join events e
               left join registration_settings s on s.event_id = e.id
               where s.capacity is null and p.email like '%@demo.convene.test' and p.entity_id is not null
                 and not exists (select 1 from registrations r where r.person_id = p.id and r.event_id = e.id
                   and r.state in ('pending_dfp', 'pending_secretariat', 'approved', 'waitlisted'))
               order by md5(p.id), e.id limit $2
               on conflict do nothing returning id`,
              [benchNow, 50 * bulkBatches(c)],
            )
          ).map((r) => r.id);
          nextBulk = 0;
        },
        amount: () => Math.floor(bulkPending.length / 50),
        request: () => {
          const ids = bulkPending.slice(nextBulk, nextBulk + 50);
          nextBulk += 50;
          return {
            method: 'POST',
            path: '/api/v1/registrations/decisions',
            headers: staff,
            body: JSON.stringify({ ids, decision: 'approve' }),
          };
        },
      }),
    ),
    ...writeConcurrency.map(
      (c): Scenario => ({
        name: `speaking request submit (an entity and kind once each), ${c} connections`,
        kind: 'write',
        connections: c,
        commitClients: c,
        amount: budget(() => speakingFree.length / writeConcurrency.length),
        request: () => {
          const f = speakingFree[nextSpeaking++ % speakingFree.length];
          return {
            method: 'POST',
            path: '/api/v1/events/wsis-high-level-track-2026/speaking-requests',
            headers: bearer(`dfp-${f.code}`),
            body: JSON.stringify({
              entityId: f.id,
              kind: f.kind,
              rank: f.kind === 'regulators_roundtable' ? 'head_of_regulator' : 'minister',
              givenName: 'Amina',
              familyName: 'Diallo',
              givenNameLatin: 'Amina',
              familyNameLatin: 'DIALLO',
              title: 'Minister of Communications',
              language: 'en',
              abstract: 'Connectivity for all.',
            }),
          };
        },
      }),
    ),
  );
  return list;
}

/** A process that accepts SMTP on loopback and discards every message (bench/smtp-sink.ts); its URL. */
async function startSmtpSinkProcess(): Promise<{ url: string; child: ChildProcess; received: () => number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/smtp-sink.ts'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let received = 0;
  const url = await new Promise<string>((resolve, reject) => {
    let buf = '';
    child.stdout!.on('data', (d) => {
      buf += d;
      for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        if (line.startsWith('smtp://')) resolve(line);
        else if (/^\d+$/.test(line)) received = Number(line);
      }
    });
    child.once('exit', (c) => reject(new Error(`SMTP sink exited ${c}`)));
  });
  return { url, child, received: () => received };
}

type Drain = {
  jobs: number;
  done: number;
  seconds: number;
  rate: number;
  idle: Run;
  during: Run;
  workerRssMb: number;
};

/**
 * Queues `drainJobs` e-mail jobs, starts a worker process (to the .eml outbox or to an SMTP sink) and drives the
 * session page while it drains, then idle for comparison.
 */
async function drainScenario(url: string, appPid: number, sink: 'eml' | 'smtp'): Promise<Drain> {
  const page: Scenario = {
    name: 'session page',
    kind: 'read',
    connections: 10,
    request: { path: '/en/sessions/HLT-01' },
  };
  const idle = await runScenario(page, appPid);
  const [{ max }] = await query<{ max: string | null }>(url, 'select max(id)::text as max from jobs');
  const from = Number(max ?? 0);
  const now = new Date().toISOString();
  await query(
    url,
    `insert into jobs (kind, payload, run_at, created_at, max_attempts)
     select 'mail.send', jsonb_build_object('to', 'bench' || g || '@example.org',
       'locale', (array['en','fr','es','ru','zh','ar'])[1 + g % 6], 'template', 'sign_in_link',
       'params', jsonb_build_object('name', 'Delegate ' || g, 'link', 'https://convene.test/link/' || g, 'minutes', 30),
       'queuedAt', $1::text), $1::timestamptz, $1::timestamptz, 5
     from generate_series(1, $2::int) g`,
    [now, drainJobs],
  );
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'convene-bench-drain-'));
  const smtp = sink === 'smtp' ? await startSmtpSinkProcess() : undefined;
  const worker = spawn(process.execPath, ['--import', 'tsx', 'src/worker.ts'], {
    env: {
      ...process.env,
      DATABASE_URL: url,
      CONVENE_DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
      ...(smtp ? { SMTP_URL: smtp.url } : {}),
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  let workerRssMb = 0;
  const left = async () =>
    Number(
      (
        await query<{ n: string }>(
          url,
          `select count(*)::text as n from jobs where id > $1 and kind = 'mail.send' and state = 'pending'`,
          [from],
        )
      )[0].n,
    );
  // The page is driven from the moment the worker starts until the queue is empty (in windows of a few seconds).
  const windows: Run[] = [];
  const deadline = Date.now() + 600_000;
  try {
    while ((await left()) > 0 && Date.now() < deadline) {
      if (worker.exitCode !== null) throw new Error(`worker exited ${worker.exitCode}`);
      windows.push(await runScenario({ ...page }, appPid));
      workerRssMb = Math.max(workerRssMb, treeRssMb(worker.pid!));
    }
  } finally {
    await stop(worker);
    if (smtp) await stop(smtp.child);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  const [r] = await query<{ done: string; first: Date; last: Date }>(
    url,
    `select count(*)::text as done, min(finished_at) as first, max(finished_at) as last
     from jobs where id > $1 and kind = 'mail.send' and state = 'done'`,
    [from],
  );
  const done = Number(r.done);
  const secs = (new Date(r.last).getTime() - new Date(r.first).getTime()) / 1000;
  // While draining: the window with the worst p99 (the drain may end inside the last window).
  const during = windows.sort((a, b) => b.p99 - a.p99)[0] ?? idle;
  return { jobs: drainJobs, done, seconds: secs, rate: done / Math.max(secs, 0.001), idle, during, workerRssMb };
}

function dbUrl(name: string) {
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return u.toString();
}
async function dbExists(name: string) {
  return (await query<{ n: number }>(adminUrl, 'select 1 as n from pg_database where datname = $1', [name])).length > 0;
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
  /** The load generator's CPU seconds per second of load (1 = one core busy: the client may be the limit). */
  clientCores: number;
  /** The server's CPU per request, ms. */
  serverCpuMs: number;
  tool: string;
};

/**
 * Start-up (issue 20 §6): seconds from starting `node dist/server.js` on the embedded database to its /healthz
 * answering 200, on a new data folder (migrations and seed) and on the existing one, `times` times each.
 */
async function startupTimes(times = 3) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'convene-bench-start-'));
  const once = async () => {
    const port = await freePort();
    const t = performance.now();
    const child = await startProcess(
      ['dist/server.js'],
      { CONVENE_DATA_DIR: dir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', CONVENE_WORKER: 'off' },
      `http://127.0.0.1:${port}/healthz`,
    );
    const s = (performance.now() - t) / 1000;
    await stop(child);
    return +s.toFixed(2);
  };
  const fresh: number[] = [];
  const existing: number[] = [];
  try {
    for (let i = 0; i < times; i++) {
      fs.rmSync(dir, { recursive: true, force: true });
      fs.mkdirSync(dir);
      fresh.push(await once());
      existing.push(await once());
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return { fresh, existing, freshMedian: median(fresh), existingMedian: median(existing) };
}

async function main() {
  const started = Date.now();
  const loadBefore = machineLoad();
  console.log(
    `Machine load before the run: ${loadBefore.one} / ${loadBefore.five} / ${loadBefore.fifteen} (1, 5, 15 min) on ${loadBefore.cores} cores${loadBefore.one > loadBefore.cores / 2 ? ' — NOT quiet: absolute figures will be low' : ''}.`,
  );
  console.log(
    `Load generator: ${useWrk ? 'wrk (2 threads) for reads, autocannon for writes that happen once each' : 'autocannon (wrk not installed: apt-get install wrk)'}.`,
  );
  // The server runs as in production, from dist/ (npm run build is incremental).
  const built = spawnSync('npm', ['run', '-s', 'build'], { encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`npm run build failed:\n${built.stdout}\n${built.stderr}`);
  const startup = process.env.BENCH_STARTUP === '0' ? undefined : await startupTimes();
  if (startup)
    console.log(
      `Start-up to /healthz on the embedded database: new data folder ${startup.fresh.join(', ')} s (target 10); existing ${startup.existing.join(', ')} s (target 3).`,
    );
  const refused: string[] = [];
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
  // BENCH_REUSE=1 with BENCH_TOKENS_DIR: a database kept by an earlier run (BENCH_KEEP=1, same prefix and folder) is
  // used again as it is, without seeding (to compare query plans before and after a change on the same data).
  const reuse = process.env.BENCH_REUSE === '1';
  const tokensDir = process.env.BENCH_TOKENS_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), 'convene-bench-tokens-'));
  fs.mkdirSync(tokensDir, { recursive: true, mode: 0o700 });
  try {
    for (const size of sizes) {
      const dbName = `${process.env.BENCH_DB_PREFIX ?? 'convene_bench'}_${size}`; // a prefix of its own per concurrent run
      dbs.push(dbName);
      const tokensFile = path.join(tokensDir, `${dbName}.json`);
      const kept = reuse && fs.existsSync(tokensFile) && (await dbExists(dbName));
      const url = kept ? dbUrl(dbName) : await createDb(dbName);
      const t = Date.now();
      const seeded = kept
        ? { status: 0, stdout: `reused ${dbName} as it was (BENCH_REUSE)`, stderr: '' }
        : spawnSync(
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
              env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'warn', CONVENE_NOW: benchNow },
              encoding: 'utf8',
            },
          );
      if (seeded.status !== 0) throw new Error(`seed:demo failed:\n${seeded.stdout}\n${seeded.stderr}`);
      seeding[size] = (Date.now() - t) / 1000;
      console.log(
        `\n== ${size} participants: seeded in ${seeding[size].toFixed(1)} s (including migrations)\n${seeded.stdout.trim().split('\n').pop()}`,
      );
      const app = await startProcess(
        ['dist/server.js'],
        {
          DATABASE_URL: url,
          PORT: String(APP_PORT),
          HOST: '127.0.0.1',
          LOG_LEVEL: 'warn',
          NODE_ENV: 'production',
          CONVENE_WORKER: 'off',
          CONVENE_NOW: benchNow,
        },
        `http://127.0.0.1:${APP_PORT}/healthz`,
      );
      try {
        const full = size === mainSize;
        const scenarios: Scenario[] = [
          { name: 'baseline: bare Fastify route', kind: 'baseline', port: BASE_PORT, request: { path: '/' } },
          ...(await scenariosFor(url, full, tokensFile)),
        ];
        if (only.length) scenarios.splice(0, scenarios.length, ...scenarios.filter((s) => selected(s.name)));
        const results = new Map<string, Run[]>();
        const commits = new Map<number, Run[]>();
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
          if (full)
            for (const n of writeConcurrency) {
              const c = await commitCeiling(url, n);
              (commits.get(n) ?? commits.set(n, []).get(n)!).push(c);
              console.log(
                `round ${round}: baseline: PostgreSQL single-row commit loop (${n} clients): ${Math.round(c.rps)} tx/s, p99 ${c.p99} ms`,
              );
            }
          for (const s of scenarios) {
            await s.before?.();
            const amount = s.amount?.();
            if (amount !== undefined && amount < 1) continue;
            const r = await runScenario(s, s.kind === 'baseline' ? base.pid! : app.pid!, amount);
            (results.get(s.name) ?? results.set(s.name, []).get(s.name)!).push(r);
            console.log(
              `round ${round}: ${s.name}: ${Math.round(r.rps)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms, server ${r.serverCpuMs} ms CPU/req, client ${r.clientCpuS} s CPU (${r.tool})${r.errors ? `, ${r.errors} errors` : ''}`,
            );
          }
        }
        if (full && selected('e-mail drain')) {
          for (const sink of ['eml', 'smtp'] as const) {
            const d = await drainScenario(url, app.pid!, sink);
            console.log(
              `e-mail drain to ${sink === 'eml' ? 'the .eml outbox' : 'an SMTP sink'}: ${d.jobs} jobs in ${d.seconds.toFixed(2)} s = ${Math.round(d.rate)} jobs/s; session page p99 idle ${d.idle.p99} ms, while draining ${d.during.p99} ms (${d.during.rps.toFixed(0)} req/s vs ${d.idle.rps.toFixed(0)} idle)`,
            );
            rows.push({
              size,
              scenario: `e-mail drain, worker process → ${sink === 'eml' ? '.eml outbox' : 'SMTP sink'} (jobs/s)`,
              kind: 'write',
              rps: Math.round(d.rate),
              p50ms: NaN,
              p99ms: NaN,
              errors: d.jobs - d.done,
              rssMb: d.workerRssMb,
              ratio: NaN,
              baseline: 'target ≥ 500 jobs/s',
              clientCores: NaN,
              serverCpuMs: NaN,
              tool: 'worker',
            });
            rows.push({
              size,
              scenario: `session page while draining to ${sink} (p99 ÷ idle p99 in ratio)`,
              kind: 'read',
              rps: Math.round(d.during.rps),
              p50ms: d.during.p50,
              p99ms: d.during.p99,
              errors: d.during.errors,
              rssMb: d.during.rssMb,
              ratio: +(d.during.p99 / Math.max(d.idle.p99, 1)).toFixed(2),
              baseline: `idle p99 ${d.idle.p99} ms; target ≤ 2`,
              clientCores: NaN,
              serverCpuMs: d.during.serverCpuMs,
              tool: d.during.tool,
            });
          }
        }
        const agg = (rs: Run[]) => ({
          rps: median(rs.map((r) => r.rps)),
          p50: median(rs.map((r) => r.p50)),
          p99: median(rs.map((r) => r.p99)),
          errors: rs.reduce((a, r) => a + r.errors, 0),
          rssMb: Math.max(...rs.map((r) => r.rssMb)),
          clientCores: +median(rs.map((r) => r.clientCpuS / seconds)).toFixed(2),
          serverCpuMs: median(rs.map((r) => r.serverCpuMs)),
          tool: rs[0].tool,
        });
        // Rounds are compared only when their baselines held still.
        const moved = movedBaselines({
          'bare Fastify route': (results.get('baseline: bare Fastify route') ?? []).map((r) => r.rps),
          ...Object.fromEntries([...commits].map(([n, rs]) => [`commit loop (${n} clients)`, rs.map((c) => c.rps)])),
        });
        if (moved.length) {
          refused.push(...moved.map((m) => `${size} participants: ${m}`));
          console.log(`REFUSED to compare the rounds at ${size} participants: ${moved.join('; ')}.`);
        }
        const fastify = agg(results.get('baseline: bare Fastify route')!);
        const ceilings = new Map([...commits].map(([n, rs]) => [n, agg(rs)]));
        for (const [n, ceiling] of ceilings)
          rows.push({
            size,
            scenario: `baseline: PostgreSQL single-row commit loop (${n} clients)`,
            kind: 'baseline',
            rps: Math.round(ceiling.rps),
            p50ms: ceiling.p50,
            p99ms: ceiling.p99,
            errors: ceiling.errors,
            rssMb: NaN,
            ratio: 1,
            baseline: '',
            clientCores: NaN,
            serverCpuMs: NaN,
            tool: 'pg',
          });
        for (const s of scenarios) {
          const rs = results.get(s.name);
          if (!rs?.length) continue;
          const a = agg(rs);
          // A write against the commit loop at its own concurrency (the largest one for the door scans).
          const against = s.kind === 'write' ? ceilings.get(s.commitClients ?? Math.max(...writeConcurrency)) : fastify;
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
            ratio:
              s.kind === 'baseline'
                ? 1
                : s.pacedGapMs || moved.length
                  ? NaN
                  : +(a.rps / (against?.rps ?? NaN)).toFixed(3),
            clientCores: a.clientCores,
            serverCpuMs: a.serverCpuMs,
            tool: a.tool,
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
    if (process.env.BENCH_KEEP !== '1' && !reuse) {
      for (const d of dbs) await dropDb(d).catch(() => {});
      if (!process.env.BENCH_TOKENS_DIR) fs.rmSync(tokensDir, { recursive: true, force: true });
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
        writeConcurrency,
        sizes,
        mainSize,
        seed,
        seeding,
        loadBefore,
        loadAfter: machineLoad(),
        tool: useWrk ? 'wrk' : 'autocannon',
        startup,
        refused,
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
  if (refused.length) {
    console.log(
      `\nThe baselines moved more than 30% between rounds; no ratio is given for:\n- ${refused.join('\n- ')}`,
    );
    process.exitCode = 3;
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
