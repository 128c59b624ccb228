/**
 * Registration rules the summit starts with: each event's registration closes when the event ends (the secretariat
 * may close it earlier), and the Regulators' Roundtable admits heads of regulatory authorities (CL-26/17). Inserted
 * once per event; the secretariat changes them on its settings page afterwards.
 */
import { inArray } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { events } from '../events/index.js';
import { registrationSettings } from './registration.schema.js';
import { eventEndsAt } from './registration.window.js';

export const SEEDED_RESTRICTIONS: Record<string, { eligibleFunctions: string[] }> = {
  'regulators-roundtable-2026': { eligibleFunctions: ['head_of_regulator'] },
};

export async function seedRegistrationRules(tx: DbOrTx, eventIds: Map<string, number>, now: Date): Promise<number> {
  if (!eventIds.size) return 0;
  const rows = await tx
    .select({ id: events.id, slug: events.slug, endDate: events.endDate })
    .from(events)
    .where(inArray(events.id, [...eventIds.values()]));
  let n = 0;
  for (const e of rows) {
    const inserted = await tx
      .insert(registrationSettings)
      .values({
        eventId: e.id,
        closesAt: eventEndsAt(e.endDate),
        eligibleFunctions: SEEDED_RESTRICTIONS[e.slug]?.eligibleFunctions ?? [],
        updatedAt: now,
      })
      .onConflictDoNothing()
      .returning();
    n += inserted.length;
  }
  return n;
}
