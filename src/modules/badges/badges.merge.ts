/**
 * Badges' part of merging a duplicate person (accounts' `personMerge` slot): every badge moves to the person kept,
 * with its door scans (they point at the badge). One live badge per person: where both have one, the one already
 * collected is kept (else the kept person's), and the other is revoked with the merge's note.
 */
import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { translate } from '../../platform/i18n/messages.js';
import type { MergePair, PersonMerge } from '../accounts/index.js';
import { badges } from './badges.schema.js';

/** When both have a live badge: the one kept and the one revoked. */
async function clash(db: DbOrTx, { from, into }: MergePair) {
  const live = await db
    .select({ id: badges.id, personId: badges.personId, collectedAt: badges.collectedAt })
    .from(badges)
    .where(and(inArray(badges.personId, [from, into]), isNull(badges.revokedAt)));
  const a = live.find((b) => b.personId === into);
  const b = live.find((x) => x.personId === from);
  if (!a || !b) return undefined;
  return b.collectedAt && !a.collectedAt ? { keep: b, drop: a } : { keep: a, drop: b };
}

export const badgesMerge: PersonMerge = {
  columns: ['badges.person_id'],
  async holdings(db, personId) {
    return { badges: await db.$count(badges, eq(badges.personId, personId)) };
  },
  async conflicts(db, pair, locale) {
    const c = await clash(db, pair);
    if (!c) return [];
    return [
      {
        key: 'badge_revoked',
        text: translate(locale, 'merge.conflict.badge', { whose: c.keep.personId === pair.into ? 'into' : 'from' }),
      },
    ];
  },
  async merge(tx, pair) {
    const c = await clash(tx, pair);
    if (c)
      await tx.update(badges).set({ revokedAt: pair.now, revokedReason: pair.note }).where(eq(badges.id, c.drop.id));
    await tx.update(badges).set({ personId: pair.into }).where(eq(badges.personId, pair.from));
  },
};
