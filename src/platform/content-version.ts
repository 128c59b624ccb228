/**
 * A counter bumped in the same transaction as every change to public data. Page and API caches key on it, so a
 * change is visible at once in every process, and ETags stay valid until something really changed.
 */
import { eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import { siteState } from './platform.schema.js';

const KEY = 'content';

export async function getContentVersion(db: DbOrTx): Promise<number> {
  const rows = await db.select({ v: siteState.version }).from(siteState).where(eq(siteState.key, KEY));
  return rows[0]?.v ?? 0;
}

export async function bumpContentVersion(tx: DbOrTx): Promise<void> {
  await tx
    .insert(siteState)
    .values({ key: KEY, version: 1 })
    .onConflictDoUpdate({ target: siteState.key, set: { version: sql`${siteState.version} + 1` } });
}
