/**
 * The jobs/outbox queue. Side effects (mail, PDFs) are enqueued in the transaction that decides them and run after
 * commit by a worker. Jobs are claimed with `FOR UPDATE SKIP LOCKED` and a lease, so several workers on several
 * machines are safe, and a worker that dies mid-job leaves the job to be retried once the lease runs out.
 * Handlers must therefore be idempotent.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db/client.js';
import type { Clock } from './clock.js';
import { jobs } from './platform.schema.js';

export type JobHandler = ((
  payload: Record<string, unknown>,
  job: { id: number; attempts: number },
) => Promise<void>) & {
  /** How many jobs of this kind of one claimed batch may run at once (default 1: one after the other). */
  parallel?: number;
  /** Called when the queue is found empty (a mail handler closes its pooled connections). */
  idle?: () => void;
};
export type JobHandlers = Record<string, JobHandler>;

/**
 * How long a claimed batch is leased: e-mails run 16 at a time with 60 s socket timeouts, so a batch of 100 on a hung
 * server ends inside it, and a job whose worker died runs again after it.
 */
const LEASE_MS = 10 * 60_000;

export async function enqueue(
  tx: DbOrTx,
  now: Date,
  kind: string,
  payload: Record<string, unknown>,
  opts: { runAt?: Date; maxAttempts?: number } = {},
): Promise<number> {
  const [row] = await tx
    .insert(jobs)
    .values({ kind, payload, runAt: opts.runAt ?? now, createdAt: now, maxAttempts: opts.maxAttempts ?? 5 })
    .returning({ id: jobs.id });
  return row.id;
}

/** Many jobs in ONE insert (the e-mails of a bulk decision); their ids in order. */
export async function enqueueMany(
  tx: DbOrTx,
  now: Date,
  list: { kind: string; payload: Record<string, unknown>; runAt?: Date; maxAttempts?: number }[],
): Promise<number[]> {
  if (!list.length) return [];
  const rows = await tx
    .insert(jobs)
    .values(
      list.map((j) => ({
        kind: j.kind,
        payload: j.payload,
        runAt: j.runAt ?? now,
        createdAt: now,
        maxAttempts: j.maxAttempts ?? 5,
      })),
    )
    .returning({ id: jobs.id });
  return rows.map((r) => r.id);
}

type Claimed = { id: number; kind: string; payload: Record<string, unknown>; attempts: number; max_attempts: number };

/** Jobs claimed per statement: a batch is leased at once and marked done with one statement. */
export const BATCH = 100;

/**
 * Claims up to `n` due jobs in ONE statement: `FOR UPDATE SKIP LOCKED`, so two workers never claim the same job, and
 * a lease (`run_at` moved ahead) so a job whose worker died runs again once it runs out.
 */
async function claim(db: Db, now: Date, n: number): Promise<Claimed[]> {
  const lease = new Date(now.getTime() + LEASE_MS);
  const res = await db.execute(sql`
    update jobs set attempts = attempts + 1, run_at = ${lease.toISOString()}
    where id in (
      select id from jobs where state = 'pending' and run_at <= ${now.toISOString()}
      order by run_at, id for update skip locked limit ${n})
    returning id, kind, payload, attempts, max_attempts`);
  return (res as unknown as { rows: Claimed[] }).rows.sort((a, b) => a.id - b.id);
}

/** Backoff before retry n (1-based): 30 s, 2 min, 8 min, … capped at 1 h. */
export const backoffMs = (attempt: number) => Math.min(30_000 * 4 ** (attempt - 1), 3_600_000);

/**
 * Runs due jobs until none is left or `limit` ran; returns how many ran. Jobs are claimed in batches; within a batch,
 * jobs of a kind whose handler allows it (`parallel`, e-mail) run that many at once, the others one after the other
 * in id order. The jobs that succeeded are marked done with one statement per batch.
 */
export async function runDueJobs(
  db: Db,
  clock: Clock,
  handlers: JobHandlers,
  limit = 100,
  batch = BATCH,
): Promise<number> {
  let ran = 0;
  while (ran < limit) {
    const claimed = await claim(db, clock.now(), Math.min(batch, limit - ran));
    if (!claimed.length) {
      for (const h of new Set(Object.values(handlers))) h.idle?.();
      break;
    }
    ran += claimed.length;
    const done: number[] = [];
    const failed: { job: Claimed; error: unknown }[] = [];
    const runOne = async (job: Claimed) => {
      const handler = handlers[job.kind];
      try {
        if (!handler) throw new Error(`no handler for job kind ${job.kind}`);
        await handler(job.payload, { id: job.id, attempts: job.attempts });
        done.push(job.id);
      } catch (e) {
        failed.push({ job, error: e });
      }
    };
    // Runs of consecutive jobs of one kind, in id order (a job never overtakes an earlier one of another kind).
    const runs: Claimed[][] = [];
    for (const job of claimed)
      if (runs.length && runs[runs.length - 1][0].kind === job.kind) runs[runs.length - 1].push(job);
      else runs.push([job]);
    for (const list of runs) {
      const width = Math.max(1, handlers[list[0].kind]?.parallel ?? 1);
      let next = 0;
      await Promise.all(
        Array.from({ length: Math.min(width, list.length) }, async () => {
          while (next < list.length) await runOne(list[next++]);
        }),
      );
    }
    if (done.length)
      await db
        .update(jobs)
        .set({ state: 'done', finishedAt: clock.now(), lastError: null })
        .where(inArray(jobs.id, done));
    for (const { job, error } of failed) {
      const gaveUp = job.attempts >= job.max_attempts;
      await db
        .update(jobs)
        .set({
          state: gaveUp ? 'failed' : 'pending',
          lastError: String((error as Error)?.stack ?? error).slice(0, 4000),
          runAt: new Date(clock.now().getTime() + backoffMs(job.attempts)),
          finishedAt: gaveUp ? clock.now() : null,
        })
        .where(and(eq(jobs.id, job.id), eq(jobs.state, 'pending')));
    }
  }
  return ran;
}

export type Worker = { stop(): Promise<void> };

export function startWorker(
  db: Db,
  clock: Clock,
  handlers: JobHandlers,
  log: { error(o: unknown, msg: string): void },
  intervalMs = 1000,
  /** Work done on every pass besides the jobs (the report counters' fold), its failure logged. */
  onTick?: () => Promise<void>,
): Worker {
  let stopped = false;
  let running: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  const tick = () => {
    if (stopped) return;
    let busy = false;
    running = (onTick ? onTick().catch((e) => log.error({ err: e }, 'worker tick failed')) : Promise.resolve())
      .then(() => runDueJobs(db, clock, handlers, BATCH * 10))
      .then((ran) => {
        busy = ran >= BATCH * 10;
      })
      .catch((e) => log.error({ err: e }, 'job worker failed'))
      .finally(() => {
        // A full run means more are waiting: go on at once (a burst of e-mails drains without pauses).
        if (!stopped) timer = setTimeout(tick, busy ? 0 : intervalMs);
      });
  };
  timer = setTimeout(tick, intervalMs);
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
