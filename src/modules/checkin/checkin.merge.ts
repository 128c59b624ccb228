/**
 * Door scans in a merge of duplicate people (accounts' `personMerge` slot): scans point at a badge, not at a person,
 * so they follow their badge to the person kept; this part only counts them for the side-by-side view.
 */
import { eq, sql } from 'drizzle-orm';
import type { PersonMerge } from '../accounts/index.js';
import { badges } from '../badges/badges.schema.js';
import { scans } from './checkin.schema.js';

export const checkinMerge: PersonMerge = {
  columns: [],
  async holdings(db, personId) {
    const [row] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(scans)
      .innerJoin(badges, eq(badges.id, scans.badgeId))
      .where(eq(badges.personId, personId));
    return { scans: row?.n ?? 0 };
  },
};
