/**
 * Registration rules the summit starts with: the Regulators' Roundtable admits heads of regulatory authorities
 * (CL-26/17). Inserted once; the secretariat changes them on its settings page afterwards.
 */
import { registrationSettings } from './registration.schema.js';
import type { DbOrTx } from '../../db/client.js';

export const SEEDED_RESTRICTIONS: Record<string, { eligibleFunctions: string[] }> = {
  'regulators-roundtable-2026': { eligibleFunctions: ['head_of_regulator'] },
};

export async function seedRegistrationRules(tx: DbOrTx, eventIds: Map<string, number>, now: Date): Promise<number> {
  let n = 0;
  for (const [slug, rule] of Object.entries(SEEDED_RESTRICTIONS)) {
    const eventId = eventIds.get(slug);
    if (eventId == null) continue;
    const rows = await tx
      .insert(registrationSettings)
      .values({ eventId, eligibleFunctions: rule.eligibleFunctions, updatedAt: now })
      .onConflictDoNothing()
      .returning();
    n += rows.length;
  }
  return n;
}
