/**
 * The load generator and what it costs. Reads go through wrk (Debian's package, C, two threads) when it is installed:
 * autocannon, one JavaScript thread, tops out near 200–250 req/s on a 320 KB page where wrk drives the same server to
 * 1,000+ (issue 20). Requests that change from one to the next are given to wrk as a Lua list. Writes that may happen
 * only once each (a registration, a decision) keep autocannon, whose `amount` stops at exactly that many; they run at
 * hundreds of requests a second, where one thread is not the limit. Either way the client's own CPU is measured, and
 * the server's: a figure is only about the server when the client had CPU to spare.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export type Request = { method?: string; path: string; headers?: Record<string, string>; body?: string };

export type LoadResult = {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  total: number;
  /** CPU seconds the load generator used, user + system. */
  clientCpuS: number;
  tool: 'wrk' | 'autocannon';
};

const TICKS = 100; // USER_HZ on Linux

/** CPU seconds (user + system) used so far by a process and all its descendants alive now. */
export function treeCpuSeconds(pid: number): number {
  let total = 0;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime, stime, cutime, cstime: fields 14–17 of stat, 12–15 after the command name.
    total += (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) / TICKS;
    const kids = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
    for (const k of kids) total += treeCpuSeconds(Number(k));
  } catch {
    /* gone */
  }
  return total;
}

export const hasWrk = () => spawnSync('wrk', ['--version']).error === undefined;

const lua = (s: string) => JSON.stringify(s); // a JSON string is a valid Lua string literal for these characters

/**
 * Drives `port` with wrk for `seconds` from `connections` connections (two threads), sending `requests` in turn.
 * Latency percentiles come from wrk's own histogram (--latency).
 */
export function wrkLoad(opts: { port: number; connections: number; seconds: number; requests: Request[] }): LoadResult {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'convene-wrk-'));
  const script = path.join(dir, 'requests.lua');
  const items = opts.requests.map((r) => {
    const headers = Object.entries({
      ...(r.body ? { 'content-type': 'application/json' } : {}),
      ...r.headers,
    })
      .map(([k, v]) => `[${lua(k)}]=${lua(v)}`)
      .join(',');
    return `wrk.format(${lua(r.method ?? 'GET')}, ${lua(r.path)}, {${headers}}, ${r.body ? lua(r.body) : 'nil'})`;
  });
  fs.writeFileSync(
    script,
    // Made on the first call: wrk sets the Host header only after the script has loaded.
    `local reqs = nil
local i = 0
request = function()
  if not reqs then
    reqs = {${items.join(',\n')}}
  end
  i = i % #reqs + 1
  return reqs[i]
end
`,
  );
  try {
    // `times` after wrk prints the shell's children's CPU (wrk's own): the second line, "1m2.5s 0m0.7s".
    const out = spawnSync(
      'bash',
      [
        '-c',
        `wrk -t2 -c${opts.connections} -d${opts.seconds}s --timeout 10s --latency -s "$1" "$2"; times`,
        'wrk',
        script,
        `http://127.0.0.1:${opts.port}`,
      ],
      { encoding: 'utf8', maxBuffer: 10 * 2 ** 20 },
    );
    const text = out.stdout;
    const ms = (label: string) => {
      const m = text.match(new RegExp(`^\\s*${label}\\s+([\\d.]+)(us|ms|s)\\s*$`, 'm'));
      if (!m) return NaN;
      const v = Number(m[1]);
      return +(m[2] === 'us' ? v / 1000 : m[2] === 's' ? v * 1000 : v).toFixed(2);
    };
    const total = Number(text.match(/(\d+) requests in/)?.[1] ?? 0);
    const non2xx = Number(text.match(/Non-2xx or 3xx responses: (\d+)/)?.[1] ?? 0);
    const sock = text.match(/Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/);
    const sockErrors = sock ? sock.slice(1).reduce((a, x) => a + Number(x), 0) : 0;
    const times = text.trim().split('\n').slice(-1)[0] ?? '';
    const cpu = [...times.matchAll(/(\d+)m([\d.]+)s/g)].reduce((a, m) => a + Number(m[1]) * 60 + Number(m[2]), 0);
    if (!total) throw new Error(`wrk gave no result:\n${text}\n${out.stderr}`);
    return {
      rps: Number(text.match(/Requests\/sec:\s+([\d.]+)/)?.[1] ?? 0),
      p50: ms('50%'),
      p99: ms('99%'),
      errors: non2xx + sockErrors,
      total,
      clientCpuS: +cpu.toFixed(2),
      tool: 'wrk',
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The machine's load average and whether it counts as quiet (under half a core per core). */
export function machineLoad() {
  const [one, five, fifteen] = os.loadavg();
  return { one: +one.toFixed(2), five: +five.toFixed(2), fifteen: +fifteen.toFixed(2), cores: os.cpus().length };
}

/**
 * Whether rounds may be compared: each baseline (bare Fastify, commit loop) must stay within 30% across rounds
 * (max ÷ min ≤ 1.3). Returns the baselines that moved more, with how much.
 */
export function movedBaselines(baselines: Record<string, number[]>, limit = 1.3): string[] {
  return Object.entries(baselines)
    .filter(([, xs]) => xs.length > 1)
    .map(([name, xs]) => ({ name, spread: Math.max(...xs) / Math.min(...xs) }))
    .filter((b) => !(b.spread <= limit))
    .map((b) => `${b.name} moved ${Math.round((b.spread - 1) * 100)}% between rounds`);
}
