/**
 * A counter bumped in the same transaction as every change to public data. Page and API caches key on it, so a
 * change is visible in every process, and ETags stay valid until something really changed.
 */
import { eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import { siteState } from './platform.schema.js';

const KEY = 'content';

export async function getContentVersion(db: DbOrTx): Promise<number> {
  const rows = await db.select({ v: siteState.version }).from(siteState).where(eq(siteState.key, KEY));
  return rows[0]?.v ?? 0;
}

/** Bumps made by this process: a memoised version older than the last one is not used. */
let localBumps = 0;

export async function bumpContentVersion(tx: DbOrTx): Promise<void> {
  await tx
    .insert(siteState)
    .values({ key: KEY, version: 1 })
    .onConflictDoUpdate({ target: siteState.key, set: { version: sql`${siteState.version} + 1` } });
  localBumps++;
}

const MEMO_MS = 1000;
const memo = new WeakMap<object, { v: number; until: number; bumps: number }>();

/**
 * The version, read from the database at most once a second per process: a change made by this process is seen
 * at its next read, one made by another process within a second.
 */
export async function cachedContentVersion(db: DbOrTx): Promise<number> {
  const m = memo.get(db);
  const now = performance.now();
  if (m && m.until > now && m.bumps === localBumps) return m.v;
  const bumps = localBumps;
  const v = await getContentVersion(db);
  memo.set(db, { v, until: now + MEMO_MS, bumps });
  return v;
}
