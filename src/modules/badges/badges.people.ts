/**
 * Badges follow the person: a changed name is found at the desk by the new name; an erased person's badges are
 * revoked (they stop at the doors) and forget the name and address they were found by.
 */
import { and, eq, isNull } from 'drizzle-orm';
import type { PersonalData } from '../../platform/module.js';
import { badges } from './badges.schema.js';
import { refreshSearchKey } from './badges.service.js';

export const badgesFollowProfile: NonNullable<PersonalData['profileChanged']> = (tx, person) =>
  refreshSearchKey(tx, person.id);

export const eraseBadges: NonNullable<PersonalData['erase']> = async (tx, personId, now) => {
  await tx.update(badges).set({ searchKey: '' }).where(eq(badges.personId, personId));
  await tx
    .update(badges)
    .set({ revokedAt: now, revokedReason: 'erased' })
    .where(and(eq(badges.personId, personId), isNull(badges.revokedAt)));
};
