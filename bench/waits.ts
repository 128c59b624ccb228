/**
 * What the database's sessions wait for while a benchmark runs: samples `pg_stat_activity` every few milliseconds
 * and prints, for the busy sessions of one database, how often each (wait event, statement) pair was seen. A write
 * path that queues behind a lock shows up as `Lock:transactionid` / `Lock:tuple` (a row another transaction holds
 * until it commits) or `Lock:advisory` beside the statement that waits.
 *
 *   npx tsx bench/waits.ts <database> [seconds=60] [interval ms=5]
 * (BENCH_DATABASE_URL or DATABASE_URL names the server, as for bench/run.ts.)
 */
import pg from 'pg';

const [db, secondsArg, everyArg] = process.argv.slice(2);
if (!db) throw new Error('usage: bench/waits.ts <database> [seconds] [interval ms]');
const seconds = Number(secondsArg ?? 60);
const every = Number(everyArg ?? 5);
const url = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const c = new pg.Client({ connectionString: url });
await c.connect();
const seen = new Map<string, number>();
let samples = 0;
let busy = 0;
const until = Date.now() + seconds * 1000;
while (Date.now() < until) {
  const { rows } = await c.query<{ w: string; q: string }>(
    `select coalesce(wait_event_type || ':' || wait_event, 'CPU') as w,
            regexp_replace(left(query, 90), '\\s+', ' ', 'g') as q
     from pg_stat_activity where datname = $1 and state = 'active' and pid <> pg_backend_pid()`,
    [db],
  );
  samples++;
  busy += rows.length;
  for (const r of rows) seen.set(`${r.w.padEnd(28)} ${r.q}`, (seen.get(`${r.w.padEnd(28)} ${r.q}`) ?? 0) + 1);
  await new Promise((r) => setTimeout(r, every));
}
await c.end();
console.log(`${samples} samples, ${(busy / Math.max(samples, 1)).toFixed(2)} busy sessions on average`);
for (const [k, n] of [...seen].sort((a, b) => b[1] - a[1]).slice(0, 25))
  console.log(`${String(n).padStart(7)}  ${((100 * n) / Math.max(busy, 1)).toFixed(1).padStart(5)}%  ${k}`);
