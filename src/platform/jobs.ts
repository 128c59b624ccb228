/**
 * The jobs/outbox queue. Side effects (mail, PDFs) are enqueued in the transaction that decides them and run after
 * commit by a worker. Jobs are claimed with `FOR UPDATE SKIP LOCKED` and a lease, so several workers on several
 * machines are safe, and a worker that dies mid-job leaves the job to be retried once the lease runs out.
 * Handlers must therefore be idempotent.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db/client.js';
import type { Clock } from './clock.js';
import { jobs } from './platform.schema.js';

export type JobHandler = (payload: Record<string, unknown>, job: { id: number; attempts: number }) => Promise<void>;
export type JobHandlers = Record<string, JobHandler>;

const LEASE_MS = 5 * 60_000;

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

type Claimed = { id: number; kind: string; payload: Record<string, unknown>; attempts: number; max_attempts: number };

async function claim(db: Db, now: Date): Promise<Claimed | undefined> {
  const lease = new Date(now.getTime() + LEASE_MS);
  const res = await db.execute(sql`
    update jobs set attempts = attempts + 1, run_at = ${lease.toISOString()}
    where id = (
      select id from jobs where state = 'pending' and run_at <= ${now.toISOString()}
      order by run_at, id for update skip locked limit 1)
    returning id, kind, payload, attempts, max_attempts`);
  const rows = (res as unknown as { rows: Claimed[] }).rows;
  return rows[0];
}

/** Backoff before retry n (1-based): 30 s, 2 min, 8 min, … capped at 1 h. */
export const backoffMs = (attempt: number) => Math.min(30_000 * 4 ** (attempt - 1), 3_600_000);

/** Runs due jobs until none is left or `limit` ran; returns how many ran. */
export async function runDueJobs(db: Db, clock: Clock, handlers: JobHandlers, limit = 100): Promise<number> {
  let ran = 0;
  while (ran < limit) {
    const job = await claim(db, clock.now());
    if (!job) break;
    ran++;
    const handler = handlers[job.kind];
    try {
      if (!handler) throw new Error(`no handler for job kind ${job.kind}`);
      await handler(job.payload, { id: job.id, attempts: job.attempts });
      await db.update(jobs).set({ state: 'done', finishedAt: clock.now(), lastError: null }).where(eq(jobs.id, job.id));
    } catch (e) {
      const failed = job.attempts >= job.max_attempts;
      await db
        .update(jobs)
        .set({
          state: failed ? 'failed' : 'pending',
          lastError: String((e as Error)?.stack ?? e).slice(0, 4000),
          runAt: new Date(clock.now().getTime() + backoffMs(job.attempts)),
          finishedAt: failed ? clock.now() : null,
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
): Worker {
  let stopped = false;
  let running: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  const tick = () => {
    if (stopped) return;
    running = runDueJobs(db, clock, handlers)
      .catch((e) => log.error({ err: e }, 'job worker failed'))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, intervalMs);
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
