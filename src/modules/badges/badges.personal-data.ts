/**
 * What badges hold about a person, for their export: each badge's category and dates. Not its token: the token is
 * what the QR holds, a credential that opens the doors, and a download must not carry one. Not the desk's search key
 * either: a folded copy of the names and address already in the export's `person`.
 */
import { asc, eq } from 'drizzle-orm';
import type { PersonalData } from '../../platform/module.js';
import { badges } from './badges.schema.js';

export const badgesExport: NonNullable<PersonalData['export']> = {
  badges: async (db, personId) => {
    const rows = await db
      .select()
      .from(badges)
      .where(eq(badges.personId, personId))
      .orderBy(asc(badges.issuedAt), asc(badges.id));
    return rows.map((b) => ({
      id: b.id,
      category: b.category,
      issuedAt: b.issuedAt,
      printCount: b.printCount,
      lastPrintedAt: b.lastPrintedAt,
      idCheckedAt: b.idCheckedAt,
      collectedAt: b.collectedAt,
      revokedAt: b.revokedAt,
      revokedReason: b.revokedReason,
    }));
  },
};
