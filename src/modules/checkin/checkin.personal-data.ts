/** What check-in holds about a person, for their export: every scan of their badges at a door (where, when, the answer). */
import { asc, eq } from 'drizzle-orm';
import type { PersonalData } from '../../platform/module.js';
import { badges } from '../badges/index.js';
import { scans } from './checkin.schema.js';

export const checkinExport: NonNullable<PersonalData['export']> = {
  scans: async (db, personId) =>
    db
      .select({
        badgeId: scans.badgeId,
        checkpoint: scans.checkpoint,
        scannedAt: scans.scannedAt,
        result: scans.result,
        reason: scans.reason,
        offline: scans.offline,
      })
      .from(scans)
      .innerJoin(badges, eq(scans.badgeId, badges.id))
      .where(eq(badges.personId, personId))
      .orderBy(asc(scans.scannedAt), asc(scans.id)),
};
