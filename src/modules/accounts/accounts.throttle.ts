/**
 * Fixed-window counters in the database, so every process shares them. `hit` counts one attempt and says whether it
 * is over the limit; the row is locked for the increment, so concurrent attempts are all counted.
 */
import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';

export type Limit = { max: number; windowMs: number };

export const LIMITS = {
  /** Password attempts per account before a temporary lockout. */
  signInPerAccount: { max: 5, windowMs: 15 * 60_000 },
  /** Requests per address (sign-up, links, resets). */
  perAddress: { max: 30, windowMs: 15 * 60_000 },
  /**
   * Failed password attempts per address, counted apart from those per account: a ministry or a conference Wi-Fi
   * behind one address is not locked out by a few people's typos, and its successful sign-ins do not count.
   */
  signInFailuresPerAddress: { max: 100, windowMs: 15 * 60_000 },
  /** E-mails (links, resets, verification) per account. */
  mailPerAccount: { max: 5, windowMs: 60 * 60_000 },
} satisfies Record<string, Limit>;

export const LOCKOUT_MS = 15 * 60_000;

/** Counts one attempt under `key`; returns the count in the current window and whether it exceeds `max`. */
export async function hit(
  db: DbOrTx,
  key: string,
  limit: Limit,
  now: Date,
): Promise<{ count: number; over: boolean; retryAfterS: number }> {
  const windowStart = new Date(now.getTime() - limit.windowMs);
  const res = await db.execute(sql`
    insert into throttles (key, window_start, count) values (${key}, ${now.toISOString()}, 1)
    on conflict (key) do update set
      count = case when throttles.window_start <= ${windowStart.toISOString()} then 1 else throttles.count + 1 end,
      window_start = case when throttles.window_start <= ${windowStart.toISOString()} then ${now.toISOString()}::timestamptz else throttles.window_start end
    returning count, window_start`);
  const row = (res as unknown as { rows: { count: number; window_start: string | Date }[] }).rows[0];
  const started = new Date(row.window_start).getTime();
  return {
    count: Number(row.count),
    over: Number(row.count) > limit.max,
    retryAfterS: Math.max(1, Math.ceil((started + limit.windowMs - now.getTime()) / 1000)),
  };
}

export async function clear(db: DbOrTx, key: string): Promise<void> {
  await db.execute(sql`delete from throttles where key = ${key}`);
}

/** The count under `key` in the current window, without counting an attempt. */
export async function peek(
  db: DbOrTx,
  key: string,
  limit: Limit,
  now: Date,
): Promise<{ over: boolean; retryAfterS: number }> {
  const res = await db.execute(sql`select count, window_start from throttles where key = ${key}`);
  const row = (res as unknown as { rows: { count: number; window_start: string | Date }[] }).rows[0];
  if (!row) return { over: false, retryAfterS: 0 };
  const started = new Date(row.window_start).getTime();
  if (started + limit.windowMs <= now.getTime()) return { over: false, retryAfterS: 0 };
  return {
    over: Number(row.count) >= limit.max,
    retryAfterS: Math.max(1, Math.ceil((started + limit.windowMs - now.getTime()) / 1000)),
  };
}
